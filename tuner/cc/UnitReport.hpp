//===- cc/UnitReport.hpp - Which hints matched in which unit -*- C++ -*-===//
//
// A configuration names functions of the whole program, but each compile
// sees one translation unit: a hint for a function defined elsewhere is not
// an error there. So autopass-cc keeps the per-unit outcome quiet and writes
// it next to the object, OBJECT.autopass.json (schema `autopass-cc-unit/1`,
// docs/using-a-config.md); at link it reads the files of the objects being
// linked and reports, once, each hint that matched in none of them.
//
// The outcome comes from the plugin: its `autopass-hints-report/1` file on
// the opt flow, and on the clang -fpass-plugin flow (where the plugin takes
// no report path) its documented warning lines
// `autopass: warning: CONFIG: KIND hint 'NAME' matched nothing: REASON`,
// which autopass-cc takes out of the compiler's stderr.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "util/Result.hpp"

#include <string>
#include <vector>

namespace autopass {

/// A hint as the plugin names it: kind "loop" / "function" / "call"; a
/// call hint is named CALLER->CALLEE, with #INDEX when the hint has one.
struct HintName {
  std::string Kind;
  std::string Name;
  bool operator==(const HintName &O) const { return Kind == O.Kind && Name == O.Name; }
  bool operator<(const HintName &O) const { return Kind != O.Kind ? Kind < O.Kind : Name < O.Name; }
};

struct UnmatchedHint {
  HintName Hint;
  std::string Reason;
};

/// Every hint of a configuration, in the order the plugin reports them.
std::vector<HintName> hintNames(const CandidateConfig &Config);

struct UnitReport {
  static constexpr const char *Schema = "autopass-cc-unit/1";
  std::string ConfigPath;
  std::string ConfigHash; // CandidateConfig::contentHash()
  std::string Source;
  std::string Route; // "plugin" (clang -fpass-plugin) or "opt"
  std::vector<HintName> Matched;
  std::vector<UnmatchedHint> Unmatched;

  std::string toJson() const;
  static Result<UnitReport> parse(const std::string &Text, const std::string &SourceName);
  static Result<UnitReport> load(const std::string &Path);
};

/// OBJECT.autopass.json.
std::string unitReportPathFor(const std::string &Output);

/// Compiler stderr split into the plugin's unmatched-hint warnings about
/// ConfigPath and everything else (passed on to the user unchanged).
struct SplitDiagnostics {
  std::vector<UnmatchedHint> Unmatched;
  std::string Rest;
};
SplitDiagnostics splitHintWarnings(const std::string &Stderr, const std::string &ConfigPath);

/// Fills Matched/Unmatched of Report from the plugin's
/// autopass-hints-report/1 file.
Status readHintsReport(const std::string &Path, UnitReport &Report);

/// Matched = every hint of Config that is not in Report.Unmatched (the
/// plugin reports every hint either way, so the rest were applied).
void completeMatched(const CandidateConfig &Config, UnitReport &Report);

/// The link-time verdict: one message per hint of Config that matched in
/// none of Units (units built with another configuration must have been
/// filtered out). Unknown lists link inputs whose outcome is not known
/// (archives, objects built without autopass-cc); they are named in the
/// messages because the hint may have matched there.
std::vector<std::string> unmatchedAtLink(const CandidateConfig &Config,
                                         const std::string &ConfigPath,
                                         const std::vector<UnitReport> &Units,
                                         const std::vector<std::string> &Unknown,
                                         const std::string &Output);

} // namespace autopass
