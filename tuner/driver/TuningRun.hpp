//===- driver/TuningRun.hpp - One tuning run, start to confirmed result -*- C++ -*-===//
//
// The loop every front end (the `tune` command, the suite runner) shares:
//
//   baseline -> knob catalog checked against the installed tools -> evidence
//   (features, remarks, per-pass records, profile) -> search space over the
//   program's hot loops and functions -> strategy or agent proposes, the
//   evaluator builds/checks/measures, the strategy observes -> the best few
//   re-measured on fresh interleaved runs -> only a confirmed win reported.
//
// Strategies and agents alike come from the registry (search/Strategy.hpp,
// search/Strategies.def); TuneSettings::Strategy is one of strategyNames().
//
// It writes RUN_DIR/results/tune-result.json (schema autopass-tune-result/1,
// docs/tuner.md) and, on a confirmed win, results/best-config.json.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "agents/LlmSettings.hpp"
#include "config/CandidateConfig.hpp"
#include "evidence/EvidenceCollector.hpp"
#include "measure/EvaluationResult.hpp"
#include "measure/LayoutCheck.hpp"
#include "measure/MeasurementPlan.hpp"
#include "search/GainLineage.hpp"
#include "search/KnobCatalog.hpp"
#include "util/Result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace autopass {

class Evaluator;
struct BaselineInfo;
class Progress;
class RunDir;
struct ProgramSpec;
struct TargetSpec;
struct Toolchain;

struct TuneSettings {
  std::string Strategy = "expert";
  unsigned Budget = 30;   // evaluations
  double TimeBudget = 0;  // seconds, 0 = none
  unsigned Batch = 2;     // proposals per round
  uint64_t StrategySeed = 1;
  unsigned ConfirmReps = 10;
  unsigned ConfirmTop = 3;
  /// Re-measure a confirmed winner under code-placement perturbations
  /// (measure/LayoutCheck.hpp) before reporting it.
  bool LayoutCheck = true;
  ProfileMode Profile = ProfileMode::Callgrind;
  /// The LLM endpoint for `--strategy llm` (resolved by the CLI; unused by
  /// the other strategies).
  LlmSettings Llm;
};

/// One evaluation of the run, in order.
struct TuneStep {
  unsigned Index = 0; // 1-based
  CandidateConfig Config;
  std::string Origin; // what proposed it and why (the config's meta)
  EvaluationResult Result;
  double BestSoFar = 1.0; // best significant speedup after this step
  double ElapsedSeconds = 0;
};

struct TuneOutcome {
  std::string Program;
  std::string Strategy;
  std::vector<TuneStep> Steps;
  /// The confirmed winner, when one was confirmed.
  std::optional<CandidateConfig> Best;
  std::optional<EvaluationResult> Confirmed;
  /// All confirmation attempts (best candidates first).
  std::vector<EvaluationResult> Confirmations;
  /// Layout checks of confirmed candidates, in the order they were made:
  /// config short hash and verdict. A winner is the first that survived.
  std::vector<std::pair<std::string, LayoutVerdict>> LayoutChecks;
  /// Confirmed wins that did not survive the layout check.
  unsigned LayoutRejected = 0;
  /// Where the winner's gain came from (search/GainLineage.hpp).
  std::optional<GainOrigin> Origin;
  std::string BestConfigPath;
  /// What the winner changes relative to -O3, one line per knob, hint and
  /// pipeline difference (search/ConfigChanges.hpp).
  std::vector<std::string> BestChanges;
  /// How to rebuild the tuned binary: the exact build commands, and the
  /// shortest deployable form (plain clang flags, the plugin, or autopass-cc).
  std::vector<std::string> RebuildCommands;
  std::string DeployCommand;
  unsigned Rejected = 0; // wrong output, crash, timeout, build failure
  std::vector<std::string> Notes;
  std::vector<std::string> Decisions; // the agent's keep/roll-back log
  std::vector<MissingKnob> MissingKnobs;
  double BaselineMedian = 0;
  double Seconds = 0;
  std::string ResultJson;     // tune-result.json
  std::string ResultJsonPath;
};

/// The text `opt -mtriple=T -mcpu=C -passes=default<O3> -print-pipeline-passes`
/// prints for Target: the base of the pipeline layer and what a winner's
/// pipeline is compared with. It depends on the target (AArch64's has
/// loop-idiom-vectorize, x86-64's has not).
Result<std::string> o3PipelineText(const Toolchain &Tools, const TargetSpec &Target);

/// The -O3 figure of tune's table and tune-result.json when no evaluation
/// measured the baseline: its code size under objective size (never the
/// reference run's time, which an emulating runner does not measure), the
/// reference run's wall time for a wall or cpu objective run locally, else 0.
double tuneBaselineFallback(const ProgramSpec &Spec, const BaselineInfo &Base);

Result<TuneOutcome> runTuning(const ProgramSpec &Spec, const Toolchain &Tools, RunDir &Run,
                              Evaluator &Eval, const MeasurementPlan &Plan, Progress &Prog,
                              const TuneSettings &Settings);

} // namespace autopass
