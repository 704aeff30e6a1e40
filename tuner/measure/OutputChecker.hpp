//===- measure/OutputChecker.hpp - Is the candidate's output right? -*- C++ -*-===//
//
// The -O3 baseline's output is the reference. A candidate passes when its
// output matches per the spec's check kind: exact bytes; numeric (token by
// token, numbers within an absolute or relative tolerance, other tokens
// equal); files the program writes (byte for byte, plus stdout); or an
// external checker command (exit 0 = correct). The reason of a mismatch
// says where, so it is useful evidence.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "spec/ProgramSpec.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace autopass {

/// What one run produced that correctness is judged on.
struct OutputSnapshot {
  std::string Stdout;
  bool StdoutTruncated = false;
  std::map<std::string, std::string> Files; // check.files present after the run
  int ExitCode = 0;
};

struct CheckResult {
  bool Ok = true;
  std::string Reason; // empty when Ok
  /// Not Ok because the machine failed, not because the output is wrong:
  /// the checker's files could not be written, the checker could not be
  /// started, or it failed on a full disk, an I/O error or the OOM killer
  /// (measure/RunHealth.hpp). The evaluator makes that `env_failed`.
  bool EnvironmentFailed = false;
};

/// Token-by-token comparison; returns a description of the first mismatch.
std::optional<std::string> compareNumeric(std::string_view Reference, std::string_view Candidate,
                                          double AbsTol, double RelTol);
/// First differing line of two texts, for messages.
std::string describeFirstDifference(std::string_view Reference, std::string_view Candidate);

/// ScratchDir holds the temporary files a checker command reads.
CheckResult checkOutput(const CheckSpec &Check, const OutputSnapshot &Reference,
                        const OutputSnapshot &Candidate, const std::string &ScratchDir);

} // namespace autopass
