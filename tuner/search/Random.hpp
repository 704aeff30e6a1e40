//===- search/Random.hpp - Seeded, portable random choices ----*- C++ -*-===//
//
// Every strategy draws from one std::mt19937_64 seeded explicitly, so a run
// is reproducible from its seed. The standard distributions are
// implementation-defined (libstdc++ and libc++ give different sequences), so
// the few draws the search needs are written out here.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cassert>
#include <cstdint>
#include <random>
#include <vector>

namespace autopass {

using Rng = std::mt19937_64;

/// A uniform integer in [0, N); N must be positive.
inline uint64_t randomBelow(Rng &R, uint64_t N) {
  assert(N > 0 && "randomBelow of an empty range");
  // Rejection sampling removes the modulo bias.
  uint64_t Limit = UINT64_MAX - UINT64_MAX % N;
  uint64_t X;
  do
    X = R();
  while (X >= Limit);
  return X % N;
}

/// A uniform double in [0, 1) from the top 53 bits.
inline double randomUnit(Rng &R) { return static_cast<double>(R() >> 11) * 0x1.0p-53; }

inline bool randomChance(Rng &R, double P) { return randomUnit(R) < P; }

template <typename T> const T &randomPick(Rng &R, const std::vector<T> &Items) {
  return Items[randomBelow(R, Items.size())];
}

/// A seed for a sub-generator, so strategies that own others (the ensemble)
/// derive independent but reproducible streams.
inline uint64_t deriveSeed(uint64_t Seed, uint64_t Salt) {
  uint64_t Z = Seed + 0x9e3779b97f4a7c15ULL * (Salt + 1);
  Z = (Z ^ (Z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  Z = (Z ^ (Z >> 27)) * 0x94d049bb133111ebULL;
  return Z ^ (Z >> 31);
}

} // namespace autopass
