//===- evidence/IntrospectionReader.hpp - autopass-introspect/1 reader -*- C++
//-*-===//
//
// Reads the per-pass records the plugin's `autopass-introspect<out=FILE>`
// element writes (docs/evidence-format.md). Release builds of LLVM collect no
// -stats, so these records are the pass statistics: what each pass did to
// which unit, and how long it took. diffSummaries() compares two runs (a
// candidate and its parent) pass by pass to diagnose a regression.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

/// The code of one source function inside a function or SCC unit that holds
/// inlined code ("sources"), around one pass.
struct SourceCount {
  std::string Function; // the source function's IR name before inlining
  int64_t InstructionsBefore = 0, InstructionsAfter = 0;
  bool Changed = false;
};

/// Where a loop unit was written ("source"): its start location and the
/// source function of that location, wherever the loop was inlined.
struct LoopSource {
  std::string Function;
  std::string File;
  int64_t Line = 0;
};

struct PassRecord {
  int64_t Seq = 0;
  std::string Pass;
  std::string UnitKind; // module, cgscc, function, loop
  std::string Unit;
  int64_t InstructionsBefore = 0, InstructionsAfter = 0;
  int64_t BlocksBefore = 0, BlocksAfter = 0;
  bool Changed = false;
  double TimeUs = 0;
  /// Function and SCC units holding inlined code; empty otherwise.
  std::vector<SourceCount> Sources;
  /// Loop units with a debug location.
  std::optional<LoopSource> Source;

  int64_t instructionDelta() const {
    return InstructionsAfter - InstructionsBefore;
  }
};

struct PassSummary {
  std::string Pass;
  int64_t Runs = 0;
  int64_t ChangedRuns = 0;
  int64_t InstructionDelta = 0;
  double TimeUs = 0;
};

struct IrDiff {
  int64_t Seq = 0;
  std::string Pass;
  std::string Function;
  std::string Diff;
  bool Truncated = false;
};

struct Introspection {
  std::string Module;
  std::vector<PassRecord> Records;
  std::vector<PassSummary> Summary;
  std::vector<IrDiff> Diffs;

  static Result<Introspection> parse(std::string_view JsonText,
                                     std::string_view SourceName);
  static Result<Introspection> load(const std::string &Path);
};

/// Sums the summaries of several modules (translation units) per pass,
/// ordered by pass name.
std::vector<PassSummary>
mergeSummaries(const std::vector<std::vector<PassSummary>> &PerModule);

/// The passes that changed one function, with the instruction delta they
/// caused on it (function-unit records only, plus loop records whose unit
/// names a loop of it, "F:L<i>"), largest |delta| first.
struct FunctionPassEffect {
  std::string Pass;
  int64_t Runs = 0;
  int64_t ChangedRuns = 0;
  int64_t InstructionDelta = 0;
};
std::vector<FunctionPassEffect>
functionPassEffects(const std::vector<PassRecord> &Records,
                    std::string_view Function);

/// One pass compared between a parent and a candidate compilation.
struct PassSummaryDelta {
  std::string Pass;
  PassSummary Parent;    // zero when the pass did not run in the parent
  PassSummary Candidate; // zero when the pass did not run in the candidate
  bool InParent = false, InCandidate = false;

  int64_t runsDelta() const { return Candidate.Runs - Parent.Runs; }
  int64_t changedRunsDelta() const {
    return Candidate.ChangedRuns - Parent.ChangedRuns;
  }
  /// How differently the pass reshaped the IR (candidate minus parent).
  int64_t instructionDeltaDifference() const {
    return Candidate.InstructionDelta - Parent.InstructionDelta;
  }
  bool identical() const {
    return InParent == InCandidate && runsDelta() == 0 &&
           changedRunsDelta() == 0 && instructionDeltaDifference() == 0;
  }
};

/// Passes whose behaviour differs (runs, changed runs or instruction delta;
/// time alone is noise and never makes a pass differ), most different
/// first: passes present in only one side, then by |instruction delta
/// difference|, then by |changed runs difference|.
std::vector<PassSummaryDelta>
diffSummaries(const std::vector<PassSummary> &Parent,
              const std::vector<PassSummary> &Candidate);

/// A compact table of the first MaxRows differences, one line each, e.g.
/// "LoopUnrollPass: changed 3->5 (+2), instr delta +120->+480 (+360)".
std::string renderSummaryDiff(const std::vector<PassSummaryDelta> &Deltas,
                              size_t MaxRows);

} // namespace autopass
