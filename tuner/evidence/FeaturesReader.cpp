//===- evidence/FeaturesReader.cpp - autopass-features/1 reader ----------===//
#include "evidence/FeaturesReader.hpp"

#include "evidence/JsonFields.hpp"

namespace autopass {

std::string_view tripCountKindName(TripCountKind K) {
  switch (K) {
  case TripCountKind::Constant:
    return "constant";
  case TripCountKind::Max:
    return "max";
  case TripCountKind::Unknown:
    break;
  }
  return "unknown";
}

std::string TripCount::str() const {
  if (!Value || Kind == TripCountKind::Unknown)
    return "?";
  if (Kind == TripCountKind::Max)
    return "<=" + std::to_string(*Value);
  return std::to_string(*Value);
}

const LoopFeatures *
FunctionFeatures::findLoop(std::string_view LoopName) const {
  for (const LoopFeatures &L : Loops)
    if (L.Name == LoopName)
      return &L;
  return nullptr;
}

bool FunctionFeatures::isWithin(const LoopFeatures &Inner,
                                const LoopFeatures &Outer) const {
  const LoopFeatures *Cur = &Inner;
  // Depth bounds the walk, so a malformed parent cycle cannot loop forever.
  for (size_t Steps = 0; Cur && Steps <= Loops.size(); ++Steps) {
    if (Cur->Name == Outer.Name)
      return true;
    Cur = Cur->Parent ? findLoop(*Cur->Parent) : nullptr;
  }
  return false;
}

const FunctionFeatures *
ModuleFeatures::findFunction(std::string_view Name) const {
  for (const FunctionFeatures &F : Functions)
    if (F.Name == Name)
      return &F;
  return nullptr;
}

const FunctionFeatures *findFunction(const std::vector<ModuleFeatures> &Mods,
                                     std::string_view Name) {
  for (const ModuleFeatures &M : Mods)
    if (const FunctionFeatures *F = M.findFunction(Name))
      return F;
  return nullptr;
}

namespace {

void readMix(JsonFields &J, const rapidjson::Value &Obj, const std::string &P,
             InstructionMix &M) {
  M.Load = J.int64(Obj, P, "load");
  M.Store = J.int64(Obj, P, "store");
  M.Call = J.int64(Obj, P, "call");
  M.FpArith = J.int64(Obj, P, "fp_arith");
  M.IntArith = J.int64(Obj, P, "int_arith");
  M.Branch = J.int64(Obj, P, "branch");
  M.Cmp = J.int64(Obj, P, "cmp");
  M.Phi = J.int64(Obj, P, "phi");
  M.Gep = J.int64(Obj, P, "gep");
  M.Cast = J.int64(Obj, P, "cast");
  M.Vector = J.int64(Obj, P, "vector");
  M.Other = J.int64(Obj, P, "other");
}

void readTrip(JsonFields &J, const rapidjson::Value &Obj, const std::string &P,
              TripCount &T) {
  std::string Kind = J.string(Obj, P, "kind");
  if (J.failed())
    return;
  if (Kind == "constant")
    T.Kind = TripCountKind::Constant;
  else if (Kind == "max")
    T.Kind = TripCountKind::Max;
  else if (Kind == "unknown")
    T.Kind = TripCountKind::Unknown;
  else
    return J.fail(jsonPath(P, "kind"),
                  "\"constant\", \"max\" or \"unknown\", got \"" + Kind + "\"");
  T.Value = J.optInt64(Obj, P, "value");
  if (T.Kind != TripCountKind::Unknown && !T.Value)
    J.fail(jsonPath(P, "value"), "an integer when kind is \"" + Kind + "\"");
  if (T.Value && *T.Value < 0)
    J.fail(jsonPath(P, "value"), "a non-negative integer");
}

/// Optional "source_lines": [FIRST, LAST], 1 <= FIRST <= LAST.
std::optional<LineRange> readSourceLines(JsonFields &J,
                                         const rapidjson::Value &Obj,
                                         const std::string &P) {
  if (!Obj.HasMember("source_lines"))
    return std::nullopt;
  const rapidjson::Value *A = J.array(Obj, P, "source_lines");
  if (!A)
    return std::nullopt;
  std::string Path = jsonPath(P, "source_lines");
  if (A->Size() != 2 || !(*A)[0].IsInt64() || !(*A)[1].IsInt64() ||
      (*A)[0].GetInt64() < 1 || (*A)[0].GetInt64() > (*A)[1].GetInt64()) {
    J.fail(Path, "[FIRST, LAST], two line numbers with 1 <= FIRST <= LAST");
    return std::nullopt;
  }
  return LineRange{(*A)[0].GetInt64(), (*A)[1].GetInt64()};
}

void readLoop(JsonFields &J, const rapidjson::Value &Obj, const std::string &P,
              LoopFeatures &L) {
  if (!J.expectObject(Obj, P))
    return;
  L.Name = J.string(Obj, P, "name");
  L.Parent = J.optString(Obj, P, "parent");
  L.Depth = J.int64(Obj, P, "depth");
  if (!J.failed() && L.Depth < 1)
    J.fail(jsonPath(P, "depth"), "an integer >= 1");
  L.Line = J.optInt64(Obj, P, "line");
  L.EndLine = J.optInt64(Obj, P, "end_line");
  L.SourceLines = readSourceLines(J, Obj, P);
  L.Innermost = J.boolean(Obj, P, "innermost");
  if (const rapidjson::Value *T = J.object(Obj, P, "trip_count"))
    readTrip(J, *T, jsonPath(P, "trip_count"), L.Trip);
  L.Blocks = J.int64(Obj, P, "blocks");
  L.Instructions = J.int64(Obj, P, "instructions");
  L.HasCalls = J.boolean(Obj, P, "has_calls");
  if (const rapidjson::Value *A = J.object(Obj, P, "accesses")) {
    std::string AP = jsonPath(P, "accesses");
    L.Accesses.Loads = J.int64(*A, AP, "loads");
    L.Accesses.Stores = J.int64(*A, AP, "stores");
    L.Accesses.UnitStride = J.int64(*A, AP, "unit_stride");
    L.Accesses.ConstantStride = J.int64(*A, AP, "constant_stride");
    L.Accesses.Irregular = J.int64(*A, AP, "irregular");
    L.Accesses.Invariant = J.int64(*A, AP, "invariant");
  }
}

void readFunction(JsonFields &J, const rapidjson::Value &Obj,
                  const std::string &P, FunctionFeatures &F) {
  if (!J.expectObject(Obj, P))
    return;
  F.Name = J.string(Obj, P, "name");
  F.File = J.optString(Obj, P, "file");
  F.SourceLines = readSourceLines(J, Obj, P);
  F.Instructions = J.int64(Obj, P, "instructions");
  F.Blocks = J.int64(Obj, P, "blocks");
  F.CallsDirect = J.int64(Obj, P, "calls_direct");
  F.CallsIndirect = J.int64(Obj, P, "calls_indirect");
  if (const rapidjson::Value *M = J.object(Obj, P, "mix"))
    readMix(J, *M, jsonPath(P, "mix"), F.Mix);
  const rapidjson::Value *Loops = J.array(Obj, P, "loops");
  if (!Loops)
    return;
  std::string LP = jsonPath(P, "loops");
  for (rapidjson::SizeType I = 0; I < Loops->Size() && !J.failed(); ++I) {
    LoopFeatures L;
    readLoop(J, (*Loops)[I], jsonPath(LP, I), L);
    F.Loops.push_back(std::move(L));
  }
  // A parent must name a loop of the same function, or the loop tree (and
  // every weight attributed through it) would be wrong.
  for (size_t I = 0; I < F.Loops.size() && !J.failed(); ++I)
    if (F.Loops[I].Parent && !F.findLoop(*F.Loops[I].Parent))
      J.fail(jsonPath(jsonPath(LP, I), "parent"),
             "the name of another loop of '" + F.Name + "', got \"" +
                 *F.Loops[I].Parent + "\"");
}

} // namespace

Result<ModuleFeatures> ModuleFeatures::parse(std::string_view JsonText,
                                             std::string_view SourceName) {
  Result<rapidjson::Document> Doc = parseJsonText(JsonText, SourceName);
  if (!Doc)
    return Doc.error();
  JsonFields J{std::string(SourceName)};
  J.expectSchema(*Doc, "autopass-features/1");
  if (J.failed())
    return J.error();
  ModuleFeatures M;
  M.Module = J.string(*Doc, "", "module");
  const rapidjson::Value *Fns = J.array(*Doc, "", "functions");
  for (rapidjson::SizeType I = 0; Fns && I < Fns->Size() && !J.failed(); ++I) {
    FunctionFeatures F;
    readFunction(J, (*Fns)[I], jsonPath("functions", I), F);
    M.Functions.push_back(std::move(F));
  }
  if (J.failed())
    return J.error();
  return M;
}

Result<ModuleFeatures> ModuleFeatures::load(const std::string &Path) {
  Result<std::string> Text = readTextFile(Path);
  if (!Text)
    return Text.error();
  return parse(*Text, Path);
}

} // namespace autopass
