//===- evidence/CompileDiff.cpp - A candidate's compilation vs its parent's -===//
#include "evidence/CompileDiff.hpp"

#include "evidence/SourceMap.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <tuple>

namespace autopass {

namespace {

std::string signedText(int64_t V) { return (V > 0 ? "+" : "") + std::to_string(V); }

/// The functions a record is about: the function itself, a loop's function,
/// every function of an SCC "(f, g)". Module records are program-wide.
std::vector<std::string> functionsOf(const PassRecord &R) {
  if (R.UnitKind == "function")
    return {R.Unit};
  if (R.UnitKind == "loop") {
    size_t At = R.Unit.find(":L@");
    if (At == std::string::npos)
      At = R.Unit.rfind(":L");
    if (At == std::string::npos || At == 0)
      return {};
    return {R.Unit.substr(0, At)};
  }
  if (R.UnitKind == "cgscc") {
    std::string_view Text = trim(R.Unit);
    if (Text.size() >= 2 && Text.front() == '(' && Text.back() == ')')
      Text = Text.substr(1, Text.size() - 2);
    std::vector<std::string> Out;
    for (const std::string &Part : split(Text, ','))
      if (std::string_view F = trim(Part); !F.empty())
        Out.emplace_back(F);
    return Out;
  }
  return {};
}

using FunctionPassKey = std::pair<std::string, std::string>; // function, pass

/// Adds R to the effects of the source functions it is about: each source
/// function's part of a unit holding inlined code; a loop's source
/// function; else the functions the unit names.
void addRecord(const PassRecord &R, std::map<FunctionPassKey, FunctionPassEffect> &Out) {
  auto add = [&](const std::string &F, bool Changed, int64_t Delta) {
    FunctionPassEffect &E = Out[{F, R.Pass}];
    E.Pass = R.Pass;
    ++E.Runs;
    E.ChangedRuns += Changed ? 1 : 0;
    E.InstructionDelta += Delta;
  };
  if (!R.Sources.empty()) {
    for (const SourceCount &S : R.Sources)
      add(S.Function, S.Changed, S.InstructionsAfter - S.InstructionsBefore);
    return;
  }
  if (R.Source && !R.Source->Function.empty()) {
    add(R.Source->Function, R.Changed, R.instructionDelta());
    return;
  }
  for (const std::string &F : functionsOf(R))
    add(F, R.Changed, R.instructionDelta());
}

std::map<FunctionPassKey, FunctionPassEffect> perFunction(const std::vector<PassRecord> &Records) {
  std::map<FunctionPassKey, FunctionPassEffect> Out;
  for (const PassRecord &R : Records)
    addRecord(R, Out);
  return Out;
}

std::vector<FunctionPassDelta> diffFunctions(const std::vector<PassRecord> &Parent,
                                             const std::vector<PassRecord> &Candidate) {
  std::map<FunctionPassKey, FunctionPassDelta> Rows;
  for (auto &[Key, E] : perFunction(Parent)) {
    FunctionPassDelta &D = Rows[Key];
    D.Function = Key.first;
    D.Pass = Key.second;
    D.Parent = E;
  }
  for (auto &[Key, E] : perFunction(Candidate)) {
    FunctionPassDelta &D = Rows[Key];
    D.Function = Key.first;
    D.Pass = Key.second;
    D.Candidate = E;
  }
  std::vector<FunctionPassDelta> Out;
  for (auto &[Key, D] : Rows)
    if (D.runsDelta() || D.changedRunsDelta() || D.instructionDeltaDifference())
      Out.push_back(std::move(D));
  std::stable_sort(Out.begin(), Out.end(), [](const auto &A, const auto &B) {
    int64_t AI = std::llabs(A.instructionDeltaDifference());
    int64_t BI = std::llabs(B.instructionDeltaDifference());
    if (AI != BI)
      return AI > BI;
    return std::llabs(A.changedRunsDelta()) > std::llabs(B.changedRunsDelta());
  });
  return Out;
}

std::string locText(const std::optional<SourceLocation> &Loc) {
  return Loc ? Loc->File + ":" + std::to_string(Loc->Line) : std::string("unknown location");
}

std::string vectorizeState(const VectorizeDecision *V) {
  if (!V)
    return "no vectorizer remark";
  std::string IC = V->InterleaveCount ? std::to_string(*V->InterleaveCount) : "?";
  if (V->Vectorized)
    return "vectorized width " + (V->Width ? std::to_string(*V->Width) : std::string("?")) +
           ", interleave " + IC;
  if (V->Interleaved)
    return "interleaved " + IC + ", not vectorized";
  return V->Reasons.empty() ? "not vectorized" : "not vectorized (" + V->Reasons.front() + ")";
}

bool sameVerdict(const VectorizeDecision *A, const VectorizeDecision *B) {
  if (!A || !B)
    return A == B;
  return A->Vectorized == B->Vectorized && A->Interleaved == B->Interleaved &&
         A->Width == B->Width && A->InterleaveCount == B->InterleaveCount;
}

/// The source function of a remark under IR function Fn at Loc: the one
/// whose source lines hold Loc, else Fn itself.
struct SourceFunctionOf {
  const SourceMap &Map;
  std::string operator()(const std::string &Fn, const std::optional<SourceLocation> &Loc) const {
    if (Loc && Loc->Line)
      if (std::string S = Map.functionAt(*Loc); !S.empty())
        return S;
    return Fn;
  }
};

/// The remarks of a parent or candidate compilation, with its source map.
struct RemarkSide {
  const RemarkDigest &Remarks;
  SourceFunctionOf Source;
};

void diffVectorization(const RemarkSide &P, const RemarkSide &C, std::vector<RemarkChange> &Out) {
  using Key = std::tuple<std::string, std::string, unsigned, unsigned>;
  auto keyOf = [](const RemarkSide &S, const VectorizeDecision &V) {
    return Key(S.Source(V.Function, V.Loc), V.Loc ? V.Loc->File : "", V.Loc ? V.Loc->Line : 0u,
               V.Loc ? V.Loc->Column : 0u);
  };
  std::map<Key, std::pair<const VectorizeDecision *, const VectorizeDecision *>> Loops;
  for (const VectorizeDecision &V : P.Remarks.Vectorization)
    Loops[keyOf(P, V)].first = &V;
  for (const VectorizeDecision &V : C.Remarks.Vectorization)
    Loops[keyOf(C, V)].second = &V;
  for (const auto &[K, Pair] : Loops) {
    if (sameVerdict(Pair.first, Pair.second))
      continue;
    const VectorizeDecision *Any = Pair.second ? Pair.second : Pair.first;
    Out.push_back({std::get<0>(K), "loop-vectorize",
                   "loop at " + locText(Any->Loc) + ": " + vectorizeState(Pair.first) + " -> " +
                       vectorizeState(Pair.second)});
  }
}

void diffInlining(const RemarkSide &P, const RemarkSide &C, std::vector<RemarkChange> &Out) {
  struct Sites {
    int64_t Inlined = 0, NotInlined = 0;
    bool operator==(const Sites &O) const {
      return Inlined == O.Inlined && NotInlined == O.NotInlined;
    }
  };
  std::map<std::pair<std::string, std::string>, std::pair<Sites, Sites>> Calls;
  auto count = [](const InlineDecision &I, Sites &S) {
    (I.Inlined ? S.Inlined : S.NotInlined) += I.Count;
  };
  // The caller is the source function the call was written in.
  for (const InlineDecision &I : P.Remarks.Inlining)
    count(I, Calls[{P.Source(I.Caller, I.Loc), I.Callee}].first);
  for (const InlineDecision &I : C.Remarks.Inlining)
    count(I, Calls[{C.Source(I.Caller, I.Loc), I.Callee}].second);
  auto text = [](const Sites &S) {
    return "inlined " + std::to_string(S.Inlined) + ", not inlined " + std::to_string(S.NotInlined);
  };
  for (const auto &[Call, Pair] : Calls)
    if (!(Pair.first == Pair.second))
      Out.push_back(
          {Call.first, "inline",
           "calls to " + Call.second + ": " + text(Pair.first) + " -> " + text(Pair.second)});
}

void diffHighlights(const RemarkSide &P, const RemarkSide &C, std::vector<RemarkChange> &Out) {
  // Counted per pass, remark name and function: the messages carry numbers
  // (unroll factors, hoisted values) that differ between any two builds.
  using Key = std::tuple<std::string, std::string, std::string, int>; // fn, pass, name, kind
  struct Counts {
    int64_t Parent = 0, Candidate = 0;
    std::string Example;
  };
  std::map<Key, Counts> Rows;
  for (const RemarkHighlight &H : P.Remarks.Highlights) {
    Counts &R = Rows[{P.Source(H.Function, H.Loc), H.Pass, H.Name, static_cast<int>(H.Kind)}];
    R.Parent += H.Count;
    if (R.Example.empty())
      R.Example = H.Message;
  }
  for (const RemarkHighlight &H : C.Remarks.Highlights) {
    Counts &R = Rows[{C.Source(H.Function, H.Loc), H.Pass, H.Name, static_cast<int>(H.Kind)}];
    R.Candidate += H.Count;
    R.Example = H.Message; // the candidate's wording is the one that matters
  }
  for (const auto &[K, R] : Rows) {
    if (R.Parent == R.Candidate)
      continue;
    const auto &[Fn, Pass, Name, Kind] = K;
    Out.push_back({Fn, Pass,
                   Pass + " " + Name + " (" +
                       std::string(remarkKindName(static_cast<RemarkKind>(Kind))) +
                       "): " + std::to_string(R.Parent) + " -> " + std::to_string(R.Candidate) +
                       " (\"" + R.Example.substr(0, 100) + "\")"});
  }
}

std::string transformationOf(const RemarkHighlight &F) {
  static const std::pair<const char *, const char *> ByName[] = {
      {"FailedRequestedUnrollAndJamming", "unroll-and-jam"},
      {"FailedRequestedUnrolling", "unroll"},
      {"FailedRequestedVectorization", "vectorize"},
      {"FailedRequestedInterleaving", "interleave"},
      {"FailedRequestedDistribution", "distribute"}};
  for (const auto &[Name, T] : ByName)
    if (F.Name == Name)
      return T;
  static const std::pair<const char *, const char *> ByMessage[] = {
      {"loop not unroll-and-jammed", "unroll-and-jam"},
      {"loop not unrolled", "unroll"},
      {"loop not vectorized", "vectorize"},
      {"loop not interleaved", "interleave"},
      {"loop not distributed", "distribute"}};
  for (const auto &[Prefix, T] : ByMessage)
    if (startsWith(F.Message, Prefix))
      return T;
  return "";
}

} // namespace

std::string FunctionPassDelta::str() const {
  std::string Out = Pass + " in " + Function + ": ";
  std::vector<std::string> Parts;
  if (runsDelta())
    Parts.push_back("runs " + std::to_string(Parent.Runs) + "->" + std::to_string(Candidate.Runs));
  if (changedRunsDelta())
    Parts.push_back("changed " + std::to_string(Parent.ChangedRuns) + "->" +
                    std::to_string(Candidate.ChangedRuns));
  if (instructionDeltaDifference())
    Parts.push_back("instr delta " + signedText(Parent.InstructionDelta) + "->" +
                    signedText(Candidate.InstructionDelta) + " (" +
                    signedText(instructionDeltaDifference()) + ")");
  return Out + join(Parts, ", ");
}

std::string TransformWarning::str() const {
  std::string Where = Loop.empty() ? Function : Loop;
  std::vector<std::string> About;
  if (Loc)
    About.push_back(Loc->str());
  if (!InlinedInto.empty())
    About.push_back("inlined into " + InlinedInto);
  if (!About.empty())
    Where += " (" + join(About, ", ") + ")";
  return Where + ": " + Message;
}

bool CompileDiff::instructionsDifferIn(std::string_view Function) const {
  return std::any_of(Functions.begin(), Functions.end(), [&](const FunctionPassDelta &D) {
    return D.Function == Function && D.instructionDeltaDifference() != 0;
  });
}

bool CompileDiff::instructionsDiffer() const {
  return std::any_of(Passes.begin(), Passes.end(),
                     [](const PassSummaryDelta &D) { return D.instructionDeltaDifference() != 0; });
}

std::string CompileDiff::render(size_t MaxRows) const {
  std::string Out;
  if (empty())
    Out += "no pass or remark differs\n";
  if (!Passes.empty())
    Out += "passes (program):\n" + renderSummaryDiff(Passes, MaxRows);
  if (!Functions.empty()) {
    Out += "passes per function:\n";
    for (size_t I = 0; I < Functions.size() && I < MaxRows; ++I)
      Out += Functions[I].str() + "\n";
    if (Functions.size() > MaxRows)
      Out += "[... " + std::to_string(Functions.size() - MaxRows) + " more]\n";
  }
  if (!Remarks.empty()) {
    Out += "remarks:\n";
    for (size_t I = 0; I < Remarks.size() && I < MaxRows; ++I)
      Out += Remarks[I].Function + ": " + Remarks[I].Text + "\n";
    if (Remarks.size() > MaxRows)
      Out += "[... " + std::to_string(Remarks.size() - MaxRows) + " more]\n";
  }
  if (!Warnings.empty()) {
    Out += "transform warnings (candidate):\n";
    for (size_t I = 0; I < Warnings.size() && I < MaxRows; ++I)
      Out += Warnings[I].str() + "\n";
  }
  return Out;
}

namespace {

/// Whether the evidence maps code to source functions: the features carry
/// source lines, and loop records (if any) their source location.
bool mapsSources(const SourceMap &Map, const std::vector<PassRecord> &Records) {
  if (!Map.hasLines())
    return false;
  bool AnyLoop = false;
  for (const PassRecord &R : Records) {
    if (R.Source || !R.Sources.empty())
      return true;
    AnyLoop |= R.UnitKind == "loop";
  }
  return !AnyLoop;
}

TransformWarning transformWarning(const RemarkHighlight &F, const SourceMap &Map) {
  TransformWarning W;
  W.Function = SourceFunctionOf{Map}(F.Function, F.Loc);
  if (W.Function != F.Function)
    W.InlinedInto = F.Function;
  W.Loc = F.Loc;
  if (F.Loc && F.Loc->Line) {
    W.Loop = Map.loopHeadedAt(W.Function, F.Loc->Line);
    W.EnclosingLoops = Map.loopsContaining(W.Function, F.Loc->Line);
  }
  W.Transformation = transformationOf(F);
  W.Message = F.Message;
  return W;
}

} // namespace

CompileDiff diffCompilations(const EvidenceInputs &Parent, const EvidenceInputs &Candidate) {
  CompileDiff D;
  D.Passes = diffSummaries(Parent.PassSummaries, Candidate.PassSummaries);
  D.Functions = diffFunctions(Parent.PassRecords, Candidate.PassRecords);
  // The plugin's own elements (autopass::HintsPass writes a candidate's
  // hints as metadata) run only where there are hints and change no code.
  auto isOwn = [](const auto &Row) { return startsWith(Row.Pass, "autopass::"); };
  D.Passes.erase(std::remove_if(D.Passes.begin(), D.Passes.end(), isOwn), D.Passes.end());
  D.Functions.erase(std::remove_if(D.Functions.begin(), D.Functions.end(), isOwn),
                    D.Functions.end());
  SourceMap ParentMap(Parent.Features), CandidateMap(Candidate.Features);
  D.SourceMapped = mapsSources(CandidateMap, Candidate.PassRecords);
  for (const auto &[Key, E] : perFunction(Candidate.PassRecords))
    D.CoveredFunctions.insert(Key.first);
  for (const ModuleFeatures &M : Candidate.Features)
    for (const FunctionFeatures &F : M.Functions)
      for (const LoopFeatures &L : F.Loops)
        if (L.SourceLines)
          D.LoopLines[L.Name] = *L.SourceLines;

  static const RemarkDigest NoRemarks{};
  RemarkSide P{Parent.Remarks ? *Parent.Remarks : NoRemarks, {ParentMap}};
  RemarkSide C{Candidate.Remarks ? *Candidate.Remarks : NoRemarks, {CandidateMap}};
  diffVectorization(P, C, D.Remarks);
  diffInlining(P, C, D.Remarks);
  diffHighlights(P, C, D.Remarks);
  for (const RemarkHighlight &F : C.Remarks.Failures)
    if (F.Pass == "transform-warning")
      D.Warnings.push_back(transformWarning(F, CandidateMap));
  return D;
}

} // namespace autopass
