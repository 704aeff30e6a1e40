//===- store/RunManifest.hpp - What a run directory is bound to -*- C++ -*-===//
//
// RUN_DIR/run-manifest.json (schema `autopass-run-manifest/1`,
// docs/run-directory.md) records, when a run starts, what its results mean:
// the spec file and the bytes of its sources (SHA-256 each), the objective,
// the target (triple, CPU, runner kind, after --target/--mcpu/--runner) and
// the measurement settings. A --resume whose spec, sources, objective, target
// or settings differ is refused with a message naming every difference, so two
// programs' (or two objectives') results never mix in one directory.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <map>
#include <string>
#include <vector>

namespace autopass {

struct MeasurementPlan;
struct ProgramSpec;

struct RunManifest {
  struct File {
    std::string Path;
    std::string Sha256;
    bool operator==(const File &O) const { return Path == O.Path && Sha256 == O.Sha256; }
  };
  File Spec;
  std::vector<File> Sources;
  std::string Objective;
  /// The effective target: the triple (the host's when the spec names
  /// none), the CPU ("default" when none) and the runner kind.
  std::string TargetTriple;
  std::string TargetCpu = "default";
  std::string RunnerKindName = "local";
  /// The measurement settings, by name (warmups, min_reps, ...), as text.
  std::map<std::string, std::string> Measurement;

  /// The manifest of a run of Spec measured with Plan (hashes the files).
  static Result<RunManifest> describe(const ProgramSpec &Spec, const MeasurementPlan &Plan);
  static Result<RunManifest> parse(const std::string &JsonText, const std::string &Source);
  std::string toJson() const;
  /// What differs between the run recorded (this) and the one asked for,
  /// one phrase each; empty when they are the same run.
  std::vector<std::string> differences(const RunManifest &Asked) const;
};

/// Binds the run directory at RunPath to Manifest: a fresh run (Resumed
/// false) writes RUN_DIR/run-manifest.json; a resumed one must match the
/// manifest there, or the error names what differs. A resumed directory
/// from before manifests existed is adopted (the manifest is written).
Status bindRunDirectory(const std::string &RunPath, bool Resumed, const RunManifest &Manifest);

} // namespace autopass
