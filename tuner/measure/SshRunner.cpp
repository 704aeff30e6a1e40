//===- measure/SshRunner.cpp - Run and time the program on a remote host --===//
#include "measure/SshRunner.hpp"

#include "measure/MeasureHelper.hpp"
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
  HelperRun Run;
  Run.RunFolder = Session.folder() + "/run-" + std::to_string(++Runs);
  Run.Binary = *RemoteBinary;
  Run.Output = Output;
  if (!Spec.Run.StdinPath.empty()) {
    auto In = copyByContent(Spec.Run.StdinPath, false);
    if (!In)
      return Fail(In.message(), Session.lost());
    Run.Stdin = *In;
  }
  auto Args = remoteArgs();
  if (!Args)
    return Fail(Args.message(), Session.lost());
  Run.Args = std::move(*Args);
  std::vector<std::string> Argv = {*RemoteHelper};
  for (auto &A : helperArguments(Spec, Objective, Run, PinCpu))
    Argv.push_back(std::move(A));

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
  if (P->StdoutTruncated)
    return Fail(Session.host() + ": the measuring helper's report exceeded " +
                    std::to_string(Cap >> 20) + " MiB",
                false);
  A.Outcome = outcomeFromReport(Spec, Objective, Output, std::move(*Report), Session.host(),
                                Session.folder(), Binary, "ssh");
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
