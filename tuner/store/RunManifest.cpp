//===- store/RunManifest.cpp - What a run directory is bound to -----------===//
#include "store/RunManifest.hpp"

#include "measure/MeasurementPlan.hpp"
#include "spec/ProgramSpec.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <cstdio>

namespace autopass {

namespace {

constexpr const char *ManifestName = "run-manifest.json";
constexpr const char *Schema = "autopass-run-manifest/1";

Result<RunManifest::File> hashedFile(const std::string &Path, const std::string &What) {
  auto Digest = fileSha256(Path);
  if (!Digest)
    return makeError("cannot hash the " + What + ": " + Digest.message());
  return RunManifest::File{Path, *Digest};
}

std::string number(double V) {
  char Buf[64];
  std::snprintf(Buf, sizeof(Buf), "%.15g", V);
  return Buf;
}

Result<RunManifest::File> parseFile(const rapidjson::Value &V, const std::string &Source,
                                    const std::string &Path) {
  auto O = JsonObject::from(V, Source, Path);
  if (!O)
    return O.error();
  auto P = O->getString("path");
  if (!P)
    return P.error();
  auto H = O->getString("sha256");
  if (!H)
    return H.error();
  return RunManifest::File{*P, *H};
}

/// The `target` object; a manifest written before cross targets has none,
/// and its run was built for and run on this host.
Status parseTarget(const JsonObject &Top, RunManifest &M) {
  auto Found = Top.optObject("target");
  if (!Found)
    return Found.error();
  if (!*Found) {
    M.TargetTriple = TargetSpec{}.effectiveTriple();
    return success();
  }
  const JsonObject *O = &**Found;
  if (Status S = O->checkKeys({"triple", "cpu", "runner"}); !S)
    return S;
  for (auto [Key, Field] : {std::pair{"triple", &M.TargetTriple}, std::pair{"cpu", &M.TargetCpu},
                            std::pair{"runner", &M.RunnerKindName}}) {
    auto V = O->getString(Key);
    if (!V)
      return V.error();
    *Field = *V;
  }
  return success();
}

} // namespace

Result<RunManifest> RunManifest::describe(const ProgramSpec &Spec, const MeasurementPlan &Plan) {
  RunManifest M;
  if (!Spec.SpecPath.empty()) {
    auto F = hashedFile(Spec.SpecPath, "spec file");
    if (!F)
      return F.error();
    M.Spec = *F;
  } else {
    // A spec built in memory: its recorded form stands for the file.
    M.Spec = {"", sha256Hex(Spec.toJson())};
  }
  for (const std::string &Src : Spec.Sources) {
    auto F = hashedFile(Src, "source " + Src);
    if (!F)
      return F.error();
    M.Sources.push_back(*F);
  }
  M.Objective = std::string(objectiveKindName(Spec.Objective.Kind));
  M.TargetTriple = Spec.Target.effectiveTriple();
  if (!Spec.Target.Cpu.empty())
    M.TargetCpu = Spec.Target.Cpu;
  M.RunnerKindName = std::string(runnerKindName(Spec.Runner.Kind));
  M.Measurement = {{"warmups", std::to_string(Plan.Warmups)},
                   {"min_reps", std::to_string(Plan.MinReps)},
                   {"max_reps", std::to_string(Plan.MaxReps)},
                   {"target_ci", number(Plan.TargetCi)},
                   {"confidence", number(Plan.Confidence)},
                   {"resamples", std::to_string(Plan.Resamples)},
                   {"seed", std::to_string(Plan.Seed)},
                   {"randomize_order", Plan.RandomizeOrder ? "true" : "false"},
                   {"skip_identical", Plan.SkipIdenticalToBaseline ? "true" : "false"},
                   {"pin_cpu", Plan.PinCpu ? std::to_string(*Plan.PinCpu) : "none"}};
  // The fixed rule has no entry, as in the manifests of runs made before
  // the sequential rule: those resume with --fixed-rule.
  if (Plan.Sequential)
    M.Measurement["stopping_rule"] = "sequential margin " + number(Plan.ClearMargin) +
                                     " from " + std::to_string(Plan.DecisionReps);
  return M;
}

std::string RunManifest::toJson() const {
  JsonOut J;
  J.beginObject().field("schema", Schema);
  J.key("spec").beginObject().field("path", Spec.Path).field("sha256", Spec.Sha256).endObject();
  J.key("sources").beginArray();
  for (const File &F : Sources)
    J.beginObject().field("path", F.Path).field("sha256", F.Sha256).endObject();
  J.endArray();
  J.field("objective", Objective);
  J.key("target")
      .beginObject()
      .field("triple", TargetTriple)
      .field("cpu", TargetCpu)
      .field("runner", RunnerKindName)
      .endObject();
  J.key("measurement").beginObject();
  for (const auto &[Name, Value] : Measurement)
    J.field(Name, Value);
  J.endObject();
  J.endObject();
  return prettyJson(J.str());
}

Result<RunManifest> RunManifest::parse(const std::string &JsonText, const std::string &Source) {
  auto Doc = parseJsonText(JsonText, Source);
  if (!Doc)
    return Doc.error();
  auto Top = JsonObject::from(**Doc, Source, "");
  if (!Top)
    return Top.error();
  if (Status S = Top->checkKeys({"schema", "spec", "sources", "objective", "target", "measurement"}); !S)
    return S.error();
  auto SchemaName = Top->getString("schema");
  if (!SchemaName)
    return SchemaName.error();
  if (*SchemaName != Schema)
    return Top->error("schema", "\"" + std::string(Schema) + "\"");
  RunManifest M;
  if (!Top->has("spec"))
    return Top->error("spec", "an object with path and sha256");
  auto SpecFile = parseFile((**Doc)["spec"], Source, "spec");
  if (!SpecFile)
    return SpecFile.error();
  M.Spec = *SpecFile;
  if (!Top->has("sources") || !(**Doc)["sources"].IsArray())
    return Top->error("sources", "an array of {path, sha256}");
  const auto &Sources = (**Doc)["sources"];
  for (rapidjson::SizeType I = 0; I < Sources.Size(); ++I) {
    auto F = parseFile(Sources[I], Source, "sources[" + std::to_string(I) + "]");
    if (!F)
      return F.error();
    M.Sources.push_back(*F);
  }
  auto Objective = Top->getString("objective");
  if (!Objective)
    return Objective.error();
  M.Objective = *Objective;
  if (Status S = parseTarget(*Top, M); !S)
    return S.error();
  auto Measurement = Top->optStringMap("measurement");
  if (!Measurement)
    return Measurement.error();
  if (!*Measurement)
    return Top->error("measurement", "an object of settings");
  M.Measurement = **Measurement;
  return M;
}

std::vector<std::string> RunManifest::differences(const RunManifest &Asked) const {
  std::vector<std::string> Out;
  if (Spec.Path != Asked.Spec.Path)
    Out.push_back("the spec is " + Asked.Spec.Path + ", the run's is " + Spec.Path);
  else if (Spec.Sha256 != Asked.Spec.Sha256)
    Out.push_back("the spec file " + Spec.Path + " changed since the run started");
  if (Sources != Asked.Sources) {
    std::vector<std::string> Changed;
    for (const File &F : Asked.Sources) {
      bool Known = false, Same = false;
      for (const File &G : Sources)
        if (G.Path == F.Path) {
          Known = true;
          Same = G.Sha256 == F.Sha256;
        }
      if (!Known)
        Changed.push_back(F.Path + " (not a source of the run)");
      else if (!Same)
        Changed.push_back(F.Path + " (changed)");
    }
    if (Changed.empty())
      Changed.push_back("the list of sources");
    Out.push_back("sources differ: " + join(Changed, ", "));
  }
  if (Objective != Asked.Objective)
    Out.push_back("the objective is " + Asked.Objective + ", the run's is " + Objective);
  if (TargetTriple != Asked.TargetTriple)
    Out.push_back("the target is " + Asked.TargetTriple + ", the run's is " + TargetTriple);
  if (TargetCpu != Asked.TargetCpu)
    Out.push_back("the cpu is " + Asked.TargetCpu + ", the run's is " + TargetCpu);
  if (RunnerKindName != Asked.RunnerKindName)
    Out.push_back("the runner is " + Asked.RunnerKindName + ", the run's is " + RunnerKindName);
  for (const auto &[Name, Value] : Measurement) {
    auto It = Asked.Measurement.find(Name);
    std::string Now = It == Asked.Measurement.end() ? "unset" : It->second;
    if (Now != Value)
      Out.push_back("measurement setting " + Name + " is " + Now + ", the run's is " + Value);
  }
  for (const auto &[Name, Value] : Asked.Measurement)
    if (!Measurement.count(Name))
      Out.push_back("measurement setting " + Name + " is " + Value + ", the run has none");
  return Out;
}

Status bindRunDirectory(const std::string &RunPath, bool Resumed, const RunManifest &Manifest) {
  std::string Path = joinPath(RunPath, ManifestName);
  if (!Resumed || !pathExists(Path))
    return writeFileAtomically(Path, Manifest.toJson());
  auto Text = readFile(Path);
  if (!Text)
    return Text.error();
  auto Recorded = RunManifest::parse(*Text, Path);
  if (!Recorded)
    return makeError("cannot resume: " + Recorded.message());
  std::vector<std::string> Diff = Recorded->differences(Manifest);
  if (Diff.empty())
    return success();
  return makeError("cannot resume the run in " + RunPath + ": it belongs to another program or "
                   "setting (" + Path + "): " + join(Diff, "; ") +
                   ". Resume with the run's own spec, objective, --target/--mcpu/--runner "
                   "and measurement options, or "
                   "start a new run in another --run-dir");
}

} // namespace autopass
