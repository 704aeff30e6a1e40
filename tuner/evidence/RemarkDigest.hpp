//===- evidence/RemarkDigest.hpp - Optimization remarks, condensed -*- C++
//-*-===//
//
// Reads an optimization-record file (YAML, as written by
// `clang -fsave-optimization-record` or `opt -pass-remarks-output=F`) with
// LLVM's own remarks library, then condenses thousands of remarks into what
// an engineer or an agent can act on: counts per function, kind and pass;
// inlining decisions with cost and threshold; loop-vectorizer decisions with
// width/interleave or the reason for failing; and the other passed/missed
// remarks deduplicated with counts.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

/// Mirrors llvm::remarks::Type so that callers need no LLVM headers.
enum class RemarkKind {
  Unknown,
  Passed,
  Missed,
  Analysis,
  AnalysisFPCommute,
  AnalysisAliasing,
  Failure
};
std::string_view remarkKindName(RemarkKind K);

struct SourceLocation {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;

  /// file:line:col
  std::string str() const;
  bool operator==(const SourceLocation &O) const {
    return File == O.File && Line == O.Line && Column == O.Column;
  }
};

struct RemarkArg {
  std::string Key;
  std::string Value;
  std::optional<SourceLocation> Loc;
};

struct OptRemark {
  RemarkKind Kind = RemarkKind::Unknown;
  std::string Pass;     // e.g. loop-vectorize, inline, licm
  std::string Name;     // e.g. Vectorized, TooCostly
  std::string Function; // IR (mangled) name
  std::optional<SourceLocation> Loc;
  std::optional<uint64_t> Hotness; // present with a PGO profile
  std::vector<RemarkArg> Args;
  std::string Message; // the args' values concatenated, as LLVM prints it

  const RemarkArg *arg(std::string_view Key) const;
  /// The first argument named Key parsed as an integer, if it is one.
  std::optional<int64_t> intArg(std::string_view Key) const;
};

/// Parses every remark of a YAML optimization-record stream; errors name
/// SourceName and carry the remarks library's message.
Result<std::vector<OptRemark>> parseRemarks(std::string_view YamlText,
                                            std::string_view SourceName);
Result<std::vector<OptRemark>> loadRemarks(const std::string &Path);

struct KindCounts {
  int64_t Passed = 0;
  int64_t Missed = 0;
  int64_t Analysis = 0; // includes AnalysisFPCommute and AnalysisAliasing
  int64_t Other = 0;

  void add(RemarkKind K);
  int64_t total() const { return Passed + Missed + Analysis + Other; }
};

/// One inliner decision about a call site (deduplicated: Count call sites
/// with the same caller, callee, outcome, cost and threshold).
struct InlineDecision {
  std::string Caller;
  std::string Callee;
  bool Inlined = false;
  std::string RemarkName; // Inlined, TooCostly, NeverInline, NoDefinition...
  std::optional<int64_t> Cost;
  std::optional<int64_t> Threshold;
  std::string Reason; // "Reason" arg when present (e.g. noinline attribute)
  std::optional<SourceLocation> Loc; // first call site
  int64_t Count = 1;
};

/// The loop vectorizer's verdict on one loop (identified by function and
/// the loop's source location).
struct VectorizeDecision {
  std::string Function;
  std::optional<SourceLocation> Loc;
  bool Vectorized = false;  // vectorized (width > 1)
  bool Interleaved = false; // interleaved only, or vectorized and interleaved
  std::optional<int64_t> Width;
  std::optional<int64_t> InterleaveCount;
  /// Why it failed, from the vectorizer's analysis remarks and missed
  /// remarks ("unsafe dependent memory operations in loop...", "the
  /// cost-model indicates that vectorization is not beneficial").
  std::vector<std::string> Reasons;
};

/// A passed or missed remark of an optimization pass, deduplicated: remarks
/// with the same kind, pass, name, function and message (numbers ignored)
/// collapse into one highlight with a count.
struct RemarkHighlight {
  RemarkKind Kind = RemarkKind::Missed;
  std::string Pass;
  std::string Name;
  std::string Function;
  std::optional<SourceLocation> Loc; // of the first occurrence
  std::string Message;               // of the first occurrence
  int64_t Count = 0;
};

struct FunctionRemarkCounts {
  KindCounts Counts;
  std::map<std::string, KindCounts> ByPass;
};

class RemarkDigest {
public:
  static RemarkDigest build(const std::vector<OptRemark> &Remarks);

  KindCounts Totals;
  std::map<std::string, KindCounts> ByPass;
  std::map<std::string, FunctionRemarkCounts> Functions;
  std::vector<InlineDecision> Inlining;         // in file order
  std::vector<VectorizeDecision> Vectorization; // in file order
  /// Passed/missed remarks of optimization passes other than inlining and
  /// loop vectorization (which have their own records above), and without
  /// codegen size metrics (asm-printer, prologepilog, size-info). Missed
  /// before passed, then by count.
  std::vector<RemarkHighlight> Highlights;
  /// Failure remarks: LLVM did not perform a transformation that a loop's
  /// metadata asked for (pass transform-warning, e.g. "loop not vectorized:
  /// the optimizer was unable to perform the requested transformation; ...",
  /// the warning clang prints). One per function, location and remark name,
  /// in file order.
  std::vector<RemarkHighlight> Failures;

  // Views of one function, in the same order as the lists above.
  std::vector<const InlineDecision *>
  inliningInto(std::string_view Caller) const;
  std::vector<const VectorizeDecision *>
  vectorizationIn(std::string_view Fn) const;
  std::vector<const RemarkHighlight *> highlightsIn(std::string_view Fn) const;
};

} // namespace autopass
