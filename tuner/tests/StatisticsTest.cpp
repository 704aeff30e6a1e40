// Medians, spreads and the bootstrap interval of the speedup, on synthetic
// samples (deterministic: fixed seeds, no timing).
#include "measure/Statistics.hpp"

#include "NoisySamples.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

using test::noisy;

TEST_CASE("median, quantiles and spreads", "[statistics]") {
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 3, 2}) == 2.5);
  CHECK(quantile({1, 2, 3, 4, 5}, 0.25) == 2);
  CHECK(relativeMad({10, 10, 10}) == 0);
  CHECK(relativeMad({9, 10, 11}) == Approx(0.1));
  CHECK(relativeRange({9, 10, 12}) == Approx(0.3));
}

TEST_CASE("the interval contains the true ratio of clearly separated data", "[statistics]") {
  // The candidate takes 0.8 of the baseline's time: true speedup 1.25.
  auto Base = noisy(1.0, 0.01, 20, 1);
  auto Cand = noisy(0.8, 0.01, 20, 2);
  RatioEstimate E = bootstrapSpeedup(Base, Cand, /*HigherIsBetter=*/false);
  CHECK(E.Lo <= 1.25);
  CHECK(E.Hi >= 1.25);
  CHECK(E.Lo <= E.Speedup);
  CHECK(E.Speedup <= E.Hi);
  CHECK(verdictFor(E) == Verdict::Faster);

  RatioEstimate Slow = bootstrapSpeedup(Cand, Base, false);
  CHECK(verdictFor(Slow) == Verdict::Slower);
  CHECK(Slow.Lo <= 0.8);
  CHECK(Slow.Hi >= 0.8);
}

TEST_CASE("identical distributions give no difference", "[statistics]") {
  auto Base = noisy(1.0, 0.02, 15, 7);
  auto Cand = noisy(1.0, 0.02, 15, 8);
  RatioEstimate E = bootstrapSpeedup(Base, Cand, false);
  CHECK(E.Lo < 1);
  CHECK(E.Hi > 1);
  CHECK(verdictFor(E) == Verdict::NoDifference);
}

TEST_CASE("the bootstrap is reproducible and respects the direction", "[statistics]") {
  auto Base = noisy(100, 0.05, 9, 3);
  auto Cand = noisy(120, 0.05, 9, 4);
  RatioEstimate A = bootstrapSpeedup(Base, Cand, true, 2000, 0.95, 42);
  RatioEstimate B = bootstrapSpeedup(Base, Cand, true, 2000, 0.95, 42);
  CHECK(A.Lo == B.Lo);
  CHECK(A.Hi == B.Hi);
  // Higher is better (a throughput): the candidate's 120 beats 100.
  CHECK(A.Speedup == Approx(median(Cand) / median(Base)));
  CHECK(verdictFor(A) == Verdict::Faster);
  RatioEstimate Lower = bootstrapSpeedup(Base, Cand, false, 2000, 0.95, 42);
  CHECK(Lower.Speedup == Approx(median(Base) / median(Cand)));
  CHECK(verdictFor(Lower) == Verdict::Slower);
}

TEST_CASE("deterministic samples give a point interval", "[statistics]") {
  RatioEstimate E = bootstrapSpeedup({1000}, {900}, false);
  CHECK(E.Speedup == Approx(1000.0 / 900.0));
  CHECK(E.Lo == E.Speedup);
  CHECK(E.Hi == E.Speedup);
  CHECK(verdictFor(E) == Verdict::Faster);
  CHECK(verdictFor(bootstrapSpeedup({5}, {5}, false)) == Verdict::NoDifference);
}
