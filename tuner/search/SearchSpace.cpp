//===- search/SearchSpace.cpp - The three layers as one space -------------===//
//
// Sampling, mutation, crossover and the point <-> config mapping. See
// SearchSpace.hpp.
//
//===----------------------------------------------------------------------===//
#include "search/SearchSpace.hpp"

#include "util/Hash.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <cmath>

namespace autopass {

namespace {

std::string countOrWordText(const CountOrWord &V) {
  if (const int64_t *N = std::get_if<int64_t>(&V))
    return std::to_string(*N);
  return std::get<std::string>(V);
}

template <typename T> std::string optText(const std::optional<T> &V);
template <> std::string optText(const std::optional<bool> &V) { return *V ? "true" : "false"; }
template <> std::string optText(const std::optional<int64_t> &V) { return std::to_string(*V); }
template <> std::string optText(const std::optional<CountOrWord> &V) {
  return countOrWordText(*V);
}

/// The hint fields a loop can take, by its place in the nest. Unroll-and-jam
/// only applies to a loop with an inner loop, vectorization and distribution
/// to innermost loops.
std::vector<std::string> loopFields(const LoopSite &L) {
  if (L.Innermost)
    return {"unroll", "vectorize", "vectorize_width", "interleave_count", "distribute"};
  return {"unroll", "unroll_and_jam"};
}

void clearLoopField(LoopHint &H, const std::string &Field) {
  if (Field == "unroll")
    H.Unroll.reset();
  else if (Field == "vectorize")
    H.Vectorize.reset();
  else if (Field == "vectorize_width")
    H.VectorizeWidth.reset();
  else if (Field == "interleave_count")
    H.InterleaveCount.reset();
  else if (Field == "distribute")
    H.Distribute.reset();
  else if (Field == "unroll_and_jam")
    H.UnrollAndJam.reset();
}

std::vector<std::string> setLoopFields(const LoopHint &H) {
  std::vector<std::string> Out;
  if (H.Distribute)
    Out.push_back("distribute");
  if (H.InterleaveCount)
    Out.push_back("interleave_count");
  if (H.Unroll)
    Out.push_back("unroll");
  if (H.UnrollAndJam)
    Out.push_back("unroll_and_jam");
  if (H.Vectorize)
    Out.push_back("vectorize");
  if (H.VectorizeWidth)
    Out.push_back("vectorize_width");
  return Out;
}

/// Sets a random value (different from the current one) for one field.
void setRandomLoopField(LoopHint &H, const LoopSite &L, const std::string &Field, Rng &R) {
  auto Pick = [&R](const std::vector<CountOrWord> &Choices, const std::optional<CountOrWord> &Cur) {
    std::vector<CountOrWord> Fresh;
    for (const CountOrWord &C : Choices)
      if (!Cur || !(C == *Cur))
        Fresh.push_back(C);
    return randomPick(R, Fresh.empty() ? Choices : Fresh);
  };
  auto PickInt = [&R](const std::vector<int64_t> &Choices, const std::optional<int64_t> &Cur) {
    std::vector<int64_t> Fresh;
    for (int64_t C : Choices)
      if (!Cur || C != *Cur)
        Fresh.push_back(C);
    return randomPick(R, Fresh.empty() ? Choices : Fresh);
  };
  if (Field == "unroll") {
    std::vector<CountOrWord> Choices;
    if (L.Innermost)
      Choices = {int64_t(2), int64_t(4), int64_t(8), int64_t(16), std::string("disable")};
    else
      Choices = {int64_t(2), int64_t(4), std::string("disable")};
    // Full unrolling only makes sense for short constant trip counts.
    if (L.TripCount && *L.TripCount <= (L.Innermost ? 128 : 8))
      Choices.push_back(std::string("full"));
    H.Unroll = Pick(Choices, H.Unroll);
  } else if (Field == "unroll_and_jam") {
    H.UnrollAndJam =
        Pick({int64_t(2), int64_t(4), int64_t(8), std::string("disable")}, H.UnrollAndJam);
  } else if (Field == "vectorize") {
    H.Vectorize = H.Vectorize ? !*H.Vectorize : randomChance(R, 0.5);
  } else if (Field == "distribute") {
    H.Distribute = H.Distribute ? !*H.Distribute : true;
  } else if (Field == "vectorize_width") {
    H.VectorizeWidth = PickInt({1, 2, 4, 8, 16}, H.VectorizeWidth);
  } else if (Field == "interleave_count") {
    H.InterleaveCount = PickInt({1, 2, 4, 8}, H.InterleaveCount);
  }
}

/// Removes Name and, transitively, every knob that requires it.
void eraseKnobAndDependents(SearchPoint &P, const KnobCatalog &Catalog, const std::string &Name) {
  std::vector<std::string> Work{Name};
  while (!Work.empty()) {
    std::string N = Work.back();
    Work.pop_back();
    P.Knobs.erase(N);
    for (const auto &[Other, Value] : P.Knobs) {
      const KnobSpec *K = Catalog.find(Other);
      if (K && K->Requires.count(N))
        Work.push_back(Other);
    }
  }
}

void eraseShapingKnobs(SearchPoint &P, const KnobCatalog &Catalog) {
  std::vector<std::string> Shaping;
  for (const auto &[Name, Value] : P.Knobs) {
    const KnobSpec *K = Catalog.find(Name);
    if (K && K->ShapesPipeline)
      Shaping.push_back(Name);
  }
  for (const std::string &Name : Shaping)
    eraseKnobAndDependents(P, Catalog, Name);
}

} // namespace

bool SearchPoint::operator==(const SearchPoint &O) const {
  return Knobs == O.Knobs && Edits == O.Edits && Loops == O.Loops && Functions == O.Functions &&
         Calls == O.Calls && RawPipeline == O.RawPipeline;
}

SearchSpace::SearchSpace(KnobCatalog TheCatalog, SearchSpaceOptions TheOptions)
    : Catalog(std::move(TheCatalog)), Options(std::move(TheOptions)) {
  for (const KnobSpec &K : Catalog.knobs())
    if (!Options.FrozenKnobs.count(K.Name))
      Tunable.push_back(&K);
  if (Options.BasePipeline.empty())
    return;
  auto Parsed = PipelineText::parse(Options.BasePipeline);
  if (!Parsed) {
    Unavailable["*"] = Parsed.message();
    return;
  }
  Base = *Parsed;
  for (const PipelineEdit &E : curatedPipelineEdits()) {
    PipelineText Copy = *Base;
    if (Status S = E.Apply(Copy); !S)
      Unavailable[E.Id] = S.message();
    else
      Edits.push_back(&E);
  }
}

KnobValue SearchSpace::sampleKnobValue(const KnobSpec &K, const std::optional<KnobValue> &Current,
                                       Rng &R) const {
  auto Draw = [&]() -> KnobValue {
    switch (K.Type) {
    case KnobType::Bool:
      // With a known default only its negation changes anything.
      if (K.Default && (!Current || *Current == *K.Default))
        return !std::get<bool>(*K.Default);
      return randomChance(R, 0.5);
    case KnobType::Enum:
      return randomPick(R, K.Values);
    case KnobType::Int: {
      if (!K.Values.empty() && randomChance(R, 0.7))
        return randomPick(R, K.Values);
      uint64_t Span = static_cast<uint64_t>(K.MaxInt - K.MinInt);
      if (K.LogScale) {
        double Hi = std::log(static_cast<double>(Span) + 1.0);
        double X = std::exp(randomUnit(R) * Hi) - 1.0;
        return std::clamp(K.MinInt + static_cast<int64_t>(std::llround(X)), K.MinInt, K.MaxInt);
      }
      return K.MinInt + static_cast<int64_t>(randomBelow(R, Span + 1));
    }
    case KnobType::Float: {
      if (!K.Values.empty() && randomChance(R, 0.7))
        return randomPick(R, K.Values);
      double X = K.MinFloat + randomUnit(R) * (K.MaxFloat - K.MinFloat);
      // Two decimals keep configs readable; the domain is not that fine.
      return std::clamp(std::round(X * 100.0) / 100.0, K.MinFloat, K.MaxFloat);
    }
    }
    return false;
  };
  KnobValue V = Draw();
  for (int Attempt = 0; Attempt < 20; ++Attempt) {
    bool SameAsCurrent = Current && V == *Current;
    bool SameAsDefault = K.Default && V == *K.Default;
    if (!SameAsCurrent && !SameAsDefault)
      break;
    V = Draw();
  }
  return V;
}

void SearchSpace::mutateKnob(SearchPoint &P, Rng &R) const {
  std::vector<std::string> SetTunable;
  for (const auto &[Name, Value] : P.Knobs)
    if (!Options.FrozenKnobs.count(Name) && Catalog.find(Name))
      SetTunable.push_back(Name);
  if (!SetTunable.empty() && randomChance(R, 0.3)) {
    const std::string &Name = randomPick(R, SetTunable);
    if (randomChance(R, 0.5)) {
      eraseKnobAndDependents(P, Catalog, Name); // back to LLVM's default
      return;
    }
    const KnobSpec *K = Catalog.find(Name);
    KnobValue V = sampleKnobValue(*K, P.Knobs[Name], R);
    // LLVM's default, spelled out, is the same program as no knob at all.
    if (K->Default && V == *K->Default)
      eraseKnobAndDependents(P, Catalog, Name);
    else
      P.Knobs[Name] = V;
    return;
  }
  const KnobSpec *K = randomPick(R, Tunable);
  std::optional<KnobValue> Current;
  if (auto It = P.Knobs.find(K->Name); It != P.Knobs.end())
    Current = It->second;
  KnobValue V = sampleKnobValue(*K, Current, R);
  if (K->Default && V == *K->Default) {
    eraseKnobAndDependents(P, Catalog, K->Name);
    return;
  }
  P.Knobs[K->Name] = V;
  if (K->ShapesPipeline)
    P.Edits.clear(); // the knob's own pipeline wins over explicit edits
}

void SearchSpace::mutateEdit(SearchPoint &P, Rng &R) const {
  const PipelineEdit *E = randomPick(R, Edits);
  if (P.Edits.erase(E->Id))
    return;
  for (const PipelineEdit *Other : Edits)
    if (Other->Group == E->Group)
      P.Edits.erase(Other->Id);
  P.Edits.insert(E->Id);
  P.RawPipeline.reset();
  eraseShapingKnobs(P, Catalog);
}

void SearchSpace::mutateLoop(SearchPoint &P, Rng &R) const {
  const LoopSite &L = randomPick(R, Options.Loops);
  LoopHint &H = P.Loops[L.LoopName];
  std::vector<std::string> Set = setLoopFields(H);
  if (!Set.empty() && randomChance(R, 0.3))
    clearLoopField(H, randomPick(R, Set));
  else
    setRandomLoopField(H, L, randomPick(R, loopFields(L)), R);
  if (H.empty())
    P.Loops.erase(L.LoopName);
}

void SearchSpace::mutateFunction(SearchPoint &P, Rng &R) const {
  const std::string &Name = randomPick(R, Options.Functions);
  FunctionHint &H = P.Functions[Name];
  if (H.Inline && randomChance(R, 0.4))
    H.Inline.reset();
  else
    H.Inline = (H.Inline && *H.Inline == "always") ? "never"
               : (H.Inline && *H.Inline == "never") ? "always"
               : randomChance(R, 0.5)                ? "always"
                                                     : "never";
  if (H.empty())
    P.Functions.erase(Name);
}

SearchPoint SearchSpace::mutate(const SearchPoint &P, Rng &R) const {
  struct Layer {
    double Weight;
    void (SearchSpace::*Apply)(SearchPoint &, Rng &) const;
  };
  std::vector<Layer> Layers;
  if (!Tunable.empty())
    Layers.push_back({Options.KnobWeight, &SearchSpace::mutateKnob});
  if (!Edits.empty())
    Layers.push_back({Options.EditWeight, &SearchSpace::mutateEdit});
  if (!Options.Loops.empty())
    Layers.push_back({Options.LoopWeight, &SearchSpace::mutateLoop});
  if (!Options.Functions.empty())
    Layers.push_back({Options.FunctionWeight, &SearchSpace::mutateFunction});
  if (Layers.empty())
    return P;
  double Total = 0;
  for (const Layer &L : Layers)
    Total += L.Weight;
  for (int Attempt = 0; Attempt < 16; ++Attempt) {
    double X = randomUnit(R) * Total;
    const Layer *Chosen = &Layers.back();
    for (const Layer &L : Layers) {
      if (X < L.Weight) {
        Chosen = &L;
        break;
      }
      X -= L.Weight;
    }
    SearchPoint Q = P;
    (this->*(Chosen->Apply))(Q, R);
    Q = normalize(std::move(Q));
    if (!(Q == P))
      return Q;
  }
  return P;
}

SearchPoint SearchSpace::randomPoint(Rng &R, size_t Changes) const {
  SearchPoint P;
  for (size_t I = 0; I < Changes; ++I)
    P = mutate(P, R);
  return P;
}

SearchPoint SearchSpace::crossover(const SearchPoint &A, const SearchPoint &B, Rng &R) const {
  SearchPoint C;
  std::set<std::string> KnobNames;
  for (const auto &[Name, V] : A.Knobs)
    KnobNames.insert(Name);
  for (const auto &[Name, V] : B.Knobs)
    KnobNames.insert(Name);
  for (const std::string &Name : KnobNames) {
    const SearchPoint &From = randomChance(R, 0.5) ? A : B;
    if (auto It = From.Knobs.find(Name); It != From.Knobs.end())
      C.Knobs[Name] = It->second;
  }
  std::set<std::string> EditIds(A.Edits);
  EditIds.insert(B.Edits.begin(), B.Edits.end());
  for (const std::string &Id : EditIds)
    if ((randomChance(R, 0.5) ? A : B).Edits.count(Id))
      C.Edits.insert(Id);
  std::set<std::string> LoopNames;
  for (const auto &[Name, H] : A.Loops)
    LoopNames.insert(Name);
  for (const auto &[Name, H] : B.Loops)
    LoopNames.insert(Name);
  for (const std::string &Name : LoopNames) {
    LoopHint HA = A.Loops.count(Name) ? A.Loops.at(Name) : LoopHint();
    LoopHint HB = B.Loops.count(Name) ? B.Loops.at(Name) : LoopHint();
    LoopHint H;
    H.Unroll = randomChance(R, 0.5) ? HA.Unroll : HB.Unroll;
    H.Vectorize = randomChance(R, 0.5) ? HA.Vectorize : HB.Vectorize;
    H.VectorizeWidth = randomChance(R, 0.5) ? HA.VectorizeWidth : HB.VectorizeWidth;
    H.InterleaveCount = randomChance(R, 0.5) ? HA.InterleaveCount : HB.InterleaveCount;
    H.Distribute = randomChance(R, 0.5) ? HA.Distribute : HB.Distribute;
    H.UnrollAndJam = randomChance(R, 0.5) ? HA.UnrollAndJam : HB.UnrollAndJam;
    if (!H.empty())
      C.Loops[Name] = H;
  }
  std::set<std::string> FnNames;
  for (const auto &[Name, H] : A.Functions)
    FnNames.insert(Name);
  for (const auto &[Name, H] : B.Functions)
    FnNames.insert(Name);
  for (const std::string &Name : FnNames) {
    const SearchPoint &From = randomChance(R, 0.5) ? A : B;
    if (auto It = From.Functions.find(Name); It != From.Functions.end())
      C.Functions[Name] = It->second;
  }
  const SearchPoint &CallsFrom = randomChance(R, 0.5) ? A : B;
  C.Calls = CallsFrom.Calls;
  if (C.Edits.empty())
    C.RawPipeline = CallsFrom.RawPipeline;
  return normalize(std::move(C));
}

SearchPoint SearchSpace::normalize(SearchPoint P) const {
  // One edit per group, in table order; unknown ids are dropped.
  std::set<std::string> Kept, Groups;
  for (const PipelineEdit *E : Edits)
    if (P.Edits.count(E->Id) && Groups.insert(E->Group).second)
      Kept.insert(E->Id);
  P.Edits = std::move(Kept);
  if (!P.Edits.empty()) {
    P.RawPipeline.reset();
    eraseShapingKnobs(P, Catalog);
  }
  // Requirements hold: a knob that needs polly=true gets it.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &[Name, Value] : std::map<std::string, KnobValue>(P.Knobs)) {
      const KnobSpec *K = Catalog.find(Name);
      if (!K)
        continue;
      for (const auto &[Req, ReqValue] : K->Requires) {
        auto It = P.Knobs.find(Req);
        if (It != P.Knobs.end() && It->second == ReqValue)
          continue;
        const KnobSpec *RK = Catalog.find(Req);
        // A requirement that shapes the pipeline cannot coexist with edits:
        // then the dependent knob goes instead.
        if (!P.Edits.empty() && RK && RK->ShapesPipeline) {
          eraseKnobAndDependents(P, Catalog, Name);
        } else {
          P.Knobs[Req] = ReqValue;
        }
        Changed = true;
        break;
      }
      if (Changed)
        break;
    }
  }
  for (auto It = P.Loops.begin(); It != P.Loops.end();)
    It = It->second.empty() ? P.Loops.erase(It) : std::next(It);
  for (auto It = P.Functions.begin(); It != P.Functions.end();)
    It = It->second.empty() ? P.Functions.erase(It) : std::next(It);
  return P;
}

Result<std::string> SearchSpace::renderPipeline(const std::set<std::string> &EditIds) const {
  if (!Base)
    return makeError("pipeline edits need a base pipeline");
  PipelineText P = *Base;
  std::vector<std::string> Applied;
  for (const PipelineEdit *E : Edits) {
    if (!EditIds.count(E->Id))
      continue;
    if (Status S = E->Apply(P); !S)
      return makeError("pipeline edit " + E->Id + ": " + S.message());
    Applied.push_back(E->Id);
  }
  std::string Text = P.str();
  std::lock_guard<std::mutex> Lock(CacheLock);
  EditsOfText[Text] = EditIds;
  if (Options.PipelineAccepted) {
    auto It = AcceptedText.find(Text);
    if (It == AcceptedText.end())
      It = AcceptedText.emplace(Text, Options.PipelineAccepted(Text)).first;
    if (!It->second)
      return makeError("opt rejects the pipeline with edits " + join(Applied, ", "));
  }
  return Text;
}

Result<CandidateConfig> SearchSpace::toConfig(const SearchPoint &P) const {
  CandidateConfig C;
  C.Knobs = P.Knobs;
  if (!P.Edits.empty()) {
    auto Text = renderPipeline(P.Edits);
    if (!Text)
      return Text.error();
    C.Pipeline = *Text;
  } else if (P.RawPipeline) {
    C.Pipeline = *P.RawPipeline;
  }
  C.Loops = P.Loops;
  C.Functions = P.Functions;
  C.Calls = P.Calls;
  return C;
}

SearchPoint SearchSpace::fromConfig(const CandidateConfig &C) const {
  SearchPoint P;
  P.Knobs = C.Knobs;
  if (C.Pipeline) {
    std::lock_guard<std::mutex> Lock(CacheLock);
    auto It = EditsOfText.find(*C.Pipeline);
    if (It != EditsOfText.end())
      P.Edits = It->second;
    else
      P.RawPipeline = *C.Pipeline;
  }
  for (const auto &[Name, H] : C.Loops)
    if (!H.empty())
      P.Loops[Name] = H;
  for (const auto &[Name, H] : C.Functions)
    if (!H.empty())
      P.Functions[Name] = H;
  P.Calls = C.Calls;
  return P;
}

std::set<std::string> SearchSpace::atoms(const SearchPoint &P) const {
  std::set<std::string> A;
  for (const auto &[Name, V] : P.Knobs)
    A.insert("knob:" + Name + "=" + knobValueText(V));
  for (const std::string &Id : P.Edits)
    A.insert("edit:" + Id);
  for (const auto &[Name, H] : P.Loops) {
    std::string Prefix = "loop:" + Name + ":";
    if (H.Unroll)
      A.insert(Prefix + "unroll=" + optText(H.Unroll));
    if (H.Vectorize)
      A.insert(Prefix + "vectorize=" + optText(H.Vectorize));
    if (H.VectorizeWidth)
      A.insert(Prefix + "vectorize_width=" + optText(H.VectorizeWidth));
    if (H.InterleaveCount)
      A.insert(Prefix + "interleave_count=" + optText(H.InterleaveCount));
    if (H.Distribute)
      A.insert(Prefix + "distribute=" + optText(H.Distribute));
    if (H.UnrollAndJam)
      A.insert(Prefix + "unroll_and_jam=" + optText(H.UnrollAndJam));
  }
  for (const auto &[Name, H] : P.Functions) {
    if (H.Inline)
      A.insert("fn:" + Name + ":inline=" + *H.Inline);
    if (H.Size)
      A.insert("fn:" + Name + ":size=" + *H.Size);
  }
  for (const CallHint &H : P.Calls)
    A.insert("call:" + H.Caller + ">" + H.Callee + "#" +
             (H.Index ? std::to_string(*H.Index) : std::string("*")) + "=" + H.Inline);
  if (P.RawPipeline && P.Edits.empty())
    A.insert("pipeline:" + sha256Hex(*P.RawPipeline).substr(0, 12));
  return A;
}

} // namespace autopass
