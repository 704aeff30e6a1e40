//===- measure/SshSession.cpp - One scratch folder on a remote host -------===//
#include "measure/SshSession.hpp"

#include "spec/TargetSpec.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"

#include <llvm/TargetParser/Triple.h>

namespace autopass {
namespace {

/// uname -m against the target: both read as LLVM architectures.
bool sameArch(const std::string &Uname, const std::string &Expected) {
  auto Arch = [](const std::string &Name) {
    return llvm::Triple(Name + "-unknown-linux-gnu").getArch();
  };
  return Arch(Uname) != llvm::Triple::UnknownArch && Arch(Uname) == Arch(Expected);
}

constexpr double ConnectSeconds = 30;

} // namespace

SshSession::SshSession(SshOptions O) : Options(std::move(O)) {}

SshSession::~SshSession() { close(); }

std::vector<std::string> SshSession::sshArgv(const std::string &Host) const {
  std::vector<std::string> A = {Options.Program};
  if (!Options.ConfigFile.empty())
    A.insert(A.end(), {"-F", Options.ConfigFile});
  // The command line wins over every config file: no prompt, host keys checked.
  for (const char *O : {"BatchMode=yes", "StrictHostKeyChecking=yes", "ConnectTimeout=10",
                        "ServerAliveInterval=5", "ServerAliveCountMax=3", "LogLevel=ERROR",
                        "ControlMaster=auto", "ControlPersist=120"})
    A.insert(A.end(), {"-o", O});
  if (!ControlDir.empty())
    A.insert(A.end(), {"-o", "ControlPath=" + ControlDir + "/%C"});
  A.insert(A.end(), {"--", Host});
  return A;
}

Result<SubprocessResult> SshSession::exec(const std::vector<std::string> &Argv,
                                          double TimeoutSeconds, const std::string &StdinPath,
                                          size_t OutputCap) {
  SubprocessOptions O;
  O.Argv = sshArgv(host());
  // ssh hands the remote side one command line for the login shell.
  O.Argv.push_back(shellJoin(Argv));
  O.StdinPath = StdinPath;
  O.TimeoutSeconds = TimeoutSeconds;
  O.KillGraceSeconds = 2;
  O.OutputCap = OutputCap;
  auto R = runSubprocess(O);
  LastLost = R && (R->ExitCode == 255 || R->TimedOut);
  return R;
}

Status SshSession::connect(size_t Host) {
  Current = Host;
  Uploaded.clear();
  Folder.clear();
  std::string Base = Options.Scratch.empty() ? "/tmp" : Options.Scratch;
  auto R = exec({"sh", "-c", "uname -m && mkdir -p \"$1\" && mktemp -d \"$1/autopass-XXXXXXXX\"",
                 "sh", Base},
                ConnectSeconds);
  if (!R)
    return makeError("cannot start " + Options.Program + ": " + R.message());
  std::string Err(trim(R->Stderr));
  if (R->TimedOut)
    return makeError(host() + ": no answer within " + formatFixed(ConnectSeconds, 0) + " s");
  if (R->ExitCode == 255)
    return makeError(host() + ": ssh failed: " + (Err.empty() ? "exit code 255" : Err));
  if (!R->succeeded())
    return makeError(host() + ": cannot make a scratch folder under " + Base + ": " +
                     (Err.empty() ? R->describe() : Err));
  auto Lines = split(std::string(trim(R->Stdout)), '\n');
  if (Lines.size() != 2 || checkRemotePath(std::string(trim(Lines[1])), "mktemp").ok() == false)
    return makeError(host() + ": unexpected answer to uname/mktemp: \"" +
                     std::string(trim(R->Stdout)).substr(0, 200) + "\"");
  std::string Machine(trim(Lines[0]));
  Folder = std::string(trim(Lines[1]));
  if (!Options.ExpectedArch.empty() && !sameArch(Machine, Options.ExpectedArch)) {
    std::string Made = Folder;
    (void)exec({"rm", "-rf", "--", Made}, ConnectSeconds);
    Folder.clear();
    return makeError(host() + " is a " + Machine + " machine; the binaries are built for " +
                     Options.ExpectedArch + " (set the spec's target, or another host)");
  }
  return success();
}

Status SshSession::open() {
  if (!Folder.empty())
    return success();
  if (Options.Hosts.empty())
    return makeError("runner ssh: no host given");
  if (ControlDir.empty()) {
    auto Dir = makeTempDirectory("/tmp", "autopass-ssh-");
    if (!Dir)
      return Dir.error();
    ControlDir = *Dir;
  }
  std::vector<std::string> Errors;
  for (size_t H = Current; H < Options.Hosts.size(); ++H) {
    if (H != Current)
      ++Epoch;
    Status S = connect(H);
    if (S)
      return success();
    Errors.push_back(S.message());
  }
  return makeError("no ssh host answered: " + join(Errors, "; "));
}

Status SshSession::recover() {
  // The old multiplexing master may hang on to a dead connection.
  stopMaster();
  std::string Lost = Folder;
  Folder.clear();
  // A new epoch even on the same host: what was measured before the loss
  // may have run beside an orphan, and is not compared with what follows.
  ++Epoch;
  if (Status S = connect(Current); S) {
    if (!Lost.empty())
      (void)exec({"rm", "-rf", "--", Lost}, ConnectSeconds);
    return success();
  }
  if (Current + 1 >= Options.Hosts.size())
    return makeError("host " + host() + " does not answer and no other host is left");
  ++Current;
  return open();
}

Result<std::string> SshSession::upload(const std::string &LocalPath, const std::string &Name,
                                       bool Executable) {
  if (Status S = open(); !S)
    return S.error();
  std::string Remote = Folder + "/" + Name;
  if (Uploaded.count(Name))
    return Remote;
  std::string Script = Executable ? "cat > \"$1.part\" && chmod 755 \"$1.part\" && mv \"$1.part\" \"$1\""
                                  : "cat > \"$1.part\" && mv \"$1.part\" \"$1\"";
  auto R = exec({"sh", "-c", Script, "sh", Remote}, 600, LocalPath);
  if (!R)
    return makeError("copying " + LocalPath + " to " + host() + ": " + R.message());
  if (!R->succeeded()) {
    std::string Err(trim(R->Stderr));
    return makeError("copying " + LocalPath + " to " + host() + ":" + Remote + " failed (" +
                     R->describe() + ")" + (Err.empty() ? "" : ": " + Err));
  }
  Uploaded.insert(Name);
  return Remote;
}

void SshSession::stopMaster() {
  if (ControlDir.empty())
    return;
  SubprocessOptions O;
  O.Argv = sshArgv(host());
  O.Argv.insert(O.Argv.end() - 2, {"-O", "exit"}); // before "--" HOST
  O.TimeoutSeconds = 10;
  (void)runSubprocess(O);
}

void SshSession::close() {
  if (!Folder.empty())
    (void)exec({"rm", "-rf", "--", Folder}, ConnectSeconds);
  Folder.clear();
  if (ControlDir.empty())
    return;
  stopMaster();
  (void)removeAll(ControlDir);
  ControlDir.clear();
}

} // namespace autopass
