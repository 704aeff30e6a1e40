//===- measure/SlurmRunner.hpp - Measure on the nodes of a Slurm cluster -*- C++ -*-===//
//
// Runner "slurm" (docs/cluster.md). Each lane is one exclusive node: `srun
// --exclusive -N1 -n1 ... autopass-measure --serve` holds it for the session,
// and the measuring helper there takes one run request after another on its
// stdin (forwarded by srun) and answers with its report. A run therefore
// costs a pipe round trip, not a Slurm step; the helper times the program
// on the node, so that round trip is never timed. The binaries, inputs and
// the helper are read from the run directory, which must be on a file system
// the nodes share; only this process writes the journal.
//
// With runner.nodes = N the Evaluator holds N lanes and measures N
// evaluations at once, baseline and candidate interleaved on the one node
// of each. A lane whose step ends without a complete answer (its node died
// or went down, the job was cancelled, preempted or hit its time limit)
// starts a new allocation, which Slurm places on a node that is up, and the
// run fails with hostEpoch() advanced: the Evaluator measures that
// evaluation again from its first pair. srun's exit code is never taken as
// a result (a lost node makes srun exit 0); only a framed report is.
//
// Jobs carry the run's key in their name (autopass-KEY) and comment: a run
// resumed after its coordinator was killed finds the jobs the old one left
// in the queue and cancels them before it starts its own.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "measure/Runner.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace autopass {

struct Toolchain;
class SlurmAllocation;

class SlurmRunner final : public Runner {
public:
  /// Spec.Runner.Nodes lanes; builds the helper into LocalScratch and
  /// cancels jobs an earlier coordinator of this run directory left
  /// (Warn says which). Nodes are allocated at each lane's first run.
  static Result<std::vector<std::unique_ptr<Runner>>>
  createLanes(const ProgramSpec &Spec, const Toolchain &Tools, const std::string &LocalScratch,
              std::optional<int> PinCpu, const std::function<void(const std::string &)> &Warn);
  ~SlurmRunner() override;
  Result<RunOutcome> run(const std::string &Binary, const ObjectiveSpec &Objective,
                         RunOutput Output = RunOutput::Keep) override;
  unsigned hostEpoch() const override { return Epoch; }
  std::string where() const override;

  /// The measurement that needed this lane's node is over: the allocation
  /// goes back to the process's pool (still open), for this lane's next
  /// measurement or another evaluator's (the layout check's).
  void idle() override;

private:
  SlurmRunner(const ProgramSpec &Spec, std::string Helper, std::string RunKey, unsigned Lane,
              std::string LogPath, std::optional<int> PinCpu);
  std::string poolKey() const;
  /// Takes an open allocation from the pool, or opens one (at most
  /// runner.nodes in all), waiting in Slurm's queue for a node.
  Status acquire();
  /// The held allocation was lost: end it and cancel its job.
  void drop();

  const ProgramSpec &Spec;
  std::string Helper, RunKey, LogPath;
  unsigned Lane;
  std::optional<int> PinCpu;
  unsigned Epoch = 0;
  std::unique_ptr<SlurmAllocation> Held;
};

/// srun's command line for one lane (tests read it).
std::vector<std::string> srunArguments(const RunnerSpec &Runner, const std::string &RunKey,
                                       const std::string &Helper);
/// The key of a run directory's jobs: 12 hex digits of its path's SHA-256.
std::string slurmRunKey(const std::string &LocalScratch);

} // namespace autopass
