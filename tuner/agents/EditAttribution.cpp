//===- agents/EditAttribution.cpp - Which edit a compile diff shows --------===//
#include "agents/EditAttribution.hpp"

#include "util/Strings.hpp"

#include <algorithm>

namespace autopass {

namespace {

using Names = std::vector<std::string>;

const Names UnrollPasses = {"LoopUnrollPass", "LoopFullUnrollPass"};
const Names VectorizePasses = {"LoopVectorizePass"};
const Names InlinePasses = {"InlinerPass", "AlwaysInlinerPass"};
const Names InlineRemarks = {"inline", "always-inline"};

/// The passes a knob configures, by name (first match) and else by the
/// catalog's category. Passes empty: program-wide (any pass may change).
struct KnobPasses {
  const char *Prefix;
  Names Passes;
  Names Remarks;
};

const std::vector<KnobPasses> &knobTable() {
  static const std::vector<KnobPasses> Table = {
      {"enable-loopinterchange", {"LoopInterchangePass"}, {"loop-interchange"}},
      {"loop-interchange", {"LoopInterchangePass"}, {"loop-interchange"}},
      {"enable-unroll-and-jam", {"LoopUnrollAndJamPass"}, {"loop-unroll-and-jam"}},
      {"unroll-and-jam", {"LoopUnrollAndJamPass"}, {"loop-unroll-and-jam"}},
      {"enable-loop-distribute", {"LoopDistributePass"}, {"loop-distribute"}},
      {"enable-loop-flatten", {"LoopFlattenPass"}, {"loop-flatten"}},
      {"loop-flatten", {"LoopFlattenPass"}, {"loop-flatten"}},
      {"enable-nontrivial-unswitch", {"SimpleLoopUnswitchPass"}, {"simple-loop-unswitch"}},
      {"unswitch-threshold", {"SimpleLoopUnswitchPass"}, {"simple-loop-unswitch"}},
      {"enable-loop-versioning-licm", {"LoopVersioningLICMPass"}, {"loop-versioning-licm"}},
      {"licm-versioning", {"LoopVersioningLICMPass"}, {"loop-versioning-licm"}},
      {"licm-", {"LICMPass"}, {"licm"}},
      {"enable-gvn-hoist", {"GVNHoistPass"}, {"gvn-hoist"}},
      {"enable-gvn-sink", {"GVNSinkPass"}, {"gvn-sink"}},
      {"enable-dfa-jump-thread", {"DFAJumpThreadingPass"}, {"dfa-jump-threading"}},
      {"enable-merge-functions", {"MergeFunctionsPass"}, {"mergefunc"}},
      {"enable-constraint-elimination", {"ConstraintEliminationPass"}, {"constraint-elimination"}},
      {"jump-threading", {"JumpThreadingPass"}, {"jump-threading"}},
      {"phi-node-folding", {"SimplifyCFGPass"}, {"simplifycfg"}},
      {"two-entry-phi-node-folding", {"SimplifyCFGPass"}, {"simplifycfg"}},
      {"enable-load-pre", {"GVNPass"}, {"gvn"}},
      {"hot-cold-split", {"HotColdSplittingPass"}, {"hotcoldsplit"}},
      {"vectorize-slp", {"SLPVectorizerPass"}, {"slp-vectorizer"}},
      {"slp-", {"SLPVectorizerPass"}, {"slp-vectorizer"}},
      // Adds passes after the vectorizer: anything may change.
      {"extra-vectorizer-passes", {}, {}},
  };
  return Table;
}

void targetKnob(EditTarget &T, const std::string &Name, const KnobSpec *K) {
  if (K && !K->forOpt()) {
    T.Observable = false;
    return;
  }
  for (const KnobPasses &Row : knobTable())
    if (startsWith(Name, Row.Prefix)) {
      T.Passes = Row.Passes;
      T.RemarkPasses = Row.Remarks;
      return;
    }
  std::string Category = K ? K->Category : "";
  if (Category == "unroll") {
    T.Passes = UnrollPasses;
    T.RemarkPasses = {"loop-unroll"};
  } else if (Category == "vectorize") {
    T.Passes = VectorizePasses;
    T.RemarkPasses = {"loop-vectorize"};
  } else if (Category == "inline") {
    T.Passes = InlinePasses;
    T.RemarkPasses = InlineRemarks;
  }
  // Otherwise (polly, knobs the table does not know): program-wide.
}

void targetLoopField(EditTarget &T) {
  if (T.Field == "unroll") {
    T.Passes = UnrollPasses;
    T.RemarkPasses = {"loop-unroll"};
  } else if (T.Field == "unroll_and_jam") {
    T.Passes = {"LoopUnrollAndJamPass"};
    T.RemarkPasses = {"loop-unroll-and-jam"};
  } else if (T.Field == "distribute") {
    T.Passes = {"LoopDistributePass"};
    T.RemarkPasses = {"loop-distribute"};
  } else { // vectorize, vectorize_width, interleave_count
    T.Passes = VectorizePasses;
    T.RemarkPasses = {"loop-vectorize"};
  }
}

std::string functionOfLoop(const std::string &Loop) {
  size_t At = Loop.rfind(":L");
  return At == std::string::npos ? Loop : Loop.substr(0, At);
}

bool contains(const Names &List, const std::string &Name) {
  return std::find(List.begin(), List.end(), Name) != List.end();
}

} // namespace

std::vector<EditTarget> newEdits(const SearchSpace &Space, const SearchPoint &Parent,
                                 const SearchPoint &Candidate) {
  std::set<std::string> ParentAtoms = Space.atoms(Parent);
  std::vector<EditTarget> Out;
  auto add = [&](EditTarget T) {
    std::set<std::string> A = Space.atoms(T.Single);
    if (A.size() != 1 || ParentAtoms.count(*A.begin()))
      return;
    T.Atom = *A.begin();
    Out.push_back(std::move(T));
  };

  for (const auto &[Name, V] : Candidate.Knobs) {
    EditTarget T;
    T.K = EditTarget::Kind::Knob;
    T.Single.Knobs[Name] = V;
    targetKnob(T, Name, Space.catalog().find(Name));
    add(std::move(T));
  }
  for (const std::string &Id : Candidate.Edits) {
    EditTarget T;
    T.K = EditTarget::Kind::PipelineEdit;
    T.Single.Edits.insert(Id);
    add(std::move(T));
  }
  if (Candidate.RawPipeline && Candidate.Edits.empty()) {
    EditTarget T;
    T.K = EditTarget::Kind::PipelineEdit;
    T.Single.RawPipeline = Candidate.RawPipeline;
    add(std::move(T));
  }
  for (const auto &[Loop, H] : Candidate.Loops) {
    auto field = [&, &Loop = Loop](const char *Field, auto Set) {
      EditTarget T;
      T.K = EditTarget::Kind::LoopHint;
      T.Loop = Loop;
      T.Function = functionOfLoop(Loop);
      T.Field = Field;
      Set(T.Single.Loops[Loop]);
      targetLoopField(T);
      add(std::move(T));
    };
    if (H.Unroll)
      field("unroll", [&H = H](LoopHint &S) { S.Unroll = H.Unroll; });
    if (H.Vectorize)
      field("vectorize", [&H = H](LoopHint &S) { S.Vectorize = H.Vectorize; });
    if (H.VectorizeWidth)
      field("vectorize_width", [&H = H](LoopHint &S) { S.VectorizeWidth = H.VectorizeWidth; });
    if (H.InterleaveCount)
      field("interleave_count", [&H = H](LoopHint &S) { S.InterleaveCount = H.InterleaveCount; });
    if (H.Distribute)
      field("distribute", [&H = H](LoopHint &S) { S.Distribute = H.Distribute; });
    if (H.UnrollAndJam)
      field("unroll_and_jam", [&H = H](LoopHint &S) { S.UnrollAndJam = H.UnrollAndJam; });
  }
  for (const auto &[Fn, H] : Candidate.Functions) {
    if (H.Inline) {
      // Inlining a function changes its callers: anywhere.
      EditTarget T;
      T.K = EditTarget::Kind::FunctionHint;
      T.Single.Functions[Fn].Inline = H.Inline;
      T.Passes = InlinePasses;
      T.RemarkPasses = InlineRemarks;
      add(std::move(T));
    }
    if (H.Size) {
      // An optimization-size attribute steers every pass on the function.
      EditTarget T;
      T.K = EditTarget::Kind::FunctionHint;
      T.Single.Functions[Fn].Size = H.Size;
      T.Function = Fn;
      add(std::move(T));
    }
  }
  for (const CallHint &C : Candidate.Calls) {
    EditTarget T;
    T.K = EditTarget::Kind::CallHint;
    T.Single.Calls.push_back(C);
    T.Function = C.Caller;
    T.Passes = InlinePasses;
    T.RemarkPasses = InlineRemarks;
    add(std::move(T));
  }
  return Out;
}

std::vector<std::string> effectsOf(const EditTarget &T, const CompileDiff &D, size_t MaxItems) {
  std::vector<std::string> Items;
  if (!T.Observable)
    return Items;
  auto passMatches = [&](const std::string &Pass) {
    return T.Passes.empty() || contains(T.Passes, Pass);
  };
  for (const FunctionPassDelta &R : D.Functions)
    if ((T.Function.empty() || R.Function == T.Function) && passMatches(R.Pass))
      Items.push_back(R.str());
  // Module passes (and SCC passes whose units name no function) show only
  // in the program's summary.
  if (Items.empty() && T.Function.empty())
    for (const PassSummaryDelta &S : D.Passes)
      if (passMatches(S.Pass))
        Items.push_back(std::string(trim(renderSummaryDiff({S}, 1))) + " (program)");
  for (const RemarkChange &C : D.Remarks)
    if ((T.Function.empty() || C.Function == T.Function) &&
        (T.RemarkPasses.empty() || contains(T.RemarkPasses, C.Pass)))
      Items.push_back(C.Function + ": " + C.Text);
  if (Items.size() > MaxItems) {
    size_t More = Items.size() - MaxItems;
    Items.resize(MaxItems);
    Items.push_back("and " + std::to_string(More) + " more");
  }
  return Items;
}

std::vector<const TransformWarning *> warningsAbout(const EditTarget &T, const CompileDiff &D) {
  std::vector<const TransformWarning *> Out;
  if (T.K != EditTarget::Kind::LoopHint)
    return Out;
  Names Accepted;
  if (T.Field == "unroll")
    Accepted = {"unroll"};
  else if (T.Field == "unroll_and_jam")
    Accepted = {"unroll-and-jam"};
  else if (T.Field == "distribute")
    Accepted = {"distribute"};
  else if (T.Field == "interleave_count")
    Accepted = {"vectorize", "interleave"};
  else
    Accepted = {"vectorize"};
  auto LoopLines = D.LoopLines.find(T.Loop);
  auto aboutHintedLoop = [&](const TransformWarning &W) {
    if (!W.Loop.empty())
      return W.Loop == T.Loop;
    if (W.Function != T.Function)
      return false;
    if (LoopLines == D.LoopLines.end() || !W.Loc)
      return true; // the function is all that is known
    return LoopLines->second.contains(W.Loc->Line);
  };
  for (const TransformWarning &W : D.Warnings)
    if (aboutHintedLoop(W) &&
        (W.Transformation.empty() || contains(Accepted, W.Transformation)))
      Out.push_back(&W);
  return Out;
}

std::string attributionGap(const EditTarget &T, const CompileDiff &D) {
  if (!T.Observable || T.Function.empty())
    return "";
  if (!D.SourceMapped)
    return "the evidence has no source locations, so code of " + T.Function +
           " inlined into other functions cannot be told apart";
  if (!D.CoveredFunctions.count(T.Function))
    return "no pass record covers " + T.Function;
  return "";
}

} // namespace autopass
