// Unit tests for report/AxisTicks: round steps, about the asked number of
// ticks, labels with just the decimals the step needs.
#include "report/AxisTicks.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace autopass;

TEST_CASE("ticks use a round step and cover the range", "[report]") {
  AxisTicks A = niceTicks(0.95, 2.35, 6);
  CHECK(A.Step == Approx(0.25));
  REQUIRE(!A.Values.empty());
  CHECK(A.Values.front() == Approx(1.0));
  CHECK(A.Values.back() == Approx(2.25));
  CHECK(A.Values.size() == 6);
  CHECK(A.label(1.0) == "1.00");
  CHECK(A.label(2.25) == "2.25");

  AxisTicks B = niceTicks(1.0, 1.05, 6);
  CHECK(B.Step == Approx(0.01));
  CHECK(B.Values.size() == 6);
  CHECK(B.label(1.03) == "1.03");

  AxisTicks C = niceTicks(0, 40, 5);
  CHECK(C.Step == Approx(10));
  CHECK(C.Values == std::vector<double>{0, 10, 20, 30, 40});
  CHECK(C.label(30) == "30");

  AxisTicks D = niceTicks(0.1275, 0.335, 5);
  CHECK(D.Step == Approx(0.05));
  CHECK(D.Values.front() == Approx(0.15));
  CHECK(D.label(0.15) == "0.15");
}

TEST_CASE("ticks of a reversed or empty range do not fail", "[report]") {
  AxisTicks A = niceTicks(2.0, 1.0, 3);
  CHECK(A.Step == Approx(0.5));
  CHECK(A.Values == std::vector<double>{1.0, 1.5, 2.0});
  AxisTicks E = niceTicks(1.0, 1.0, 6);
  CHECK(E.Values == std::vector<double>{1.0});
}

TEST_CASE("integer axes, degenerate ranges and small steps", "[report]") {
  // Evaluation counts: whole steps only, labels without decimals.
  AxisTicks E = niceTicks(1, 4, 6, /*Integer=*/true);
  CHECK(E.Step == Approx(1));
  CHECK(E.Values == std::vector<double>{1, 2, 3, 4});
  CHECK(E.label(3) == "3");
  AxisTicks F = niceTicks(1, 15, 6, /*Integer=*/true);
  CHECK(F.Step == Approx(2)); // not 2.5
  CHECK(F.label(10) == "10");
  AxisTicks One = niceTicks(1, 1, 6, /*Integer=*/true);
  CHECK(One.Values == std::vector<double>{1});
  // A range narrower than doubles resolve: one tick, no endless loop.
  AxisTicks Tiny = niceTicks(1.0, std::nextafter(1.0, 2.0), 6);
  CHECK(Tiny.Values.size() == 1);
  AxisTicks Flat = niceTicks(5000.0, 5000.0 + 1e-12, 6);
  CHECK(Flat.Values.size() <= 200);
  // Non-finite input: no ticks rather than garbage.
  CHECK(niceTicks(0, std::numeric_limits<double>::infinity()).Values.empty());
  CHECK(niceTicks(std::nan(""), 1).Values.empty());
  // Microsecond steps keep their decimals.
  AxisTicks Us = niceTicks(0.001000, 0.001005, 6);
  CHECK(Us.Step == Approx(1e-6));
  CHECK(Us.label(0.001002) == "0.001002");
  // Negative ranges.
  AxisTicks Neg = niceTicks(-1, 1, 5);
  CHECK(Neg.Values == std::vector<double>{-1, -0.5, 0, 0.5, 1});
  CHECK(Neg.label(-0.5) == "-0.5");
}
