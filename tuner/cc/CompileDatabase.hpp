//===- cc/CompileDatabase.hpp - Units of a compile_commands.json -*- C++ -*-===//
//
// `autopass-tuner init --compile-commands FILE` turns a project's JSON
// compilation database (the format CMake writes with
// CMAKE_EXPORT_COMPILE_COMMANDS, and `bear` for Make) into the translation
// units of a spec's `build` section: for each entry its file, directory,
// output and compiler, and its own flags with the source, -c, -o and the
// dependency-file options taken out (spec/ProjectBuild.hpp).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "spec/ProjectBuild.hpp"
#include "util/Result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace autopass {

/// Splits a `command` string the way a POSIX shell splits words (quotes
/// and backslashes; no expansions). Fails on an unterminated quote.
Result<std::vector<std::string>> splitCommandLine(std::string_view Command);

struct CompileDatabase {
  std::vector<BuildUnit> Units;
  /// Entries that compile no C/C++ unit (assembly, for example): their
  /// files, for init to mention. autopass-cc leaves them alone.
  std::vector<std::string> Skipped;
};

/// Reads Path. Launcher prefixes (autopass-cc, ccache) in front of the
/// compiler are skipped. An entry that is not a compile (-c) of one unit is
/// an error naming the entry.
Result<CompileDatabase> readCompileDatabase(const std::string &Path);

} // namespace autopass
