//===- tests/InlineSpec.hpp - A spec written inline in a test --*- C++ -*-===//
//
// The harness's loop program (tests/data/harness/loop/loop.c) with the rest
// of the spec given as JSON members, for tests of single spec fields.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "spec/ProgramSpec.hpp"

#include <string>

namespace autopass::test {

inline Result<ProgramSpec> parseLoopSpec(const std::string &Members) {
  return ProgramSpec::parse("{\"schema\":\"autopass-program/1\",\"sources\":[\"loop.c\"]" +
                                Members + "}",
                            std::string(AUTOPASS_TEST_DATA) + "/harness/loop/inline.json");
}

inline bool contains(const std::string &Text, const std::string &Part) {
  return Text.find(Part) != std::string::npos;
}

} // namespace autopass::test
