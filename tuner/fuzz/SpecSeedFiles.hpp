//===- fuzz/SpecSeedFiles.hpp - The files the spec seeds name --*- C++ -*-===//
//
// ProgramSpec::parse checks that `sources` and `run.stdin` exist, relative to
// the spec's directory. The spec fuzz target and the seed replay test
// (tests/FuzzCorpusTest.cpp) parse the seeds as if they were in a directory
// holding these (empty) files, so that valid seeds get past that check and
// the fuzzer reaches the rest of the parser.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/FileSystem.hpp"

#include <string>

namespace autopass::fuzz {

inline constexpr const char *SpecSeedFiles[] = {"p.c",  "main.c", "grid.c", "matmul.c", "a.cpp",
                                                "b.c",  "c.c",    "input.txt"};

/// Creates the files in Dir (which must exist); false if one cannot be written.
inline bool writeSpecSeedFiles(const std::string &Dir) {
  for (const char *Name : SpecSeedFiles)
    if (!writeFile(joinPath(Dir, Name), ""))
      return false;
  return true;
}

} // namespace autopass::fuzz
