//===- evidence/EvidenceCollector.hpp - Gathering evidence -*- C++ -*-===//
//
// The readers in this folder parse files; this class produces them. For one
// program (and optionally one configuration) it runs, per translation unit:
//
//   1. clang -O3 TARGET COMPILE -g -gdwarf-4 -Xclang -disable-llvm-passes
//            -emit-llvm -c SRC -o U.bc                 (front end, with -g)
//   2. opt -load-pass-plugin=P -passes='autopass-features<out=U.features.json>'
//          -disable-output U.bc                         (names, features)
//   3. opt -relocation-model=R -load-pass-plugin=P
//          -passes='autopass-introspect<out=U.introspect.json>,PIPELINE'
//          [opt knobs] -pass-remarks-output=U.remarks.yaml U.bc -o U.opt.bc
//                                                       (the real optimization)
// and for the profile (unless disabled):
//   4. clang -O3 ... -c U.opt.bc -Xclang -disable-llvm-passes [-mllvm knobs]
//      clang -O3 TARGET U.o... LINK -o BIN
//      valgrind --tool=callgrind --demangle=no --callgrind-out-file=F BIN ARGS
// then reads everything with the readers and builds the EvidenceDigest.
//
// PIPELINE is the one the candidate builder uses (Builder::pipelineFor), so
// the remarks and pass records describe the same optimization the measured
// binary went through, and the profiled binary is built from exactly the
// optimized bitcode whose remarks are read. Every step is cached in the work
// directory by a content hash of its inputs (sources and the headers they
// include, flags, configuration, tool versions, plugin), so a resumed tune
// does not redo them. Failures are values naming the step and the command.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "evidence/EvidenceDigest.hpp"
#include "spec/ProgramSpec.hpp"
#include "util/Result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

class Progress;
struct Toolchain;

enum class ProfileMode { None, Callgrind };
std::string_view profileModeName(ProfileMode M);
std::optional<ProfileMode> parseProfileMode(std::string_view Name);

struct EvidenceOptions {
  ProfileMode Profile = ProfileMode::Callgrind;
  /// Time limit of the profiling run; 0 means 100 x the spec's run timeout
  /// (callgrind runs a program some 50 times slower than native).
  double ProfileTimeoutSeconds = 0;
  /// valgrind to run; empty: looked up in PATH. Not found: no profile, and
  /// the digest says so.
  std::string Valgrind;
  /// Limit of each compiler step.
  double ToolTimeoutSeconds = 900;
  /// Translation units processed in parallel (front end, features,
  /// optimization); 0: one per hardware thread.
  unsigned Jobs = 0;
  /// Where steps are reported (may be null).
  Progress *Prog = nullptr;
};

/// The files of one translation unit, all inside the work directory.
struct UnitEvidenceFiles {
  std::string Source;
  std::string Bitcode;          // front end output (with -g)
  std::string Features;         // autopass-features/1 ("" without plugin)
  std::string Introspection;    // autopass-introspect/1 ("" without plugin)
  std::string Remarks;          // YAML optimization record
  std::string OptimizedBitcode; // after the pipeline
  std::string Object;           // "" when no profile was wanted
};

/// One step run (or found in the cache) during collection.
struct EvidenceStep {
  std::string Name;    // "front end main.c", "features main.c", "profile"...
  std::string Command; // shell-quoted, to reproduce the step
  bool Cached = false; // outputs reused from an earlier collection
  double Seconds = 0;  // 0 when cached
};

struct CollectedEvidence {
  /// The readers' outputs; a caller adds Measurements and rebuilds the
  /// digest as the tuning run progresses.
  EvidenceInputs Inputs;
  EvidenceDigest Digest;
  SearchRegions Regions;
  std::string WorkDir;
  std::vector<UnitEvidenceFiles> Units;
  std::string Binary;      // the profiled binary ("" without a profile build)
  std::string ProfilePath; // callgrind output ("" when there is no profile)
  std::vector<EvidenceStep> Steps;
  /// What is missing or approximate (also added to the digest's notes).
  std::vector<std::string> Notes;
  double Seconds = 0;
};

class EvidenceCollector {
public:
  /// WorkDir is created when missing; it holds every output and the cache
  /// stamps, so it should be specific to the configuration (see
  /// defaultWorkDir).
  EvidenceCollector(const ProgramSpec &Spec, const Toolchain &Tools,
                    std::string WorkDir, EvidenceOptions Options = {});

  /// Collects evidence for Config, or for plain -O3 when Config is null.
  Result<CollectedEvidence> collect(const CandidateConfig *Config = nullptr);

  /// RUN_DIR/evidence/<config short hash> (the identity config's for -O3).
  static std::string defaultWorkDir(const std::string &RunDir,
                                    const CandidateConfig *Config);

private:
  const ProgramSpec &Spec;
  const Toolchain &Tools;
  std::string WorkDir;
  EvidenceOptions Options;
};

} // namespace autopass
