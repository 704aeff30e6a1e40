//===- agents/ExpertRules.cpp - The expert's rules, as a table ------------===//
//
// Each rule states what it looks at (the predicate), why the edit it
// proposes can pay off (the rationale), and how confident a performance
// engineer would be (the prior). The table at the end lists them in the
// order their ideas are tried on ties.
//
//===----------------------------------------------------------------------===//

#include "agents/ExpertRules.hpp"

#include <algorithm>
#include <sstream>

namespace autopass {

namespace {

std::string percent(double W) {
  std::ostringstream S;
  S.precision(3);
  S << W * 100 << "%";
  return S.str();
}

bool anyReasonContains(const VectorizeDecision &V, std::initializer_list<const char *> Needles) {
  for (const std::string &Reason : V.Reasons)
    for (const char *N : Needles)
      if (Reason.find(N) != std::string::npos)
        return true;
  return false;
}

/// The weight used for ranking: the profile's, or an even share when the
/// digest has no profile (every region then counts the same).
double weightOf(const HotRegion &R, size_t RegionCount) {
  if (R.Weight)
    return *R.Weight;
  return RegionCount ? 1.0 / static_cast<double>(RegionCount) : 0.0;
}

RuleEdit loopEdit(const RuleInput &In, std::string Id, std::string Why, LoopHint H) {
  RuleEdit E{std::move(Id), std::move(Why), {}};
  E.Delta.Loops[In.loop().Name] = H;
  return E;
}

RuleEdit knobEdit(std::string Id, std::string Why, const std::string &Knob, KnobValue V) {
  RuleEdit E{std::move(Id), std::move(Why), {}};
  E.Delta.Knobs[Knob] = std::move(V);
  return E;
}

bool refusedFor(const RuleInput &In, std::initializer_list<const char *> Reasons) {
  const VectorizeDecision *V = In.vectorization();
  return In.loop().Innermost && V && !V->Vectorized && anyReasonContains(*V, Reasons);
}

// --- Innermost loops the vectorizer refused --------------------------------

bool costRefused(const RuleInput &In) {
  return refusedFor(In, {"not beneficial", "cost-model", "cost model"});
}

std::vector<RuleEdit> forcedWidth(const RuleInput &In) {
  LoopHint H;
  H.Vectorize = true;
  H.VectorizeWidth = 4;
  return {loopEdit(In, "vec-width:" + In.loop().Name + "=4",
                   "the loop vectorizer's cost model refused this loop; a forced width "
                   "lets the measurement decide",
                   H)};
}

std::vector<RuleEdit> forcedWideWidth(const RuleInput &In) {
  LoopHint H;
  H.Vectorize = true;
  H.VectorizeWidth = 8;
  H.InterleaveCount = 2;
  return {loopEdit(In, "vec-width:" + In.loop().Name + "=8x2",
                   "cost model refused vectorization; try a wider vector with interleaving", H)};
}

bool fpOrderRefused(const RuleInput &In) { return refusedFor(In, {"reorder floating-point"}); }

// A floating-point reduction: -O3 keeps the source's order of the additions.
// A vectorize hint on the loop lets the vectorizer reassociate it (as
// `#pragma clang loop vectorize(enable)` does); the program's output check
// decides whether the rounding differences are acceptable.
std::vector<RuleEdit> fpReorder(const RuleInput &In) {
  LoopHint H;
  H.Vectorize = true;
  H.VectorizeWidth = 2;
  return {loopEdit(In, "vec-fp-reorder:" + In.loop().Name + "=2",
                   "vectorization needs the floating-point operations reordered, which -O3 "
                   "does not allow; a vectorize hint on this loop allows it (the output check "
                   "judges the rounding)",
                   H)};
}

std::vector<RuleEdit> fpReorderWide(const RuleInput &In) {
  LoopHint H;
  H.Vectorize = true;
  H.VectorizeWidth = 4;
  return {loopEdit(In, "vec-fp-reorder:" + In.loop().Name + "=4",
                   "reordered floating-point vectorization at width 4", H)};
}

bool dependenceRefused(const RuleInput &In) {
  return refusedFor(In, {"unsafe dependent", "dependence"});
}

std::vector<RuleEdit> distribute(const RuleInput &In) {
  LoopHint H;
  H.Distribute = true;
  return {loopEdit(In, "distribute:" + In.loop().Name,
                   "vectorization failed on a memory dependence; distributing the loop can "
                   "isolate the dependent part so the rest vectorizes",
                   H)};
}

bool checksRefused(const RuleInput &In) {
  return refusedFor(In, {"runtime pointer checks", "array bounds", "too many"});
}

std::vector<RuleEdit> moreChecks(const RuleInput &) {
  return {knobEdit("knob:runtime-memory-check-threshold=64",
                   "the vectorizer gave up on runtime alias checks; allow more",
                   "runtime-memory-check-threshold", int64_t(64))};
}

// --- Innermost loops the vectorizer vectorized -----------------------------

bool vectorizedLowInterleave(const RuleInput &In) {
  return In.loop().Innermost && In.vectorized() &&
         In.vectorization()->InterleaveCount.value_or(1) <= 2;
}

std::vector<RuleEdit> moreInterleave(const RuleInput &In) {
  LoopHint H;
  H.InterleaveCount = 4;
  return {loopEdit(In, "interleave:" + In.loop().Name + "=4",
                   "vectorized with interleave " +
                       std::to_string(In.vectorization()->InterleaveCount.value_or(1)) +
                       "; more interleaving hides the latency of a loop-carried chain",
                   H)};
}

bool vectorizedNarrow(const RuleInput &In) {
  const VectorizeDecision *V = In.vectorization();
  return In.loop().Innermost && In.vectorized() && V->Width && *V->Width < 16;
}

std::vector<RuleEdit> wider(const RuleInput &In) {
  int64_t Width = *In.vectorization()->Width;
  LoopHint H;
  H.Vectorize = true;
  H.VectorizeWidth = Width * 2;
  return {loopEdit(In, "vec-width:" + In.loop().Name + "=" + std::to_string(Width * 2),
                   "vectorized at width " + std::to_string(Width) +
                       "; a wider vector may pay off on this target",
                   H)};
}

// --- Innermost loops: unrolling and strides --------------------------------

bool smallConstantTrip(const LoopFeatures &L) {
  return L.Trip.Kind == TripCountKind::Constant && L.Trip.Value && *L.Trip.Value > 1 &&
         *L.Trip.Value <= 32 && *L.Trip.Value * std::max<int64_t>(L.Instructions, 1) <= 1200;
}

bool smallConstantTripLoop(const RuleInput &In) {
  return In.loop().Innermost && smallConstantTrip(In.loop());
}

std::vector<RuleEdit> fullUnroll(const RuleInput &In) {
  LoopHint H;
  H.Unroll = std::string("full");
  return {loopEdit(In, "unroll:" + In.loop().Name + "=full",
                   "constant trip count " + std::to_string(*In.loop().Trip.Value) +
                       " and a small body: full unrolling removes the loop overhead",
                   H)};
}

bool smallScalarBody(const RuleInput &In) {
  const LoopFeatures &L = In.loop();
  return L.Innermost && !smallConstantTrip(L) && !In.vectorized() && L.Instructions > 0 &&
         L.Instructions <= 40;
}

std::vector<RuleEdit> unroll4(const RuleInput &In) {
  LoopHint H;
  H.Unroll = int64_t(4);
  return {loopEdit(In, "unroll:" + In.loop().Name + "=4",
                   "a small scalar body (" + std::to_string(In.loop().Instructions) +
                       " instructions) that was not vectorized: unrolling exposes "
                       "instruction-level parallelism",
                   H)};
}

bool stridedInnermost(const RuleInput &In) {
  return In.loop().Innermost && In.loop().Accesses.ConstantStride > 0;
}

std::vector<RuleEdit> interleavedAccesses(const RuleInput &In) {
  return {knobEdit("knob:enable-interleaved-mem-accesses",
                   std::to_string(In.loop().Accesses.ConstantStride) +
                       " constant-stride accesses; interleaved access groups vectorize them "
                       "as wide loads and shuffles",
                   "enable-interleaved-mem-accesses", true)};
}

// --- Outer loops and nests --------------------------------------------------

struct Nest {
  MemoryAccesses Acc;
  int64_t Levels = 0;
};

Nest nestOf(const RuleInput &In) {
  Nest N;
  int64_t Deepest = In.loop().Depth;
  In.Forest.nestStats(In.loop(), N.Acc, Deepest);
  N.Levels = Deepest - In.loop().Depth + 1;
  return N;
}

/// An outermost loop with at least one loop nested in it.
bool outermostNest(const RuleInput &In) {
  return !In.loop().Innermost && !In.loop().Parent && nestOf(In).Levels >= 2;
}

bool stridedNest(const RuleInput &In) {
  return outermostNest(In) && nestOf(In).Acc.ConstantStride > 0;
}

std::vector<RuleEdit> interchange(const RuleInput &In) {
  Nest N = nestOf(In);
  return {knobEdit("knob:enable-loopinterchange",
                   "a " + std::to_string(N.Levels) + "-deep nest with " +
                       std::to_string(N.Acc.ConstantStride) +
                       " constant-stride accesses; interchange can make the inner loop "
                       "walk memory contiguously",
                   "enable-loopinterchange", true)};
}

bool pollyCandidate(const Nest &N) { return N.Acc.Irregular == 0 || N.Levels >= 3; }
bool pollyLikely(const Nest &N) { return N.Acc.ConstantStride > 0 || N.Levels >= 3; }

bool affineNest(const RuleInput &In) {
  return outermostNest(In) && pollyCandidate(nestOf(In)) && pollyLikely(nestOf(In));
}

bool shallowAffineNest(const RuleInput &In) {
  return outermostNest(In) && pollyCandidate(nestOf(In)) && !pollyLikely(nestOf(In));
}

// At its default place, before the vectorizer, Polly left bench/ matmul's
// nest as it was (0.999x); placed early it tiled it (3.28x [2.99, 3.44]);
// neutral on lu, stencil2d and spmv.
std::vector<RuleEdit> pollyEarly(const RuleInput &In) {
  Nest N = nestOf(In);
  RuleEdit E{"knob:polly",
             "a " + std::to_string(N.Levels) + "-deep nest with " +
                 std::to_string(N.Acc.Irregular) +
                 " irregular accesses; Polly can tile and reorder affine nests "
                 "for locality (run early, before inlining and LICM reshape the "
                 "nest)",
             {}};
  E.Delta.Knobs["polly"] = true;
  E.Delta.Knobs["polly-position"] = std::string("early");
  return {E};
}

bool outerOfSmallInner(const RuleInput &In) {
  if (In.loop().Innermost)
    return false;
  std::vector<const LoopFeatures *> Inner = In.Forest.childrenOf(In.loop().Name);
  return Inner.size() == 1 && Inner.front()->Innermost && Inner.front()->Instructions > 0 &&
         Inner.front()->Instructions <= 60;
}

std::vector<RuleEdit> unrollAndJam(const RuleInput &In) {
  const LoopFeatures &Inner = *In.Forest.childrenOf(In.loop().Name).front();
  RuleEdit E{"unroll-and-jam:" + In.loop().Name + "=2",
             "the inner loop " + Inner.Name + " has a small body (" +
                 std::to_string(Inner.Instructions) +
                 " instructions); unroll-and-jam reuses loads across outer iterations",
             {}};
  E.Delta.Knobs["enable-unroll-and-jam"] = true;
  LoopHint H;
  H.UnrollAndJam = int64_t(2);
  E.Delta.Loops[In.loop().Name] = H;
  return {E};
}

// --- Functions --------------------------------------------------------------

/// Calls the inliner refused by a margin: cost within 4x the threshold.
std::vector<const InlineDecision *> narrowlyMissedCalls(const RuleInput &In) {
  std::vector<const InlineDecision *> Out;
  for (const InlineDecision &D : In.Region.Inlining) {
    if (D.Inlined || !D.Cost || !D.Threshold || D.Callee.empty() || D.Caller.empty())
      continue;
    if (*D.Cost <= 4 * std::max<int64_t>(*D.Threshold, 25))
      Out.push_back(&D);
  }
  return Out;
}

bool missedInlineMargin(const RuleInput &In) { return !narrowlyMissedCalls(In).empty(); }

std::vector<RuleEdit> inlineCall(const RuleInput &In) {
  std::vector<RuleEdit> Out;
  for (const InlineDecision *D : narrowlyMissedCalls(In)) {
    RuleEdit E{"inline-call:" + D->Caller + "->" + D->Callee,
               "the call to " + D->Callee + " was not inlined (cost " + std::to_string(*D->Cost) +
                   " vs threshold " + std::to_string(*D->Threshold) +
                   "); inlining removes the call and lets the caller's loops optimize "
                   "across it",
               {}};
    E.Delta.Calls.push_back(CallHint{D->Caller, D->Callee, std::nullopt, "always"});
    Out.push_back(std::move(E));
  }
  return Out;
}

std::vector<RuleEdit> raiseInlineThreshold(const RuleInput &In) {
  std::vector<RuleEdit> Out;
  for (const InlineDecision *D : narrowlyMissedCalls(In)) {
    int64_t Raised = ((*D->Cost + 25 + 24) / 25) * 25;
    Out.push_back(knobEdit("knob:inline-threshold=" + std::to_string(Raised),
                           "calls missed inlining by a margin (cost " + std::to_string(*D->Cost) +
                               "); a threshold of " + std::to_string(Raised) +
                               " admits them everywhere",
                           "inline-threshold", Raised));
  }
  return Out;
}

double branchShare(const FunctionFeatures &F) {
  return static_cast<double>(F.Mix.Branch) / static_cast<double>(F.Instructions);
}

bool branchyFunction(const RuleInput &In) {
  const std::optional<FunctionFeatures> &F = In.Region.FnFeatures;
  return F && F->Instructions > 0 && branchShare(*F) >= 0.15 && F->Blocks >= 16;
}

std::vector<RuleEdit> dfaJumpThreading(const RuleInput &In) {
  const FunctionFeatures &F = *In.Region.FnFeatures;
  return {knobEdit("knob:enable-dfa-jump-thread",
                   percent(branchShare(F)) + " of its " + std::to_string(F.Instructions) +
                       " instructions are branches across " + std::to_string(F.Blocks) +
                       " blocks; jump threading through state switches removes "
                       "unpredictable dispatch",
                   "enable-dfa-jump-thread", true)};
}

} // namespace

LoopForest::LoopForest(const EvidenceDigest &Digest) {
  for (const HotRegion &R : Digest.Regions)
    if (R.Kind == RegionKind::Loop && R.Loop)
      Loops[R.Loop->Name] = &*R.Loop;
}

std::vector<const LoopFeatures *> LoopForest::childrenOf(const std::string &Loop) const {
  std::vector<const LoopFeatures *> Out;
  for (const auto &[N, L] : Loops)
    if (L->Parent && *L->Parent == Loop)
      Out.push_back(L);
  return Out;
}

void LoopForest::nestStats(const LoopFeatures &L, MemoryAccesses &Acc, int64_t &MaxDepth) const {
  Acc.ConstantStride += L.Accesses.ConstantStride;
  Acc.Irregular += L.Accesses.Irregular;
  Acc.UnitStride += L.Accesses.UnitStride;
  MaxDepth = std::max(MaxDepth, L.Depth);
  for (const LoopFeatures *C : childrenOf(L.Name))
    nestStats(*C, Acc, MaxDepth);
}

const VectorizeDecision *RuleInput::vectorization() const {
  return Region.Vectorization.empty() ? nullptr : &Region.Vectorization.front();
}

bool RuleInput::vectorized() const {
  const VectorizeDecision *V = vectorization();
  return V && V->Vectorized;
}

const std::vector<ExpertRule> &expertRules() {
  using K = RegionKind;
  static const std::vector<ExpertRule> Rules = {
      // name, regions, predicate, edit, prior
      {"missed-vectorization-cost", K::Loop, costRefused, forcedWidth, 0.9},
      {"missed-vectorization-cost-wide", K::Loop, costRefused, forcedWideWidth, 0.7},
      {"missed-vectorization-fp-order", K::Loop, fpOrderRefused, fpReorder, 0.85},
      {"missed-vectorization-fp-order-wide", K::Loop, fpOrderRefused, fpReorderWide, 0.6},
      {"missed-vectorization-dependence", K::Loop, dependenceRefused, distribute, 0.5},
      {"missed-vectorization-checks", K::Loop, checksRefused, moreChecks, 0.5},
      {"vectorized-latency-bound", K::Loop, vectorizedLowInterleave, moreInterleave, 0.6},
      {"vectorized-wider", K::Loop, vectorizedNarrow, wider, 0.35},
      {"small-constant-trip", K::Loop, smallConstantTripLoop, fullUnroll, 0.5},
      {"small-scalar-body", K::Loop, smallScalarBody, unroll4, 0.4},
      {"strided-accesses", K::Loop, stridedInnermost, interleavedAccesses, 0.35},
      {"strided-nest", K::Loop, stridedNest, interchange, 0.8},
      {"affine-nest", K::Loop, affineNest, pollyEarly, 0.85},
      {"affine-nest-shallow", K::Loop, shallowAffineNest, pollyEarly, 0.5},
      {"outer-of-small-inner", K::Loop, outerOfSmallInner, unrollAndJam, 0.45},
      {"missed-inline-margin", K::Function, missedInlineMargin, inlineCall, 0.7},
      {"missed-inline-threshold", K::Function, missedInlineMargin, raiseInlineThreshold, 0.35},
      {"branchy-hot-function", K::Function, branchyFunction, dfaJumpThreading, 0.4},
  };
  return Rules;
}

const ExpertRule *findExpertRule(const std::string &Name) {
  for (const ExpertRule &R : expertRules())
    if (Name == R.Name)
      return &R;
  return nullptr;
}

std::vector<RuleIdea> deriveRuleIdeas(const EvidenceDigest &Digest,
                                      const std::vector<const ExpertRule *> &Rules,
                                      const RuleOptions &Options) {
  LoopForest Forest(Digest);
  std::vector<RuleIdea> Out;
  size_t Considered = 0;
  const size_t RegionCount = Digest.Regions.size();
  for (const HotRegion &R : Digest.Regions) {
    double W = weightOf(R, RegionCount);
    if (R.Weight && W < Options.MinWeight)
      continue;
    if (Considered++ >= Options.MaxRegions)
      break;
    if (R.Kind == RegionKind::Loop && !R.Loop)
      continue; // a loop without features: nothing to read
    RuleInput In{R, R.Name + " (" + percent(W) + " of the profile)", Forest};
    for (const ExpertRule *Rule : Rules) {
      if (Rule->Kind != R.Kind || !Rule->Applies(In))
        continue;
      for (RuleEdit &E : Rule->Edit(In)) {
        RuleIdea I;
        I.Rule = Rule->Name;
        I.Region = R.Name;
        I.Rationale = In.Where + ": " + E.Rationale;
        I.Priority = W * Rule->Prior;
        I.Edit = std::move(E);
        Out.push_back(std::move(I));
      }
    }
  }
  return Out;
}

} // namespace autopass
