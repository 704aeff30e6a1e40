// Where a winner's gain came from: the lineage a candidate's meta carries,
// split by origin in proportion to each adopted step's measured log-gain.
#include "search/GainLineage.hpp"

#include "util/Json.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace autopass;

namespace {

std::string metaWith(const std::vector<GainStep> &Lineage, const std::string &Rule,
                     double Parent) {
  JsonOut J;
  J.beginObject()
      .field("origin", "expert")
      .field("idea", "own-idea")
      .field("rule", Rule)
      .field("parent_speedup", Parent);
  writeLineage(J, Lineage);
  J.endObject();
  return J.str();
}

} // namespace

TEST_CASE("each adopted step gets the share of its own log-gain", "[gain]") {
  // 1.0 -> 1.2 by a rule, then 1.2 -> 1.44 by exploration: equal log-gains.
  std::string Meta = metaWith({{"affine-nest", "polly:k:L0", 1.0, 1.2}}, "explore", 1.2);
  auto G = gainOrigin(Meta, "expert", 1.44);
  REQUIRE(G);
  REQUIRE(G->Steps.size() == 2);
  CHECK(G->Evidence == Approx(0.5));
  CHECK(G->Exploration == Approx(0.5));
  CHECK(G->Llm == 0);
  CHECK(G->Steps[1].Idea == "own-idea");
  CHECK(G->Steps[1].From == Approx(1.2));

  // A larger first step gets the larger share.
  auto H = gainOrigin(metaWith({{"affine-nest", "p", 1.0, 2.0}}, "explore", 2.0), "expert", 2.2);
  REQUIRE(H);
  CHECK(H->Evidence == Approx(std::log(2.0) / std::log(2.2)));
  CHECK(H->Evidence + H->Exploration == Approx(1.0));
}

TEST_CASE("a step that measured no gain gets no share", "[gain]") {
  // The own step measured below its parent (adopted elsewhere on noise).
  auto G = gainOrigin(metaWith({{"strided-nest", "i", 1.0, 1.3}}, "explore", 1.3), "expert", 1.25);
  REQUIRE(G);
  CHECK(G->Evidence == Approx(1.0));
  CHECK(G->Exploration == 0);
  // Nothing gained at all: every share is 0.
  auto None = gainOrigin(metaWith({}, "explore", 1.0), "expert", 0.98);
  REQUIRE(None);
  CHECK(None->Evidence + None->Exploration + None->Llm + None->Other == 0);
}

TEST_CASE("candidates without a lineage are their strategy's own step", "[gain]") {
  auto Random = gainOrigin("", "random", 1.1);
  REQUIRE(Random);
  REQUIRE(Random->Steps.size() == 1);
  CHECK(Random->Exploration == Approx(1.0));
  auto Llm = gainOrigin(R"({"origin":"llm","idea":"unroll the hot loop"})", "llm", 1.1);
  REQUIRE(Llm);
  CHECK(Llm->Llm == Approx(1.0));
  CHECK(Llm->Steps[0].Idea == "unroll the hot loop");
  auto Unknown = gainOrigin("{}", "ensemble", 1.1);
  REQUIRE(Unknown);
  CHECK(Unknown->Other == Approx(1.0));
}

TEST_CASE("refinements and retries of rules count as evidence; exploration does not",
          "[gain]") {
  CHECK(originOfRule("refine") == GainOriginKind::Evidence);
  CHECK(originOfRule("retry-unimplicated") == GainOriginKind::Evidence);
  CHECK(originOfRule("affine-nest") == GainOriginKind::Evidence);
  CHECK(originOfRule("explore") == GainOriginKind::Exploration);
  CHECK(originOfRule("llm") == GainOriginKind::Llm);
  CHECK(originOfRule("external") == GainOriginKind::Other);
}

TEST_CASE("a malformed lineage is an error naming the step", "[gain]") {
  auto G = gainOrigin(R"({"rule":"explore","lineage":[{"rule":"x","from":0,"to":1}]})", "expert",
                      1.1);
  REQUIRE_FALSE(G);
  CHECK(G.message().find("lineage[0]") != std::string::npos);
  auto NotArray = gainOrigin(R"({"lineage":{}})", "expert", 1.1);
  REQUIRE_FALSE(NotArray);
  CHECK(NotArray.message().find("lineage") != std::string::npos);
  CHECK_FALSE(gainOrigin("[1,2]", "expert", 1.1));
  CHECK_FALSE(gainOrigin("{", "expert", 1.1));
}

TEST_CASE("the result's gain_origin object lists shares and steps", "[gain]") {
  auto G = gainOrigin(metaWith({{"affine-nest", "p", 1.0, 1.2}}, "explore", 1.2), "expert", 1.44);
  REQUIRE(G);
  auto Doc = parseJsonText(gainOriginJson(*G), "gain_origin");
  REQUIRE(Doc);
  const rapidjson::Value &D = **Doc;
  CHECK(D["evidence"].GetDouble() == Approx(0.5));
  REQUIRE(D["steps"].Size() == 2);
  CHECK(std::string(D["steps"][0]["origin"].GetString()) == "evidence");
  CHECK(std::string(D["steps"][1]["origin"].GetString()) == "exploration");
}
