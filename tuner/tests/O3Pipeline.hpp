//===- tests/O3Pipeline.hpp - The O3 pipeline text fixtures ----*- C++ -*-===//
//
// The text `opt -passes=default<O3> -print-pipeline-passes` prints on LLVM
// 19.1.7 and 22.1.8, kept in tests/data so the pipeline tests do not depend
// on the installed opt (and test both versions' text whichever LLVM the
// build uses); without its trailing newline, as the tuner reads it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/PipelineText.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace autopass::test {

/// The LLVM major versions with a fixture.
constexpr unsigned O3PipelineVersions[] = {19, 22};

inline std::string o3PipelineFixture(unsigned LlvmMajor = 19) {
  std::ifstream In(std::string(AUTOPASS_TEST_DATA) + "/search/o3-pipeline-llvm" +
                   std::to_string(LlvmMajor) + ".txt");
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
