//===- cli/ResultTable.hpp - Human-readable result tables -----*- C++ -*-===//
//
// hyperfine-style text on stdout: medians with spread, the speedup with its
// interval and a verdict, warnings when the noise is too high to decide.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "measure/EvaluationResult.hpp"
#include "measure/Evaluator.hpp"
#include "spec/ProgramSpec.hpp"

#include <string>

namespace autopass {

/// Prints one evaluation (Label names the candidate, e.g. its short hash).
void printEvaluation(const std::string &Label, ObjectiveKind Kind, const EvaluationResult &R);
void printBaselineSeries(ObjectiveKind Kind, const BaselineSeries &S, unsigned Warmups);

} // namespace autopass
