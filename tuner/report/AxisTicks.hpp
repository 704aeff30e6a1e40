//===- report/AxisTicks.hpp - Round tick values for the SVG plots -*- C++ -*-===//
//
// The plots' axes span ranges from a few percent (1.00-1.05) to several times
// (1.0-2.3) and sample times from milliseconds to seconds. A fixed step gives
// either two ticks or thirty overlapping ones; these pick a round step (1, 2,
// 2.5 or 5 times a power of ten) that gives about Target ticks.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <string>
#include <vector>

namespace autopass {

struct AxisTicks {
  std::vector<double> Values; // multiples of Step within [Lo, Hi], ascending
  double Step = 1;
  /// V with as many decimals as Step needs ("1.25", "20", "0.004").
  std::string label(double V) const;
};

/// Round ticks covering [Lo, Hi] (swapped if Hi < Lo), about Target of
/// them (clamped to 2..50, at most 200 ticks whatever the input). Integer:
/// whole-number steps only (an axis of evaluation counts). A range too
/// narrow to step through gets the one tick Lo; a non-finite one none.
AxisTicks niceTicks(double Lo, double Hi, int Target = 6, bool Integer = false);

} // namespace autopass
