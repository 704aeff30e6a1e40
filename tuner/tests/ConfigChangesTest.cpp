// Unit tests for search/ConfigChanges: a configuration is described as the
// knobs, hints and pipeline edits it makes to -O3, the pipeline as a diff
// against the real LLVM 19 O3 pipeline text.
#include "search/ConfigChanges.hpp"

#include "report/TuneReport.hpp"
#include "search/PipelineText.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"

#include "O3Pipeline.hpp"
#include "TempDir.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {

PassPath pathOf(const PipelineText &P, std::string_view Name) {
  auto Path = P.find(Name);
  REQUIRE(Path.has_value());
  return *Path;
}

/// Inserts Pass (pipeline text) before the first pass named Anchor.
void insertBefore(PipelineText &P, std::string_view Anchor, const char *Pass) {
  auto Node = PipelineText::parsePass(Pass);
  REQUIRE(Node.ok());
  REQUIRE(P.insert(pathOf(P, Anchor), *Node, /*After=*/false).ok());
}

} // namespace

TEST_CASE("an unedited pipeline and the identity config change nothing", "[changes]") {
  std::string O3 = test::o3PipelineFixture();
  CHECK(describePipelineDiff(O3, O3).empty());
  CandidateConfig C;
  CHECK(describeChanges(C, O3).empty());
  C.Pipeline = O3 + "\n";
  CHECK(describeChanges(C, O3).empty());
}

TEST_CASE("knobs and region hints are listed one per line", "[changes]") {
  CandidateConfig C;
  C.Knobs["inline-threshold"] = int64_t{425};
  C.Knobs["polly"] = true;
  C.Loops["multiply:L1"].UnrollAndJam = int64_t{4};
  C.Loops["multiply:L1"].Vectorize = false;
  C.Functions["helper"].Inline = "never";
  C.Calls.push_back(CallHint{"main", "step", 2, "always"});
  auto Lines = describeChanges(C, test::o3PipelineFixture());
  REQUIRE(Lines.size() == 5);
  CHECK(Lines[0] == "knob -inline-threshold=425");
  CHECK(Lines[1] == "knob -polly=true");
  CHECK(Lines[2] == "loop multiply:L1: unroll_and_jam=4, vectorize=false");
  CHECK(Lines[3] == "function helper: inline=never");
  CHECK(Lines[4] == "call main -> step #2: inline=always");
}

TEST_CASE("an inserted pass manager is one line, placed before its next pass", "[changes]") {
  std::string O3 = test::o3PipelineFixture();
  PipelineText P = test::parsedPipeline(O3);
  insertBefore(P, "loop-unroll", "loop(loop-unroll-and-jam)");
  auto Lines = describePipelineDiff(O3, P.str());
  REQUIRE(Lines.size() == 1);
  CHECK(Lines[0] == "pipeline: inserted loop(loop-unroll-and-jam) in function before loop-unroll");
}

TEST_CASE("removed, re-parameterised and moved passes", "[changes]") {
  std::string O3 = test::o3PipelineFixture();
  SECTION("removed") {
    PipelineText P = test::parsedPipeline(O3);
    REQUIRE(P.remove(pathOf(P, "slp-vectorizer")).ok());
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: removed slp-vectorizer in function");
  }
  SECTION("parameters") {
    PipelineText P = test::parsedPipeline(O3);
    auto LV = pathOf(P, "loop-vectorize");
    std::string Params = *P.at(LV)->Params;
    REQUIRE(P.setParams(LV, withParamFlag(Params, "interleave-forced-only", true)).ok());
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: loop-vectorize parameters -no-interleave-forced-only "
                      "+interleave-forced-only in function");
  }
  SECTION("short parameter lists whole") {
    PipelineText P = test::parsedPipeline(O3);
    REQUIRE(P.setParams(pathOf(P, "loop-unroll"), std::string("O3;no-runtime")).ok());
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: loop-unroll<O3> -> loop-unroll<O3;no-runtime> in function");
  }
  SECTION("adjacent insertions are placed before the pass that was there") {
    PipelineText P = test::parsedPipeline(O3);
    for (const char *Pass : {"loop-mssa(licm<allowspeculation>)", "loop(loop-versioning-licm)"})
      insertBefore(P, "float2int", Pass);
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 2);
    CHECK(Lines[0] == "pipeline: inserted loop-mssa(licm<allowspeculation>) in function before "
                      "float2int");
    CHECK(Lines[1] == "pipeline: inserted loop(loop-versioning-licm) in function before "
                      "float2int");
  }
  SECTION("moved") {
    PipelineText P = test::parsedPipeline(O3);
    REQUIRE(P.move(pathOf(P, "slp-vectorizer"), pathOf(P, "loop-vectorize"), /*After=*/false).ok());
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: moved slp-vectorizer in function before loop-vectorize");
  }
  SECTION("many differences are capped with a count") {
    PipelineText P = test::parsedPipeline(O3);
    for (int I = 0; I < 5; ++I)
      REQUIRE(P.remove(pathOf(P, "instcombine")).ok());
    auto Lines = describePipelineDiff(O3, P.str(), 3);
    REQUIRE(Lines.size() == 3);
    CHECK(Lines[2] == "pipeline: ... and 3 more differences");
  }
}

TEST_CASE("two edits at once are both reported, each in its place", "[changes]") {
  std::string O3 = test::o3PipelineFixture();
  SECTION("a LICM run inserted early and the late LICM re-parameterised") {
    PipelineText P = test::parsedPipeline(O3);
    for (const char *Pass : {"loop-mssa(licm<allowspeculation>)", "loop(loop-versioning-licm)"})
      insertBefore(P, "float2int", Pass);
    auto Licms = P.findAll("licm");
    REQUIRE(P.setParams(Licms.back(), std::string("no-allowspeculation")).ok());
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 3);
    CHECK(Lines[0] ==
          "pipeline: inserted loop-mssa(licm<allowspeculation>) in function before float2int");
    CHECK(Lines[1] == "pipeline: inserted loop(loop-versioning-licm) in function before float2int");
    CHECK(Lines[2].rfind("pipeline: licm<allowspeculation> -> licm<no-allowspeculation> in "
                         "function/loop-mssa (#",
                         0) == 0);
  }
  SECTION("an insertion next to a re-parameterised pass is placed before it") {
    PipelineText P = test::parsedPipeline(O3);
    insertBefore(P, "loop-unroll", "loop(loop-unroll-and-jam)");
    REQUIRE(P.setParams(pathOf(P, "loop-unroll"), std::string("O3;no-runtime")).ok());
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 2);
    CHECK(Lines[0] ==
          "pipeline: inserted loop(loop-unroll-and-jam) in function before loop-unroll");
    CHECK(Lines[1] == "pipeline: loop-unroll<O3> -> loop-unroll<O3;no-runtime> in function");
  }
}

TEST_CASE("pass managers, repeated passes and line caps", "[changes]") {
  SECTION("an insertion at the end of a nested pass manager says so") {
    auto Lines = describePipelineDiff("function(loop-mssa(licm),gvn)",
                                      "function(loop-mssa(licm,loop-flatten),gvn)");
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: inserted loop-flatten in function/loop-mssa at the end of "
                      "loop-mssa(...)");
  }
  SECTION("one of two equal passes removed is one line, numbered") {
    auto Lines = describePipelineDiff("function(instcombine,gvn,instcombine,dse)",
                                      "function(instcombine,gvn,dse)");
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: removed instcombine in function (#2 of 2)");
  }
  SECTION("two equal passes for one: a removal and at most a move, nothing invented") {
    // The LCS may keep either instcombine; then dse or the other instcombine
    // has moved. Either way: one removal, at most one move, no insertion.
    auto Lines = describePipelineDiff("function(instcombine,gvn,instcombine,dse,sccp)",
                                      "function(gvn,dse,instcombine,sccp)");
    size_t Removed = 0, Moved = 0;
    for (const std::string &L : Lines) {
      Removed += L.rfind("pipeline: removed instcombine in function (#", 0) == 0;
      Moved += L.rfind("pipeline: moved ", 0) == 0;
    }
    CHECK(Removed == 1);
    CHECK(Moved <= 1);
    CHECK(Lines.size() == Removed + Moved);
  }
  SECTION("a pass manager split in two keeps its passes") {
    auto Lines =
        describePipelineDiff("function(instcombine,gvn)", "function(instcombine),function(gvn)");
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: inserted function(...) at the end");
  }
  SECTION("a removed pass manager with all its passes is one line") {
    auto Lines =
        describePipelineDiff("function(gvn),loop(loop-rotate,loop-deletion)", "function(gvn)");
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: removed loop(loop-rotate,loop-deletion)");
  }
  SECTION("reordered parameters") {
    auto Lines = describePipelineDiff("function(simplifycfg<a;b>)", "function(simplifycfg<b;a>)");
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: simplifycfg<a;b> -> simplifycfg<b;a> in function");
  }
  SECTION("caps of 0 (none) and 1") {
    std::string Base = "function(instcombine,gvn,dse,sccp)";
    CHECK(describePipelineDiff(Base, "function(gvn)", 0).size() == 3);
    auto One = describePipelineDiff(Base, "function(gvn)", 1);
    REQUIRE(One.size() == 1);
    CHECK(One[0] == "pipeline: ... and 3 more differences");
  }
}

TEST_CASE("a pipeline without a base to compare or that does not parse is 'replaced'",
          "[changes]") {
  CandidateConfig C;
  C.Pipeline = "function(instcombine)";
  auto Lines = describeChanges(C, "");
  REQUIRE(Lines.size() == 1);
  CHECK(Lines[0] == "pipeline: replaced (no -O3 pipeline text to compare it with)");
  auto Bad = describePipelineDiff(test::o3PipelineFixture(), "function(instcombine");
  REQUIRE(Bad.size() == 1);
  CHECK(Bad[0].rfind("pipeline: replaced (it does not parse: ", 0) == 0);
}

TEST_CASE("the tune report lists the recorded changes, or computes them for an older result",
          "[changes]") {
  test::TempDir Dir{"autopass-changes-test-"};
  std::string O3 = test::o3PipelineFixture();
  PipelineText P = test::parsedPipeline(O3);
  REQUIRE(P.remove(pathOf(P, "slp-vectorizer")).ok());
  CandidateConfig C;
  C.Knobs["unroll-threshold"] = int64_t{600};
  C.Pipeline = P.str();
  auto Write = [&](const std::string &Changes) {
    std::string Json =
        "{\"schema\": \"autopass-tune-result/1\", \"program\": \"p\", \"strategy\": \"greedy\", "
        "\"objective\": \"cpu\", \"budget\": 1, \"evaluations\": 1, \"rejected\": 0, "
        "\"seconds\": 1, \"verdict\": \"faster\", \"best\": {\"config\": \"" +
        C.shortHash() + "\", \"speedup\": 1.2, \"ci_lo\": 1.1, \"ci_hi\": 1.3, " + Changes +
        "\"config_json\": " + C.toJson(false) + "}, \"steps\": []}";
    REQUIRE(makeDirectories(joinPath(Dir.Path, "results")).ok());
    REQUIRE(writeFileAtomically(joinPath(Dir.Path, "results/tune-result.json"), Json).ok());
  };

  SECTION("recorded") {
    Write("\"changes\": [\"knob -unroll-threshold=600\", \"as recorded\"], ");
    int Asked = 0;
    auto D = TuneReportData::load(Dir.Path, [&] { return ++Asked, O3; });
    REQUIRE(D.ok());
    CHECK(Asked == 0); // recorded lines need no opt run
    CHECK(D->Changes == std::vector<std::string>{"knob -unroll-threshold=600", "as recorded"});
    CHECK_FALSE(D->ChangesComputed);
    CHECK(renderTuneMarkdown(*D).find("not recorded by the run") == std::string::npos);
  }
  SECTION("computed from the configuration") {
    Write("");
    int Asked = 0;
    auto D = TuneReportData::load(Dir.Path, [&] { return ++Asked, O3; });
    REQUIRE(D.ok());
    CHECK(Asked == 1);
    CHECK(D->Changes == std::vector<std::string>{"knob -unroll-threshold=600",
                                                 "pipeline: removed slp-vectorizer in function"});
    CHECK(D->ChangesComputed);
    std::string Md = renderTuneMarkdown(*D);
    CHECK(Md.find("What it changes relative to -O3:\n\n- `knob -unroll-threshold=600`\n- "
                  "`pipeline: removed slp-vectorizer in function`\n") != std::string::npos);
    CHECK(Md.find("(not recorded by the run: computed from the configuration") !=
          std::string::npos);
    std::string Html = renderTuneHtml(*D);
    CHECK(Html.find("<li>pipeline: removed slp-vectorizer in function</li>") != std::string::npos);
  }
}
