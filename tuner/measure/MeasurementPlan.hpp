//===- measure/MeasurementPlan.hpp - How hard to measure ------*- C++ -*-===//
//
// Baseline and candidate runs are interleaved in pairs (the order inside a
// pair drawn from a seeded RNG, so slow drifts of the machine hit both
// alike), after warm-up pairs. Pairs continue until MinReps are done and the
// interval of the speedup is narrower than TargetCi (relative half-width),
// or MaxReps is reached; then a noise warning says the figure is undecided.
// With Sequential (the default) a candidate whose keep/drop decision is
// already clear stops earlier (measure/SequentialRule.hpp).
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace autopass {

struct MeasurementPlan {
  unsigned Warmups = 1;
  unsigned MinReps = 5;
  unsigned MaxReps = 30;
  double TargetCi = 0.01;   // relative half-width of the speedup interval
  double Confidence = 0.95;
  unsigned Resamples = 2000;
  uint64_t Seed = 0x5eed5eedULL;
  bool RandomizeOrder = true; // else strict ABAB
  std::optional<int> PinCpu;
  /// Stop as soon as the keep/drop decision is clear: the interval wholly
  /// below 1 - ClearMargin; after DecisionReps pairs, wholly above
  /// 1 + ClearMargin or the speedup at most 1 (measure/SequentialRule.hpp).
  /// Off: the fixed rule (--fixed-rule).
  bool Sequential = true;
  double ClearMargin = 0.02;
  unsigned DecisionReps = 10;
  /// A candidate whose binary is byte-identical to the -O3 binary, or whose
  /// loaded image is (measure/RuntimeImage.hpp: every allocated section
  /// equal), performs like it by construction: it is checked but not timed
  /// (speedup exactly 1, no samples, a note in the warning). On by default;
  /// --time-identical times it like any other candidate.
  bool SkipIdenticalToBaseline = true;
  /// Baseline relative spread (MAD/median) above which a warning is shown.
  double NoiseWarning = 0.03;
};

/// The plan as JSON (the journal's run_start; part of a confirmation's key).
std::string planJson(const MeasurementPlan &P);

} // namespace autopass
