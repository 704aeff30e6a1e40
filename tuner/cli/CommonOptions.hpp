//===- cli/CommonOptions.hpp - Options shared by subcommands --*- C++ -*-===//
//
// baseline and eval share the run directory, measurement plan, objective and
// tool options; this file declares them once, turns parsed values into a
// MeasurementPlan and opens the run directory and the Evaluator.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "measure/Evaluator.hpp"
#include "measure/MeasurementPlan.hpp"
#include "spec/ProgramSpec.hpp"
#include "store/RunDir.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/Progress.hpp"
#include "util/Result.hpp"

#include <cxxopts.hpp>

#include <memory>
#include <string>

namespace autopass {

void addCommonOptions(cxxopts::Options &Options);
/// --target, --mcpu and --runner (part of the common options; evidence
/// adds them alone).
void addTargetOptions(cxxopts::Options &Options);

/// Everything a measuring subcommand needs, opened in order.
struct Session {
  ProgramSpec Spec;
  Toolchain Tools;
  MeasurementPlan Plan;
  std::unique_ptr<RunDir> Run;
  std::unique_ptr<Progress> Prog;
  std::unique_ptr<Evaluator> Eval;
  std::string JsonOut; // --json path, "" when absent
};

/// Loads the spec, applies --objective, locates the tools, opens the run
/// directory (Command names the default directory) and the evaluator.
/// TimeIdentical times candidates identical to -O3 whatever the options
/// say (the baseline command's identity calibration measures the noise).
Result<std::unique_ptr<Session>> openSession(const cxxopts::ParseResult &Args,
                                             const std::string &SpecPath,
                                             const std::string &Command,
                                             bool TimeIdentical = false);

/// --fixed-rule, --time-identical and --skip-identical into Plan (the
/// sequential rule and skipping identical images are the defaults).
Status applyStoppingOptions(const cxxopts::ParseResult &Args, MeasurementPlan &Plan);

/// --target, --mcpu and --runner into Spec, then the rules of their
/// combination with the objective (spec/TargetSpec.hpp); errors name the flag.
Status applyTargetOptions(const cxxopts::ParseResult &Args, ProgramSpec &Spec);

/// Loads a configuration file and applies the one policy every entry point
/// shares (search/ConfigPolicy.hpp): knobs of the catalog, values in their
/// domains, no pass that writes files. Errors start with the file's path.
Result<CandidateConfig> loadAllowedConfig(const std::string &Path);

/// Parses with cxxopts; prints help (exit 0) or a usage error (exit 2).
/// Returns -1 when the command should go on.
int parseOrExit(cxxopts::Options &Options, int Argc, char **Argv, cxxopts::ParseResult &Out);

/// Human formatting of objective values: "0.2031 s", "1.23e9 instr", ...
std::string formatValue(ObjectiveKind Kind, double Value);

} // namespace autopass
