// The suite runner (driver/SuiteRun) and its report: the convergence figure
// ("evaluations to 95% of the final gain"), the result file's round trip
// with a PGO cell, the PGO column of the table, and a real two-strategy
// suite with --pgo on a small program that a resumed run reads back without
// measuring again. No timing assertions: measurements use two pairs only.
#include "driver/SuiteRun.hpp"
#include "report/SuiteReport.hpp"
#include "spec/SuiteSpec.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Progress.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace autopass;

namespace {

SuiteCell cell(const std::string &Strategy, double Speedup, std::vector<double> Curve) {
  SuiteCell C;
  C.Strategy = Strategy;
  C.Finished = true;
  C.Faster = Speedup > 1.0;
  C.Speedup = Speedup;
  C.Lo = Speedup * 0.98;
  C.Hi = Speedup * 1.02;
  C.Evaluations = static_cast<unsigned>(Curve.size());
  C.Seconds = 30;
  C.Curve = std::move(Curve);
  return C;
}

} // namespace

TEST_CASE("Suite: evaluations to reach 95% of the final gain", "[suite]") {
  CHECK(evaluationsToReach({}) == 0);
  CHECK(evaluationsToReach({1.0, 1.0, 1.0}) == 0);
  // Log gain: 0.95 * log(2.0) = log(1.931...): 1.9 is not enough, 1.95 is.
  CHECK(evaluationsToReach({1.0, 1.5, 1.9, 1.95, 2.0}) == 4);
  CHECK(evaluationsToReach({2.0, 2.0}) == 1);
  CHECK(evaluationsToReach({1.0, 1.1, 1.1, 1.2}, 0.5) == 2);
}

TEST_CASE("Suite: geomean curves hold a finished curve's last value", "[suite]") {
  SuiteOutcome S;
  SuiteRow A, B;
  A.Program = "a";
  A.Cells = {cell("expert", 4.0, {1.0, 4.0})};
  B.Program = "b";
  B.Cells = {cell("expert", 1.0, {1.0, 1.0, 1.0, 1.0})};
  S.Rows = {A, B};
  auto Curves = geomeanCurves(S);
  REQUIRE(Curves.size() == 1);
  REQUIRE(Curves[0].size() == 4);
  CHECK(Curves[0][0] == Approx(1.0));
  CHECK(Curves[0][1] == Approx(2.0)); // sqrt(4 * 1)
  CHECK(Curves[0][3] == Approx(2.0));
}

TEST_CASE("Suite: result JSON round trip with PGO, and the PGO column", "[suite]") {
  test::TempDir Dir{"autopass-suite-test-"};
  SuiteOutcome S;
  S.Name = "t";
  S.RunDir = Dir.Path;
  SuiteRow R;
  R.Program = "prog";
  R.SpecPath = "/x/spec.json";
  R.Objective = "cpu";
  R.BaselineSeconds = 0.5;
  R.Cells = {cell("expert", 1.25, {1.0, 1.2, 1.25}), cell("random", 1.0, {1.0, 1.0, 1.0})};
  R.Cells[0].Changes = {"knob -inline-threshold=425", "pipeline: removed slp-vectorizer in function"};
  R.Cells[0].EvidenceShare = 0.6;
  R.Cells[1].LayoutRejected = 1;
  SuiteCell Pgo = cell("pgo", 0.97, {});
  Pgo.Faster = false;
  R.Pgo = Pgo;
  SuiteRow Rejected = R;
  Rejected.Program = "wrong";
  Rejected.Pgo->Error = "wrong-output: line 3 differs";
  Rejected.Pgo->Rejected = 1;
  S.Rows = {R, Rejected};
  S.Geomeans = {1.25, 1.0};
  S.PgoGeomean = 0.97;
  REQUIRE(writeFileAtomically(joinPath(Dir.Path, "suite-result.json"), suiteOutcomeJson(S)).ok());

  auto Back = loadSuiteOutcome(Dir.Path);
  REQUIRE(Back.ok());
  REQUIRE(Back->Rows.size() == 2);
  REQUIRE(Back->Rows[0].Pgo.has_value());
  CHECK(Back->Rows[0].Pgo->Speedup == Approx(0.97));
  CHECK(Back->Rows[1].Pgo->Rejected == 1);
  CHECK(Back->Rows[0].Cells[0].Curve.size() == 3);
  CHECK(Back->Rows[0].Cells[0].Changes == R.Cells[0].Changes);
  CHECK(Back->Rows[0].Cells[0].EvidenceShare == Approx(0.6));
  CHECK(Back->Rows[0].Cells[1].LayoutRejected == 1);
  // Both rows' expert wins owe 60% of their gain to evidence; random won
  // nothing; one layout-rejected win per row for random.
  CHECK(evidenceShareOfGain(*Back, 0) == Approx(0.6));
  CHECK(evidenceShareOfGain(*Back, 1) == 0);
  REQUIRE(Back->PgoGeomean.has_value());
  CHECK(*Back->PgoGeomean == Approx(0.97));

  std::string Table = renderSuiteTable(*Back);
  CHECK(Table.find("PGO (measured)") != std::string::npos);
  // PGO is shown as measured, below 1 included; a strategy without a win
  // shows -O3 best.
  CHECK(Table.find("0.970 [0.951,0.989]") != std::string::npos);
  CHECK(Table.find("1.000 (-O3 best)") != std::string::npos);
  CHECK(Table.find("rejected") != std::string::npos);
  CHECK(Table.find("expert: 3 evaluations on the suite's geomean curve") != std::string::npos);
  CHECK(Table.find("random: no search gain") != std::string::npos);
  std::string Md = renderSuiteMarkdown(*Back);
  CHECK(Md.find("| PGO |") != std::string::npos);
  CHECK(Md.find("s summed over programs and strategies") != std::string::npos);
  // Each strategy's time: per cell and summed per column.
  CHECK(Md.find("| time | | 1.0 min | 1.0 min | 1.0 min |") != std::string::npos);
  CHECK(Md.find("| gain from evidence | | 60% | 0% | |") != std::string::npos);
  CHECK(Md.find("| layout-rejected | | 0 | 2 | |") != std::string::npos);
  CHECK(Md.find("| prog | 30 s | 30 s | 30 s |") != std::string::npos);
  // What each win changed; a row without a win lists nothing for it.
  CHECK(Md.find("- prog, expert (1.250): `knob -inline-threshold=425`; `pipeline: removed "
                "slp-vectorizer in function`\n") != std::string::npos);
  CHECK(Md.find("prog, random (") == std::string::npos);
  CHECK(Table.find("1.250 [") != std::string::npos);
  CHECK(Table.find("] 30 s") != std::string::npos);
  CHECK(Table.find("1.0 min") != std::string::npos);
  std::string Html = renderSuiteHtml(*Back);
  CHECK(Html.find("<th>PGO (measured)</th>") != std::string::npos);
  CHECK(Html.find("<li><b>prog</b>, expert (1.250): <code>knob -inline-threshold=425</code>") !=
        std::string::npos);

  // Without PGO cells there is no PGO column.
  for (SuiteRow &Row : Back->Rows)
    Row.Pgo.reset();
  CHECK(renderSuiteTable(*Back).find("PGO") == std::string::npos);
}

TEST_CASE("Suite: two strategies and PGO on a small program, resumed", "[suite][slow]") {
  test::TempDir Dir{"autopass-suite-test-"};
  std::string SuitePath = joinPath(Dir.Path, "suite.json");
  REQUIRE(writeFileAtomically(SuitePath, std::string("{\"schema\": \"autopass-suite/1\", "
                                                     "\"name\": \"small\", \"programs\": [\"") +
                                             AUTOPASS_TEST_DATA + "/pgo/spec.json\"]}")
              .ok());
  auto Suite = SuiteSpec::load(SuitePath);
  REQUIRE(Suite.ok());
  auto Tools = Toolchain::locate();
  REQUIRE(Tools.ok());

  SuiteSettings Settings;
  Settings.Strategies = {"random", "greedy"};
  Settings.Tune.Budget = 2;
  Settings.Tune.ConfirmReps = 2;
  Settings.Tune.Profile = ProfileMode::None;
  Settings.Plan.Warmups = 0;
  Settings.Plan.MinReps = Settings.Plan.MaxReps = 2;
  Settings.Jobs = 1;
  Settings.Pgo = true;
  Settings.Objective = ObjectiveKind::Cpu;
  Progress Prog(/*Quiet=*/true);
  std::string RunDir = joinPath(Dir.Path, "run");

  auto Out = runSuite(*Suite, *Tools, RunDir, Settings, Prog);
  REQUIRE(Out.ok());
  REQUIRE(Out->Rows.size() == 1);
  const SuiteRow &Row = Out->Rows[0];
  CHECK(Row.Program == "branchy");
  CHECK(Row.Objective == "cpu");
  REQUIRE(Row.Cells.size() == 2);
  for (const SuiteCell &C : Row.Cells) {
    CHECK(C.Finished);
    CHECK(C.Error.empty());
    CHECK(C.Evaluations == 2);
    CHECK(C.Curve.size() == 2);
  }
  REQUIRE(Row.Pgo.has_value());
  CHECK(Row.Pgo->Error.empty());
  CHECK(Row.Pgo->Finished);
  CHECK(Row.Pgo->Speedup > 0);
  CHECK(Row.Pgo->Lo <= Row.Pgo->Speedup);
  CHECK(Row.Pgo->Hi >= Row.Pgo->Speedup);
  REQUIRE(Out->PgoGeomean.has_value());
  CHECK(*Out->PgoGeomean == Approx(Row.Pgo->Speedup));
  CHECK(pathExists(joinPath(RunDir, "branchy/pgo/results/pgo-cell.json")));

  // Resumed: every cell is read back, none is measured again (same figures,
  // and the PGO work directory is not rebuilt).
  std::string Stamp = joinPath(RunDir, "branchy/pgo/pgo");
  REQUIRE(removeAll(Stamp).ok());
  Settings.Resume = true;
  auto Again = runSuite(*Suite, *Tools, RunDir, Settings, Prog);
  REQUIRE(Again.ok());
  REQUIRE(Again->Rows.size() == 1);
  REQUIRE(Again->Rows[0].Pgo.has_value());
  CHECK(Again->Rows[0].Pgo->Speedup == Approx(Row.Pgo->Speedup));
  CHECK_FALSE(pathExists(Stamp));
  for (size_t I = 0; I < 2; ++I)
    CHECK(Again->Rows[0].Cells[I].Speedup == Approx(Row.Cells[I].Speedup));
}

// Under objective size the cells are size ratios and the -O3 column holds
// bytes; the table once said "speedup" and printed the bytes as seconds.
TEST_CASE("Suite: a size suite is worded in sizes and bytes", "[suite][objective]") {
  SuiteOutcome S;
  S.Name = "t";
  SuiteRow R;
  R.Program = "prog";
  R.Objective = "size";
  R.BaselineSeconds = 12345;
  R.Cells = {cell("expert", 1.25, {1.0, 1.25})};
  SuiteRow Unknown = R;
  Unknown.Program = "none";
  Unknown.BaselineSeconds = 0;
  S.Rows = {R, Unknown};
  S.Geomeans = {1.25};

  std::string Table = renderSuiteTable(S);
  CHECK(Table.find("-O3 size (B)") != std::string::npos);
  CHECK(Table.find("expert size ratio [95% CI]") != std::string::npos);
  CHECK(Table.find("12345 B") != std::string::npos);
  CHECK(Table.find("n/a") != std::string::npos);
  CHECK(Table.find("speedup") == std::string::npos);
  CHECK(Table.find("-O3 median") == std::string::npos);
  std::string Md = renderSuiteMarkdown(S);
  CHECK(Md.find("| program | -O3 size (B) |") != std::string::npos);
  CHECK(Md.find("| prog | 12345 |") != std::string::npos);
  CHECK(Md.find("Size ratio = -O3 code size / tuned code size") != std::string::npos);
  CHECK(Md.find("Speedup") == std::string::npos);
  std::string Html = renderSuiteHtml(S);
  CHECK(Html.find("<th>-O3 size (B)</th>") != std::string::npos);
  CHECK(Html.find("size ratio over -O3") != std::string::npos);
  CHECK(Html.find("Speedup") == std::string::npos);

  // A time suite keeps its words.
  S.Rows[0].Objective = "wall";
  S.Rows[1].Objective = "wall";
  S.Rows[0].BaselineSeconds = 0.5;
  std::string Wall = renderSuiteTable(S);
  CHECK(Wall.find("-O3 median (s)") != std::string::npos);
  CHECK(Wall.find("expert speedup [95% CI]") != std::string::npos);
  CHECK(Wall.find("0.500 s") != std::string::npos);
}
