// Checks the search space against the installed tools of the LLVM the tuner
// was built against (19 or 22; through util/Subprocess): every catalog
// option is accepted by the tool it applies to, the knobs marked
// shapes_pipeline are exactly those that change the printed O3 pipeline, the
// O3 fixture of that LLVM is what opt prints today, and every curated
// pipeline edit (alone, and one per group together) is accepted and runs
// with opt on a small module.
#include "search/KnobCatalog.hpp"
#include "search/SearchSpace.hpp"
#include "toolchain/ToolOptionIndex.hpp"
#include "toolchain/Toolchain.hpp"

#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include "llvm/Config/llvm-config.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace autopass;

namespace {

const std::string Bin = AUTOPASS_LLVM_BINDIR;
const std::string Module = std::string(AUTOPASS_TEST_DATA) + "/search/loops.ll";

SubprocessResult runTool(std::vector<std::string> Argv) {
  SubprocessOptions O;
  O.Argv = std::move(Argv);
  O.TimeoutSeconds = 120;
  auto R = runSubprocess(O);
  REQUIRE(R.ok());
  return *R;
}

KnobCatalog shipped() {
  auto C = KnobCatalog::load(std::string(AUTOPASS_SOURCE_DIR) + "/tuner/data/" +
                             KnobCatalog::defaultFileName());
  REQUIRE(C.ok());
  return *C;
}

std::string printedO3(const std::vector<std::string> &Knobs) {
  std::vector<std::string> Argv{Bin + "/opt"};
  Argv.insert(Argv.end(), Knobs.begin(), Knobs.end());
  for (const char *A : {"-passes=default<O3>", "-print-pipeline-passes", "-disable-output",
                        "/dev/null"})
    Argv.push_back(A);
  SubprocessResult R = runTool(Argv);
  // With -polly, opt prints Polly's passes by C++ type name and then fails
  // ("Could not parse dumped pass pipeline"): the text is still compared.
  return (R.succeeded() ? "" : "(failed) ") + std::string(trim(R.Stdout));
}

std::string o3Fixture() {
  std::ifstream In(std::string(AUTOPASS_TEST_DATA) + "/search/o3-pipeline-llvm" +
                   std::to_string(LLVM_VERSION_MAJOR) + ".txt");
  REQUIRE(In);
  std::ostringstream S;
  S << In.rdbuf();
  return std::string(trim(S.str()));
}

std::string knobArg(const std::string &Name, const KnobValue &V) {
  return "-" + Name + "=" + knobValueText(V);
}

} // namespace

TEST_CASE("the installed opt and clang -mllvm accept every shipped knob", "[tools]") {
  // Code generation runs inside clang, so codegen knobs are checked against
  // what clang registers (llc has options of its own, e.g. -align-loops).
  auto Tools = Toolchain::locate();
  REQUIRE(Tools.ok());
  auto Index = ToolOptionIndex::build(*Tools);
  REQUIRE(Index.ok());
  CHECK_FALSE(Index->llcAccepts("align-loops"));
  CHECK(Index->llcAccepts("enable-misched"));
  KnobCatalog C = shipped();
  auto Missing = C.checkAgainst([&](std::string_view N) { return Index->optAccepts(std::string(N)); },
                                [&](std::string_view N) { return Index->llcAccepts(std::string(N)); });
  for (const MissingKnob &M : Missing)
    FAIL_CHECK(M.Name << " is not accepted by the installed " << M.Tool);
}

TEST_CASE("the O3 fixture is what the installed opt prints", "[tools]") {
  CHECK(printedO3({}) == o3Fixture());
}

TEST_CASE("shapes_pipeline marks exactly the knobs that change the O3 pipeline", "[tools]") {
  KnobCatalog C = shipped();
  for (const KnobSpec &K : C.knobs()) {
    if (!K.forOpt())
      continue;
    INFO(K.Name);
    std::vector<std::string> Requires;
    for (const auto &[Name, V] : K.Requires)
      Requires.push_back(knobArg(Name, V));
    std::string Without = printedO3(Requires);
    // The values that differ from the default; a knob shapes the pipeline
    // if any of them changes the printed text.
    std::vector<KnobValue> Values;
    if (K.Type == KnobType::Bool)
      Values = {KnobValue(K.Default ? !std::get<bool>(*K.Default) : true)};
    else if (K.Type == KnobType::Enum)
      Values = K.Values;
    else if (K.Type == KnobType::Int)
      Values = {KnobValue(K.MinInt), KnobValue(K.MaxInt)};
    else
      Values = {KnobValue(K.MinFloat), KnobValue(K.MaxFloat)};
    bool Changes = false;
    for (const KnobValue &V : Values) {
      std::vector<std::string> Args = Requires;
      Args.push_back(knobArg(K.Name, V));
      Changes |= printedO3(Args) != Without;
    }
    CHECK(Changes == K.ShapesPipeline);
  }
}

TEST_CASE("every curated pipeline edit is accepted and runs with opt", "[tools]") {
  SearchSpaceOptions O;
  O.BasePipeline = o3Fixture();
  SearchSpace Space(shipped(), O);
  auto Run = [&](const SearchPoint &P) {
    auto C = Space.toConfig(P);
    REQUIRE(C.ok());
    REQUIRE(C->Pipeline);
    SubprocessResult R = runTool({Bin + "/opt", "-passes=" + *C->Pipeline, "-disable-output", Module});
    INFO(R.Stderr);
    CHECK(R.succeeded());
  };
  std::map<std::string, std::string> OnePerGroup;
  for (const PipelineEdit *E : Space.edits()) {
    INFO(E->Id);
    SearchPoint P;
    P.Edits = {E->Id};
    Run(P);
    OnePerGroup.emplace(E->Group, E->Id);
  }
  SearchPoint All;
  for (const auto &[Group, Id] : OnePerGroup)
    All.Edits.insert(Id);
  INFO("all groups together");
  Run(Space.normalize(All));
}
