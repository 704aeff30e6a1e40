// The sequential stopping rule (measure/SequentialRule.hpp): where it stops
// on synthetic series, and, on pairs recorded by real tuning runs
// (tests/data/sequential/pair-samples.json, made by
// bench/tools/pair_samples.py), how often its keep/drop decision differs
// from the fixed rule's and how many pairs it saves. Deterministic: the
// bootstrap has a fixed seed, nothing is timed.
#include "measure/SequentialRule.hpp"
#include "util/Json.hpp"

#include "NoisySamples.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <random>

using namespace autopass;

namespace {
using test::noisy;

MeasurementPlan plan(bool Sequential) {
  MeasurementPlan P;
  P.MinReps = 5;
  P.MaxReps = 30;
  P.TargetCi = 0.01;
  P.Sequential = Sequential;
  return P;
}

ReplayedMeasurement replay(const std::vector<double> &Base, const std::vector<double> &Cand,
                           const MeasurementPlan &P) {
  return replayStoppingRule(prefixEstimates(Base, Cand, false, P), P);
}
} // namespace

TEST_CASE("stop reasons round-trip through their names", "[sequential]") {
  for (StopReason R : {StopReason::TargetReached, StopReason::Cap, StopReason::ClearlySlower,
                       StopReason::ClearlyFaster, StopReason::NotFaster})
    CHECK(parseStopReason(stopReasonName(R)) == R);
  CHECK_FALSE(parseStopReason("soon").has_value());
}

TEST_CASE("the sequential rule stops only on a clear decision", "[sequential]") {
  MeasurementPlan Seq = plan(true), Fixed = plan(false);
  REQUIRE(Seq.ClearMargin == 0.02);
  REQUIRE(Seq.DecisionReps == 10);
  RatioEstimate Slower{0.80, 0.70, 0.95};
  RatioEstimate Faster{1.30, 1.12, 1.50};
  RatioEstimate Close{1.02, 0.97, 1.08};      // above 1, interval straddles 1
  RatioEstimate NotBetter{0.99, 0.95, 1.04};  // speedup at most 1
  RatioEstimate JustBelow{0.96, 0.92, 0.985}; // below 1, not below 1 - margin
  RatioEstimate JustAbove{1.04, 1.01, 1.07};  // above 1, not above 1 + margin
  RatioEstimate Narrow{1.00, 0.995, 1.005};

  // Never before the minimum, whatever the interval.
  CHECK_FALSE(stopAfterPair(Slower, 4, 5, 30, Seq).has_value());
  CHECK(stopAfterPair(Slower, 5, 5, 30, Seq) == StopReason::ClearlySlower);
  CHECK(stopAfterPair(Narrow, 5, 5, 30, Seq) == StopReason::TargetReached);
  // Keeping, or dropping for a speedup of at most 1, waits for DecisionReps.
  CHECK_FALSE(stopAfterPair(Faster, 9, 5, 30, Seq).has_value());
  CHECK(stopAfterPair(Faster, 10, 5, 30, Seq) == StopReason::ClearlyFaster);
  CHECK_FALSE(stopAfterPair(NotBetter, 9, 5, 30, Seq).has_value());
  CHECK(stopAfterPair(NotBetter, 10, 5, 30, Seq) == StopReason::NotFaster);
  CHECK(stopAfterPair(JustBelow, 10, 5, 30, Seq) == StopReason::NotFaster);
  // A larger minimum (a confirmation's) postpones them too.
  CHECK_FALSE(stopAfterPair(Faster, 10, 12, 36, Seq).has_value());
  CHECK(stopAfterPair(Faster, 12, 12, 36, Seq) == StopReason::ClearlyFaster);
  // Close to 1 from above: the target is chased, up to the cap.
  CHECK_FALSE(stopAfterPair(Close, 10, 5, 30, Seq).has_value());
  CHECK_FALSE(stopAfterPair(JustAbove, 20, 5, 30, Seq).has_value());
  CHECK(stopAfterPair(Close, 30, 5, 30, Seq) == StopReason::Cap);
  CHECK_FALSE(stopAfterPair(JustBelow, 5, 5, 30, Seq).has_value());

  // The fixed rule chases the target for everyone.
  CHECK_FALSE(stopAfterPair(Slower, 5, 5, 30, Fixed).has_value());
  CHECK_FALSE(stopAfterPair(NotBetter, 10, 5, 30, Fixed).has_value());
  CHECK_FALSE(stopAfterPair(Faster, 29, 5, 30, Fixed).has_value());
  CHECK(stopAfterPair(Faster, 30, 5, 30, Fixed) == StopReason::Cap);
  CHECK(stopAfterPair(Narrow, 5, 5, 30, Fixed) == StopReason::TargetReached);
}

TEST_CASE("replayed on synthetic series, clear cases stop early with the fixed rule's decision",
          "[sequential]") {
  auto Base = noisy(1.0, 0.05, 30, 1);
  auto Slow = noisy(1.3, 0.05, 30, 2);  // speedup ~0.77
  auto Fast = noisy(0.75, 0.05, 30, 3); // speedup ~1.33
  auto Same = noisy(1.0, 0.05, 30, 4);
  ReplayedMeasurement SlowS = replay(Base, Slow, plan(true));
  ReplayedMeasurement FastS = replay(Base, Fast, plan(true));
  CHECK(SlowS.Pairs == 5);
  CHECK(SlowS.Why == StopReason::ClearlySlower);
  CHECK_FALSE(SlowS.keep());
  CHECK(FastS.Pairs == 10);
  CHECK(FastS.Why == StopReason::ClearlyFaster);
  CHECK(FastS.keep());
  for (const auto *Cand : {&Slow, &Fast}) {
    ReplayedMeasurement F = replay(Base, *Cand, plan(false));
    CHECK(F.Pairs == 30);
    CHECK(F.Why == StopReason::Cap);
    CHECK(F.keep() == (Cand == &Fast));
  }
  // No difference: never longer than the fixed rule, the same decision.
  ReplayedMeasurement S = replay(Base, Same, plan(true));
  ReplayedMeasurement F = replay(Base, Same, plan(false));
  CHECK(S.Pairs <= F.Pairs);
  CHECK_FALSE(F.keep());
  CHECK_FALSE(S.keep());
  // Fewer recorded pairs than the cap: the recording's end is the cap.
  std::vector<double> Short(Base.begin(), Base.begin() + 3), ShortC(Same.begin(), Same.begin() + 3);
  ReplayedMeasurement T = replay(Short, ShortC, plan(true));
  CHECK(T.Pairs == 3);
}

namespace {
struct RecordedSeries {
  std::string Program;
  std::vector<double> Base, Cand;
};

std::vector<RecordedSeries> loadRecorded() {
  std::string Path = std::string(AUTOPASS_TEST_DATA) + "/sequential/pair-samples.json";
  auto Doc = parseJsonFile(Path);
  INFO(Path << ": " << (Doc ? "" : Doc.message()));
  REQUIRE(Doc.ok());
  const auto &D = **Doc;
  REQUIRE(D.IsObject());
  REQUIRE(D.HasMember("series"));
  REQUIRE(D["series"].IsArray());
  std::vector<RecordedSeries> Out;
  for (const auto &S : D["series"].GetArray()) {
    RecordedSeries R;
    R.Program = S["program"].GetString();
    for (const auto &V : S["baseline"].GetArray())
      R.Base.push_back(V.GetDouble());
    for (const auto &V : S["candidate"].GetArray())
      R.Cand.push_back(V.GetDouble());
    REQUIRE(R.Base.size() == R.Cand.size());
    Out.push_back(std::move(R));
  }
  return Out;
}

/// The tuner's defaults: 5 to 30 pairs, +/-1% target, the CLI's seed.
MeasurementPlan tunerPlan(bool Sequential) {
  MeasurementPlan P = plan(Sequential);
  P.Seed = 1579220717;
  return P;
}
} // namespace

TEST_CASE("on recorded pairs the sequential rule agrees with the fixed rule's keep/drop "
          "decisions", "[sequential]") {
  std::vector<RecordedSeries> Recorded = loadRecorded();
  // Every series must be as long as the fixed rule would measure (the
  // recordings ran with a target never met, so to the 30-pair cap).
  REQUIRE(Recorded.size() >= 100);
  size_t Differ = 0, Kept = 0, FixedPairs = 0, SeqPairs = 0, StoppedEarly = 0;
  MeasurementPlan Fixed = tunerPlan(false), Seq = tunerPlan(true);
  for (const RecordedSeries &R : Recorded) {
    REQUIRE(R.Base.size() == 30);
    auto Estimates = prefixEstimates(R.Base, R.Cand, false, Fixed);
    ReplayedMeasurement F = replayStoppingRule(Estimates, Fixed);
    ReplayedMeasurement S = replayStoppingRule(Estimates, Seq);
    CHECK(S.Pairs <= F.Pairs); // never longer than the fixed rule
    Differ += F.keep() != S.keep();
    Kept += F.keep();
    FixedPairs += F.Pairs;
    SeqPairs += S.Pairs;
    StoppedEarly += S.Pairs < F.Pairs;
  }
  if (std::getenv("AUTOPASS_SIMULATION_REPORT"))
    std::printf("%zu series, %zu kept by the fixed rule; decisions differing: %zu; pairs: fixed "
                "%zu, sequential %zu (%.1f%%); stopped early: %zu\n",
                Recorded.size(), Kept, Differ, FixedPairs, SeqPairs,
                100.0 * static_cast<double>(SeqPairs) / static_cast<double>(FixedPairs),
                StoppedEarly);
  // At most 2% of the keep/drop decisions differ from the fixed rule's.
  CHECK(Differ * 50 <= Recorded.size());
  // And the point of it: far fewer pairs (about half on the recordings).
  CHECK(SeqPairs * 10 <= FixedPairs * 7);
}
