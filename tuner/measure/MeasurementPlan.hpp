//===- measure/MeasurementPlan.hpp - How hard to measure ------*- C++ -*-===//
//
// Baseline and candidate runs are interleaved in pairs (the order inside a
// pair drawn from a seeded RNG, so slow drifts of the machine hit both
// alike), after warm-up pairs. Pairs continue until MinReps are done and the
// interval of the speedup is narrower than TargetCi (relative half-width),
// or MaxReps is reached; then a noise warning says the figure is undecided.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <optional>

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
  /// A candidate whose binary is byte-identical to the -O3 binary performs
  /// like it by construction; when set, it is checked but not timed (speedup
  /// exactly 1, no samples, a note in the warning). Off by default so every
  /// figure is measured; searches that see many no-op knobs turn it on.
  bool SkipIdenticalToBaseline = false;
  /// Baseline relative spread (MAD/median) above which a warning is shown.
  double NoiseWarning = 0.03;
};

} // namespace autopass
