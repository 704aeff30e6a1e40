// The offline expert agent, fed crafted evidence digests: each rule must turn
// the evidence it keys on into the edit an engineer would try, on the region
// the evidence names, and measurements must drive keep / roll back.
#include "agents/ExpertAgent.hpp"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>

#include <algorithm>

using namespace autopass;

namespace {

KnobCatalog catalog() {
  auto C = KnobCatalog::loadDefault();
  REQUIRE(C.ok());
  return std::move(*C);
}

HotRegion loopRegion(const std::string &Name, double Weight, bool Innermost,
                     std::optional<std::string> Parent = std::nullopt, int64_t Depth = 1) {
  HotRegion R;
  R.Kind = RegionKind::Loop;
  R.Name = Name;
  R.Function = Name.substr(0, Name.find(':'));
  R.Weight = Weight;
  LoopFeatures L;
  L.Name = Name;
  L.Parent = Parent;
  L.Depth = Depth;
  L.Innermost = Innermost;
  L.Instructions = 80;
  L.Blocks = 4;
  R.Loop = L;
  return R;
}

SearchSpaceOptions optionsFor(const EvidenceDigest &D) {
  SearchSpaceOptions O;
  for (const HotRegion &R : D.Regions)
    if (R.Kind == RegionKind::Loop)
      O.Loops.push_back({R.Name, unsigned(R.Loop->Depth), R.Loop->Innermost, std::nullopt});
  return O;
}

Observation observed(const CandidateConfig &C, double Speedup, double Lo, double Hi) {
  Observation O;
  O.Config = C;
  O.Kind = Observation::Outcome::Ok;
  O.Speedup = Speedup;
  O.Lo = Lo;
  O.Hi = Hi;
  return O;
}

const LoopHint *loopHint(const CandidateConfig &C, const std::string &Loop) {
  auto It = C.Loops.find(Loop);
  return It == C.Loops.end() ? nullptr : &It->second;
}

} // namespace

TEST_CASE("a hot loop the cost model refused to vectorize gets width hints on that loop",
          "[expert]") {
  EvidenceDigest D;
  HotRegion Hot = loopRegion("kernel:L1", 0.8, /*Innermost=*/true, std::string("kernel:L0"), 2);
  VectorizeDecision V;
  V.Function = "kernel";
  V.Vectorized = false;
  V.Reasons = {"the cost-model indicates that vectorization is not beneficial"};
  Hot.Vectorization.push_back(V);
  D.Regions.push_back(Hot);
  D.Regions.push_back(loopRegion("cold:L0", 0.01, true));

  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 7);
  REQUIRE_FALSE(Agent.ideas().empty());
  CHECK(Agent.ideas().front().Rule == "missed-vectorization-cost");

  auto First = Agent.propose(1);
  REQUIRE(First.size() == 1);
  const LoopHint *H = loopHint(First[0], "kernel:L1");
  REQUIRE(H);
  REQUIRE(H->VectorizeWidth);
  CHECK(*H->VectorizeWidth == 4);
  CHECK(H->Vectorize == std::optional<bool>(true));
  // The candidate says which idea and which rule it comes from.
  CHECK(First[0].MetaJson.find("\"idea\":\"vec-width:kernel:L1=4\"") != std::string::npos);
  CHECK(First[0].MetaJson.find("\"rule\":\"missed-vectorization-cost\"") != std::string::npos);
  // Nothing is proposed for the cold loop (1% of the profile).
  for (const ExpertIdea &I : Agent.ideas())
    CHECK(I.Region != "cold:L0");
}

TEST_CASE("a strided affine nest gets Polly and loop interchange", "[expert]") {
  EvidenceDigest D;
  HotRegion Outer = loopRegion("mm:L0", 0.9, false);
  HotRegion Middle = loopRegion("mm:L1", 0.9, false, std::string("mm:L0"), 2);
  HotRegion Inner = loopRegion("mm:L2", 0.9, true, std::string("mm:L1"), 3);
  Inner.Loop->Accesses.ConstantStride = 1;
  Inner.Loop->Accesses.UnitStride = 1;
  D.Regions = {Outer, Middle, Inner};

  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 1);
  std::vector<std::string> Ids;
  for (const ExpertIdea &I : Agent.ideas())
    Ids.push_back(I.Id);
  CHECK(std::count(Ids.begin(), Ids.end(), "knob:polly") == 1);
  CHECK(std::count(Ids.begin(), Ids.end(), "knob:enable-loopinterchange") == 1);

  auto Proposed = Agent.propose(2);
  REQUIRE(Proposed.size() == 2);
  bool SawPolly = false, SawInterchange = false;
  for (const CandidateConfig &C : Proposed) {
    if (C.Knobs.count("polly")) {
      SawPolly = true;
      // Early, where Polly can still see the nest (docs/agents.md).
      REQUIRE(C.Knobs.count("polly-position"));
      CHECK(C.Knobs.at("polly-position") == KnobValue(std::string("early")));
    }
    SawInterchange = SawInterchange || C.Knobs.count("enable-loopinterchange");
  }
  CHECK(SawPolly);
  CHECK(SawInterchange);
}

TEST_CASE("a call that missed inlining by a margin gets a call-site hint", "[expert]") {
  EvidenceDigest D;
  HotRegion F;
  F.Kind = RegionKind::Function;
  F.Name = F.Function = "solve";
  F.Weight = 0.6;
  InlineDecision Near;
  Near.Caller = "solve";
  Near.Callee = "relax";
  Near.Inlined = false;
  Near.RemarkName = "TooCostly";
  Near.Cost = 300;
  Near.Threshold = 250;
  InlineDecision Far = Near;
  Far.Callee = "huge";
  Far.Cost = 5000;
  F.Inlining = {Near, Far};
  D.Regions.push_back(F);

  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 3);
  auto Proposed = Agent.propose(1);
  REQUIRE(Proposed.size() == 1);
  REQUIRE(Proposed[0].Calls.size() == 1);
  CHECK(Proposed[0].Calls[0].Caller == "solve");
  CHECK(Proposed[0].Calls[0].Callee == "relax");
  CHECK(Proposed[0].Calls[0].Inline == "always");
  // The far-off call (cost 20x the threshold) is left alone.
  REQUIRE_FALSE(Agent.ideas().empty());
  for (const ExpertIdea &I : Agent.ideas())
    CHECK(I.Id.find("huge") == std::string::npos);
  // A raised threshold that would admit the near call is among the ideas.
  bool Threshold = std::any_of(Agent.ideas().begin(), Agent.ideas().end(), [](const auto &I) {
    auto It = I.Delta.Knobs.find("inline-threshold");
    return It != I.Delta.Knobs.end() && std::get<int64_t>(It->second) >= 325;
  });
  CHECK(Threshold);
}

TEST_CASE("an improvement becomes the base and is refined; a regression is rolled back",
          "[expert]") {
  EvidenceDigest D;
  HotRegion A = loopRegion("f:L0", 0.5, true);
  VectorizeDecision V;
  V.Function = "f";
  V.Vectorized = false;
  V.Reasons = {"the cost-model indicates that vectorization is not beneficial"};
  A.Vectorization.push_back(V);
  HotRegion B = loopRegion("g:L0", 0.4, true);
  B.Loop->Instructions = 12; // small scalar body: unroll idea
  D.Regions = {A, B};

  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 11);

  auto Round1 = Agent.propose(1);
  REQUIRE(Round1.size() == 1);
  REQUIRE(loopHint(Round1[0], "f:L0"));
  Agent.observe({observed(Round1[0], 1.20, 1.15, 1.25)});
  CHECK(Agent.baseSpeedup() == Approx(1.20));
  REQUIRE(Agent.decisions().back().Action == "kept");

  // The next proposal builds on the kept edit and refines it first.
  auto Round2 = Agent.propose(1);
  REQUIRE(Round2.size() == 1);
  const LoopHint *H = loopHint(Round2[0], "f:L0");
  REQUIRE(H);
  REQUIRE(H->VectorizeWidth);
  CHECK(*H->VectorizeWidth == 8);
  Agent.observe({observed(Round2[0], 1.05, 1.01, 1.09)});
  CHECK(Agent.decisions().back().Action == "rolled back");
  CHECK(Agent.baseSpeedup() == Approx(1.20));

  // Later proposals keep the kept width 4 and never come back to width 8
  // (retries of an idea on its own, "@O3", leave the base aside).
  int OnBase = 0; // proposals built on the kept base, checked below
  for (int Round = 0; Round < 6; ++Round) {
    auto Next = Agent.propose(1);
    REQUIRE(Next.size() == 1);
    if (Next[0].MetaJson.find("@O3") != std::string::npos) {
      CHECK_FALSE(loopHint(Next[0], "f:L0"));
      Agent.observe({observed(Next[0], 1.0, 0.97, 1.03)});
      continue;
    }
    const LoopHint *NH = loopHint(Next[0], "f:L0");
    REQUIRE(NH);
    REQUIRE(NH->VectorizeWidth);
    CHECK(*NH->VectorizeWidth == 4);
    ++OnBase;
    Agent.observe({observed(Next[0], 1.19, 1.15, 1.23)});
  }
  CHECK(OnBase > 0);
}

TEST_CASE("a failed build is rejected with its reason and not retried", "[expert]") {
  EvidenceDigest D;
  HotRegion Outer = loopRegion("s:L0", 0.9, false);
  HotRegion Inner = loopRegion("s:L1", 0.9, true, std::string("s:L0"), 2);
  Inner.Loop->Accesses.ConstantStride = 2;
  D.Regions = {Outer, Inner};
  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 5);

  auto First = Agent.propose(1);
  REQUIRE(First.size() == 1);
  Observation Crash;
  Crash.Config = First[0];
  Crash.Kind = Observation::Outcome::Crashed;
  Crash.Reason = "opt crashed (signal 11)";
  Agent.observe({Crash});
  REQUIRE(Agent.decisions().back().Action == "rejected");
  CHECK(Agent.decisions().back().Why.find("signal 11") != std::string::npos);
  std::string Crashed = First[0].contentHash();
  for (int I = 0; I < 10; ++I) {
    auto Next = Agent.propose(1);
    REQUIRE(Next.size() == 1);
    CHECK(Next[0].contentHash() != Crashed);
  }
}

TEST_CASE("the same digest and seed give the same proposals; the identity never", "[expert]") {
  EvidenceDigest D;
  HotRegion A = loopRegion("h:L0", 0.7, true);
  A.Loop->Instructions = 10;
  D.Regions = {A};
  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent One(Space, D, 42), Two(Space, D, 42);
  for (int Round = 0; Round < 8; ++Round) {
    auto P1 = One.propose(2), P2 = Two.propose(2);
    REQUIRE_FALSE(P1.empty());
    REQUIRE(P1.size() == P2.size());
    for (size_t I = 0; I < P1.size(); ++I) {
      CHECK(P1[I].contentHash() == P2[I].contentHash());
      CHECK_FALSE(P1[I].isIdentity());
    }
    std::vector<Observation> O1, O2;
    for (size_t I = 0; I < P1.size(); ++I) {
      O1.push_back(observed(P1[I], 1.0, 0.98, 1.02));
      O2.push_back(observed(P2[I], 1.0, 0.98, 1.02));
    }
    One.observe(O1);
    Two.observe(O2);
  }
}

namespace {

/// An outer loop whose single small inner loop invites unroll-and-jam, and
/// nothing else: the one idea adds a knob (enable-unroll-and-jam) and a hint.
EvidenceDigest unrollAndJamDigest() {
  EvidenceDigest D;
  HotRegion Outer = loopRegion("s:L0", 0.9, false);
  HotRegion Inner = loopRegion("s:L1", 0.9, true, std::string("s:L0"), 2);
  Inner.Loop->Instructions = 50;      // small for unroll-and-jam, too big to unroll
  Inner.Loop->Accesses.Irregular = 1; // not affine: no Polly
  D.Regions = {Outer, Inner};
  return D;
}

/// A loop the cost model refused to vectorize: the first idea forces width 4.
EvidenceDigest refusedVectorizationDigest() {
  EvidenceDigest D;
  HotRegion A = loopRegion("f:L0", 0.5, true);
  VectorizeDecision V;
  V.Function = "f";
  V.Vectorized = false;
  V.Reasons = {"the cost-model indicates that vectorization is not beneficial"};
  A.Vectorization.push_back(V);
  D.Regions = {A};
  return D;
}

bool setsKnob(const CandidateConfig &C, const std::string &Name, const KnobValue &V) {
  auto It = C.Knobs.find(Name);
  return It != C.Knobs.end() && It->second == V;
}

bool hasUnrollAndJam2(const CandidateConfig &C, const std::string &Loop) {
  const LoopHint *H = loopHint(C, Loop);
  return H && H->UnrollAndJam && std::holds_alternative<int64_t>(*H->UnrollAndJam) &&
         std::get<int64_t>(*H->UnrollAndJam) == 2;
}

} // namespace

TEST_CASE("a regression is blamed on the edit the compile diff implicates; the other is "
          "retried alone",
          "[expert]") {
  EvidenceDigest D = unrollAndJamDigest();
  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 9);
  REQUIRE(Agent.ideas().size() == 1);

  std::vector<std::pair<std::string, bool>> Calls; // candidate hash, parent is -O3
  Agent.setCompileDiffSource([&](const CandidateConfig &C,
                                 const CandidateConfig &Parent) -> Result<CompileDiff> {
    Calls.emplace_back(C.contentHash(), Parent.isIdentity());
    // Unroll-and-jam changed a loop of another function, t, not s.
    CompileDiff Diff;
    Diff.CoveredFunctions = {"s", "t"}; // both functions have pass records
    FunctionPassDelta R;
    R.Function = "t";
    R.Pass = "LoopUnrollAndJamPass";
    R.Candidate = {"LoopUnrollAndJamPass", 1, 1, 40};
    Diff.Functions.push_back(R);
    return Diff;
  });

  auto First = Agent.propose(1);
  REQUIRE(First.size() == 1);
  REQUIRE(setsKnob(First[0], "enable-unroll-and-jam", true));
  REQUIRE(hasUnrollAndJam2(First[0], "s:L0"));
  Agent.observe({observed(First[0], 0.90, 0.88, 0.92)});

  REQUIRE(Calls.size() == 1);
  CHECK(Calls[0].first == First[0].contentHash());
  CHECK(Calls[0].second);
  const ExpertDecision &Back = Agent.decisions().back();
  CHECK(Back.Action == "rolled back");
  CHECK(Back.Why.find("knob:enable-unroll-and-jam=true: LoopUnrollAndJamPass in t: runs 0->1, "
                      "changed 0->1, instr delta 0->+40 (+40)") != std::string::npos);
  CHECK(Back.Why.find("not implicated: loop:s:L0:unroll_and_jam=2") != std::string::npos);

  // The hint the diff did not implicate is tried next, without the knob.
  auto Second = Agent.propose(1);
  REQUIRE(Second.size() == 1);
  CHECK(hasUnrollAndJam2(Second[0], "s:L0"));
  CHECK_FALSE(Second[0].Knobs.count("enable-unroll-and-jam"));
  Agent.observe({observed(Second[0], 1.0, 0.98, 1.02)});
  CHECK(Agent.decisions().back().Action == "dropped");

  // Only the knob is harmful: exploring never turns it on again.
  for (int Round = 0; Round < 12; ++Round) {
    auto Next = Agent.propose(1);
    REQUIRE(Next.size() == 1);
    CHECK_FALSE(setsKnob(Next[0], "enable-unroll-and-jam", true));
    Agent.observe({observed(Next[0], 1.0, 0.98, 1.02)});
  }
  CHECK(Calls.size() == 1); // no diff is asked for a result within noise
}

TEST_CASE("a hint LLVM did not perform is a no-op even when measured faster", "[expert]") {
  EvidenceDigest D = refusedVectorizationDigest();
  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 4);

  TransformWarning W;
  W.Function = "f";
  W.Loop = "f:L0";
  W.Transformation = "vectorize";
  W.Message = "loop not vectorized: the optimizer was unable to perform the requested "
              "transformation; the transformation might be disabled or specified as part "
              "of an unsupported transformation ordering";
  bool CodeChanged = false;
  Agent.setCompileDiffSource(
      [&](const CandidateConfig &, const CandidateConfig &) -> Result<CompileDiff> {
        CompileDiff Diff;
        Diff.Warnings.push_back(W);
        if (CodeChanged) {
          FunctionPassDelta R;
          R.Function = "f";
          R.Pass = "InstCombinePass";
          R.Parent = {"InstCombinePass", 3, 1, -4};
          R.Candidate = {"InstCombinePass", 3, 2, -9};
          Diff.Functions.push_back(R);
        }
        return Diff;
      });

  SECTION("no code changed: dropped, not adopted, not refined") {
    auto First = Agent.propose(1);
    REQUIRE(First.size() == 1);
    const LoopHint *H = loopHint(First[0], "f:L0");
    REQUIRE(H);
    REQUIRE(H->VectorizeWidth == std::optional<int64_t>(4));
    Agent.observe({observed(First[0], 1.10, 1.05, 1.15)});
    const ExpertDecision &Back = Agent.decisions().back();
    CHECK(Back.Action == "dropped");
    CHECK(Back.Why.find("no-op") == 0);
    CHECK(Back.Why.find("loop not vectorized: the optimizer was unable to perform the "
                        "requested transformation") != std::string::npos);
    CHECK(Back.Why.find("code-layout effect") != std::string::npos);
    CHECK(Agent.baseSpeedup() == Approx(1.0));
    CHECK(Agent.base() == SearchPoint());
    REQUIRE_FALSE(Agent.ideas().empty());
    for (const ExpertIdea &I : Agent.ideas())
      CHECK(I.Rule != "refine");
    // The next idea is tried on -O3, not on top of the no-op width 4.
    auto Second = Agent.propose(1);
    REQUIRE(Second.size() == 1);
    const LoopHint *H2 = loopHint(Second[0], "f:L0");
    REQUIRE(H2);
    CHECK(H2->VectorizeWidth == std::optional<int64_t>(8));
  }

  SECTION("LLVM warned but the function's code changed: kept") {
    CodeChanged = true;
    auto First = Agent.propose(1);
    REQUIRE(First.size() == 1);
    Agent.observe({observed(First[0], 1.10, 1.05, 1.15)});
    const ExpertDecision &Back = Agent.decisions().back();
    CHECK(Back.Action == "kept");
    CHECK(Back.Why.find("but passes changed the instructions of f") != std::string::npos);
    CHECK(Agent.baseSpeedup() == Approx(1.10));
  }
}

TEST_CASE("without a compile diff the expert rolls back every edit and keeps gains",
          "[expert]") {
  SECTION("regression: every edit is harmful, nothing is retried") {
    EvidenceDigest D = unrollAndJamDigest();
    SearchSpace Space(catalog(), optionsFor(D));
    ExpertAgent Agent(Space, D, 9);
    Agent.setCompileDiffSource([](const CandidateConfig &, const CandidateConfig &)
                                   -> Result<CompileDiff> { return makeError("opt crashed"); });
    auto First = Agent.propose(1);
    REQUIRE(First.size() == 1);
    Agent.observe({observed(First[0], 0.90, 0.88, 0.92)});
    const ExpertDecision &Back = Agent.decisions().back();
    CHECK(Back.Action == "rolled back");
    CHECK(Back.Why.find("no compile diff (opt crashed)") != std::string::npos);
    CHECK(Back.Why.find("retried") == std::string::npos);
    for (int Round = 0; Round < 12; ++Round) {
      auto Next = Agent.propose(1);
      REQUIRE(Next.size() == 1);
      CHECK_FALSE(setsKnob(Next[0], "enable-unroll-and-jam", true));
      CHECK_FALSE(hasUnrollAndJam2(Next[0], "s:L0"));
      Agent.observe({observed(Next[0], 1.0, 0.98, 1.02)});
    }
  }

  SECTION("gain: adopted, the hints unchecked") {
    EvidenceDigest D = refusedVectorizationDigest();
    SearchSpace Space(catalog(), optionsFor(D));
    ExpertAgent Agent(Space, D, 4);
    Agent.setCompileDiffSource([](const CandidateConfig &, const CandidateConfig &)
                                   -> Result<CompileDiff> { return makeError("no plugin"); });
    auto First = Agent.propose(1);
    REQUIRE(First.size() == 1);
    Agent.observe({observed(First[0], 1.10, 1.05, 1.15)});
    CHECK(Agent.decisions().back().Action == "kept");
    CHECK(Agent.decisions().back().Why.find("not checked (no compile diff: no plugin)") !=
          std::string::npos);
    CHECK(Agent.baseSpeedup() == Approx(1.10));
  }
}

TEST_CASE("a hot floating-point reduction -O3 would not reorder gets a vectorize hint",
          "[expert]") {
  EvidenceDigest D;
  HotRegion Hot = loopRegion("accel:L1", 0.9, /*Innermost=*/true, std::string("accel:L0"), 2);
  VectorizeDecision V;
  V.Function = "accel";
  V.Vectorized = false;
  V.Reasons = {"cannot prove it is safe to reorder floating-point operations"};
  Hot.Vectorization.push_back(V);
  D.Regions = {loopRegion("accel:L0", 0.9, false), Hot};

  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 3);
  std::vector<std::string> Rules;
  for (const ExpertIdea &I : Agent.ideas())
    Rules.push_back(I.Rule);
  CHECK(std::count(Rules.begin(), Rules.end(), "missed-vectorization-fp-order") == 1);
  CHECK(std::count(Rules.begin(), Rules.end(), "missed-vectorization-fp-order-wide") == 1);

  auto First = Agent.propose(1);
  REQUIRE(First.size() == 1);
  const LoopHint *H = loopHint(First[0], "accel:L1");
  REQUIRE(H);
  CHECK(H->Vectorize == std::optional<bool>(true));
  REQUIRE(H->VectorizeWidth);
  CHECK(*H->VectorizeWidth == 2);
}

TEST_CASE("a promising but inconclusive measurement is pushed further, not adopted",
          "[expert]") {
  EvidenceDigest D = refusedVectorizationDigest();
  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 5);
  auto Round1 = Agent.propose(1);
  REQUIRE(Round1.size() == 1);
  const LoopHint *H = loopHint(Round1[0], "f:L0");
  REQUIRE(H);
  REQUIRE(H->VectorizeWidth);
  REQUIRE(*H->VectorizeWidth == 4);

  SECTION("promising: median 6% above, interval straddling 1") {
    Agent.observe({observed(Round1[0], 1.06, 0.98, 1.14)});
    CHECK(Agent.decisions().back().Action == "inconclusive");
    CHECK(Agent.baseSpeedup() == Approx(1.0)); // not adopted
    auto Round2 = Agent.propose(1);
    REQUIRE(Round2.size() == 1);
    const LoopHint *Next = loopHint(Round2[0], "f:L0");
    REQUIRE(Next);
    REQUIRE(Next->VectorizeWidth);
    CHECK(*Next->VectorizeWidth == 8);
  }
  SECTION("flat: median within noise of the base is dropped") {
    Agent.observe({observed(Round1[0], 1.01, 0.97, 1.05)});
    CHECK(Agent.decisions().back().Action == "dropped");
    REQUIRE_FALSE(Agent.ideas().empty());
    for (const ExpertIdea &I : Agent.ideas())
      CHECK(I.Rule != "refine");
  }
  SECTION("promising ideas are refined too: the refinement is tried as a new idea") {
    Agent.observe({observed(Round1[0], 1.06, 0.98, 1.14)});
    bool Refined = false;
    for (const ExpertIdea &I : Agent.ideas())
      Refined = Refined || (I.Rule == "refine" && I.Id.find("vec-width:f:L0=4") == 0);
    CHECK(Refined);
  }
}

TEST_CASE("an idea that does not help on top of earlier edits is retried on its own",
          "[expert]") {
  // Two ideas from the -O3 evidence: a forced width on the refused inner
  // loop (higher priority) and unroll-and-jam of the outer loop.
  EvidenceDigest D;
  HotRegion Outer = loopRegion("mm:L0", 0.9, false);
  HotRegion Inner = loopRegion("mm:L1", 0.9, true, std::string("mm:L0"), 2);
  Inner.Loop->Instructions = 30;
  Inner.Loop->Accesses.Irregular = 1; // not affine: no Polly
  VectorizeDecision V;
  V.Function = "mm";
  V.Vectorized = false;
  V.Reasons = {"the cost-model indicates that vectorization is not beneficial"};
  Inner.Vectorization.push_back(V);
  D.Regions = {Outer, Inner};
  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 9);

  // Every proposal until unroll-and-jam shows up: the width hint is kept,
  // everything else measures like the base.
  std::optional<CandidateConfig> Jammed;
  for (int Round = 0; Round < 8 && !Jammed; ++Round) {
    auto Got = Agent.propose(1);
    REQUIRE(Got.size() == 1);
    const LoopHint *Outer0 = loopHint(Got[0], "mm:L0");
    if (Outer0 && Outer0->UnrollAndJam) {
      Jammed = Got[0];
      break;
    }
    const LoopHint *H = loopHint(Got[0], "mm:L1");
    bool Width4 = H && H->VectorizeWidth && *H->VectorizeWidth == 4 && !H->InterleaveCount;
    if (Width4 && Agent.baseSpeedup() == Approx(1.0))
      Agent.observe({observed(Got[0], 1.20, 1.15, 1.25)});
    else
      Agent.observe({observed(Got[0], Agent.baseSpeedup(), Agent.baseSpeedup() - 0.04,
                              Agent.baseSpeedup() + 0.04)});
  }
  REQUIRE(Jammed);
  REQUIRE(Agent.baseSpeedup() == Approx(1.20));
  // On top of the width hint, unroll-and-jam does nothing measurable...
  REQUIRE(loopHint(*Jammed, "mm:L1"));
  Agent.observe({observed(*Jammed, 1.21, 1.16, 1.26)});
  CHECK(Agent.decisions().back().Action == "dropped");

  // ...so it is tried next on its own, without the width hint.
  auto Alone = Agent.propose(1);
  REQUIRE(Alone.size() == 1);
  const LoopHint *A0 = loopHint(Alone[0], "mm:L0");
  REQUIRE(A0);
  CHECK(A0->UnrollAndJam);
  const LoopHint *A1 = loopHint(Alone[0], "mm:L1");
  CHECK_FALSE((A1 && A1->VectorizeWidth));

  SECTION("alone it beats the base: it becomes the base and is refined") {
    Agent.observe({observed(Alone[0], 1.80, 1.72, 1.86)});
    CHECK(Agent.decisions().back().Action == "kept");
    CHECK(Agent.baseSpeedup() == Approx(1.80));
    auto Next = Agent.propose(1);
    REQUIRE(Next.size() == 1);
    const LoopHint *N0 = loopHint(Next[0], "mm:L0");
    REQUIRE(N0);
    REQUIRE(N0->UnrollAndJam);
    CHECK(std::get<int64_t>(*N0->UnrollAndJam) == 4);
  }
  SECTION("alone it is worse than the base: dropped, the base stays, nothing rolled back") {
    Agent.observe({observed(Alone[0], 1.10, 1.05, 1.15)});
    CHECK(Agent.decisions().back().Action == "dropped");
    CHECK(Agent.baseSpeedup() == Approx(1.20));
  }
}

TEST_CASE("a proposal's meta names its idea as valid JSON whatever the region's name",
          "[expert]") {
  // Loop names come from the program (an IR function may be called anything):
  // a quote, a backslash and a control character must not break the meta.
  const std::string Name = std::string("k\"e\\y") + '\x01' + ":L0";
  EvidenceDigest D;
  HotRegion Hot = loopRegion(Name, 0.8, /*Innermost=*/true);
  VectorizeDecision V;
  V.Function = Hot.Function;
  V.Vectorized = false;
  V.Reasons = {"the cost-model indicates that vectorization is not beneficial"};
  Hot.Vectorization.push_back(V);
  D.Regions.push_back(Hot);

  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 7);
  auto First = Agent.propose(1);
  REQUIRE(First.size() == 1);
  REQUIRE(loopHint(First[0], Name));

  rapidjson::Document Meta;
  Meta.Parse(First[0].MetaJson.c_str());
  REQUIRE_FALSE(Meta.HasParseError());
  REQUIRE(Meta.IsObject());
  REQUIRE(Meta.HasMember("idea"));
  REQUIRE(Meta["idea"].IsString());
  CHECK(std::string(Meta["idea"].GetString()) == "vec-width:" + Name + "=4");
  CHECK(std::string(Meta["origin"].GetString()) == "expert");
  // The config file carries the meta (an invalid one would be dropped).
  rapidjson::Document File;
  File.Parse(First[0].toJson().c_str());
  REQUIRE_FALSE(File.HasParseError());
  REQUIRE(File.HasMember("meta"));
  CHECK(std::string(File["meta"]["idea"].GetString()) == "vec-width:" + Name + "=4");
}

TEST_CASE("a proposal carries the adopted steps it builds on, so its gain can be traced",
          "[expert][gain]") {
  EvidenceDigest D = refusedVectorizationDigest();
  SearchSpace Space(catalog(), optionsFor(D));
  ExpertAgent Agent(Space, D, 11);
  auto Round1 = Agent.propose(1);
  REQUIRE(Round1.size() == 1);
  // The first step builds on -O3: no lineage, parent ratio 1.
  auto First = gainOrigin(Round1[0].MetaJson, "expert", 1.20);
  REQUIRE(First);
  REQUIRE(First->Steps.size() == 1);
  CHECK(First->Steps[0].From == Approx(1.0));
  CHECK(First->Steps[0].Rule == "missed-vectorization-cost");
  CHECK(First->Evidence == Approx(1.0));

  Agent.observe({observed(Round1[0], 1.20, 1.15, 1.25)});
  REQUIRE(Agent.decisions().back().Action == "kept");
  auto Round2 = Agent.propose(1);
  REQUIRE(Round2.size() == 1);
  // Its own step (measured at 1.32 here) follows the adopted one.
  auto Second = gainOrigin(Round2[0].MetaJson, "expert", 1.32);
  REQUIRE(Second);
  REQUIRE(Second->Steps.size() == 2);
  CHECK(Second->Steps[0].Rule == "missed-vectorization-cost");
  CHECK(Second->Steps[0].Idea == "vec-width:f:L0=4");
  CHECK(Second->Steps[0].From == Approx(1.0));
  CHECK(Second->Steps[0].To == Approx(1.20));
  CHECK(Second->Steps[1].From == Approx(1.20));
  CHECK(Second->Steps[1].To == Approx(1.32));
  CHECK(Second->Steps[1].Rule == "refine");
  CHECK(Second->Evidence == Approx(1.0));
}
