//===- measure/Statistics.hpp - Medians, spreads, bootstrap ---*- C++ -*-===//
//
// The figure of merit is a ratio of medians with a bootstrap confidence
// interval. Convention: speedup > 1 means the candidate is better; for
// lower-is-better objectives (time, cycles, size) it is
// median(baseline) / median(candidate), for higher-is-better ones
// (a reported throughput) median(candidate) / median(baseline). The RNG has
// a fixed seed, so the same samples always give the same interval.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace autopass {

double median(std::vector<double> Samples);
/// Linear-interpolated quantile, Q in [0, 1].
double quantile(std::vector<double> Samples, double Q);
/// Median absolute deviation divided by the median (0 for an empty or
/// zero-median series): a robust relative spread.
double relativeMad(const std::vector<double> &Samples);
/// (max - min) / median.
double relativeRange(const std::vector<double> &Samples);

struct RatioEstimate {
  double Speedup = 1; // point estimate, ratio of medians
  double Lo = 1;      // confidence interval
  double Hi = 1;
  /// Half the interval's width relative to the estimate.
  double relativeHalfWidth() const;
};

enum class Verdict { Faster, Slower, NoDifference };
std::string_view verdictName(Verdict V);

/// Percentile bootstrap of the ratio of medians: baseline and candidate
/// samples are resampled independently Resamples times.
RatioEstimate bootstrapSpeedup(const std::vector<double> &Baseline,
                               const std::vector<double> &Candidate, bool HigherIsBetter,
                               unsigned Resamples = 2000, double Confidence = 0.95,
                               uint64_t Seed = 0x5eed5eedULL);

/// Faster when the whole interval lies above 1, slower when below,
/// otherwise no difference can be claimed.
Verdict verdictFor(const RatioEstimate &E);

} // namespace autopass
