// Under objective size a ratio over -O3 is a size ratio, not a speedup, and
// under runner qemu the reference run's (emulated) time was shown as the
// -O3 median when no evaluation measured the baseline.
#include "driver/TuningRun.hpp"
#include "measure/Evaluator.hpp"
#include "report/TuneReport.hpp"
#include "spec/ObjectiveWords.hpp"
#include "spec/ProgramSpec.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

TEST_CASE("results under objective size are worded as sizes", "[objective][words]") {
  CHECK(objectiveRatioName(ObjectiveKind::Size) == "size ratio");
  CHECK(objectiveBetterWord(ObjectiveKind::Size) == "smaller");
  CHECK(objectiveUnit(ObjectiveKind::Size) == "B");
  for (ObjectiveKind K : {ObjectiveKind::Wall, ObjectiveKind::Cpu}) {
    CHECK(objectiveRatioName(K) == "speedup");
    CHECK(objectiveBetterWord(K) == "faster");
    CHECK(objectiveUnit(K) == "s");
  }
  CHECK(objectiveBetterWord(ObjectiveKind::Reported) == "better");
}

TEST_CASE("tune's -O3 figure is never the emulated reference time", "[objective][words]") {
  ProgramSpec Spec;
  Spec.Target.Triple = "aarch64-linux-gnu";
  Spec.Runner.Kind = RunnerKind::Qemu;
  Spec.Objective.Kind = ObjectiveKind::Size;
  BaselineInfo Base;
  Base.ReferenceSeconds = 3.25; // qemu's emulated time
  Base.TextBytes = 12345;
  CHECK(tuneBaselineFallback(Spec, Base) == 12345.0);

  // A time objective run locally keeps the reference run's wall time; under
  // an emulating runner there is none to show.
  ProgramSpec Local;
  Local.Objective.Kind = ObjectiveKind::Wall;
  CHECK(tuneBaselineFallback(Local, Base) == 3.25);
  Spec.Objective.Kind = ObjectiveKind::Wall;
  CHECK(tuneBaselineFallback(Spec, Base) == 0.0);
  Local.Objective.Kind = ObjectiveKind::Cycles;
  CHECK(tuneBaselineFallback(Local, Base) == 0.0);
}

TEST_CASE("the tune report words a size win as a size ratio, a time win as a speedup",
          "[report][size]") {
  TuneReportData D;
  D.Program = "p";
  D.Strategy = "expert";
  D.Faster = true;
  D.Speedup = 1.25;
  D.Lo = 1.2;
  D.Hi = 1.3;
  D.BestSoFar = {1.25};
  D.StepSpeedups = {1.25};
  D.StepLabels = {"abc expert: 1.250"};
  D.Objective = "size";
  for (const std::string &Text : {renderTuneMarkdown(D), renderTuneHtml(D)}) {
    CHECK(Text.find("size ratio over -O3") != std::string::npos);
    CHECK(Text.find("speedup") == std::string::npos);
  }
  D.Objective = "wall";
  CHECK(renderTuneMarkdown(D).find("Confirmed speedup over -O3") != std::string::npos);
  CHECK(renderTuneHtml(D).find("Best speedup against evaluations") != std::string::npos);
}
