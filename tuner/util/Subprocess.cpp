//===- util/Subprocess.cpp - Run a program, no shell ----------------------===//
//
// fork/exec rather than posix_spawn because the child must join its own
// process group, pin itself to a CPU and wait for the parent (perf counters
// are attached between fork and exec). Everything the child does between
// fork and exec is async-signal-safe: argv/envp are built before the fork,
// since the tuner forks from several build threads at once.
//
//===----------------------------------------------------------------------===//
#include "util/Subprocess.hpp"

#include <cerrno>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace autopass {

namespace {

double nowSeconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// One captured stream: appends to memory or to a file, up to a cap.
struct Sink {
  int Fd = -1;       // read end of the pipe, -1 once at EOF
  int FileFd = -1;   // destination file, or -1 for memory
  std::string *Memory = nullptr;
  size_t Cap = 0;
  size_t Kept = 0;
  bool *Truncated = nullptr;

  void consume(const char *Data, size_t N) {
    size_t Room = Kept < Cap ? Cap - Kept : 0;
    size_t Take = N < Room ? N : Room;
    if (Take < N)
      *Truncated = true;
    if (Take == 0)
      return;
    if (FileFd >= 0) {
      size_t Done = 0;
      while (Done < Take) {
        ssize_t W = ::write(FileFd, Data + Done, Take - Done);
        if (W < 0 && errno == EINTR)
          continue;
        if (W <= 0)
          break;
        Done += static_cast<size_t>(W);
      }
    } else {
      Memory->append(Data, Take);
    }
    Kept += Take;
  }

  /// Reads what is available; returns false at EOF.
  bool drain() {
    char Buf[65536];
    while (true) {
      ssize_t N = ::read(Fd, Buf, sizeof(Buf));
      if (N > 0) {
        consume(Buf, static_cast<size_t>(N));
        continue;
      }
      if (N == 0)
        return false;
      if (errno == EINTR)
        continue;
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
  }
};

int openPidFd(pid_t Pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, Pid, 0));
#else
  (void)Pid;
  errno = ENOSYS;
  return -1;
#endif
}

bool childHasExited(pid_t Pid) {
  siginfo_t Info;
  std::memset(&Info, 0, sizeof(Info));
  if (::waitid(P_PID, static_cast<id_t>(Pid), &Info, WEXITED | WNOHANG | WNOWAIT) != 0)
    return true; // ECHILD: nothing to wait for
  return Info.si_pid == Pid;
}

void closeFd(int &Fd) {
  if (Fd >= 0)
    ::close(Fd);
  Fd = -1;
}

} // namespace

std::string findProgram(const std::string &Name) {
  if (Name.find('/') != std::string::npos)
    return Name;
  const char *Path = std::getenv("PATH");
  std::string P = Path ? Path : "/usr/local/bin:/usr/bin:/bin";
  size_t Start = 0;
  while (Start <= P.size()) {
    size_t End = P.find(':', Start);
    if (End == std::string::npos)
      End = P.size();
    std::string Dir = P.substr(Start, End - Start);
    std::string Candidate = (Dir.empty() ? "." : Dir) + "/" + Name;
    if (::access(Candidate.c_str(), X_OK) == 0)
      return Candidate;
    Start = End + 1;
  }
  return "";
}

std::string SubprocessResult::describe(double TimeoutSeconds) const {
  if (TimedOut) {
    if (TimeoutSeconds > 0) {
      char Buf[64];
      std::snprintf(Buf, sizeof(Buf), "timed out after %g s", TimeoutSeconds);
      return Buf;
    }
    return "timed out";
  }
  if (Signal != 0)
    return "killed by signal " + std::to_string(Signal) + " (" + strsignal(Signal) + ")";
  return "exit code " + std::to_string(ExitCode);
}

Result<SubprocessResult> runSubprocess(const SubprocessOptions &Options) {
  if (Options.Argv.empty())
    return makeError("runSubprocess: empty command");
  std::string Program = findProgram(Options.Argv[0]);
  if (Program.empty())
    return makeError(Options.Argv[0] + ": program not found in PATH");

  // Everything the child needs, prepared before fork.
  std::vector<std::string> EnvStrings;
  for (char **E = environ; E && *E; ++E) {
    std::string Entry = *E;
    std::string Name = Entry.substr(0, Entry.find('='));
    if (!Options.Env.count(Name))
      EnvStrings.push_back(Entry);
  }
  for (const auto &[K, V] : Options.Env)
    EnvStrings.push_back(K + "=" + V);
  std::vector<char *> Envp;
  for (auto &S : EnvStrings)
    Envp.push_back(S.data());
  Envp.push_back(nullptr);
  std::vector<std::string> ArgStrings = Options.Argv;
  std::vector<char *> Argv;
  for (auto &S : ArgStrings)
    Argv.push_back(S.data());
  Argv.push_back(nullptr);

  std::string StdinPath = Options.StdinPath.empty() ? "/dev/null" : Options.StdinPath;
  int StdinFd = ::open(StdinPath.c_str(), O_RDONLY | O_CLOEXEC);
  if (StdinFd < 0)
    return makeError(StdinPath + ": cannot open as standard input: " + std::strerror(errno));

  SubprocessResult R;
  int OutFile = -1, ErrFile = -1;
  auto openOut = [](const std::string &Path, int &Fd) -> Status {
    if (Path.empty())
      return success();
    Fd = ::open(Path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (Fd < 0)
      return makeError(Path + ": cannot open for output: " + std::strerror(errno));
    return success();
  };
  if (Status S = openOut(Options.StdoutPath, OutFile); !S) {
    ::close(StdinFd);
    return S.error();
  }
  if (Status S = openOut(Options.StderrPath, ErrFile); !S) {
    ::close(StdinFd);
    closeFd(OutFile);
    return S.error();
  }

  int OutPipe[2], ErrPipe[2], ReleasePipe[2], ExecErrPipe[2];
  if (::pipe2(OutPipe, O_CLOEXEC) || ::pipe2(ErrPipe, O_CLOEXEC) ||
      ::pipe2(ReleasePipe, O_CLOEXEC) || ::pipe2(ExecErrPipe, O_CLOEXEC)) {
    ::close(StdinFd);
    return makeError(std::string("cannot create pipes: ") + std::strerror(errno));
  }

  const char *Cwd = Options.Cwd.empty() ? nullptr : Options.Cwd.c_str();
  bool Pin = Options.PinCpu.has_value();
  cpu_set_t CpuSet;
  CPU_ZERO(&CpuSet);
  if (Pin)
    CPU_SET(*Options.PinCpu, &CpuSet);

  pid_t Pid = ::fork();
  if (Pid < 0) {
    ::close(StdinFd);
    return makeError(std::string("fork failed: ") + std::strerror(errno));
  }
  if (Pid == 0) {
    // Child: async-signal-safe calls only.
    ::setpgid(0, 0);
    ::signal(SIGPIPE, SIG_DFL);
    int Err = 0;
    char Go;
    ::close(ReleasePipe[1]);
    while (::read(ReleasePipe[0], &Go, 1) < 0 && errno == EINTR) {
    }
    if (::dup2(StdinFd, 0) < 0 || ::dup2(OutPipe[1], 1) < 0 || ::dup2(ErrPipe[1], 2) < 0)
      Err = errno;
    if (!Err && Cwd && ::chdir(Cwd) != 0)
      Err = errno;
    if (!Err && Pin && ::sched_setaffinity(0, sizeof(CpuSet), &CpuSet) != 0)
      Err = errno;
    if (!Err) {
      ::execve(Program.c_str(), Argv.data(), Envp.data());
      Err = errno;
    }
    (void)!::write(ExecErrPipe[1], &Err, sizeof(Err));
    ::_exit(127);
  }

  // Parent.
  ::setpgid(Pid, Pid); // also done by the child; whichever runs first wins
  ::close(StdinFd);
  ::close(OutPipe[1]);
  ::close(ErrPipe[1]);
  ::close(ReleasePipe[0]);
  ::close(ExecErrPipe[1]);
  if (Options.BeforeExec)
    Options.BeforeExec(Pid);
  double Start = nowSeconds();
  (void)!::write(ReleasePipe[1], "g", 1);
  ::close(ReleasePipe[1]);

  Sink Out{OutPipe[0], OutFile, &R.Stdout, Options.OutputCap, 0, &R.StdoutTruncated};
  Sink ErrS{ErrPipe[0], ErrFile, &R.Stderr, Options.OutputCap, 0, &R.StderrTruncated};
  ::fcntl(Out.Fd, F_SETFL, O_NONBLOCK);
  ::fcntl(ErrS.Fd, F_SETFL, O_NONBLOCK);
  int PidFd = openPidFd(Pid);

  double Deadline = Options.TimeoutSeconds > 0 ? Start + Options.TimeoutSeconds : 0;
  double KillAt = 0; // when SIGKILL follows the SIGTERM of a timeout
  bool Exited = false;
  double End = 0;
  while (!Exited) {
    struct pollfd Fds[3];
    int N = 0;
    int OutIdx = -1, ErrIdx = -1, PidIdx = -1;
    if (Out.Fd >= 0) {
      OutIdx = N;
      Fds[N++] = {Out.Fd, POLLIN, 0};
    }
    if (ErrS.Fd >= 0) {
      ErrIdx = N;
      Fds[N++] = {ErrS.Fd, POLLIN, 0};
    }
    if (PidFd >= 0) {
      PidIdx = N;
      Fds[N++] = {PidFd, POLLIN, 0};
    }
    // Without a pidfd, exit is noticed by polling every millisecond.
    int WaitMs = PidFd >= 0 ? 200 : 1;
    double Now = nowSeconds();
    double Next = KillAt > 0 ? KillAt : Deadline;
    if (Next > 0) {
      // In double until it is known to be below WaitMs: a deadline days
      // away does not fit an int of milliseconds.
      double UntilMs = (Next - Now) * 1000 + 1;
      if (UntilMs < WaitMs)
        WaitMs = UntilMs < 0 ? 0 : static_cast<int>(UntilMs);
    }
    int Ready = ::poll(Fds, static_cast<nfds_t>(N), WaitMs);
    if (Ready < 0 && errno != EINTR)
      break;
    if (Ready > 0) {
      if (OutIdx >= 0 && (Fds[OutIdx].revents & (POLLIN | POLLHUP | POLLERR)) && !Out.drain())
        closeFd(Out.Fd);
      if (ErrIdx >= 0 && (Fds[ErrIdx].revents & (POLLIN | POLLHUP | POLLERR)) && !ErrS.drain())
        closeFd(ErrS.Fd);
    }
    bool Gone = PidIdx >= 0 ? (Ready > 0 && (Fds[PidIdx].revents & POLLIN)) : childHasExited(Pid);
    if (Gone) {
      End = nowSeconds();
      Exited = true;
      break;
    }
    Now = nowSeconds();
    if (KillAt > 0 && Now >= KillAt) {
      ::kill(-Pid, SIGKILL);
      KillAt = 0;
      Deadline = 0;
    } else if (Deadline > 0 && Now >= Deadline && !R.TimedOut) {
      R.TimedOut = true;
      ::kill(-Pid, SIGTERM);
      KillAt = Now + Options.KillGraceSeconds;
      Deadline = 0;
    }
  }
  // The leader has exited but is not reaped, so its group id is still
  // reserved: kill whatever it left behind (a grandchild holding the pipes).
  ::kill(-Pid, SIGKILL);
  struct rusage Usage;
  std::memset(&Usage, 0, sizeof(Usage));
  int WStatus = 0;
  while (::wait4(Pid, &WStatus, 0, &Usage) < 0 && errno == EINTR) {
  }
  if (!Exited)
    End = nowSeconds();
  // Drain what is left in the pipes (writers are gone now).
  for (Sink *S : {&Out, &ErrS}) {
    if (S->Fd < 0)
      continue;
    ::fcntl(S->Fd, F_SETFL, 0);
    S->drain();
    closeFd(S->Fd);
  }
  closeFd(PidFd);
  closeFd(OutFile);
  closeFd(ErrFile);

  int ExecErr = 0;
  ssize_t Got = ::read(ExecErrPipe[0], &ExecErr, sizeof(ExecErr));
  ::close(ExecErrPipe[0]);
  if (Got == static_cast<ssize_t>(sizeof(ExecErr)))
    return makeError(Options.Argv[0] + ": cannot start" +
                     (Cwd ? std::string(" in ") + Cwd : std::string()) + ": " +
                     std::strerror(ExecErr));

  R.WallSeconds = End - Start;
  R.UserSeconds = Usage.ru_utime.tv_sec + Usage.ru_utime.tv_usec / 1e6;
  R.SysSeconds = Usage.ru_stime.tv_sec + Usage.ru_stime.tv_usec / 1e6;
  R.MaxRssKb = Usage.ru_maxrss;
  if (WIFEXITED(WStatus)) {
    R.ExitCode = WEXITSTATUS(WStatus);
  } else if (WIFSIGNALED(WStatus)) {
    R.Signal = WTERMSIG(WStatus);
  }
  return R;
}

} // namespace autopass
