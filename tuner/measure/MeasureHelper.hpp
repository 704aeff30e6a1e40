//===- measure/MeasureHelper.hpp - The measuring helper's two ends -*- C++ -*-===//
//
// What the ssh and Slurm runners share about tuner/data/autopass-measure.c:
// building it for the spec's target, the arguments of one run, and turning
// its (untrusted) report into a RunOutcome. Where the helper runs and how a
// request reaches it (one ssh command per run, or a request on the stdin of
// a helper serving a Slurm node) is the runner's business.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "measure/RemoteReport.hpp"
#include "measure/Runner.hpp"

#include <optional>
#include <string>
#include <vector>

namespace autopass {

struct Toolchain;

/// Compiles tuner/data/autopass-measure.c for Spec's target with Tools'
/// clang into Dir (reused when present); returns the binary's path.
Result<std::string> buildMeasureHelper(const ProgramSpec &Spec, const Toolchain &Tools,
                                       const std::string &Dir);

/// One run, as the helper sees it. Paths are as the measuring machine sees
/// them (copies on an ssh host, the shared file system on a Slurm node).
struct HelperRun {
  std::string RunFolder; // fresh per run, made and removed by the helper
  std::string Binary;
  std::string Stdin;     // empty: /dev/null
  std::vector<std::string> Args;
  RunOutput Output = RunOutput::Keep;
};

/// The helper's arguments (without the helper itself) for one run of Spec.
std::vector<std::string> helperArguments(const ProgramSpec &Spec, const ObjectiveSpec &Objective,
                                         const HelperRun &Run, std::optional<int> PinCpu);

/// The RunOutcome a complete report stands for, or the error it reports (a
/// binary that cannot start, a full disk, a check file past the helper's
/// cap). Where names the machine in messages; Folder the scratch folder.
Result<RunOutcome> outcomeFromReport(const ProgramSpec &Spec, const ObjectiveSpec &Objective,
                                     RunOutput Output, RemoteReport Report,
                                     const std::string &Where, const std::string &Folder,
                                     const std::string &Binary, const std::string &RunnerName);

} // namespace autopass
