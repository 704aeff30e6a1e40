//===- spec/ProgramSpec.hpp - One program to tune -------------*- C++ -*-===//
//
// The tuner's view of an `autopass-program/1` document (docs/program-spec.md):
// how to build the program (sources and the flags baseline and candidates
// share), how to run it, how to check its output against the -O3 reference
// and what to optimize. Paths are resolved to absolute ones on load.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "spec/ProjectBuild.hpp"
#include "spec/TargetSpec.hpp"
#include "util/Result.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

enum class CheckKind { Exact, Numeric, Files, Command, None };
enum class ObjectiveKind { Wall, Cpu, Size, Cycles, Instructions, Callgrind, Reported };

std::string_view checkKindName(CheckKind K);
std::string_view objectiveKindName(ObjectiveKind K);
std::optional<ObjectiveKind> parseObjectiveKind(std::string_view Name);

/// The largest run.timeout_s a spec may give (one day).
constexpr double MaxRunTimeoutSeconds = 86400;

struct RunSpec {
  std::vector<std::string> Args; // {dir} already replaced
  std::string StdinPath;         // absolute; empty: no stdin
  std::map<std::string, std::string> Env;
  double TimeoutSeconds = 60;
  std::string Cwd; // absolute; empty: a scratch directory per run
};

struct CheckSpec {
  CheckKind Kind = CheckKind::Exact;
  double AbsTol = 0;
  double RelTol = 0;
  std::vector<std::string> Files; // relative to the run's working directory
  bool CompareStdout = true;       // `files`: also compare stdout exactly
  std::vector<std::string> Command;
};

struct ObjectiveSpec {
  ObjectiveKind Kind = ObjectiveKind::Wall;
  std::string Regex;          // `reported`
  bool HigherIsBetter = false; // `reported` with better = higher
};

struct ProgramSpec {
  std::string SpecPath; // absolute path of the spec file ("" when built in memory)
  std::string Dir;      // absolute directory the spec's paths are relative to
  std::string Name;
  /// Absolute. For a project (Build set): the units' files, for display
  /// and language checks; their flags are in Build->Units.
  std::vector<std::string> Sources;
  std::vector<std::string> CompileFlags;
  std::vector<std::string> LinkFlags;
  std::vector<std::string> TargetFlags;
  /// Set when the project's own build system builds the program (the
  /// `build` section); CompileFlags, LinkFlags and TargetFlags are then empty.
  std::optional<ProjectBuild> Build;
  /// What the program is built for (`target`, default the host) and where
  /// it runs (`runner`, default local): spec/TargetSpec.hpp.
  TargetSpec Target;
  RunnerSpec Runner;
  RunSpec Run;
  CheckSpec Check;
  ObjectiveSpec Objective;

  /// Reads and validates a spec file; errors name the file, the field (as a
  /// JSON path) and what was expected.
  static Result<ProgramSpec> load(const std::string &Path);
  /// Same from text; SpecPath names the file for messages and fixes the
  /// directory relative paths are resolved against.
  static Result<ProgramSpec> parse(std::string_view Text, const std::string &SpecPath);

  bool isProject() const { return Build.has_value(); }
  /// The target's driver flags (--target=, -mcpu=) then target_flags: what
  /// every clang call of the baseline, the candidates and the evidence gets.
  std::vector<std::string> targetFlags() const;
  /// True when any source is C++ (the link then uses clang++).
  bool hasCxx() const;
  /// The spec as JSON with absolute paths: recorded in the run directory
  /// and hashed to tell runs of different specs apart.
  std::string toJson() const;
};

/// Refuses run.env variables that would configure the runner itself
/// (QEMU_* under runner qemu) rather than the program.
Status checkRunnerEnvironment(const ProgramSpec &Spec);

/// Whether Name can name a file in a run's folder (check.files, and the
/// files a remote measuring helper reports): relative, no "..", no control
/// characters. Such a name is also stored under the run directory.
bool isRunFolderPath(std::string_view Name);

bool isCxxSource(const std::string &Path);
bool isCSource(const std::string &Path);

} // namespace autopass
