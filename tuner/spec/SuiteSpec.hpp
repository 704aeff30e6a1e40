//===- spec/SuiteSpec.hpp - A list of programs ----------------*- C++ -*-===//
//
// An `autopass-suite/1` document names a set of program specs (bench/suite.json):
// {"schema": "autopass-suite/1", "name": ..., "programs": [paths relative to
// the suite file]}.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace autopass {

struct SuiteSpec {
  std::string SuitePath;
  std::string Name;
  std::vector<std::string> Programs; // absolute spec paths

  static Result<SuiteSpec> load(const std::string &Path);
  static Result<SuiteSpec> parse(std::string_view Text, const std::string &SuitePath);
};

} // namespace autopass
