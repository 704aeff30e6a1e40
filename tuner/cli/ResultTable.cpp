//===- cli/ResultTable.cpp - Human-readable result tables -----------------===//
#include "cli/ResultTable.hpp"

#include "cli/CommonOptions.hpp"
#include "spec/ObjectiveWords.hpp"

#include <cstdio>

namespace autopass {

namespace {
std::string pct(double F) {
  char Buf[32];
  std::snprintf(Buf, sizeof(Buf), "%.1f%%", F * 100);
  return Buf;
}
/// "size" for objective size (bytes, one value per binary), "median" else.
const char *valueWord(ObjectiveKind Kind) {
  return Kind == ObjectiveKind::Size ? "size" : "median";
}
} // namespace

void printBaselineSeries(ObjectiveKind Kind, const BaselineSeries &S, unsigned Warmups) {
  if (S.Samples.empty())
    return;
  double Min = S.Samples.front(), Max = S.Samples.front();
  for (double V : S.Samples) {
    Min = std::min(Min, V);
    Max = std::max(Max, V);
  }
  std::printf("  %-12s %s %-14s MAD +/-%-7s range %s .. %s  (%zu runs, %u warm-up)\n", "-O3",
              valueWord(Kind), formatValue(Kind, S.Median).c_str(), pct(S.RelMad).c_str(),
              formatValue(Kind, Min).c_str(), formatValue(Kind, Max).c_str(), S.Samples.size(),
              Warmups);
}

void printEvaluation(const std::string &Label, ObjectiveKind Kind, const EvaluationResult &R) {
  std::printf("  %-12s %s%s\n", Label.c_str(), std::string(evalStatusName(R.Status)).c_str(),
              R.FromJournal ? "  (from the journal: finished before --resume)" : "");
  if (!R.ok()) {
    std::printf("    reason: %s\n", R.Reason.c_str());
    return;
  }
  std::printf("    %-10s %s %-14s MAD +/-%s\n", "-O3", valueWord(Kind),
              formatValue(Kind, R.baselineMedian()).c_str(), pct(relativeMad(R.BaselineSamples)).c_str());
  std::printf("    %-10s %s %-14s MAD +/-%s\n", "candidate", valueWord(Kind),
              formatValue(Kind, R.candidateMedian()).c_str(),
              pct(relativeMad(R.CandidateSamples)).c_str());
  std::printf("    %s %.3f  95%% CI [%.3f, %.3f]  %s  (%zu pair%s; build %.1f s%s, measure %.1f s%s)\n",
              std::string(objectiveRatioName(Kind)).c_str(), R.Speedup, R.CiLo, R.CiHi, std::string(verdictName(R.Decision)).c_str(),
              R.CandidateSamples.size(), R.CandidateSamples.size() == 1 ? "" : "s",
              R.BuildSeconds, R.CachedBuild ? " cached" : "", R.MeasureSeconds, R.SameBinaryAsBaseline ? "; binary identical to -O3" : "");
  if (!R.Warning.empty())
    std::printf("    warning: %s\n", R.Warning.c_str());
}

} // namespace autopass
