//===- tests/TempDir.hpp - A scratch directory for one test -----*- C++ -*-===//
//
// A fresh directory under /tmp, removed with everything in it when the test
// ends (pass or fail).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/FileSystem.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace autopass::test {

struct TempDir {
  std::string Path;
  explicit TempDir(const std::string &Prefix = "autopass-test-") {
    auto D = makeTempDirectory("/tmp", Prefix);
    REQUIRE(D.ok());
    Path = *D;
  }
  ~TempDir() { (void)removeAll(Path); }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
};

} // namespace autopass::test
