//===- agents/ExpertAgent.cpp - The offline expert agent ------------------===//
//
// Rules, from evidence to ideas. Each rule states what it looks at, why the
// edit it proposes can pay off, and how confident a performance engineer
// would be (the factor multiplied with the region's weight).
//
//===----------------------------------------------------------------------===//

#include "agents/ExpertAgent.hpp"

#include "util/Strings.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>

namespace autopass {

namespace {

std::string percent(double W) {
  std::ostringstream S;
  S.precision(3);
  S << W * 100 << "%";
  return S.str();
}

std::string ratioText(double R) {
  std::ostringstream S;
  S.setf(std::ios::fixed);
  S.precision(3);
  S << R;
  return S.str();
}

bool anyReasonContains(const VectorizeDecision &V, std::initializer_list<const char *> Needles) {
  for (const std::string &Reason : V.Reasons)
    for (const char *N : Needles)
      if (Reason.find(N) != std::string::npos)
        return true;
  return false;
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

/// The weight used for ranking: the profile's, or an even share when the
/// digest has no profile (every region then counts the same).
double weightOf(const HotRegion &R, size_t RegionCount) {
  if (R.Weight)
    return *R.Weight;
  return RegionCount ? 1.0 / static_cast<double>(RegionCount) : 0.0;
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
  // All loops the digest knows, for walking nests.
  std::map<std::string, const LoopFeatures *> LoopsByName;
  for (const HotRegion &R : Digest.Regions)
    if (R.Kind == RegionKind::Loop && R.Loop)
      LoopsByName[R.Loop->Name] = &*R.Loop;
  auto childrenOf = [&](const std::string &Name) {
    std::vector<const LoopFeatures *> Out;
    for (const auto &[N, L] : LoopsByName)
      if (L->Parent && *L->Parent == Name)
        Out.push_back(L);
    return Out;
  };
  // Strided or irregular accesses anywhere in a nest.
  std::function<void(const LoopFeatures &, MemoryAccesses &, int64_t &)> nestStats =
      [&](const LoopFeatures &L, MemoryAccesses &Acc, int64_t &MaxDepth) {
        Acc.ConstantStride += L.Accesses.ConstantStride;
        Acc.Irregular += L.Accesses.Irregular;
        Acc.UnitStride += L.Accesses.UnitStride;
        MaxDepth = std::max(MaxDepth, L.Depth);
        for (const LoopFeatures *C : childrenOf(L.Name))
          nestStats(*C, Acc, MaxDepth);
      };

  size_t Considered = 0;
  const size_t RegionCount = Digest.Regions.size();
  for (const HotRegion &R : Digest.Regions) {
    double W = weightOf(R, RegionCount);
    if (R.Weight && W < Options.MinWeight)
      continue;
    if (Considered++ >= Options.MaxRegions)
      break;

    if (R.Kind == RegionKind::Loop && R.Loop) {
      const LoopFeatures &L = *R.Loop;
      const std::string &Name = L.Name;
      const VectorizeDecision *V = R.Vectorization.empty() ? nullptr : &R.Vectorization.front();
      bool Vectorized = V && V->Vectorized;
      std::string Where = Name + " (" + percent(W) + " of the profile)";

      auto loopIdea = [&](std::string Id, std::string Rule, std::string Why, double Confidence,
                          LoopHint H) {
        ExpertIdea I;
        I.Id = std::move(Id);
        I.Rule = std::move(Rule);
        I.Region = Name;
        I.Rationale = Where + ": " + std::move(Why);
        I.Priority = W * Confidence;
        I.Delta.Loops[Name] = H;
        addIdea(std::move(I));
      };

      if (L.Innermost) {
        if (V && !Vectorized &&
            anyReasonContains(*V, {"not beneficial", "cost-model", "cost model"})) {
          LoopHint H4;
          H4.Vectorize = true;
          H4.VectorizeWidth = 4;
          loopIdea("vec-width:" + Name + "=4", "missed-vectorization-cost",
                   "the loop vectorizer's cost model refused this loop; a forced width "
                   "lets the measurement decide",
                   0.9, H4);
          LoopHint H8;
          H8.Vectorize = true;
          H8.VectorizeWidth = 8;
          H8.InterleaveCount = 2;
          loopIdea("vec-width:" + Name + "=8x2", "missed-vectorization-cost",
                   "cost model refused vectorization; try a wider vector with interleaving", 0.7,
                   H8);
        }
        if (V && !Vectorized && anyReasonContains(*V, {"reorder floating-point"})) {
          // A floating-point reduction: -O3 keeps the source's order of the
          // additions. A vectorize hint on the loop lets the vectorizer
          // reassociate it (as `#pragma clang loop vectorize(enable)` does);
          // the program's output check decides whether the rounding
          // differences are acceptable.
          LoopHint H2;
          H2.Vectorize = true;
          H2.VectorizeWidth = 2;
          loopIdea("vec-fp-reorder:" + Name + "=2", "missed-vectorization-fp-order",
                   "vectorization needs the floating-point operations reordered, which -O3 "
                   "does not allow; a vectorize hint on this loop allows it (the output check "
                   "judges the rounding)",
                   0.85, H2);
          LoopHint H4 = H2;
          H4.VectorizeWidth = 4;
          loopIdea("vec-fp-reorder:" + Name + "=4", "missed-vectorization-fp-order",
                   "reordered floating-point vectorization at width 4", 0.6, H4);
        }
        if (V && !Vectorized && anyReasonContains(*V, {"unsafe dependent", "dependence"})) {
          LoopHint H;
          H.Distribute = true;
          loopIdea("distribute:" + Name, "missed-vectorization-dependence",
                   "vectorization failed on a memory dependence; distributing the loop can "
                   "isolate the dependent part so the rest vectorizes",
                   0.5, H);
        }
        if (V && !Vectorized &&
            anyReasonContains(*V, {"runtime pointer checks", "array bounds", "too many"})) {
          ExpertIdea I;
          I.Id = "knob:runtime-memory-check-threshold=64";
          I.Rule = "missed-vectorization-checks";
          I.Region = Name;
          I.Rationale = Where + ": the vectorizer gave up on runtime alias checks; allow more";
          I.Priority = W * 0.5;
          I.Delta.Knobs["runtime-memory-check-threshold"] = int64_t(64);
          addIdea(std::move(I));
        }
        if (Vectorized && V->InterleaveCount.value_or(1) <= 2) {
          LoopHint H;
          H.InterleaveCount = 4;
          loopIdea("interleave:" + Name + "=4", "vectorized-latency-bound",
                   "vectorized with interleave " +
                       std::to_string(V->InterleaveCount.value_or(1)) +
                       "; more interleaving hides the latency of a loop-carried chain",
                   0.6, H);
        }
        if (Vectorized && V->Width && *V->Width < 16) {
          LoopHint H;
          H.Vectorize = true;
          H.VectorizeWidth = *V->Width * 2;
          loopIdea("vec-width:" + Name + "=" + std::to_string(*V->Width * 2),
                   "vectorized-wider",
                   "vectorized at width " + std::to_string(*V->Width) +
                       "; a wider vector may pay off on this target",
                   0.35, H);
        }
        bool SmallConstantTrip = L.Trip.Kind == TripCountKind::Constant && L.Trip.Value &&
                                 *L.Trip.Value > 1 && *L.Trip.Value <= 32 &&
                                 *L.Trip.Value * std::max<int64_t>(L.Instructions, 1) <= 1200;
        if (SmallConstantTrip) {
          LoopHint H;
          H.Unroll = std::string("full");
          loopIdea("unroll:" + Name + "=full", "small-constant-trip",
                   "constant trip count " + std::to_string(*L.Trip.Value) +
                       " and a small body: full unrolling removes the loop overhead",
                   0.5, H);
        } else if (!Vectorized && L.Instructions > 0 && L.Instructions <= 40) {
          LoopHint H;
          H.Unroll = int64_t(4);
          loopIdea("unroll:" + Name + "=4", "small-scalar-body",
                   "a small scalar body (" + std::to_string(L.Instructions) +
                       " instructions) that was not vectorized: unrolling exposes "
                       "instruction-level parallelism",
                   0.4, H);
        }
        if (L.Accesses.ConstantStride > 0) {
          ExpertIdea I;
          I.Id = "knob:enable-interleaved-mem-accesses";
          I.Rule = "strided-accesses";
          I.Region = Name;
          I.Rationale = Where + ": " + std::to_string(L.Accesses.ConstantStride) +
                        " constant-stride accesses; interleaved access groups vectorize them "
                        "as wide loads and shuffles";
          I.Priority = W * 0.35;
          I.Delta.Knobs["enable-interleaved-mem-accesses"] = true;
          addIdea(std::move(I));
        }
      } else {
        MemoryAccesses NestAcc;
        int64_t NestDepth = L.Depth;
        nestStats(L, NestAcc, NestDepth);
        int64_t Levels = NestDepth - L.Depth + 1;
        if (!L.Parent && Levels >= 2) {
          if (NestAcc.ConstantStride > 0) {
            ExpertIdea I;
            I.Id = "knob:enable-loopinterchange";
            I.Rule = "strided-nest";
            I.Region = Name;
            I.Rationale = Where + ": a " + std::to_string(Levels) + "-deep nest with " +
                          std::to_string(NestAcc.ConstantStride) +
                          " constant-stride accesses; interchange can make the inner loop "
                          "walk memory contiguously";
            I.Priority = W * 0.8;
            I.Delta.Knobs["enable-loopinterchange"] = true;
            addIdea(std::move(I));
          }
          if (NestAcc.Irregular == 0 || Levels >= 3) {
            ExpertIdea I;
            I.Id = "knob:polly";
            I.Rule = "affine-nest";
            I.Region = Name;
            I.Rationale = Where + ": a " + std::to_string(Levels) +
                          "-deep nest with " + std::to_string(NestAcc.Irregular) +
                          " irregular accesses; Polly can tile and reorder affine nests "
                          "for locality (run early, before inlining and LICM reshape the "
                          "nest)";
            I.Priority = W * (NestAcc.ConstantStride > 0 || Levels >= 3 ? 0.85 : 0.5);
            // At its default place, before the vectorizer, Polly left bench/
            // matmul's nest as it was (0.999x); placed early it tiled it
            // (3.28x [2.99, 3.44]); neutral on lu, stencil2d and spmv.
            I.Delta.Knobs["polly"] = true;
            I.Delta.Knobs["polly-position"] = std::string("early");
            addIdea(std::move(I));
          }
        }
        std::vector<const LoopFeatures *> Inner = childrenOf(Name);
        if (Inner.size() == 1 && Inner.front()->Innermost && Inner.front()->Instructions > 0 &&
            Inner.front()->Instructions <= 60) {
          ExpertIdea I;
          I.Id = "unroll-and-jam:" + Name + "=2";
          I.Rule = "outer-of-small-inner";
          I.Region = Name;
          I.Rationale = Where + ": the inner loop " + Inner.front()->Name + " has a small body (" +
                        std::to_string(Inner.front()->Instructions) +
                        " instructions); unroll-and-jam reuses loads across outer iterations";
          I.Priority = W * 0.45;
          I.Delta.Knobs["enable-unroll-and-jam"] = true;
          LoopHint H;
          H.UnrollAndJam = int64_t(2);
          I.Delta.Loops[Name] = H;
          addIdea(std::move(I));
        }
      }
      continue;
    }

    if (R.Kind == RegionKind::Function) {
      std::string Where = R.Name + " (" + percent(W) + " of the profile)";
      for (const InlineDecision &D : R.Inlining) {
        if (D.Inlined || !D.Cost || !D.Threshold || D.Callee.empty() || D.Caller.empty())
          continue;
        int64_t Threshold = std::max<int64_t>(*D.Threshold, 25);
        if (*D.Cost > 4 * Threshold)
          continue;
        ExpertIdea I;
        I.Id = "inline-call:" + D.Caller + "->" + D.Callee;
        I.Rule = "missed-inline-margin";
        I.Region = R.Name;
        I.Rationale = Where + ": the call to " + D.Callee + " was not inlined (cost " +
                      std::to_string(*D.Cost) + " vs threshold " + std::to_string(*D.Threshold) +
                      "); inlining removes the call and lets the caller's loops optimize "
                      "across it";
        I.Priority = W * 0.7;
        I.Delta.Calls.push_back(CallHint{D.Caller, D.Callee, std::nullopt, "always"});
        addIdea(std::move(I));

        int64_t Raised = ((*D.Cost + 25 + 24) / 25) * 25;
        ExpertIdea T;
        T.Id = "knob:inline-threshold=" + std::to_string(Raised);
        T.Rule = "missed-inline-margin";
        T.Region = R.Name;
        T.Rationale = Where + ": calls missed inlining by a margin (cost " +
                      std::to_string(*D.Cost) + "); a threshold of " + std::to_string(Raised) +
                      " admits them everywhere";
        T.Priority = W * 0.35;
        T.Delta.Knobs["inline-threshold"] = Raised;
        addIdea(std::move(T));
      }
      if (R.FnFeatures && R.FnFeatures->Instructions > 0) {
        const FunctionFeatures &F = *R.FnFeatures;
        double BranchShare =
            static_cast<double>(F.Mix.Branch) / static_cast<double>(F.Instructions);
        if (BranchShare >= 0.15 && F.Blocks >= 16) {
          ExpertIdea I;
          I.Id = "knob:enable-dfa-jump-thread";
          I.Rule = "branchy-hot-function";
          I.Region = R.Name;
          I.Rationale = Where + ": " + percent(BranchShare) + " of its " +
                        std::to_string(F.Instructions) +
                        " instructions are branches across " + std::to_string(F.Blocks) +
                        " blocks; jump threading through state switches removes "
                        "unpredictable dispatch";
          I.Priority = W * 0.4;
          I.Delta.Knobs["enable-dfa-jump-thread"] = true;
          addIdea(std::move(I));
        }
      }
    }
  }

  std::stable_sort(Ideas.begin(), Ideas.end(), [](const ExpertIdea &A, const ExpertIdea &B) {
    return A.Priority > B.Priority;
  });
}

void ExpertAgent::addRefinements(const ExpertIdea &KeptIdea) {
  // Having seen an edit help, try the next value along the same direction.
  std::vector<ExpertIdea> More;
  for (const auto &[Loop, H] : KeptIdea.Delta.Loops) {
    auto refine = [&](const char *Field, LoopHint Next, int64_t Value) {
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
  C->MetaJson = "{\"origin\":\"expert\",\"idea\":\"" + IdeaId + "\"}";
  InFlight[C->contentHash()] = Pending{IdeaId, Normal, Parent, BaseSpeedup, OnOwn};
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

std::unique_ptr<Strategy> makeExpertAgent(const SearchSpace &Space, const EvidenceDigest &Digest,
                                          uint64_t Seed) {
  return std::make_unique<ExpertAgent>(Space, Digest, Seed);
}

} // namespace autopass
