//===- report/AxisTicks.cpp - Round tick values for the SVG plots ---------===//
//
// See AxisTicks.hpp.
//
//===----------------------------------------------------------------------===//
#include "report/AxisTicks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace autopass {

AxisTicks niceTicks(double Lo, double Hi, int Target) {
  if (Hi < Lo)
    std::swap(Lo, Hi);
  AxisTicks T;
  double Span = Hi - Lo;
  if (!(Span > 0) || !std::isfinite(Span)) {
    T.Values = {Lo};
    T.Step = std::fabs(Lo) > 0 ? std::pow(10, std::floor(std::log10(std::fabs(Lo)))) : 1;
    return T;
  }
  // The round step whose tick count is closest to Target (the larger step
  // on a tie: fewer labels).
  double Raw = Span / std::max(1, Target - 1);
  double Power = std::pow(10, std::floor(std::log10(Raw)));
  double Step = Power;
  int BestMiss = -1;
  for (double M : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    int Count = static_cast<int>(std::floor(Span / (M * Power) + 1e-9)) + 1;
    int Miss = std::abs(Count - Target);
    if (BestMiss < 0 || Miss <= BestMiss) {
      BestMiss = Miss;
      Step = M * Power;
    }
  }
  T.Step = Step;
  for (double K = std::ceil(Lo / Step - 1e-9); K * Step <= Hi + Step * 1e-9; K += 1)
    T.Values.push_back(std::fabs(K) < 1e-12 ? 0.0 : K * Step);
  return T;
}

std::string AxisTicks::label(double V) const {
  int Decimals = 0;
  // Enough decimals that every multiple of Step prints exactly (2.5e-2: 3).
  for (double S = Step; Decimals < 9 && std::fabs(S - std::round(S)) > 1e-6 * std::max(1.0, S);
       S *= 10)
    ++Decimals;
  char Buf[64];
  std::snprintf(Buf, sizeof Buf, "%.*f", Decimals, V);
  return Buf;
}

} // namespace autopass
