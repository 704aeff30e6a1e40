//===- measure/SshRunner.hpp - Run and time the program on a remote host -*- C++ -*-===//
//
// Runner "ssh" (docs/remote-runners.md). The binary, its stdin file and the
// files its arguments name under the spec's folder are copied to the
// session's scratch folder on the host (by content, once), and every run is
// one `ssh HOST autopass-measure ...`: the measuring helper, built here for
// the target from tuner/data/autopass-measure.c, starts the program in a
// fresh folder there and reports the wall time and rusage it took there.
// Round trips are never timed.
//
// A connection lost during a copy or a run (ssh's exit code 255, or no
// answer) makes the session reconnect, to the same host or to the next one
// that answers, and the run fails with hostEpoch() advanced: the Evaluator
// then measures the evaluation again from its first pair. Only the check
// files the spec names are taken from a report, and a report from a host
// whose disk was full is an error, never an output to compare.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "measure/Runner.hpp"
#include "measure/SshSession.hpp"

#include <map>
#include <memory>
#include <utility>

namespace autopass {

struct Toolchain;

class SshRunner final : public Runner {
public:
  /// Builds the measuring helper for Spec's target into LocalScratch (the
  /// hosts are contacted at the first run).
  static Result<std::unique_ptr<SshRunner>> create(const ProgramSpec &Spec,
                                                   const Toolchain &Tools,
                                                   const std::string &LocalScratch,
                                                   std::optional<int> PinCpu);
  Result<RunOutcome> run(const std::string &Binary, const ObjectiveSpec &Objective,
                         RunOutput Output = RunOutput::Keep) override;
  unsigned hostEpoch() const override { return Session.epoch(); }
  std::string where() const override { return "host " + Session.host(); }

private:
  SshRunner(const ProgramSpec &Spec, SshOptions Options, std::string Helper,
            std::optional<int> PinCpu);
  struct Attempt;
  Attempt runOnce(const std::string &Binary, const ObjectiveSpec &Objective, RunOutput Output);
  Result<std::string> copyByContent(const std::string &Local, bool Executable);
  Result<std::vector<std::string>> remoteArgs();

  const ProgramSpec &Spec;
  SshSession Session;
  std::string Helper; // local path of the helper built for the target
  std::optional<int> PinCpu;
  unsigned Runs = 0;
  /// Local path -> (size:mtime when hashed, its SHA-256).
  std::map<std::string, std::pair<std::string, std::string>> Hashes;
};

} // namespace autopass
