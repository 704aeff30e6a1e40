//===- util/Hash.hpp - Content hashes -------------------------*- C++ -*-===//
//
// SHA-256 content hashes (hex) for the build cache and for naming configs.
// A Hasher takes several labelled parts so that ("ab","c") and ("a","bc")
// never collide.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace autopass {

class Hasher {
public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher &) = delete;
  Hasher &operator=(const Hasher &) = delete;

  /// Adds one labelled part (length-prefixed, so boundaries are unambiguous).
  Hasher &add(std::string_view Label, std::string_view Data);
  /// Adds a file's bytes under a label; fails if the file cannot be read.
  Status addFile(std::string_view Label, const std::string &Path);
  /// The hex digest; the Hasher must not be used afterwards.
  std::string hexDigest();

private:
  struct Impl;
  std::unique_ptr<Impl> State;
};

/// The plain SHA-256 of a file's bytes, as 64 hex digits (what `sha256sum`
/// prints), for digests a user may check by hand.
Result<std::string> fileSha256(const std::string &Path);

/// SHA-256 of one string, as 64 hex digits.
std::string sha256Hex(std::string_view Data);

} // namespace autopass
