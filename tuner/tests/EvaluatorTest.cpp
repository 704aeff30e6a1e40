// End to end through the Evaluator with real clang builds: the identity
// config reproduces the -O3 binary, and a candidate whose output differs
// from the -O3 reference is rejected with the reason recorded.
//
// The wrong-output program is honest, not contrived: fsum.c sums floats
// under -ffast-math, which permits reassociation, and the knobs
// force-vector-width=1/force-vector-interleave=1 make the optimizer keep the
// source order instead of the vectorized order -O3 uses. The printed digits
// change (about 0.2%), so an exact check rejects the candidate and a numeric
// check with rel_tol 0.01 accepts it.
#include "config/CandidateConfig.hpp"
#include "measure/Evaluator.hpp"
#include "spec/ProgramSpec.hpp"
#include "store/RunDir.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/harness";

MeasurementPlan quickPlan() {
  MeasurementPlan P;
  P.Warmups = 0;
  P.MinReps = 2;
  P.MaxReps = 2;
  return P;
}

struct Fixture {
  std::string Dir;
  ProgramSpec Spec;
  Toolchain Tools;
  std::unique_ptr<RunDir> Run;
  std::unique_ptr<Evaluator> Eval;

  explicit Fixture(const std::string &SpecPath) {
    auto D = makeTempDirectory("/tmp", "autopass-test-");
    REQUIRE(D.ok());
    Dir = *D;
    auto S = ProgramSpec::load(SpecPath);
    REQUIRE(S.ok());
    Spec = *S;
    auto T = Toolchain::locate();
    REQUIRE(T.ok());
    Tools = *T;
    auto R = RunDir::open(Dir, false, true);
    REQUIRE(R.ok());
    Run = std::move(*R);
    auto E = Evaluator::create(Spec, Tools, *Run, quickPlan(), 2);
    REQUIRE(E.ok());
    Eval = std::move(*E);
    auto B = Eval->prepareBaseline();
    REQUIRE(B.ok());
  }
  ~Fixture() { (void)removeAll(Dir); }
};

CandidateConfig scalarConfig() {
  auto C = CandidateConfig::load(Data + "/fastmath/scalar.json");
  REQUIRE(C.ok());
  return *C;
}
} // namespace

TEST_CASE("a wrong-output candidate is rejected and the reason recorded", "[evaluator][slow]") {
  Fixture F(Data + "/fastmath/exact.json");
  EvaluationResult R = F.Eval->evaluate(scalarConfig());
  CHECK(R.Status == EvalStatus::WrongOutput);
  CHECK(R.Reason.find("stdout differs") != std::string::npos);
  CHECK(R.CandidateSamples.empty());

  // The rejection is evidence in the journal.
  bool Recorded = false;
  for (const auto &E : F.Run->journal().events())
    if (E.Type == "eval_done" && E.data()["result"]["status"].GetString() ==
                                     std::string("wrong_output"))
      Recorded = true;
  CHECK(Recorded);
}

TEST_CASE("the same candidate passes a numeric check with a loose tolerance", "[evaluator][slow]") {
  Fixture F(Data + "/fastmath/numeric.json");
  EvaluationResult R = F.Eval->evaluate(scalarConfig());
  CHECK(R.Status == EvalStatus::Ok);
  CHECK(R.BaselineSamples.size() == 2);
  CHECK(R.CandidateSamples.size() == 2);
  CHECK_FALSE(R.SameBinaryAsBaseline);
}

TEST_CASE("the identity config builds the -O3 binary; bad knobs are refused", "[evaluator][slow]") {
  Fixture F(Data + "/loop/spec.json");
  EvaluationResult Identity = F.Eval->evaluate(CandidateConfig{});
  REQUIRE(Identity.Status == EvalStatus::Ok);
  // Calibration: the candidate flow yields byte-identical machine code.
  CHECK(Identity.SameBinaryAsBaseline);
  CHECK(Identity.CandidateTextBytes == Identity.BaselineTextBytes);

  // By default an identical binary is checked but not timed: exactly 1.
  CHECK(Identity.SameImageAsBaseline);
  CHECK(Identity.Speedup == 1);
  CHECK(Identity.CandidateSamples.empty());
  CHECK_FALSE(Identity.Stopped.has_value());
  CHECK(Identity.Warning.find("not timed") != std::string::npos);

  // --time-identical measures it like any other candidate.
  MeasurementPlan Timed = quickPlan();
  Timed.SkipIdenticalToBaseline = false;
  EvaluationResult Measured = F.Eval->confirm(CandidateConfig{}, Timed);
  CHECK(Measured.Status == EvalStatus::Ok);
  CHECK(Measured.CandidateSamples.size() == 2);
  CHECK(Measured.Stopped.has_value());

  CandidateConfig Typo;
  Typo.Knobs["unrol-threshold"] = int64_t(100);
  EvaluationResult Bad = F.Eval->evaluate(Typo);
  CHECK(Bad.Status == EvalStatus::Invalid);
  CHECK(Bad.Reason.find("unrol-threshold") != std::string::npos);

  // Knobs change the binary; the same config a second time is not redone.
  CandidateConfig Unroll;
  Unroll.Knobs["unroll-threshold"] = int64_t(0);
  Unroll.Knobs["enable-misched"] = false;
  auto Batch = F.Eval->evaluateBatch({Unroll, Unroll});
  REQUIRE(Batch.size() == 2);
  CHECK(Batch[0].Status == EvalStatus::Ok);
  CHECK(Batch[1].ConfigHash == Batch[0].ConfigHash);
  size_t Starts = 0;
  for (const auto &E : F.Run->journal().events())
    if (E.Type == "eval_start" && E.data()["config_hash"].GetString() == Unroll.contentHash())
      ++Starts;
  CHECK(Starts == 1);
}

TEST_CASE("a config outside the policy is invalid and never reaches a tool", "[evaluator][policy][slow]") {
  Fixture F(Data + "/loop/spec.json");
  CandidateConfig Load;
  Load.Knobs["load"] = std::string("/tmp/evil.so");
  CandidateConfig Dot;
  Dot.Pipeline = "default<O3>,function(dot-cfg)";
  auto Results = F.Eval->evaluateBatch({Load, Dot});
  REQUIRE(Results.size() == 2);
  CHECK(Results[0].Status == EvalStatus::Invalid);
  CHECK(Results[0].Reason.find("knob load: not in the knob catalog") != std::string::npos);
  CHECK(Results[1].Status == EvalStatus::Invalid);
  CHECK(Results[1].Reason.find("pass \"dot-cfg\" writes .dot files") != std::string::npos);
  // The journal's build events of both list no command: no tool was run.
  size_t Builds = 0;
  for (const auto &E : F.Run->journal().events()) {
    if (E.Type != "build")
      continue;
    std::string Hash = E.data()["config_hash"].GetString();
    if (Hash != Load.contentHash() && Hash != Dot.contentHash())
      continue;
    ++Builds;
    CHECK(E.data()["state"].GetString() == std::string("invalid"));
    CHECK(E.data()["commands"].Size() == 0);
  }
  CHECK(Builds == 2);
}
