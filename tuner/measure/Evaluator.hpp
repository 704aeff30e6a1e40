//===- measure/Evaluator.hpp - Build, check and measure configs -*- C++ -*-===//
//
// The one API strategies and agents use to learn what a config is worth.
//
//   auto E = Evaluator::create(Spec, Tools, Run, Plan, Jobs, &Progress);
//   auto Base = (*E)->prepareBaseline();          // -O3 build + reference output
//   EvaluationResult R = (*E)->evaluate(Config);  // build, check, measure
//   auto Rs = (*E)->evaluateBatch(Configs);       // parallel builds, runs one lane each
//   EvaluationResult C = (*E)->confirm(Best, BiggerPlan); // fresh re-measurement
//
// Every evaluation is journaled. An evaluation already finished in this run
// directory (same spec, objective and config hash) is returned from the
// journal instead of being redone: that is what makes --resume cheap and
// a SIGKILL harmless. Measurements on one machine never run in parallel;
// with runner slurm and N nodes, N evaluations of a batch are measured at
// once, each on its own node (lanes()), and only this process journals.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "measure/EvaluationResult.hpp"
#include "measure/MeasurementPlan.hpp"
#include "measure/OutputChecker.hpp"
#include "spec/ProgramSpec.hpp"
#include "toolchain/Builder.hpp"
#include "util/Result.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace autopass {

class Progress;
class RunDir;
class Runner;
class ToolOptionIndex;
struct Toolchain;

struct BaselineInfo {
  BuildResult Build;
  OutputSnapshot Reference;
  double ReferenceSeconds = 0; // wall time of the reference run
  uint64_t TextBytes = 0;
  std::string ImageHash; // measure/RuntimeImage.hpp; empty when unreadable
};

/// Repeated runs of the baseline alone (the machine's noise floor).
struct BaselineSeries {
  std::vector<double> Samples;
  double Median = 0;
  double RelMad = 0;
  double RelRange = 0;
};

class Evaluator {
public:
  /// Spec.Objective is what is measured (apply --objective before).
  static Result<std::unique_ptr<Evaluator>> create(const ProgramSpec &Spec, const Toolchain &Tools,
                                                   RunDir &Run, const MeasurementPlan &Plan,
                                                   unsigned Jobs, Progress *Progress = nullptr);
  ~Evaluator();

  /// Builds the -O3 baseline and records its output as the reference (kept
  /// in the run directory and reused on resume when the binary is the same).
  Result<BaselineInfo> prepareBaseline();
  EvaluationResult evaluate(const CandidateConfig &Config);
  std::vector<EvaluationResult> evaluateBatch(const std::vector<CandidateConfig> &Configs);
  /// A fresh interleaved re-measurement with its own plan (typically more
  /// repetitions); samples of earlier evaluations are not reused.
  EvaluationResult confirm(const CandidateConfig &Config, const MeasurementPlan &ConfirmPlan);
  /// Checks and measures a binary built outside the candidate flow (a PGO
  /// build, cli/PgoCommand.cpp) exactly like a candidate, against the -O3
  /// reference. Label stands for the config hash in the result and the
  /// journal; the result is never answered from the journal.
  EvaluationResult evaluateBinary(const BuildResult &Built, const std::string &Label,
                                  const MeasurementPlan &Plan);
  /// Runs the baseline alone Runs times (after the plan's warm-ups).
  Result<BaselineSeries> sampleBaseline(unsigned Runs);

  /// Fails once the run must stop: an environment failure (disk full, I/O
  /// error, a compiler killed by the system; the config's result is
  /// env_failed and --resume evaluates it again) or a journal append that
  /// failed. From then on every evaluation returns env_failed unbuilt.
  Status health() const;

  const ProgramSpec &spec() const;
  const MeasurementPlan &plan() const;
  /// Parallel builds this evaluator runs (--jobs).
  unsigned jobs() const;
  /// Measurements it can run at once: 1, or runner slurm's nodes (each
  /// evaluation of a batch then measures on a node of its own).
  unsigned lanes() const;
  /// Number of evaluations answered from the journal so far.
  unsigned resumedEvaluations() const;
  /// Builds a candidate without measuring it (cached; used by evidence).
  BuildResult build(const CandidateConfig &Config);
  /// Commands that rebuild Config's binary into OutDir after the run, the
  /// plugin reading ConfigPath (Builder::rebuildCommands).
  Result<std::vector<std::string>> rebuildCommands(const CandidateConfig &Config,
                                                   const std::string &ConfigPath,
                                                   const std::string &OutDir);

private:
  Evaluator();
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace autopass
