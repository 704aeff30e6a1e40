//===- search/SearchSpace.hpp - The three layers as one space --*- C++ -*-===//
//
// What strategies sample, mutate and recombine: a SearchPoint holds the
// three layers of a configuration in a form that is easy to change one
// element at a time (knob values, a set of curated pipeline edits, region
// hints per loop and function); the SearchSpace knows the domains (the knob
// catalog, the base O3 pipeline, the program's loops and functions) and
// turns a point into the CandidateConfig that the harness builds.
//
// A point is also a set of "atoms" (knob:unroll-threshold=600,
// edit:slp-after-unroll, loop:f:L0:unroll=4, ...). Atoms are what a failure
// is blamed on when it can be (SearchHistory), and what crossover mixes.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "search/KnobCatalog.hpp"
#include "search/PipelineEdits.hpp"
#include "search/Random.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace autopass {

/// A loop of the program, as the plugin's features report it (the evidence
/// reader fills these).
struct LoopSite {
  std::string LoopName; // FUNCTION:L<i>
  unsigned Depth = 1;   // 1 = outermost
  bool Innermost = true;
  std::optional<int64_t> TripCount; // constant trip count when known
};

struct SearchPoint {
  std::map<std::string, KnobValue> Knobs;
  std::set<std::string> Edits; // ids of curated pipeline edits
  std::map<std::string, LoopHint> Loops;
  std::map<std::string, FunctionHint> Functions;
  /// Call-site hints are carried (from configs made elsewhere), not searched.
  std::vector<CallHint> Calls;
  /// A pipeline that is not made of known edits (a config from elsewhere),
  /// carried verbatim while Edits is empty.
  std::optional<std::string> RawPipeline;

  bool operator==(const SearchPoint &O) const;
};

struct SearchSpaceOptions {
  /// The O3 pipeline text `opt -print-pipeline-passes` prints; empty turns
  /// the pipeline layer off.
  std::string BasePipeline;
  std::vector<LoopSite> Loops;
  std::vector<std::string> Functions;
  /// Whether opt accepts a pipeline text (runs opt -passes=TEXT on a tiny
  /// module). When set, a point whose pipeline opt rejects cannot become a
  /// config; results are cached per text.
  std::function<bool(const std::string &)> PipelineAccepted;
  /// Knobs the search leaves alone (e.g. set by the user), by name.
  std::set<std::string> FrozenKnobs;
  /// Relative weight of each layer when mutate() picks what to change.
  double KnobWeight = 3, EditWeight = 1, LoopWeight = 2, FunctionWeight = 1;
};

class SearchSpace {
public:
  SearchSpace(KnobCatalog Catalog, SearchSpaceOptions Options);
  SearchSpace(const SearchSpace &) = delete;
  SearchSpace &operator=(const SearchSpace &) = delete;

  const KnobCatalog &catalog() const { return Catalog; }
  const SearchSpaceOptions &options() const { return Options; }
  /// The curated edits that apply to the base pipeline (alone).
  const std::vector<const PipelineEdit *> &edits() const { return Edits; }
  /// Why each unavailable edit does not apply, for reports.
  const std::map<std::string, std::string> &unavailableEdits() const { return Unavailable; }

  /// One random change: set, change or reset one knob, toggle one edit, or
  /// set, change or clear one hint field. The result is normalized.
  SearchPoint mutate(const SearchPoint &P, Rng &R) const;
  /// Changes random elements starting from -O3 (the empty point).
  SearchPoint randomPoint(Rng &R, size_t Changes) const;
  /// Uniform crossover: every knob, edit and hint field is taken from A or
  /// B (or neither, when the chosen parent does not have it).
  SearchPoint crossover(const SearchPoint &A, const SearchPoint &B, Rng &R) const;
  /// Restores the invariants: requirements of knobs are set, at most one
  /// edit per group, no pipeline-shaping knob next to pipeline edits.
  SearchPoint normalize(SearchPoint P) const;

  /// The configuration to build. Fails when an edit does not apply or opt
  /// rejects the edited pipeline.
  Result<CandidateConfig> toConfig(const SearchPoint &P) const;
  /// The point of a configuration (pipelines this space made are mapped back
  /// to their edits; others are carried raw).
  SearchPoint fromConfig(const CandidateConfig &C) const;

  /// The atoms of a point, e.g. "knob:polly=true", "edit:remove-slp",
  /// "loop:f:L0:unroll=4", "fn:g:inline=never", "pipeline:<hash12>".
  std::set<std::string> atoms(const SearchPoint &P) const;

  /// A fresh value for a knob, different from Current and from LLVM's
  /// default where the domain allows.
  KnobValue sampleKnobValue(const KnobSpec &K, const std::optional<KnobValue> &Current,
                            Rng &R) const;

private:
  void mutateKnob(SearchPoint &P, Rng &R) const;
  void mutateEdit(SearchPoint &P, Rng &R) const;
  void mutateLoop(SearchPoint &P, Rng &R) const;
  void mutateFunction(SearchPoint &P, Rng &R) const;
  Result<std::string> renderPipeline(const std::set<std::string> &EditIds) const;

  KnobCatalog Catalog;
  SearchSpaceOptions Options;
  std::vector<const KnobSpec *> Tunable;
  std::vector<const PipelineEdit *> Edits;
  std::map<std::string, std::string> Unavailable;
  std::optional<PipelineText> Base;

  /// Rendered pipelines: text -> edit ids, and opt's verdict per text.
  /// Strategies share one const space, hence mutable and a lock.
  mutable std::mutex CacheLock;
  mutable std::map<std::string, std::set<std::string>> EditsOfText;
  mutable std::map<std::string, bool> AcceptedText;
};

} // namespace autopass
