//===- evidence/EvidenceDigest.cpp - What the tuner knows about a program -===//
#include "evidence/EvidenceDigest.hpp"

#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace autopass {

namespace {

bool onLine(const std::optional<SourceLocation> &Loc,
            const std::optional<int64_t> &Line) {
  return Loc && Line && int64_t(Loc->Line) == *Line;
}

/// The loop of F whose header is on the remark's line, if any.
const LoopFeatures *loopAt(const FunctionFeatures *F,
                           const std::optional<SourceLocation> &Loc) {
  if (!F || !Loc)
    return nullptr;
  for (const LoopFeatures &L : F->Loops)
    if (onLine(Loc, L.Line))
      return &L;
  return nullptr;
}

HotRegion functionRegion(const std::string &Name) {
  HotRegion R;
  R.Kind = RegionKind::Function;
  R.Name = Name;
  R.Function = Name;
  return R;
}

} // namespace

EvidenceDigest EvidenceDigest::build(const EvidenceInputs &In) {
  EvidenceDigest D;
  D.Program = In.Program;
  D.Measurements = In.Measurements;
  if (In.Remarks) {
    D.HaveRemarks = true;
    D.RemarkTotals = In.Remarks->Totals;
  } else {
    D.Notes.push_back("no optimization remarks were given");
  }
  if (In.Features.empty())
    D.Notes.push_back("no autopass-features: regions have no features and "
                      "loops are unknown");

  // 1. Pick and weigh the regions.
  std::vector<HotRegion> Fns, Loops;
  if (In.Prof) {
    const Profile &P = *In.Prof;
    D.ProfileDescription =
        std::string(P.Source == ProfileSource::Callgrind ? "callgrind "
                                                         : "llvm-profdata ") +
        P.Event + ", total " + std::to_string(P.Total);
    if (P.Source == ProfileSource::InstrProf)
      D.Notes.push_back("function weights are shares of PGO counter sums, a "
                        "proxy for executed blocks, not time");
    for (const HotFunction &H :
         hotFunctions(P, In.MinWeight, In.MaxFunctions)) {
      HotRegion R = functionRegion(H.Name);
      R.Weight = H.Weight;
      if (P.Source == ProfileSource::Callgrind)
        R.InclusiveWeight = H.InclusiveWeight;
      Fns.push_back(std::move(R));
    }
    bool Estimated = false;
    for (const HotLoop &H : attributeLoops(P, In.Features)) {
      if (Loops.size() == In.MaxLoops || H.Weight < In.MinWeight)
        break;
      HotRegion R;
      R.Kind = RegionKind::Loop;
      R.Name = H.LoopName;
      R.Function = H.Function;
      R.Weight = H.Weight;
      R.Basis = H.Basis;
      Estimated |= H.Basis == LoopWeightBasis::SizeShare;
      Loops.push_back(std::move(R));
    }
    if (Estimated)
      D.Notes.push_back("some loop weights are estimates (function weight x "
                        "the loop's share of its instructions)");
    else if (!Loops.empty())
      D.Notes.push_back("loop weights sum the profile's per-line costs from "
                        "the header line to the next loop outside it");
  } else {
    D.ProfileDescription = "none";
    D.Notes.push_back("no profile: functions ranked by instruction count, "
                      "weights unknown");
    std::vector<const FunctionFeatures *> All;
    for (const ModuleFeatures &M : In.Features)
      for (const FunctionFeatures &F : M.Functions)
        All.push_back(&F);
    std::stable_sort(All.begin(), All.end(), [](auto *A, auto *B) {
      return A->Instructions > B->Instructions;
    });
    for (const FunctionFeatures *F : All)
      if (Fns.size() < In.MaxFunctions)
        Fns.push_back(functionRegion(F->Name));
  }

  // 2. Attach features, remarks and pass effects.
  std::set<std::string> ShownLoops;
  // Shown loops with the source file of their module: a loop of a function
  // inlined into its callers gets its remarks under the callers' names.
  std::vector<std::pair<const LoopFeatures *, std::string>> ShownSources;
  for (HotRegion &L : Loops) {
    ShownLoops.insert(L.Name);
    for (const ModuleFeatures &M : In.Features)
      if (const FunctionFeatures *F = M.findFunction(L.Function)) {
        if (const LoopFeatures *LF = F->findLoop(L.Name)) {
          L.Loop = *LF;
          ShownSources.emplace_back(LF, M.Module);
        }
        break;
      }
  }
  // The loop a remark in function Fn at Loc is about: a loop of Fn whose
  // header is on that line, else a shown loop of another function of the
  // same file (inlined code keeps its source lines).
  auto loopOf =
      [&](const std::string &Fn,
          const std::optional<SourceLocation> &Loc) -> const LoopFeatures * {
    if (const LoopFeatures *At = loopAt(findFunction(In.Features, Fn), Loc))
      return At;
    if (Loc)
      for (const auto &[LF, Source] : ShownSources)
        if (onLine(Loc, LF->Line) && sameSourceFile(Loc->File, Source))
          return LF;
    return nullptr;
  };
  auto attachRemarks = [&](HotRegion &R) {
    if (!In.Remarks)
      return;
    const RemarkDigest &RD = *In.Remarks;
    auto FC = RD.Functions.find(R.Function);
    if (FC != RD.Functions.end())
      R.RemarkCounts = FC->second.Counts;
    // A remark belongs to a shown loop region when it sits on that loop's
    // header line; otherwise to its function's region.
    auto belongsHere = [&](const std::string &Fn,
                           const std::optional<SourceLocation> &Loc) {
      const LoopFeatures *At = loopOf(Fn, Loc);
      if (R.Kind == RegionKind::Loop)
        return At && At->Name == R.Name;
      return Fn == R.Function && (!At || !ShownLoops.count(At->Name));
    };
    for (const VectorizeDecision &V : RD.Vectorization)
      if (belongsHere(V.Function, V.Loc))
        R.Vectorization.push_back(V);
    for (const RemarkHighlight &H : RD.Highlights)
      if (belongsHere(H.Function, H.Loc))
        R.Highlights.push_back(H);
    if (R.Kind == RegionKind::Function)
      for (const InlineDecision *I : RD.inliningInto(R.Function))
        R.Inlining.push_back(*I);
  };
  for (HotRegion &R : Fns) {
    if (const FunctionFeatures *F = findFunction(In.Features, R.Name)) {
      R.FnFeatures = *F;
      R.FnFeatures->Loops.clear(); // loops are regions of their own
    }
    R.PassEffects = functionPassEffects(In.PassRecords, R.Name);
    attachRemarks(R);
  }
  for (HotRegion &L : Loops)
    attachRemarks(L);

  // 3. Rank: heavier first; a function before its own loops on ties.
  D.Regions = std::move(Fns);
  for (HotRegion &L : Loops)
    D.Regions.push_back(std::move(L));
  std::stable_sort(
      D.Regions.begin(), D.Regions.end(),
      [](const HotRegion &A, const HotRegion &B) {
        double AW = A.Weight.value_or(-1), BW = B.Weight.value_or(-1);
        if (AW != BW)
          return AW > BW;
        return A.Kind == RegionKind::Function && B.Kind == RegionKind::Loop;
      });

  D.TopPasses = In.PassSummaries;
  std::stable_sort(D.TopPasses.begin(), D.TopPasses.end(),
                   [](const PassSummary &A, const PassSummary &B) {
                     if (std::llabs(A.InstructionDelta) !=
                         std::llabs(B.InstructionDelta))
                       return std::llabs(A.InstructionDelta) >
                              std::llabs(B.InstructionDelta);
                     return A.TimeUs > B.TimeUs;
                   });
  return D;
}

SearchRegions EvidenceDigest::searchRegions() const {
  SearchRegions S;
  for (const HotRegion &R : Regions) {
    double W = R.Weight.value_or(0);
    if (R.Kind == RegionKind::Function) {
      S.Functions.emplace_back(R.Name, W);
      continue;
    }
    SearchRegions::Loop L;
    L.LoopName = R.Name;
    L.Function = R.Function;
    L.Weight = W;
    if (R.Loop) {
      L.Depth = R.Loop->Depth;
      L.Innermost = R.Loop->Innermost;
      if (R.Loop->Trip.Kind == TripCountKind::Constant)
        L.TripCount = R.Loop->Trip.Value;
    }
    S.Loops.push_back(std::move(L));
  }
  return S;
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

namespace {

template <typename W> void writeCounts(W &J, const KindCounts &C) {
  J.StartObject();
  J.Key("passed");
  J.Int64(C.Passed);
  J.Key("missed");
  J.Int64(C.Missed);
  J.Key("analysis");
  J.Int64(C.Analysis);
  J.Key("other");
  J.Int64(C.Other);
  J.EndObject();
}

template <typename W>
void writeOptInt(W &J, const char *Key, const std::optional<int64_t> &V) {
  J.Key(Key);
  if (V)
    J.Int64(*V);
  else
    J.Null();
}

template <typename W>
void writeLoc(W &J, const std::optional<SourceLocation> &Loc) {
  J.Key("loc");
  if (Loc)
    J.String(Loc->str().c_str());
  else
    J.Null();
}

template <typename W> void writeMix(W &J, const InstructionMix &M) {
  J.StartObject();
  const std::pair<const char *, int64_t> Fields[] = {{"load", M.Load},
                                                     {"store", M.Store},
                                                     {"call", M.Call},
                                                     {"fp_arith", M.FpArith},
                                                     {"int_arith", M.IntArith},
                                                     {"branch", M.Branch},
                                                     {"cmp", M.Cmp},
                                                     {"phi", M.Phi},
                                                     {"gep", M.Gep},
                                                     {"cast", M.Cast},
                                                     {"vector", M.Vector},
                                                     {"other", M.Other}};
  for (const auto &F : Fields) {
    J.Key(F.first);
    J.Int64(F.second);
  }
  J.EndObject();
}

template <typename W> void writeLoopFeatures(W &J, const LoopFeatures &L) {
  J.StartObject();
  J.Key("depth");
  J.Int64(L.Depth);
  J.Key("parent");
  if (L.Parent)
    J.String(L.Parent->c_str());
  else
    J.Null();
  writeOptInt(J, "line", L.Line);
  J.Key("innermost");
  J.Bool(L.Innermost);
  J.Key("trip_count");
  J.StartObject();
  J.Key("kind");
  J.String(std::string(tripCountKindName(L.Trip.Kind)).c_str());
  writeOptInt(J, "value", L.Trip.Value);
  J.EndObject();
  J.Key("blocks");
  J.Int64(L.Blocks);
  J.Key("instructions");
  J.Int64(L.Instructions);
  J.Key("has_calls");
  J.Bool(L.HasCalls);
  J.Key("accesses");
  J.StartObject();
  J.Key("loads");
  J.Int64(L.Accesses.Loads);
  J.Key("stores");
  J.Int64(L.Accesses.Stores);
  J.Key("unit_stride");
  J.Int64(L.Accesses.UnitStride);
  J.Key("constant_stride");
  J.Int64(L.Accesses.ConstantStride);
  J.Key("irregular");
  J.Int64(L.Accesses.Irregular);
  J.Key("invariant");
  J.Int64(L.Accesses.Invariant);
  J.EndObject();
  J.EndObject();
}

template <typename W> void writeRegion(W &J, const HotRegion &R, size_t Rank) {
  J.StartObject();
  J.Key("rank");
  J.Uint64(Rank);
  J.Key("kind");
  J.String(R.Kind == RegionKind::Function ? "function" : "loop");
  J.Key("name");
  J.String(R.Name.c_str());
  J.Key("function");
  J.String(R.Function.c_str());
  J.Key("weight");
  if (R.Weight)
    J.Double(*R.Weight);
  else
    J.Null();
  if (R.InclusiveWeight) {
    J.Key("inclusive_weight");
    J.Double(*R.InclusiveWeight);
  }
  if (R.Basis) {
    J.Key("weight_basis");
    J.String(std::string(loopWeightBasisName(*R.Basis)).c_str());
  }
  J.Key("features");
  if (R.FnFeatures) {
    const FunctionFeatures &F = *R.FnFeatures;
    J.StartObject();
    J.Key("instructions");
    J.Int64(F.Instructions);
    J.Key("blocks");
    J.Int64(F.Blocks);
    J.Key("calls_direct");
    J.Int64(F.CallsDirect);
    J.Key("calls_indirect");
    J.Int64(F.CallsIndirect);
    J.Key("mix");
    writeMix(J, F.Mix);
    J.EndObject();
  } else if (R.Loop) {
    writeLoopFeatures(J, *R.Loop);
  } else {
    J.Null();
  }
  J.Key("remark_counts");
  writeCounts(J, R.RemarkCounts);
  J.Key("inlining");
  J.StartArray();
  for (const InlineDecision &I : R.Inlining) {
    J.StartObject();
    J.Key("caller");
    J.String(I.Caller.c_str());
    J.Key("callee");
    J.String(I.Callee.c_str());
    J.Key("inlined");
    J.Bool(I.Inlined);
    J.Key("remark");
    J.String(I.RemarkName.c_str());
    writeOptInt(J, "cost", I.Cost);
    writeOptInt(J, "threshold", I.Threshold);
    J.Key("reason");
    J.String(I.Reason.c_str());
    J.Key("count");
    J.Int64(I.Count);
    writeLoc(J, I.Loc);
    J.EndObject();
  }
  J.EndArray();
  J.Key("vectorization");
  J.StartArray();
  for (const VectorizeDecision &V : R.Vectorization) {
    J.StartObject();
    writeLoc(J, V.Loc);
    J.Key("vectorized");
    J.Bool(V.Vectorized);
    J.Key("interleaved");
    J.Bool(V.Interleaved);
    writeOptInt(J, "width", V.Width);
    writeOptInt(J, "interleave_count", V.InterleaveCount);
    J.Key("reasons");
    J.StartArray();
    for (const std::string &S : V.Reasons)
      J.String(S.c_str());
    J.EndArray();
    J.EndObject();
  }
  J.EndArray();
  J.Key("remarks");
  J.StartArray();
  for (const RemarkHighlight &H : R.Highlights) {
    J.StartObject();
    J.Key("kind");
    J.String(std::string(remarkKindName(H.Kind)).c_str());
    J.Key("pass");
    J.String(H.Pass.c_str());
    J.Key("name");
    J.String(H.Name.c_str());
    J.Key("count");
    J.Int64(H.Count);
    writeLoc(J, H.Loc);
    J.Key("message");
    J.String(H.Message.c_str());
    J.EndObject();
  }
  J.EndArray();
  if (R.Kind == RegionKind::Function) {
    J.Key("pass_effects");
    J.StartArray();
    for (const FunctionPassEffect &E : R.PassEffects) {
      J.StartObject();
      J.Key("pass");
      J.String(E.Pass.c_str());
      J.Key("runs");
      J.Int64(E.Runs);
      J.Key("changed_runs");
      J.Int64(E.ChangedRuns);
      J.Key("instruction_delta");
      J.Int64(E.InstructionDelta);
      J.EndObject();
    }
    J.EndArray();
  }
  J.EndObject();
}

template <typename W> void writeDigest(W &J, const EvidenceDigest &D) {
  J.StartObject();
  J.Key("schema");
  J.String("autopass-digest/1");
  J.Key("program");
  J.String(D.Program.c_str());
  J.Key("profile");
  J.String(D.ProfileDescription.c_str());
  J.Key("remark_totals");
  if (D.HaveRemarks)
    writeCounts(J, D.RemarkTotals);
  else
    J.Null();
  J.Key("regions");
  J.StartArray();
  for (size_t I = 0; I < D.Regions.size(); ++I)
    writeRegion(J, D.Regions[I], I + 1);
  J.EndArray();
  J.Key("passes");
  J.StartArray();
  for (const PassSummary &P : D.TopPasses) {
    J.StartObject();
    J.Key("pass");
    J.String(P.Pass.c_str());
    J.Key("runs");
    J.Int64(P.Runs);
    J.Key("changed_runs");
    J.Int64(P.ChangedRuns);
    J.Key("instruction_delta");
    J.Int64(P.InstructionDelta);
    J.Key("time_us");
    J.Double(P.TimeUs);
    J.EndObject();
  }
  J.EndArray();
  J.Key("measurements");
  J.StartArray();
  for (const MeasurementSummary &M : D.Measurements) {
    J.StartObject();
    J.Key("config");
    J.String(M.ConfigHash.c_str());
    J.Key("changes");
    J.String(M.Changes.c_str());
    auto optDouble = [&](const char *K, const std::optional<double> &V) {
      J.Key(K);
      if (V)
        J.Double(*V);
      else
        J.Null();
    };
    optDouble("speedup", M.Speedup);
    optDouble("speedup_low", M.SpeedupLow);
    optDouble("speedup_high", M.SpeedupHigh);
    J.Key("status");
    J.String(M.Status.c_str());
    J.EndObject();
  }
  J.EndArray();
  J.Key("notes");
  J.StartArray();
  for (const std::string &N : D.Notes)
    J.String(N.c_str());
  J.EndArray();
  J.EndObject();
}

} // namespace

std::string EvidenceDigest::toJson(bool Pretty) const {
  rapidjson::StringBuffer Buf;
  // Names and remark messages come from the IR and may hold any bytes; the
  // util/Json writers keep the digest valid JSON.
  if (Pretty) {
    PrettyJsonWriter J(Buf);
    J.SetIndent(' ', 2);
    writeDigest(J, *this);
  } else {
    JsonWriter J(Buf);
    writeDigest(J, *this);
  }
  return std::string(Buf.GetString(), Buf.GetSize());
}

} // namespace autopass
