//===- evidence/EvidenceDigestText.cpp - The digest as bounded text ------===//
//
// The text form goes into LLM prompts and to `autopass-tuner evidence`, so
// it must fit a budget and still lead with what matters: the hottest regions
// come first, each with its numbers, what the optimizer did and did not do
// there, and the name a configuration uses to target it. Lists inside a
// region are capped so one noisy function cannot starve the others.
//
//===----------------------------------------------------------------------===//
#include "evidence/EvidenceDigest.hpp"

#include "util/Strings.hpp"

#include <cstdio>

namespace autopass {

namespace {

constexpr size_t MaxMessage = 160;
constexpr size_t MaxInlinePerRegion = 3;
constexpr size_t MaxVectorizePerRegion = 3;
constexpr size_t MaxHighlightsPerRegion = 4;
constexpr size_t MaxPassEffectsPerRegion = 4;

std::string percent(double Fraction) {
  char Buf[32];
  std::snprintf(Buf, sizeof Buf, "%.1f%%", Fraction * 100.0);
  return Buf;
}

std::string signedInt(int64_t V) {
  return (V > 0 ? "+" : "") + std::to_string(V);
}

std::string clip(std::string S, size_t Max = MaxMessage) {
  if (S.size() > Max)
    S = S.substr(0, Max - 3) + "...";
  return S;
}

std::string counts(const KindCounts &C) {
  return std::to_string(C.Passed) + " passed, " + std::to_string(C.Missed) +
         " missed, " + std::to_string(C.Analysis) + " analysis";
}

std::string more(size_t Shown, size_t Total) {
  return Total > Shown ? " (+" + std::to_string(Total - Shown) + " more)" : "";
}

std::string loc(const std::optional<SourceLocation> &L) {
  return L ? " @" + L->str() : "";
}

std::string regionHeadline(const HotRegion &R, size_t Rank) {
  std::string S = "#" + std::to_string(Rank) + " " +
                  (R.Kind == RegionKind::Function ? "function " : "loop ") +
                  R.Name + "  ";
  if (R.Weight) {
    S += percent(*R.Weight);
    if (R.Kind == RegionKind::Function)
      S += " self";
    if (R.InclusiveWeight)
      S += ", " + percent(*R.InclusiveWeight) + " incl";
    if (R.Basis == LoopWeightBasis::SizeShare)
      S += " (estimate)";
  } else {
    S += "weight unknown";
  }
  if (R.FnFeatures) {
    const FunctionFeatures &F = *R.FnFeatures;
    const InstructionMix &M = F.Mix;
    S += " | " + std::to_string(F.Instructions) + " instr, " +
         std::to_string(F.Blocks) + " blocks, calls " +
         std::to_string(F.CallsDirect) + " direct/" +
         std::to_string(F.CallsIndirect) + " indirect | mix: ld " +
         std::to_string(M.Load) + ", st " + std::to_string(M.Store) + ", fp " +
         std::to_string(M.FpArith) + ", int " + std::to_string(M.IntArith) +
         ", br " + std::to_string(M.Branch) + ", vec " +
         std::to_string(M.Vector) + ", call " + std::to_string(M.Call);
  }
  if (R.Loop) {
    const LoopFeatures &L = *R.Loop;
    const MemoryAccesses &A = L.Accesses;
    S += " | in " + R.Function;
    if (L.Line)
      S += ", line " + std::to_string(*L.Line);
    S += ", depth " + std::to_string(L.Depth) +
         (L.Innermost ? ", innermost" : ", has inner loops") + ", trip " +
         L.Trip.str() + " | " + std::to_string(L.Instructions) + " instr, " +
         std::to_string(L.Blocks) + " blocks" +
         (L.HasCalls ? ", has calls" : "") +
         " | mem: " + std::to_string(A.Loads) + " ld, " +
         std::to_string(A.Stores) + " st; unit-stride " +
         std::to_string(A.UnitStride) + ", strided " +
         std::to_string(A.ConstantStride) + ", irregular " +
         std::to_string(A.Irregular) + ", invariant " +
         std::to_string(A.Invariant);
  } else if (R.Kind == RegionKind::Loop) {
    S += " | in " + R.Function;
  }
  return S + "\n";
}

std::string renderRegion(const HotRegion &R, size_t Rank) {
  std::string S = regionHeadline(R, Rank);
  const std::string In = "   ";
  if (R.Kind == RegionKind::Loop)
    S += In + "target: hints.loops[\"" + R.Name + "\"]\n";
  else if (R.RemarkCounts.total())
    S += In + "remarks: " + counts(R.RemarkCounts) + "\n";

  size_t N = 0;
  for (const InlineDecision &I : R.Inlining) {
    if (N++ == MaxInlinePerRegion)
      break;
    S += In + "inline: " + I.Callee +
         (I.Inlined ? " inlined" : " NOT inlined") + " (" + I.RemarkName;
    if (I.Cost && I.Threshold)
      S += ", cost " + std::to_string(*I.Cost) + " vs threshold " +
           std::to_string(*I.Threshold);
    if (!I.Reason.empty())
      S += ", " + clip(I.Reason, 60);
    S += ")";
    if (I.Count > 1)
      S += " x" + std::to_string(I.Count);
    S += loc(I.Loc) + "\n";
  }
  if (R.Inlining.size() > MaxInlinePerRegion)
    S += In + "inline:" + more(MaxInlinePerRegion, R.Inlining.size()) + "\n";

  N = 0;
  for (const VectorizeDecision &V : R.Vectorization) {
    if (N++ == MaxVectorizePerRegion)
      break;
    S += In + "vectorize" + loc(V.Loc) + ": ";
    if (V.Vectorized || V.Interleaved) {
      S += V.Vectorized ? "vectorized" : "interleaved only";
      if (V.Width)
        S += ", width " + std::to_string(*V.Width);
      if (V.InterleaveCount)
        S += ", interleave " + std::to_string(*V.InterleaveCount);
    } else {
      S += "NOT vectorized";
      if (!V.Reasons.empty())
        S += ": " + clip(join(V.Reasons, "; "));
    }
    S += "\n";
  }
  if (R.Vectorization.size() > MaxVectorizePerRegion)
    S += In +
         "vectorize:" + more(MaxVectorizePerRegion, R.Vectorization.size()) +
         "\n";

  N = 0;
  for (const RemarkHighlight &H : R.Highlights) {
    if (N++ == MaxHighlightsPerRegion)
      break;
    S += In + std::string(remarkKindName(H.Kind)) + " " + H.Pass + "/" +
         H.Name + (H.Count > 1 ? " x" + std::to_string(H.Count) : "") +
         loc(H.Loc) + ": " + clip(H.Message) + "\n";
  }
  if (R.Highlights.size() > MaxHighlightsPerRegion)
    S += In + "remarks:" + more(MaxHighlightsPerRegion, R.Highlights.size()) +
         "\n";

  if (!R.PassEffects.empty()) {
    std::vector<std::string> Parts;
    for (size_t I = 0; I < R.PassEffects.size() && I < MaxPassEffectsPerRegion;
         ++I) {
      const FunctionPassEffect &E = R.PassEffects[I];
      Parts.push_back(E.Pass + " " + signedInt(E.InstructionDelta) + " (" +
                      std::to_string(E.ChangedRuns) + "/" +
                      std::to_string(E.Runs) + " runs changed it)");
    }
    S += In + "passes: " + join(Parts, ", ") +
         more(MaxPassEffectsPerRegion, R.PassEffects.size()) + "\n";
  }
  return S;
}

/// Appends lines while they fit in Budget; the rest is summarized by an
/// omission line built by Omitted(count), which is always kept in budget.
template <typename OmittedFn>
std::string boundedLines(const std::vector<std::string> &Lines, size_t Budget,
                         OmittedFn Omitted) {
  std::string Out;
  for (size_t I = 0; I < Lines.size(); ++I) {
    std::string Tail =
        I + 1 < Lines.size() ? Omitted(Lines.size() - I - 1) : "";
    if (Out.size() + Lines[I].size() + Tail.size() > Budget) {
      std::string Rest = Omitted(Lines.size() - I);
      if (Out.size() + Rest.size() <= Budget)
        Out += Rest;
      return Out;
    }
    Out += Lines[I];
  }
  return Out;
}

} // namespace

std::string EvidenceDigest::toText(size_t MaxBytes) const {
  std::string Head = "AutoPass evidence digest: " + Program + "\n";
  Head += "profile: " + ProfileDescription;
  if (HaveRemarks)
    Head += " | remarks: " + counts(RemarkTotals);
  Head += "\n";
  for (const std::string &N : Notes)
    Head += "note: " + N + "\n";
  Head += "== hot regions (" + std::to_string(Regions.size()) +
          ", heaviest first; weight = share of total cost) ==\n";

  // Passes and measurements share at most a quarter of the budget; the
  // regions get the rest (and whatever those sections leave unused).
  std::vector<std::string> PassLines;
  for (const PassSummary &P : TopPasses)
    PassLines.push_back(P.Pass + ": runs " + std::to_string(P.Runs) +
                        ", changed " + std::to_string(P.ChangedRuns) +
                        ", instr " + signedInt(P.InstructionDelta) + ", " +
                        formatFixed(P.TimeUs / 1000.0, 2) + " ms\n");
  std::vector<std::string> MeasureLines;
  for (const MeasurementSummary &M : Measurements) {
    std::string L = M.ConfigHash + " " + clip(M.Changes, 100) + ": ";
    if (M.Speedup) {
      L += "speedup " + formatFixed(*M.Speedup, 3);
      if (M.SpeedupLow && M.SpeedupHigh)
        L += " [" + formatFixed(*M.SpeedupLow, 3) + ", " + formatFixed(*M.SpeedupHigh, 3) +
             "]";
      L += " ";
    }
    L += M.Status + "\n";
    MeasureLines.push_back(std::move(L));
  }
  size_t TailBudget = MaxBytes / 4;
  std::string Tail;
  if (!MeasureLines.empty()) {
    std::string Title = "== measurements (" +
                        std::to_string(MeasureLines.size()) +
                        "; speedup = -O3 time / config time) ==\n";
    if (Title.size() < TailBudget / 2)
      Tail += Title + boundedLines(MeasureLines, TailBudget / 2 - Title.size(),
                                   [](size_t N) {
                                     return "[... " + std::to_string(N) +
                                            " more measurements omitted]\n";
                                   });
  }
  if (!PassLines.empty()) {
    std::string Title = "== passes (by |instruction delta|) ==\n";
    size_t Left = TailBudget > Tail.size() ? TailBudget - Tail.size() : 0;
    if (Title.size() < Left)
      Tail +=
          Title + boundedLines(PassLines, Left - Title.size(), [](size_t N) {
            return "[... " + std::to_string(N) + " more passes omitted]\n";
          });
  }

  std::string Out = Head;
  std::vector<std::string> RegionBlocks;
  for (size_t I = 0; I < Regions.size(); ++I)
    RegionBlocks.push_back(renderRegion(Regions[I], I + 1));
  size_t RegionBudget = MaxBytes > Out.size() + Tail.size()
                            ? MaxBytes - Out.size() - Tail.size()
                            : 0;
  Out += boundedLines(RegionBlocks, RegionBudget, [](size_t N) {
    return "[... " + std::to_string(N) + " more regions omitted]\n";
  });
  Out += Tail;

  // The hard bound holds whatever the sections did: cut at a line boundary.
  if (Out.size() > MaxBytes) {
    size_t Cut = Out.rfind('\n', MaxBytes ? MaxBytes - 1 : 0);
    Out.resize(Cut == std::string::npos ? 0 : Cut + 1);
    if (Out.size() > MaxBytes)
      Out.resize(MaxBytes);
  }
  return Out;
}

} // namespace autopass
