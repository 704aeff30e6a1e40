//===- measure/SequentialRule.hpp - When to stop measuring a pair series -*- C++ -*-===//
//
// What a search does with a measured candidate is a keep/drop decision: keep
// when the whole interval of the speedup lies above 1 (isSignificantlyFaster).
// The fixed rule measures pairs until the interval is as narrow as the target
// (MeasurementPlan::TargetCi) or the cap (MaxReps) is hit; on a loaded machine
// that is almost always the cap. Most candidates need no such precision for
// their decision, so the sequential rule also stops
//   - after MinReps pairs, a candidate whose interval lies wholly below
//     1 - ClearMargin (clearly slower: drop);
//   - after DecisionReps pairs, a candidate whose interval lies wholly above
//     1 + ClearMargin (clearly faster: keep), and one whose speedup (the
//     ratio of medians) is at most 1 (not faster: drop; its interval would
//     have to end wholly above 1 to be kept);
// and chases the target only while the point estimate is above 1 and the
// interval still straddles 1 +/- ClearMargin. It stops no later than the
// fixed rule, sees the same estimates (the seeded bootstrap after every
// pair), and so is deterministic given the samples. The thresholds were
// chosen, and are checked, on pairs recorded by real tuning runs: how often
// the keep/drop decision differs from the fixed rule's
// (tuner/tests/SequentialRuleTest.cpp, docs/measurement.md).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "measure/MeasurementPlan.hpp"
#include "measure/Statistics.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace autopass {

enum class StopReason {
  TargetReached, // the interval is as narrow as the plan's target
  Cap,           // MaxReps pairs measured
  ClearlySlower, // sequential: the interval lies wholly below 1 - margin
  ClearlyFaster, // sequential: the interval lies wholly above 1 + margin
  NotFaster,     // sequential: the speedup is at most 1 after DecisionReps pairs
};
std::string_view stopReasonName(StopReason R);
/// The inverse of stopReasonName; empty for an unknown name.
std::optional<StopReason> parseStopReason(std::string_view Name);

/// Whether to stop after PairsDone measured pairs whose estimate is E;
/// empty means measure another pair. MinReps and MaxReps are the effective
/// bounds (the evaluator clamps the plan's); Plan.Sequential selects the
/// sequential rule, otherwise the fixed one applies.
std::optional<StopReason> stopAfterPair(const RatioEstimate &E, unsigned PairsDone,
                                        unsigned MinReps, unsigned MaxReps,
                                        const MeasurementPlan &Plan);

/// The estimate (Plan's bootstrap) after each prefix of recorded pairs:
/// element K is computed from the first K+1 pairs, for K+1 >= Plan.MinReps
/// (earlier elements are left default). Base and Cand are in run order.
std::vector<RatioEstimate> prefixEstimates(const std::vector<double> &Base,
                                           const std::vector<double> &Cand, bool HigherIsBetter,
                                           const MeasurementPlan &Plan);

/// Where a stopping rule would have stopped on recorded pairs.
struct ReplayedMeasurement {
  unsigned Pairs = 0;
  StopReason Why = StopReason::Cap;
  RatioEstimate Estimate;
  /// The keep/drop decision: the whole interval above 1.
  bool keep() const { return Estimate.Lo > 1; }
};

/// Replays Plan's stopping rule over recorded estimates (prefixEstimates of
/// the same plan). Running out of recorded pairs before the rule stops
/// counts as reaching the cap, so recordings must come from runs at least as
/// long as the plan's (MaxReps pairs, or stopped by the fixed rule).
ReplayedMeasurement replayStoppingRule(const std::vector<RatioEstimate> &Estimates,
                                       const MeasurementPlan &Plan);

} // namespace autopass
