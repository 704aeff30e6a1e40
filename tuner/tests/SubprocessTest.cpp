// runSubprocess: no shell, process-group timeouts, output caps, stdin, env,
// cwd, exit codes and signals.
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <ctime>
#include <unistd.h>

using namespace autopass;

namespace {
/// True when the process is gone or a zombie (killed, not yet reaped by init).
bool processDead(pid_t Pid) {
  auto Stat = readFile("/proc/" + std::to_string(Pid) + "/stat");
  if (!Stat)
    return true;
  size_t Paren = Stat->rfind(')');
  return Paren != std::string::npos && Paren + 2 < Stat->size() && (*Stat)[Paren + 2] == 'Z';
}
} // namespace

TEST_CASE("arguments are passed literally, without a shell", "[subprocess]") {
  SubprocessOptions O;
  O.Argv = {"printf", "%s|", "a b", "c;d", "$HOME", "`id`", "*"};
  auto R = runSubprocess(O);
  REQUIRE(R.ok());
  CHECK(R->succeeded());
  CHECK(R->Stdout == "a b|c;d|$HOME|`id`|*|");
}

TEST_CASE("a timeout kills the whole process group", "[subprocess]") {
  auto Dir = makeTempDirectory("/tmp", "autopass-test-");
  REQUIRE(Dir.ok());
  std::string PidFile = joinPath(*Dir, "grandchild.pid");
  SubprocessOptions O;
  // The child starts a grandchild that would sleep for a minute.
  O.Argv = {"sh", "-c", "sleep 60 & echo $! > " + PidFile + "; wait"};
  O.TimeoutSeconds = 0.5;
  O.KillGraceSeconds = 0.2;
  auto R = runSubprocess(O);
  REQUIRE(R.ok());
  CHECK(R->TimedOut);
  CHECK_FALSE(R->succeeded());
  auto PidText = readFile(PidFile);
  REQUIRE(PidText.ok());
  pid_t Grandchild = std::stoi(std::string(trim(*PidText)));
  // Give init a moment to reap the killed grandchild.
  for (int I = 0; I < 100 && !processDead(Grandchild); ++I)
    ::usleep(10000);
  CHECK(processDead(Grandchild));
  (void)removeAll(*Dir);
}

TEST_CASE("a timeout too long for an int of milliseconds does not busy-wait", "[subprocess]") {
  // 3e6 s is 3e9 ms, past INT_MAX: the poll timeout once wrapped negative
  // and was clamped to 0, so the tuner spun a core while the child ran.
  SubprocessOptions O;
  O.Argv = {"sleep", "0.5"};
  O.TimeoutSeconds = 3e6;
  timespec Before{}, After{};
  REQUIRE(::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &Before) == 0);
  auto R = runSubprocess(O);
  REQUIRE(::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &After) == 0);
  REQUIRE(R.ok());
  CHECK(R->succeeded());
  CHECK_FALSE(R->TimedOut);
  double CpuSeconds =
      (After.tv_sec - Before.tv_sec) + (After.tv_nsec - Before.tv_nsec) / 1e9;
  // Spinning burns about as much CPU as the child's 0.5 s of sleep.
  CHECK(CpuSeconds < 0.1);
}

TEST_CASE("a program that ignores SIGTERM is killed after the grace period", "[subprocess]") {
  SubprocessOptions O;
  O.Argv = {"sh", "-c", "trap '' TERM; sleep 60"};
  O.TimeoutSeconds = 0.3;
  O.KillGraceSeconds = 0.2;
  auto R = runSubprocess(O);
  REQUIRE(R.ok());
  CHECK(R->TimedOut);
  CHECK(R->Signal == SIGKILL);
}

TEST_CASE("captured output is capped and flagged", "[subprocess]") {
  SubprocessOptions O;
  O.Argv = {"head", "-c", "1000000", "/dev/zero"};
  O.OutputCap = 1000;
  auto R = runSubprocess(O);
  REQUIRE(R.ok());
  CHECK(R->succeeded());
  CHECK(R->Stdout.size() == 1000);
  CHECK(R->StdoutTruncated);
  CHECK_FALSE(R->StderrTruncated);
}

TEST_CASE("output can go to files, stdin comes from a file", "[subprocess]") {
  auto Dir = makeTempDirectory("/tmp", "autopass-test-");
  REQUIRE(Dir.ok());
  REQUIRE(writeFile(joinPath(*Dir, "in.txt"), "hello\n").ok());
  SubprocessOptions O;
  O.Argv = {"sh", "-c", "cat; echo \"$GREETING\" >&2; pwd"};
  O.StdinPath = joinPath(*Dir, "in.txt");
  O.Env["GREETING"] = "from env";
  O.Cwd = *Dir;
  O.StdoutPath = joinPath(*Dir, "out.txt");
  O.StderrPath = joinPath(*Dir, "err.txt");
  auto R = runSubprocess(O);
  REQUIRE(R.ok());
  CHECK(R->succeeded());
  CHECK(R->Stdout.empty());
  CHECK(*readFile(joinPath(*Dir, "out.txt")) == "hello\n" + *Dir + "\n");
  CHECK(*readFile(joinPath(*Dir, "err.txt")) == "from env\n");
  (void)removeAll(*Dir);
}

TEST_CASE("exit codes, signals and start failures are told apart", "[subprocess]") {
  SubprocessOptions Exit;
  Exit.Argv = {"sh", "-c", "exit 3"};
  auto E = runSubprocess(Exit);
  REQUIRE(E.ok());
  CHECK(E->ExitCode == 3);
  CHECK(E->Signal == 0);
  CHECK(E->describe() == "exit code 3");

  SubprocessOptions Sig;
  Sig.Argv = {"sh", "-c", "kill -SEGV $$"};
  auto S = runSubprocess(Sig);
  REQUIRE(S.ok());
  CHECK(S->Signal == SIGSEGV);
  CHECK(S->describe().find("signal 11") != std::string::npos);
  CHECK(S->MaxRssKb > 0);

  SubprocessOptions Missing;
  Missing.Argv = {"/nonexistent/program"};
  auto M = runSubprocess(Missing);
  REQUIRE_FALSE(M.ok());
  CHECK(M.message().find("/nonexistent/program") != std::string::npos);

  SubprocessOptions BadCwd;
  BadCwd.Argv = {"true"};
  BadCwd.Cwd = "/nonexistent/dir";
  auto C = runSubprocess(BadCwd);
  REQUIRE_FALSE(C.ok());
}
