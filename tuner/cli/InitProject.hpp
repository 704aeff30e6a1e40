//===- cli/InitProject.hpp - init from a compilation database -*- C++ -*-===//
//
// `autopass-tuner init --compile-commands build/compile_commands.json
// --binary build/app -- ARGS` writes a spec with a `build` section
// (docs/program-spec.md): every unit of the database with its own flags,
// the project's build command, and the program to run.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <string>
#include <vector>

namespace autopass {

struct ProjectInitRequest {
  std::string Database;     // compile_commands.json
  std::string Binary;       // the program the build links
  std::string BuildCommand; // "" : cmake --build DIR when DIR has a CMakeCache.txt
  std::string BuildDir;     // "" : the database's directory
  std::string Output;       // "" : NAME.spec.json in the current directory
  std::string Name;         // "" : the binary's file name
  std::string Check = "exact";
  double TimeoutSeconds = 60;
  bool Force = false;
  std::vector<std::string> ProgramArgs;
};

/// Writes the spec; returns the exit code (messages on stdout/stderr).
int initProjectSpec(const ProjectInitRequest &R, const char *Argv0);

} // namespace autopass
