// Tests of evidence/Profile: a real callgrind profile of hot.c
// (data/evidence/callgrind.out.hot), llvm-profdata show output of the same
// program, and loop attribution through the handwritten features.
#include "evidence/Profile.hpp"

#include "evidence/JsonFields.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

static const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/evidence/";

TEST_CASE("callgrind: self cost per function and ranking", "[evidence]") {
  Result<Profile> P = Profile::loadCallgrind(Data + "callgrind.out.hot");
  REQUIRE(P.ok());
  CHECK(P->Event == "Ir");
  CHECK(P->Total == 1144406); // the file's totals: line
  REQUIRE(P->Functions.size() >= 3);
  CHECK(P->Functions[0].Name == "matmul");
  CHECK(P->Functions[1].Name == "checksum");
  CHECK(P->Functions[2].Name == "init");
  // Sums of the cost lines under fn=(214) matmul, with relative positions.
  CHECK(P->Functions[0].Self == 795366);
  CHECK(P->Functions[0].File == "/fixture/hot.c");
  CHECK(P->Functions[0].LineSelf.at(20) == 442368);
  CHECK(P->Functions[0].LineSelf.at(21) == 331776);
  CHECK(P->Functions[0].LineSelf.at(16) == 9509);

  // main's own cost is tiny; its calls make it inclusive of nearly all.
  const FunctionCost *Main = P->find("main");
  REQUIRE(Main);
  CHECK(Main->Self < 100);
  CHECK(Main->Inclusive > 795366 + 282405 + 25732);

  std::vector<HotFunction> Hot = hotFunctions(*P, 0.05, 10);
  REQUIRE(Hot.size() == 2);
  CHECK(Hot[0].Name == "matmul");
  CHECK(Hot[0].Weight == Approx(795366.0 / 1144406.0));
  CHECK(hotFunctions(*P, 0.0, 1).size() == 1);
}

TEST_CASE("callgrind: name compression, recursion suffix, errors",
          "[evidence]") {
  const char *Text = "events: Ir Dr\n"
                     "positions: line\n"
                     "fl=(1) a.c\n"
                     "fn=(1) fib'2\n"
                     "10 5 1\n"
                     "fn=(2) fib\n"
                     "+2 7\n"
                     "cfn=(1)\n"
                     "calls=3 -2\n"
                     "* 40 2\n"
                     "fn=(1)\n"
                     "* 1\n";
  Result<Profile> P = Profile::parseCallgrind(Text, "t.out");
  REQUIRE(P.ok());
  REQUIRE(P->Functions.size() == 1); // fib'2 is fib
  CHECK(P->Functions[0].Self == 13);
  CHECK(P->Functions[0].Inclusive == 53);
  CHECK(P->Functions[0].LineSelf.at(12) == 8); // "* 1" stays on line 12
  CHECK(P->Total == 13); // no totals line: the sum of self costs

  Result<Profile> Dr = Profile::parseCallgrind(Text, "t.out", "Dr");
  REQUIRE(Dr.ok());
  CHECK(Dr->Functions[0].Self == 1);

  Result<Profile> Bad = Profile::parseCallgrind(Text, "t.out", "Bc");
  REQUIRE_FALSE(Bad.ok());
  CHECK(Bad.message().find("t.out:1") != std::string::npos);

  Result<Profile> Unknown =
      Profile::parseCallgrind("events: Ir\nfn=(9)\n", "u.out");
  REQUIRE_FALSE(Unknown.ok());
  CHECK(Unknown.message().find("u.out:2") != std::string::npos);

  CHECK_FALSE(Profile::parseCallgrind("hello\n", "x").ok());
}

TEST_CASE("llvm-profdata show: counters per function", "[evidence]") {
  Result<std::string> Text = readTextFile(Data + "hot.profdata-show.txt");
  REQUIRE(Text.ok());
  Result<Profile> P = Profile::parseProfdataShow(*Text, "show.txt");
  REQUIRE(P.ok());
  CHECK(P->Source == ProfileSource::InstrProf);
  REQUIRE(P->Functions.size() == 4);
  CHECK(P->Functions[0].Name == "matmul");
  CHECK(P->Functions[0].Self == 110592 + 2304 + 48 + 1);
  CHECK(P->Functions[0].MaxCount == 110592);
  CHECK(P->Functions[1].Name == "checksum");
  CHECK(P->Total == 112945 + 47061 + 2353 + 1);
  CHECK_FALSE(P->hasLineCosts());

  CHECK_FALSE(Profile::parseProfdataShow("nothing here\n", "x").ok());
}

TEST_CASE("hot loops: by source lines from callgrind", "[evidence]") {
  Result<Profile> P = Profile::loadCallgrind(Data + "callgrind.out.hot");
  Result<ModuleFeatures> M = ModuleFeatures::load(Data + "hot.features.json");
  REQUIRE(P.ok());
  REQUIRE(M.ok());
  std::vector<HotLoop> Loops = attributeLoops(*P, {*M});
  REQUIRE(Loops.size() == 8);
  CHECK(Loops[0].LoopName == "matmul:L0");
  CHECK(Loops[0].Basis == LoopWeightBasis::SourceLines);
  // matmul:L0 covers lines 17..24 of matmul (the prologue on line 16 not).
  double Total = 1144406.0;
  CHECK(Loops[0].Weight ==
        Approx((192 + 9216 + 442368 + 331776 + 2304 + 1) / Total));
  // Nesting: an outer loop weighs at least its inner loops.
  auto weightOf = [&](const std::string &Name) {
    for (const HotLoop &L : Loops)
      if (L.LoopName == Name)
        return L.Weight;
    FAIL("no loop " << Name);
    return 0.0;
  };
  CHECK(weightOf("matmul:L1") <= weightOf("matmul:L0"));
  CHECK(weightOf("matmul:L2") <= weightOf("matmul:L1"));
  CHECK(weightOf("checksum:L0") > weightOf("init:L0"));
}

TEST_CASE("hot loops: size-share estimate without line costs", "[evidence]") {
  Result<ModuleFeatures> M = ModuleFeatures::load(Data + "hot.features.json");
  REQUIRE(M.ok());
  Profile P;
  P.Source = ProfileSource::InstrProf;
  P.Total = 100;
  P.Functions.push_back(FunctionCost{"matmul", "", 60, 0, 0, {}});
  std::vector<HotLoop> Loops = attributeLoops(P, {*M});
  REQUIRE(Loops.size() == 3);
  CHECK(Loops[0].Basis == LoopWeightBasis::SizeShare);
  CHECK(Loops[0].LoopName == "matmul:L0");
  CHECK(Loops[0].Weight == Approx(0.6 * 50.0 / 60.0));
  CHECK(Loops[2].Weight == Approx(0.6 * 14.0 / 60.0));
}
