//===- driver/SuiteRun.cpp - Tune every program of a suite ----------------===//
#include "driver/SuiteRun.hpp"

#include "measure/Evaluator.hpp"
#include "search/ConfigChanges.hpp"
#include "search/Strategy.hpp"
#include "spec/ProgramSpec.hpp"
#include "store/RunDir.hpp"
#include "store/RunManifest.hpp"
#include "toolchain/CrossToolchain.hpp"
#include "toolchain/PgoBuilder.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Progress.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

namespace autopass {

namespace {

double number(const rapidjson::Value &O, const char *Key, double Default = 0) {
  if (O.IsObject() && O.HasMember(Key) && O[Key].IsNumber())
    return O[Key].GetDouble();
  return Default;
}

std::string text(const rapidjson::Value &O, const char *Key) {
  if (O.IsObject() && O.HasMember(Key) && O[Key].IsString())
    return O[Key].GetString();
  return "";
}

/// A finished cell in Dir is reused only when its run-manifest.json matches
/// what this suite run would record (spec, sources, objective, target, cpu,
/// runner, measurement settings); else the error names the differences.
Status checkFinishedCell(const std::string &Dir, const ProgramSpec &Spec,
                         const MeasurementPlan &Plan) {
  auto Manifest = RunManifest::describe(Spec, Plan);
  if (!Manifest)
    return Manifest.error();
  return bindRunDirectory(Dir, /*Resumed=*/true, *Manifest);
}

/// A finished (program, strategy) pair, read back from its tune-result.json.
/// A result written before tune recorded "changes" has them computed from
/// its configuration against the text O3Pipeline supplies.
Result<SuiteCell> cellFromTuneResult(const std::string &Path,
                                     const O3PipelineSource &O3Pipeline,
                                     double &BaselineSeconds) {
  auto Doc = parseJsonFile(Path);
  if (!Doc)
    return Doc.error();
  const rapidjson::Document &D = **Doc;
  if (text(D, "schema") != "autopass-tune-result/1")
    return makeError(Path + ": schema: expected \"autopass-tune-result/1\"");
  SuiteCell C;
  C.Strategy = text(D, "strategy");
  C.Finished = true;
  C.Evaluations = static_cast<unsigned>(number(D, "evaluations"));
  C.Rejected = static_cast<unsigned>(number(D, "rejected"));
  C.Seconds = number(D, "seconds");
  BaselineSeconds = number(D, "baseline_median");
  if (D.HasMember("best") && D["best"].IsObject()) {
    const rapidjson::Value &B = D["best"];
    C.Faster = true;
    C.Speedup = number(B, "speedup", 1.0);
    C.Lo = number(B, "ci_lo", 1.0);
    C.Hi = number(B, "ci_hi", 1.0);
    C.BestConfig = text(B, "config_path");
    C.Changes = changesOfTuneBest(B, O3Pipeline);
    if (B.HasMember("gain_origin") && B["gain_origin"].IsObject())
      C.EvidenceShare = number(B["gain_origin"], "evidence");
  }
  C.LayoutRejected = static_cast<unsigned>(number(D, "layout_rejected"));
  if (D.HasMember("steps") && D["steps"].IsArray())
    for (const rapidjson::Value &S : D["steps"].GetArray())
      C.Curve.push_back(number(S, "best_so_far", 1.0));
  return C;
}

SuiteCell cellFromOutcome(const TuneOutcome &T) {
  SuiteCell C;
  C.Strategy = T.Strategy;
  C.Finished = true;
  C.Evaluations = static_cast<unsigned>(T.Steps.size());
  C.Rejected = T.Rejected;
  C.Seconds = T.Seconds;
  if (T.Best) {
    C.Faster = true;
    C.Speedup = T.Confirmed->Speedup;
    C.Lo = T.Confirmed->CiLo;
    C.Hi = T.Confirmed->CiHi;
    C.BestConfig = T.BestConfigPath;
    C.Changes = T.BestChanges;
    C.EvidenceShare = T.Origin ? T.Origin->Evidence : 0;
  }
  C.LayoutRejected = T.LayoutRejected;
  for (const TuneStep &S : T.Steps)
    C.Curve.push_back(S.BestSoFar);
  return C;
}

void writeCell(JsonOut &J, const SuiteCell &C) {
  J.beginObject()
      .field("strategy", C.Strategy)
      .field("finished", C.Finished)
      .field("error", C.Error)
      .field("faster", C.Faster)
      .field("speedup", C.Speedup)
      .field("ci_lo", C.Lo)
      .field("ci_hi", C.Hi)
      .field("evaluations", static_cast<int64_t>(C.Evaluations))
      .field("rejected", static_cast<int64_t>(C.Rejected))
      .field("seconds", C.Seconds)
      .field("run_dir", C.RunDir)
      .field("best_config", C.BestConfig)
      .field("evidence_share", C.EvidenceShare)
      .field("layout_rejected", static_cast<int64_t>(C.LayoutRejected));
  J.key("changes").values(C.Changes);
  J.key("curve").values(C.Curve);
  J.endObject();
}

SuiteCell readCell(const rapidjson::Value &C) {
  SuiteCell Cell;
  Cell.Strategy = text(C, "strategy");
  Cell.Finished = C.HasMember("finished") && C["finished"].IsBool() && C["finished"].GetBool();
  Cell.Error = text(C, "error");
  Cell.Faster = C.HasMember("faster") && C["faster"].IsBool() && C["faster"].GetBool();
  Cell.Speedup = number(C, "speedup", 1.0);
  Cell.Lo = number(C, "ci_lo", 1.0);
  Cell.Hi = number(C, "ci_hi", 1.0);
  Cell.Evaluations = static_cast<unsigned>(number(C, "evaluations"));
  Cell.Rejected = static_cast<unsigned>(number(C, "rejected"));
  Cell.Seconds = number(C, "seconds");
  Cell.RunDir = text(C, "run_dir");
  Cell.BestConfig = text(C, "best_config");
  Cell.EvidenceShare = number(C, "evidence_share");
  Cell.LayoutRejected = static_cast<unsigned>(number(C, "layout_rejected"));
  if (C.HasMember("changes") && C["changes"].IsArray())
    for (const rapidjson::Value &V : C["changes"].GetArray())
      if (V.IsString())
        Cell.Changes.emplace_back(V.GetString());
  if (C.HasMember("curve") && C["curve"].IsArray())
    for (const rapidjson::Value &V : C["curve"].GetArray())
      Cell.Curve.push_back(V.IsNumber() ? V.GetDouble() : 1.0);
  return Cell;
}

/// The PGO comparator of one program, in RUN/PROGRAM/pgo: instrumented
/// build, one training run, -fprofile-use build, checked and measured
/// against -O3 like a candidate. Its cell is kept in results/pgo-cell.json
/// so a resumed suite reads it back.
SuiteCell runPgoCell(const ProgramSpec &Spec, const Toolchain &Tools, const std::string &Dir,
                     const SuiteSettings &Settings, Progress &Prog, double &BaselineSeconds) {
  SuiteCell C;
  C.Strategy = "pgo";
  C.RunDir = Dir;
  std::string Finished = joinPath(Dir, "results/pgo-cell.json");
  if (Settings.Resume && pathExists(Finished)) {
    if (Status S = checkFinishedCell(Dir, Spec, Settings.Plan); !S) {
      C.Error = S.message();
      return C;
    }
    auto Doc = parseJsonFile(Finished);
    if (Doc && (*Doc)->IsObject() && text(**Doc, "schema") == "autopass-suite-pgo/1" &&
        (*Doc)->HasMember("cell")) {
      SuiteCell Read = readCell((**Doc)["cell"]);
      Read.RunDir = Dir;
      BaselineSeconds = number(**Doc, "baseline_median");
      Prog.note(Spec.Name + " / pgo: finished earlier, read from " + Finished);
      return Read;
    }
    Prog.warn(Finished + ": unreadable (" + (Doc ? "not a pgo cell" : Doc.message()) +
              "); running again");
  }
  Prog.note("== " + Spec.Name + " / pgo");
  auto Start = std::chrono::steady_clock::now();
  auto Run = RunDir::open(Dir, Settings.Resume && pathExists(Dir), /*Quiet=*/true);
  if (!Run) {
    C.Error = Run.message();
    return C;
  }
  auto Eval = Evaluator::create(Spec, Tools, **Run, Settings.Plan, Settings.Jobs, &Prog);
  if (!Eval) {
    C.Error = Eval.message();
    return C;
  }
  auto Base = (*Eval)->prepareBaseline();
  if (!Base) {
    C.Error = Base.message();
    return C;
  }
  Prog.update(Spec.Name + ": PGO instrumented build and training");
  PgoBuilder Pgo(Spec, Tools, joinPath(Dir, "pgo"));
  auto Profile = Pgo.train(1);
  if (!Profile) {
    C.Error = "training: " + Profile.message();
    return C;
  }
  Prog.update(Spec.Name + ": PGO optimized build and measurement");
  BuildResult B = Pgo.buildOptimized(*Profile, "pgo");
  // Measured like a confirmation: a comparator deserves as many pairs.
  MeasurementPlan Plan = Settings.Plan;
  Plan.MinReps = std::max(Plan.MinReps, Settings.Tune.ConfirmReps);
  Plan.MaxReps = std::max(Plan.MaxReps, Plan.MinReps * 3);
  Plan.SkipIdenticalToBaseline = false;
  EvaluationResult R = (*Eval)->evaluateBinary(B, "pgo", Plan);
  C.Finished = true;
  C.Evaluations = 1;
  C.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  if (!R.ok()) {
    C.Error = std::string(evalStatusName(R.Status)) + ": " + R.Reason.substr(0, 200);
    C.Rejected = R.Status == EvalStatus::WrongOutput ? 1 : 0;
  } else {
    C.Speedup = R.Speedup;
    C.Lo = R.CiLo;
    C.Hi = R.CiHi;
    C.Faster = R.CiLo > 1.0;
    BaselineSeconds = R.baselineMedian();
  }
  Prog.note(Spec.Name + " pgo: " +
            (R.ok() ? formatFixed(R.Speedup) + " [" + formatFixed(R.CiLo) + ", " + formatFixed(R.CiHi) + "] " +
                          std::string(verdictName(R.Decision))
                    : C.Error));
  JsonOut J;
  J.beginObject()
      .field("schema", "autopass-suite-pgo/1")
      .field("program", Spec.Name)
      .field("baseline_median", BaselineSeconds);
  J.key("cell");
  writeCell(J, C);
  J.key("commands").values(B.Commands);
  J.key("result").raw(R.toJson());
  J.endObject();
  if (auto W = (*Run)->writeResult("pgo-cell.json", prettyJson(J.str())); !W)
    Prog.warn(Spec.Name + " / pgo: " + W.message());
  return C;
}

double geomeanOf(const std::vector<double> &Logs) {
  double Sum = 0;
  for (double V : Logs)
    Sum += V;
  return Logs.empty() ? 1.0 : std::exp(Sum / static_cast<double>(Logs.size()));
}

} // namespace

double evidenceShareOfGain(const SuiteOutcome &S, size_t SI) {
  double Gain = 0, Evidence = 0;
  for (const SuiteRow &R : S.Rows) {
    if (SI >= R.Cells.size() || !R.Cells[SI].Faster || R.Cells[SI].Speedup <= 1)
      continue;
    double G = std::log(R.Cells[SI].Speedup);
    Gain += G;
    Evidence += G * R.Cells[SI].EvidenceShare;
  }
  return Gain > 0 ? Evidence / Gain : 0;
}

unsigned evaluationsToReach(const std::vector<double> &Curve, double Fraction) {
  if (Curve.empty() || !(Curve.back() > 1.0))
    return 0;
  double Target = Fraction * std::log(Curve.back());
  for (size_t I = 0; I < Curve.size(); ++I)
    if (Curve[I] > 1.0 && std::log(Curve[I]) >= Target - 1e-12)
      return static_cast<unsigned>(I + 1);
  return static_cast<unsigned>(Curve.size());
}

std::vector<std::vector<double>> geomeanCurves(const SuiteOutcome &S) {
  size_t Strategies = S.Rows.empty() ? 0 : S.Rows.front().Cells.size();
  size_t MaxN = 0;
  for (const SuiteRow &R : S.Rows)
    for (const SuiteCell &C : R.Cells)
      MaxN = std::max(MaxN, C.Curve.size());
  std::vector<std::vector<double>> Curves(Strategies);
  for (size_t SI = 0; SI < Strategies; ++SI)
    for (size_t N = 0; N < MaxN; ++N) {
      std::vector<double> Logs;
      for (const SuiteRow &R : S.Rows) {
        if (SI >= R.Cells.size() || R.Cells[SI].Curve.empty())
          continue;
        const auto &C = R.Cells[SI].Curve;
        Logs.push_back(std::log(C[std::min(N, C.size() - 1)]));
      }
      Curves[SI].push_back(geomeanOf(Logs));
    }
  return Curves;
}

std::string suiteOutcomeJson(const SuiteOutcome &S) {
  JsonOut J;
  J.beginObject()
      .field("schema", "autopass-suite-result/1")
      .field("suite", S.Name)
      .field("run_dir", S.RunDir)
      .field("seconds", S.Seconds);
  J.key("strategies").beginArray();
  if (!S.Rows.empty())
    for (const SuiteCell &C : S.Rows.front().Cells)
      J.value(C.Strategy);
  J.endArray();
  J.key("geomeans").values(S.Geomeans);
  J.key("programs").beginArray();
  for (const SuiteRow &R : S.Rows) {
    J.beginObject()
        .field("program", R.Program)
        .field("spec", R.SpecPath)
        .field("objective", R.Objective)
        .field("baseline_median", R.BaselineSeconds);
    J.key("results").beginArray();
    for (const SuiteCell &C : R.Cells)
      writeCell(J, C);
    J.endArray();
    J.key("pgo");
    if (R.Pgo)
      writeCell(J, *R.Pgo);
    else
      J.null();
    J.endObject();
  }
  J.endArray();
  J.key("pgo_geomean");
  if (S.PgoGeomean)
    J.value(*S.PgoGeomean);
  else
    J.null();
  J.endObject();
  return prettyJson(J.str());
}

Result<SuiteOutcome> loadSuiteOutcome(const std::string &RunDir) {
  std::string Path = joinPath(RunDir, "suite-result.json");
  auto Doc = parseJsonFile(Path);
  if (!Doc)
    return Doc.error();
  const rapidjson::Document &D = **Doc;
  if (text(D, "schema") != "autopass-suite-result/1")
    return makeError(Path + ": schema: expected \"autopass-suite-result/1\"");
  SuiteOutcome S;
  S.Name = text(D, "suite");
  S.RunDir = RunDir;
  S.Seconds = number(D, "seconds");
  if (D.HasMember("geomeans") && D["geomeans"].IsArray())
    for (const rapidjson::Value &G : D["geomeans"].GetArray())
      S.Geomeans.push_back(G.IsNumber() ? G.GetDouble() : 1.0);
  if (!D.HasMember("programs") || !D["programs"].IsArray())
    return makeError(Path + ": programs: expected an array");
  for (const rapidjson::Value &P : D["programs"].GetArray()) {
    SuiteRow R;
    R.Program = text(P, "program");
    R.SpecPath = text(P, "spec");
    R.Objective = text(P, "objective");
    R.BaselineSeconds = number(P, "baseline_median");
    if (P.HasMember("results") && P["results"].IsArray())
      for (const rapidjson::Value &C : P["results"].GetArray())
        R.Cells.push_back(readCell(C));
    if (P.HasMember("pgo") && P["pgo"].IsObject())
      R.Pgo = readCell(P["pgo"]);
    S.Rows.push_back(std::move(R));
  }
  if (D.HasMember("pgo_geomean") && D["pgo_geomean"].IsNumber())
    S.PgoGeomean = D["pgo_geomean"].GetDouble();
  return S;
}

Result<SuiteOutcome> runSuite(const SuiteSpec &Suite, const Toolchain &Tools,
                              const std::string &RunDirPath, const SuiteSettings &Settings,
                              Progress &Prog) {
  auto Start = std::chrono::steady_clock::now();
  if (Settings.Strategies.empty())
    return makeError("no strategy given");
  auto Known = strategyNames();
  for (const std::string &S : Settings.Strategies)
    if (!std::count(Known.begin(), Known.end(), S))
      return makeError("unknown strategy \"" + S + "\"; expected one of " + join(Known, ", "));
  if (Status M = makeDirectories(RunDirPath); !M)
    return M.error();

  // For results written before tune recorded what a win changes: opt runs
  // once per target, and only if such a result is read back.
  std::map<std::string, std::string> O3Texts;
  TargetSpec Target; // the current program's
  O3PipelineSource O3Pipeline = [&] {
    std::string Key = join(Target.toolFlags(), " ");
    auto It = O3Texts.find(Key);
    if (It == O3Texts.end()) {
      auto P = o3PipelineText(Tools, Target);
      It = O3Texts.emplace(Key, P ? *P : std::string()).first;
    }
    return It->second;
  };
  SuiteOutcome Out;
  Out.Name = Suite.Name;
  Out.RunDir = RunDirPath;
  std::vector<std::vector<double>> Logs(Settings.Strategies.size());
  std::vector<double> PgoLogs;

  for (const std::string &SpecPath : Suite.Programs) {
    auto Spec = ProgramSpec::load(SpecPath);
    if (!Spec)
      return makeError(Suite.SuitePath + ": program " + SpecPath + ": " + Spec.message());
    if (!Settings.Only.empty() &&
        !std::count(Settings.Only.begin(), Settings.Only.end(), Spec->Name))
      continue;
    if (Settings.Objective) {
      if (*Settings.Objective == ObjectiveKind::Reported && Spec->Objective.Regex.empty())
        return makeError(SpecPath + ": --objective reported: the spec has no objective.regex");
      Spec->Objective.Kind = *Settings.Objective;
    }
    if (Status S = checkTargetAndRunner(Spec->Target, Spec->Runner, Spec->Objective.Kind,
                                        SpecPath + ": --objective");
        !S)
      return S.error();
    if (Status S = checkCrossToolchain(*Spec, Tools); !S)
      return makeError(SpecPath + ": " + S.message());
    Target = Spec->Target;
    SuiteRow Row;
    Row.Program = Spec->Name;
    Row.SpecPath = SpecPath;
    Row.Objective = std::string(objectiveKindName(Spec->Objective.Kind));

    for (size_t SI = 0; SI < Settings.Strategies.size(); ++SI) {
      const std::string &Strategy = Settings.Strategies[SI];
      std::string Dir = joinPath(joinPath(RunDirPath, Spec->Name), Strategy);
      std::string Finished = joinPath(Dir, "results/tune-result.json");
      SuiteCell Cell;
      Cell.Strategy = Strategy;
      Cell.RunDir = Dir;
      if (Settings.Resume && pathExists(Finished)) {
        if (Status S = checkFinishedCell(Dir, *Spec, Settings.Plan); !S)
          return S.error();
        double Baseline = 0;
        auto C = cellFromTuneResult(Finished, O3Pipeline, Baseline);
        if (C) {
          Cell = std::move(*C);
          Cell.RunDir = Dir;
          if (Row.BaselineSeconds == 0)
            Row.BaselineSeconds = Baseline;
          Prog.note(Spec->Name + " / " + Strategy + ": finished earlier, read from " + Finished);
          Row.Cells.push_back(std::move(Cell));
          if (Row.Cells.back().Finished)
            Logs[SI].push_back(std::log(Row.Cells.back().Speedup));
          continue;
        }
        Prog.warn(C.message() + "; running again");
      }
      Prog.note("== " + Spec->Name + " / " + Strategy);
      bool ResumePair = Settings.Resume && pathExists(Dir);
      auto Run = RunDir::open(Dir, ResumePair, /*Quiet=*/true);
      if (!Run)
        return makeError(Run.message() + (Settings.Resume ? "" : " (use --resume to continue)"));
      auto Eval = Evaluator::create(*Spec, Tools, **Run, Settings.Plan, Settings.Jobs, &Prog);
      if (!Eval)
        return Eval.error();
      auto T = runTuning(*Spec, Tools, **Run, **Eval, Settings.Plan, Prog, [&] {
        TuneSettings S = Settings.Tune;
        S.Strategy = Strategy;
        return S;
      }());
      if (!T) {
        Cell.Error = T.message();
        Prog.warn(Spec->Name + " / " + Strategy + ": " + T.message());
      } else {
        Cell = cellFromOutcome(*T);
        Cell.RunDir = Dir;
        if (Row.BaselineSeconds == 0)
          Row.BaselineSeconds = T->BaselineMedian;
        Logs[SI].push_back(std::log(Cell.Speedup));
      }
      Row.Cells.push_back(std::move(Cell));
    }
    if (Settings.Pgo) {
      double Baseline = 0;
      Row.Pgo = runPgoCell(*Spec, Tools, joinPath(joinPath(RunDirPath, Spec->Name), "pgo"),
                           Settings, Prog, Baseline);
      if (!Row.Pgo->Error.empty())
        Prog.warn(Spec->Name + " / pgo: " + Row.Pgo->Error);
      else if (Row.Pgo->Finished)
        PgoLogs.push_back(std::log(Row.Pgo->Speedup));
      if (Row.BaselineSeconds == 0)
        Row.BaselineSeconds = Baseline;
    }
    Out.Rows.push_back(std::move(Row));
    // Written after every program, so a killed suite still has its table.
    Out.Geomeans.clear();
    for (const std::vector<double> &L : Logs)
      Out.Geomeans.push_back(geomeanOf(L));
    if (!PgoLogs.empty())
      Out.PgoGeomean = geomeanOf(PgoLogs);
    Out.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
    Out.ResultJsonPath = joinPath(RunDirPath, "suite-result.json");
    if (Status W = writeFileAtomically(Out.ResultJsonPath, suiteOutcomeJson(Out)); !W)
      return W.error();
  }
  if (Out.Rows.empty())
    return makeError(Suite.SuitePath + ": no program selected" +
                     (Settings.Only.empty() ? "" : " (check --only)"));
  return Out;
}

} // namespace autopass
