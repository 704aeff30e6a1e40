//===- measure/MeasureHelper.cpp - The measuring helper's two ends --------===//
#include "measure/MeasureHelper.hpp"

#include "search/KnobCatalog.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Strings.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace autopass {

Result<std::string> buildMeasureHelper(const ProgramSpec &Spec, const Toolchain &Tools,
                                       const std::string &Dir) {
  std::vector<std::string> Tried;
  std::string Source = KnobCatalog::findDataFile("autopass-measure.c", Tried);
  if (Source.empty())
    return makeError("the measuring helper's source autopass-measure.c was not found (tried " +
                     join(Tried, ", ") + "; set AUTOPASS_DATA_DIR)");
  std::vector<std::string> Argv = {Tools.Clang, "-O2", "-w"};
  for (const auto &F : Spec.targetFlags())
    Argv.push_back(F);
  Hasher H;
  if (Status S = H.addFile("source", Source); !S)
    return S.error();
  H.add("argv", join(Argv, "\n")).add("clang", Tools.ClangVersion);
  std::string Out = joinPath(Dir, "autopass-measure-" + H.hexDigest().substr(0, 16));
  if (pathExists(Out))
    return Out;
  if (Status S = makeDirectories(Dir); !S)
    return S.error();
  Argv.insert(Argv.end(), {Source, "-o", Out + ".part"});
  SubprocessOptions O;
  O.Argv = Argv;
  O.TimeoutSeconds = 120;
  auto R = runSubprocess(O);
  if (!R)
    return makeError("cannot build the measuring helper: " + R.message());
  if (!R->succeeded())
    return makeError("building the measuring helper for " + Spec.Target.effectiveTriple() +
                     " failed (" + join(Argv, " ") + "): " +
                     std::string(trim(R->Stderr)).substr(0, 2000));
  if (std::rename((Out + ".part").c_str(), Out.c_str()) != 0)
    return makeError("cannot rename " + Out + ".part: " + std::strerror(errno));
  return Out;
}

std::vector<std::string> helperArguments(const ProgramSpec &Spec, const ObjectiveSpec &Objective,
                                         const HelperRun &Run, std::optional<int> PinCpu) {
  std::vector<std::string> Argv = {"--dir", Run.RunFolder, "--timeout",
                                   formatFixed(Spec.Run.TimeoutSeconds, 3)};
  if (PinCpu)
    Argv.insert(Argv.end(), {"--pin", std::to_string(*PinCpu)});
  bool Keep = Run.Output == RunOutput::Keep;
  if (Keep || Objective.Kind == ObjectiveKind::Reported)
    Argv.push_back("--keep-stdout");
  if (!Run.Stdin.empty())
    Argv.insert(Argv.end(), {"--stdin", Run.Stdin});
  if (Keep && Spec.Check.Kind == CheckKind::Files)
    for (const auto &F : Spec.Check.Files)
      Argv.insert(Argv.end(), {"--file", F});
  for (const auto &[K, V] : Spec.Run.Env)
    Argv.insert(Argv.end(), {"--env", K + "=" + V});
  Argv.push_back("--");
  Argv.push_back(Run.Binary);
  Argv.insert(Argv.end(), Run.Args.begin(), Run.Args.end());
  return Argv;
}

Result<RunOutcome> outcomeFromReport(const ProgramSpec &Spec, const ObjectiveSpec &Objective,
                                     RunOutput Output, RemoteReport Report,
                                     const std::string &Where, const std::string &Folder,
                                     const std::string &Binary, const std::string &RunnerName) {
  if (Report.ExecErrno != 0)
    return makeError(Where + " cannot start " + fileName(Binary) + ": " +
                     std::strerror(Report.ExecErrno) +
                     (Report.ExecErrno == ENOEXEC ? " (a binary for another architecture?)" : ""));
  if (Report.DiskFull)
    return makeError(Where + ": the disk of " + Folder +
                     " was full after the run; its output may be cut short");
  if (!Report.TruncatedFiles.empty())
    return makeError(Where + ": check file " + Report.TruncatedFiles.front() +
                     " is longer than the measuring helper's 64 MiB");
  RunOutcome R;
  R.Process = std::move(Report.Process);
  if (R.Process.ExitCode == 127 &&
      R.Process.Stderr.find("error while loading shared libraries") != std::string::npos)
    return makeError(Where + " cannot start " + fileName(Binary) + ": " +
                     std::string(trim(R.Process.Stderr)).substr(0, 500));
  // The helper takes wall time and rusage; the spec check refuses the rest.
  if (!R.Process.TimedOut && R.Process.Signal == 0 &&
      !Runner::takeProcessValue(R, Objective, R.Process.Stdout))
    R.Problem = "objective " + std::string(objectiveKindName(Objective.Kind)) +
                " is not measured by the " + RunnerName + " runner";
  bool Keep = Output == RunOutput::Keep;
  if (Keep)
    R.Output.Stdout = std::move(R.Process.Stdout);
  R.Output.StdoutTruncated = R.Process.StdoutTruncated;
  R.Output.ExitCode = R.Process.Signal || R.Process.TimedOut ? -1 : R.Process.ExitCode;
  // Only the files the spec names (a report is untrusted: its names are
  // later paths under the run directory).
  if (Keep && Spec.Check.Kind == CheckKind::Files)
    for (const auto &F : Spec.Check.Files)
      if (auto It = Report.Files.find(F); It != Report.Files.end())
        R.Output.Files[F] = std::move(It->second);
  return R;
}

} // namespace autopass
