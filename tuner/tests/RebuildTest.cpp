// tune-result.json's `rebuild` commands once pointed into cache/tmp/
// folders that no longer existed after the run. Builder::rebuildCommands
// gives the build's own commands with persistent paths (the spec's sources,
// the config file, an output folder); run after the build, from another
// directory, they give the same binary: its SHA-256 is the build's
// binary_hash, which is the plain SHA-256 of the file.
#include "config/CandidateConfig.hpp"
#include "spec/ProgramSpec.hpp"
#include "store/BuildCache.hpp"
#include "toolchain/Builder.hpp"
#include "toolchain/ToolOptionIndex.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/harness";

/// Builds ConfigJson for the loop program, then runs the rebuild commands
/// from another directory: the same binary. Returns the commands.
std::vector<std::string> checkRebuild(const std::string &ConfigJson, size_t CommandCount) {
  test::TempDir Dir{"autopass-rebuild-test-"};
  auto Spec = ProgramSpec::load(Data + "/loop/spec.json");
  REQUIRE(Spec.ok());
  auto Tools = Toolchain::locate();
  REQUIRE(Tools.ok());
  REQUIRE_FALSE(Tools->Plugin.empty());
  auto Index = ToolOptionIndex::build(*Tools);
  REQUIRE(Index.ok());

  auto Config = CandidateConfig::parse(ConfigJson, "rebuild.json");
  REQUIRE(Config.ok());
  std::string ConfigPath = joinPath(Dir.Path, "best-config.json");
  REQUIRE(writeFile(ConfigPath, Config->toJson()).ok());

  std::string Cache = joinPath(joinPath(Dir.Path, "run"), "cache");
  std::vector<std::string> Commands;
  std::string BinaryHash;
  {
    BuildCache TheCache(Cache);
    Builder B(*Spec, *Tools, *Index, TheCache);
    BuildResult Built = B.buildCandidate(*Config);
    INFO(Built.Log);
    REQUIRE(Built.ok());
    BinaryHash = Built.BinaryHash;
    auto Digest = fileSha256(Built.BinaryPath);
    REQUIRE(Digest.ok());
    CHECK(*Digest == BinaryHash); // binary_hash is the file's SHA-256
    auto Rebuild = B.rebuildCommands(*Config, ConfigPath, joinPath(Dir.Path, "rebuild"));
    REQUIRE(Rebuild.ok());
    Commands = *Rebuild;
  }
  // The cache's temporary folders are gone after a run; nothing needs them.
  (void)removeAll(joinPath(Cache, "tmp"));
  REQUIRE(Commands.size() == CommandCount);
  for (const std::string &C : Commands)
    CHECK(C.find(joinPath(Cache, "tmp")) == std::string::npos);

  SubprocessOptions O;
  O.Argv = {"sh", "-e", "-c", join(Commands, "\n")};
  O.Cwd = "/"; // any directory: the commands carry every path they need
  O.TimeoutSeconds = 300;
  auto Ran = runSubprocess(O);
  REQUIRE(Ran.ok());
  INFO(Ran->Stderr);
  REQUIRE(Ran->succeeded());
  auto Rebuilt = fileSha256(joinPath(joinPath(Dir.Path, "rebuild"), Spec->Name));
  REQUIRE(Rebuilt.ok());
  CHECK(*Rebuilt == BinaryHash);
  return Commands;
}
} // namespace

TEST_CASE("rebuild commands run after the build give the same binary", "[rebuild][slow]") {
  // mkdir, front end, opt, code generation, link
  checkRebuild(R"({"schema":"autopass-config/1","knobs":{"unroll-threshold":0,"enable-misched":false},)"
               R"("hints":{"loops":{"kernel:L1":{"unroll":2}}}})",
               5);
}

TEST_CASE("rebuild commands give a unit its own configuration", "[rebuild][slow]") {
  // The plugin applies no `units`: the unit's own configuration (its
  // pipeline, the hints) is written by the commands for the element to read.
  auto Commands =
      checkRebuild(R"({"schema":"autopass-config/1","knobs":{"unroll-threshold":0},)"
                   R"("hints":{"loops":{"kernel:L1":{"unroll":2}}},)"
                   R"("units":{"loop.c":{"knobs":{"unroll-threshold":300},)"
                   R"("pipeline":"function(declare-to-assign),default<O2>"}}})",
                   6);
  REQUIRE(Commands.size() == 6);
  CHECK(Commands[1].rfind("printf '%s' ", 0) == 0);
  CHECK(Commands[1].find("default<O2>") != std::string::npos);
  CHECK(Commands[1].find("units") == std::string::npos);
  CHECK(Commands[3].find("-unroll-threshold=300") != std::string::npos);
}

TEST_CASE("a tune run's recorded rebuild commands give the confirmed binary", "[rebuild][cli][slow]") {
  // Code size is measured without noise, so the expert's first ideas (loops
  // not vectorized or unrolled) win on the loop program every time.
  test::TempDir Dir{"autopass-rebuild-tune-"};
  std::string Run = joinPath(Dir.Path, "run");
  SubprocessOptions T;
  T.Argv = {AUTOPASS_TUNER_EXE, "tune", Data + "/loop/spec.json", "--objective", "size",
            "--strategy", "expert", "--budget", "4", "--profile", "none", "--warmups", "0",
            "--min-reps", "1", "--max-reps", "1", "--confirm-reps", "1", "--confirm-top", "1",
            "--run-dir", Run, "--quiet", "--jobs", "2"};
  T.TimeoutSeconds = 600;
  auto Tuned = runSubprocess(T);
  REQUIRE(Tuned.ok());
  INFO(Tuned->Stderr);
  REQUIRE(Tuned->ExitCode == 0);
  auto Doc = parseJsonFile(joinPath(joinPath(Run, "results"), "tune-result.json"));
  REQUIRE(Doc.ok());
  const auto &Best = (**Doc)["best"];
  REQUIRE(Best.IsObject());
  std::string Hash = Best["confirmation"]["binary_hash"].GetString();
  std::vector<std::string> Commands;
  for (const auto &C : Best["rebuild"].GetArray())
    Commands.push_back(C.GetString());
  REQUIRE(Commands.size() == 5);

  // After the run: its cache's temporary folders are gone.
  std::string CacheTmp = joinPath(joinPath(Run, "cache"), "tmp");
  bool TmpGone = !pathExists(CacheTmp) || listDirectory(CacheTmp)->empty();
  CHECK(TmpGone);
  SubprocessOptions O;
  O.Argv = {"sh", "-e", "-c", join(Commands, "\n")};
  O.Cwd = "/";
  O.TimeoutSeconds = 300;
  auto Ran = runSubprocess(O);
  REQUIRE(Ran.ok());
  INFO(Ran->Stderr);
  REQUIRE(Ran->succeeded());
  auto Rebuilt = fileSha256(joinPath(joinPath(Run, "rebuild"), "loop"));
  REQUIRE(Rebuilt.ok());
  CHECK(*Rebuilt == Hash);
}
