// Tests of evidence/IntrospectionReader: autopass-introspect/1 reading and
// the parent/candidate summary diff used to diagnose regressions.
#include "evidence/IntrospectionReader.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

static const std::string IntrospectFile =
    std::string(AUTOPASS_TEST_DATA) + "/evidence/hot.introspect.json";

TEST_CASE("introspection: records and summary are read", "[evidence]") {
  Result<Introspection> I = Introspection::load(IntrospectFile);
  REQUIRE(I.ok());
  CHECK(I->Module == "hot.c");
  REQUIRE(I->Records.size() == 4);
  CHECK(I->Records[2].Pass == "LoopUnrollPass");
  CHECK(I->Records[2].instructionDelta() == 36);
  CHECK(I->Records[1].UnitKind == "loop");
  REQUIRE(I->Summary.size() == 4);
  CHECK(I->Summary[0].InstructionDelta == -35);
  CHECK(I->Diffs.empty());
}

TEST_CASE("introspection: per-function pass effects", "[evidence]") {
  Result<Introspection> I = Introspection::load(IntrospectFile);
  REQUIRE(I.ok());
  std::vector<FunctionPassEffect> E = functionPassEffects(I->Records, "matmul");
  REQUIRE(E.size() == 3);               // SROA, LICM (on matmul:L2), LoopUnroll
  CHECK(E[0].Pass == "LoopUnrollPass"); // largest |delta| first
  CHECK(E[0].InstructionDelta == 36);
  CHECK(E[2].Pass == "LICMPass");
  // checksum's only record did not change it.
  CHECK(functionPassEffects(I->Records, "checksum").empty());
}

TEST_CASE("introspection: summary diff ranks what changed", "[evidence]") {
  std::vector<PassSummary> Parent = {
      {"InstCombinePass", 10, 5, -100, 50.0},
      {"LoopUnrollPass", 4, 1, 40, 20.0},
      {"GVNPass", 3, 2, -10, 10.0},
  };
  std::vector<PassSummary> Candidate = {
      {"InstCombinePass", 10, 5, -100, 90.0}, // only time differs: not a diff
      {"LoopUnrollPass", 4, 3, 400, 30.0},
      {"GVNPass", 3, 3, -12, 10.0},
      {"LoopInterchangePass", 2, 1, 0, 5.0},
  };
  std::vector<PassSummaryDelta> D = diffSummaries(Parent, Candidate);
  REQUIRE(D.size() == 3);
  CHECK(D[0].Pass == "LoopInterchangePass");
  CHECK_FALSE(D[0].InParent);
  CHECK(D[1].Pass == "LoopUnrollPass");
  CHECK(D[1].instructionDeltaDifference() == 360);
  CHECK(D[1].changedRunsDelta() == 2);
  CHECK(D[2].Pass == "GVNPass");

  std::string Text = renderSummaryDiff(D, 2);
  CHECK(Text.find("LoopInterchangePass: only in candidate") !=
        std::string::npos);
  CHECK(
      Text.find(
          "LoopUnrollPass: changed 1->3 (+2), instr delta +40->+400 (+360)") !=
      std::string::npos);
  CHECK(Text.find("[... 1 more passes differ]") != std::string::npos);
  CHECK(diffSummaries(Parent, Parent).empty());
}

TEST_CASE("introspection: errors name the field", "[evidence]") {
  Result<Introspection> I = Introspection::parse(
      R"({"schema":"autopass-introspect/1","module":"m","records":[
          {"seq":1,"pass":"P","unit_kind":"block","unit":"f",
           "instructions_before":1,"instructions_after":1,"blocks_before":1,
           "blocks_after":1,"changed":false,"time_us":1}],"summary":[]})",
      "intro.json");
  REQUIRE_FALSE(I.ok());
  CHECK(I.message().find("intro.json") != std::string::npos);
  CHECK(I.message().find("records[0].unit_kind") != std::string::npos);

  I = Introspection::parse(R"({"schema":"autopass-introspect/1","module":"m",
                              "records":[],"summary":[{"pass":"P","runs":1}]})",
                           "intro.json");
  REQUIRE_FALSE(I.ok());
  CHECK(I.message().find("summary[0].changed_runs") != std::string::npos);
}
