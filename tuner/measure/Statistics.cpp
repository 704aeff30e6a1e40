//===- measure/Statistics.cpp - Medians, spreads, bootstrap ---------------===//
#include "measure/Statistics.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace autopass {

double quantile(std::vector<double> Samples, double Q) {
  if (Samples.empty())
    return 0;
  std::sort(Samples.begin(), Samples.end());
  double Pos = Q * static_cast<double>(Samples.size() - 1);
  size_t Lo = static_cast<size_t>(std::floor(Pos));
  size_t Hi = static_cast<size_t>(std::ceil(Pos));
  double Frac = Pos - static_cast<double>(Lo);
  return Samples[Lo] + (Samples[Hi] - Samples[Lo]) * Frac;
}

double median(std::vector<double> Samples) { return quantile(std::move(Samples), 0.5); }

double relativeMad(const std::vector<double> &Samples) {
  if (Samples.empty())
    return 0;
  double M = median(Samples);
  if (M == 0)
    return 0;
  std::vector<double> Dev;
  for (double S : Samples)
    Dev.push_back(std::fabs(S - M));
  return median(Dev) / std::fabs(M);
}

double relativeRange(const std::vector<double> &Samples) {
  if (Samples.empty())
    return 0;
  double M = median(Samples);
  if (M == 0)
    return 0;
  auto [Min, Max] = std::minmax_element(Samples.begin(), Samples.end());
  return (*Max - *Min) / std::fabs(M);
}

double RatioEstimate::relativeHalfWidth() const {
  if (Speedup == 0)
    return 0;
  return (Hi - Lo) / 2 / std::fabs(Speedup);
}

std::string_view verdictName(Verdict V) {
  switch (V) {
  case Verdict::Faster: return "faster";
  case Verdict::Slower: return "slower";
  case Verdict::NoDifference: return "no difference";
  }
  return "no difference";
}

namespace {
double ratio(double BaseMedian, double CandMedian, bool HigherIsBetter) {
  double Num = HigherIsBetter ? CandMedian : BaseMedian;
  double Den = HigherIsBetter ? BaseMedian : CandMedian;
  if (Den == 0)
    return Num == 0 ? 1 : INFINITY;
  return Num / Den;
}

/// Median of a resample, drawn with replacement.
double resampledMedian(const std::vector<double> &Samples, std::mt19937_64 &Rng,
                       std::vector<double> &Scratch) {
  std::uniform_int_distribution<size_t> Pick(0, Samples.size() - 1);
  Scratch.resize(Samples.size());
  for (auto &S : Scratch)
    S = Samples[Pick(Rng)];
  size_t Mid = Scratch.size() / 2;
  std::nth_element(Scratch.begin(), Scratch.begin() + Mid, Scratch.end());
  double Upper = Scratch[Mid];
  if (Scratch.size() % 2)
    return Upper;
  double Lower = *std::max_element(Scratch.begin(), Scratch.begin() + Mid);
  return (Lower + Upper) / 2;
}
} // namespace

RatioEstimate bootstrapSpeedup(const std::vector<double> &Baseline,
                               const std::vector<double> &Candidate, bool HigherIsBetter,
                               unsigned Resamples, double Confidence, uint64_t Seed) {
  RatioEstimate E;
  if (Baseline.empty() || Candidate.empty())
    return E;
  E.Speedup = ratio(median(Baseline), median(Candidate), HigherIsBetter);
  std::mt19937_64 Rng(Seed);
  std::vector<double> Ratios;
  Ratios.reserve(Resamples);
  std::vector<double> Scratch;
  for (unsigned I = 0; I < Resamples; ++I) {
    double B = resampledMedian(Baseline, Rng, Scratch);
    double C = resampledMedian(Candidate, Rng, Scratch);
    Ratios.push_back(ratio(B, C, HigherIsBetter));
  }
  double Alpha = (1 - Confidence) / 2;
  E.Lo = quantile(Ratios, Alpha);
  E.Hi = quantile(Ratios, 1 - Alpha);
  // The point estimate always lies inside its interval.
  E.Lo = std::min(E.Lo, E.Speedup);
  E.Hi = std::max(E.Hi, E.Speedup);
  return E;
}

Verdict verdictFor(const RatioEstimate &E) {
  if (E.Lo > 1)
    return Verdict::Faster;
  if (E.Hi < 1)
    return Verdict::Slower;
  return Verdict::NoDifference;
}

} // namespace autopass
