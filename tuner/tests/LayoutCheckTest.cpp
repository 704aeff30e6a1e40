// The layout check (measure/LayoutCheck.hpp): what each perturbation does to
// a spec, and, end to end with real builds, that a win the optimizer made
// (an FP reduction vectorized under an explicit width) survives both
// perturbations while a configuration that builds the -O3 code does not
// count as a win under them.
#include "config/CandidateConfig.hpp"
#include "measure/LayoutCheck.hpp"
#include "spec/ProgramSpec.hpp"
#include "store/RunDir.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace autopass;
using autopass::test::TempDir;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/layout";

const LayoutPerturbation &named(const std::string &Name) {
  const auto &Ps = defaultLayoutPerturbations();
  auto It = std::find_if(Ps.begin(), Ps.end(),
                         [&](const LayoutPerturbation &P) { return P.Name == Name; });
  REQUIRE(It != Ps.end());
  return *It;
}
} // namespace

TEST_CASE("layout perturbations change placement, not the program", "[layout]") {
  TempDir T;
  ProgramSpec Spec;
  Spec.Name = "two";
  Spec.Sources = {"/src/a.c", "/src/b.c"};
  Spec.CompileFlags = {"-DX=1"};
  Spec.Run.Env["KEEP"] = "1";

  REQUIRE(defaultLayoutPerturbations().size() >= 2);

  auto A = perturbedSpec(Spec, named("align64"), T.Path);
  REQUIRE(A.ok());
  CHECK(A->Sources == Spec.Sources);
  CHECK(A->CompileFlags ==
        std::vector<std::string>{"-DX=1", "-falign-functions=64", "-falign-loops=64"});
  CHECK(A->Run.Env == Spec.Run.Env);

  auto S = perturbedSpec(Spec, named("shifted"), T.Path);
  REQUIRE(S.ok());
  REQUIRE(S->Sources.size() == 3);
  CHECK(S->Sources[0] == joinPath(T.Path, "layout-filler.c"));
  CHECK(S->Sources[1] == "/src/b.c");
  CHECK(S->Sources[2] == "/src/a.c");
  CHECK(S->CompileFlags == Spec.CompileFlags);
  CHECK(S->Run.Env.at("KEEP") == "1");
  CHECK(S->Run.Env.at("AUTOPASS_LAYOUT_PAD").size() == 2048);
  auto Filler = readFile(S->Sources[0]);
  REQUIRE(Filler.ok());
  CHECK(Filler->find(".skip 1040") != std::string::npos);
}

TEST_CASE("a vectorized reduction survives the layout check; -O3 itself is no win",
          "[layout][slow]") {
  TempDir T;
  auto Spec = ProgramSpec::load(Data + "/spec.json");
  REQUIRE(Spec.ok());
  auto Tools = Toolchain::locate();
  REQUIRE(Tools.ok());
  auto Run = RunDir::open(T.Path, false, true);
  REQUIRE(Run.ok());
  MeasurementPlan Plan;
  Plan.Warmups = 1;
  Plan.MinReps = 5;
  Plan.MaxReps = 12;
  Plan.TargetCi = 0.03;

  auto Win = CandidateConfig::load(Data + "/vectorized.json");
  REQUIRE(Win.ok());
  auto V = checkLayout(*Spec, *Tools, **Run, *Win, Plan, 2, defaultLayoutPerturbations());
  REQUIRE(V.ok());
  REQUIRE(V->Trials.size() == 2);
  INFO(V->summary());
  for (const LayoutTrial &Trial : V->Trials) {
    CHECK(Trial.Result.ok());
    CHECK(!Trial.Result.SameBinaryAsBaseline);
    CHECK(Trial.Held);
  }
  CHECK(V->Survived);
  // Each perturbation measured in a run directory of its own.
  CHECK(pathExists(joinPath(T.Path, "layout/align64/journal.jsonl")));
  CHECK(pathExists(joinPath(T.Path, "layout/shifted/journal.jsonl")));

  CandidateConfig Identity;
  auto N = checkLayout(*Spec, *Tools, **Run, Identity, Plan, 2, defaultLayoutPerturbations());
  REQUIRE(N.ok());
  REQUIRE(N->Trials.size() == 2);
  INFO(N->summary());
  CHECK(!N->Survived);
  for (const LayoutTrial &Trial : N->Trials)
    CHECK(!Trial.Held);
}
