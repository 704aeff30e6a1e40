// Attribution through inlining on a real program (tests/data/inlined/):
// `lcs` is static and called once, so the inliner puts it into `main`, and
// the loop passes, remarks and transform warnings about its loops are under
// `main`. Hints name lcs's loops (lcs:L0, lcs:L1), and the compile diff must
// match them to that code by source function and source lines. Evidence is
// collected once, with the real clang, opt and plugin, for -O3 and for one
// candidate with two hints: unroll-and-jam on the outer loop (which LLVM
// warns it cannot perform) and unroll 8 on the inner loop (which it does).
#include "agents/EditAttribution.hpp"
#include "evidence/CompileDiff.hpp"
#include "evidence/EvidenceCollector.hpp"
#include "search/KnobCatalog.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace autopass;

namespace {

const char *CandidateJson = R"({"schema": "autopass-config/1",
    "hints": {"loops": {"lcs:L0": {"unroll_and_jam": 2}, "lcs:L1": {"unroll": 8}}}})";

struct InlinedEvidence {
  EvidenceInputs Parent, Candidate;
};

/// The evidence of -O3 and of the candidate, collected once per test run.
const InlinedEvidence &evidence() {
  static std::optional<InlinedEvidence> Cached;
  if (Cached)
    return *Cached;
  static Result<Toolchain> Tools = Toolchain::locate();
  if (!Tools.ok())
    FAIL(Tools.message());
  if (Tools->Plugin.empty())
    FAIL("the AutoPass plugin was not found (AUTOPASS_BUILD_PLUGIN)");
  auto Spec = ProgramSpec::load(std::string(AUTOPASS_TEST_DATA) + "/inlined/spec.json");
  REQUIRE(Spec.ok());
  auto Config = CandidateConfig::parse(CandidateJson, "candidate");
  REQUIRE(Config.ok());
  auto Work = makeTempDirectory("/tmp", "autopass-attribution-test-");
  REQUIRE(Work.ok());
  EvidenceOptions Options;
  Options.Profile = ProfileMode::None;
  EvidenceCollector O3(*Spec, *Tools, joinPath(*Work, "o3"), Options);
  EvidenceCollector Cand(*Spec, *Tools, joinPath(*Work, "candidate"), Options);
  auto P = O3.collect(nullptr);
  REQUIRE(P.ok());
  auto C = Cand.collect(&*Config);
  REQUIRE(C.ok());
  (void)removeAll(*Work);
  Cached = InlinedEvidence{P->Inputs, C->Inputs};
  return *Cached;
}

/// The candidate's edits, by atom.
const EditTarget &edit(const std::vector<EditTarget> &New, const std::string &Atom) {
  auto It =
      std::find_if(New.begin(), New.end(), [&](const EditTarget &T) { return T.Atom == Atom; });
  REQUIRE(It != New.end());
  return *It;
}

std::vector<EditTarget> candidateEdits(SearchSpace &Space) {
  auto Config = CandidateConfig::parse(CandidateJson, "candidate");
  REQUIRE(Config.ok());
  return newEdits(Space, SearchPoint(), Space.fromConfig(*Config));
}

SearchSpace space() {
  auto Catalog = KnobCatalog::loadDefault();
  REQUIRE(Catalog.ok());
  SearchSpaceOptions O;
  O.Loops = {{"lcs:L0", 1, false, std::nullopt}, {"lcs:L1", 2, true, std::nullopt}};
  return SearchSpace(std::move(*Catalog), O);
}

/// The candidate's pass records whose unit is main and that hold lcs's code.
size_t mainRecordsWithLcs(const EvidenceInputs &In) {
  return size_t(
      std::count_if(In.PassRecords.begin(), In.PassRecords.end(), [](const PassRecord &R) {
        return (R.Unit == "main" || R.Unit == "(main)") &&
               std::any_of(R.Sources.begin(), R.Sources.end(),
                           [](const SourceCount &S) { return S.Function == "lcs"; });
      }));
}

} // namespace

TEST_CASE("attribution: the records of main hold lcs's inlined code", "[attribution]") {
  const InlinedEvidence &E = evidence();
  // lcs was inlined: main's records carry its part, and loop records in
  // main name lcs as their source.
  CHECK(mainRecordsWithLcs(E.Candidate) > 0);
  bool LoopInMainFromLcs = std::any_of(
      E.Candidate.PassRecords.begin(), E.Candidate.PassRecords.end(), [](const PassRecord &R) {
        return R.UnitKind == "loop" && R.Unit.rfind("main:L@", 0) == 0 && R.Source &&
               R.Source->Function == "lcs";
      });
  CHECK(LoopInMainFromLcs);
  // The features know where lcs and its loops were written.
  const FunctionFeatures *Lcs = findFunction(E.Candidate.Features, "lcs");
  REQUIRE(Lcs);
  REQUIRE(Lcs->SourceLines);
  REQUIRE(Lcs->Loops.size() == 2);
  REQUIRE(Lcs->Loops[0].SourceLines);
  CHECK(Lcs->SourceLines->contains(*Lcs->Loops[0].Line));
}

TEST_CASE("attribution: a warning under main is about the hinted loop of lcs", "[attribution]") {
  const InlinedEvidence &E = evidence();
  CompileDiff D = diffCompilations(E.Parent, E.Candidate);
  CHECK(D.SourceMapped);
  CHECK(D.CoveredFunctions.count("lcs"));

  auto W = std::find_if(D.Warnings.begin(), D.Warnings.end(), [](const TransformWarning &W) {
    return W.Transformation == "unroll-and-jam";
  });
  REQUIRE(W != D.Warnings.end());
  CHECK(W->Function == "lcs");
  CHECK(W->InlinedInto == "main");
  CHECK(W->Loop == "lcs:L0");
  CHECK(W->str().find("lcs:L0 (") == 0);
  CHECK(W->str().find("inlined into main): loop not unroll-and-jammed") != std::string::npos);

  SearchSpace Space = space();
  std::vector<EditTarget> New = candidateEdits(Space);
  const EditTarget &Jam = edit(New, "loop:lcs:L0:unroll_and_jam=2");
  std::vector<const TransformWarning *> About = warningsAbout(Jam, D);
  REQUIRE(About.size() == 1);
  CHECK(About.front() == &*W);
  CHECK(attributionGap(Jam, D).empty());
  // LLVM did perform the inner loop's unroll: no warning is about it.
  CHECK(warningsAbout(edit(New, "loop:lcs:L1:unroll=8"), D).empty());
}

TEST_CASE("attribution: the unroller's work on inlined code is lcs's", "[attribution]") {
  const InlinedEvidence &E = evidence();
  CompileDiff D = diffCompilations(E.Parent, E.Candidate);
  SearchSpace Space = space();
  std::vector<EditTarget> New = candidateEdits(Space);
  std::vector<std::string> Effects = effectsOf(edit(New, "loop:lcs:L1:unroll=8"), D, 10);
  REQUIRE_FALSE(Effects.empty());
  CHECK(Effects.front().find("LoopUnrollPass in lcs") == 0);
  CHECK(D.instructionsDifferIn("lcs"));
}

TEST_CASE("attribution: without source locations a hint's effect is unknown", "[attribution]") {
  // The same evidence as a plugin without debug information would give it.
  InlinedEvidence E = evidence();
  for (EvidenceInputs *In : {&E.Parent, &E.Candidate}) {
    for (PassRecord &R : In->PassRecords) {
      R.Sources.clear();
      R.Source.reset();
    }
    for (ModuleFeatures &M : In->Features)
      for (FunctionFeatures &F : M.Functions) {
        F.File.reset();
        F.SourceLines.reset();
      }
  }
  CompileDiff D = diffCompilations(E.Parent, E.Candidate);
  CHECK_FALSE(D.SourceMapped);
  SearchSpace Space = space();
  std::vector<EditTarget> New = candidateEdits(Space);
  const EditTarget &Jam = edit(New, "loop:lcs:L0:unroll_and_jam=2");
  // The warning stays under main, so it is not found; the gap says why
  // that proves nothing.
  CHECK(warningsAbout(Jam, D).empty());
  CHECK(attributionGap(Jam, D).find("no source locations") != std::string::npos);
}
