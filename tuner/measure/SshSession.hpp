//===- measure/SshSession.hpp - One scratch folder on a remote host -*- C++ -*-===//
//
// The ssh runner's connection (docs/remote-runners.md): OpenSSH's client
// (`ssh`), never a library of our own, run as
//
//   ssh [-F CONFIG] -o BatchMode=yes -o StrictHostKeyChecking=yes
//       -o ControlMaster=auto -o ControlPath=LOCAL/%C -o ControlPersist=120 ...
//       -- HOST 'QUOTED COMMAND'
//
// Key-based only (BatchMode: a password or passphrase prompt is a failure,
// not a hang), host keys checked against known_hosts (a flag on the command
// line wins over any config file), one multiplexed connection reused by every
// command. The session owns a fresh folder under the host's scratch folder
// (mktemp -d); files are copied there by content name once, and the folder
// is removed when the session closes.
//
// Hosts are tried in order. Every reconnection counts (epoch()): to the same
// host (a run orphaned by the lost connection may have loaded it) or to the
// next one, so that a measurement never mixes samples taken before and after.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"
#include "util/Subprocess.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

struct SshOptions {
  std::vector<std::string> Hosts; // [user@]host or an ssh_config alias
  std::string ConfigFile;         // -F; empty: the user's ~/.ssh/config
  std::string Scratch = "/tmp";   // the remote parent of the session folder
  std::string Program = "ssh";
  /// The architecture the host must report (`uname -m`, compared as an
  /// LLVM architecture); empty: not checked.
  std::string ExpectedArch;
};


class SshSession {
public:
  explicit SshSession(SshOptions Options);
  ~SshSession();
  SshSession(const SshSession &) = delete;
  SshSession &operator=(const SshSession &) = delete;

  /// Connects to the current host (or the next ones that answer), checks
  /// its architecture and makes the session folder. Idempotent.
  Status open();
  /// After a lost connection: a new session folder on the same host, or on
  /// the next host that answers; the epoch advances either way. Fails when
  /// no host is left.
  Status recover();

  /// Runs Argv (quoted) on the session's host; stdin from StdinPath; at most
  /// OutputCap bytes of stdout kept. ExitCode 255 is ssh's own failure
  /// (connection, authentication); lost() then says so.
  Result<SubprocessResult> exec(const std::vector<std::string> &Argv, double TimeoutSeconds,
                                const std::string &StdinPath = "",
                                size_t OutputCap = 64u << 20);
  /// Whether the last command failed for want of a connection (ssh's exit
  /// code 255, or no answer within its time), not by its own doing.
  bool lost() const { return LastLost; }
  /// Copies LocalPath to the session folder as Name (once per session);
  /// returns the remote path.
  Result<std::string> upload(const std::string &LocalPath, const std::string &Name,
                             bool Executable);

  const std::string &host() const { return Options.Hosts[Current]; }
  const std::string &folder() const { return Folder; }
  unsigned epoch() const { return Epoch; }
  /// The argv prefix naming the host: for tests and for messages.
  std::vector<std::string> sshArgv(const std::string &Host) const;

private:
  Status connect(size_t Host);
  /// Ends the multiplexing master of the current host (`ssh -O exit`).
  void stopMaster();
  void close();

  SshOptions Options;
  size_t Current = 0;
  unsigned Epoch = 0;
  std::string ControlDir; // local, 0700, holds the multiplexing socket
  std::string Folder;     // remote; empty until open()
  std::set<std::string> Uploaded;
  bool LastLost = false;
};

} // namespace autopass
