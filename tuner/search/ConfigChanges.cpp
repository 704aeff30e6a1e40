//===- search/ConfigChanges.cpp - What a configuration changes ------------===//
//
// See ConfigChanges.hpp.
//
//===----------------------------------------------------------------------===//
#include "search/ConfigChanges.hpp"

#include "search/PipelineText.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

namespace autopass {

namespace {

/// One pass of a pipeline in preorder, with the pass managers around it.
struct FlatPass {
  const PassNode *Node = nullptr;
  std::string Context;   // enclosing pass names, outermost first, '/'-joined
  std::string Text;      // name<params>, "(...)" appended for a pass manager
  size_t SubtreeEnd = 0; // index after this pass and everything nested in it
  std::string key() const { return Context + "|" + Text; }
};

void flatten(const std::vector<PassNode> &Nodes, const std::string &Context,
             std::vector<FlatPass> &Out) {
  for (const PassNode &N : Nodes) {
    size_t Index = Out.size();
    FlatPass F;
    F.Node = &N;
    F.Context = Context;
    F.Text = N.Name + (N.Params ? "<" + *N.Params + ">" : "") + (N.Children ? "(...)" : "");
    Out.push_back(std::move(F));
    if (N.Children)
      flatten(*N.Children, Context.empty() ? N.Name : Context + "/" + N.Name, Out);
    Out[Index].SubtreeEnd = Out.size();
  }
}

std::string where(const FlatPass &F) { return F.Context.empty() ? "" : " in " + F.Context; }

/// "a;no-b;c=1" -> {"a", "no-b", "c=1"}.
std::vector<std::string> paramList(const PassNode &N) {
  std::vector<std::string> Out;
  if (N.Params)
    for (std::string &P : split(*N.Params, ';'))
      if (!P.empty())
        Out.push_back(std::move(P));
  return Out;
}

std::string paramChange(const FlatPass &From, const FlatPass &To) {
  std::vector<std::string> A = paramList(*From.Node), B = paramList(*To.Node);
  std::vector<std::string> Gone, New;
  for (const std::string &P : A)
    if (!std::count(B.begin(), B.end(), P))
      Gone.push_back(P);
  for (const std::string &P : B)
    if (!std::count(A.begin(), A.end(), P))
      New.push_back(P);
  // Short parameter lists read best whole; long ones (simplifycfg's) as the
  // entries that went and came.
  if (From.Text.size() + To.Text.size() <= 80)
    return "pipeline: " + From.Text + " -> " + To.Text + where(To);
  std::vector<std::string> Delta;
  for (const std::string &P : Gone)
    Delta.push_back("-" + P);
  for (const std::string &P : New)
    Delta.push_back("+" + P);
  return "pipeline: " + To.Node->Name + " parameters " + join(Delta, " ") + where(To);
}

enum class Op { Same, Removed, Inserted };

} // namespace

std::vector<std::string> describePipelineDiff(std::string_view Base, std::string_view Edited,
                                              size_t MaxLines) {
  auto A = PipelineText::parse(Base);
  auto B = PipelineText::parse(Edited);
  if (!A || !B)
    return {"pipeline: replaced (" +
            std::string(!A ? "the -O3 pipeline does not parse: " + A.message()
                           : "it does not parse: " + B.message()) +
            ")"};
  std::vector<FlatPass> X, Y;
  flatten(A->passes(), "", X);
  flatten(B->passes(), "", Y);

  // Longest common subsequence over the passes (a few hundred each).
  size_t N = X.size(), M = Y.size();
  std::vector<uint32_t> L((N + 1) * (M + 1), 0);
  auto At = [&](size_t I, size_t J) -> uint32_t & { return L[I * (M + 1) + J]; };
  for (size_t I = N; I-- > 0;)
    for (size_t J = M; J-- > 0;)
      At(I, J) =
          X[I].key() == Y[J].key() ? At(I + 1, J + 1) + 1 : std::max(At(I + 1, J), At(I, J + 1));
  struct Step {
    Op K;
    size_t I, J; // index in X (Removed, Same) and in Y (Inserted, Same)
  };
  std::vector<Step> Steps;
  for (size_t I = 0, J = 0; I < N || J < M;) {
    if (I < N && J < M && X[I].key() == Y[J].key())
      Steps.push_back({Op::Same, I++, J++});
    else if (J < M && (I == N || At(I, J + 1) >= At(I + 1, J)))
      Steps.push_back({Op::Inserted, I, J++});
    else
      Steps.push_back({Op::Removed, I++, J});
  }

  // Within one run of differences, a pass removed and the same pass inserted
  // in the same place with other parameters is a parameter change; the same
  // pass removed in one place and inserted in another is a move.
  // Where an insertion lands: before the next pass that was there already.
  std::vector<bool> InsertedY(M, false);
  for (const Step &S : Steps)
    if (S.K == Op::Inserted)
      InsertedY[S.J] = true;
  auto Anchor = [&](size_t From) {
    while (From < M && InsertedY[From])
      ++From;
    return From < M ? "before " + Y[From].Node->Name : std::string("at the end");
  };
  std::vector<std::string> Lines;
  std::set<size_t> DoneX, DoneY;
  std::multiset<std::string> RemovedKeys, InsertedKeys;
  for (const Step &S : Steps) {
    if (S.K == Op::Removed)
      RemovedKeys.insert(X[S.I].key());
    if (S.K == Op::Inserted)
      InsertedKeys.insert(Y[S.J].key());
  }
  auto NameOf = [](const FlatPass &F) { return F.Node->Name; };
  for (size_t H = 0; H < Steps.size();) {
    if (Steps[H].K == Op::Same) {
      ++H;
      continue;
    }
    size_t End = H;
    while (End < Steps.size() && Steps[End].K != Op::Same)
      ++End;
    for (size_t R = H; R < End; ++R) {
      if (Steps[R].K != Op::Removed || DoneX.count(Steps[R].I))
        continue;
      const FlatPass &Gone = X[Steps[R].I];
      for (size_t Q = H; Q < End; ++Q)
        if (Steps[Q].K == Op::Inserted && !DoneY.count(Steps[Q].J) &&
            Y[Steps[Q].J].Context == Gone.Context && NameOf(Y[Steps[Q].J]) == NameOf(Gone) &&
            !RemovedKeys.count(Y[Steps[Q].J].key()) && !InsertedKeys.count(Gone.key())) {
          Lines.push_back(paramChange(Gone, Y[Steps[Q].J]));
          DoneX.insert(Steps[R].I);
          DoneY.insert(Steps[Q].J);
          break;
        }
    }
    for (size_t R = H; R < End; ++R) {
      const Step &S = Steps[R];
      if (S.K == Op::Removed && !DoneX.count(S.I)) {
        const FlatPass &F = X[S.I];
        for (size_t K = S.I; K < F.SubtreeEnd; ++K)
          DoneX.insert(K);
        if (!InsertedKeys.count(F.key())) // a move is told where it lands
          Lines.push_back("pipeline: removed " + F.Node->str() + where(F));
      } else if (S.K == Op::Inserted && !DoneY.count(S.J)) {
        const FlatPass &F = Y[S.J];
        for (size_t K = S.J; K < F.SubtreeEnd; ++K)
          DoneY.insert(K);
        Lines.push_back(
            "pipeline: " + std::string(RemovedKeys.count(F.key()) ? "moved " : "inserted ") +
            F.Node->str() + where(F) + " " + Anchor(F.SubtreeEnd));
      }
    }
    H = End;
  }
  if (Lines.size() > MaxLines) {
    size_t More = Lines.size() - (MaxLines - 1);
    Lines.resize(MaxLines - 1);
    Lines.push_back("pipeline: ... and " + std::to_string(More) + " more differences");
  }
  return Lines;
}

std::vector<std::string> describeChanges(const CandidateConfig &C, std::string_view O3Pipeline) {
  std::vector<std::string> Lines;
  for (const auto &[Name, Value] : C.Knobs)
    Lines.push_back("knob -" + Name + "=" + knobValueText(Value));
  if (C.Pipeline && trim(*C.Pipeline) != trim(O3Pipeline)) {
    if (O3Pipeline.empty())
      Lines.push_back("pipeline: replaced (no -O3 pipeline text to compare it with)");
    else
      for (std::string &L : describePipelineDiff(O3Pipeline, *C.Pipeline))
        Lines.push_back(std::move(L));
  }
  auto Count = [](const CountOrWord &V) {
    return std::holds_alternative<int64_t>(V) ? std::to_string(std::get<int64_t>(V))
                                              : std::get<std::string>(V);
  };
  for (const auto &[Loop, H] : C.Loops) {
    std::vector<std::string> Parts;
    if (H.Unroll)
      Parts.push_back("unroll=" + Count(*H.Unroll));
    if (H.UnrollAndJam)
      Parts.push_back("unroll_and_jam=" + Count(*H.UnrollAndJam));
    if (H.Vectorize)
      Parts.push_back(std::string("vectorize=") + (*H.Vectorize ? "true" : "false"));
    if (H.VectorizeWidth)
      Parts.push_back("vectorize_width=" + std::to_string(*H.VectorizeWidth));
    if (H.InterleaveCount)
      Parts.push_back("interleave_count=" + std::to_string(*H.InterleaveCount));
    if (H.Distribute)
      Parts.push_back(std::string("distribute=") + (*H.Distribute ? "true" : "false"));
    Lines.push_back("loop " + Loop + ": " + join(Parts, ", "));
  }
  for (const auto &[Function, H] : C.Functions) {
    std::vector<std::string> Parts;
    if (H.Inline)
      Parts.push_back("inline=" + *H.Inline);
    if (H.Size)
      Parts.push_back("size=" + *H.Size);
    Lines.push_back("function " + Function + ": " + join(Parts, ", "));
  }
  for (const CallHint &H : C.Calls)
    Lines.push_back("call " + H.Caller + " -> " + H.Callee +
                    (H.Index ? " #" + std::to_string(*H.Index) : std::string()) +
                    ": inline=" + H.Inline);
  return Lines;
}

std::vector<std::string> changesOfTuneBest(const rapidjson::Value &Best,
                                           std::string_view O3Pipeline) {
  std::vector<std::string> Lines;
  if (!Best.IsObject())
    return Lines;
  if (Best.HasMember("changes") && Best["changes"].IsArray()) {
    for (const rapidjson::Value &V : Best["changes"].GetArray())
      if (V.IsString())
        Lines.emplace_back(V.GetString());
    return Lines;
  }
  if (!Best.HasMember("config_json"))
    return Lines;
  auto C = CandidateConfig::parse(compactJson(Best["config_json"]), "tune result best.config_json");
  if (!C)
    return {"(the configuration does not parse: " + C.message() + ")"};
  return describeChanges(*C, O3Pipeline);
}

} // namespace autopass
