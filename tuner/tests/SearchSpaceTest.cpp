// Unit tests for search/SearchSpace, PipelineEdits and SearchHistory: points
// map to valid configs and back, invariants hold after mutation and
// crossover, and failures become tabu.
#include "search/SearchHistory.hpp"
#include "search/SearchSpace.hpp"

#include "O3Pipeline.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {

KnobCatalog shipped() {
  auto C = KnobCatalog::load(std::string(AUTOPASS_SOURCE_DIR) + "/tuner/data/" +
                             KnobCatalog::defaultFileName());
  REQUIRE(C.ok());
  return *C;
}

SearchSpaceOptions programOptions(unsigned Llvm = 19) {
  SearchSpaceOptions O;
  O.BasePipeline = test::o3PipelineFixture(Llvm);
  O.Loops = {{"mm:L0", 1, false, 64}, {"mm:L1", 2, false, 64}, {"mm:L2", 3, true, 64},
             {"sum:L0", 1, true, std::nullopt}};
  O.Functions = {"sum", "helper"};
  return O;
}

} // namespace

TEST_CASE("every curated edit applies to the LLVM 19 and 22 O3 pipelines", "[space]") {
  unsigned Llvm = GENERATE(19u, 22u);
  INFO("LLVM " << Llvm);
  SearchSpace Space(shipped(), programOptions(Llvm));
  CHECK(Space.unavailableEdits().empty());
  CHECK(Space.edits().size() == curatedPipelineEdits().size());
  std::string Base = PipelineText::parse(test::o3PipelineFixture(Llvm))->str();
  std::set<std::string> Texts;
  for (const PipelineEdit *E : Space.edits()) {
    INFO(E->Id);
    SearchPoint P;
    P.Edits = {E->Id};
    auto C = Space.toConfig(P);
    REQUIRE(C.ok());
    REQUIRE(C->Pipeline);
    CHECK(*C->Pipeline != Base);
    CHECK(PipelineText::parse(*C->Pipeline).ok());
    Texts.insert(*C->Pipeline);
    CHECK(Space.fromConfig(*C) == P);
  }
  CHECK(Texts.size() == Space.edits().size()); // all different
  SearchPoint Slp;
  Slp.Edits = {"slp-after-unroll"};
  std::string Text = *Space.toConfig(Slp)->Pipeline;
  CHECK(Text.find("loop-unroll<O3>,slp-vectorizer,") != std::string::npos);
}

TEST_CASE("an edit whose anchor is missing is unavailable", "[space]") {
  SearchSpaceOptions O;
  O.BasePipeline = "function(loop-unroll<O3>,instcombine)";
  SearchSpace Space(shipped(), O);
  CHECK(Space.unavailableEdits().count("add-loop-interchange"));
  CHECK(Space.unavailableEdits().count("slp-after-unroll"));
  bool HasUnrollEdit = false;
  for (const PipelineEdit *E : Space.edits())
    HasUnrollEdit |= E->Id == "unroll-no-runtime";
  CHECK(HasUnrollEdit);
}

TEST_CASE("normalize keeps requirements, edit groups and pipeline shaping consistent", "[space]") {
  SearchSpace Space(shipped(), programOptions());
  SearchPoint P;
  P.Knobs["polly-tiling"] = false;
  P = Space.normalize(P);
  CHECK(P.Knobs.at("polly") == KnobValue(true));
  // Two edits of the same group: the first in table order stays.
  P.Edits = {"remove-late-unroll", "unroll-no-runtime"};
  P = Space.normalize(P);
  CHECK(P.Edits == std::set<std::string>{"unroll-no-runtime"});
  // Edits and pipeline-shaping knobs (polly, and polly-tiling with it)
  // cannot be combined.
  CHECK(P.Knobs.count("polly") == 0);
  CHECK(P.Knobs.count("polly-tiling") == 0);
  SearchPoint Q;
  Q.Knobs["enable-loopinterchange"] = true;
  Q.Knobs["unroll-threshold"] = int64_t(600);
  Q.Edits = {"remove-slp"};
  Q = Space.normalize(Q);
  CHECK(Q.Knobs == std::map<std::string, KnobValue>{{"unroll-threshold", int64_t(600)}});
}

TEST_CASE("mutations stay in the domains and are reproducible", "[space]") {
  SearchSpace Space(shipped(), programOptions());
  Rng R1(42), R2(42);
  SearchPoint P1, P2;
  std::set<std::string> Layers;
  for (int I = 0; I < 400; ++I) {
    SearchPoint N1 = Space.mutate(P1, R1);
    SearchPoint N2 = Space.mutate(P2, R2);
    REQUIRE(N1 == N2);
    CHECK_FALSE(N1 == P1);
    P1 = N1;
    P2 = N2;
    auto C = Space.toConfig(P1);
    REQUIRE(C.ok());
    REQUIRE(Space.catalog().validateKnobs(*C).ok());
    // Round trip through JSON: what the harness stores is what was meant.
    auto Back = CandidateConfig::parse(C->toJson(), "mutated.json");
    REQUIRE(Back.ok());
    CHECK(*Back == *C);
    CHECK(Space.fromConfig(*Back) == P1);
    for (const auto &[Name, H] : P1.Loops) {
      Layers.insert("loop");
      if (Name == "mm:L2" || Name == "sum:L0")
        CHECK_FALSE(H.UnrollAndJam); // innermost loops have nothing to jam
      else
        CHECK_FALSE(H.VectorizeWidth);
      if (Name == "sum:L0" && H.Unroll)
        CHECK(*H.Unroll != CountOrWord(std::string("full"))); // unknown trip count
    }
    if (!P1.Functions.empty())
      Layers.insert("function");
    if (!P1.Edits.empty())
      Layers.insert("edit");
    if (!P1.Knobs.empty())
      Layers.insert("knob");
    // Every pipeline-shaping knob is absent when edits are present.
    if (!P1.Edits.empty())
      for (const auto &[Name, V] : P1.Knobs)
        CHECK_FALSE(Space.catalog().find(Name)->ShapesPipeline);
  }
  CHECK(Layers == std::set<std::string>{"edit", "function", "knob", "loop"});
}

TEST_CASE("crossover takes every element from one of the parents", "[space]") {
  SearchSpace Space(shipped(), programOptions());
  Rng R(7);
  for (int I = 0; I < 100; ++I) {
    SearchPoint A = Space.randomPoint(R, 4), B = Space.randomPoint(R, 4);
    SearchPoint C = Space.crossover(A, B, R);
    std::set<std::string> Parents = Space.atoms(A);
    for (const std::string &Atom : Space.atoms(B))
      Parents.insert(Atom);
    for (const std::string &Atom : Space.atoms(C)) {
      // Requirements added by normalize (e.g. polly=true) are the exception.
      bool Required = Atom.rfind("knob:", 0) == 0 && Space.catalog().find(Atom.substr(5, Atom.find('=') - 5)) &&
                      !Parents.count(Atom);
      if (!Required)
        CHECK(Parents.count(Atom));
    }
  }
}

TEST_CASE("sampled knob values avoid the current value and LLVM's default", "[space]") {
  SearchSpace Space(shipped(), SearchSpaceOptions());
  Rng R(1);
  for (const KnobSpec &K : Space.catalog().knobs()) {
    INFO(K.Name);
    for (int I = 0; I < 20; ++I) {
      KnobValue V = Space.sampleKnobValue(K, std::nullopt, R);
      CHECK(Space.catalog().validate(K.Name, V).ok());
      if (K.Default)
        CHECK_FALSE(V == *K.Default);
    }
  }
}

TEST_CASE("a pipeline opt rejects is not proposed and its edit is blamed", "[space]") {
  SearchSpaceOptions O = programOptions();
  size_t Calls = 0;
  O.PipelineAccepted = [&Calls](const std::string &Text) {
    ++Calls;
    return Text.find("loop-fusion") == std::string::npos;
  };
  SearchSpace Space(shipped(), O);
  SearchHistory H;
  SearchPoint P;
  P.Edits = {"add-loop-fusion"};
  CHECK_FALSE(Space.toConfig(P).ok());
  CHECK(Space.toConfig(P).message() == "opt rejects the pipeline with edits add-loop-fusion");
  CHECK(Calls == 1); // cached
  CHECK_FALSE(H.admit(Space, P));
  CHECK(H.tabuAtoms().count("edit:add-loop-fusion"));
  SearchPoint Q = P;
  Q.Knobs["unroll-threshold"] = int64_t(600);
  CHECK(H.tabuAtomIn(Space, Q) == std::string("edit:add-loop-fusion"));
  SearchPoint Ok;
  Ok.Edits = {"remove-slp"};
  CHECK(H.admit(Space, Ok));
}

TEST_CASE("history: identity, repeats and tabu configs are never admitted", "[space]") {
  SearchSpace Space(shipped(), programOptions());
  SearchHistory H;
  CHECK_FALSE(H.admit(Space, SearchPoint())); // -O3 itself
  SearchPoint P;
  P.Knobs["polly"] = true;
  auto C = H.admit(Space, P);
  REQUIRE(C);
  CHECK_FALSE(H.admit(Space, P)); // proposed already
  H.recordFailure(Space, *C, "opt crashed (signal 11)");
  CHECK(H.isTabu(C->contentHash()));
  // One atom, so the atom is blamed: any point with polly=true is out.
  REQUIRE(H.tabuAtoms().count("knob:polly=true"));
  SearchPoint More = P;
  More.Knobs["polly-tiling"] = false;
  CHECK_FALSE(H.admit(Space, More));
  // A two-atom failure without a parent blames neither atom.
  SearchHistory H2;
  SearchPoint Two;
  Two.Knobs["unroll-threshold"] = int64_t(600);
  Two.Functions["sum"].Inline = "never";
  auto C2 = H2.admit(Space, Two);
  REQUIRE(C2);
  H2.recordFailure(Space, *C2, "wrong output");
  CHECK(H2.tabuAtoms().empty());
  // With a parent one change away, that change is blamed.
  SearchPoint Parent;
  Parent.Knobs["unroll-threshold"] = int64_t(600);
  H2.recordFailure(Space, *C2, "wrong output", &Parent);
  CHECK(H2.tabuAtoms().count("fn:sum:inline=never"));
}
