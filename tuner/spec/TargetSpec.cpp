//===- spec/TargetSpec.cpp - What the program is built for and where it runs ===//
#include "spec/TargetSpec.hpp"

#include "util/Strings.hpp"
#include "spec/ProgramSpec.hpp"
#include "util/Json.hpp"

#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>

namespace autopass {

std::vector<std::string> TargetSpec::driverFlags() const {
  std::vector<std::string> Flags;
  if (!Triple.empty())
    Flags.push_back("--target=" + Triple);
  if (!Cpu.empty())
    Flags.push_back("-mcpu=" + Cpu);
  return Flags;
}

std::vector<std::string> TargetSpec::toolFlags() const {
  std::vector<std::string> Flags;
  if (!Triple.empty())
    Flags.push_back("-mtriple=" + Triple);
  if (!Cpu.empty())
    Flags.push_back("-mcpu=" + Cpu);
  return Flags;
}

std::string TargetSpec::effectiveTriple() const {
  return Triple.empty() ? llvm::sys::getProcessTriple() : Triple;
}

std::string TargetSpec::archName() const {
  llvm::Triple T(Triple.empty() ? llvm::sys::getProcessTriple() : Triple);
  return llvm::Triple::getArchTypeName(T.getArch()).str();
}

bool TargetSpec::isForeign() const {
  if (Triple.empty())
    return false;
  return llvm::Triple(Triple).getArch() !=
         llvm::Triple(llvm::sys::getProcessTriple()).getArch();
}

std::string_view runnerKindName(RunnerKind K) {
  switch (K) {
  case RunnerKind::Local: return "local";
  case RunnerKind::Qemu: return "qemu";
  case RunnerKind::Ssh: return "ssh";
  case RunnerKind::Slurm: return "slurm";
  }
  return "local";
}

std::optional<RunnerKind> parseRunnerKind(std::string_view Name) {
  for (RunnerKind K : {RunnerKind::Local, RunnerKind::Qemu, RunnerKind::Ssh, RunnerKind::Slurm})
    if (runnerKindName(K) == Name)
      return K;
  return std::nullopt;
}

std::vector<std::string> RunnerSpec::slurmOptions() const {
  std::vector<std::string> Argv;
  if (!Partition.empty())
    Argv.push_back("--partition=" + Partition);
  if (!Account.empty())
    Argv.push_back("--account=" + Account);
  if (!TimeLimit.empty())
    Argv.push_back("--time=" + TimeLimit);
  if (!Constraint.empty())
    Argv.push_back("--constraint=" + Constraint);
  return Argv;
}

std::vector<std::string> RunnerSpec::launchPrefix(const TargetSpec &Target) const {
  if (Kind != RunnerKind::Qemu)
    return {};
  std::string Program = QemuProgram.empty() ? "qemu-" + Target.archName() : QemuProgram;
  std::string Root = Sysroot;
  if (Root.empty() && !Target.Triple.empty())
    Root = "/usr/" + Target.Triple;
  if (Root.empty())
    return {Program};
  return {Program, "-L", Root};
}

bool objectiveNeedsTiming(ObjectiveKind K) {
  // `reported` is the program's own figure, usually a time it measured.
  return K != ObjectiveKind::Size && K != ObjectiveKind::Callgrind;
}

namespace {
bool safeChars(std::string_view S, std::string_view Extra) {
  for (char C : S) {
    bool Ok = (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z') || (C >= '0' && C <= '9') ||
              Extra.find(C) != std::string_view::npos;
    if (!Ok)
      return false;
  }
  return true;
}

} // namespace

Status checkSshHost(const std::string &Host, const std::string &Where) {
  if (Host.empty() || Host.size() > 255 || Host[0] == '-' || !safeChars(Host, "._@:/[]-"))
    return makeError(Where + ": \"" + Host + "\" is not a host name (expected [user@]host, an "
                     "ssh_config alias or ssh://user@host:port; letters, digits and ._@:/[]- "
                     "only, not starting with -)");
  return success();
}

Status checkRemotePath(const std::string &Path, const std::string &Where) {
  if (Path.empty() || Path[0] != '/' || Path.size() > 200 || !safeChars(Path, "._/-+") ||
      Path.find("/../") != std::string::npos || endsWith(Path, "/.."))
    return makeError(Where + ": \"" + Path + "\" is not an absolute remote folder (letters, "
                     "digits and ._/-+ only, no ..)");
  return success();
}

Status checkSlurmValue(const std::string &Key, const std::string &Value,
                       const std::string &Where) {
  // Each goes to srun as one argument (--partition=VALUE), never through a
  // shell; still, only what Slurm's own syntax uses is accepted.
  bool Time = Key == "time_limit", Constraint = Key == "constraint";
  bool Ok = !Value.empty() && Value.size() <= 200 && Value[0] != '-' &&
            safeChars(Value, Time ? ":-" : Constraint ? "._-&|[]*()!,:" : "._-,");
  if (Ok && Time)
    Ok = Value.find_first_not_of("0123456789:-") == std::string::npos;
  if (!Ok)
    return makeError(Where + ": \"" + Value + "\" is not a Slurm " +
                     (Time ? "time limit (minutes, MM:SS, HH:MM:SS, D-HH or D-HH:MM:SS)"
                           : Constraint ? "constraint (features joined by & | and brackets)"
                                        : Key + " name (letters, digits and ._-, not starting "
                                          "with -)"));
  return success();
}

namespace {
/// What is wrong with a triple, "" when nothing is.
std::string tripleProblem(const std::string &Triple) {
  if (Triple.empty() || Triple.find_first_of(" \t\n=") != std::string::npos)
    return "expected a target triple such as \"aarch64-linux-gnu\"";
  if (llvm::Triple(Triple).getArch() == llvm::Triple::UnknownArch)
    return "\"" + Triple + "\" names no architecture LLVM knows (expected a triple such as "
           "\"aarch64-linux-gnu\")";
  return "";
}
} // namespace

Status checkTriple(const std::string &Triple, const std::string &Where) {
  std::string Problem = tripleProblem(Triple);
  if (!Problem.empty())
    return makeError(Where + ": " + Problem);
  return success();
}

Result<TargetSpec> parseTargetSection(const JsonObject &O) {
  if (Status S = O.checkKeys({"triple", "cpu"}); !S)
    return S.error();
  TargetSpec T;
  auto Triple = O.optString("triple");
  if (!Triple)
    return Triple.error();
  if (!*Triple)
    return O.error("triple", "required: a target triple such as \"aarch64-linux-gnu\"");
  if (std::string Problem = tripleProblem(**Triple); !Problem.empty())
    return O.error("triple", Problem);
  T.Triple = **Triple;
  auto Cpu = O.optString("cpu");
  if (!Cpu)
    return Cpu.error();
  if (*Cpu) {
    if (Cpu->value().empty() || Cpu->value().find_first_of(" \t\n=") != std::string::npos)
      return O.error("cpu", "expected a CPU name such as \"neoverse-n1\"");
    T.Cpu = **Cpu;
  }
  return T;
}

namespace {
Status parseSshFields(const JsonObject &O, RunnerSpec &R) {
  auto Hosts = O.optStringArray("hosts");
  if (!Hosts)
    return Hosts.error();
  if (!*Hosts || (*Hosts)->empty())
    return O.error("hosts", "required with kind \"ssh\": a non-empty list of hosts "
                            "([user@]host or an ssh_config alias)");
  for (size_t I = 0; I < (*Hosts)->size(); ++I)
    if (Status S = checkSshHost((**Hosts)[I], O.source() + ": field " + O.path("hosts") + "[" +
                                                   std::to_string(I) + "]"); !S)
      return S;
  R.Hosts = **Hosts;
  for (const char *Key : {"ssh_config", "scratch"}) {
    auto V = O.optString(Key);
    if (!V)
      return V.error();
    if (!*V)
      continue;
    if (V->value().empty())
      return O.error(Key, "expected a non-empty string");
    if (std::string(Key) == "scratch") {
      if (Status S = checkRemotePath(**V, O.source() + ": field " + O.path(Key)); !S)
        return S;
      R.RemoteScratch = **V;
    } else {
      R.SshConfig = **V;
    }
  }
  return success();
}
} // namespace

namespace {
Status parseSlurmFields(const JsonObject &O, RunnerSpec &R) {
  for (const char *Key : {"partition", "account", "time_limit", "constraint", "scratch"}) {
    auto V = O.optString(Key);
    if (!V)
      return V.error();
    if (!*V)
      continue;
    std::string Where = O.source() + ": field " + O.path(Key);
    std::string K = Key;
    if (Status S = K == "scratch" ? checkRemotePath(**V, Where) : checkSlurmValue(K, **V, Where); !S)
      return S;
    (K == "partition"    ? R.Partition
     : K == "account"    ? R.Account
     : K == "time_limit" ? R.TimeLimit
     : K == "constraint" ? R.Constraint
                         : R.RemoteScratch) = **V;
  }
  auto Nodes = O.optNumber("nodes");
  if (!Nodes)
    return Nodes.error();
  if (*Nodes) {
    double N = **Nodes;
    if (N < 1 || N > MaxSlurmNodes || N != static_cast<double>(static_cast<unsigned>(N)))
      return O.error("nodes", "expected a whole number of nodes from 1 to " +
                                  std::to_string(MaxSlurmNodes));
    R.Nodes = static_cast<unsigned>(N);
  }
  auto Wait = O.optNumber("queue_timeout_s");
  if (!Wait)
    return Wait.error();
  if (*Wait) {
    if (!(**Wait > 0) || **Wait > 7 * 24 * 3600)
      return O.error("queue_timeout_s", "expected seconds, more than 0 and at most a week");
    R.QueueTimeoutSeconds = **Wait;
  }
  return success();
}
} // namespace

Result<RunnerSpec> parseRunnerSection(const JsonObject &O) {
  if (Status S = O.checkKeys({"kind", "qemu", "sysroot", "hosts", "ssh_config", "scratch",
                              "partition", "account", "time_limit", "constraint", "nodes",
                              "queue_timeout_s"});
      !S)
    return S.error();
  RunnerSpec R;
  auto Kind = O.optString("kind");
  if (!Kind)
    return Kind.error();
  if (!*Kind)
    return O.error("kind", "required: \"local\", \"qemu\", \"ssh\" or \"slurm\"");
  auto K = parseRunnerKind(**Kind);
  if (!K)
    return O.error("kind", "expected \"local\", \"qemu\", \"ssh\" or \"slurm\", got \"" +
                               **Kind + "\"");
  R.Kind = *K;
  for (const char *Key : {"qemu", "sysroot"}) {
    auto V = O.optString(Key);
    if (!V)
      return V.error();
    if (!*V)
      continue;
    if (R.Kind != RunnerKind::Qemu)
      return O.error(Key, "only meaningful with kind \"qemu\"");
    if (V->value().empty())
      return O.error(Key, "expected a non-empty string");
    (std::string(Key) == "qemu" ? R.QemuProgram : R.Sysroot) = **V;
  }
  static const char *SlurmOnly[] = {"partition", "account", "time_limit",
                                     "constraint", "nodes",  "queue_timeout_s"};
  if (R.Kind != RunnerKind::Slurm)
    for (const char *Key : SlurmOnly)
      if (O.has(Key))
        return O.error(Key, "only meaningful with kind \"slurm\"");
  if (R.Kind == RunnerKind::Ssh) {
    if (Status S = parseSshFields(O, R); !S)
      return S.error();
    return R;
  }
  for (const char *Key : {"hosts", "ssh_config"})
    if (O.has(Key))
      return O.error(Key, "only meaningful with kind \"ssh\"");
  if (R.Kind == RunnerKind::Slurm) {
    if (Status S = parseSlurmFields(O, R); !S)
      return S.error();
    return R;
  }
  if (O.has("scratch"))
    return O.error("scratch", "only meaningful with kind \"ssh\" or \"slurm\"");
  return R;
}

Status checkTargetAndRunner(const TargetSpec &Target, const RunnerSpec &Runner,
                            ObjectiveKind Objective, const std::string &Where) {
  std::string Name = Target.Triple.empty() ? "the host" : Target.Triple;
  if (Target.isForeign() && Runner.Kind == RunnerKind::Local)
    return makeError(Where + ": target " + Name + " (" + Target.archName() +
                     ") cannot run on this " + TargetSpec{}.archName() +
                     " machine with runner \"local\"; choose runner \"ssh\" (a host of that "
                     "architecture, docs/remote-runners.md) or \"qemu\" (correctness and the "
                     "size objective, docs/cross-targets.md)");
  if (Runner.Kind == RunnerKind::Qemu && objectiveNeedsTiming(Objective))
    return makeError(Where + ": objective \"" + std::string(objectiveKindName(Objective)) +
                     "\" needs timings, and timings under runner \"qemu\" are emulated, never "
                     "a speedup; use objective \"size\" with runner \"qemu\"");
  bool Helper = Runner.Kind == RunnerKind::Ssh || Runner.Kind == RunnerKind::Slurm;
  if (Helper && (Objective == ObjectiveKind::Cycles || Objective == ObjectiveKind::Instructions ||
                 Objective == ObjectiveKind::Callgrind))
    return makeError(Where + ": objective \"" + std::string(objectiveKindName(Objective)) +
                     "\" is not measured by the " + std::string(runnerKindName(Runner.Kind)) +
                     " runner's helper (it takes wall time and rusage on the measuring machine); "
                     "use wall, cpu, reported or size");
  if (Runner.Kind == RunnerKind::Slurm && Target.isForeign())
    return makeError(Where + ": runner \"slurm\" measures targets of this machine's "
                     "architecture (the nodes run the binaries from the shared file system); "
                     "for " + Name + " use runner \"ssh\" with a host of that architecture");
  if (Runner.Kind == RunnerKind::Qemu && Objective == ObjectiveKind::Callgrind)
    return makeError(Where + ": objective \"callgrind\" cannot run a binary under runner "
                     "\"qemu\"; use objective \"size\"");
  return success();
}

} // namespace autopass
