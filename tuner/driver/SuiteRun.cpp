//===- driver/SuiteRun.cpp - Tune every program of a suite ----------------===//
#include "driver/SuiteRun.hpp"

#include "measure/Evaluator.hpp"
#include "spec/ProgramSpec.hpp"
#include "store/RunDir.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Progress.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

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

/// A finished (program, strategy) pair, read back from its tune-result.json.
Result<SuiteCell> cellFromTuneResult(const std::string &Path, double &BaselineSeconds) {
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
  }
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
  }
  for (const TuneStep &S : T.Steps)
    C.Curve.push_back(S.BestSoFar);
  return C;
}

} // namespace

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
    for (const SuiteCell &C : R.Cells) {
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
          .field("best_config", C.BestConfig);
      J.key("curve").values(C.Curve);
      J.endObject();
    }
    J.endArray();
    J.endObject();
  }
  J.endArray();
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
      for (const rapidjson::Value &C : P["results"].GetArray()) {
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
        if (C.HasMember("curve") && C["curve"].IsArray())
          for (const rapidjson::Value &V : C["curve"].GetArray())
            Cell.Curve.push_back(V.IsNumber() ? V.GetDouble() : 1.0);
        R.Cells.push_back(std::move(Cell));
      }
    S.Rows.push_back(std::move(R));
  }
  return S;
}

Result<SuiteOutcome> runSuite(const SuiteSpec &Suite, const Toolchain &Tools,
                              const std::string &RunDirPath, const SuiteSettings &Settings,
                              Progress &Prog) {
  auto Start = std::chrono::steady_clock::now();
  if (Settings.Strategies.empty())
    return makeError("no strategy given");
  auto Known = tuneStrategyNames();
  for (const std::string &S : Settings.Strategies)
    if (!std::count(Known.begin(), Known.end(), S))
      return makeError("unknown strategy \"" + S + "\"; expected one of " + join(Known, ", "));
  if (Status M = makeDirectories(RunDirPath); !M)
    return M.error();

  SuiteOutcome Out;
  Out.Name = Suite.Name;
  Out.RunDir = RunDirPath;
  std::vector<std::vector<double>> Logs(Settings.Strategies.size());

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
        double Baseline = 0;
        auto C = cellFromTuneResult(Finished, Baseline);
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
    Out.Rows.push_back(std::move(Row));
    // Written after every program, so a killed suite still has its table.
    Out.Geomeans.clear();
    for (const std::vector<double> &L : Logs) {
      double Sum = 0;
      for (double V : L)
        Sum += V;
      Out.Geomeans.push_back(L.empty() ? 1.0 : std::exp(Sum / static_cast<double>(L.size())));
    }
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
