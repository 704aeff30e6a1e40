// The compile diff between a candidate and its parent, on crafted pass
// records and remarks: per-function pass differences (loop and SCC units
// counted for their functions), vectorizer and inliner verdict changes, and
// the candidate's transform warnings resolved to the loop on their line.
#include "evidence/CompileDiff.hpp"
#include "agents/EditAttribution.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace autopass;

namespace {

PassRecord record(const std::string &Pass, const std::string &Kind, const std::string &Unit,
                  int64_t Before, int64_t After, bool Changed) {
  PassRecord R;
  R.Pass = Pass;
  R.UnitKind = Kind;
  R.Unit = Unit;
  R.InstructionsBefore = Before;
  R.InstructionsAfter = After;
  R.Changed = Changed;
  return R;
}

RemarkDigest remarks(const std::string &Yaml) {
  auto R = parseRemarks(Yaml, "crafted.opt.yaml");
  REQUIRE(R.ok());
  return RemarkDigest::build(*R);
}

const char *ParentYaml = R"(--- !Passed
Pass:            loop-vectorize
Name:            Vectorized
DebugLoc:        { File: k.c, Line: 12, Column: 3 }
Function:        kernel
Args:
  - String:          'vectorized loop (vectorization width: '
  - VectorizationFactor: '4'
  - String:          ', interleaved count: '
  - InterleaveCount: '2'
  - String:          ')'
...
--- !Missed
Pass:            inline
Name:            TooCostly
DebugLoc:        { File: k.c, Line: 30, Column: 5 }
Function:        main
Args:
  - Callee:          helper
  - String:          ' not inlined into '
  - Caller:          main
  - String:          ' because too costly to inline (cost='
  - Cost:            '300'
  - String:          ', threshold='
  - Threshold:       '250'
  - String:          ')'
...
)";

const char *CandidateYaml = R"(--- !Missed
Pass:            loop-vectorize
Name:            MissedDetails
DebugLoc:        { File: k.c, Line: 12, Column: 3 }
Function:        kernel
Args:
  - String:          'loop not vectorized'
...
--- !Passed
Pass:            inline
Name:            Inlined
DebugLoc:        { File: k.c, Line: 30, Column: 5 }
Function:        main
Args:
  - Callee:          helper
  - String:          ' inlined into '
  - Caller:          main
...
--- !Failure
Pass:            transform-warning
Name:            FailedRequestedUnrolling
DebugLoc:        { File: k.c, Line: 12, Column: 3 }
Function:        kernel
Args:
  - String:          'loop not unrolled: the optimizer was unable to perform the requested transformation; the transformation might be disabled or specified as part of an unsupported transformation ordering'
...
)";

EvidenceInputs parentInputs() {
  EvidenceInputs In;
  In.PassRecords = {
      record("LoopUnrollPass", "loop", "kernel:L@for.body", 20, 20, false),
      record("InlinerPass", "cgscc", "(main)", 50, 50, false),
      record("InstCombinePass", "function", "other", 10, 8, true),
  };
  In.PassSummaries = {{"InlinerPass", 1, 0, 0, 0},
                      {"InstCombinePass", 1, 1, -2, 0},
                      {"LoopUnrollPass", 1, 0, 0, 0}};
  In.Remarks = remarks(ParentYaml);
  return In;
}

EvidenceInputs candidateInputs() {
  EvidenceInputs In;
  In.PassRecords = {
      record("LoopUnrollPass", "loop", "kernel:L@for.body", 20, 80, true),
      record("InlinerPass", "cgscc", "(main, helper)", 50, 90, true),
      record("InstCombinePass", "function", "other", 10, 8, true),
      record("autopass::HintsPass", "module", "k.c", 200, 200, true),
  };
  In.PassSummaries = {{"InlinerPass", 1, 1, 40, 0},
                      {"InstCombinePass", 1, 1, -2, 0},
                      {"LoopUnrollPass", 1, 1, 60, 0},
                      {"autopass::HintsPass", 1, 1, 0, 0}};
  In.Remarks = remarks(CandidateYaml);
  ModuleFeatures M;
  M.Module = "k.c";
  FunctionFeatures F;
  F.Name = "kernel";
  LoopFeatures Outer, Inner;
  Outer.Name = "kernel:L0";
  Outer.Line = 10;
  Inner.Name = "kernel:L1";
  Inner.Line = 12;
  F.Loops = {Outer, Inner};
  M.Functions = {F};
  In.Features = {M};
  return In;
}

const FunctionPassDelta *row(const CompileDiff &D, const std::string &Fn, const std::string &Pass) {
  for (const FunctionPassDelta &R : D.Functions)
    if (R.Function == Fn && R.Pass == Pass)
      return &R;
  return nullptr;
}

} // namespace

TEST_CASE("the remark digest keeps transform-warning failures", "[compilediff]") {
  // A hoisted load besides: a highlight, so the partition below is checked.
  RemarkDigest D = remarks(std::string(CandidateYaml) + R"(--- !Passed
Pass:            licm
Name:            Hoisted
DebugLoc:        { File: k.c, Line: 13, Column: 7 }
Function:        kernel
Args:
  - String:          'hoisting '
  - Inst:            load
...
)");
  REQUIRE(D.Failures.size() == 1);
  CHECK(D.Failures[0].Pass == "transform-warning");
  CHECK(D.Failures[0].Function == "kernel");
  REQUIRE(D.Failures[0].Loc);
  CHECK(D.Failures[0].Loc->Line == 12);
  CHECK(D.Failures[0].Message.rfind("loop not unrolled:", 0) == 0);
  // Failures are not highlights (which hold passed and missed remarks only).
  REQUIRE(D.Highlights.size() == 1);
  CHECK(D.Highlights[0].Pass == "licm");
  CHECK(D.Highlights[0].Kind == RemarkKind::Passed);
}

TEST_CASE("a compile diff lists pass, remark and warning differences", "[compilediff]") {
  CompileDiff D = diffCompilations(parentInputs(), candidateInputs());

  // Per function: the loop record counts for kernel, the SCC for both of
  // its functions; the unchanged InstCombine on other is not listed.
  const FunctionPassDelta *Unroll = row(D, "kernel", "LoopUnrollPass");
  REQUIRE(Unroll);
  CHECK(Unroll->changedRunsDelta() == 1);
  CHECK(Unroll->instructionDeltaDifference() == 60);
  CHECK(Unroll->str() == "LoopUnrollPass in kernel: changed 0->1, instr delta 0->+60 (+60)");
  CHECK(row(D, "main", "InlinerPass"));
  CHECK(row(D, "helper", "InlinerPass"));
  CHECK_FALSE(row(D, "other", "InstCombinePass"));
  CHECK(D.Functions.front().Pass == "LoopUnrollPass"); // largest difference first
  CHECK(D.instructionsDifferIn("kernel"));
  CHECK_FALSE(D.instructionsDifferIn("other"));
  CHECK(D.instructionsDiffer());
  // InstCombine is identical program-wide; the plugin's hints element is
  // left out.
  REQUIRE(D.Passes.size() == 2);
  for (const PassSummaryDelta &P : D.Passes)
    CHECK(P.Pass != "autopass::HintsPass");

  // Remarks: the loop lost its vectorization, the call is now inlined.
  auto remark = [&](const std::string &Pass) -> const RemarkChange * {
    for (const RemarkChange &C : D.Remarks)
      if (C.Pass == Pass)
        return &C;
    return nullptr;
  };
  const RemarkChange *Vec = remark("loop-vectorize");
  REQUIRE(Vec);
  CHECK(Vec->Function == "kernel");
  CHECK(Vec->Text == "loop at k.c:12: vectorized width 4, interleave 2 -> not vectorized");
  const RemarkChange *Inl = remark("inline");
  REQUIRE(Inl);
  CHECK(Inl->Function == "main");
  CHECK(Inl->Text == "calls to helper: inlined 0, not inlined 1 -> inlined 1, not inlined 0");

  // The warning is on line 12, the line of kernel:L1 (not kernel:L0).
  REQUIRE(D.Warnings.size() == 1);
  CHECK(D.Warnings[0].Loop == "kernel:L1");
  CHECK(D.Warnings[0].Transformation == "unroll");
  CHECK(D.Warnings[0].str().find("kernel:L1 (k.c:12:3): loop not unrolled") == 0);

  std::string Text = D.render(5);
  CHECK(Text.find("LoopUnrollPass in kernel") != std::string::npos);
  CHECK(Text.find("transform warnings") != std::string::npos);
}

TEST_CASE("identical compilations give an empty diff", "[compilediff]") {
  CompileDiff D = diffCompilations(parentInputs(), parentInputs());
  CHECK(D.empty());
  CHECK_FALSE(D.instructionsDiffer());
  CHECK(D.Warnings.empty());
  CHECK(D.render(5) == "no pass or remark differs\n");
}

TEST_CASE("edits are matched with the differences in their places and passes", "[compilediff]") {
  auto Catalog = KnobCatalog::loadDefault();
  REQUIRE(Catalog.ok());
  SearchSpaceOptions O;
  O.Loops = {{"kernel:L1", 2, true, std::nullopt}, {"solve:L0", 1, true, std::nullopt}};
  SearchSpace Space(std::move(*Catalog), O);

  SearchPoint Candidate;
  Candidate.Loops["kernel:L1"].Unroll = int64_t(4);
  Candidate.Loops["solve:L0"].VectorizeWidth = 8;
  Candidate.Knobs["inline-threshold"] = int64_t(400);
  Candidate.Knobs["enable-dfa-jump-thread"] = true;
  std::vector<EditTarget> New = newEdits(Space, SearchPoint(), Candidate);
  REQUIRE(New.size() == 4);
  auto edit = [&](const std::string &Atom) -> const EditTarget & {
    auto It =
        std::find_if(New.begin(), New.end(), [&](const EditTarget &T) { return T.Atom == Atom; });
    REQUIRE(It != New.end());
    return *It;
  };

  CompileDiff D = diffCompilations(parentInputs(), candidateInputs());
  // The unroll hint's loop function shows LoopUnrollPass changing.
  std::vector<std::string> Unroll = effectsOf(edit("loop:kernel:L1:unroll=4"), D);
  REQUIRE_FALSE(Unroll.empty());
  CHECK(Unroll.front().find("LoopUnrollPass in kernel") == 0);
  // Nothing changed in solve, nor in DFA jump threading.
  CHECK(effectsOf(edit("loop:solve:L0:vectorize_width=8"), D).empty());
  CHECK(effectsOf(edit("knob:enable-dfa-jump-thread=true"), D).empty());
  // The inliner changed (anywhere counts for a knob).
  CHECK_FALSE(effectsOf(edit("knob:inline-threshold=400"), D).empty());

  // The transform warning is about the unroll hint's loop only.
  CHECK(warningsAbout(edit("loop:kernel:L1:unroll=4"), D).size() == 1);
  CHECK(warningsAbout(edit("loop:solve:L0:vectorize_width=8"), D).empty());
  CHECK(warningsAbout(edit("knob:inline-threshold=400"), D).empty());

  // Atoms already in the parent are not new.
  SearchPoint Parent;
  Parent.Knobs["inline-threshold"] = int64_t(400);
  CHECK(newEdits(Space, Parent, Candidate).size() == 3);
}
