//===- measure/SlurmRunner.cpp - Measure on the nodes of a Slurm cluster --===//
#include "measure/SlurmRunner.hpp"

#include "measure/MeasureHelper.hpp"
#include "measure/RemoteReport.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Strings.hpp"
#include "util/Time.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace autopass {

struct SlurmAnswer {
  std::string Kind; // "report" or "error"
  std::string Body;
  /// The lane failed (no answer, srun ended, a malformed frame): the
  /// evaluation is measured again on a new allocation.
  bool Lost = false;
  std::string Why;
};

namespace {

/// A frame's payload is at most this: every blob of a report at its cap.
size_t answerCap(const ProgramSpec &Spec) {
  return (size_t(64) << 20) * (3 + Spec.Check.Files.size());
}

bool writeAll(int Fd, const std::string &Data) {
  size_t Done = 0;
  while (Done < Data.size()) {
    ssize_t N = ::write(Fd, Data.data() + Done, Data.size() - Done);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return false;
    Done += static_cast<size_t>(N);
  }
  return true;
}

bool isDigits(const std::string &S) {
  return !S.empty() && S.size() <= 20 && S.find_first_not_of("0123456789") == std::string::npos;
}

Result<SubprocessResult> slurmCommand(std::vector<std::string> Argv) {
  SubprocessOptions O;
  O.Argv = std::move(Argv);
  O.TimeoutSeconds = 60;
  return runSubprocess(O);
}

} // namespace

bool isOurJob(const std::string &Id);

std::string slurmRunKey(const std::string &LocalScratch) {
  Hasher H;
  H.add("run", absolutePath(LocalScratch));
  return H.hexDigest().substr(0, 12);
}

std::vector<std::string> srunArguments(const RunnerSpec &R, const std::string &RunKey,
                                       unsigned Lane, const std::string &Helper) {
  std::vector<std::string> Argv = {"srun", "--exclusive", "-N1", "-n1",
                                   "--job-name=autopass-" + RunKey,
                                   "--comment=autopass:" + RunKey + ":lane-" + std::to_string(Lane),
                                   "--kill-on-bad-exit=1"};
  if (!R.Partition.empty())
    Argv.push_back("--partition=" + R.Partition);
  if (!R.Account.empty())
    Argv.push_back("--account=" + R.Account);
  if (!R.TimeLimit.empty())
    Argv.push_back("--time=" + R.TimeLimit);
  if (!R.Constraint.empty())
    Argv.push_back("--constraint=" + R.Constraint);
  Argv.push_back(Helper);
  Argv.push_back("--serve");
  return Argv;
}

Result<std::vector<std::unique_ptr<Runner>>>
SlurmRunner::createLanes(const ProgramSpec &Spec, const Toolchain &Tools,
                         const std::string &LocalScratch, std::optional<int> PinCpu,
                         const std::function<void(const std::string &)> &Warn) {
  for (const char *Tool : {"srun", "squeue", "scancel"})
    if (findProgram(Tool).empty())
      return makeError(std::string("runner slurm: `") + Tool + "` is not on PATH (Debian "
                       "package slurm-client; on a cluster, load its Slurm module)");
  auto Helper = buildMeasureHelper(Spec, Tools, joinPath(LocalScratch, "measure-helper"));
  if (!Helper)
    return Helper.error();
  std::string Key = slurmRunKey(LocalScratch);

  // Jobs of an earlier coordinator of this run directory (killed, so it
  // could not end them) hold nodes and nobody reads their answers.
  auto Q = slurmCommand({"squeue", "--me", "-h", "--name=autopass-" + Key, "-o", "%i"});
  if (!Q || !Q->succeeded())
    return makeError("runner slurm: squeue failed (is the cluster reachable? SLURM_CONF=" +
                     std::string(std::getenv("SLURM_CONF") ? std::getenv("SLURM_CONF") : "") +
                     "): " + (Q ? std::string(trim(Q->Stderr)).substr(0, 500) : Q.message()));
  std::vector<std::string> Stale;
  for (const auto &Line : split(Q->Stdout, '\n'))
    if (std::string Id(trim(Line)); isDigits(Id) && !isOurJob(Id))
      Stale.push_back(Id);
  if (!Stale.empty()) {
    std::vector<std::string> Argv = {"scancel"};
    Argv.insert(Argv.end(), Stale.begin(), Stale.end());
    auto C = slurmCommand(Argv);
    if (!C || !C->succeeded())
      return makeError("runner slurm: cannot cancel the jobs " + join(Stale, ", ") +
                       " an earlier coordinator of this run left: " +
                       (C ? std::string(trim(C->Stderr)).substr(0, 500) : C.message()));
    Warn("cancelled " + std::to_string(Stale.size()) + " Slurm job(s) (" + join(Stale, ", ") +
         ") left in the queue by an earlier coordinator of this run directory; what they "
         "were measuring is measured again");
  }

  std::vector<std::unique_ptr<Runner>> Lanes;
  for (unsigned L = 0; L < std::max(1u, Spec.Runner.Nodes); ++L)
    Lanes.push_back(std::unique_ptr<Runner>(new SlurmRunner(
        Spec, *Helper, Key, L, joinPath(LocalScratch, "slurm-lane-" + std::to_string(L) + ".log"),
        PinCpu)));
  return Lanes;
}

/// One exclusive allocation: srun, and the helper serving the node it got.
/// Kept open between measurements, in a pool per runner settings and helper
/// (below), so that the evaluators of one process (the tune's, the layout
/// check's) share the nodes instead of waiting for each other's.
class SlurmAllocation {
public:
  SlurmAllocation(const RunnerSpec &Settings, std::string Helper, std::string RunKey,
                  unsigned Lane, std::string LogPath)
      : Settings(Settings), Helper(std::move(Helper)), RunKey(std::move(RunKey)), Lane(Lane),
        LogPath(std::move(LogPath)) {}
  ~SlurmAllocation() { close(false); }
  /// Waits in Slurm's queue for a node; gives up (cancelling the pending
  /// job) when Abandon, asked about once a second, says so.
  Status open(const std::function<bool()> &Abandon);
  /// Ends the step: closes the helper's stdin and waits for srun; Cancel
  /// (a lost allocation) also kills srun and cancels the job.
  void close(bool Cancel);
  SlurmAnswer exchange(const std::vector<std::string> &Args, double TimeoutSeconds, size_t Cap);
  std::string where() const { return "Slurm node " + Node + " (job " + Job + ")"; }
  const std::string &job() const { return Job; }
  std::string logTail() const;

private:
  Status fill(double Deadline, const std::function<bool()> &Abandon = nullptr);
  Result<std::string> readLine(double Deadline, const std::function<bool()> &Abandon = nullptr);
  Result<std::string> readBytes(size_t N, double Deadline);

  RunnerSpec Settings;
  std::string Helper, RunKey;
  unsigned Lane;
  std::string LogPath;
  int Srun = -1, ToHelper = -1, FromHelper = -1;
  std::string Node, Job, Pending;
};

namespace {

/// Open allocations no lane holds, and how many are open, per pool key.
struct Pool {
  std::vector<std::unique_ptr<SlurmAllocation>> Idle;
  unsigned Open = 0;
};
std::mutex PoolLock;
std::map<std::string, Pool> &pools() {
  static std::map<std::string, Pool> P; // closed (steps ended) at exit
  return P;
}
/// Jobs this process started: never taken for an earlier coordinator's.
std::set<std::string> &ourJobs() {
  static std::set<std::string> J;
  return J;
}

} // namespace

bool isOurJob(const std::string &Id) {
  std::lock_guard<std::mutex> G(PoolLock);
  return ourJobs().count(Id) != 0;
}

std::string SlurmAllocation::logTail() const {
  // srun's last words, each once ("Node failure on n3" comes twice).
  auto Log = readFile(LogPath);
  if (!Log)
    return "";
  std::vector<std::string> Lines;
  for (const auto &L : split(*Log, '\n'))
    if (std::string T(trim(L)); !T.empty() && std::find(Lines.begin(), Lines.end(), T) == Lines.end())
      Lines.push_back(T);
  std::string Tail = join(Lines, "; ");
  return Tail.size() > 600 ? "..." + Tail.substr(Tail.size() - 600) : Tail;
}

Status SlurmAllocation::fill(double Deadline, const std::function<bool()> &Abandon) {
  char Buf[65536];
  for (;;) {
    double Left = Deadline - monotonicSeconds();
    if (Left <= 0)
      return makeError("no answer within the time limit");
    pollfd P = {FromHelper, POLLIN, 0};
    int Ready = ::poll(&P, 1, static_cast<int>(std::min(Left, 1.0) * 1000) + 1);
    if (Ready < 0 && errno != EINTR)
      return makeError(std::string("poll: ") + std::strerror(errno));
    if (Ready == 0 && Abandon && Abandon())
      return makeError("abandoned");
    if (Ready <= 0)
      continue;
    ssize_t Got = ::read(FromHelper, Buf, sizeof Buf);
    if (Got < 0 && errno == EINTR)
      continue;
    if (Got <= 0)
      return makeError("srun ended");
    Pending.append(Buf, static_cast<size_t>(Got));
    return success();
  }
}

Result<std::string> SlurmAllocation::readLine(double Deadline,
                                              const std::function<bool()> &Abandon) {
  size_t Nl;
  while ((Nl = Pending.find('\n')) == std::string::npos) {
    if (Pending.size() > 4096)
      return makeError("a line longer than 4 KiB where a frame header was expected");
    if (Status S = fill(Deadline, Abandon); !S)
      return S.error();
  }
  std::string Line = Pending.substr(0, Nl);
  Pending.erase(0, Nl + 1);
  return Line;
}

Result<std::string> SlurmAllocation::readBytes(size_t N, double Deadline) {
  while (Pending.size() < N)
    if (Status S = fill(Deadline); !S)
      return S.error();
  std::string Out = Pending.substr(0, N);
  Pending.erase(0, N);
  return Out;
}

Status SlurmAllocation::open(const std::function<bool()> &Abandon) {
  if (Srun > 0)
    return success();
  int In[2], Out[2];
  if (::pipe2(In, O_CLOEXEC) != 0)
    return makeError(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(Out, O_CLOEXEC) != 0) {
    ::close(In[0]), ::close(In[1]);
    return makeError(std::string("pipe: ") + std::strerror(errno));
  }
  // srun's stderr: this allocation's only (an earlier one's loss is told already).
  int Log = ::open(LogPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  std::vector<std::string> Args = srunArguments(Settings, RunKey, Lane, Helper);
  std::string Srun0 = findProgram("srun");
  std::vector<char *> Argv;
  for (auto &A : Args)
    Argv.push_back(A.data());
  Argv.push_back(nullptr);
  // A write to a helper whose srun has gone must fail with EPIPE, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  pid_t Pid = Log < 0 || Srun0.empty() ? -1 : ::fork();
  if (Pid == 0) {
    ::setpgid(0, 0); // a terminal's Ctrl-C reaches us; srun ends when its stdin does
    ::signal(SIGPIPE, SIG_DFL);
    if (::dup2(In[0], 0) < 0 || ::dup2(Out[1], 1) < 0 || ::dup2(Log, 2) < 0)
      ::_exit(127);
    ::execv(Srun0.c_str(), Argv.data());
    ::_exit(127);
  }
  int Err = errno;
  ::close(In[0]), ::close(Out[1]);
  if (Log >= 0)
    ::close(Log);
  if (Pid < 0) {
    ::close(In[1]), ::close(Out[0]);
    return makeError("cannot start srun: " +
                     std::string(Srun0.empty() ? "not on PATH" : Log < 0 ? "cannot open " + LogPath
                                                                        : std::strerror(Err)));
  }
  Srun = Pid;
  ToHelper = In[1];
  FromHelper = Out[0];
  Pending.clear();
  // The first line comes once Slurm has given us a node.
  auto Hello = readLine(monotonicSeconds() + Settings.QueueTimeoutSeconds, Abandon);
  std::string Prefix = "autopass-measure serve 1 node=";
  if (!Hello && Hello.message() == "abandoned") {
    close(true);
    return Hello.error();
  }
  if (!Hello || !startsWith(*Hello, Prefix)) {
    std::string Why = !Hello ? Hello.message() : "an unexpected first line";
    close(true);
    return makeError("runner slurm: no node for lane " + std::to_string(Lane) + " (" + Why +
                     " after srun " + join(Args, " ") + ")" +
                     (logTail().empty() ? "" : ": " + logTail()));
  }
  auto Fields = split(Hello->substr(Prefix.size()), ' ');
  Node = Fields.empty() ? "" : Fields[0];
  Job = Fields.size() > 1 && startsWith(Fields[1], "job=") ? Fields[1].substr(4) : "";
  if (Node.empty() || Node.size() > 128 || !isDigits(Job)) {
    close(true);
    return makeError("runner slurm: the measuring helper's first line is malformed: " +
                     Hello->substr(0, 200));
  }
  std::lock_guard<std::mutex> G(PoolLock);
  ourJobs().insert(Job);
  return success();
}

void SlurmAllocation::close(bool Cancel) {
  if (Srun <= 0)
    return;
  ::close(ToHelper); // the helper's stdin ends: it exits, and so does the step
  ToHelper = -1;
  int St = 0;
  double Until = monotonicSeconds() + (Cancel ? 0.5 : 10);
  while (::waitpid(Srun, &St, WNOHANG) == 0 && monotonicSeconds() < Until)
    ::usleep(20000);
  if (::waitpid(Srun, &St, WNOHANG) == 0) {
    // SIGTERM first: srun then cancels its job, even one still pending
    // (whose id we do not know yet); SIGKILL would leave it in the queue.
    ::kill(Srun, SIGTERM);
    Until = monotonicSeconds() + 3;
    while (::waitpid(Srun, &St, WNOHANG) == 0 && monotonicSeconds() < Until)
      ::usleep(20000);
    if (::waitpid(Srun, &St, WNOHANG) == 0) {
      ::kill(Srun, SIGKILL);
      ::waitpid(Srun, &St, 0);
    }
    Cancel = true;
  }
  // A job whose srun was killed would hold its node (docs/cluster.md).
  if (Cancel && isDigits(Job))
    (void)slurmCommand({"scancel", Job});
  ::close(FromHelper);
  FromHelper = -1;
  Srun = -1;
  Pending.clear();
}

SlurmAnswer SlurmAllocation::exchange(const std::vector<std::string> &Args, double TimeoutSeconds,
                                 size_t Cap) {
  SlurmAnswer A;
  std::string Request = "run " + std::to_string(Args.size()) + "\n";
  for (const auto &Arg : Args)
    Request += std::to_string(Arg.size()) + "\n" + Arg;
  double Deadline = monotonicSeconds() + TimeoutSeconds;
  auto Lost = [&](std::string Why) {
    A.Lost = true;
    A.Why = std::move(Why);
    return A;
  };
  if (!writeAll(ToHelper, Request))
    return Lost("the step has ended (cannot send a request)");
  auto Header = readLine(Deadline);
  if (!Header)
    return Lost(Header.message());
  auto Space = Header->find(' ');
  std::string Kind = Header->substr(0, Space);
  std::string Len = Space == std::string::npos ? "" : Header->substr(Space + 1);
  if ((Kind != "report" && Kind != "error") || !isDigits(Len) ||
      std::stoull(Len) > Cap)
    return Lost("a malformed answer header: " + Header->substr(0, 100));
  auto Body = readBytes(std::stoull(Len), Deadline);
  if (!Body)
    return Lost(Body.message() + " in the middle of an answer");
  A.Kind = Kind;
  A.Body = std::move(*Body);
  return A;
}

SlurmRunner::SlurmRunner(const ProgramSpec &Spec, std::string Helper, std::string RunKey,
                         unsigned Lane, std::string LogPath, std::optional<int> PinCpu)
    : Spec(Spec), Helper(std::move(Helper)), RunKey(std::move(RunKey)),
      LogPath(std::move(LogPath)), Lane(Lane), PinCpu(PinCpu) {}

SlurmRunner::~SlurmRunner() { idle(); }

std::string SlurmRunner::poolKey() const {
  const RunnerSpec &R = Spec.Runner;
  return join({R.Partition, R.Account, R.TimeLimit, R.Constraint, R.RemoteScratch,
               fileName(Helper)},
              "\n");
}

std::string SlurmRunner::where() const {
  return Held ? Held->where() : "Slurm lane " + std::to_string(Lane) + " (no node held)";
}

Status SlurmRunner::acquire() {
  if (Held)
    return success();
  {
    std::lock_guard<std::mutex> G(PoolLock);
    Pool &P = pools()[poolKey()];
    if (!P.Idle.empty()) {
      Held = std::move(P.Idle.back());
      P.Idle.pop_back();
      return success();
    }
    if (P.Open >= std::max(1u, Spec.Runner.Nodes))
      return makeError("runner slurm: all " + std::to_string(P.Open) +
                       " nodes of this run are in use (runner.nodes)");
    ++P.Open;
  }
  // While this waits in the queue, another lane may hand back its node
  // (with a node lost, the cluster may have no other for us): take that.
  std::string Key = poolKey();
  auto A = std::make_unique<SlurmAllocation>(Spec.Runner, Helper, RunKey, Lane, LogPath);
  Status S = A->open([&Key] {
    std::lock_guard<std::mutex> G(PoolLock);
    return !pools()[Key].Idle.empty();
  });
  std::lock_guard<std::mutex> G(PoolLock);
  Pool &P = pools()[Key];
  if (S) {
    Held = std::move(A);
    return success();
  }
  --P.Open;
  if (S.message() != "abandoned" || P.Idle.empty())
    return S;
  Held = std::move(P.Idle.back());
  P.Idle.pop_back();
  return success();
}

void SlurmRunner::idle() {
  if (!Held)
    return;
  std::lock_guard<std::mutex> G(PoolLock);
  pools()[poolKey()].Idle.push_back(std::move(Held));
}

void SlurmRunner::drop() {
  if (!Held)
    return;
  Held->close(true);
  Held.reset();
  std::lock_guard<std::mutex> G(PoolLock);
  --pools()[poolKey()].Open;
}

Result<RunOutcome> SlurmRunner::run(const std::string &Binary, const ObjectiveSpec &Objective,
                                    RunOutput Output) {
  if (Status S = acquire(); !S)
    return S.error();
  HelperRun Run;
  std::string Scratch = Spec.Runner.RemoteScratch.empty() ? "/tmp" : Spec.Runner.RemoteScratch;
  Run.RunFolder = Scratch + "/autopass-" + RunKey + "-" + Held->job() + "-" + std::to_string(++Runs);
  Run.Binary = Binary;
  Run.Stdin = Spec.Run.StdinPath;
  Run.Args = Spec.Run.Args;
  Run.Output = Output;
  SlurmAnswer A = Held->exchange(helperArguments(Spec, Objective, Run, PinCpu),
                            Spec.Run.TimeoutSeconds + 60, answerCap(Spec));
  if (!A.Lost && A.Kind == "error")
    return makeError(where() + ": " + std::string(trim(A.Body)).substr(0, 500));
  if (!A.Lost) {
    auto Report = parseRemoteReport(A.Body);
    if (Report)
      return outcomeFromReport(Spec, Objective, Output, std::move(*Report), where(), Scratch,
                               Binary, "slurm");
    A.Lost = true;
    A.Why = "an incomplete report (" + Report.message() + ")";
  }
  // The lane is lost: its node died or went down, the job was cancelled,
  // preempted or timed out. A new allocation (Slurm places it on a node that
  // is up), a new epoch; the caller measures the evaluation again.
  std::string Was = where(), Log = Held->logTail();
  drop();
  ++Epoch;
  std::string Why = Was + " lost during a run (" + A.Why + ")" +
                    (Log.empty() ? "" : ": " + Log.substr(0, 300));
  if (Status S = acquire(); !S)
    return makeError(Why + "; " + S.message());
  return makeError(Why + "; a new allocation: " + where());
}

} // namespace autopass
