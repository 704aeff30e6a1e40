//===- spec/TargetSpec.hpp - What the program is built for and where it runs -*- C++ -*-===//
//
// The spec's `target` section (a triple and an optional CPU that reach every
// clang call, baseline and candidates alike) and its `runner` section (where
// the built binary runs: `local`, or `qemu` for a foreign architecture through
// qemu-user, or `ssh` for one or more remote hosts that run it and time it
// there). docs/program-spec.md, docs/cross-targets.md and
// docs/remote-runners.md describe them.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

class JsonObject;
enum class ObjectiveKind;

struct TargetSpec {
  std::string Triple; // empty: the host
  std::string Cpu;    // empty: the triple's default CPU

  bool isHost() const { return Triple.empty(); }
  /// The opt/llc flags naming the target: -mtriple=, -mcpu= (empty for the
  /// host, whose triple opt assumes itself).
  std::vector<std::string> toolFlags() const;
  /// The triple the code is built for: Triple, or the host's when empty.
  std::string effectiveTriple() const;
  /// The clang driver flags naming the target: --target=, -mcpu=.
  std::vector<std::string> driverFlags() const;
  /// The triple's architecture name as LLVM spells it ("aarch64").
  std::string archName() const;
  /// True when binaries for the target cannot run natively here (another
  /// architecture than the tuner's own).
  bool isForeign() const;
};

enum class RunnerKind { Local, Qemu, Ssh, Slurm };

std::string_view runnerKindName(RunnerKind K);
std::optional<RunnerKind> parseRunnerKind(std::string_view Name);

struct RunnerSpec {
  RunnerKind Kind = RunnerKind::Local;
  /// qemu: the program (default qemu-ARCH) and the sysroot its -L names
  /// (default /usr/TRIPLE, where Debian's cross packages install).
  std::string QemuProgram;
  std::string Sysroot;
  /// ssh: the hosts, tried in order (measure/SshSession.hpp); an ssh_config
  /// file for `ssh -F` (absolute; empty: the user's own); the remote folder
  /// under which each session makes its scratch folder.
  std::vector<std::string> Hosts;
  std::string SshConfig;
  std::string RemoteScratch; // also slurm: the folder on a node for its runs
  /// slurm (measure/SlurmRunner.hpp): srun's --partition, --account, --time
  /// and --constraint (empty: the cluster's defaults); the nodes measuring
  /// at once (one exclusive allocation each); how long to wait in the queue
  /// for a node before giving up.
  std::string Partition, Account, TimeLimit, Constraint;
  unsigned Nodes = 1;
  double QueueTimeoutSeconds = 3600;

  /// slurm: srun's options that pick where and on whose account
  /// (--partition=..., --account=..., --time=..., --constraint=...).
  std::vector<std::string> slurmOptions() const;

  /// The command prefix that starts a binary built for Target: empty for
  /// `local`, {qemu-aarch64, -L, /usr/aarch64-linux-gnu} for `qemu`.
  std::vector<std::string> launchPrefix(const TargetSpec &Target) const;
};

/// Whether an objective's value depends on time (wall, cpu, cycles, ...):
/// those are refused under an emulating runner.
bool objectiveNeedsTiming(ObjectiveKind K);

/// Reads `target` (triple required, cpu optional); errors name the field.
Result<TargetSpec> parseTargetSection(const JsonObject &O);
/// Reads `runner` (kind required; qemu, sysroot optional for kind qemu;
/// hosts required and ssh_config, scratch optional for kind ssh).
Result<RunnerSpec> parseRunnerSection(const JsonObject &O);

/// A host as the spec or --host may name it: [user@]host, an ssh_config alias or
/// ssh://user@host:port, no leading '-',
/// no spaces or shell metacharacters. Where names the field for errors.
Status checkSshHost(const std::string &Host, const std::string &Where);
/// A remote folder name: absolute, no spaces, quotes or shell metacharacters.
Status checkRemotePath(const std::string &Path, const std::string &Where);
/// A Slurm option value (Key: partition, account, time_limit, constraint) as
/// srun takes it; Where names the field or option for errors.
Status checkSlurmValue(const std::string &Key, const std::string &Value, const std::string &Where);
/// The largest number of nodes a run measures on at once.
constexpr unsigned MaxSlurmNodes = 64;

/// A triple whose architecture LLVM knows, else an error naming Where.
Status checkTriple(const std::string &Triple, const std::string &Where);

/// The combination's rules, checked after the spec and again after
/// command-line overrides (Where names them in errors): a foreign target
/// needs a runner that can run it, the qemu runner measures no time, and the
/// ssh runner measures what its helper can (wall, cpu, reported, size).
Status checkTargetAndRunner(const TargetSpec &Target, const RunnerSpec &Runner,
                            ObjectiveKind Objective, const std::string &Where);

} // namespace autopass
