//===- measure/SlurmRunner.cpp - Measure on the nodes of a Slurm cluster --===//
#include "measure/SlurmRunner.hpp"

#include "measure/MeasureHelper.hpp"
#include "measure/RemoteReport.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Strings.hpp"
#include "util/Time.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <poll.h>
#include <pwd.h>
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

/// One exclusive allocation: srun, and the helper serving the node it got.
/// Kept open between measurements, in a pool per runner settings and helper
/// (below), so that the evaluators of one process (the tune's, the layout
/// check's) share the nodes instead of waiting for each other's.
class SlurmAllocation {
public:
  /// LogPath: srun's stderr, this allocation's own file.
  SlurmAllocation(const RunnerSpec &Settings, std::string Helper, std::string RunKey,
                  std::string LogPath)
      : Settings(Settings), Helper(std::move(Helper)), RunKey(std::move(RunKey)),
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
  /// Still serving: srun runs and the helper has said nothing unasked (an
  /// allocation that ended while idle in the pool, at its time limit or
  /// cancelled, is not handed out again).
  bool alive();

private:
  Status fill(double Deadline, const std::function<bool()> &Abandon = nullptr);
  Result<std::string> readLine(double Deadline, const std::function<bool()> &Abandon = nullptr);
  Result<std::string> readBytes(size_t N, double Deadline);

  RunnerSpec Settings;
  std::string Helper, RunKey;
  std::string LogPath;
  int Srun = -1, ToHelper = -1, FromHelper = -1;
  bool Reaped = false; // srun has exited and was waited for
  std::string Node, Job, Pending;
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


bool isOurJob(const std::string &Id) {
  std::lock_guard<std::mutex> G(PoolLock);
  return ourJobs().count(Id) != 0;
}

/// The coordinator's own job when it runs inside one (sbatch, salloc):
/// never cancelled, and never the job srun joins (see srunEnvironment).
std::string ownJob() {
  const char *J = std::getenv("SLURM_JOB_ID");
  return J ? J : "";
}

/// This process's environment without the job context Slurm sets inside a
/// job (SLURM_JOB_ID, SLURM_NODELIST, ...): with it, srun would start a
/// step of that job, on its nodes, rather than an exclusive allocation of
/// its own. The user's own settings stay (which cluster, account, QOS).
std::vector<std::string> srunEnvironment() {
  static const char *Keep[] = {"SLURM_CONF=",      "SLURM_CLUSTERS=", "SLURM_ACCOUNT=",
                               "SLURM_PARTITION=", "SLURM_QOS=",      "SLURM_RESERVATION=",
                               "SLURM_WCKEY="};
  std::vector<std::string> Env;
  for (char **E = environ; E && *E; ++E) {
    std::string V = *E;
    bool Kept = !startsWith(V, "SLURM_");
    for (const char *K : Keep)
      Kept = Kept || startsWith(V, K);
    if (Kept)
      Env.push_back(std::move(V));
  }
  return Env;
}

/// Numbers allocations' logs and run folders across the process (lanes
/// share allocations, so per-lane counters could collide).
std::atomic<unsigned> Serial{0}, LogSerial{0};

/// What one request to the helper may carry (autopass-measure.c: MAX_LIST
/// env and files, MAX_ARGS arguments of MAX_ARG_BYTES each), counted as
/// helperArguments builds it, with one more variable for the layout check.
Status checkRequestLimits(const ProgramSpec &Spec) {
  size_t Env = Spec.Run.Env.size() + 1, Files = Spec.Check.Files.size();
  size_t Count = 16 + 2 * Env + 2 * Files + Spec.Run.Args.size();
  if (Env > 64 || Files > 64 || Count > 320)
    return makeError(Spec.SpecPath + ": more than runner slurm's measuring helper takes in one "
                     "request: at most 63 run.env, 64 check.files and 320 arguments in all (" +
                     std::to_string(Spec.Run.Args.size()) + " run.args)");
  std::vector<std::string> Long = Spec.Run.Args;
  Long.push_back(Spec.Run.StdinPath);
  for (const auto &[K, V] : Spec.Run.Env)
    Long.push_back(K + "=" + V);
  Long.insert(Long.end(), Spec.Check.Files.begin(), Spec.Check.Files.end());
  for (const auto &A : Long)
    if (A.size() > (size_t(1) << 20) - 1024)
      return makeError(Spec.SpecPath + ": an argument, variable or file name of more than 1 MiB "
                       "is more than runner slurm's measuring helper takes");
  return success();
}

} // namespace

std::string slurmRunKey(const std::string &LocalScratch) {
  Hasher H;
  H.add("run", absolutePath(LocalScratch));
  return H.hexDigest().substr(0, 12);
}

std::vector<std::string> srunArguments(const RunnerSpec &R, const std::string &RunKey,
                                       const std::string &Helper) {
  std::vector<std::string> Argv = {"srun", "--exclusive", "-N1", "-n1",
                                   "--job-name=autopass-" + RunKey,
                                   "--comment=autopass:" + RunKey, "--kill-on-bad-exit=1"};
  for (auto &O : R.slurmOptions())
    Argv.push_back(std::move(O));
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
  if (Status S = checkRequestLimits(Spec); !S)
    return S.error();
  auto Helper = buildMeasureHelper(Spec, Tools, joinPath(LocalScratch, "measure-helper"));
  if (!Helper)
    return Helper.error();
  std::string Key = slurmRunKey(LocalScratch);

  // Jobs of an earlier coordinator of this run directory (killed, so it
  // could not end them) hold nodes and nobody reads their answers.
  // -u, not --me: Slurm before 20.11 has no --me.
  const passwd *Me = ::getpwuid(::getuid());
  std::string User = Me && Me->pw_name ? Me->pw_name : std::to_string(::getuid());
  auto Q = slurmCommand({"squeue", "-h", "-u", User, "--name=autopass-" + Key, "-o", "%i"});
  if (!Q || !Q->succeeded())
    return makeError("runner slurm: squeue failed (is the cluster reachable? SLURM_CONF=" +
                     std::string(std::getenv("SLURM_CONF") ? std::getenv("SLURM_CONF") : "") +
                     "): " + (Q ? std::string(trim(Q->Stderr)).substr(0, 500) : Q.message()));
  std::vector<std::string> Stale;
  for (const auto &Line : split(Q->Stdout, '\n'))
    if (std::string Id(trim(Line)); isDigits(Id) && !isOurJob(Id) && Id != ownJob())
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
    Lanes.push_back(std::unique_ptr<Runner>(
        new SlurmRunner(Spec, *Helper, Key, L, joinPath(LocalScratch, "slurm"), PinCpu)));
  return Lanes;
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
  std::vector<std::string> Args = srunArguments(Settings, RunKey, Helper);
  std::string Srun0 = findProgram("srun");
  std::vector<char *> Argv, Envp;
  for (auto &A : Args)
    Argv.push_back(A.data());
  Argv.push_back(nullptr);
  std::vector<std::string> Env = srunEnvironment();
  for (auto &E : Env)
    Envp.push_back(E.data());
  Envp.push_back(nullptr);
  // A write to a helper whose srun has gone must fail with EPIPE, not kill us.
  std::signal(SIGPIPE, SIG_IGN);
  pid_t Pid = Log < 0 || Srun0.empty() ? -1 : ::fork();
  if (Pid == 0) {
    ::setpgid(0, 0); // not a terminal's Ctrl-C: srun ends when its stdin does
    ::signal(SIGPIPE, SIG_DFL);
    if (::dup2(In[0], 0) < 0 || ::dup2(Out[1], 1) < 0 || ::dup2(Log, 2) < 0)
      ::_exit(127);
    ::execve(Srun0.c_str(), Argv.data(), Envp.data());
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
    return makeError("runner slurm: no node (" + Why +
                     " after " + join(Args, " ") + ")" +
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

bool SlurmAllocation::alive() {
  int St = 0;
  if (Srun <= 0 || Reaped || ::waitpid(Srun, &St, WNOHANG) != 0) {
    Reaped = Srun > 0;
    return false;
  }
  pollfd P = {FromHelper, POLLIN, 0};
  return Pending.empty() && ::poll(&P, 1, 0) == 0;
}

void SlurmAllocation::close(bool Cancel) {
  if (Srun <= 0)
    return;
  ::close(ToHelper); // the helper's stdin ends: it exits, and so does the step
  ToHelper = -1;
  int St = 0;
  auto WaitUntil = [&](double Until) {
    while (!Reaped && monotonicSeconds() < Until)
      if (::waitpid(Srun, &St, WNOHANG) != 0)
        Reaped = true;
      else
        ::usleep(20000);
    return Reaped;
  };
  if (!WaitUntil(monotonicSeconds() + (Cancel ? 0.5 : 10))) {
    // SIGTERM first: srun then cancels its job, even one still pending
    // (whose id we do not know yet); SIGKILL would leave it in the queue.
    ::kill(Srun, SIGTERM);
    if (!WaitUntil(monotonicSeconds() + 3)) {
      ::kill(Srun, SIGKILL);
      ::waitpid(Srun, &St, 0);
    }
    Cancel = true;
  }
  // A job whose srun was killed would hold its node (docs/cluster.md).
  if (Cancel && isDigits(Job) && Job != ownJob())
    (void)slurmCommand({"scancel", Job});
  ::close(FromHelper);
  FromHelper = -1;
  Srun = -1;
  Reaped = false;
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
  size_t N = isDigits(Len) && Len.size() <= 12 ? std::strtoull(Len.c_str(), nullptr, 10) : 0;
  if ((Kind != "report" && Kind != "error") || !isDigits(Len) || Len.size() > 12 || N > Cap)
    return Lost("a malformed answer header: " + Header->substr(0, 100));
  auto Body = readBytes(N + 1, Deadline); // the body, then the frame's newline
  if (!Body || Body->back() != '\n')
    return Lost((Body ? "an answer without its final newline" : Body.message()) +
                std::string(" in the middle of an answer"));
  Body->pop_back();
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

namespace {
/// An open allocation from the pool (under PoolLock); those that ended
/// while idle go to Dead, to be closed without the lock.
std::unique_ptr<SlurmAllocation> takeIdle(Pool &P,
                                          std::vector<std::unique_ptr<SlurmAllocation>> &Dead) {
  while (!P.Idle.empty()) {
    std::unique_ptr<SlurmAllocation> A = std::move(P.Idle.back());
    P.Idle.pop_back();
    if (A->alive())
      return A;
    --P.Open;
    Dead.push_back(std::move(A));
  }
  return nullptr;
}

void closeAll(std::vector<std::unique_ptr<SlurmAllocation>> &Dead) {
  for (auto &D : Dead)
    D->close(true); // cancels its job
  Dead.clear();
}
} // namespace

Status SlurmRunner::acquire() {
  if (Held)
    return success();
  std::string Key = poolKey();
  std::vector<std::unique_ptr<SlurmAllocation>> Dead;
  bool Full = false;
  unsigned Open = 0;
  {
    std::lock_guard<std::mutex> G(PoolLock);
    Pool &P = pools()[Key];
    Held = takeIdle(P, Dead);
    Full = !Held && P.Open >= std::max(1u, Spec.Runner.Nodes);
    Open = P.Open;
    if (!Held && !Full)
      ++P.Open;
  }
  closeAll(Dead);
  if (Held)
    return success();
  if (Full)
    return makeError("runner slurm: all " + std::to_string(Open) +
                     " nodes of this run are in use (runner.nodes)");
  // While this waits in the queue, another lane may hand back its node
  // (with a node lost, the cluster may have no other for us): claim that.
  std::unique_ptr<SlurmAllocation> Claimed;
  auto A = std::make_unique<SlurmAllocation>(
      Spec.Runner, Helper, RunKey,
      LogPath + "-" + std::to_string(::getpid()) + "-" + std::to_string(++LogSerial) + ".log");
  Status S = A->open([&] {
    {
      std::lock_guard<std::mutex> G(PoolLock);
      Pool &P = pools()[Key];
      Claimed = takeIdle(P, Dead);
      if (Claimed)
        --P.Open; // the pending allocation, given up for the claimed one
    }
    closeAll(Dead);
    return Claimed != nullptr;
  });
  if (S) {
    Held = std::move(A);
    return success();
  }
  if (Claimed) {
    Held = std::move(Claimed);
    return success();
  }
  std::lock_guard<std::mutex> G(PoolLock);
  --pools()[Key].Open; // the allocation that was not made
  return S;
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
  // Unique across the coordinators that ever ran for this directory (a
  // killed one leaves its folder; job ids restart with a new controller).
  Run.RunFolder = Scratch + "/autopass-" + RunKey + "-" + Held->job() + "-" +
                  std::to_string(::getpid()) + "-" + std::to_string(++Serial);
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
