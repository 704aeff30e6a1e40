// Unit tests for the strategies on a synthetic objective: a fake evaluator
// gives every atom of a configuration a fixed pseudo-random effect (an
// additive landscape, plus seeded noise) and makes one knob value crash.
// Checked: reproducibility from the seed, improvement over the start, no
// config proposed twice, no identity, nothing containing a blamed atom.
#include "search/SearchHistory.hpp"
#include "search/Strategy.hpp"

#include "O3Pipeline.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace autopass;

namespace {

std::unique_ptr<SearchSpace> makeSpace() {
  auto C = KnobCatalog::load(std::string(AUTOPASS_SOURCE_DIR) + "/tuner/data/" +
                             KnobCatalog::defaultFileName());
  REQUIRE(C.ok());
  SearchSpaceOptions O;
  O.BasePipeline = test::o3PipelineFixture();
  O.Loops = {{"mm:L0", 1, false, 64}, {"mm:L1", 2, false, 64}, {"mm:L2", 3, true, 64},
             {"sum:L0", 1, true, std::nullopt}};
  O.Functions = {"sum", "helper"};
  return std::make_unique<SearchSpace>(*C, O);
}

/// FNV-1a: a stable hash, so the landscape is the same on every platform.
uint64_t fnv1a(const std::string &S) {
  uint64_t H = 1469598103934665603ULL;
  for (unsigned char C : S) {
    H ^= C;
    H *= 1099511628211ULL;
  }
  return H;
}

/// The synthetic program: each atom adds an effect in [-2%, +2%]; polly=true
/// crashes the compiler; measurement noise is Gaussian, sd 0.3%.
class FakeEvaluator {
public:
  FakeEvaluator(const SearchSpace &Space, uint64_t Seed) : Space(Space), Noise(Seed) {}

  Observation evaluate(const CandidateConfig &C) {
    Observation O;
    O.Config = C;
    std::set<std::string> Atoms = Space.atoms(Space.fromConfig(C));
    if (Atoms.count("knob:polly=true")) {
      O.Kind = Observation::Outcome::Crashed;
      O.Reason = "opt crashed (synthetic)";
      return O;
    }
    double S = 1.0;
    for (const std::string &A : Atoms)
      S += (static_cast<double>(fnv1a(A) % 2001) - 1000.0) / 1000.0 * 0.02;
    double U1 = randomUnit(Noise), U2 = randomUnit(Noise);
    S += 0.003 * std::sqrt(-2.0 * std::log(1.0 - U1)) * std::cos(2.0 * M_PI * U2);
    O.Speedup = S;
    O.Lo = S - 0.006;
    O.Hi = S + 0.006;
    return O;
  }

private:
  const SearchSpace &Space;
  Rng Noise;
};

struct RunLog {
  std::vector<std::string> Hashes; // in proposal order
  double Start = 0;                // best of the first batch
  double Best = 0;
  size_t Failures = 0;
  bool ProposedTabuAtom = false;
  bool ProposedIdentity = false;
};

/// With BlamePolly, the strategy first observes that polly=true alone
/// crashed, so that the tabu rule has an atom to refuse from the start.
RunLog run(const std::string &Name, uint64_t Seed, size_t Batches, size_t BatchSize,
           bool BlamePolly = false) {
  auto Space = makeSpace();
  auto S = makeStrategy(Name, *Space, Seed);
  REQUIRE(S);
  CHECK(S->name() == Name);
  FakeEvaluator Eval(*Space, Seed + 1000);
  SearchHistory Blame; // replays the failures to know which atoms are blamed
  RunLog Log;
  if (BlamePolly) {
    CandidateConfig Polly;
    Polly.Knobs["polly"] = true;
    Observation Crash = Eval.evaluate(Polly);
    REQUIRE(Crash.Kind == Observation::Outcome::Crashed);
    S->observe({Crash});
    Blame.recordFailure(*Space, Crash.Config, Crash.Reason);
    REQUIRE(Blame.tabuAtoms().count("knob:polly=true"));
  }
  for (size_t B = 0; B < Batches; ++B) {
    std::vector<CandidateConfig> Batch = S->propose(BatchSize);
    std::vector<Observation> Results;
    for (const CandidateConfig &C : Batch) {
      Log.Hashes.push_back(C.contentHash());
      Log.ProposedIdentity |= C.isIdentity();
      if (Space->atoms(Space->fromConfig(C)).count("knob:polly=true") &&
          Blame.tabuAtoms().count("knob:polly=true"))
        Log.ProposedTabuAtom = true;
      Results.push_back(Eval.evaluate(C));
      const Observation &O = Results.back();
      if (!O.ok()) {
        ++Log.Failures;
      } else {
        Log.Best = std::max(Log.Best, O.Speedup);
      }
    }
    if (B == 0)
      Log.Start = Log.Best;
    S->observe(Results);
    for (const Observation &O : Results)
      if (!O.ok() && Space->atoms(Space->fromConfig(O.Config)).size() == 1)
        Blame.recordFailure(*Space, O.Config, O.Reason);
  }
  return Log;
}

} // namespace

TEST_CASE("the registry knows the two agents and the four search strategies", "[strategy]") {
  CHECK(strategyNames() ==
        std::vector<std::string>{"expert", "llm", "random", "greedy", "genetic", "ensemble"});
  CHECK(searchStrategyNames() ==
        std::vector<std::string>{"random", "greedy", "genetic", "ensemble"});
  auto Space = makeSpace();
  CHECK(makeStrategy("simulated-annealing", *Space, 1) == nullptr);
  // Agents need their context: makeStrategy makes search strategies only.
  CHECK(makeStrategy("expert", *Space, 1) == nullptr);

  auto Unknown = createStrategy("simulated-annealing", StrategyContext(*Space, 1));
  REQUIRE_FALSE(Unknown.ok());
  CHECK(Unknown.message() == "unknown strategy \"simulated-annealing\"; expected one of expert, "
                             "llm, random, greedy, genetic, ensemble");
  // The expert starts without evidence (it explores around -O3); the LLM
  // agents need an endpoint.
  auto Expert = createStrategy("expert", StrategyContext(*Space, 1));
  REQUIRE(Expert.ok());
  CHECK((*Expert)->name() == "expert");
  CHECK((*Expert)->startNote() == "the expert derived 0 ideas from the evidence");
  auto Llm = createStrategy("llm", StrategyContext(*Space, 1));
  REQUIRE_FALSE(Llm.ok());
  CHECK(Llm.message().find("needs an LLM endpoint") != std::string::npos);
}

TEST_CASE("strategies are reproducible from their seed", "[strategy]") {
  for (const std::string &Name : searchStrategyNames()) {
    INFO(Name);
    RunLog A = run(Name, 11, 8, 4);
    RunLog B = run(Name, 11, 8, 4);
    RunLog C = run(Name, 12, 8, 4);
    CHECK(A.Hashes.size() == 32);
    CHECK(A.Hashes == B.Hashes);
    CHECK(A.Hashes != C.Hashes);
  }
}

TEST_CASE("no strategy proposes a config twice, the identity or a blamed atom", "[strategy]") {
  for (const std::string &Name : searchStrategyNames()) {
    for (uint64_t Seed : {1, 2}) {
      INFO(Name << " seed " << Seed);
      RunLog L = run(Name, Seed, 30, 4, /*BlamePolly=*/true);
      // Every batch is full: the space is far from used up.
      REQUIRE(L.Hashes.size() == 120);
      std::set<std::string> Unique(L.Hashes.begin(), L.Hashes.end());
      CHECK(Unique.size() == L.Hashes.size());
      CHECK_FALSE(L.ProposedIdentity);
      CHECK_FALSE(L.ProposedTabuAtom);
    }
  }
}

TEST_CASE("greedy, genetic and ensemble improve on the synthetic objective", "[strategy]") {
  // Same budget (160 evaluations): random sampling a few changes away from
  // -O3 stays near 1.05 on this landscape; the others must climb further.
  for (uint64_t Seed : {3, 4, 5}) {
    RunLog Random = run("random", Seed, 40, 4);
    for (std::string Name : {"greedy", "genetic", "ensemble"}) {
      INFO(Name << " seed " << Seed);
      RunLog L = run(Name, Seed, 40, 4);
      CHECK(L.Best > L.Start + 0.05);
      CHECK(L.Best > 1.10);
      CHECK(L.Best > Random.Best);
    }
  }
}

TEST_CASE("a failing single change is not proposed again by greedy", "[strategy]") {
  auto Space = makeSpace();
  auto S = makeStrategy("greedy", *Space, 9);
  // Tell greedy that polly=true crashes, as if it had proposed it.
  CandidateConfig Polly;
  Polly.Knobs["polly"] = true;
  Observation Crash;
  Crash.Config = Polly;
  Crash.Kind = Observation::Outcome::Crashed;
  Crash.Reason = "opt crashed";
  S->observe({Crash});
  for (int I = 0; I < 50; ++I) {
    std::vector<CandidateConfig> Batch = S->propose(4);
    REQUIRE_FALSE(Batch.empty());
    for (const CandidateConfig &C : Batch) {
      auto It = C.Knobs.find("polly");
      CHECK((It == C.Knobs.end() || It->second != KnobValue(true)));
    }
  }
}
