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

  bool ok() const { return State == Outcome::Ok; }
};

class Builder {
public:
  Builder(const ProgramSpec &Spec, const Toolchain &Tools, const ToolOptionIndex &Options,
          BuildCache &Cache);
  ~Builder();

  BuildResult buildBaseline();
  BuildResult buildCandidate(const CandidateConfig &Config);

  /// Shell commands that rebuild Config's binary from the spec's sources
  /// into OutDir (the first command creates it), the plugin reading the
  /// config from ConfigPath: the build's own commands with persistent paths,
  /// runnable after the run from any directory, giving the same binary.
  Result<std::vector<std::string>> rebuildCommands(const CandidateConfig &Config,
                                                   const std::string &ConfigPath,
                                                   const std::string &OutDir);

  /// The opt pipeline text a config builds with (ConfigPath is where the
  /// config file lies, used when the plugin element is needed).
  static std::string pipelineFor(const CandidateConfig &Config, const std::string &ConfigPath,
                                 bool &NeedsPlugin);

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace autopass
