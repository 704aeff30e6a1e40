//===- tests/O3Pipeline.hpp - The LLVM 19 O3 pipeline text fixture -*- C++ -*-===//
//
// The text `opt -passes=default<O3> -print-pipeline-passes` prints on LLVM
// 19.1.7, kept in tests/data so the pipeline tests do not depend on the
// installed opt; without its trailing newline, as the tuner reads it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/PipelineText.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace autopass::test {

inline std::string o3PipelineFixture() {
  std::ifstream In(std::string(AUTOPASS_TEST_DATA) + "/search/o3-pipeline-llvm19.txt");
  REQUIRE(In);
  std::ostringstream S;
  S << In.rdbuf();
  std::string Text = S.str();
  while (!Text.empty() && Text.back() == '\n')
    Text.pop_back();
  return Text;
}

/// Text parsed, or the test fails with the parser's message.
inline PipelineText parsedPipeline(const std::string &Text) {
  auto P = PipelineText::parse(Text);
  if (!P.ok())
    FAIL(P.message());
  return *P;
}

} // namespace autopass::test
