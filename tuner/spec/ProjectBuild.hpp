//===- spec/ProjectBuild.hpp - A program its own build system builds -*- C++ -*-===//
//
// The optional `build` section of an `autopass-program/1` spec
// (docs/program-spec.md): instead of a source list built by the tuner, the
// project's own build command, run with `autopass-cc` as the compiler
// launcher, builds every candidate. Each translation unit keeps the flags
// the project's compilation database gives it; the tuner uses them for
// evidence and to check that the launcher compiled every unit.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Json.hpp"
#include "util/Result.hpp"

#include <string>
#include <vector>

namespace autopass {

/// One translation unit of the project, as its build compiles it.
struct BuildUnit {
  std::string File;      // absolute
  std::string Directory; // absolute: where the build runs its compiler
  std::string Output;    // absolute: the object file the build writes
  std::string Compiler;  // the compiler the database names
  /// The unit's own flags: everything on its compile command but the
  /// compiler, the source, -c, -o OUTPUT and dependency-file options.
  std::vector<std::string> Flags;
};

struct ProjectBuild {
  std::string Directory;            // absolute: where Command runs
  std::vector<std::string> Command; // the project's build command
  std::string Binary;               // absolute: the program the build links
  std::vector<BuildUnit> Units;
};

/// Reads the `build` object; paths are resolved against SpecDir (units'
/// `file` and `output` against the unit's `directory`). Errors name the
/// file and the field.
Result<ProjectBuild> parseProjectBuild(const JsonObject &Build, const std::string &SpecDir);

/// The section as JSON with absolute paths (what ProgramSpec::toJson writes).
void writeProjectBuild(JsonOut &J, const ProjectBuild &Build);

/// True for flags a unit's `flags` must not hold (-c, -o, dependency-file
/// options): the tuner and the build choose them.
bool isReservedUnitFlag(const std::string &Flag);

} // namespace autopass
