//===- measure/SequentialRule.cpp - When to stop measuring a pair series --===//
#include "measure/SequentialRule.hpp"

#include <algorithm>

namespace autopass {

std::string_view stopReasonName(StopReason R) {
  switch (R) {
  case StopReason::TargetReached: return "target_reached";
  case StopReason::Cap: return "cap";
  case StopReason::ClearlySlower: return "clearly_slower";
  case StopReason::ClearlyFaster: return "clearly_faster";
  case StopReason::NotFaster: return "not_faster";
  }
  return "cap";
}

std::optional<StopReason> parseStopReason(std::string_view Name) {
  for (StopReason R : {StopReason::TargetReached, StopReason::Cap, StopReason::ClearlySlower,
                       StopReason::ClearlyFaster, StopReason::NotFaster})
    if (stopReasonName(R) == Name)
      return R;
  return std::nullopt;
}

std::optional<StopReason> stopAfterPair(const RatioEstimate &E, unsigned PairsDone,
                                        unsigned MinReps, unsigned MaxReps,
                                        const MeasurementPlan &Plan) {
  if (PairsDone < MinReps)
    return std::nullopt;
  if (E.relativeHalfWidth() <= Plan.TargetCi)
    return StopReason::TargetReached;
  if (Plan.Sequential) {
    if (E.Hi < 1 - Plan.ClearMargin)
      return StopReason::ClearlySlower;
    if (PairsDone >= std::max(MinReps, Plan.DecisionReps)) {
      if (E.Lo > 1 + Plan.ClearMargin)
        return StopReason::ClearlyFaster;
      if (E.Speedup <= 1)
        return StopReason::NotFaster;
    }
  }
  if (PairsDone >= MaxReps)
    return StopReason::Cap;
  return std::nullopt;
}

std::vector<RatioEstimate> prefixEstimates(const std::vector<double> &Base,
                                           const std::vector<double> &Cand, bool HigherIsBetter,
                                           const MeasurementPlan &Plan) {
  size_t N = std::min(Base.size(), Cand.size());
  std::vector<RatioEstimate> Out(N);
  size_t First = std::min<size_t>(std::max(Plan.MinReps, 1u), N);
  for (size_t K = std::max<size_t>(First, 1); K <= N; ++K)
    Out[K - 1] = bootstrapSpeedup({Base.begin(), Base.begin() + K},
                                  {Cand.begin(), Cand.begin() + K}, HigherIsBetter,
                                  Plan.Resamples, Plan.Confidence, Plan.Seed);
  return Out;
}

ReplayedMeasurement replayStoppingRule(const std::vector<RatioEstimate> &Estimates,
                                       const MeasurementPlan &Plan) {
  ReplayedMeasurement M;
  if (Estimates.empty())
    return M;
  unsigned Recorded = static_cast<unsigned>(Estimates.size());
  unsigned MinReps = std::min(std::max(1u, Plan.MinReps), Recorded);
  unsigned MaxReps = std::min(std::max(MinReps, Plan.MaxReps), Recorded);
  for (unsigned Pairs = MinReps; Pairs <= MaxReps; ++Pairs) {
    if (auto Why = stopAfterPair(Estimates[Pairs - 1], Pairs, MinReps, MaxReps, Plan)) {
      M.Pairs = Pairs;
      M.Why = *Why;
      M.Estimate = Estimates[Pairs - 1];
      return M;
    }
  }
  return M; // not reached: stopAfterPair stops at MaxReps
}

} // namespace autopass
