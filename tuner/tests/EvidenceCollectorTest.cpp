// Tests of evidence/EvidenceCollector: collecting evidence for a two-unit C
// program (tests/data/collect/) with the real clang, opt, plugin and, when
// installed, valgrind; the cache across collections and header edits; a
// config with a hint that names nothing; a source that does not compile.
// The program is copied to a scratch directory first, so a test may edit it.
#include "evidence/EvidenceCollector.hpp"

#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Subprocess.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace autopass;

namespace {

const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/collect/";

/// A fresh copy of tests/data/collect/ in a scratch directory.
std::string copyProgram() {
  auto Dir = makeTempDirectory("/tmp", "autopass-collect-test-");
  REQUIRE(Dir.ok());
  REQUIRE(makeDirectories(joinPath(*Dir, "include")).ok());
  for (const char *F : {"main.c", "kernel.c", "broken.c", "spec.json",
                        "broken.json", "include/kernel.h"})
    REQUIRE(copyFile(Data + F, joinPath(*Dir, F)).ok());
  return *Dir;
}

const Toolchain &tools() {
  static Result<Toolchain> T = Toolchain::locate();
  if (!T.ok())
    FAIL(T.message());
  return *T;
}

const LoopFeatures *findLoop(const std::vector<ModuleFeatures> &Mods,
                             const std::string &Name) {
  for (const ModuleFeatures &M : Mods)
    for (const FunctionFeatures &F : M.Functions)
      if (const LoopFeatures *L = F.findLoop(Name))
        return L;
  return nullptr;
}

/// Whether the loop unroller reports having unrolled the loop on Line of
/// hot_kernel.
bool unrolledAt(const CollectedEvidence &E, unsigned Line) {
  if (!E.Inputs.Remarks)
    return false;
  for (const RemarkHighlight *H : E.Inputs.Remarks->highlightsIn("hot_kernel"))
    if (H->Kind == RemarkKind::Passed && H->Pass == "loop-unroll" && H->Loc &&
        H->Loc->Line == Line)
      return true;
  return false;
}

size_t countCached(const CollectedEvidence &E) {
  return size_t(std::count_if(E.Steps.begin(), E.Steps.end(),
                              [](const EvidenceStep &S) { return S.Cached; }));
}

} // namespace

TEST_CASE("collector: evidence of a two-unit program", "[collect]") {
  if (tools().Plugin.empty())
    FAIL("the AutoPass plugin was not found (AUTOPASS_BUILD_PLUGIN)");
  std::string Dir = copyProgram();
  auto Spec = ProgramSpec::load(joinPath(Dir, "spec.json"));
  REQUIRE(Spec.ok());
  const bool HaveValgrind = !findProgram("valgrind").empty();

  EvidenceOptions Opts;
  Opts.Profile = HaveValgrind ? ProfileMode::Callgrind : ProfileMode::None;
  EvidenceCollector C(*Spec, tools(), joinPath(Dir, "work"), Opts);
  auto E = C.collect();
  REQUIRE(E.ok());

  // Features of both units, with the kernel's loop nest named and nested.
  REQUIRE(E->Units.size() == 2);
  REQUIRE(E->Inputs.Features.size() == 2);
  const LoopFeatures *Outer = findLoop(E->Inputs.Features, "hot_kernel:L0");
  const LoopFeatures *Inner = findLoop(E->Inputs.Features, "hot_kernel:L1");
  REQUIRE(Outer);
  REQUIRE(Inner);
  CHECK(Outer->Depth == 1);
  CHECK(Inner->Depth == 2);
  CHECK(Inner->Parent == std::optional<std::string>("hot_kernel:L0"));
  CHECK(Inner->Trip.str() == "64");
  // -g gives the loops their header lines (kernel.c lines 7 and 8).
  CHECK(Outer->Line == std::optional<int64_t>(7));
  CHECK(Inner->Line == std::optional<int64_t>(8));
  CHECK(findLoop(E->Inputs.Features, "cold_setup:L0"));

  // Remarks and per-pass records of the real O3 pipeline, from both units.
  REQUIRE(E->Inputs.Remarks);
  CHECK(E->Inputs.Remarks->Totals.total() > 0);
  CHECK(E->Inputs.Remarks->Functions.count("hot_kernel") == 1);
  CHECK(E->Inputs.Remarks->Functions.count("main") == 1);
  // At -O3 the unroller unrolls the inner loop (the hint test below turns
  // that off).
  CHECK(unrolledAt(*E, 8));
  CHECK_FALSE(E->Inputs.PassRecords.empty());
  CHECK_FALSE(E->Inputs.PassSummaries.empty());
  bool SawBoth[2] = {false, false};
  for (const PassRecord &R : E->Inputs.PassRecords) {
    SawBoth[0] |= R.Unit == "hot_kernel";
    SawBoth[1] |= R.Unit == "main";
  }
  CHECK(SawBoth[0]);
  CHECK(SawBoth[1]);

  // The commands are recorded, and the steps ran (nothing was cached).
  CHECK(countCached(*E) == 0);
  CHECK(pathExists(joinPath(E->WorkDir, "commands.sh")));
  bool SawOpt = false;
  for (const EvidenceStep &S : E->Steps)
    SawOpt |= S.Command.find("-pass-remarks-output=") != std::string::npos;
  CHECK(SawOpt);

  if (HaveValgrind) {
    // The profile: hot_kernel is the hottest function and region.
    REQUIRE(E->Inputs.Prof);
    REQUIRE_FALSE(E->Inputs.Prof->Functions.empty());
    CHECK(E->Inputs.Prof->Functions[0].Name == "hot_kernel");
    REQUIRE_FALSE(E->Digest.Regions.empty());
    CHECK(E->Digest.Regions[0].Name == "hot_kernel");
    REQUIRE(E->Digest.Regions[0].Weight);
    CHECK(*E->Digest.Regions[0].Weight > 0.5);
    REQUIRE_FALSE(E->Regions.Loops.empty());
    CHECK(E->Regions.Loops[0].LoopName == "hot_kernel:L0");
  } else {
    WARN("valgrind not installed: profile checks skipped");
  }

  // A second collection reuses every step.
  auto Again = C.collect();
  REQUIRE(Again.ok());
  CHECK(countCached(*Again) == Again->Steps.size());
  CHECK(Again->Digest.toJson() == E->Digest.toJson());

  // Editing the header the kernel includes redoes both front ends (both
  // units include it) and what follows them.
  REQUIRE(writeFile(joinPath(Dir, "include/kernel.h"),
                    "#define KERNEL_N 32\n"
                    "unsigned long hot_kernel(const int *data, int rounds);\n"
                    "long cold_setup(int *data);\n")
              .ok());
  auto Edited = C.collect();
  REQUIRE(Edited.ok());
  CHECK(countCached(*Edited) == 0);
  const LoopFeatures *Inner32 =
      findLoop(Edited->Inputs.Features, "hot_kernel:L1");
  REQUIRE(Inner32);
  CHECK(Inner32->Trip.str() == "32");
  (void)removeAll(Dir);
}

TEST_CASE("collector: a config's hints and a hint that matches nothing",
          "[collect]") {
  if (tools().Plugin.empty())
    FAIL("the AutoPass plugin was not found (AUTOPASS_BUILD_PLUGIN)");
  std::string Dir = copyProgram();
  auto Spec = ProgramSpec::load(joinPath(Dir, "spec.json"));
  REQUIRE(Spec.ok());
  auto Config = CandidateConfig::parse(
      R"({"schema": "autopass-config/1",
          "hints": {"loops": {"hot_kernel:L1": {"unroll": "disable",
                                                "vectorize": false},
                              "nosuch:L0": {"unroll": 2}}}})",
      "test-config");
  REQUIRE(Config.ok());
  EvidenceOptions Opts;
  Opts.Profile = ProfileMode::None;
  EvidenceCollector C(
      *Spec, tools(),
      EvidenceCollector::defaultWorkDir(joinPath(Dir, "run"), &*Config), Opts);
  auto E = C.collect(&*Config);
  REQUIRE(E.ok());
  CHECK(E->WorkDir.find("/evidence/" + Config->shortHash()) !=
        std::string::npos);

  // The hints element ran inside the recorded pipeline.
  bool SawHints = false;
  for (const PassSummary &P : E->Inputs.PassSummaries)
    SawHints |= P.Pass.find("Hints") != std::string::npos;
  CHECK(SawHints);
  // hot_kernel:L1 exists in kernel.c only: no note for it. nosuch:L0
  // exists nowhere: one note.
  size_t NoSuch = 0;
  for (const std::string &N : E->Notes) {
    CHECK(N.find("hot_kernel:L1") == std::string::npos);
    NoSuch += N.find("nosuch:L0") != std::string::npos;
  }
  CHECK(NoSuch == 1);
  // The note survives a cached collection.
  auto Again = C.collect(&*Config);
  REQUIRE(Again.ok());
  CHECK(Again->Notes == E->Notes);
  // The hint reached the optimizer: the inner loop is no longer unrolled.
  REQUIRE(E->Inputs.Remarks);
  CHECK(E->Inputs.Remarks->Totals.total() > 0);
  CHECK_FALSE(unrolledAt(*E, 8));
  (void)removeAll(Dir);
}

TEST_CASE("collector: a source that does not compile names the step",
          "[collect]") {
  std::string Dir = copyProgram();
  auto Spec = ProgramSpec::load(joinPath(Dir, "broken.json"));
  REQUIRE(Spec.ok());
  EvidenceOptions Opts;
  Opts.Profile = ProfileMode::None;
  EvidenceCollector C(*Spec, tools(), joinPath(Dir, "work"), Opts);
  auto E = C.collect();
  REQUIRE_FALSE(E.ok());
  CHECK(E.message().find("front end broken.c") != std::string::npos);
  CHECK(E.message().find("-emit-llvm") != std::string::npos);
  CHECK(E.message().find("undeclared_variable") != std::string::npos);
  (void)removeAll(Dir);
}

TEST_CASE("collector: profile modes", "[collect]") {
  CHECK(parseProfileMode("none") == ProfileMode::None);
  CHECK(parseProfileMode("callgrind") == ProfileMode::Callgrind);
  CHECK_FALSE(parseProfileMode("perf"));
  CHECK(profileModeName(ProfileMode::Callgrind) == "callgrind");
}

// The readers' handling of code inlined into its callers, which the
// collected evidence relies on (static helpers are inlined into main).
TEST_CASE("evidence: loops of a function inlined everywhere are weighted",
          "[evidence]") {
  Profile P;
  P.Total = 100;
  FunctionCost Main;
  Main.Name = "main";
  Main.File = "/src/a.c";
  Main.Self = Main.Inclusive = 100;
  Main.LineSelf = {{5, 4}, {20, 90}, {21, 5}, {30, 1}};
  P.Functions.push_back(Main);

  ModuleFeatures M;
  M.Module = "/src/a.c";
  FunctionFeatures Helper;
  Helper.Name = "helper";
  LoopFeatures L0, L1;
  L0.Name = "helper:L0";
  L0.Line = 19;
  L0.Innermost = false;
  L1.Name = "helper:L1";
  L1.Parent = "helper:L0";
  L1.Depth = 2;
  L1.Line = 20;
  Helper.Loops = {L0, L1};
  FunctionFeatures MainF;
  MainF.Name = "main";
  LoopFeatures ML;
  ML.Name = "main:L0";
  ML.Line = 30;
  MainF.Loops = {ML};
  M.Functions = {Helper, MainF};

  // Not in the profile: weighted by the file's lines 19..29 (before main's
  // loop on line 30).
  std::vector<HotLoop> Loops = attributeLoops(P, {M});
  auto weightOf = [&](const std::string &Name) {
    for (const HotLoop &H : Loops)
      if (H.LoopName == Name)
        return H.Weight;
    return -1.0;
  };
  CHECK(weightOf("helper:L0") == Approx(0.95));
  CHECK(weightOf("helper:L1") == Approx(0.95));
  CHECK(weightOf("main:L0") == Approx(0.01));

  // Another file's line costs do not count.
  ModuleFeatures Other = M;
  Other.Module = "/src/b.c";
  Other.Functions.pop_back();
  for (const HotLoop &H : attributeLoops(P, {Other}))
    CHECK(H.Weight == 0);

  // The vectorizer's remark, filed under main (the inlined code's
  // function), is shown on the helper's loop on its header line.
  OptRemark R;
  R.Kind = RemarkKind::Missed;
  R.Pass = "loop-vectorize";
  R.Name = "MissedDetails";
  R.Function = "main";
  R.Loc = SourceLocation{"/src/a.c", 20, 3};
  R.Message = "loop not vectorized";
  EvidenceInputs In;
  In.Prof = P;
  In.Features = {M};
  In.Remarks = RemarkDigest::build({R});
  EvidenceDigest D = EvidenceDigest::build(In);
  const HotRegion *Inner = nullptr, *MainRegion = nullptr;
  for (const HotRegion &Reg : D.Regions) {
    if (Reg.Name == "helper:L1")
      Inner = &Reg;
    if (Reg.Name == "main")
      MainRegion = &Reg;
  }
  REQUIRE(Inner);
  REQUIRE(MainRegion);
  CHECK(Inner->Vectorization.size() == 1);
  CHECK(MainRegion->Vectorization.empty());
}

TEST_CASE("evidence: source file names match across tools", "[evidence]") {
  CHECK(sameSourceFile("/src/a.c", "/src/a.c"));
  CHECK(sameSourceFile("./src/a.c", "/work/src/a.c"));
  CHECK(sameSourceFile("a.c", "/work/src/a.c"));
  CHECK_FALSE(sameSourceFile("/src/a.c", "/other/a.c"));
  CHECK_FALSE(sameSourceFile("ba.c", "/src/a.c"));
  CHECK_FALSE(sameSourceFile("", "/src/a.c"));
}
