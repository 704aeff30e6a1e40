// Each of the expert's rules (agents/ExpertRules.hpp), applied alone to the
// evidence of small real programs (tests/data/expert/: innermost loops, loop
// nests, functions), collected once per program with the real clang, opt,
// plugin and callgrind. Every rule has a region where its evidence is present
// and it must fire, and a region of the same program where it is absent and
// the rule must stay quiet; both regions must be in the digest, so that
// neither check passes vacuously. A rule added to the table without a row
// here fails the coverage check.
#include "agents/ExpertRules.hpp"
#include "evidence/EvidenceCollector.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

using namespace autopass;

namespace {

/// The digest of tests/data/expert/NAME.c with a callgrind profile,
/// collected once per test run.
const EvidenceDigest &digestOf(const std::string &Program) {
  static std::map<std::string, EvidenceDigest> Cache;
  auto It = Cache.find(Program);
  if (It != Cache.end())
    return It->second;
  static Result<Toolchain> Tools = Toolchain::locate();
  if (!Tools.ok())
    FAIL(Tools.message());
  if (Tools->Plugin.empty())
    FAIL("the AutoPass plugin was not found (AUTOPASS_BUILD_PLUGIN)");
  auto Spec = ProgramSpec::load(std::string(AUTOPASS_TEST_DATA) + "/expert/" + Program + ".json");
  REQUIRE(Spec.ok());
  auto Work = makeTempDirectory("/tmp", "autopass-rules-test-");
  REQUIRE(Work.ok());
  EvidenceOptions Options;
  Options.Profile = ProfileMode::Callgrind;
  EvidenceCollector C(*Spec, *Tools, *Work, Options);
  auto E = C.collect(nullptr);
  REQUIRE(E.ok());
  (void)removeAll(*Work);
  if (!E->Digest.Regions.empty() && !E->Digest.Regions.front().Weight)
    FAIL("no profile for " + Program + " (is valgrind installed?): " +
         (E->Notes.empty() ? std::string("no note") : E->Notes.front()));
  return Cache.emplace(Program, std::move(E->Digest)).first->second;
}

bool hasRegion(const EvidenceDigest &D, const std::string &Name) {
  return std::any_of(D.Regions.begin(), D.Regions.end(),
                     [&](const HotRegion &R) { return R.Name == Name; });
}

/// The regions Rule proposes ideas for, every region looked at.
std::set<std::string> firesOn(const ExpertRule &Rule, const EvidenceDigest &D) {
  RuleOptions Everything;
  Everything.MinWeight = 0;
  Everything.MaxRegions = D.Regions.size();
  std::set<std::string> Out;
  for (const RuleIdea &I : deriveRuleIdeas(D, {&Rule}, Everything)) {
    CHECK(I.Rule == Rule.Name);
    CHECK(I.Priority > 0);
    CHECK_FALSE(I.Edit.Id.empty());
    Out.insert(I.Region);
  }
  return Out;
}

struct RuleCase {
  const char *Rule;
  const char *Program;
  const char *Fires; // a region with the rule's evidence
  const char *Quiet; // a region without it
};

// Where each rule's evidence is, in tests/data/expert/*.c.
const RuleCase Cases[] = {
    {"missed-vectorization-cost", "loops", "gather:L0", "add:L0"},
    {"missed-vectorization-cost-wide", "loops", "gather:L0", "add:L0"},
    {"missed-vectorization-fp-order", "loops", "dot:L0", "gather:L0"},
    {"missed-vectorization-fp-order-wide", "loops", "dot:L0", "gather:L0"},
    {"missed-vectorization-dependence", "loops", "recurrence:L0", "dot:L0"},
    {"missed-vectorization-checks", "loops", "scatter:L0", "gather:L0"},
    {"vectorized-latency-bound", "loops", "add:L0", "walk:L0"},
    {"vectorized-wider", "loops", "add:L0", "addbytes:L0"},
    {"small-constant-trip", "loops", "rows8:L1", "dot:L0"},
    {"small-scalar-body", "loops", "walk:L0", "add:L0"},
    {"strided-accesses", "loops", "strided:L0", "add:L0"},
    {"strided-nest", "nests", "matmul:L0", "repeat:L0"},
    {"affine-nest", "nests", "matmul:L0", "indirect:L0"},
    {"affine-nest-shallow", "nests", "repeat:L0", "matmul:L0"},
    {"outer-of-small-inner", "nests", "repeat:L0", "twoinner:L0"},
    {"missed-inline-margin", "calls", "caller", "straight"},
    {"missed-inline-threshold", "calls", "caller", "straight"},
    {"branchy-hot-function", "calls", "interp", "straight"},
};

} // namespace

TEST_CASE("expert rules: every rule of the table has a case", "[expert-rules]") {
  REQUIRE_FALSE(expertRules().empty());
  for (const ExpertRule &R : expertRules()) {
    INFO(R.Name);
    CHECK(std::any_of(std::begin(Cases), std::end(Cases),
                      [&](const RuleCase &C) { return std::string(C.Rule) == R.Name; }));
    CHECK(R.Prior > 0);
    CHECK(R.Prior <= 1);
  }
}

TEST_CASE("expert rules: each fires on its evidence and only there", "[expert-rules]") {
  for (const RuleCase &C : Cases) {
    DYNAMIC_SECTION(C.Rule) {
      const ExpertRule *Rule = findExpertRule(C.Rule);
      REQUIRE(Rule);
      const EvidenceDigest &D = digestOf(C.Program);
      std::string Shown;
      for (const HotRegion &R : D.Regions)
        Shown += " " + R.Name;
      INFO("regions of " << C.Program << ":" << Shown);
      REQUIRE(hasRegion(D, C.Fires));
      REQUIRE(hasRegion(D, C.Quiet));
      std::set<std::string> Regions = firesOn(*Rule, D);
      CHECK(Regions.count(C.Fires));
      CHECK_FALSE(Regions.count(C.Quiet));
    }
  }
}
