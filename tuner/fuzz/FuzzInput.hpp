//===- fuzz/FuzzInput.hpp - What every fuzz target shares ------*- C++ -*-===//
//
// The fuzz targets (docs/testing.md) feed arbitrary bytes to one reader each.
// A reader may refuse its input with an error; it must never crash, hang,
// read out of bounds or invoke undefined behaviour (the sanitizers check).
// An accepted document must also survive what the tuner does next with it;
// a broken invariant aborts through fuzzInvariant() so libFuzzer saves the
// input.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace autopass::fuzz {

inline std::string_view bytes(const uint8_t *Data, size_t Size) {
  return std::string_view(reinterpret_cast<const char *>(Data), Size);
}

/// Aborts (libFuzzer then saves the input) when an invariant does not hold.
inline void fuzzInvariant(bool Holds, const char *What) {
  if (Holds)
    return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", What);
  std::abort();
}

} // namespace autopass::fuzz
