//===- report/AxisTicks.cpp - Round tick values for the SVG plots ---------===//
//
// See AxisTicks.hpp.
//
//===----------------------------------------------------------------------===//
#include "report/AxisTicks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace autopass {

AxisTicks niceTicks(double Lo, double Hi, int Target, bool Integer) {
  if (Hi < Lo)
    std::swap(Lo, Hi);
  Target = std::clamp(Target, 2, 50);
  AxisTicks T;
  double Span = Hi - Lo;
  if (!std::isfinite(Lo) || !std::isfinite(Hi))
    return T; // nothing sensible to mark
  double Raw = Span / (Target - 1);
  // A range narrower than the doubles can resolve around it (or empty) gets
  // one tick: stepping through it would not advance.
  if (!(Raw > std::fabs(Lo) * 1e-12) || !(Raw > 1e-300)) {
    T.Values = {Lo};
    T.Step = Integer ? 1 : std::max(std::fabs(Lo), 1e-300);
    return T;
  }
  // The round step whose tick count is closest to Target (the larger step
  // on a tie: fewer labels); whole numbers only on an integer axis.
  double Power = std::pow(10, std::floor(std::log10(Raw)));
  double Step = 0;
  long BestMiss = -1;
  for (double M : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    double Candidate = M * Power;
    if (Integer && (Candidate < 1 || std::fabs(Candidate - std::round(Candidate)) > 1e-9))
      continue;
    long Count = static_cast<long>(std::min(1e6, std::floor(Span / Candidate + 1e-9))) + 1;
    long Miss = std::labs(Count - Target);
    if (BestMiss < 0 || Miss <= BestMiss) {
      BestMiss = Miss;
      Step = Candidate;
    }
  }
  if (Step == 0) // an integer axis narrower than the steps above
    Step = 1;
  T.Step = Step;
  double First = std::ceil(Lo / Step - 1e-9);
  for (int I = 0; I < 200; ++I) {
    double V = (First + I) * Step;
    if (V > Hi + Step * 1e-9)
      break;
    T.Values.push_back(std::fabs(V) < Step * 1e-9 ? 0.0 : V);
  }
  return T;
}

std::string AxisTicks::label(double V) const {
  // Decimals from the step: 0.25 needs 2, 0.05 needs 2, 2.5 needs 1, 20 none.
  int Decimals = 0;
  if (Step > 0 && std::isfinite(Step)) {
    Decimals = std::max(0, static_cast<int>(-std::floor(std::log10(Step) + 1e-9)));
    double Scaled = Step * std::pow(10, Decimals);
    if (std::fabs(Scaled - std::round(Scaled)) > 1e-6 * Scaled)
      ++Decimals; // 2.5 x 10^k
    Decimals = std::min(Decimals, 12);
  }
  char Buf[64];
  std::snprintf(Buf, sizeof Buf, "%.*f", Decimals, V);
  return Buf;
}

} // namespace autopass
