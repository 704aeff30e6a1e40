//===- evidence/IntrospectionReader.cpp - autopass-introspect/1 reader ---===//
#include "evidence/IntrospectionReader.hpp"

#include "evidence/JsonFields.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace autopass {

namespace {

bool isKnownUnitKind(std::string_view K) {
  return K == "module" || K == "cgscc" || K == "function" || K == "loop";
}

/// The optional "source" (loop units) and "sources" (function and SCC
/// units) of a record.
void readSources(JsonFields &J, const rapidjson::Value &Obj,
                 const std::string &P, PassRecord &R) {
  if (Obj.HasMember("source"))
    if (const rapidjson::Value *S = J.object(Obj, P, "source")) {
      std::string SP = jsonPath(P, "source");
      LoopSource L;
      L.Function = J.string(*S, SP, "function");
      L.File = J.string(*S, SP, "file");
      L.Line = J.int64(*S, SP, "line");
      R.Source = std::move(L);
    }
  if (!Obj.HasMember("sources"))
    return;
  const rapidjson::Value *A = J.array(Obj, P, "sources");
  std::string AP = jsonPath(P, "sources");
  for (rapidjson::SizeType I = 0; A && I < A->Size() && !J.failed(); ++I) {
    std::string SP = jsonPath(AP, I);
    if (!J.expectObject((*A)[I], SP))
      return;
    SourceCount C;
    C.Function = J.string((*A)[I], SP, "function");
    C.InstructionsBefore = J.int64((*A)[I], SP, "instructions_before");
    C.InstructionsAfter = J.int64((*A)[I], SP, "instructions_after");
    C.Changed = J.boolean((*A)[I], SP, "changed");
    R.Sources.push_back(std::move(C));
  }
}

void readRecord(JsonFields &J, const rapidjson::Value &Obj,
                const std::string &P, PassRecord &R) {
  if (!J.expectObject(Obj, P))
    return;
  R.Seq = J.int64(Obj, P, "seq");
  R.Pass = J.string(Obj, P, "pass");
  R.UnitKind = J.string(Obj, P, "unit_kind");
  if (!J.failed() && !isKnownUnitKind(R.UnitKind))
    J.fail(jsonPath(P, "unit_kind"),
           "\"module\", \"cgscc\", \"function\" or \"loop\", got \"" +
               R.UnitKind + "\"");
  R.Unit = J.string(Obj, P, "unit");
  R.InstructionsBefore = J.int64(Obj, P, "instructions_before");
  R.InstructionsAfter = J.int64(Obj, P, "instructions_after");
  R.BlocksBefore = J.int64(Obj, P, "blocks_before");
  R.BlocksAfter = J.int64(Obj, P, "blocks_after");
  R.Changed = J.boolean(Obj, P, "changed");
  R.TimeUs = J.number(Obj, P, "time_us");
  readSources(J, Obj, P, R);
}

void readSummary(JsonFields &J, const rapidjson::Value &Obj,
                 const std::string &P, PassSummary &S) {
  if (!J.expectObject(Obj, P))
    return;
  S.Pass = J.string(Obj, P, "pass");
  S.Runs = J.int64(Obj, P, "runs");
  S.ChangedRuns = J.int64(Obj, P, "changed_runs");
  S.InstructionDelta = J.int64(Obj, P, "instruction_delta");
  S.TimeUs = J.number(Obj, P, "time_us");
}

void readDiff(JsonFields &J, const rapidjson::Value &Obj, const std::string &P,
              IrDiff &D) {
  if (!J.expectObject(Obj, P))
    return;
  D.Seq = J.int64(Obj, P, "seq");
  D.Pass = J.string(Obj, P, "pass");
  D.Function = J.string(Obj, P, "function");
  D.Diff = J.string(Obj, P, "diff");
  D.Truncated = J.boolean(Obj, P, "truncated");
}

template <typename T, typename ReadFn>
void readArray(JsonFields &J, const rapidjson::Value &Root, const char *Key,
               bool Required, std::vector<T> &Out, ReadFn Read) {
  if (!Required && !Root.HasMember(Key))
    return;
  const rapidjson::Value *A = J.array(Root, "", Key);
  for (rapidjson::SizeType I = 0; A && I < A->Size() && !J.failed(); ++I) {
    T Item;
    Read(J, (*A)[I], jsonPath(Key, I), Item);
    Out.push_back(std::move(Item));
  }
}

std::string signedText(int64_t V) {
  return (V > 0 ? "+" : "") + std::to_string(V);
}

} // namespace

Result<Introspection> Introspection::parse(std::string_view JsonText,
                                           std::string_view SourceName) {
  Result<rapidjson::Document> Doc = parseJsonText(JsonText, SourceName);
  if (!Doc)
    return Doc.error();
  JsonFields J{std::string(SourceName)};
  J.expectSchema(*Doc, "autopass-introspect/1");
  if (J.failed())
    return J.error();
  Introspection I;
  I.Module = J.string(*Doc, "", "module");
  readArray(J, *Doc, "records", true, I.Records, readRecord);
  readArray(J, *Doc, "summary", true, I.Summary, readSummary);
  // Diffs are only written when asked for, so their absence is normal.
  readArray(J, *Doc, "diffs", false, I.Diffs, readDiff);
  if (J.failed())
    return J.error();
  return I;
}

Result<Introspection> Introspection::load(const std::string &Path) {
  Result<std::string> Text = readTextFile(Path);
  if (!Text)
    return Text.error();
  return parse(*Text, Path);
}

std::vector<PassSummary>
mergeSummaries(const std::vector<std::vector<PassSummary>> &PerModule) {
  std::map<std::string, PassSummary> ByPass;
  for (const auto &Module : PerModule)
    for (const PassSummary &S : Module) {
      PassSummary &M = ByPass[S.Pass];
      M.Pass = S.Pass;
      M.Runs += S.Runs;
      M.ChangedRuns += S.ChangedRuns;
      M.InstructionDelta += S.InstructionDelta;
      M.TimeUs += S.TimeUs;
    }
  std::vector<PassSummary> Out;
  for (auto &KV : ByPass)
    Out.push_back(std::move(KV.second));
  return Out;
}

std::vector<FunctionPassEffect>
functionPassEffects(const std::vector<PassRecord> &Records,
                    std::string_view Function) {
  std::string LoopPrefix = std::string(Function) + ":L";
  std::map<std::string, FunctionPassEffect> ByPass;
  for (const PassRecord &R : Records) {
    bool Mine = (R.UnitKind == "function" && R.Unit == Function) ||
                (R.UnitKind == "loop" && startsWith(R.Unit, LoopPrefix));
    if (!Mine)
      continue;
    FunctionPassEffect &E = ByPass[R.Pass];
    E.Pass = R.Pass;
    ++E.Runs;
    E.ChangedRuns += R.Changed ? 1 : 0;
    E.InstructionDelta += R.instructionDelta();
  }
  std::vector<FunctionPassEffect> Out;
  for (auto &KV : ByPass)
    if (KV.second.ChangedRuns > 0)
      Out.push_back(std::move(KV.second));
  std::stable_sort(Out.begin(), Out.end(), [](const auto &A, const auto &B) {
    return std::llabs(A.InstructionDelta) > std::llabs(B.InstructionDelta);
  });
  return Out;
}

std::vector<PassSummaryDelta>
diffSummaries(const std::vector<PassSummary> &Parent,
              const std::vector<PassSummary> &Candidate) {
  // A pass may appear more than once if a caller concatenated modules; the
  // merge makes each pass one row.
  std::map<std::string, PassSummaryDelta> ByPass;
  for (const PassSummary &S : mergeSummaries({Parent})) {
    PassSummaryDelta &D = ByPass[S.Pass];
    D.Pass = S.Pass;
    D.Parent = S;
    D.InParent = true;
  }
  for (const PassSummary &S : mergeSummaries({Candidate})) {
    PassSummaryDelta &D = ByPass[S.Pass];
    D.Pass = S.Pass;
    D.Candidate = S;
    D.InCandidate = true;
  }
  std::vector<PassSummaryDelta> Out;
  for (auto &KV : ByPass)
    if (!KV.second.identical())
      Out.push_back(std::move(KV.second));
  std::stable_sort(Out.begin(), Out.end(), [](const auto &A, const auto &B) {
    bool AOneSided = A.InParent != A.InCandidate;
    bool BOneSided = B.InParent != B.InCandidate;
    if (AOneSided != BOneSided)
      return AOneSided;
    int64_t AI = std::llabs(A.instructionDeltaDifference());
    int64_t BI = std::llabs(B.instructionDeltaDifference());
    if (AI != BI)
      return AI > BI;
    return std::llabs(A.changedRunsDelta()) > std::llabs(B.changedRunsDelta());
  });
  return Out;
}

std::string renderSummaryDiff(const std::vector<PassSummaryDelta> &Deltas,
                              size_t MaxRows) {
  std::string Out;
  size_t Shown = 0;
  for (const PassSummaryDelta &D : Deltas) {
    if (Shown == MaxRows)
      break;
    ++Shown;
    Out += D.Pass + ": ";
    if (!D.InParent) {
      Out += "only in candidate (runs " + std::to_string(D.Candidate.Runs) +
             ", changed " + std::to_string(D.Candidate.ChangedRuns) +
             ", instr delta " + signedText(D.Candidate.InstructionDelta) +
             ")\n";
      continue;
    }
    if (!D.InCandidate) {
      Out += "only in parent (runs " + std::to_string(D.Parent.Runs) +
             ", changed " + std::to_string(D.Parent.ChangedRuns) +
             ", instr delta " + signedText(D.Parent.InstructionDelta) + ")\n";
      continue;
    }
    std::vector<std::string> Parts;
    if (D.runsDelta())
      Parts.push_back("runs " + std::to_string(D.Parent.Runs) + "->" +
                      std::to_string(D.Candidate.Runs));
    if (D.changedRunsDelta())
      Parts.push_back("changed " + std::to_string(D.Parent.ChangedRuns) + "->" +
                      std::to_string(D.Candidate.ChangedRuns) + " (" +
                      signedText(D.changedRunsDelta()) + ")");
    if (D.instructionDeltaDifference())
      Parts.push_back("instr delta " + signedText(D.Parent.InstructionDelta) +
                      "->" + signedText(D.Candidate.InstructionDelta) + " (" +
                      signedText(D.instructionDeltaDifference()) + ")");
    Out += join(Parts, ", ") + "\n";
  }
  if (Deltas.size() > Shown)
    Out += "[... " + std::to_string(Deltas.size() - Shown) +
           " more passes differ]\n";
  return Out;
}

} // namespace autopass
