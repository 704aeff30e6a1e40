//===- measure/Runner.hpp - Run the program once --------------*- C++ -*-===//
//
// Runs a built binary as the spec says (arguments, stdin, environment,
// timeout, working directory: a fresh scratch directory per run unless the
// spec fixes one), optionally pinned to a CPU, and returns what correctness
// and the objective need: the output snapshot, the exit status and the
// objective's value for this run (wall or CPU seconds, a perf count, a
// callgrind instruction count, or the figure the program printed).
//
// Where the binary runs is the runner's business: LocalRunner starts it here
// (directly, or under qemu-user for runner "qemu"); SshRunner
// (measure/SshRunner.hpp) copies it to a remote host and has the measuring
// helper start and time it there; SlurmRunner (measure/SlurmRunner.hpp) has
// the helper serving one node of a cluster do it. The Evaluator sees only
// this interface.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "measure/OutputChecker.hpp"
#include "spec/ProgramSpec.hpp"
#include "util/Result.hpp"
#include "util/Subprocess.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace autopass {

struct RunOutcome {
  SubprocessResult Process;
  OutputSnapshot Output;
  /// The objective's value; empty when the run failed or the figure could
  /// not be read (then Problem says why).
  std::optional<double> Value;
  std::string Problem;
};

/// What a run's output is for. A checked run (the reference, a candidate's
/// correctness run) keeps stdout and the check's files; a measured run only
/// needs its exit status and objective, so its stdout goes to /dev/null
/// (unless the objective is a figure the program prints) and no file is
/// read back: a program printing megabytes costs no copy per repetition.
enum class RunOutput { Keep, Discard };

class Runner {
public:
  virtual ~Runner() = default;

  /// Runs Binary once. Objective picks how the value is taken (size is not
  /// a run objective: the value is then the wall time, for information).
  /// Fails only when the program could not be started at all (or, remote,
  /// when the host could not be reached).
  virtual Result<RunOutcome> run(const std::string &Binary, const ObjectiveSpec &Objective,
                                 RunOutput Output = RunOutput::Keep) = 0;
  /// Counts the moves to another machine (a remote runner whose host was
  /// lost): samples taken before and after a move are never compared.
  virtual unsigned hostEpoch() const { return 0; }
  /// Where the runs happen, for messages ("this machine", "ssh board1").
  virtual std::string where() const { return "this machine"; }
  /// Called between measurements (never inside one): a runner holding a
  /// shared resource (a Slurm node) may hand it back until its next run.
  virtual void idle() {}

  /// Reads the figure from a callgrind output file ("summary:" / "totals:").
  static Result<double> parseCallgrindTotal(const std::string &Text);
  /// Applies a reported-objective regex: the first group as a number.
  static Result<double> parseReported(const std::string &Stdout, const std::string &Regex);
  /// Sets R.Value (or R.Problem) for the objectives every runner takes from
  /// the process record of a finished run: wall (and size, for
  /// information), cpu, and reported (from Printed, the program's stdout).
  /// False for the others (perf counters, callgrind): the runner's own.
  static bool takeProcessValue(RunOutcome &R, const ObjectiveSpec &Objective,
                               const std::string &Printed);
};

struct Toolchain;
/// The runners the spec names, one per measurement that may run at once:
/// local or qemu (one LocalRunner), ssh (one SshRunner, which builds its
/// measuring helper with Tools first), slurm (one SlurmRunner per node,
/// runner.nodes). Warn receives what the user should know (jobs of an
/// earlier coordinator cancelled).
Result<std::vector<std::unique_ptr<Runner>>>
makeRunners(const ProgramSpec &Spec, const Toolchain &Tools, const std::string &ScratchRoot,
            std::optional<int> PinCpu, const std::function<void(const std::string &)> &Warn);

/// Runs binaries on this machine (runner "local" or "qemu").
class LocalRunner final : public Runner {
public:
  LocalRunner(const ProgramSpec &Spec, std::string ScratchRoot, std::optional<int> PinCpu);
  Result<RunOutcome> run(const std::string &Binary, const ObjectiveSpec &Objective,
                         RunOutput Output = RunOutput::Keep) override;

private:
  const ProgramSpec &Spec;
  std::string ScratchRoot;
  std::optional<int> PinCpu;
};

} // namespace autopass
