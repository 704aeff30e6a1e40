//===- measure/Runner.cpp - Run the program once --------------------------===//
#include "measure/Runner.hpp"

#include "measure/PerfCounter.hpp"
#include "measure/SlurmRunner.hpp"
#include "measure/SshRunner.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"

#include <cstdlib>
#include <regex>

namespace autopass {

Result<std::vector<std::unique_ptr<Runner>>>
makeRunners(const ProgramSpec &Spec, const Toolchain &Tools, const std::string &ScratchRoot,
            std::optional<int> PinCpu, const std::function<void(const std::string &)> &Warn) {
  std::vector<std::unique_ptr<Runner>> One;
  if (Spec.Runner.Kind == RunnerKind::Slurm)
    return SlurmRunner::createLanes(Spec, Tools, ScratchRoot, PinCpu, Warn);
  if (Spec.Runner.Kind != RunnerKind::Ssh) {
    One.push_back(std::make_unique<LocalRunner>(Spec, ScratchRoot, PinCpu));
    return One;
  }
  auto R = SshRunner::create(Spec, Tools, ScratchRoot, PinCpu);
  if (!R)
    return R.error();
  One.push_back(std::move(*R));
  return One;
}

bool Runner::takeProcessValue(RunOutcome &R, const ObjectiveSpec &Objective,
                              const std::string &Printed) {
  switch (Objective.Kind) {
  case ObjectiveKind::Wall:
  case ObjectiveKind::Size:
    R.Value = R.Process.WallSeconds;
    return true;
  case ObjectiveKind::Cpu:
    R.Value = R.Process.UserSeconds + R.Process.SysSeconds;
    return true;
  case ObjectiveKind::Reported:
    if (auto V = parseReported(Printed, Objective.Regex))
      R.Value = *V;
    else
      R.Problem = V.message();
    return true;
  default:
    return false;
  }
}

LocalRunner::LocalRunner(const ProgramSpec &Spec, std::string ScratchRoot,
                         std::optional<int> PinCpu)
    : Spec(Spec), ScratchRoot(std::move(ScratchRoot)), PinCpu(PinCpu) {}

Result<double> Runner::parseCallgrindTotal(const std::string &Text) {
  // "summary: N" is written by callgrind at exit ("totals:" by older ones).
  for (const char *Key : {"summary:", "totals:"}) {
    for (const auto &Line : split(Text, '\n')) {
      if (!startsWith(Line, Key))
        continue;
      std::string Rest(trim(std::string_view(Line).substr(std::string_view(Key).size())));
      char *End = nullptr;
      double V = std::strtod(Rest.c_str(), &End);
      if (End != Rest.c_str())
        return V;
    }
  }
  return makeError("callgrind output has no summary line");
}

Result<double> Runner::parseReported(const std::string &Stdout, const std::string &Regex) {
  try {
    std::regex Re(Regex, std::regex::ECMAScript);
    std::smatch M;
    if (!std::regex_search(Stdout, M, Re) || M.size() < 2)
      return makeError("objective.regex " + Regex + " does not match the program's output");
    std::string Figure = M[1].str();
    char *End = nullptr;
    double V = std::strtod(Figure.c_str(), &End);
    if (End == Figure.c_str())
      return makeError("objective.regex matched \"" + Figure + "\", which is not a number");
    return V;
  } catch (const std::exception &E) {
    return makeError(std::string("objective.regex failed: ") + E.what());
  }
}

Result<RunOutcome> LocalRunner::run(const std::string &Binary, const ObjectiveSpec &Objective,
                                    RunOutput Output) {
  std::string WorkDir = Spec.Run.Cwd;
  std::string Scratch;
  if (WorkDir.empty()) {
    auto Dir = makeTempDirectory(ScratchRoot, "run-");
    if (!Dir)
      return Dir.error();
    Scratch = WorkDir = *Dir;
  }
  SubprocessOptions O;
  // The runner decides how the binary starts: directly, or under qemu-user.
  O.Argv = Spec.Runner.launchPrefix(Spec.Target);
  O.Argv.push_back(Binary);
  O.Argv.insert(O.Argv.end(), Spec.Run.Args.begin(), Spec.Run.Args.end());
  O.Env = Spec.Run.Env;
  O.Cwd = WorkDir;
  O.StdinPath = Spec.Run.StdinPath;
  O.TimeoutSeconds = Spec.Run.TimeoutSeconds;
  O.PinCpu = PinCpu;
  O.OutputCap = 64u << 20;
  bool Keep = Output == RunOutput::Keep;
  if (!Keep && Objective.Kind != ObjectiveKind::Reported)
    O.StdoutPath = "/dev/null";

  std::string CallgrindOut;
  if (Objective.Kind == ObjectiveKind::Callgrind) {
    CallgrindOut = joinPath(WorkDir.empty() ? ScratchRoot : (Scratch.empty() ? ScratchRoot : Scratch),
                            "callgrind.out.autopass");
    std::vector<std::string> Argv = {"valgrind", "--tool=callgrind", "--quiet",
                                     "--callgrind-out-file=" + CallgrindOut, "--"};
    Argv.insert(Argv.end(), O.Argv.begin(), O.Argv.end());
    O.Argv = Argv;
    // Valgrind is 20-100x slower; the spec's timeout is for native runs.
    O.TimeoutSeconds = Spec.Run.TimeoutSeconds * 100;
  }

  PerfCounter Counter;
  Status CounterStatus = success();
  if (Objective.Kind == ObjectiveKind::Cycles || Objective.Kind == ObjectiveKind::Instructions) {
    PerfEvent Event =
        Objective.Kind == ObjectiveKind::Cycles ? PerfEvent::Cycles : PerfEvent::Instructions;
    O.BeforeExec = [&](pid_t Pid) { CounterStatus = Counter.attach(Pid, Event); };
  }

  auto P = runSubprocess(O);
  if (!P) {
    if (!Scratch.empty())
      (void)removeAll(Scratch);
    return P.error();
  }
  RunOutcome R;
  R.Process = std::move(*P);
  if (Keep)
    R.Output.Stdout = std::move(R.Process.Stdout);
  const std::string &Printed = Keep ? R.Output.Stdout : R.Process.Stdout;
  R.Output.StdoutTruncated = R.Process.StdoutTruncated;
  R.Output.ExitCode = R.Process.Signal || R.Process.TimedOut ? -1 : R.Process.ExitCode;
  if (Keep && Spec.Check.Kind == CheckKind::Files)
    for (const auto &F : Spec.Check.Files)
      if (auto Content = readFile(absolutePath(F, WorkDir)))
        R.Output.Files[F] = std::move(*Content);

  bool Finished = !R.Process.TimedOut && R.Process.Signal == 0;
  if (Finished && !takeProcessValue(R, Objective, Printed)) {
    switch (Objective.Kind) {
    case ObjectiveKind::Cycles:
    case ObjectiveKind::Instructions:
      if (!CounterStatus) {
        R.Problem = CounterStatus.message();
      } else if (auto Count = Counter.read()) {
        R.Value = static_cast<double>(*Count);
      } else {
        R.Problem = Count.message();
      }
      break;
    case ObjectiveKind::Callgrind:
      if (auto Text = readFile(CallgrindOut)) {
        if (auto V = parseCallgrindTotal(*Text))
          R.Value = *V;
        else
          R.Problem = V.message();
      } else {
        R.Problem = "valgrind wrote no callgrind output: " + std::string(trim(R.Process.Stderr)).substr(0, 300);
      }
      break;
    default: // taken by takeProcessValue
      break;
    }
  }
  if (!Scratch.empty())
    (void)removeAll(Scratch);
  else if (!CallgrindOut.empty())
    (void)removeAll(CallgrindOut);
  return R;
}

} // namespace autopass
