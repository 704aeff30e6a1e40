//===- cc/UnitCompiler.hpp - Compile one unit with a configuration -*- C++ -*-===//
//
// The three layers of a configuration reach a translation unit three ways
// (docs/using-a-config.md):
//
//   knobs only      clang ARGS -mllvm -K=V ...                   (one process)
//   hints           clang ARGS -fpass-plugin=P -mllvm ...        AUTOPASS_CONFIG=F
//   pipeline        clang ARGS -Xclang -disable-llvm-passes -emit-llvm -o U.bc
//                   opt -relocation-model=R -load-pass-plugin=P
//                       -passes='autopass<config=F;report=R>' [opt knobs] U.bc
//                   clang -c OPT.bc -Xclang -disable-llvm-passes [-mllvm codegen knobs]
//
// The opt flow is the tuner's candidate build (toolchain/Builder.hpp) applied
// to the user's own command line: the same relocation model handed to opt,
// the same pipeline text, code generation by clang. With hints, the unit's
// outcome is written next to the output (cc/UnitReport.hpp) and the
// plugin's per-unit "matched nothing" warnings are held back for the link.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "cc/CompilerCommand.hpp"
#include "cc/Installation.hpp"
#include "config/CandidateConfig.hpp"
#include "search/KnobCatalog.hpp"

#include <string>
#include <vector>

namespace autopass {

/// Everything that stays the same for every unit of one invocation.
struct UnitCompileContext {
  std::string Compiler; // the clang to run
  const CompilerCommand *Command = nullptr;
  /// The configuration this unit is built with (its `units` entry applied,
  /// CandidateConfig::forUnit) and the file holding it.
  const CandidateConfig *Config = nullptr;
  std::string ConfigPath; // absolute
  /// The hash of the whole configuration the build was given, which unit
  /// reports and the tuner's log record ("" : Config's own).
  std::string WholeConfigHash;
  const KnobCatalog *Catalog = nullptr;
  const Installation *Install = nullptr;
  bool Verbose = false;  // AUTOPASS_CC_VERBOSE: print every command run
  bool ForceOpt = false; // AUTOPASS_CC_FLOW=opt: hints through opt too
  bool Color = false;    // stderr is a terminal: keep clang's colours
};

enum class UnitRoute { Knobs, Plugin, Opt };

/// The route a configuration takes (see the file comment).
UnitRoute routeFor(const CandidateConfig &Config, bool ForceOpt);

/// The arguments of Command for one of its sources: the other sources and
/// the -o option left out, "-o Output" appended.
std::vector<std::string> unitArguments(const CompilerCommand &Command, size_t SourceIndex,
                                       const std::string &Output);

/// What a step that writes another file than Output must add so that the
/// command's dependency file (-MD/-MMD) still names Output and lies where
/// the build expects it: -MT OUTPUT without -MT/-MQ, -MF OUTPUT.d without -MF.
std::vector<std::string> dependencyFileArgs(const CompilerCommand &Command,
                                            const std::string &Output);

/// Compiles Command.Sources[SourceIndex] into Output. Returns the exit
/// status to report (0 on success); messages go to stderr.
int compileUnit(const UnitCompileContext &Ctx, size_t SourceIndex, const std::string &Output);

} // namespace autopass
