//===- driver/SuiteRun.hpp - Tune every program of a suite -----*- C++ -*-===//
//
// Runs `tune` for each program of an autopass-suite/1 file with each of the
// requested strategies, one run directory per (program, strategy) under the
// suite's run directory, so a killed suite resumes program by program: a
// finished pair is read back from its tune-result.json, an unfinished one
// resumes from its journal.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "driver/TuningRun.hpp"
#include "measure/MeasurementPlan.hpp"
#include "spec/SuiteSpec.hpp"
#include "util/Result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace autopass {

class Progress;
struct Toolchain;

/// One (program, strategy) result as the suite table shows it.
struct SuiteCell {
  std::string Strategy;
  bool Finished = false;
  std::string Error;   // why the run failed (build of the baseline, ...)
  bool Faster = false; // a confirmed win
  double Speedup = 1.0, Lo = 1.0, Hi = 1.0; // 1.0 when -O3 is best
  unsigned Evaluations = 0, Rejected = 0;
  double Seconds = 0;
  std::string RunDir;
  std::string BestConfig; // path, "" without a win
  /// What the win changes relative to -O3 (search/ConfigChanges.hpp).
  std::vector<std::string> Changes;
  /// Best significant speedup after each evaluation (convergence curve).
  std::vector<double> Curve;
  /// The share of the win's gain that came from evidence rules
  /// (search/GainLineage.hpp); 0 without a win.
  double EvidenceShare = 0;
  /// Confirmed wins the layout check classified as layout effects.
  unsigned LayoutRejected = 0;
};

struct SuiteRow {
  std::string Program;
  std::string SpecPath;
  double BaselineSeconds = 0; // -O3 median of the objective
  std::string Objective;
  std::vector<SuiteCell> Cells; // one per strategy, in order
  /// clang IR PGO against -O3 (--pgo): measured once with the confirmation
  /// plan and shown as measured, below 1 included (a comparator, not a
  /// search result). Strategy "pgo"; Error says why it failed or was
  /// rejected (Rejected = 1 for a wrong output).
  std::optional<SuiteCell> Pgo;
};

struct SuiteSettings {
  std::vector<std::string> Strategies{"expert"};
  TuneSettings Tune;
  MeasurementPlan Plan;
  unsigned Jobs = 2;
  bool Resume = false;
  std::vector<std::string> Only; // program names; empty = all
  /// Overrides every program's objective (--objective); a program whose
  /// spec cannot be measured that way (reported without a regex) fails.
  std::optional<ObjectiveKind> Objective;
  /// Also measure clang IR PGO (trained on the measured input) per program.
  bool Pgo = false;
};

struct SuiteOutcome {
  std::string Name;
  std::string RunDir;
  std::vector<SuiteRow> Rows;
  /// Geometric mean of the confirmed speedups per strategy (1.0 counts for
  /// programs where -O3 stayed best; failed runs are left out).
  std::vector<double> Geomeans;
  /// Geometric mean of PGO's measured speedups (programs where it ran).
  std::optional<double> PgoGeomean;
  double Seconds = 0;
  std::string ResultJsonPath;
};

Result<SuiteOutcome> runSuite(const SuiteSpec &Suite, const Toolchain &Tools,
                              const std::string &RunDir, const SuiteSettings &Settings,
                              Progress &Prog);

/// Reads RUN_DIR/suite-result.json back (for `report`).
Result<SuiteOutcome> loadSuiteOutcome(const std::string &RunDir);

std::string suiteOutcomeJson(const SuiteOutcome &S);

/// Evaluations after which a best-so-far curve first holds Fraction of its
/// final gain, gains taken in log terms (log speedup); 0 when the curve
/// ends at or below 1 (no gain to reach).
unsigned evaluationsToReach(const std::vector<double> &Curve, double Fraction = 0.95);

/// The share of strategy SI's confirmed gain over the suite (the sum of the
/// programs' log speedups) that came from evidence rules; 0 without gain.
double evidenceShareOfGain(const SuiteOutcome &S, size_t SI);

/// Per strategy (in cell order), the geometric mean over programs of the
/// best-so-far speedup after N evaluations, N = 1.. the longest curve
/// (a finished curve holds its last value).
std::vector<std::vector<double>> geomeanCurves(const SuiteOutcome &S);

} // namespace autopass
