//===- measure/EvaluationResult.hpp - The outcome of one evaluation -*- C++ -*-===//
//
// What the strategies and agents learn about one config: whether it built,
// ran and produced the reference output, and if so its speedup over -O3
// with a confidence interval, the raw samples and the costs. It round-trips
// through JSON because finished evaluations are journaled and returned from
// the journal on --resume.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "measure/SequentialRule.hpp"
#include "measure/Statistics.hpp"
#include "util/Result.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

/// EnvFailed: the environment failed, not the candidate (disk full, an I/O
/// error, a compiler killed by the system); the run stops, and --resume
/// evaluates the config again (measure/EnvironmentFailure.hpp).
enum class EvalStatus { Ok, BuildFailed, WrongOutput, Crashed, TimedOut, Invalid, EnvFailed };
std::string_view evalStatusName(EvalStatus S);

struct EvaluationResult {
  std::string ConfigHash;
  EvalStatus Status = EvalStatus::Invalid;
  /// Why it was rejected (build log excerpt, first output difference,
  /// signal, ...); empty when Ok.
  std::string Reason;
  std::string Objective; // "wall", "cpu", ...
  /// Speedup over the baseline (> 1: the candidate is better) with its
  /// interval; meaningful only when Status is Ok.
  double Speedup = 0;
  double CiLo = 0;
  double CiHi = 0;
  Verdict Decision = Verdict::NoDifference;
  std::vector<double> BaselineSamples; // objective values, in run order
  std::vector<double> CandidateSamples;
  /// Why the pairs stopped (measure/SequentialRule.hpp); empty when the
  /// candidate was not timed.
  std::optional<StopReason> Stopped;
  double BuildSeconds = 0;
  double MeasureSeconds = 0;
  /// Where it was measured ("this machine", "host board1", "Slurm node n3
  /// (job 812)"); empty when it was not run.
  std::string MeasuredOn;
  bool CachedBuild = false;
  std::string BinaryHash;
  bool SameBinaryAsBaseline = false;
  /// The loaded image equals the baseline's (measure/RuntimeImage.hpp);
  /// true whenever SameBinaryAsBaseline is.
  bool SameImageAsBaseline = false;
  uint64_t CandidateTextBytes = 0;
  uint64_t BaselineTextBytes = 0;
  /// Noise warnings ("interval wider than the target after the cap", ...).
  std::string Warning;
  /// The build's warnings: region hints that matched nothing in the
  /// program, transformations the optimizer reports as not performed.
  std::vector<std::string> BuildWarnings;
  /// True when this result was read back from the journal (--resume).
  bool FromJournal = false;

  bool ok() const { return Status == EvalStatus::Ok; }
  double baselineMedian() const;
  double candidateMedian() const;

  std::string toJson() const;
  static Result<EvaluationResult> fromJson(const rapidjson::Value &V, const std::string &Source);
};

} // namespace autopass
