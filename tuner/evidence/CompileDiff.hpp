//===- evidence/CompileDiff.hpp - A candidate's compile vs its parent's -*- C++ -*-===//
//
// What the optimizer did differently for a candidate configuration than for
// its parent (the configuration it was built on), from the evidence of both
// compilations: pass by pass over the program (the plugin's summaries) and
// per function (its records, loop and SCC units included); the remark
// differences (a loop vectorized at another width or not at all, a call now
// inlined, a loop unrolled that was not); and the candidate's
// transform-warning failures, LLVM's own word that a loop hint was not
// performed ("loop not unrolled: the optimizer was unable to perform the
// requested transformation ..."). The plugin's own elements
// (autopass::HintsPass, which writes the hints as metadata) are left out.
// Agents use it to tell which edit of a
// regressed candidate is responsible, and whether a hint did anything at
// all. Pure: it compares two EvidenceInputs and runs nothing.
//
// Everything is attributed to SOURCE functions, the ones configurations
// name (hints are applied before inlining): a record of `main` holding the
// inlined code of a static kernel counts for the kernel as far as that code
// is concerned (the plugin's per-record "sources" and loop "source"), and a
// remark or transform warning under `main` whose location lies in the
// kernel's source lines is the kernel's (evidence/SourceMap.hpp). Without
// debug information the IR function names are used, and attribution says
// so (SourceMapped).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "evidence/EvidenceDigest.hpp"
#include "util/Result.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

/// One pass compared on one source function between parent and candidate.
/// Records of the function's loops (FUNCTION:L@HEADER, or a loop whose
/// "source" is the function) count for the function, and so do those of an
/// SCC that contains it (whose counts cover the whole SCC); a unit holding
/// inlined code counts for each source function by that function's part.
struct FunctionPassDelta {
  std::string Function;
  std::string Pass;
  FunctionPassEffect Parent;    // zero when the pass did not run on it
  FunctionPassEffect Candidate; // zero when the pass did not run on it

  int64_t runsDelta() const { return Candidate.Runs - Parent.Runs; }
  int64_t changedRunsDelta() const { return Candidate.ChangedRuns - Parent.ChangedRuns; }
  int64_t instructionDeltaDifference() const {
    return Candidate.InstructionDelta - Parent.InstructionDelta;
  }
  /// "LoopUnrollPass in kernel: changed 2->5, instr delta +12->+352 (+340)"
  std::string str() const;
};

/// A remark-level difference about one function.
struct RemarkChange {
  std::string Function; // the source function at the remark's location
  std::string Pass; // the remark's pass: loop-vectorize, inline, loop-unroll...
  std::string Text; // "loop at k.c:12: vectorized width 4 -> not vectorized"
};

/// A loop transformation the candidate's metadata asked for and LLVM did not
/// perform (a Failure remark of the transform-warning pass).
struct TransformWarning {
  /// The source function at the warning's location (the remark's function
  /// without debug information).
  std::string Function;
  /// The IR function the loop was in when LLVM warned, when it is not
  /// Function (the loop was inlined there).
  std::string InlinedInto;
  /// The loop (FUNCTION:L<i>) whose source line the warning points at, from
  /// the candidate's features; "" when no single loop of the function is on
  /// that line.
  std::string Loop;
  /// The loops of Function whose source lines contain the warning's line,
  /// outermost first (empty without source lines).
  std::vector<std::string> EnclosingLoops;
  std::optional<SourceLocation> Loc;
  /// unroll, unroll-and-jam, vectorize, interleave, distribute; "" unknown.
  std::string Transformation;
  std::string Message;

  /// "kernel:L1 (k.c:12:3): loop not unrolled: the optimizer was unable ...",
  /// "kernel:L1 (k.c:12:3, inlined into main): ..."
  std::string str() const;
};

struct CompileDiff {
  /// Program-wide, as diffSummaries orders them.
  std::vector<PassSummaryDelta> Passes;
  /// Per function, largest |instruction delta difference| first.
  std::vector<FunctionPassDelta> Functions;
  std::vector<RemarkChange> Remarks;
  /// The candidate's transform warnings (all, not only new ones).
  std::vector<TransformWarning> Warnings;
  /// Whether the candidate's evidence maps code to source functions (debug
  /// locations in the features and in the loop records). Without it, code
  /// inlined into another function is attributed to that function, and
  /// the absence of a difference in a function proves nothing.
  bool SourceMapped = true;
  /// The source functions the candidate's pass records cover.
  std::set<std::string> CoveredFunctions;
  /// The candidate's loops with known source lines.
  std::map<std::string, LineRange> LoopLines;

  /// No pass and no remark differs (warnings aside).
  bool empty() const { return Passes.empty() && Functions.empty() && Remarks.empty(); }
  /// Whether some pass changed Function's instruction count differently.
  bool instructionsDifferIn(std::string_view Function) const;
  /// Whether some pass changed the program's instruction count differently.
  bool instructionsDiffer() const;
  /// A compact text of at most MaxRows lines per section.
  std::string render(size_t MaxRows) const;
};

/// Compares the evidence of a parent and a candidate compilation of the same
/// program (loop names are taken from the candidate's features).
CompileDiff diffCompilations(const EvidenceInputs &Parent, const EvidenceInputs &Candidate);

/// Compiles Candidate and Parent with evidence (remarks, per-pass records)
/// and compares them; the agents (expert, LLM evaluation role) use it. The
/// tuning run backs it with an EvidenceCollector.
using CompileDiffSource =
    std::function<Result<CompileDiff>(const CandidateConfig &Candidate,
                                      const CandidateConfig &Parent)>;

} // namespace autopass
