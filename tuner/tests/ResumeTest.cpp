// A run killed with SIGKILL at any moment resumes with --resume and redoes
// no finished evaluation. The tuner binary runs as a child process; it is
// killed at several moments (during tool start-up, the build, the
// reference run, the measurement, after the result), then resumed.
#include "store/Journal.hpp"
#include "util/FileSystem.hpp"
#include "util/Subprocess.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace autopass;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/harness";

std::vector<std::string> evalArgs(const std::string &RunDir, const std::string &Config,
                                  bool Resume) {
  std::vector<std::string> A = {AUTOPASS_TUNER_EXE, "eval", Data + "/loop/spec.json", Config,
                                "--run-dir", RunDir, "--quiet", "--warmups", "0",
                                "--min-reps", "3", "--max-reps", "3", "--jobs", "1"};
  if (Resume)
    A.push_back("--resume");
  return A;
}

size_t countType(const std::string &RunDir, const std::string &Type) {
  auto Text = readFile(joinPath(RunDir, "journal.jsonl"));
  if (!Text)
    return 0;
  size_t N = 0, Pos = 0;
  std::string Needle = "\"type\":\"" + Type + "\"";
  while ((Pos = Text->find(Needle, Pos)) != std::string::npos) {
    ++N;
    Pos += Needle.size();
  }
  return N;
}

/// Starts the tuner and SIGKILLs it DelayMs after a new journal event of
/// type After appears (After empty: DelayMs after the start), unless it
/// ends first. Returns true when it was killed.
bool runAndKill(const std::vector<std::string> &Args, const std::string &RunDir,
                const std::string &After, int DelayMs) {
  size_t Before = After.empty() ? 0 : countType(RunDir, After);
  pid_t Pid = ::fork();
  REQUIRE(Pid >= 0);
  if (Pid == 0) {
    std::vector<char *> Argv;
    for (const auto &A : Args)
      Argv.push_back(const_cast<char *>(A.c_str()));
    Argv.push_back(nullptr);
    int Null = ::open("/dev/null", O_WRONLY);
    ::dup2(Null, 1);
    ::dup2(Null, 2);
    ::execv(Argv[0], Argv.data());
    ::_exit(127);
  }
  int Status;
  bool Triggered = After.empty();
  for (int Waited = 0; Waited < 120000; Waited += 2) {
    if (::waitpid(Pid, &Status, WNOHANG) == Pid)
      return false;
    if (!Triggered && countType(RunDir, After) > Before)
      Triggered = true;
    if (Triggered && (DelayMs -= 2) <= 0)
      break;
    ::usleep(2000);
  }
  ::kill(Pid, SIGKILL);
  ::waitpid(Pid, &Status, 0);
  return true;
}

struct Counts {
  size_t Starts = 0, Dones = 0, StartsAfterDone = 0;
};

Counts countEvents(const std::string &RunDir) {
  Counts C;
  // Killed before the run directory was created: nothing to count.
  if (!pathExists(joinPath(RunDir, "journal.jsonl")))
    return C;
  auto J = Journal::open(joinPath(RunDir, "journal.jsonl"), true);
  REQUIRE(J.ok());
  for (const auto &E : (*J)->events()) {
    if (E.Type == "eval_start") {
      ++C.Starts;
      if (C.Dones)
        ++C.StartsAfterDone;
    }
    if (E.Type == "eval_done")
      ++C.Dones;
  }
  return C;
}
} // namespace

TEST_CASE("a run killed with SIGKILL resumes without redoing finished work", "[resume][slow]") {
  auto Dir = makeTempDirectory("/tmp", "autopass-test-");
  REQUIRE(Dir.ok());
  std::string RunDir = joinPath(*Dir, "run");
  std::string Config = joinPath(*Dir, "unroll.json");
  REQUIRE(writeFile(Config, "{\"schema\":\"autopass-config/1\",\"knobs\":{\"unroll-threshold\":50}}")
              .ok());

  // Kill moments keyed to the run's progress, so every phase is hit: tool
  // start-up, baseline build, reference run, candidate build, correctness
  // check and measurement, and between the finished evaluation and its
  // result file.
  struct Moment {
    const char *After;
    int DelayMs;
  };
  bool First = true;
  size_t Kills = 0;
  for (Moment M : {Moment{"", 30}, Moment{"run_start", 0}, Moment{"baseline_build", 0},
                   Moment{"eval_start", 0}, Moment{"build", 0}, Moment{"build", 15},
                   Moment{"build", 60}, Moment{"eval_done", 0}}) {
    Kills += runAndKill(evalArgs(RunDir, Config, !First), RunDir, M.After, M.DelayMs);
    First = false;
    // Whatever moment it died at, the journal is readable afterwards and
    // no evaluation was started again after it finished.
    Counts C = countEvents(RunDir);
    CHECK(C.Dones <= 1);
    CHECK(C.StartsAfterDone == 0);
  }
  CHECK(Kills >= 6);
  CHECK(countEvents(RunDir).Dones == 1);
  // Resume to the end.
  SubprocessOptions O;
  O.Argv = evalArgs(RunDir, Config, true);
  auto R = runSubprocess(O);
  REQUIRE(R.ok());
  INFO(R->Stderr);
  CHECK(R->ExitCode == 0);
  Counts Done = countEvents(RunDir);
  CHECK(Done.Dones == 1);
  CHECK(Done.StartsAfterDone == 0);

  // Once more: answered from the journal, nothing new is started.
  auto Again = runSubprocess(O);
  REQUIRE(Again.ok());
  CHECK(Again->ExitCode == 0);
  CHECK(Again->Stdout.find("from the journal") != std::string::npos);
  Counts After = countEvents(RunDir);
  CHECK(After.Dones == 1);
  CHECK(After.Starts == Done.Starts);
  auto Results = listDirectory(joinPath(RunDir, "results"));
  REQUIRE(Results.ok());
  CHECK(Results->size() == 1);
  (void)removeAll(*Dir);
}
