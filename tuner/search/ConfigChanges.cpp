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
#include <map>

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
  if (Gone.empty() && New.empty())
    return "pipeline: " + To.Node->Name + " parameters reordered" + where(To);
  std::vector<std::string> Delta;
  for (const std::string &P : Gone)
    Delta.push_back("-" + P);
  for (const std::string &P : New)
    Delta.push_back("+" + P);
  return "pipeline: " + To.Node->Name + " parameters " + join(Delta, " ") + where(To);
}

enum class Op { Same, Removed, Inserted };

/// A parse error without the "pipeline: " the parser starts some with (the
/// line already says pipeline).
std::string withoutPrefix(const std::string &Message) {
  const std::string Prefix = "pipeline: ";
  return Message.rfind(Prefix, 0) == 0 ? Message.substr(Prefix.size()) : Message;
}

/// " (#K of N)" when Items holds more than one pass named like Items[I]
/// (by header text when ByText, else by name), "" otherwise: says which of
/// -O3's eight instcombines a line means.
std::string occurrence(const std::vector<FlatPass> &Items, size_t I, bool ByText) {
  size_t K = 0, N = 0;
  for (size_t J = 0; J < Items.size(); ++J)
    if (ByText ? Items[J].Text == Items[I].Text : Items[J].Node->Name == Items[I].Node->Name) {
      ++N;
      if (J <= I)
        ++K;
    }
  return N > 1 ? " (#" + std::to_string(K) + " of " + std::to_string(N) + ")" : "";
}

/// The passes of one side that were removed (or inserted) and not explained
/// as a parameter change, grouped into what a line reports: a pass manager
/// whose every nested pass went with it is one unit (printed whole), else
/// its header is a unit and its passes are reported one by one.
struct Units {
  std::vector<bool> IsUnit, Whole;
  std::vector<std::string> Key; // context and the printed text: equal keys = a move
};

Units unitsOf(const std::vector<FlatPass> &Items, const std::vector<bool> &Changed,
              const std::vector<bool> &Paired) {
  size_t N = Items.size();
  Units U{std::vector<bool>(N, false), std::vector<bool>(N, false), std::vector<std::string>(N)};
  std::vector<bool> Covered(N, false);
  for (size_t I = 0; I < N; ++I) {
    if (!Changed[I] || Paired[I] || Covered[I])
      continue;
    const FlatPass &F = Items[I];
    bool Whole = true;
    for (size_t K = I + 1; K < F.SubtreeEnd; ++K)
      Whole = Whole && Changed[K] && !Paired[K];
    U.IsUnit[I] = true;
    U.Whole[I] = Whole;
    if (Whole)
      for (size_t K = I + 1; K < F.SubtreeEnd; ++K)
        Covered[K] = true;
    U.Key[I] = F.Context + "|" + (Whole ? F.Node->str() : F.Text);
  }
  return U;
}

} // namespace

std::vector<std::string> describePipelineDiff(std::string_view Base, std::string_view Edited,
                                              size_t MaxLines) {
  auto A = PipelineText::parse(Base);
  auto B = PipelineText::parse(Edited);
  if (!A || !B)
    return {"pipeline: replaced (" +
            std::string(!A ? "the -O3 pipeline does not parse: " + withoutPrefix(A.message())
                           : "it does not parse: " + withoutPrefix(B.message())) +
            ")"};
  std::vector<FlatPass> X, Y;
  flatten(A->passes(), "", X);
  flatten(B->passes(), "", Y);
  size_t N = X.size(), M = Y.size();
  // -O3 has ~130 passes; a pipeline thousands of passes long is not an edit
  // of it worth listing pass by pass (and the table below would be large).
  if (N * M > 4'000'000)
    return {"pipeline: replaced (" + std::to_string(M) + " passes against -O3's " +
            std::to_string(N) + ")"};

  // Longest common subsequence over the passes' headers (context, name and
  // parameters; a pass manager's contents are matched pass by pass).
  std::vector<std::string> KX(N), KY(M);
  for (size_t I = 0; I < N; ++I)
    KX[I] = X[I].key();
  for (size_t J = 0; J < M; ++J)
    KY[J] = Y[J].key();
  std::vector<uint32_t> L((N + 1) * (M + 1), 0);
  auto At = [&](size_t I, size_t J) -> uint32_t & { return L[I * (M + 1) + J]; };
  for (size_t I = N; I-- > 0;)
    for (size_t J = M; J-- > 0;)
      At(I, J) = KX[I] == KY[J] ? At(I + 1, J + 1) + 1 : std::max(At(I + 1, J), At(I, J + 1));
  struct Step {
    Op K;
    size_t I, J; // index in X (Removed, Same) and in Y (Inserted, Same)
  };
  std::vector<Step> Steps;
  std::vector<bool> RemovedX(N, false), InsertedY(M, false);
  for (size_t I = 0, J = 0; I < N || J < M;) {
    if (I < N && J < M && KX[I] == KY[J]) {
      Steps.push_back({Op::Same, I++, J++});
    } else if (J < M && (I == N || At(I, J + 1) >= At(I + 1, J))) {
      InsertedY[J] = true;
      Steps.push_back({Op::Inserted, I, J++});
    } else {
      RemovedX[I] = true;
      Steps.push_back({Op::Removed, I++, J});
    }
  }

  // 1. Within one run of differences, a pass removed and a pass of the same
  // name inserted in the same pass manager is a parameter change.
  std::vector<long> PairOfX(N, -1);
  std::vector<bool> PairedX(N, false), PairedY(M, false);
  for (size_t H = 0; H < Steps.size();) {
    if (Steps[H].K == Op::Same) {
      ++H;
      continue;
    }
    size_t End = H;
    while (End < Steps.size() && Steps[End].K != Op::Same)
      ++End;
    for (size_t R = H; R < End; ++R) {
      if (Steps[R].K != Op::Removed)
        continue;
      const FlatPass &Gone = X[Steps[R].I];
      for (size_t Q = H; Q < End; ++Q) {
        size_t J = Steps[Q].J;
        if (Steps[Q].K == Op::Inserted && !PairedY[J] && Y[J].Context == Gone.Context &&
            Y[J].Node->Name == Gone.Node->Name) {
          PairOfX[Steps[R].I] = static_cast<long>(J);
          PairedX[Steps[R].I] = PairedY[J] = true;
          break;
        }
      }
    }
    H = End;
  }
  // 2. What is left, as units; a removed unit and an inserted one with the
  // same context and text are one move (paired one to one).
  Units UX = unitsOf(X, RemovedX, PairedX), UY = unitsOf(Y, InsertedY, PairedY);
  std::map<std::string, std::vector<size_t>> RemovedByKey;
  for (size_t I = N; I-- > 0;)
    if (UX.IsUnit[I])
      RemovedByKey[UX.Key[I]].push_back(I); // back() = first in order
  std::vector<bool> MovedX(N, false), MovedY(M, false);
  for (size_t J = 0; J < M; ++J) {
    if (!UY.IsUnit[J])
      continue;
    auto It = RemovedByKey.find(UY.Key[J]);
    if (It == RemovedByKey.end() || It->second.empty())
      continue;
    MovedX[It->second.back()] = MovedY[J] = true;
    It->second.pop_back();
  }

  // Where an inserted or moved unit lands: before the next pass of its pass
  // manager that is there in both pipelines, or at the manager's end.
  auto Anchor = [&](size_t J) {
    const std::string &Context = Y[J].Context;
    for (size_t K = Y[J].SubtreeEnd; K < M;) {
      if (Y[K].Context != Context)
        break; // left the pass manager
      if (InsertedY[K] && !PairedY[K]) {
        K = Y[K].SubtreeEnd;
        continue;
      }
      return "before " + Y[K].Node->Name + occurrence(Y, K, /*ByText=*/false);
    }
    if (Context.empty())
      return std::string("at the end");
    return "at the end of " + Context.substr(Context.rfind('/') + 1) + "(...)";
  };
  auto Printed = [](const FlatPass &F, bool Whole) { return Whole ? F.Node->str() : F.Text; };

  std::vector<std::string> Lines;
  for (const Step &S : Steps) {
    if (S.K == Op::Removed) {
      const FlatPass &F = X[S.I];
      if (PairOfX[S.I] >= 0)
        Lines.push_back(paramChange(F, Y[static_cast<size_t>(PairOfX[S.I])]) +
                        occurrence(X, S.I, /*ByText=*/true));
      else if (UX.IsUnit[S.I] && !MovedX[S.I])
        Lines.push_back("pipeline: removed " + Printed(F, UX.Whole[S.I]) + where(F) +
                        occurrence(X, S.I, /*ByText=*/true));
    } else if (S.K == Op::Inserted && UY.IsUnit[S.J]) {
      const FlatPass &F = Y[S.J];
      Lines.push_back("pipeline: " + std::string(MovedY[S.J] ? "moved " : "inserted ") +
                      Printed(F, UY.Whole[S.J]) + where(F) + " " + Anchor(S.J));
    }
  }
  if (MaxLines > 0 && Lines.size() > MaxLines) {
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
                                           const O3PipelineSource &O3Pipeline, bool *Computed) {
  std::vector<std::string> Lines;
  if (Computed)
    *Computed = false;
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
  if (Computed)
    *Computed = true;
  auto C = CandidateConfig::parse(compactJson(Best["config_json"]), "tune result best.config_json");
  if (!C)
    return {"(the configuration does not parse: " + C.message() + ")"};
  return describeChanges(*C, O3Pipeline ? O3Pipeline() : std::string());
}

} // namespace autopass
