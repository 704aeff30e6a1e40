//===- tests/NoisySamples.hpp - Seeded synthetic timings -------*- C++ -*-===//
//
// N timings around Center with a relative normal noise, the same for the
// same seed: the measurement-rule tests' stand-in for a program's runs.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace autopass::test {

inline std::vector<double> noisy(double Center, double RelNoise, size_t N, uint64_t Seed) {
  std::mt19937_64 Rng(Seed);
  std::normal_distribution<double> D(Center, Center * RelNoise);
  std::vector<double> Out;
  for (size_t I = 0; I < N; ++I)
    Out.push_back(D(Rng));
  return Out;
}

} // namespace autopass::test
