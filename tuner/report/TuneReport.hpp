//===- report/TuneReport.hpp - The report of one tuning run ----*- C++ -*-===//
//
// Reads RUN_DIR/results/tune-result.json (autopass-tune-result/1) and renders
// it as Markdown and as a self-contained HTML page with inline SVG: the best
// significant speedup against evaluations (with the confirmed figure), what
// the winning configuration changed (knobs, pipeline, hints), and the
// measured distributions of -O3 and the winner on the confirmation runs.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/ConfigChanges.hpp"
#include "util/Result.hpp"

#include <string>
#include <vector>

namespace autopass {

struct TuneReportData {
  std::string Program, Strategy, Objective, RunDir;
  unsigned Budget = 0, Evaluations = 0, Rejected = 0;
  double Seconds = 0;
  bool Faster = false;
  double Speedup = 1, Lo = 1, Hi = 1;
  std::string BestHash, BestConfigJson, Deploy;
  /// What the winner changes relative to -O3, one line each.
  std::vector<std::string> Changes;
  /// The run did not record Changes: they were computed when loading, from
  /// the config against the O3 pipeline passed to load().
  bool ChangesComputed = false;
  std::vector<double> BestSoFar;       // per evaluation
  std::vector<double> StepSpeedups;    // per evaluation (0 when rejected)
  std::vector<std::string> StepLabels; // "hash origin: status"
  std::vector<double> BaselineSamples, BestSamples; // confirmation runs
  /// Where the winner's gain came from (best.gain_origin): shares by origin
  /// and one line per adopted step; empty when the result has none.
  std::vector<std::pair<std::string, double>> GainShares;
  std::vector<std::string> GainSteps;
  std::vector<std::string> Decisions, Notes;

  /// O3Pipeline: the -O3 pipeline text, to describe the winner of a result
  /// written before tune recorded its changes (asked only then).
  static Result<TuneReportData> load(const std::string &RunDir,
                                     const O3PipelineSource &O3Pipeline = {});
};

std::string renderTuneMarkdown(const TuneReportData &D);
std::string renderTuneHtml(const TuneReportData &D);

} // namespace autopass
