//===- evidence/EvidenceDigest.hpp - What the tuner knows about a program -*-
//C++ -*-===//
//
// The evidence digest joins the readers' outputs into one picture of the
// program under tuning: its hot regions (functions and loops, by profile
// weight) each with its features, the remarks about it and the passes that
// reshaped it; the per-pass summary; and the measurements so far. It is
// rendered as JSON (`autopass-digest/1`, for tools and the run directory)
// and as compact text hard-bounded in size (for LLM prompts and
// `autopass-tuner evidence`), hot regions first. docs/evidence.md explains
// how to read it.
//
// This stage does not run tools; the orchestration gathers the files and
// fills EvidenceInputs. Measurements arrive as plain summaries so that the
// evidence stage does not depend on the measure/store stages downstream.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "evidence/FeaturesReader.hpp"
#include "evidence/IntrospectionReader.hpp"
#include "evidence/IrAfterPass.hpp"
#include "evidence/Profile.hpp"
#include "evidence/RemarkDigest.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace autopass {

/// One configuration measured so far, as the digest shows it.
struct MeasurementSummary {
  std::string ConfigHash;        // short content hash
  std::string Changes;           // one-line summary of what the config changes
  std::optional<double> Speedup; // baseline median / candidate median
  std::optional<double> SpeedupLow, SpeedupHigh; // confidence interval
  std::string Status; // e.g. "faster", "no-difference", "slower",
                      // "wrong-output", "crash", "timeout", "build-failed"
};

struct EvidenceInputs {
  std::string Program;
  std::optional<Profile> Prof;
  std::vector<ModuleFeatures> Features;
  std::optional<RemarkDigest> Remarks;
  std::vector<PassSummary> PassSummaries; // merged over the program's units
  std::vector<PassRecord> PassRecords;    // for per-function effects
  std::vector<MeasurementSummary> Measurements;

  /// Regions lighter than this fraction of the total are left out.
  double MinWeight = 0.01;
  size_t MaxFunctions = 12;
  size_t MaxLoops = 24;
};

enum class RegionKind { Function, Loop };

struct HotRegion {
  RegionKind Kind = RegionKind::Function;
  std::string Name;     // function name, or loop name FUNCTION:L<i>
  std::string Function; // the function (same as Name for functions)
  /// Fraction of the program's total cost (self cost for functions, the
  /// loop nest's cost for loops); absent without a profile.
  std::optional<double> Weight;
  std::optional<double> InclusiveWeight; // functions, callgrind only
  std::optional<LoopWeightBasis> Basis;  // loops only

  std::optional<FunctionFeatures> FnFeatures; // functions (Loops emptied)
  std::optional<LoopFeatures> Loop;           // loops

  KindCounts
      RemarkCounts; // the function's (also shown for its loops' function)
  std::vector<InlineDecision> Inlining; // calls in this function
  /// Vectorizer verdicts: on a loop region, the one on its header line; on a
  /// function region, those not shown on one of its loop regions.
  std::vector<VectorizeDecision> Vectorization;
  std::vector<RemarkHighlight> Highlights;     // same placement rule
  std::vector<FunctionPassEffect> PassEffects; // functions only
};

/// What the search space takes from the evidence: the loops and functions
/// worth hinting, with their weights.
struct SearchRegions {
  struct Loop {
    std::string LoopName;
    std::string Function;
    int64_t Depth = 1;
    bool Innermost = true;
    std::optional<int64_t> TripCount; // exact (constant) trip counts only
    double Weight = 0;
  };
  std::vector<Loop> Loops;                               // hottest first
  std::vector<std::pair<std::string, double>> Functions; // name, weight
};

class EvidenceDigest {
public:
  static EvidenceDigest build(const EvidenceInputs &In);

  std::string Program;
  std::string ProfileDescription; // "callgrind Ir, total 1144406" or "none"
  std::vector<HotRegion> Regions; // ranked, heaviest first
  KindCounts RemarkTotals;
  bool HaveRemarks = false;
  std::vector<PassSummary> TopPasses; // by |instruction delta|
  std::vector<MeasurementSummary> Measurements;
  std::vector<std::string> Notes; // caveats: estimates, missing inputs
  /// How to rerun the optimization to read a function's IR after a pass
  /// (IrAfterPass); set by the collector, never part of the JSON or text.
  std::optional<IrSource> Ir;

  /// `autopass-digest/1` JSON.
  std::string toJson(bool Pretty = true) const;
  /// Human-readable digest, hot regions first; never longer than MaxBytes.
  std::string toText(size_t MaxBytes) const;
  SearchRegions searchRegions() const;
};

} // namespace autopass
