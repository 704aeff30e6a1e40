//===- measure/EvaluationResult.cpp - The outcome of one evaluation -------===//
#include "measure/EvaluationResult.hpp"

#include "util/Json.hpp"

namespace autopass {

std::string_view evalStatusName(EvalStatus S) {
  switch (S) {
  case EvalStatus::Ok: return "ok";
  case EvalStatus::BuildFailed: return "build_failed";
  case EvalStatus::WrongOutput: return "wrong_output";
  case EvalStatus::Crashed: return "crashed";
  case EvalStatus::TimedOut: return "timed_out";
  case EvalStatus::Invalid: return "invalid";
  case EvalStatus::EnvFailed: return "env_failed";
  }
  return "invalid";
}

double EvaluationResult::baselineMedian() const { return median(BaselineSamples); }
double EvaluationResult::candidateMedian() const { return median(CandidateSamples); }

std::string EvaluationResult::toJson() const {
  JsonOut J;
  J.beginObject()
      .field("config_hash", ConfigHash)
      .field("status", std::string(evalStatusName(Status)))
      .field("reason", Reason)
      .field("objective", Objective)
      .field("speedup", Speedup)
      .field("ci_lo", CiLo)
      .field("ci_hi", CiHi)
      .field("verdict", std::string(verdictName(Decision)))
      .field("baseline_median", BaselineSamples.empty() ? 0.0 : baselineMedian())
      .field("candidate_median", CandidateSamples.empty() ? 0.0 : candidateMedian())
      .field("baseline_rel_mad", relativeMad(BaselineSamples))
      .field("candidate_rel_mad", relativeMad(CandidateSamples));
  J.key("baseline_samples").values(BaselineSamples);
  J.key("candidate_samples").values(CandidateSamples);
  if (Stopped)
    J.field("stopped", std::string(stopReasonName(*Stopped)));
  J.field("build_seconds", BuildSeconds)
      .field("measure_seconds", MeasureSeconds)
      .field("measured_on", MeasuredOn)
      .field("cached_build", CachedBuild)
      .field("binary_hash", BinaryHash)
      .field("same_binary_as_baseline", SameBinaryAsBaseline)
      .field("same_image_as_baseline", SameImageAsBaseline)
      .field("candidate_text_bytes", CandidateTextBytes)
      .field("baseline_text_bytes", BaselineTextBytes)
      .field("warning", Warning);
  J.key("build_warnings").values(BuildWarnings);
  J.endObject();
  return J.str();
}

Result<EvaluationResult> EvaluationResult::fromJson(const rapidjson::Value &V,
                                                    const std::string &Source) {
  auto O = JsonObject::from(V, Source, "result");
  if (!O)
    return O.error();
  EvaluationResult R;
  auto Str = [&](const char *K, std::string &Out) -> autopass::Status {
    auto S = O->optString(K);
    if (!S)
      return S.error();
    Out = S->value_or("");
    return success();
  };
  auto Num = [&](const char *K, double &Out) -> autopass::Status {
    auto N = O->optNumber(K);
    if (!N)
      return N.error();
    Out = N->value_or(0);
    return success();
  };
  auto Bool = [&](const char *K, bool &Out) -> autopass::Status {
    auto B = O->optBool(K);
    if (!B)
      return B.error();
    Out = B->value_or(false);
    return success();
  };
  std::string StatusText, VerdictText, StoppedText;
  double CandBytes = 0, BaseBytes = 0;
  for (const autopass::Status &S : {Str("config_hash", R.ConfigHash), Str("status", StatusText),
                   Str("reason", R.Reason), Str("objective", R.Objective),
                   Num("speedup", R.Speedup), Num("ci_lo", R.CiLo), Num("ci_hi", R.CiHi),
                   Str("verdict", VerdictText), Num("build_seconds", R.BuildSeconds),
                   Num("measure_seconds", R.MeasureSeconds), Bool("cached_build", R.CachedBuild),
                   Str("binary_hash", R.BinaryHash),
                   Bool("same_binary_as_baseline", R.SameBinaryAsBaseline),
                   Bool("same_image_as_baseline", R.SameImageAsBaseline),
                   Num("candidate_text_bytes", CandBytes), Num("baseline_text_bytes", BaseBytes),
                   Str("warning", R.Warning), Str("stopped", StoppedText),
                   Str("measured_on", R.MeasuredOn)})
    if (!S)
      return S.error();
  R.SameImageAsBaseline = R.SameImageAsBaseline || R.SameBinaryAsBaseline;
  R.CandidateTextBytes = static_cast<uint64_t>(CandBytes);
  R.BaselineTextBytes = static_cast<uint64_t>(BaseBytes);
  bool Known = false;
  for (EvalStatus S : {EvalStatus::Ok, EvalStatus::BuildFailed, EvalStatus::WrongOutput,
                       EvalStatus::Crashed, EvalStatus::TimedOut, EvalStatus::Invalid,
                       EvalStatus::EnvFailed})
    if (evalStatusName(S) == StatusText) {
      R.Status = S;
      Known = true;
    }
  if (!Known)
    return O->error("status", "expected ok, build_failed, wrong_output, crashed, timed_out, "
                              "invalid or env_failed; got \"" + StatusText + "\"");
  for (Verdict V : {Verdict::Faster, Verdict::Slower, Verdict::NoDifference})
    if (verdictName(V) == VerdictText)
      R.Decision = V;
  if (!StoppedText.empty()) {
    R.Stopped = parseStopReason(StoppedText);
    if (!R.Stopped)
      return O->error("stopped", "expected target_reached, cap, clearly_slower, "
                                 "clearly_faster or not_faster; got \"" + StoppedText + "\"");
  }
  auto BW = O->optStringArray("build_warnings");
  if (!BW)
    return BW.error();
  R.BuildWarnings = BW->value_or(std::vector<std::string>());
  auto BS = O->optNumberArray("baseline_samples");
  if (!BS)
    return BS.error();
  R.BaselineSamples = BS->value_or(std::vector<double>());
  auto CS = O->optNumberArray("candidate_samples");
  if (!CS)
    return CS.error();
  R.CandidateSamples = CS->value_or(std::vector<double>());
  return R;
}

} // namespace autopass
