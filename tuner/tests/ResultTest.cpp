#include "util/Result.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

TEST_CASE("Result carries a value or an error", "[util]") {
  Result<int> Good(42);
  REQUIRE(Good.ok());
  CHECK(*Good == 42);

  Result<int> Bad(makeError("spec.json: field 'sources': expected an array"));
  REQUIRE_FALSE(Bad.ok());
  CHECK(Bad.message() == "spec.json: field 'sources': expected an array");

  Status S = success();
  CHECK(S.ok());
  Status F = makeError("boom");
  CHECK_FALSE(F.ok());
  CHECK(F.message() == "boom");
}
