// The PGO flow (toolchain/PgoBuilder, cli/PgoCommand) on a small program
// with a skewed branchy hot loop (data/pgo/branchy.c): training writes raw
// profiles that merge into a .profdata naming the program's functions, the
// PGO binary passes the check against the -O3 reference, configs with a
// pipeline are refused, and `autopass-tuner pgo` writes its result file.
// No timing assertions: measurements use two pairs only.
#include "config/CandidateConfig.hpp"
#include "measure/Evaluator.hpp"
#include "spec/ProgramSpec.hpp"
#include "store/RunDir.hpp"
#include "toolchain/PgoBuilder.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Subprocess.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/pgo";

CandidateConfig loadConfig(const std::string &Name) {
  auto C = CandidateConfig::load(Data + "/" + Name);
  REQUIRE(C.ok());
  return *C;
}
} // namespace

TEST_CASE("PGO: training profiles, a checked PGO binary, knobs on top", "[pgo][slow]") {
  test::TempDir Dir{"autopass-pgo-test-"};
  auto Spec = ProgramSpec::load(Data + "/spec.json");
  REQUIRE(Spec.ok());
  auto Tools = Toolchain::locate();
  REQUIRE(Tools.ok());
  REQUIRE_FALSE(Tools->LlvmProfdata.empty());

  PgoBuilder Pgo(*Spec, *Tools, joinPath(Dir.Path, "pgo"));
  auto Profile = Pgo.train(2);
  REQUIRE(Profile.ok());
  // One raw profile per training run (%p in LLVM_PROFILE_FILE), merged.
  CHECK(Profile->RawProfiles.size() == 2);
  for (const auto &Raw : Profile->RawProfiles)
    CHECK(pathExists(Raw));
  REQUIRE(pathExists(Profile->ProfdataPath));

  // The merged profile has counters for the program's hot function.
  SubprocessOptions Show;
  Show.Argv = {Tools->LlvmProfdata, "show", "--all-functions", Profile->ProfdataPath};
  auto Shown = runSubprocess(Show);
  REQUIRE(Shown.ok());
  REQUIRE(Shown->succeeded());
  CHECK(Shown->Stdout.find("main") != std::string::npos);
  CHECK(Shown->Stdout.find("Total functions: 0") == std::string::npos);

  // The PGO binary is checked against the -O3 reference like a candidate.
  auto Run = RunDir::open(joinPath(Dir.Path, "run"), false, true);
  REQUIRE(Run.ok());
  MeasurementPlan Plan;
  Plan.Warmups = 0;
  Plan.MinReps = Plan.MaxReps = 2;
  auto Eval = Evaluator::create(*Spec, *Tools, **Run, Plan, 1);
  REQUIRE(Eval.ok());
  BuildResult B = Pgo.buildOptimized(*Profile, "pgo");
  REQUIRE(B.ok());
  bool UsesProfile = false;
  for (const auto &C : B.Commands)
    UsesProfile |= C.find("-fprofile-use=" + Profile->ProfdataPath) != std::string::npos;
  CHECK(UsesProfile);
  EvaluationResult R = (*Eval)->evaluateBinary(B, "pgo", Plan);
  CHECK(R.Status == EvalStatus::Ok);
  CHECK(R.CandidateSamples.size() == 2);

  // A knobs config goes on top as -mllvm flags and still gives the
  // reference output.
  CandidateConfig Knobs = loadConfig("unroll.json");
  CHECK(PgoBuilder::unsupportedReason(Knobs).empty());
  BuildResult K = Pgo.buildOptimized(*Profile, "tuned-pgo", &Knobs);
  REQUIRE(K.ok());
  bool HasKnob = false;
  for (const auto &C : K.Commands)
    HasKnob |= C.find("-mllvm -unroll-threshold=600") != std::string::npos;
  CHECK(HasKnob);
  EvaluationResult KR = (*Eval)->evaluateBinary(K, "tuned+pgo", Plan);
  CHECK(KR.Status == EvalStatus::Ok);
}

TEST_CASE("PGO: a config with a pipeline is refused with the reason", "[pgo]") {
  CandidateConfig Pipe = loadConfig("pipeline.json");
  std::string Why = PgoBuilder::unsupportedReason(Pipe);
  CHECK(Why.find("pipeline") != std::string::npos);

  auto Spec = ProgramSpec::load(Data + "/spec.json");
  REQUIRE(Spec.ok());
  auto Tools = Toolchain::locate();
  REQUIRE(Tools.ok());
  test::TempDir Dir{"autopass-pgo-test-"};
  PgoBuilder Pgo(*Spec, *Tools, Dir.Path);
  PgoProfile None; // never reached: the config is refused first
  BuildResult B = Pgo.buildOptimized(None, "tuned-pgo", &Pipe);
  CHECK(B.State == BuildResult::Outcome::Invalid);
  CHECK(B.Log == Why);
}

TEST_CASE("autopass-tuner pgo writes autopass-pgo-result/1", "[pgo][slow]") {
  test::TempDir Dir{"autopass-pgo-test-"};
  std::string RunPath = joinPath(Dir.Path, "run");
  SubprocessOptions O;
  O.Argv = {AUTOPASS_TUNER_EXE, "pgo", Data + "/spec.json", Data + "/unroll.json",
            "--run-dir", RunPath, "--warmups", "0", "--min-reps", "2", "--max-reps", "2",
            "--quiet", "--jobs", "1"};
  O.TimeoutSeconds = 300;
  auto P = runSubprocess(O);
  REQUIRE(P.ok());
  INFO(P->Stderr);
  REQUIRE(P->ExitCode == 0);
  CHECK(P->Stdout.find("tuned + PGO") != std::string::npos);

  auto Doc = parseJsonFile(joinPath(joinPath(RunPath, "results"), "pgo-result.json"));
  REQUIRE(Doc.ok());
  const auto &D = **Doc;
  REQUIRE(D.IsObject());
  CHECK(std::string(D["schema"].GetString()) == "autopass-pgo-result/1");
  CHECK(std::string(D["name"].GetString()) == "branchy");
  REQUIRE(D["training"]["raw_profiles"].IsArray());
  CHECK(D["training"]["raw_profiles"].Size() == 1);
  CHECK(pathExists(D["training"]["profdata"].GetString()));
  for (const char *Key : {"pgo", "tuned", "tuned_pgo"}) {
    INFO(Key);
    REQUIRE(D["results"].HasMember(Key));
    const auto &Row = D["results"][Key];
    CHECK(Row["built"].GetBool());
    CHECK(std::string(Row["result"]["status"].GetString()) == "ok");
    CHECK(Row["result"]["speedup"].IsNumber());
  }
}

TEST_CASE("autopass-tuner pgo: config sources are checked before anything is built", "[pgo]") {
  test::TempDir Dir{"autopass-pgo-test-"};
  auto runTuner = [&](std::vector<std::string> Args) {
    SubprocessOptions O;
    O.Argv = {AUTOPASS_TUNER_EXE, "pgo", Data + "/spec.json"};
    O.Argv.insert(O.Argv.end(), Args.begin(), Args.end());
    O.TimeoutSeconds = 60;
    auto P = runSubprocess(O);
    REQUIRE(P.ok());
    return *P;
  };
  // CONFIG and --from-run together are a usage error.
  SubprocessResult Both = runTuner({Data + "/unroll.json", "--from-run", Dir.Path});
  CHECK(Both.ExitCode == 2);
  CHECK(Both.Stderr.find("not both") != std::string::npos);
  // --from-run reads RUN/results/best-config.json and names it when absent.
  SubprocessResult Missing =
      runTuner({"--from-run", Dir.Path, "--run-dir", joinPath(Dir.Path, "run")});
  CHECK(Missing.ExitCode == 1);
  CHECK(Missing.Stderr.find("best-config.json") != std::string::npos);
  CHECK(Missing.Stderr.find("--from-run expects a tune run directory") != std::string::npos);
  CHECK_FALSE(pathExists(joinPath(Dir.Path, "run")));
}

TEST_CASE("PGO is refused under the qemu runner, before anything runs", "[pgo][target]") {
  test::TempDir Dir{"autopass-pgo-qemu-test-"};
  auto Spec = ProgramSpec::load(Data + "/spec.json");
  REQUIRE(Spec.ok());
  Spec->Target.Triple = "aarch64-linux-gnu";
  Spec->Runner.Kind = RunnerKind::Qemu;
  Toolchain Tools; // never reached: the refusal comes first
  PgoBuilder Pgo(*Spec, Tools, Dir.Path);
  auto Profile = Pgo.train(1);
  REQUIRE_FALSE(Profile.ok());
  CHECK(Profile.message().find("PGO needs runner \"local\"") != std::string::npos);
  CHECK_FALSE(pathExists(joinPath(Dir.Path, "profile")));
}
