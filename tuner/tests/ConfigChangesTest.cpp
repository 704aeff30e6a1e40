// Unit tests for search/ConfigChanges: a configuration is described as the
// knobs, hints and pipeline edits it makes to -O3, the pipeline as a diff
// against the real LLVM 19 O3 pipeline text.
#include "search/ConfigChanges.hpp"

#include "report/TuneReport.hpp"
#include "search/PipelineText.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace autopass;

namespace {

std::string o3Text() {
  std::ifstream In(std::string(AUTOPASS_TEST_DATA) + "/search/o3-pipeline-llvm19.txt");
  REQUIRE(In);
  std::ostringstream S;
  S << In.rdbuf();
  std::string Text = S.str();
  while (!Text.empty() && Text.back() == '\n')
    Text.pop_back();
  return Text;
}

PipelineText parsed(const std::string &Text) {
  auto P = PipelineText::parse(Text);
  if (!P.ok())
    FAIL(P.message());
  return *P;
}

PassPath pathOf(const PipelineText &P, std::string_view Name) {
  auto Path = P.find(Name);
  REQUIRE(Path.has_value());
  return *Path;
}

} // namespace

TEST_CASE("an unedited pipeline and the identity config change nothing", "[changes]") {
  std::string O3 = o3Text();
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
  auto Lines = describeChanges(C, o3Text());
  REQUIRE(Lines.size() == 5);
  CHECK(Lines[0] == "knob -inline-threshold=425");
  CHECK(Lines[1] == "knob -polly=true");
  CHECK(Lines[2] == "loop multiply:L1: unroll_and_jam=4, vectorize=false");
  CHECK(Lines[3] == "function helper: inline=never");
  CHECK(Lines[4] == "call main -> step #2: inline=always");
}

TEST_CASE("an inserted pass manager is one line, placed before its next pass", "[changes]") {
  std::string O3 = o3Text();
  PipelineText P = parsed(O3);
  auto Unroll = pathOf(P, "loop-unroll");
  auto Jam = PipelineText::parsePass("loop(loop-unroll-and-jam)");
  REQUIRE(Jam.ok());
  REQUIRE(P.insert(Unroll, *Jam, /*After=*/false).ok());
  auto Lines = describePipelineDiff(O3, P.str());
  REQUIRE(Lines.size() == 1);
  CHECK(Lines[0] == "pipeline: inserted loop(loop-unroll-and-jam) in function before loop-unroll");
}

TEST_CASE("removed, re-parameterised and moved passes", "[changes]") {
  std::string O3 = o3Text();
  SECTION("removed") {
    PipelineText P = parsed(O3);
    REQUIRE(P.remove(pathOf(P, "slp-vectorizer")).ok());
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: removed slp-vectorizer in function");
  }
  SECTION("parameters") {
    PipelineText P = parsed(O3);
    auto LV = pathOf(P, "loop-vectorize");
    std::string Params = *P.at(LV)->Params;
    REQUIRE(P.setParams(LV, withParamFlag(Params, "interleave-forced-only", true)).ok());
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: loop-vectorize parameters -no-interleave-forced-only "
                      "+interleave-forced-only in function");
  }
  SECTION("short parameter lists whole") {
    PipelineText P = parsed(O3);
    REQUIRE(P.setParams(pathOf(P, "loop-unroll"), std::string("O3;no-runtime")).ok());
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: loop-unroll<O3> -> loop-unroll<O3;no-runtime> in function");
  }
  SECTION("adjacent insertions are placed before the pass that was there") {
    PipelineText P = parsed(O3);
    for (const char *Pass : {"loop-mssa(licm<allowspeculation>)", "loop(loop-versioning-licm)"}) {
      auto Node = PipelineText::parsePass(Pass);
      REQUIRE(Node.ok());
      REQUIRE(P.insert(pathOf(P, "float2int"), *Node, /*After=*/false).ok());
    }
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 2);
    CHECK(Lines[0] == "pipeline: inserted loop-mssa(licm<allowspeculation>) in function before "
                      "float2int");
    CHECK(Lines[1] == "pipeline: inserted loop(loop-versioning-licm) in function before "
                      "float2int");
  }
  SECTION("moved") {
    PipelineText P = parsed(O3);
    REQUIRE(P.move(pathOf(P, "slp-vectorizer"), pathOf(P, "loop-vectorize"), /*After=*/false).ok());
    auto Lines = describePipelineDiff(O3, P.str());
    REQUIRE(Lines.size() == 1);
    CHECK(Lines[0] == "pipeline: moved slp-vectorizer in function before loop-vectorize");
  }
  SECTION("many differences are capped with a count") {
    PipelineText P = parsed(O3);
    for (int I = 0; I < 5; ++I)
      REQUIRE(P.remove(pathOf(P, "instcombine")).ok());
    auto Lines = describePipelineDiff(O3, P.str(), 3);
    REQUIRE(Lines.size() == 3);
    CHECK(Lines[2] == "pipeline: ... and 3 more differences");
  }
}

TEST_CASE("a pipeline without a base to compare or that does not parse is 'replaced'",
          "[changes]") {
  CandidateConfig C;
  C.Pipeline = "function(instcombine)";
  auto Lines = describeChanges(C, "");
  REQUIRE(Lines.size() == 1);
  CHECK(Lines[0] == "pipeline: replaced (no -O3 pipeline text to compare it with)");
  auto Bad = describePipelineDiff(o3Text(), "function(instcombine");
  REQUIRE(Bad.size() == 1);
  CHECK(Bad[0].rfind("pipeline: replaced (it does not parse: ", 0) == 0);
}

TEST_CASE("the tune report lists the recorded changes, or computes them for an older result",
          "[changes]") {
  test::TempDir Dir{"autopass-changes-test-"};
  std::string O3 = o3Text();
  PipelineText P = parsed(O3);
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
    auto D = TuneReportData::load(Dir.Path, O3);
    REQUIRE(D.ok());
    CHECK(D->Changes == std::vector<std::string>{"knob -unroll-threshold=600", "as recorded"});
  }
  SECTION("computed from the configuration") {
    Write("");
    auto D = TuneReportData::load(Dir.Path, O3);
    REQUIRE(D.ok());
    CHECK(D->Changes == std::vector<std::string>{"knob -unroll-threshold=600",
                                                 "pipeline: removed slp-vectorizer in function"});
    std::string Md = renderTuneMarkdown(*D);
    CHECK(Md.find("What it changes relative to -O3:\n\n- `knob -unroll-threshold=600`\n- "
                  "`pipeline: removed slp-vectorizer in function`\n") != std::string::npos);
    std::string Html = renderTuneHtml(*D);
    CHECK(Html.find("<li>pipeline: removed slp-vectorizer in function</li>") != std::string::npos);
  }
}
