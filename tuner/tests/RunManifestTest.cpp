// A run directory is bound to its spec, sources, objective and measurement
// settings (store/RunManifest.hpp): --resume with another spec or objective
// once exited 0 and mixed two runs' results; now it is refused, naming what
// differs.
#include "measure/MeasurementPlan.hpp"
#include "spec/ProgramSpec.hpp"
#include "store/RunManifest.hpp"
#include "util/FileSystem.hpp"
#include "util/Subprocess.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/harness";

bool contains(const std::string &Text, const std::string &Part) {
  return Text.find(Part) != std::string::npos;
}

RunManifest manifestOf(const std::string &SpecPath, const MeasurementPlan &Plan = {}) {
  auto Spec = ProgramSpec::load(SpecPath);
  REQUIRE(Spec.ok());
  auto M = RunManifest::describe(*Spec, Plan);
  REQUIRE(M.ok());
  return *M;
}
} // namespace

TEST_CASE("a run manifest round-trips and names every difference", "[manifest]") {
  RunManifest Loop = manifestOf(Data + "/loop/spec.json");
  REQUIRE(Loop.Sources.size() == 1);
  CHECK(Loop.Sources[0].Sha256.size() == 64);
  auto Back = RunManifest::parse(Loop.toJson(), "run-manifest.json");
  REQUIRE(Back.ok());
  CHECK(Back->differences(Loop).empty());

  RunManifest Other = manifestOf(Data + "/fastmath/exact.json");
  auto Diff = Loop.differences(Other);
  REQUIRE_FALSE(Diff.empty());
  CHECK(contains(Diff.front(), "the spec is " + Data + "/fastmath/exact.json"));

  MeasurementPlan More;
  More.MaxReps = 99;
  RunManifest Cpu = manifestOf(Data + "/loop/spec.json", More);
  Cpu.Objective = "cpu";
  auto Changed = Loop.differences(Cpu);
  REQUIRE(Changed.size() == 2);
  CHECK(Changed[0] == "the objective is cpu, the run's is wall");
  CHECK(Changed[1] == "measurement setting max_reps is 99, the run's is 30");

  auto Bad = RunManifest::parse(R"({"schema":"autopass-run-manifest/1","spec":3})", "m.json");
  REQUIRE_FALSE(Bad.ok());
  CHECK(contains(Bad.message(), "m.json"));
  CHECK(contains(Bad.message(), "spec"));
}

TEST_CASE("a changed source refuses the resume of a run", "[manifest]") {
  test::TempDir Dir{"autopass-manifest-test-"};
  auto Source = readFile(Data + "/loop/loop.c");
  auto SpecText = readFile(Data + "/loop/spec.json");
  REQUIRE(Source.ok());
  REQUIRE(SpecText.ok());
  REQUIRE(writeFile(joinPath(Dir.Path, "loop.c"), *Source).ok());
  REQUIRE(writeFile(joinPath(Dir.Path, "spec.json"), *SpecText).ok());
  std::string Run = joinPath(Dir.Path, "run");
  REQUIRE(makeDirectories(Run).ok());
  RunManifest Before = manifestOf(joinPath(Dir.Path, "spec.json"));
  REQUIRE(bindRunDirectory(Run, /*Resumed=*/false, Before).ok());
  CHECK(bindRunDirectory(Run, /*Resumed=*/true, Before).ok());

  REQUIRE(writeFile(joinPath(Dir.Path, "loop.c"), *Source + "\n/* edited */\n").ok());
  RunManifest After = manifestOf(joinPath(Dir.Path, "spec.json"));
  Status S = bindRunDirectory(Run, /*Resumed=*/true, After);
  REQUIRE_FALSE(S.ok());
  CHECK(contains(S.message(), "cannot resume the run in " + Run));
  CHECK(contains(S.message(), "sources differ: " + joinPath(Dir.Path, "loop.c") + " (changed)"));
}

TEST_CASE("eval --resume with another spec or objective is refused", "[manifest][cli][slow]") {
  test::TempDir Dir{"autopass-manifest-test-"};
  std::string Run = joinPath(Dir.Path, "run");
  std::string Config = joinPath(Dir.Path, "identity.json");
  REQUIRE(writeFile(Config, R"({"schema":"autopass-config/1"})").ok());
  auto eval = [&](const std::string &Spec, std::vector<std::string> Extra) {
    SubprocessOptions O;
    O.Argv = {AUTOPASS_TUNER_EXE, "eval",      Spec,        Config,         "--run-dir",
              Run,                "--quiet",   "--warmups", "0",            "--min-reps",
              "2",                "--max-reps", "2",        "--jobs",       "1"};
    O.Argv.insert(O.Argv.end(), Extra.begin(), Extra.end());
    O.TimeoutSeconds = 300;
    auto P = runSubprocess(O);
    REQUIRE(P.ok());
    return *P;
  };
  SubprocessResult First = eval(Data + "/loop/spec.json", {});
  INFO(First.Stderr);
  REQUIRE(First.ExitCode == 0);
  REQUIRE(pathExists(joinPath(Run, "run-manifest.json")));

  SubprocessResult OtherSpec = eval(Data + "/fastmath/exact.json", {"--resume"});
  CHECK(OtherSpec.ExitCode == 1);
  CHECK(contains(OtherSpec.Stderr, "cannot resume the run in " + Run));
  CHECK(contains(OtherSpec.Stderr, "the spec is " + Data + "/fastmath/exact.json"));

  SubprocessResult OtherObjective = eval(Data + "/loop/spec.json", {"--resume", "--objective", "cpu"});
  CHECK(OtherObjective.ExitCode == 1);
  CHECK(contains(OtherObjective.Stderr, "the objective is cpu, the run's is wall"));

  // The same spec and settings resume as before.
  SubprocessResult Same = eval(Data + "/loop/spec.json", {"--resume"});
  CHECK(Same.ExitCode == 0);
}

// --target, --mcpu and --runner change what a run's results mean but not the
// spec file; a resume with other ones was accepted silently.
TEST_CASE("a resume with another target, cpu or runner is refused", "[manifest]") {
  auto Spec = ProgramSpec::load(Data + "/loop/spec.json");
  REQUIRE(Spec.ok());
  auto Host = RunManifest::describe(*Spec, {});
  REQUIRE(Host.ok());
  CHECK_FALSE(Host->TargetTriple.empty());
  CHECK(Host->TargetCpu == "default");
  CHECK(Host->RunnerKindName == "local");

  Spec->Target.Triple = "aarch64-linux-gnu";
  Spec->Target.Cpu = "neoverse-n1";
  Spec->Runner.Kind = RunnerKind::Qemu;
  auto Cross = RunManifest::describe(*Spec, {});
  REQUIRE(Cross.ok());
  auto Back = RunManifest::parse(Cross->toJson(), "run-manifest.json");
  REQUIRE(Back.ok());
  CHECK(Back->TargetTriple == "aarch64-linux-gnu");
  CHECK(Back->TargetCpu == "neoverse-n1");
  CHECK(Back->RunnerKindName == "qemu");
  CHECK(Back->differences(*Cross).empty());

  test::TempDir Dir{"autopass-manifest-test-"};
  REQUIRE(bindRunDirectory(Dir.Path, /*Resumed=*/false, *Host).ok());
  Status S = bindRunDirectory(Dir.Path, /*Resumed=*/true, *Cross);
  REQUIRE_FALSE(S.ok());
  CHECK(contains(S.message(), "the target is aarch64-linux-gnu, the run's is " + Host->TargetTriple));
  CHECK(contains(S.message(), "the cpu is neoverse-n1, the run's is default"));
  CHECK(contains(S.message(), "the runner is qemu, the run's is local"));
}

TEST_CASE("a manifest from before cross targets reads as the host", "[manifest]") {
  auto Spec = ProgramSpec::load(Data + "/loop/spec.json");
  REQUIRE(Spec.ok());
  auto Host = RunManifest::describe(*Spec, {});
  REQUIRE(Host.ok());
  auto Old = RunManifest::parse(R"({"schema":"autopass-run-manifest/1",
      "spec":{"path":"s.json","sha256":"00"},"sources":[],"objective":"wall",
      "measurement":{}})",
                                "old.json");
  REQUIRE(Old.ok());
  CHECK(Old->TargetTriple == Host->TargetTriple);
  CHECK(Old->TargetCpu == "default");
  CHECK(Old->RunnerKindName == "local");

  auto Bad = RunManifest::parse(R"({"schema":"autopass-run-manifest/1",
      "spec":{"path":"s.json","sha256":"00"},"sources":[],"objective":"wall",
      "target":{"triple":3,"cpu":"default","runner":"local"},"measurement":{}})",
                                "bad.json");
  REQUIRE_FALSE(Bad.ok());
  CHECK(contains(Bad.message(), "bad.json"));
  CHECK(contains(Bad.message(), "target.triple"));
}
