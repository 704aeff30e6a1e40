//===- measure/SshRunner.cpp - Run and time the program on a remote host --===//
#include "measure/SshRunner.hpp"

#include "measure/RemoteReport.hpp"
#include "search/KnobCatalog.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <sys/stat.h>

namespace autopass {

struct SshRunner::Attempt {
  Result<RunOutcome> Outcome = makeError("not run");
  /// The connection (not the program) failed: worth a reconnect.
  bool Lost = false;
};

namespace {

/// A file name safe on the host: the content hash and the local name's
/// letters, digits and dots.
std::string contentName(const std::string &Hash, const std::string &Local) {
  std::string Name = Hash.substr(0, 16) + "-";
  for (char C : fileName(Local))
    Name += (std::isalnum(static_cast<unsigned char>(C)) || C == '.' || C == '_') ? C : '_';
  return Name.substr(0, 80);
}

} // namespace

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

Result<std::unique_ptr<SshRunner>> SshRunner::create(const ProgramSpec &Spec,
                                                     const Toolchain &Tools,
                                                     const std::string &LocalScratch,
                                                     std::optional<int> PinCpu) {
  if (Spec.Runner.Kind != RunnerKind::Ssh || Spec.Runner.Hosts.empty())
    return makeError("runner ssh needs at least one host");
  if (findProgram("ssh").empty())
    return makeError("runner ssh: the OpenSSH client `ssh` is not on PATH (Debian package "
                     "openssh-client)");
  auto Helper = buildMeasureHelper(Spec, Tools, joinPath(LocalScratch, "measure-helper"));
  if (!Helper)
    return Helper.error();
  SshOptions O;
  O.Hosts = Spec.Runner.Hosts;
  O.ConfigFile = Spec.Runner.SshConfig;
  if (!Spec.Runner.RemoteScratch.empty())
    O.Scratch = Spec.Runner.RemoteScratch;
  O.ExpectedArch = Spec.Target.archName();
  return std::unique_ptr<SshRunner>(new SshRunner(Spec, std::move(O), *Helper, PinCpu));
}

SshRunner::SshRunner(const ProgramSpec &Spec, SshOptions Options, std::string Helper,
                     std::optional<int> PinCpu)
    : Spec(Spec), Session(std::move(Options)), Helper(std::move(Helper)), PinCpu(PinCpu) {}

Result<std::string> SshRunner::copyByContent(const std::string &Local, bool Executable) {
  // Every run names the same binary and inputs: hash a file again only when
  // its size or modification time changed.
  struct stat St;
  if (::stat(Local.c_str(), &St) != 0)
    return makeError("cannot read " + Local + ": " + std::strerror(errno));
  std::string Stamp = std::to_string(St.st_size) + ":" + std::to_string(St.st_mtim.tv_sec) +
                      "." + std::to_string(St.st_mtim.tv_nsec);
  auto &[Known, Hash] = Hashes[Local];
  if (Known != Stamp || Hash.empty()) {
    auto H = fileSha256(Local);
    if (!H)
      return H.error();
    Known = Stamp;
    Hash = *H;
  }
  return Session.upload(Local, contentName(Hash, Local), Executable);
}

Result<std::vector<std::string>> SshRunner::remoteArgs() {
  // An argument naming a file under the spec's folder ({dir}/input.txt, or
  // --in={dir}/input.txt) names the copy on the host.
  std::vector<std::string> Args;
  std::string Prefix = Spec.Dir + "/";
  for (size_t I = 0; I < Spec.Run.Args.size(); ++I) {
    const std::string &A = Spec.Run.Args[I];
    size_t At = A.find(Prefix);
    if (At == std::string::npos || (At != 0 && A[At - 1] != '=')) {
      Args.push_back(A);
      continue;
    }
    std::string Local = A.substr(At);
    if (isDirectory(Local))
      return makeError(Spec.SpecPath + ": run.args[" + std::to_string(I) + "] names the folder " +
                       Local + "; runner ssh copies files named in the arguments, not folders");
    if (!pathExists(Local)) {
      Args.push_back(A);
      continue;
    }
    auto Remote = copyByContent(Local, false);
    if (!Remote)
      return Remote.error();
    Args.push_back(A.substr(0, At) + *Remote);
  }
  return Args;
}

SshRunner::Attempt SshRunner::runOnce(const std::string &Binary, const ObjectiveSpec &Objective,
                                      RunOutput Output) {
  Attempt A;
  auto Fail = [&](std::string Why, bool Lost) {
    A.Outcome = makeError(std::move(Why));
    A.Lost = Lost;
    return std::move(A);
  };
  if (Status S = Session.open(); !S)
    return Fail(S.message(), false);
  auto RemoteHelper = Session.upload(Helper, "autopass-measure", true);
  auto RemoteBinary = RemoteHelper ? copyByContent(Binary, true) : RemoteHelper;
  if (!RemoteBinary)
    return Fail(RemoteBinary.message(), Session.lost());
  std::vector<std::string> Argv = {*RemoteHelper, "--dir",
                                   Session.folder() + "/run-" + std::to_string(++Runs)};
  Argv.insert(Argv.end(), {"--timeout", formatFixed(Spec.Run.TimeoutSeconds, 3)});
  if (PinCpu)
    Argv.insert(Argv.end(), {"--pin", std::to_string(*PinCpu)});
  bool Keep = Output == RunOutput::Keep;
  if (Keep || Objective.Kind == ObjectiveKind::Reported)
    Argv.push_back("--keep-stdout");
  if (!Spec.Run.StdinPath.empty()) {
    auto In = copyByContent(Spec.Run.StdinPath, false);
    if (!In)
      return Fail(In.message(), Session.lost());
    Argv.insert(Argv.end(), {"--stdin", *In});
  }
  if (Keep && Spec.Check.Kind == CheckKind::Files)
    for (const auto &F : Spec.Check.Files)
      Argv.insert(Argv.end(), {"--file", F});
  for (const auto &[K, V] : Spec.Run.Env)
    Argv.insert(Argv.end(), {"--env", K + "=" + V});
  auto Args = remoteArgs();
  if (!Args)
    return Fail(Args.message(), Session.lost());
  Argv.push_back("--");
  Argv.push_back(*RemoteBinary);
  Argv.insert(Argv.end(), Args->begin(), Args->end());

  // Room for the report's every blob: stdout, the stderr tail, the files.
  size_t Cap = (64u << 20) * (2 + Spec.Check.Files.size());
  auto P = Session.exec(Argv, Spec.Run.TimeoutSeconds + 60, "", Cap);
  if (!P)
    return Fail(P.message(), false);
  std::string Err(trim(P->Stderr));
  if (Session.lost())
    return Fail("ssh to " + Session.host() + " failed during a run (" +
                    (P->TimedOut ? "no answer" : Err.empty() ? "exit code 255" : Err) + ")",
                true);
  if (P->ExitCode == 2 && startsWith(Err, "autopass-measure:"))
    return Fail(Session.host() + ": " + Err, false); // e.g. the disk is full
  auto Report = parseRemoteReport(P->Stdout);
  if (!Report)
    return Fail("the measuring helper on " + Session.host() + " gave no complete report (" +
                    Report.message() + ")" + (Err.empty() ? "" : ": " + Err.substr(0, 500)),
                false);
  if (Report->ExecErrno != 0)
    return Fail(Session.host() + " cannot start " + fileName(Binary) + ": " +
                    std::strerror(Report->ExecErrno) +
                    (Report->ExecErrno == ENOEXEC ? " (a binary for another architecture?)" : ""),
                false);
  if (Report->DiskFull)
    return Fail(Session.host() + ": the disk of " + Session.folder() +
                    " was full after the run; its output may be cut short",
                false);
  if (!Report->TruncatedFiles.empty())
    return Fail(Session.host() + ": check file " + Report->TruncatedFiles.front() +
                    " is longer than the measuring helper's 64 MiB",
                false);
  if (P->StdoutTruncated)
    return Fail(Session.host() + ": the measuring helper's report exceeded " +
                    std::to_string(Cap >> 20) + " MiB",
                false);
  RunOutcome R;
  R.Process = std::move(Report->Process);
  if (R.Process.ExitCode == 127 &&
      R.Process.Stderr.find("error while loading shared libraries") != std::string::npos)
    return Fail(Session.host() + " cannot start " + fileName(Binary) + ": " +
                    std::string(trim(R.Process.Stderr)).substr(0, 500),
                false);
  // The helper takes wall time and rusage; the spec check refuses the rest.
  if (!R.Process.TimedOut && R.Process.Signal == 0 &&
      !takeProcessValue(R, Objective, R.Process.Stdout))
    R.Problem = "objective " + std::string(objectiveKindName(Objective.Kind)) +
                " is not measured by the ssh runner";
  if (Keep)
    R.Output.Stdout = std::move(R.Process.Stdout);
  R.Output.StdoutTruncated = R.Process.StdoutTruncated;
  R.Output.ExitCode = R.Process.Signal || R.Process.TimedOut ? -1 : R.Process.ExitCode;
  // Only the files the spec names (a report is untrusted: its names are
  // later paths under the run directory).
  if (Keep && Spec.Check.Kind == CheckKind::Files)
    for (const auto &F : Spec.Check.Files)
      if (auto It = Report->Files.find(F); It != Report->Files.end())
        R.Output.Files[F] = std::move(It->second);
  A.Outcome = std::move(R);
  return A;
}

Result<RunOutcome> SshRunner::run(const std::string &Binary, const ObjectiveSpec &Objective,
                                  RunOutput Output) {
  Attempt First = runOnce(Binary, Objective, Output);
  if (First.Outcome || !First.Lost)
    return std::move(First.Outcome);
  // Lost: reconnect (the same host, or the next one that answers). The
  // epoch advances, and the caller measures again from the start.
  std::string Lost = Session.host();
  if (Status S = Session.recover(); !S)
    return makeError(First.Outcome.message() + "; " + S.message());
  return makeError(First.Outcome.message() + "; reconnected " +
                   (Session.host() == Lost ? "to " + Lost : "from " + Lost + " to " + Session.host()) +
                   ", where the measurement starts again");
}

} // namespace autopass
