//===- toolchain/Builder.hpp - Baseline and candidate builds --*- C++ -*-===//
//
// Builds the -O3 baseline and candidates from one program spec.
//
//   baseline:  clang -O3 TARGET COMPILE -c SRC           (per translation unit)
//   candidate: clang -O3 TARGET COMPILE -Xclang -disable-llvm-passes -emit-llvm -c SRC
//              opt -relocation-model=R [plugin] -passes=PIPELINE [opt knobs]
//              clang -O3 TARGET COMPILE -c OPT.bc -Xclang -disable-llvm-passes
//                    [-mllvm codegen knobs]
//   both:      clang(++) -O3 TARGET OBJECTS LINK -o BINARY
//
// The candidate flow with the identity config produces the same machine code
// as the baseline (docs/measurement.md explains the calibration: opt must be
// told clang's relocation model, and code generation goes through clang so
// its TargetMachine set-up is clang's own). Every step is cached by a content
// hash of its inputs. Builder is safe to use from several threads.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "spec/ProgramSpec.hpp"
#include "util/Result.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace autopass {

class BuildCache;
class ToolOptionIndex;
struct Toolchain;

struct BuildResult {
  enum class Outcome { Ok, Failed, Invalid };
  Outcome State = Outcome::Failed;
  std::string BinaryPath;
  /// Hash of everything that determines the binary (the link step's key).
  std::string ContentHash;
  /// SHA-256 of the binary's bytes (equal to the baseline's: same code).
  std::string BinaryHash;
  /// Why the build failed (the failing command and its stderr excerpt), or
  /// warnings of a successful build.
  std::string Log;
  /// A candidate's warnings: region hints that matched nothing in the whole
  /// program (from the plugin's per-unit reports), and the warning lines
  /// opt and code generation printed (a transformation not performed).
  std::vector<std::string> Warnings;
  double Seconds = 0;
  bool Cached = false;
  /// The commands of the build, in order, shell-quoted for display and
  /// reproduction (a cached build lists the commands that produced it).
  std::vector<std::string> Commands;

  /// A project build (toolchain/ProjectBuilder.hpp): units the compiler
  /// compiled, and units the launcher's object cache served.
  size_t UnitsRebuilt = 0;
  size_t UnitsReused = 0;

  bool ok() const { return State == Outcome::Ok; }
};

/// What the Evaluator builds with: the spec's source list (Builder) or the
/// project's own build system (ProjectBuilder).
class CandidateBuilder {
public:
  virtual ~CandidateBuilder();
  virtual BuildResult buildBaseline() = 0;
  virtual BuildResult buildCandidate(const CandidateConfig &Config) = 0;

  /// Shell commands that rebuild Config's binary into OutDir (the first
  /// command creates it), the configuration read from ConfigPath: runnable
  /// after the run from any directory, giving the same binary.
  virtual Result<std::vector<std::string>> rebuildCommands(const CandidateConfig &Config,
                                                           const std::string &ConfigPath,
                                                           const std::string &OutDir) = 0;
};

/// A ProjectBuilder for specs with a `build` section, else a Builder.
std::unique_ptr<CandidateBuilder> makeCandidateBuilder(const ProgramSpec &Spec,
                                                       const Toolchain &Tools,
                                                       const ToolOptionIndex &Options,
                                                       BuildCache &Cache);

/// Places every knob on the tools that accept it: Opt and Codegen get the
/// knobs' arguments for each tool. The error names a knob that is an option
/// of neither opt nor llc (the tuner never passes an unknown option blindly).
Status placeKnobs(const CandidateConfig &Config, const Toolchain &Tools,
                  const ToolOptionIndex &Options, std::vector<std::string> &Opt,
                  std::vector<std::string> &Codegen);

class Builder : public CandidateBuilder {
public:
  Builder(const ProgramSpec &Spec, const Toolchain &Tools, const ToolOptionIndex &Options,
          BuildCache &Cache);
  ~Builder() override;

  BuildResult buildBaseline() override;
  BuildResult buildCandidate(const CandidateConfig &Config) override;

  /// The build's own commands with persistent paths, from the spec's
  /// sources, the plugin reading the config from ConfigPath.
  Result<std::vector<std::string>> rebuildCommands(const CandidateConfig &Config,
                                                   const std::string &ConfigPath,
                                                   const std::string &OutDir) override;

  /// The opt pipeline text a config builds with (ConfigPath is where the
  /// config file lies, used when the plugin element is needed).
  static std::string pipelineFor(const CandidateConfig &Config, const std::string &ConfigPath,
                                 bool &NeedsPlugin);

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace autopass
