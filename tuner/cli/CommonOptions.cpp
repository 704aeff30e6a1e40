//===- cli/CommonOptions.cpp - Options shared by subcommands --------------===//
#include "cli/CommonOptions.hpp"

#include "search/ConfigPolicy.hpp"
#include "search/KnobCatalog.hpp"
#include "toolchain/CrossToolchain.hpp"
#include "util/Strings.hpp"
#include "util/FileSystem.hpp"
#include "util/Time.hpp"

#include <cstdio>
#include <thread>
#include <tuple>

namespace autopass {

void addCommonOptions(cxxopts::Options &Options) {
  // clang-format off
  Options.add_options("Run directory")
    ("run-dir", "Run directory (default: ./autopass-runs/NAME-COMMAND-TIMESTAMP)", cxxopts::value<std::string>())
    ("resume", "Continue the run in --run-dir: finished evaluations are read from its journal, not redone")
    ("json", "Also write the result JSON to this file (always written to RUN_DIR/results/)", cxxopts::value<std::string>());
  Options.add_options("Measurement")
    ("objective", "Override the spec's objective: wall, cpu, size, cycles, instructions, callgrind, reported", cxxopts::value<std::string>())
    ("warmups", "Warm-up pairs before measuring", cxxopts::value<unsigned>()->default_value("1"))
    ("min-reps", "Minimum measured pairs (baseline + candidate runs, interleaved)", cxxopts::value<unsigned>()->default_value("5"))
    ("max-reps", "Maximum measured pairs", cxxopts::value<unsigned>()->default_value("30"))
    ("ci", "Target relative half-width of the speedup's 95% interval (0.01 = +/-1%)", cxxopts::value<double>()->default_value("0.01"))
    ("pin-cpu", "Pin measured runs to this CPU (sched_setaffinity)", cxxopts::value<int>())
    ("seed", "Seed of the run-order RNG and of the bootstrap", cxxopts::value<uint64_t>()->default_value("1579220717"))
    ("abab", "Strict ABAB order instead of a random order inside each pair")
    ("fixed-rule", "Measure every candidate until --ci or --max-reps (default: stop as soon as the keep/drop decision is clear)")
    ("time-identical", "Time candidates whose loaded image is identical to -O3's too (default: checked, not timed)")
    ("skip-identical", "The default since identical images are skipped anyway; kept for old scripts");
  addTargetOptions(Options);
  Options.add_options("Tools")
    ("jobs", "Parallel builds (measurements on one machine are never parallel; --runner slurm measures --nodes at once)", cxxopts::value<unsigned>()->default_value(std::to_string(std::max(1u, std::thread::hardware_concurrency()))))
    ("llvm-bindir", "Directory of clang, opt, llc (default: $AUTOPASS_LLVM_BINDIR, else the build's LLVM)", cxxopts::value<std::string>())
    ("quiet", "No progress lines on stderr")
    ("h,help", "Show this help");
  // clang-format on
}

void addTargetOptions(cxxopts::Options &Options) {
  // clang-format off
  Options.add_options("Target")
    ("target", "Build for this target triple (e.g. aarch64-linux-gnu), overriding the spec's target.triple (docs/cross-targets.md)", cxxopts::value<std::string>(), "TRIPLE")
    ("mcpu", "CPU of the target (clang -mcpu=), overriding the spec's target.cpu", cxxopts::value<std::string>(), "CPU")
    ("runner", "Where binaries run: local; ssh (remote hosts, timed there: --host, docs/remote-runners.md); slurm (nodes of a Slurm cluster, N evaluations at once: --nodes, docs/cluster.md); or qemu (qemu-user: output checks and the size objective only, never timings)", cxxopts::value<std::string>(), "KIND")
    ("host", "With --runner ssh: a host ([user@]host or an ssh_config alias); repeat or separate by commas for fallback hosts, tried in order", cxxopts::value<std::vector<std::string>>(), "HOST")
    ("ssh-config", "With --runner ssh: the ssh_config file for ssh -F (default: the user's ~/.ssh/config)", cxxopts::value<std::string>(), "FILE")
    ("nodes", "With --runner slurm: nodes measuring at once, one exclusive allocation each (default 1; the run directory must be on a file system the nodes share)", cxxopts::value<unsigned>(), "N")
    ("partition", "With --runner slurm: srun --partition", cxxopts::value<std::string>(), "NAME")
    ("account", "With --runner slurm: srun --account", cxxopts::value<std::string>(), "NAME")
    ("time-limit", "With --runner slurm: srun --time of each node's allocation (it holds the node for the whole run)", cxxopts::value<std::string>(), "TIME")
    ("constraint", "With --runner slurm: srun --constraint (node features)", cxxopts::value<std::string>(), "EXPR");
  // clang-format on
}

Status applyStoppingOptions(const cxxopts::ParseResult &Args, MeasurementPlan &Plan) {
  if (Args.count("time-identical") && Args.count("skip-identical"))
    return makeError("--time-identical and --skip-identical contradict each other");
  Plan.SkipIdenticalToBaseline = !Args.count("time-identical");
  Plan.Sequential = !Args.count("fixed-rule");
  return success();
}

namespace {
/// --host and --ssh-config: only with runner ssh, which then needs a host.
Status applySshOptions(const cxxopts::ParseResult &Args, ProgramSpec &Spec) {
  bool Ssh = Spec.Runner.Kind == RunnerKind::Ssh;
  for (const char *Name : {"host", "ssh-config"})
    if (Args.count(Name) && !Ssh)
      return makeError(std::string("--") + Name + " is for --runner ssh (the runner is " +
                       std::string(runnerKindName(Spec.Runner.Kind)) + ")");
  if (Args.count("host")) {
    Spec.Runner.Hosts.clear();
    for (const auto &Item : Args["host"].as<std::vector<std::string>>())
      for (const auto &Host : split(Item, ','))
        if (Status S = checkSshHost(Host, "--host"); !S)
          return S;
        else
          Spec.Runner.Hosts.push_back(Host);
  }
  if (Args.count("ssh-config")) {
    std::string File = Args["ssh-config"].as<std::string>();
    if (!pathExists(File))
      return makeError("--ssh-config: " + File + " does not exist");
    Spec.Runner.SshConfig = absolutePath(File);
  }
  if (Ssh && Spec.Runner.Hosts.empty())
    return makeError("--runner ssh needs --host (or the spec's runner.hosts)");
  return success();
}

/// --nodes, --partition, --account, --time-limit, --constraint: runner slurm.
Status applySlurmOptions(const cxxopts::ParseResult &Args, ProgramSpec &Spec) {
  bool Slurm = Spec.Runner.Kind == RunnerKind::Slurm;
  for (const char *Name : {"nodes", "partition", "account", "time-limit", "constraint"})
    if (Args.count(Name) && !Slurm)
      return makeError(std::string("--") + Name + " is for --runner slurm (the runner is " +
                       std::string(runnerKindName(Spec.Runner.Kind)) + ")");
  if (Args.count("nodes")) {
    unsigned N = Args["nodes"].as<unsigned>();
    if (N < 1 || N > MaxSlurmNodes)
      return makeError("--nodes: expected 1 to " + std::to_string(MaxSlurmNodes) + ", got " +
                       std::to_string(N));
    Spec.Runner.Nodes = N;
  }
  for (const auto &[Name, Key, Field] :
       {std::tuple<const char *, const char *, std::string *>{"partition", "partition",
                                                              &Spec.Runner.Partition},
        {"account", "account", &Spec.Runner.Account},
        {"time-limit", "time_limit", &Spec.Runner.TimeLimit},
        {"constraint", "constraint", &Spec.Runner.Constraint}})
    if (Args.count(Name)) {
      std::string V = Args[Name].as<std::string>();
      if (Status S = checkSlurmValue(Key, V, std::string("--") + Name); !S)
        return S;
      *Field = V;
    }
  return success();
}
} // namespace

Status applyTargetOptions(const cxxopts::ParseResult &Args, ProgramSpec &Spec) {
  bool Changed = false;
  if (Args.count("target")) {
    std::string Triple = Args["target"].as<std::string>();
    if (Status S = checkTriple(Triple, "--target"); !S)
      return S;
    if (Spec.isProject())
      return makeError("--target: " + Spec.SpecPath + " describes a project build, whose units "
                       "carry their own target flags");
    Spec.Target.Triple = Triple;
    Changed = true;
  }
  if (Args.count("mcpu")) {
    std::string Cpu = Args["mcpu"].as<std::string>();
    if (Cpu.empty() || Cpu.find_first_of(" \t\n=") != std::string::npos)
      return makeError("--mcpu: expected a CPU name such as neoverse-n1, got \"" + Cpu + "\"");
    if (Spec.Target.isHost())
      return makeError("--mcpu needs a target: give --target (or the spec's target.triple)");
    Spec.Target.Cpu = Cpu;
    Changed = true;
  }
  if (Args.count("runner")) {
    auto K = parseRunnerKind(Args["runner"].as<std::string>());
    if (!K)
      return makeError("--runner: expected local, ssh, slurm or qemu, got \"" +
                       Args["runner"].as<std::string>() + "\"");
    if (*K != Spec.Runner.Kind) {
      Spec.Runner = RunnerSpec{};
      Spec.Runner.Kind = *K;
    }
    Changed = true;
  }
  if (Status S = applySshOptions(Args, Spec); !S)
    return S;
  if (Status S = applySlurmOptions(Args, Spec); !S)
    return S;
  if (Changed)
    for (const std::string &F : Spec.TargetFlags)
      if (startsWith(F, "--target") || F == "-target" || startsWith(F, "-mcpu"))
        return makeError("--target/--mcpu: " + Spec.SpecPath + " already names the target in "
                         "target_flags (\"" + F + "\"); remove it there");
  if (Status S = checkRunnerEnvironment(Spec); !S)
    return S;
  // --objective, --target and --runner together must still make sense.
  return checkTargetAndRunner(Spec.Target, Spec.Runner, Spec.Objective.Kind,
                              "--target/--runner/--objective");
}

Result<CandidateConfig> loadAllowedConfig(const std::string &Path) {
  auto Config = CandidateConfig::load(Path);
  if (!Config)
    return Config.error();
  auto Catalog = KnobCatalog::loadDefault();
  if (!Catalog)
    return Catalog.error();
  if (Status S = checkConfigAllowed(*Config, *Catalog); !S)
    return makeError(Path + ": " + S.message());
  return Config;
}

int parseOrExit(cxxopts::Options &Options, int Argc, char **Argv, cxxopts::ParseResult &Out) {
  try {
    Out = Options.parse(Argc, Argv);
  } catch (const std::exception &E) {
    std::fprintf(stderr, "%s: %s\n(see --help)\n", Options.program().c_str(), E.what());
    return 2;
  }
  if (Out.count("help")) {
    std::printf("%s\n", Options.help().c_str());
    return 0;
  }
  return -1;
}

Result<std::unique_ptr<Session>> openSession(const cxxopts::ParseResult &Args,
                                             const std::string &SpecPath,
                                             const std::string &Command,
                                             bool TimeIdentical) {
  auto S = std::make_unique<Session>();
  auto Spec = ProgramSpec::load(SpecPath);
  if (!Spec)
    return Spec.error();
  S->Spec = std::move(*Spec);
  if (Args.count("objective")) {
    auto K = parseObjectiveKind(Args["objective"].as<std::string>());
    if (!K)
      return makeError("--objective: expected wall, cpu, size, cycles, instructions, callgrind "
                       "or reported; got \"" + Args["objective"].as<std::string>() + "\"");
    if (*K == ObjectiveKind::Reported && S->Spec.Objective.Regex.empty())
      return makeError("--objective reported: the spec has no objective.regex");
    S->Spec.Objective.Kind = *K;
  }

  if (Status St = applyTargetOptions(Args, S->Spec); !St)
    return St.error();

  MeasurementPlan &P = S->Plan;
  P.Warmups = Args["warmups"].as<unsigned>();
  P.MinReps = Args["min-reps"].as<unsigned>();
  P.MaxReps = Args["max-reps"].as<unsigned>();
  P.TargetCi = Args["ci"].as<double>();
  P.Seed = Args["seed"].as<uint64_t>();
  P.RandomizeOrder = !Args.count("abab");
  if (Status S = applyStoppingOptions(Args, P); !S)
    return S.error();
  if (TimeIdentical)
    P.SkipIdenticalToBaseline = false;
  if (Args.count("pin-cpu"))
    P.PinCpu = Args["pin-cpu"].as<int>();
  if (P.MinReps < 1)
    return makeError("--min-reps: expected at least 1");
  if (P.MaxReps < P.MinReps)
    return makeError("--max-reps: expected at least --min-reps (" + std::to_string(P.MinReps) + ")");
  if (!(P.TargetCi > 0))
    return makeError("--ci: expected a positive fraction such as 0.01");

  auto Tools = Toolchain::locate(Args.count("llvm-bindir") ? Args["llvm-bindir"].as<std::string>() : "");
  if (!Tools)
    return Tools.error();
  S->Tools = std::move(*Tools);
  if (Status St = checkCrossToolchain(S->Spec, S->Tools); !St)
    return St.error();

  bool Resume = Args.count("resume") != 0;
  std::string Dir;
  if (Args.count("run-dir")) {
    Dir = Args["run-dir"].as<std::string>();
  } else {
    if (Resume)
      return makeError("--resume needs --run-dir (the run to continue)");
    Dir = joinPath("autopass-runs", S->Spec.Name + "-" + Command + "-" + compactTimestampNow());
  }
  bool Quiet = Args.count("quiet") != 0;
  S->Prog = std::make_unique<Progress>(Quiet);
  auto Run = RunDir::open(Dir, Resume, Quiet);
  if (!Run)
    return Run.error();
  S->Run = std::move(*Run);
  if (!Quiet)
    std::fprintf(stderr, "run directory: %s%s\n", S->Run->path().c_str(),
                 S->Run->resumed() ? " (resumed)" : "");
  if (Args.count("json"))
    S->JsonOut = Args["json"].as<std::string>();

  auto Eval = Evaluator::create(S->Spec, S->Tools, *S->Run, P, Args["jobs"].as<unsigned>(),
                                S->Prog.get());
  if (!Eval)
    return Eval.error();
  S->Eval = std::move(*Eval);
  return S;
}

std::string formatValue(ObjectiveKind Kind, double Value) {
  char Buf[64];
  switch (Kind) {
  case ObjectiveKind::Wall:
  case ObjectiveKind::Cpu:
    if (Value < 1e-3)
      std::snprintf(Buf, sizeof(Buf), "%.1f us", Value * 1e6);
    else if (Value < 1)
      std::snprintf(Buf, sizeof(Buf), "%.2f ms", Value * 1e3);
    else
      std::snprintf(Buf, sizeof(Buf), "%.4f s", Value);
    break;
  case ObjectiveKind::Size:
    std::snprintf(Buf, sizeof(Buf), "%.0f B", Value);
    break;
  case ObjectiveKind::Cycles:
    std::snprintf(Buf, sizeof(Buf), "%.4g cycles", Value);
    break;
  case ObjectiveKind::Instructions:
  case ObjectiveKind::Callgrind:
    std::snprintf(Buf, sizeof(Buf), "%.6g instr", Value);
    break;
  case ObjectiveKind::Reported:
    std::snprintf(Buf, sizeof(Buf), "%.6g", Value);
    break;
  }
  return Buf;
}

} // namespace autopass
