//===- driver/TuningRun.cpp - One tuning run, start to confirmed result ---===//
#include "driver/TuningRun.hpp"

#include "measure/Evaluator.hpp"
#include "search/ConfigChanges.hpp"
#include "search/SearchSpace.hpp"
#include "search/Strategy.hpp"
#include "spec/ObjectiveWords.hpp"
#include "spec/ProgramSpec.hpp"
#include "store/RunDir.hpp"
#include "toolchain/ToolOptionIndex.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Progress.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>

namespace autopass {

namespace {

using Clock = std::chrono::steady_clock;

Observation toObservation(const CandidateConfig &C, const EvaluationResult &R) {
  static const std::map<EvalStatus, Observation::Outcome> Kinds = {
      {EvalStatus::Ok, Observation::Outcome::Ok},
      {EvalStatus::BuildFailed, Observation::Outcome::BuildFailed},
      {EvalStatus::WrongOutput, Observation::Outcome::WrongOutput},
      {EvalStatus::Crashed, Observation::Outcome::Crashed},
      {EvalStatus::TimedOut, Observation::Outcome::TimedOut},
      {EvalStatus::Invalid, Observation::Outcome::Invalid},
      {EvalStatus::EnvFailed, Observation::Outcome::Invalid}};
  Observation O;
  O.Config = C;
  O.Kind = Kinds.at(R.Status);
  O.Speedup = R.Speedup;
  O.Lo = R.CiLo;
  O.Hi = R.CiHi;
  O.Reason = R.Reason;
  return O;
}

/// Whether opt parses a pipeline text (on an empty module; nothing runs),
/// run in the run's scratch directory like every tool.
bool optAcceptsPipeline(const Toolchain &Tools, const TargetSpec &Target, const std::string &Text,
                        const std::string &Cwd) {
  SubprocessOptions O;
  O.Argv = {Tools.Opt};
  for (const std::string &F : Target.toolFlags())
    O.Argv.push_back(F);
  for (std::string A : {"-passes=" + Text, std::string("-disable-output"), std::string("/dev/null")})
    O.Argv.push_back(std::move(A));
  O.Cwd = Cwd;
  O.TimeoutSeconds = 60;
  auto R = runSubprocess(O);
  return R && R->succeeded();
}

std::string originOf(const CandidateConfig &C, const std::string &Strategy) {
  if (C.MetaJson.empty())
    return Strategy;
  rapidjson::Document D;
  if (!parseJsonInto(D, C.MetaJson, "meta") || !D.IsObject())
    return Strategy;
  std::string Out = Strategy;
  if (D.HasMember("idea") && D["idea"].IsString())
    Out += ": " + std::string(D["idea"].GetString());
  return Out;
}

/// The shortest deployable form of a configuration.
std::string deployCommand(const CandidateConfig &C, const KnobCatalog &Catalog,
                          const Toolchain &Tools, const ProgramSpec &Spec,
                          const std::string &ConfigPath) {
  if (Spec.isProject()) {
    // The project's own build, with autopass-cc as its launcher
    // (docs/tuning-a-cmake-project.md): what the tuner measured.
    return "cd " + shellQuote(Spec.Build->Directory) +
           " && AUTOPASS_CONFIG=" + shellQuote(ConfigPath) + " " +
           shellJoin(Spec.Build->Command);
  }
  std::vector<std::string> Argv;
  bool Cxx = std::any_of(Spec.Sources.begin(), Spec.Sources.end(), [](const std::string &S) {
    return !endsWith(S, ".c");
  });
  if (C.Pipeline) {
    // Pipeline edits need the opt flow for each translation unit.
    Argv = {"AUTOPASS_CONFIG=" + ConfigPath, Cxx ? "autopass-c++" : "autopass-cc", "-O3"};
  } else {
    std::string Env = C.hasHints() ? "AUTOPASS_CONFIG=" + ConfigPath : "";
    if (!Env.empty())
      Argv.push_back(Env);
    Argv.push_back(Cxx ? Tools.ClangXX : Tools.Clang);
    Argv.push_back("-O3");
    if (C.hasHints())
      Argv.push_back("-fpass-plugin=" + Tools.Plugin);
    for (const std::string &A : Catalog.commandLineArgs(C, KnobTool::Both))
      Argv.push_back(A);
  }
  for (const std::string &F : Spec.targetFlags())
    Argv.push_back(F);
  for (const std::string &F : Spec.CompileFlags)
    Argv.push_back(F);
  for (const std::string &S : Spec.Sources)
    Argv.push_back(S);
  for (const std::string &F : Spec.LinkFlags)
    Argv.push_back(F);
  Argv.push_back("-o");
  Argv.push_back(Spec.Name);
  std::string Text;
  for (size_t I = 0; I < Argv.size(); ++I) {
    if (I)
      Text += ' ';
    // Keep the VAR=value prefix readable; quote the rest.
    Text += startsWith(Argv[I], "AUTOPASS_CONFIG=") ? "AUTOPASS_CONFIG=" + shellQuote(ConfigPath)
                                                    : shellQuote(Argv[I]);
  }
  return Text;
}

std::string stepJson(const TuneStep &S) {
  JsonOut J;
  J.beginObject()
      .field("index", static_cast<int64_t>(S.Index))
      .field("config", S.Config.shortHash())
      .field("origin", S.Origin)
      .field("status", std::string(evalStatusName(S.Result.Status)))
      .field("speedup", S.Result.Speedup)
      .field("ci_lo", S.Result.CiLo)
      .field("ci_hi", S.Result.CiHi)
      .field("verdict", std::string(verdictName(S.Result.Decision)))
      .field("reason", S.Result.Reason.substr(0, 300))
      .field("best_so_far", S.BestSoFar)
      .field("elapsed_s", S.ElapsedSeconds)
      .field("from_journal", S.Result.FromJournal)
      .endObject();
  return J.str();
}

/// RUN_DIR/results/tune-result.json (autopass-tune-result/1, docs/tuner.md).
std::string tuneResultJson(const TuneOutcome &Out, const ProgramSpec &Spec,
                           const TuneSettings &Settings) {
  JsonOut J;
  J.beginObject()
      .field("schema", "autopass-tune-result/1")
      .field("program", Spec.Name)
      .field("spec", Spec.SpecPath)
      .field("strategy", Settings.Strategy)
      .field("budget", static_cast<int64_t>(Settings.Budget))
      .field("strategy_seed", Settings.StrategySeed)
      .field("objective", std::string(objectiveKindName(Spec.Objective.Kind)));
  // What the results were built for and measured on (after --target,
  // --mcpu, --runner): the host's triple when the spec names none.
  J.key("target")
      .beginObject()
      .field("triple", Spec.Target.effectiveTriple())
      .field("cpu", Spec.Target.Cpu.empty() ? std::string("default") : Spec.Target.Cpu)
      .field("runner", std::string(runnerKindName(Spec.Runner.Kind)))
      .endObject();
  J.field("evaluations", static_cast<int64_t>(Out.Steps.size()))
      .field("rejected", static_cast<int64_t>(Out.Rejected))
      .field("seconds", Out.Seconds)
      .field("baseline_median", Out.BaselineMedian)
      .field("baseline_unit", std::string(objectiveUnit(Spec.Objective.Kind)))
      .field("ratio_name", std::string(objectiveRatioName(Spec.Objective.Kind)));
  J.key("verdict").value(Out.Best ? std::string("faster") : std::string("o3-is-best"));
  J.key("best");
  if (Out.Best) {
    J.beginObject()
        .field("config", Out.Best->shortHash())
        .field("config_path", Out.BestConfigPath)
        .field("speedup", Out.Confirmed->Speedup)
        .field("ci_lo", Out.Confirmed->CiLo)
        .field("ci_hi", Out.Confirmed->CiHi)
        .field("deploy", Out.DeployCommand);
    J.key("changes").values(Out.BestChanges);
    J.key("rebuild").values(Out.RebuildCommands);
    J.key("confirmation").raw(Out.Confirmed->toJson());
    J.key("config_json").raw(Out.Best->toJson(false));
    if (Out.Origin)
      J.key("gain_origin").raw(gainOriginJson(*Out.Origin));
    J.endObject();
  } else {
    J.null();
  }
  J.key("steps").beginArray();
  for (const TuneStep &S : Out.Steps)
    J.raw(stepJson(S));
  J.endArray();
  J.key("confirmations").beginArray();
  for (const EvaluationResult &C : Out.Confirmations)
    J.raw(C.toJson());
  J.endArray();
  J.field("layout_check", Settings.LayoutCheck)
      .field("layout_rejected", static_cast<int64_t>(Out.LayoutRejected));
  J.key("layout_checks").beginArray();
  for (const auto &[Config, Verdict] : Out.LayoutChecks)
    J.beginObject().field("config", Config).key("verdict").raw(Verdict.toJson()).endObject();
  J.endArray();
  J.key("decisions").values(Out.Decisions);
  J.key("notes").values(Out.Notes);
  J.key("missing_knobs").beginArray();
  for (const MissingKnob &M : Out.MissingKnobs)
    J.beginObject().field("name", M.Name).field("tool", M.Tool).endObject();
  J.endArray();
  J.endObject();
  return prettyJson(J.str());
}

} // namespace

double tuneBaselineFallback(const ProgramSpec &Spec, const BaselineInfo &Base) {
  ObjectiveKind Kind = Spec.Objective.Kind;
  if (Kind == ObjectiveKind::Size)
    return static_cast<double>(Base.TextBytes);
  bool Time = Kind == ObjectiveKind::Wall || Kind == ObjectiveKind::Cpu;
  // Under qemu the reference run's time is emulated; ssh times it on the host.
  return Time && Spec.Runner.Kind != RunnerKind::Qemu ? Base.ReferenceSeconds : 0;
}

Result<std::string> o3PipelineText(const Toolchain &Tools, const TargetSpec &Target) {
  SubprocessOptions O;
  O.Argv = {Tools.Opt};
  for (const std::string &F : Target.toolFlags())
    O.Argv.push_back(F);
  for (const char *A : {"-passes=default<O3>", "-print-pipeline-passes", "-disable-output",
                        "/dev/null"})
    O.Argv.push_back(A);
  O.TimeoutSeconds = 60;
  auto R = runSubprocess(O);
  if (!R)
    return R.error();
  if (!R->succeeded())
    return makeError("opt -print-pipeline-passes failed: " + R->describe(60));
  return std::string(trim(R->Stdout));
}

namespace {

/// One tuning run, step by step: baseline, knob catalog, evidence, search
/// space, strategy, search loop, confirmation, result. Each step reads what
/// the previous ones left in the members.
class TuningRun {
public:
  TuningRun(const ProgramSpec &Spec, const Toolchain &Tools, RunDir &Run, Evaluator &Eval,
            const MeasurementPlan &Plan, Progress &Prog, const TuneSettings &Settings)
      : Spec(Spec), Tools(Tools), Run(Run), Eval(Eval), Plan(Plan), Prog(Prog),
        Settings(Settings), Start(Clock::now()) {
    Out.Program = Spec.Name;
    Out.Strategy = Settings.Strategy;
  }

  Result<TuneOutcome> run();

private:
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - Start).count(); }
  Result<KnobCatalog> checkedCatalog();
  void collectEvidence();
  SearchSpaceOptions spaceOptions();
  CompileDiffSource compileDiffSource() const;
  Result<std::unique_ptr<Strategy>> startStrategy(const SearchSpace &Space);
  Status searchLoop(Strategy &Strat);
  void evaluateRound(const std::vector<CandidateConfig> &Configs);
  void journalDecisions(const Strategy &Strat);
  const TuneStep *confirmBest();
  bool survivesLayoutCheck(const TuneStep &S, const MeasurementPlan &Confirm);
  /// Set when a layout check could not be measured (the machine failed).
  std::string LayoutUnmeasured;
  Status recordWinner(const TuneStep &Winner, const SearchSpace &Space);
  Status writeResult();

  const ProgramSpec &Spec;
  const Toolchain &Tools;
  RunDir &Run;
  Evaluator &Eval;
  const MeasurementPlan &Plan;
  Progress &Prog;
  const TuneSettings &Settings;
  Clock::time_point Start;

  TuneOutcome Out;
  std::optional<CollectedEvidence> Evidence;
  EvidenceDigest Digest;
  SearchRegions Regions;
  std::string BasePipeline;
  double BestSoFar = 1.0;
  size_t DecisionsLogged = 0;
};

Result<TuneOutcome> TuningRun::run() {
  Prog.update(Spec.Name + ": building -O3 baseline");
  auto Base = Eval.prepareBaseline();
  if (!Base)
    return Base.error();
  auto Catalog = checkedCatalog();
  if (!Catalog)
    return Catalog.error();
  collectEvidence();
  SearchSpaceOptions SO = spaceOptions();
  BasePipeline = SO.BasePipeline;
  SearchSpace Space(std::move(*Catalog), SO);
  auto Strat = startStrategy(Space);
  if (!Strat)
    return Strat.error();

  if (Status S = searchLoop(**Strat); !S) {
    JsonOut J;
    J.beginObject().field("reason", S.message()).endObject();
    (void)Run.journal().append("tune-failed", J.str());
    return S.error();
  }
  for (const std::string &N : (*Strat)->finalNotes())
    Out.Notes.push_back(N);

  const TuneStep *Winner = confirmBest();
  if (Status H = Eval.health(); !H)
    return makeError(Spec.Name + ": " + H.message());
  if (!LayoutUnmeasured.empty())
    return makeError(Spec.Name + ": " + LayoutUnmeasured + "; no winner is recorded, and "
                     "--resume measures the layout check again");
  if (Winner)
    if (Status S = recordWinner(*Winner, Space); !S)
      return S.error();
  // The -O3 figure of the table: from the confirmation, else from the first
  // measured evaluation, else the baseline's own value: its code size under
  // objective size (never the reference run's time, which qemu emulates),
  // the reference run's wall time for a time objective run locally.
  Out.BaselineMedian = tuneBaselineFallback(Spec, *Base);
  for (const TuneStep &S : Out.Steps)
    if (!S.Result.BaselineSamples.empty()) {
      Out.BaselineMedian = S.Result.baselineMedian();
      break;
    }
  if (Out.Confirmed && !Out.Confirmed->BaselineSamples.empty())
    Out.BaselineMedian = Out.Confirmed->baselineMedian();
  Out.Seconds = elapsed();
  if (Status S = writeResult(); !S)
    return S.error();
  return std::move(Out);
}

/// Layer 1: the knob catalog, checked against the installed tools; knobs
/// they do not accept are left out of the search.
Result<KnobCatalog> TuningRun::checkedCatalog() {
  auto Catalog = KnobCatalog::loadDefault();
  if (!Catalog)
    return Catalog.error();
  auto Index = ToolOptionIndex::build(Tools);
  if (!Index)
    return Index.error();
  Out.MissingKnobs = Catalog->checkAgainst(
      [&](std::string_view N) { return Index->optAccepts(std::string(N)); },
      [&](std::string_view N) { return Index->llcAccepts(std::string(N)); });
  for (const MissingKnob &M : Out.MissingKnobs)
    Prog.note("knob " + M.Name + " is not accepted by the installed " + M.Tool +
              ": left out of the search");
  std::string Arch = Spec.Target.archName();
  for (const std::string &Name : Catalog->keepForArch(Arch))
    Prog.note("knob " + Name + " belongs to another back end than " + Arch +
              "'s: left out of the search");
  return Catalog;
}

/// Evidence: names of loops and functions, hot regions, remarks. A run
/// without evidence goes on without region hints.
void TuningRun::collectEvidence() {
  Prog.update(Spec.Name + ": collecting evidence (features, remarks, profile)");
  EvidenceOptions EO;
  EO.Profile = Settings.Profile;
  EO.Prog = &Prog;
  EvidenceCollector Collector(Spec, Tools, EvidenceCollector::defaultWorkDir(Run.path(), nullptr),
                              EO);
  auto Collected = Collector.collect();
  if (!Collected) {
    Out.Notes.push_back("evidence could not be collected (" + Collected.message() +
                        "); tuning without region hints or evidence-driven rules");
    Prog.warn(Out.Notes.back());
    return;
  }
  Evidence = std::move(*Collected);
  Digest = Evidence->Digest;
  Regions = Evidence->Regions;
  for (const std::string &N : Evidence->Notes)
    Out.Notes.push_back("evidence: " + N);
  (void)Run.writeResult("evidence-digest.json", Digest.toJson());
  (void)Run.writeResult("evidence.txt", Digest.toText(16000));
}

/// The search space over this program: its loops and functions, and the
/// pipeline layer when opt prints the -O3 pipeline.
SearchSpaceOptions TuningRun::spaceOptions() {
  SearchSpaceOptions SO;
  if (auto Pipeline = o3PipelineText(Tools, Spec.Target))
    SO.BasePipeline = *Pipeline;
  else
    Out.Notes.push_back("pipeline layer off: " + Pipeline.message());
  const Toolchain *T = &Tools; // outlives the search
  SO.PipelineAccepted = [T, Target = Spec.Target,
                         Scratch = Run.scratchDir()](const std::string &Text) {
    return optAcceptsPipeline(*T, Target, Text, Scratch);
  };
  for (const SearchRegions::Loop &L : Regions.Loops)
    SO.Loops.push_back(LoopSite{L.LoopName, static_cast<unsigned>(std::max<int64_t>(1, L.Depth)),
                                L.Innermost, L.TripCount});
  for (const auto &[Name, Weight] : Regions.Functions)
    SO.Functions.push_back(Name);
  return SO;
}

/// Compile diffs for the agents' diagnosis (a regression, hints that may
/// not have been performed, the LLM evaluation role): remarks and pass
/// records of both configs, no profile, cached per config under
/// RUN_DIR/evidence; -O3's are the ones collected before the search.
CompileDiffSource TuningRun::compileDiffSource() const {
  const EvidenceInputs *O3Inputs = Evidence ? &Evidence->Inputs : nullptr;
  EvidenceOptions DiffOptions;
  DiffOptions.Profile = ProfileMode::None;
  DiffOptions.Prog = &Prog;
  // The spec, the tools and the evidence outlive the strategy.
  const ProgramSpec *S = &Spec;
  const Toolchain *T = &Tools;
  std::string RunPath = Run.path();
  return [S, T, RunPath, O3Inputs, DiffOptions](
             const CandidateConfig &Candidate,
             const CandidateConfig &Parent) -> Result<CompileDiff> {
    auto inputsOf = [&](const CandidateConfig &C) -> Result<EvidenceInputs> {
      if (C.isIdentity() && O3Inputs)
        return *O3Inputs;
      EvidenceCollector Collector(*S, *T, EvidenceCollector::defaultWorkDir(RunPath, &C),
                                  DiffOptions);
      auto Collected = Collector.collect(&C);
      if (!Collected)
        return Collected.error();
      return std::move(Collected->Inputs);
    };
    auto P = inputsOf(Parent);
    if (!P)
      return makeError("evidence of " + Parent.shortHash() + ": " + P.message());
    auto C = inputsOf(Candidate);
    if (!C)
      return makeError("evidence of " + Candidate.shortHash() + ": " + C.message());
    return diffCompilations(*P, *C);
  };
}

/// The strategy or agent from the registry, and the tune-start event.
Result<std::unique_ptr<Strategy>> TuningRun::startStrategy(const SearchSpace &Space) {
  StrategyContext Context(Space, Settings.StrategySeed);
  Context.Digest = &Digest;
  Context.DiffSource = compileDiffSource();
  Context.Llm = &Settings.Llm;
  Context.RunDir = Run.path();
  Context.Program = Spec.Name;
  auto Strat = createStrategy(Settings.Strategy, Context);
  if (!Strat)
    return Strat.error();
  if (std::string Note = (*Strat)->startNote(); !Note.empty())
    Prog.note(Spec.Name + ": " + Note);
  JsonOut J;
  J.beginObject()
      .field("strategy", Settings.Strategy)
      .field("budget", static_cast<int64_t>(Settings.Budget))
      .field("seed", Settings.StrategySeed)
      .endObject();
  (void)Run.journal().append("tune-start", J.str());
  return Strat;
}

/// Propose, evaluate, observe, until the budget is spent or the strategy
/// has nothing more. The time budget counts from here: the baseline and the
/// evidence are the same work for every strategy. A strategy that failed
/// (rather than ran out of ideas) before proposing anything fails the run:
/// "-O3 is best" would claim a search that never happened.
Status TuningRun::searchLoop(Strategy &Strat) {
  Clock::time_point SearchStart = Clock::now();
  auto searchSeconds = [&] {
    return std::chrono::duration<double>(Clock::now() - SearchStart).count();
  };
  while (Out.Steps.size() < Settings.Budget) {
    size_t Done = Out.Steps.size();
    if (Settings.TimeBudget > 0 && searchSeconds() > Settings.TimeBudget) {
      Out.Notes.push_back("time budget of " + formatFixed(Settings.TimeBudget, 0) +
                          " s reached after " + std::to_string(Done) + " evaluations");
      break;
    }
    // As many as can be measured at once (runner slurm, --nodes), at least.
    size_t Want = std::min<size_t>(std::max<size_t>(Settings.Batch, Eval.lanes()),
                                   Settings.Budget - Done);
    std::vector<CandidateConfig> Configs = Strat.propose(Want);
    if (Configs.empty()) {
      std::string Failure = Strat.failure();
      if (!Failure.empty() && Done == 0)
        return makeError("the " + Settings.Strategy + " strategy proposed no candidate: " +
                         Failure);
      Out.Notes.push_back("the " + Settings.Strategy + " strategy " +
                          (Failure.empty() ? "had nothing more to propose"
                                           : "failed (" + Failure + ")") +
                          " after " + std::to_string(Done) + " evaluations");
      break;
    }
    size_t First = Out.Steps.size();
    evaluateRound(Configs);
    // Disk full, I/O error, a killed compiler, a journal that takes no more
    // events: stop; --resume evaluates the env_failed configs again.
    if (Status H = Eval.health(); !H)
      return makeError(Spec.Name + ": " + H.message());
    std::vector<Observation> Obs;
    for (size_t I = First; I < Out.Steps.size(); ++I)
      Obs.push_back(toObservation(Out.Steps[I].Config, Out.Steps[I].Result));
    Strat.observe(Obs);
    journalDecisions(Strat);
  }
  return success();
}

/// Builds, checks and measures one round of proposals; one step each.
void TuningRun::evaluateRound(const std::vector<CandidateConfig> &Configs) {
  for (const CandidateConfig &C : Configs)
    (void)Run.saveConfig(C);
  Prog.update(Spec.Name + ": evaluating " + std::to_string(Configs.size()) + " candidate(s), " +
              std::to_string(Out.Steps.size()) + "/" + std::to_string(Settings.Budget) +
              " done, best " + formatFixed(BestSoFar));
  std::vector<EvaluationResult> Results = Eval.evaluateBatch(Configs);
  for (size_t I = 0; I < Configs.size() && I < Results.size(); ++I) {
    const EvaluationResult &R = Results[I];
    if (!R.ok())
      ++Out.Rejected;
    if (R.ok() && R.CiLo > 1.0)
      BestSoFar = std::max(BestSoFar, R.Speedup);
    TuneStep S;
    S.Index = static_cast<unsigned>(Out.Steps.size() + 1);
    S.Config = Configs[I];
    S.Origin = originOf(Configs[I], Settings.Strategy);
    S.Result = R;
    S.BestSoFar = BestSoFar;
    S.ElapsedSeconds = elapsed();
    (void)Run.journal().append("tune-step", stepJson(S));
    std::string Line = "[" + std::to_string(S.Index) + "/" + std::to_string(Settings.Budget) +
                       "] " + Configs[I].shortHash() + " " + S.Origin + ": ";
    Line += R.ok() ? formatFixed(R.Speedup) + " [" + formatFixed(R.CiLo) + ", " + formatFixed(R.CiHi) + "] " +
                         std::string(verdictName(R.Decision))
                   : std::string(evalStatusName(R.Status)) + " (" +
                         std::string(trim(R.Reason.substr(0, 120))) + ")";
    Prog.note(Spec.Name + " " + Line);
    Out.Steps.push_back(std::move(S));
  }
}

/// The strategy's new keep / roll-back decisions, into the journal and the
/// result.
void TuningRun::journalDecisions(const Strategy &Strat) {
  std::vector<StrategyDecision> Log = Strat.decisionLog();
  for (; DecisionsLogged < Log.size(); ++DecisionsLogged) {
    const StrategyDecision &D = Log[DecisionsLogged];
    Out.Decisions.push_back(D.text());
    JsonOut J;
    J.beginObject()
        .field(D.SubjectField, D.Subject)
        .field("action", D.Action)
        .field("why", D.Why)
        .endObject();
    (void)Run.journal().append("agent-decision", J.str());
  }
}

/// Confirms the best few on fresh interleaved runs; only a win that holds
/// up is returned (no winner's curse), and only one that also holds under
/// code-placement perturbations (a layout effect is not portable).
const TuneStep *TuningRun::confirmBest() {
  std::vector<const TuneStep *> Ranked;
  for (const TuneStep &S : Out.Steps)
    if (S.Result.ok() && S.Result.CiLo > 1.0 && !S.Result.SameBinaryAsBaseline)
      Ranked.push_back(&S);
  std::stable_sort(Ranked.begin(), Ranked.end(), [](const TuneStep *A, const TuneStep *B) {
    return A->Result.Speedup > B->Result.Speedup;
  });
  if (Ranked.size() > Settings.ConfirmTop)
    Ranked.resize(Settings.ConfirmTop);
  MeasurementPlan Confirm = Plan;
  Confirm.MinReps = std::max(Plan.MinReps, Settings.ConfirmReps);
  Confirm.MaxReps = std::max(Plan.MaxReps, Confirm.MinReps * 3);
  Confirm.Seed = Plan.Seed ^ 0xc0ff11e5ULL;
  std::vector<std::pair<const TuneStep *, EvaluationResult>> Held;
  for (const TuneStep *S : Ranked) {
    Prog.update(Spec.Name + ": confirming " + S->Config.shortHash() + " on fresh runs");
    EvaluationResult C = Eval.confirm(S->Config, Confirm);
    Out.Confirmations.push_back(C);
    Prog.note(Spec.Name + " confirm " + S->Config.shortHash() + ": " +
              (C.ok() ? formatFixed(C.Speedup) + " [" + formatFixed(C.CiLo) + ", " +
                            formatFixed(C.CiHi) + "] " + std::string(verdictName(C.Decision))
                      : std::string(evalStatusName(C.Status))));
    if (C.ok() && C.CiLo > 1.0)
      Held.emplace_back(S, C);
  }
  std::stable_sort(Held.begin(), Held.end(), [](const auto &A, const auto &B) {
    return A.second.Speedup > B.second.Speedup;
  });
  for (auto &[S, C] : Held) {
    if (survivesLayoutCheck(*S, Confirm)) {
      Out.Confirmed = C;
      return S;
    }
    if (!LayoutUnmeasured.empty())
      return nullptr;
  }
  return nullptr;
}

/// The layout check of a confirmed candidate (measure/LayoutCheck.hpp),
/// journalled and noted; true when it survived or the check is off.
bool TuningRun::survivesLayoutCheck(const TuneStep &S, const MeasurementPlan &Confirm) {
  if (!Settings.LayoutCheck) {
    Out.Notes.push_back("layout check off (--no-layout-check): the win of " +
                        S.Config.shortHash() + " may be a code-placement effect");
    return true;
  }
  Prog.update(Spec.Name + ": layout check of " + S.Config.shortHash());
  auto V = checkLayout(Spec, Tools, Run, S.Config, Confirm, Eval.jobs(),
                       defaultLayoutPerturbations(), &Prog);
  if (!V) {
    // The check could not be set up: say so, and do not report a win
    // that was not checked.
    Out.Notes.push_back("layout check of " + S.Config.shortHash() + " failed: " + V.message());
    return false;
  }
  if (!V->Unmeasured.empty()) {
    // Not a verdict: the run stops without a winner, and --resume redoes
    // the check (a weaker candidate is not reported in its place).
    LayoutUnmeasured = S.Config.shortHash() + ": " + V->Unmeasured;
    return false;
  }
  Out.LayoutChecks.emplace_back(S.Config.shortHash(), *V);
  JsonOut J;
  J.beginObject().field("config", S.Config.shortHash()).key("verdict").raw(V->toJson()).endObject();
  (void)Run.journal().append("layout-check", J.str());
  Prog.note(Spec.Name + " layout " + S.Config.shortHash() + ": " + V->summary());
  if (V->Survived)
    return true;
  ++Out.LayoutRejected;
  Out.Notes.push_back(S.Config.shortHash() + ": layout effect, not portable (" + V->summary() +
                      "); not reported as the best configuration");
  return false;
}

/// The confirmed winner: best-config.json, how to rebuild and deploy it,
/// what it changes relative to -O3.
Status TuningRun::recordWinner(const TuneStep &Winner, const SearchSpace &Space) {
  Out.Best = Winner.Config;
  auto Path = Run.writeResult("best-config.json", Winner.Config.toJson());
  if (!Path)
    return Path.error();
  Out.BestConfigPath = *Path;
  // Runnable after the run: sources, best-config.json, RUN_DIR/rebuild/.
  auto Rebuild = Eval.rebuildCommands(Winner.Config, Out.BestConfigPath,
                                      joinPath(Run.path(), "rebuild"));
  if (Rebuild)
    Out.RebuildCommands = *Rebuild;
  else
    Out.Notes.push_back("no rebuild commands: " + Rebuild.message());
  Out.DeployCommand =
      deployCommand(Winner.Config, Space.catalog(), Tools, Spec, Out.BestConfigPath);
  Out.BestChanges = describeChanges(Winner.Config, BasePipeline);
  auto Origin = gainOrigin(Winner.Config.MetaJson, Settings.Strategy, Winner.Result.Speedup);
  if (Origin)
    Out.Origin = std::move(*Origin);
  else
    Out.Notes.push_back("where the gain came from is not known: " + Origin.message());
  return success();
}

/// RUN_DIR/results/tune-result.json and the tune-end event.
Status TuningRun::writeResult() {
  Out.ResultJson = tuneResultJson(Out, Spec, Settings);
  auto ResultPath = Run.writeResult("tune-result.json", Out.ResultJson);
  if (!ResultPath)
    return ResultPath.error();
  Out.ResultJsonPath = *ResultPath;
  JsonOut E;
  E.beginObject()
      .field("verdict", Out.Best ? std::string("faster") : std::string("o3-is-best"))
      .field("speedup", Out.Confirmed ? Out.Confirmed->Speedup : 1.0)
      .endObject();
  (void)Run.journal().append("tune-end", E.str());
  return success();
}

} // namespace

Result<TuneOutcome> runTuning(const ProgramSpec &Spec, const Toolchain &Tools, RunDir &Run,
                              Evaluator &Eval, const MeasurementPlan &Plan, Progress &Prog,
                              const TuneSettings &Settings) {
  auto Names = strategyNames();
  if (!std::count(Names.begin(), Names.end(), Settings.Strategy))
    return makeError("unknown strategy \"" + Settings.Strategy + "\"; expected one of " +
                     join(Names, ", "));
  return TuningRun(Spec, Tools, Run, Eval, Plan, Prog, Settings).run();
}

} // namespace autopass
