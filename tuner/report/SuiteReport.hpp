//===- report/SuiteReport.hpp - Tables and pages of a suite run -*- C++ -*-===//
//
// Renders a suite run for people: a plain-text table for the terminal, a
// Markdown report, and a self-contained HTML page with inline SVG plots
// (speedup per program per strategy with intervals; convergence curves of
// the best confirmed-so-far speedup against evaluations).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "driver/SuiteRun.hpp"

#include <string>

namespace autopass {

std::string renderSuiteTable(const SuiteOutcome &S);
std::string renderSuiteMarkdown(const SuiteOutcome &S);
std::string renderSuiteHtml(const SuiteOutcome &S);

} // namespace autopass
