// Unit tests for search/PipelineText: the real LLVM 19 and 22 O3 pipeline
// texts round-trip byte for byte, and edits change exactly what they should.
#include "search/PipelineText.hpp"

#include "O3Pipeline.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

TEST_CASE("the O3 pipeline printed by opt round-trips byte for byte", "[pipeline]") {
  std::string Text = test::o3PipelineFixture();
  PipelineText P = test::parsedPipeline(Text + "\n");
  CHECK(P.str() == Text);
  CHECK(P.size() > 100);
  // Its structure: a few module-level passes, adaptors with children.
  CHECK(P.passes().front().Name == "annotation2metadata");
  auto Unroll = P.find("loop-unroll");
  REQUIRE(Unroll);
  CHECK(Unroll->size() == 2); // function<eager-inv>(... loop-unroll<O3> ...)
  CHECK(*P.at(*Unroll)->Params == "O3");
  CHECK(P.findAll("licm").size() == 4);
  CHECK(P.findAll("instcombine").size() >= 8);
  const PassNode *Devirt = P.at({P.find("devirt")->at(0), P.find("devirt")->at(1)});
  REQUIRE(Devirt);
  CHECK(Devirt->Name == "devirt");
  CHECK(*Devirt->Params == "4");
  CHECK(Devirt->Children);
  // The trailing empty item in loop-vectorize's parameters survives.
  CHECK(*P.at(*P.find("loop-vectorize"))->Params == "no-interleave-forced-only;no-vectorize-forced-only;");
}

TEST_CASE("the LLVM 22 O3 pipeline round-trips and has the anchors the edits use", "[pipeline]") {
  std::string Text = test::o3PipelineFixture(22);
  PipelineText P = test::parsedPipeline(Text + "\n");
  CHECK(P.str() == Text);
  CHECK(P.size() > 100);
  // LLVM 22 starts with memprof-remove-attributes, has alloc-token near the
  // end, and its opt prints the verifier it appends, too.
  CHECK(P.passes().front().Name == "memprof-remove-attributes");
  REQUIRE(P.find("alloc-token").has_value());
  CHECK(P.find("alloc-token")->size() == 1); // a module pass
  CHECK(P.passes().back().Name == "verify");
  auto Unroll = P.find("loop-unroll");
  REQUIRE(Unroll);
  CHECK(*P.at(*Unroll)->Params == "O3");
  CHECK(P.findAll("licm").size() == 4);
  // A pass name of 22's printer that is not a pass of 19:
  // the extra loop pass manager of simple-loop-unswitch.
  CHECK(P.find("extra-simple-loop-unswitch-passes").has_value());
  CHECK(*P.at(*P.find("loop-vectorize"))->Params == "no-interleave-forced-only;no-vectorize-forced-only;");
}

TEST_CASE("small pipelines parse into names, params and children", "[pipeline]") {
  PipelineText P = test::parsedPipeline("function<eager-inv>(gvn<>,loop-mssa(licm<allowspeculation>)),globaldce");
  REQUIRE(P.passes().size() == 2);
  const PassNode &F = P.passes()[0];
  CHECK(F.Name == "function");
  CHECK(*F.Params == "eager-inv");
  REQUIRE(F.Children->size() == 2);
  CHECK((*F.Children)[0].Name == "gvn");
  CHECK((*F.Children)[0].Params == std::string());
  CHECK(P.at({0, 1, 0})->str() == "licm<allowspeculation>");
  CHECK_FALSE(P.passes()[1].Params);
  CHECK_FALSE(P.passes()[1].Children);
  CHECK(P.at({0, 5}) == nullptr);
  CHECK(P.at({1, 0}) == nullptr);
  CHECK(P.str() == "function<eager-inv>(gvn<>,loop-mssa(licm<allowspeculation>)),globaldce");
}

TEST_CASE("malformed pipelines are errors with an offset", "[pipeline]") {
  CHECK(PipelineText::parse("").message() == "pipeline: expected at least one pass");
  CHECK(PipelineText::parse("a,,b").message() == "pipeline: expected a pass name at offset 2");
  CHECK(PipelineText::parse("function(a").message() == "pipeline: expected ')' at offset 10");
  CHECK(PipelineText::parse("a)").message() == "pipeline: unexpected text at offset 1");
  CHECK(PipelineText::parse("licm<x").message() == "pipeline: missing '>' at offset 6");
  CHECK(PipelineText::parse("licm<a,b>").message() ==
        "pipeline: unexpected ',' inside <...> at offset 6");
}

TEST_CASE("remove, insert and move passes", "[pipeline]") {
  PipelineText P = test::parsedPipeline("a,function(b,c,d),e");
  REQUIRE(P.remove({1, 1}).ok());
  CHECK(P.str() == "a,function(b,d),e");
  auto N = PipelineText::parsePass("loop(loop-unroll-and-jam)");
  REQUIRE(N.ok());
  REQUIRE(P.insert({1, 0}, *N, /*After=*/true).ok());
  CHECK(P.str() == "a,function(b,loop(loop-unroll-and-jam),d),e");
  REQUIRE(P.insert({0}, PassNode{"x", std::string("p"), std::nullopt}, /*After=*/false).ok());
  CHECK(P.str() == "x<p>,a,function(b,loop(loop-unroll-and-jam),d),e");
  // Move forward on the same level: the target index refers to the tree
  // before the move.
  REQUIRE(P.move({0}, {3}, /*After=*/true).ok());
  CHECK(P.str() == "a,function(b,loop(loop-unroll-and-jam),d),e,x<p>");
  // Move backward, across levels.
  REQUIRE(P.move({1, 2}, {0}, /*After=*/false).ok());
  CHECK(P.str() == "d,a,function(b,loop(loop-unroll-and-jam)),e,x<p>");
  // Move within a level, forward.
  REQUIRE(P.move({2, 0}, {2, 1}, /*After=*/true).ok());
  CHECK(P.str() == "d,a,function(loop(loop-unroll-and-jam),b),e,x<p>");
  CHECK_FALSE(P.move({2}, {2, 0}, true).ok()); // into itself
  CHECK_FALSE(P.remove({9}).ok());
  CHECK(P.remove({2, 0, 0}).message() == "pipeline: cannot remove the only pass at [2.0.0]");
  CHECK(P.str() == "d,a,function(loop(loop-unroll-and-jam),b),e,x<p>");
}

TEST_CASE("pass parameters are changed in place", "[pipeline]") {
  CHECK(withParamFlag("O3", "runtime", false) == "O3;no-runtime");
  CHECK(withParamFlag("O3;no-runtime", "runtime", true) == "O3;runtime");
  CHECK(withParamFlag("", "allowspeculation", false) == "no-allowspeculation");
  CHECK(withParamFlag("allowspeculation", "allowspeculation", false) == "no-allowspeculation");
  CHECK(withParamFlag("no-interleave-forced-only;no-vectorize-forced-only;", "vectorize-forced-only",
                      true) == "no-interleave-forced-only;vectorize-forced-only;");
  CHECK(withParamFlag("a;", "b", true) == "a;b;");
  CHECK(withParamValue("bonus-inst-threshold=1;keep-loops", "bonus-inst-threshold", "4") ==
        "bonus-inst-threshold=4;keep-loops");
  CHECK(withParamValue("O3", "full-unroll-max", "64") == "O3;full-unroll-max=64");

  PipelineText P = test::parsedPipeline(test::o3PipelineFixture());
  auto Unroll = P.find("loop-unroll");
  REQUIRE(Unroll);
  REQUIRE(P.setParams(*Unroll, withParamFlag(*P.at(*Unroll)->Params, "runtime", false)).ok());
  CHECK(P.str().find("loop-unroll<O3;no-runtime>") != std::string::npos);
  CHECK(P.str().size() == test::o3PipelineFixture().size() + std::string(";no-runtime").size());
  CHECK_FALSE(P.setParams(*Unroll, std::string("a,b")).ok());
}
