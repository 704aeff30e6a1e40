//===- agents/ExpertAgent.cpp - The offline expert agent ------------------===//
//
// The agent: ideas from the rule table (ExpertRules.hpp), tried on top of
// the best configuration so far, kept, refined or rolled back.
//
//===----------------------------------------------------------------------===//

#include "agents/ExpertAgent.hpp"

#include "agents/ExpertRules.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <set>
#include <sstream>

namespace autopass {

namespace {

std::string ratioText(double R) {
  std::ostringstream S;
  S.setf(std::ios::fixed);
  S.precision(3);
  S << R;
  return S.str();
}

void mergeLoopHint(LoopHint &Into, const LoopHint &From) {
  if (From.Unroll)
    Into.Unroll = From.Unroll;
  if (From.Vectorize)
    Into.Vectorize = From.Vectorize;
  if (From.VectorizeWidth)
    Into.VectorizeWidth = From.VectorizeWidth;
  if (From.InterleaveCount)
    Into.InterleaveCount = From.InterleaveCount;
  if (From.Distribute)
    Into.Distribute = From.Distribute;
  if (From.UnrollAndJam)
    Into.UnrollAndJam = From.UnrollAndJam;
}

void mergeFunctionHint(FunctionHint &Into, const FunctionHint &From) {
  if (From.Inline)
    Into.Inline = From.Inline;
  if (From.Size)
    Into.Size = From.Size;
}

} // namespace

ExpertAgent::ExpertAgent(const SearchSpace &Space, EvidenceDigest Digest, uint64_t Seed,
                         ExpertOptions Options)
    : Space(Space), Digest(std::move(Digest)), Options(Options), Random(Seed) {
  deriveIdeas();
}

SearchPoint ExpertAgent::merge(const SearchPoint &Base, const SearchPoint &Delta) {
  SearchPoint P = Base;
  for (const auto &[Name, V] : Delta.Knobs)
    P.Knobs[Name] = V;
  P.Edits.insert(Delta.Edits.begin(), Delta.Edits.end());
  for (const auto &[Name, H] : Delta.Loops)
    mergeLoopHint(P.Loops[Name], H);
  for (const auto &[Name, H] : Delta.Functions)
    mergeFunctionHint(P.Functions[Name], H);
  for (const CallHint &C : Delta.Calls) {
    auto Same = [&](const CallHint &O) {
      return O.Caller == C.Caller && O.Callee == C.Callee && O.Index == C.Index;
    };
    auto It = std::find_if(P.Calls.begin(), P.Calls.end(), Same);
    if (It != P.Calls.end())
      *It = C;
    else
      P.Calls.push_back(C);
  }
  return P;
}

void ExpertAgent::addIdea(ExpertIdea Idea) {
  // Knob values outside the active catalog (dropped because the installed
  // LLVM lacks them, or out of domain) are never proposed.
  for (const auto &[Name, V] : Idea.Delta.Knobs)
    if (!Space.catalog().validate(Name, V).ok())
      return;
  for (const ExpertIdea &Existing : Ideas)
    if (Existing.Id == Idea.Id)
      return;
  Ideas.push_back(std::move(Idea));
}

void ExpertAgent::deriveIdeas() {
  std::vector<const ExpertRule *> Rules;
  for (const ExpertRule &R : expertRules())
    Rules.push_back(&R);
  RuleOptions RO;
  RO.MinWeight = Options.MinWeight;
  RO.MaxRegions = Options.MaxRegions;
  for (RuleIdea &R : deriveRuleIdeas(Digest, Rules, RO)) {
    ExpertIdea I;
    I.Id = std::move(R.Edit.Id);
    I.Rule = std::move(R.Rule);
    I.Region = std::move(R.Region);
    I.Rationale = std::move(R.Rationale);
    I.Priority = R.Priority;
    I.Delta = std::move(R.Edit.Delta);
    addIdea(std::move(I));
  }
  std::stable_sort(Ideas.begin(), Ideas.end(), [](const ExpertIdea &A, const ExpertIdea &B) {
    return A.Priority > B.Priority;
  });
}

void ExpertAgent::addRefinements(const ExpertIdea &KeptIdea) {
  // Having seen an edit help, try the next value along the same direction.
  std::vector<ExpertIdea> More;
  for (const auto &[Loop, H] : KeptIdea.Delta.Loops) {
    auto refine = [&, &Loop = Loop](const char *Field, LoopHint Next, int64_t Value) {
      ExpertIdea I;
      I.Id = KeptIdea.Id + "/" + Field + "=" + std::to_string(Value);
      I.Rule = "refine";
      I.Region = Loop;
      I.Rationale = "refining " + KeptIdea.Id + " (it helped or looked promising): " + Field + " " +
                    std::to_string(Value);
      I.Priority = KeptIdea.Priority;
      I.Delta.Loops[Loop] = Next;
      More.push_back(std::move(I));
    };
    if (H.VectorizeWidth && *H.VectorizeWidth < 16) {
      LoopHint N = H;
      N.VectorizeWidth = *H.VectorizeWidth * 2;
      refine("vectorize_width", N, *N.VectorizeWidth);
    }
    if (H.InterleaveCount && *H.InterleaveCount < 8) {
      LoopHint N = H;
      N.InterleaveCount = *H.InterleaveCount * 2;
      refine("interleave_count", N, *N.InterleaveCount);
    }
    if (H.Unroll && std::holds_alternative<int64_t>(*H.Unroll) &&
        std::get<int64_t>(*H.Unroll) < 16) {
      LoopHint N = H;
      N.Unroll = std::get<int64_t>(*H.Unroll) * 2;
      refine("unroll", N, std::get<int64_t>(*N.Unroll));
    }
    if (H.UnrollAndJam && std::holds_alternative<int64_t>(*H.UnrollAndJam) &&
        std::get<int64_t>(*H.UnrollAndJam) < 8) {
      LoopHint N = H;
      N.UnrollAndJam = std::get<int64_t>(*H.UnrollAndJam) * 2;
      refine("unroll_and_jam", N, std::get<int64_t>(*N.UnrollAndJam));
    }
  }
  for (const auto &[Name, V] : KeptIdea.Delta.Knobs) {
    const KnobSpec *K = Space.catalog().find(Name);
    if (!K || K->Type != KnobType::Int || !std::holds_alternative<int64_t>(V))
      continue;
    int64_t Next = std::get<int64_t>(V) * 2;
    if (Next > K->MaxInt)
      continue;
    ExpertIdea I;
    I.Id = KeptIdea.Id + "/" + Name + "=" + std::to_string(Next);
    I.Rule = "refine";
    I.Region = KeptIdea.Region;
    I.Rationale = "refining " + KeptIdea.Id + " (it helped or looked promising): " + Name + " " +
                  std::to_string(Next);
    I.Priority = KeptIdea.Priority;
    I.Delta.Knobs[Name] = Next;
    More.push_back(std::move(I));
  }
  // Refinements go first among the ideas not yet tried.
  size_t At = NextIdea;
  for (ExpertIdea &I : More) {
    bool Known = std::any_of(Ideas.begin(), Ideas.end(),
                             [&](const ExpertIdea &E) { return E.Id == I.Id; });
    if (Known)
      continue;
    bool ValidKnobs = true;
    for (const auto &[Name, V] : I.Delta.Knobs)
      ValidKnobs = ValidKnobs && Space.catalog().validate(Name, V).ok();
    if (!ValidKnobs)
      continue;
    Ideas.insert(Ideas.begin() + static_cast<std::ptrdiff_t>(At++), std::move(I));
  }
}

bool ExpertAgent::repeatsRegression(const SearchPoint &P) const {
  if (HarmfulAtoms.empty())
    return false;
  std::set<std::string> BaseAtoms = Space.atoms(Base);
  for (const std::string &A : Space.atoms(P))
    if (!BaseAtoms.count(A) && HarmfulAtoms.count(A))
      return true;
  return false;
}

std::optional<CandidateConfig> ExpertAgent::admit(const SearchPoint &P,
                                                  const std::string &IdeaId, bool OnOwn) {
  SearchPoint Normal = Space.normalize(P);
  SearchPoint Parent = OnOwn ? SearchPoint() : Base;
  if (!OnOwn && repeatsRegression(Normal))
    return std::nullopt;
  std::optional<CandidateConfig> C = History.admit(Space, Normal, &Parent);
  if (!C)
    return std::nullopt;
  // The rule behind the step, so a run can tell evidence from exploration.
  auto Idea = std::find_if(Ideas.begin(), Ideas.end(),
                           [&](const ExpertIdea &E) { return E.Id == IdeaId; });
  std::string Rule = Idea != Ideas.end() ? Idea->Rule : std::string("explore");
  std::vector<GainStep> Lineage = OnOwn ? std::vector<GainStep>() : BaseLineage;
  // Idea ids embed loop and function names from the evidence: any text.
  JsonOut Meta;
  Meta.beginObject()
      .field("origin", "expert")
      .field("idea", IdeaId)
      .field("rule", Rule)
      .field("parent_speedup", OnOwn ? 1.0 : BaseSpeedup);
  writeLineage(Meta, Lineage);
  Meta.endObject();
  C->MetaJson = Meta.str();
  InFlight[C->contentHash()] =
      Pending{IdeaId, Normal, Parent, BaseSpeedup, OnOwn, Rule, std::move(Lineage)};
  return C;
}

void ExpertAgent::retryOnOwn(const std::string &IdeaId, const SearchPoint &TriedOn) {
  if (Space.atoms(TriedOn).empty())
    return; // it was tried on -O3 already
  auto Idea = std::find_if(Ideas.begin(), Ideas.end(),
                           [&](const ExpertIdea &E) { return E.Id == IdeaId; });
  if (Idea == Ideas.end() || Idea->OnOwn || Idea->Rule == "refine" || Idea->Rule == "explore")
    return;
  ExpertIdea Alone = *Idea;
  Alone.Id += "@O3";
  Alone.OnOwn = true;
  Alone.Rationale += " (retried on its own: it did not help on top of the earlier edits)";
  bool Known = std::any_of(Ideas.begin(), Ideas.end(),
                           [&](const ExpertIdea &E) { return E.Id == Alone.Id; });
  if (!Known)
    Ideas.insert(Ideas.begin() + static_cast<std::ptrdiff_t>(NextIdea), std::move(Alone));
}

std::vector<CandidateConfig> ExpertAgent::propose(size_t Count) {
  std::vector<CandidateConfig> Out;
  while (Out.size() < Count && NextIdea < Ideas.size()) {
    const ExpertIdea &I = Ideas[NextIdea++];
    if (Rejected.count(I.Id))
      continue;
    if (auto C = admit(merge(I.OnOwn ? SearchPoint() : Base, I.Delta), I.Id, I.OnOwn))
      Out.push_back(std::move(*C));
  }
  // The evidence is used up: explore around the base, one change at a time.
  size_t Attempts = 0;
  while (Out.size() < Count && Attempts++ < 64 * Count) {
    SearchPoint P = Space.mutate(Base, Random);
    std::string Id = "explore";
    for (const std::string &A : Space.atoms(P))
      if (!Space.atoms(Base).count(A)) {
        Id += ":" + A;
        break;
      }
    if (Rejected.count(Id))
      continue;
    if (auto C = admit(P, Id))
      Out.push_back(std::move(*C));
  }
  return Out;
}

void ExpertAgent::observe(const std::vector<Observation> &Results) {
  for (const Observation &O : Results) {
    std::string Hash = O.Config.contentHash();
    History.markSeen(Hash);
    auto It = InFlight.find(Hash);
    if (It == InFlight.end()) {
      // Another strategy's result: adopt it only when it clearly beats the
      // base, exactly as our own.
      if (O.ok() && O.Lo > std::max(1.0, BaseSpeedup) &&
          O.Speedup > BaseSpeedup * (1 + Options.AdoptMargin)) {
        Base = Space.fromConfig(O.Config);
        BaseSpeedup = O.Speedup;
        auto Origin = gainOrigin(O.Config.MetaJson, "", O.Speedup);
        BaseLineage = Origin ? Origin->Steps
                             : std::vector<GainStep>{{"external", O.Config.shortHash(), 1.0,
                                                      O.Speedup}};
        Decisions.push_back({"external:" + O.Config.shortHash(), "kept",
                             "ratio " + ratioText(O.Speedup) + " [" + ratioText(O.Lo) + ", " +
                                 ratioText(O.Hi) + "]"});
      }
      continue;
    }
    Pending P = It->second;
    InFlight.erase(It);

    if (!O.ok()) {
      History.recordFailure(Space, O.Config, O.Reason, &Base);
      Rejected[P.IdeaId] = std::string(outcomeName(O.Kind)) + ": " + O.Reason;
      Decisions.push_back({P.IdeaId, "rejected", Rejected[P.IdeaId]});
      continue;
    }

    std::string Measured =
        "ratio " + ratioText(O.Speedup) + " [" + ratioText(O.Lo) + ", " + ratioText(O.Hi) + "]";
    bool BaseMoved = !P.OnOwn && P.BaseSpeedupAtProposal != BaseSpeedup;
    bool Better = O.Lo > std::max(1.0, BaseSpeedup) &&
                  O.Speedup > BaseSpeedup * (1 + Options.AdoptMargin);
    if (Better && BaseMoved) {
      // Measured against an older base: retry the idea on the current one
      // rather than dropping what was adopted meanwhile.
      auto Idea = std::find_if(Ideas.begin(), Ideas.end(),
                               [&](const ExpertIdea &E) { return E.Id == P.IdeaId; });
      if (Idea != Ideas.end()) {
        ExpertIdea Again = *Idea;
        Again.Id += "+rebased";
        Decisions.push_back({P.IdeaId, "rebased", Measured + " on an older base"});
        Ideas.insert(Ideas.begin() + static_cast<std::ptrdiff_t>(NextIdea), std::move(Again));
        continue;
      }
    }
    if (Better) {
      std::string Checked;
      if (std::optional<std::string> NoOp = unperformedHints(P, O.Config, Checked)) {
        Rejected[P.IdeaId] = "no-op: " + *NoOp + "; the measured " + Measured +
                             " is a code-layout effect, not the hints'";
        Decisions.push_back({P.IdeaId, "dropped", Rejected[P.IdeaId]});
        continue;
      }
      Base = P.Point;
      BaseSpeedup = O.Speedup;
      BaseLineage = P.Lineage;
      BaseLineage.push_back(
          {P.Rule, P.IdeaId, P.OnOwn ? 1.0 : P.BaseSpeedupAtProposal, O.Speedup});
      Kept.push_back(P.IdeaId);
      Decisions.push_back({P.IdeaId, "kept", Measured + Checked});
      auto Idea = std::find_if(Ideas.begin(), Ideas.end(),
                               [&](const ExpertIdea &E) { return E.Id == P.IdeaId; });
      if (Idea != Ideas.end())
        addRefinements(ExpertIdea(*Idea));
      continue;
    }
    if (P.OnOwn) {
      // Alone it does not beat the base: nothing was combined, nothing to
      // roll back.
      Rejected[P.IdeaId] = "on its own " + Measured + ", not above the base's " +
                           ratioText(BaseSpeedup);
      Decisions.push_back({P.IdeaId, "dropped", Rejected[P.IdeaId]});
      continue;
    }
    if (O.Hi < BaseSpeedup) {
      rollBack(P, O.Config, Measured);
      retryOnOwn(P.IdeaId, P.Parent);
      continue;
    }
    Rejected[P.IdeaId] = "no measurable effect: " + Measured;
    if (O.Speedup > BaseSpeedup * (1 + Options.PromisingMargin) && O.Lo > BaseSpeedup * 0.9) {
      // Inconclusive but promising (the median well above the base, the
      // interval straddling it): push the same edit further, as an engineer
      // would, rather than drop the direction on one noisy measurement.
      auto Idea = std::find_if(Ideas.begin(), Ideas.end(),
                               [&](const ExpertIdea &E) { return E.Id == P.IdeaId; });
      if (Idea != Ideas.end()) {
        Decisions.push_back({P.IdeaId, "inconclusive",
                             Measured + ": promising but not significant; trying it further"});
        addRefinements(ExpertIdea(*Idea));
        continue;
      }
    }
    Decisions.push_back({P.IdeaId, "dropped", Rejected[P.IdeaId]});
    retryOnOwn(P.IdeaId, P.Parent);
  }
}

std::string ExpertAgent::startNote() const {
  return "the expert derived " + std::to_string(Ideas.size()) + " ideas from the evidence";
}

std::vector<StrategyDecision> ExpertAgent::decisionLog() const {
  std::vector<StrategyDecision> Out;
  Out.reserve(Decisions.size());
  for (const ExpertDecision &D : Decisions)
    Out.push_back({"idea", D.IdeaId, D.Action, D.Why});
  return Out;
}

Result<std::unique_ptr<Strategy>> makeExpertStrategy(const StrategyContext &Context) {
  auto Agent = std::make_unique<ExpertAgent>(
      Context.Space, Context.Digest ? *Context.Digest : EvidenceDigest(), Context.Seed);
  Agent->setCompileDiffSource(Context.DiffSource);
  return std::unique_ptr<Strategy>(std::move(Agent));
}

} // namespace autopass
