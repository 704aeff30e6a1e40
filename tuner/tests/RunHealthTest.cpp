// Environment failures are not the candidate's (measure/RunHealth.hpp): a
// full disk or a compiler killed by the system once journalled the
// candidate as `build_failed`, and --resume never retried it; the tuner also
// went on building after "cannot append to journal". Now such a failure is
// `env_failed`, the run stops with a non-zero exit, and --resume evaluates
// the config again. The compiler is simulated by an `opt` wrapper in a tool
// directory of links to the real LLVM tools.
#include "measure/RunHealth.hpp"
#include "store/Journal.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Subprocess.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace autopass;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/harness";

bool contains(const std::string &Text, const std::string &Part) {
  return Text.find(Part) != std::string::npos;
}

/// Events of Type in RunDir's journal, as their data's "result.status" (for
/// eval_done) or "config_hash" (for eval_start).
std::vector<std::string> journalField(const std::string &RunDir, const std::string &Type) {
  auto J = Journal::open(joinPath(RunDir, "journal.jsonl"), /*Quiet=*/true);
  REQUIRE(J.ok());
  std::vector<std::string> Out;
  for (const JournalEvent &E : (*J)->events()) {
    if (E.Type != Type)
      continue;
    const auto &D = E.data();
    Out.push_back(Type == "eval_done" ? D["result"]["status"].GetString()
                                      : D["config_hash"].GetString());
  }
  return Out;
}

/// A tool directory whose opt fails as MODE_FILE says when it optimizes:
/// "enospc" (a full disk's message), "kill" (killed by SIGKILL), else it is
/// the real opt.
std::string fakeToolDirectory(const std::string &Dir, const std::string &ModeFile) {
  auto Real = Toolchain::locate();
  REQUIRE(Real.ok());
  std::string Bin = joinPath(Dir, "bin");
  REQUIRE(makeDirectories(Bin).ok());
  for (const char *Tool : {"clang", "clang++", "llc", "llvm-link", "llvm-profdata"})
    REQUIRE(::symlink(joinPath(Real->BinDir, Tool).c_str(), joinPath(Bin, Tool).c_str()) == 0);
  std::string Opt = joinPath(Bin, "opt");
  REQUIRE(writeFile(Opt, "#!/bin/sh\n"
                         "mode=$(cat '" + ModeFile + "' 2>/dev/null)\n"
                         "case \"$*\" in *-passes=*)\n"
                         "  if [ \"$mode\" = enospc ]; then\n"
                         "    echo \"opt: error: writing 'opt.bc': No space left on device\" >&2\n"
                         "    exit 1\n"
                         "  fi\n"
                         "  if [ \"$mode\" = kill ]; then kill -9 $$; fi\n"
                         "esac\n"
                         "exec '" + Real->Opt + "' \"$@\"\n")
              .ok());
  REQUIRE(::chmod(Opt.c_str(), 0755) == 0);
  return Bin;
}
} // namespace

TEST_CASE("failures of the machine are told from the candidate's", "[health]") {
  CHECK(environmentFailureIn("opt: error: writing 'x': No space left on device") ==
        "No space left on device");
  CHECK(environmentFailureIn("clang: error: unable to open output file: Input/output error") ==
        "Input/output error");
  CHECK_FALSE(environmentFailureIn("opt failed (killed by signal 9 (Killed)): opt ...").empty());
  // A compiler that crashes by itself, or rejects the pipeline, is the
  // candidate's failure.
  CHECK(environmentFailureIn("opt failed (killed by signal 11 (Segmentation fault))").empty());
  CHECK(environmentFailureIn("opt: unknown function pass 'no-such-pass'").empty());
  CHECK(environmentFailureIn("opt failed (timed out after 900 s)").empty());
}

TEST_CASE("a failed journal append refuses every later append", "[health][journal]") {
  test::TempDir Dir;
  std::string Path = joinPath(Dir.Path, "journal.jsonl");
  auto J = Journal::open(Path, /*Quiet=*/true);
  REQUIRE(J.ok());
  REQUIRE((*J)->append("first", "{}").ok());
  RunHealth Health(**J);
  CHECK(Health.check().ok());

  // The file may not grow past its size: the next write fails (EFBIG), as
  // on a full disk.
  struct rlimit Old;
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &Old) == 0);
  auto Size = readFile(Path);
  REQUIRE(Size.ok());
  auto *OldHandler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit Tight = Old;
  Tight.rlim_cur = Size->size();
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &Tight) == 0);
  Status Failed = (*J)->append("second", "{}");
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &Old) == 0);
  ::signal(SIGXFSZ, OldHandler);
  REQUIRE_FALSE(Failed.ok());
  CHECK(contains(Failed.message(), "cannot append to journal"));

  // With room again, the journal still takes nothing: an event is missing.
  Status Later = (*J)->append("third", "{}");
  REQUIRE_FALSE(Later.ok());
  CHECK(contains(Later.message(), "an earlier append failed"));
  Status H = Health.check();
  REQUIRE_FALSE(H.ok());
  CHECK(contains(H.message(), "the run stops"));
  CHECK(contains(H.message(), "--resume"));
}

TEST_CASE("a full disk or a killed compiler stops eval; --resume retries", "[health][cli][slow]") {
  test::TempDir Dir{"autopass-health-test-"};
  std::string ModeFile = joinPath(Dir.Path, "mode");
  std::string Bin = fakeToolDirectory(Dir.Path, ModeFile);
  std::string Config = joinPath(Dir.Path, "unroll.json");
  REQUIRE(writeFile(Config, R"({"schema":"autopass-config/1","knobs":{"unroll-threshold":0}})")
              .ok());
  auto eval = [&](const std::string &RunDir, bool Resume) {
    SubprocessOptions O;
    O.Argv = {AUTOPASS_TUNER_EXE, "eval", Data + "/loop/spec.json", Config, "--run-dir", RunDir,
              "--llvm-bindir", Bin, "--quiet", "--warmups", "0", "--min-reps", "2",
              "--max-reps", "2", "--jobs", "1"};
    if (Resume)
      O.Argv.push_back("--resume");
    O.TimeoutSeconds = 300;
    auto P = runSubprocess(O);
    REQUIRE(P.ok());
    return *P;
  };

  for (const std::string Mode : {"enospc", "kill"}) {
    INFO(Mode);
    std::string RunDir = joinPath(Dir.Path, "run-" + Mode);
    REQUIRE(writeFile(ModeFile, Mode).ok());
    SubprocessResult Broken = eval(RunDir, false);
    CHECK(Broken.ExitCode == 1);
    CHECK(contains(Broken.Stderr, "the environment failed"));
    CHECK(contains(Broken.Stderr, Mode == "enospc" ? "No space left on device"
                                                    : "killed by signal 9"));
    CHECK(contains(Broken.Stderr, "--resume"));
    std::vector<std::string> Done = journalField(RunDir, "eval_done");
    REQUIRE(Done.size() == 1);
    CHECK(Done[0] == "env_failed");

    // Space freed: the resumed run evaluates the config again.
    REQUIRE(writeFile(ModeFile, "ok").ok());
    SubprocessResult Resumed = eval(RunDir, true);
    INFO(Resumed.Stderr);
    CHECK(Resumed.ExitCode == 0);
    Done = journalField(RunDir, "eval_done");
    REQUIRE(Done.size() == 2);
    CHECK(Done[1] == "ok");
    CHECK(journalField(RunDir, "eval_start").size() == 2);
  }
}
