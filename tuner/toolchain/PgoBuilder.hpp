//===- toolchain/PgoBuilder.hpp - clang IR PGO builds ---------*- C++ -*-===//
//
// Builds a program spec with clang's IR profile-guided optimization:
//
//   instrumented, per unit: clang -O3 TARGET COMPILE -fprofile-generate=DIR -c SRC
//   instrumented link:      clang(++) -O3 TARGET -fprofile-generate=DIR OBJECTS LINK
//   training:               the program run as the spec says, with
//                           LLVM_PROFILE_FILE=DIR/raw/%p.profraw
//   merge:                  llvm-profdata merge -o DIR/merged.profdata RAW...
//   optimized, per unit:    clang -O3 TARGET COMPILE -fprofile-use=PROFDATA
//                           [-mllvm -KNOB=V ...] [-fpass-plugin=PLUGIN] -c SRC
//   link:                   clang(++) -O3 TARGET OBJECTS LINK   (as the baseline)
//
// A tuned config goes on top through the deployable clang flow (knobs as
// -mllvm, region hints through the plugin with AUTOPASS_CONFIG), not the
// tuner's opt flow: the profile is attached by the pgo-instr-use pass inside
// clang's pipeline, so front-end bitcode built with -disable-llvm-passes has
// no !prof metadata (docs/pgo.md). Configs with a pipeline are refused.
// Nothing here is cached: every call builds afresh under the work directory.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "spec/ProgramSpec.hpp"
#include "toolchain/Builder.hpp"
#include "util/Result.hpp"

#include <map>
#include <string>
#include <vector>

namespace autopass {

struct Toolchain;

/// What the training step produced.
struct PgoProfile {
  std::string Dir;                      // the profile directory
  std::string ProfdataPath;             // merged profile, input of -fprofile-use
  std::vector<std::string> RawProfiles; // the .profraw files merged
  BuildResult Instrumented;             // the instrumented binary
  std::vector<std::string> Commands;    // training and merge commands
  double Seconds = 0;                   // instrumented build + training + merge
};

class PgoBuilder {
public:
  /// WorkDir receives the instrumented build, the profiles and the
  /// optimized builds (one subdirectory each).
  PgoBuilder(const ProgramSpec &Spec, const Toolchain &Tools, std::string WorkDir);

  /// Instrumented build, TrainingRuns runs of the program, merge. Fails when
  /// a step fails, a training run crashes or times out, or no profile is
  /// written.
  Result<PgoProfile> train(unsigned TrainingRuns = 1);

  /// Builds with -fprofile-use; with a Config, its knobs and hints on top.
  /// Label names the output subdirectory ("pgo", "tuned-pgo").
  BuildResult buildOptimized(const PgoProfile &Profile, const std::string &Label,
                             const CandidateConfig *Config = nullptr);

  /// Why Config cannot be built with PGO by this flow; empty when it can.
  static std::string unsupportedReason(const CandidateConfig &Config);

private:
  /// Runs one tool in the spec's directory; the stderr of a successful run
  /// (compiler warnings) is appended to Warnings.
  Status runTool(const std::vector<std::string> &Argv, std::vector<std::string> &Commands,
                 const std::map<std::string, std::string> &Env = {},
                 std::string *Warnings = nullptr);
  Result<std::string> compileAndLink(const std::string &OutDir,
                                     const std::vector<std::string> &ExtraCompile,
                                     const std::vector<std::string> &ExtraLink,
                                     const std::map<std::string, std::string> &Env,
                                     std::vector<std::string> &Commands, std::string &Warnings);

  const ProgramSpec &Spec;
  const Toolchain &Tools;
  std::string WorkDir;
};

} // namespace autopass
