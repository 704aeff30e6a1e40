//===- measure/MeasurementPlan.cpp - How hard to measure ------------------===//
#include "measure/MeasurementPlan.hpp"

#include "util/Json.hpp"

namespace autopass {

std::string planJson(const MeasurementPlan &P) {
  JsonOut J;
  J.beginObject()
      .field("warmups", static_cast<int64_t>(P.Warmups))
      .field("min_reps", static_cast<int64_t>(P.MinReps))
      .field("max_reps", static_cast<int64_t>(P.MaxReps))
      .field("target_ci", P.TargetCi)
      .field("confidence", P.Confidence)
      .field("resamples", static_cast<int64_t>(P.Resamples))
      .field("seed", static_cast<uint64_t>(P.Seed))
      .field("randomize_order", P.RandomizeOrder)
      .field("sequential", P.Sequential)
      .field("clear_margin", P.ClearMargin)
      .field("decision_reps", static_cast<int64_t>(P.DecisionReps))
      .field("skip_identical", P.SkipIdenticalToBaseline);
  J.key("pin_cpu");
  if (P.PinCpu)
    J.value(static_cast<int64_t>(*P.PinCpu));
  else
    J.null();
  J.endObject();
  return J.str();
}

} // namespace autopass
