//===- agents/ExpertRules.hpp - The expert's rules, as a table -*- C++ -*-===//
//
// The expert's policy, apart from the agent that tries its ideas: a table of
// rules, each (name, region kind, evidence predicate, edit, prior). A rule
// reads one hot region of the evidence digest (a loop or a function, with
// its features, vectorizer verdicts, inlining decisions) and, when its
// predicate holds, proposes edits; each becomes an idea whose priority is
// the region's weight times the rule's prior (how often a performance
// engineer expects the edit to pay off). Rules key on the evidence, never on
// program names. Each rule can be applied alone (deriveRuleIdeas), so each
// is tested alone on real compiled programs (tests/ExpertRulesTest.cpp).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "evidence/EvidenceDigest.hpp"
#include "search/SearchSpace.hpp"

#include <map>
#include <string>
#include <vector>

namespace autopass {

/// The loops of a digest by name, to walk nests.
class LoopForest {
public:
  explicit LoopForest(const EvidenceDigest &Digest);
  std::vector<const LoopFeatures *> childrenOf(const std::string &Loop) const;
  /// Accesses summed over L and every loop nested in it, and the deepest
  /// depth among them.
  void nestStats(const LoopFeatures &L, MemoryAccesses &Acc, int64_t &MaxDepth) const;

private:
  std::map<std::string, const LoopFeatures *> Loops;
};

/// What a rule reads: one hot region and its surroundings.
struct RuleInput {
  const HotRegion &Region;
  /// "NAME (W% of the profile)", to start a rationale with.
  std::string Where;
  const LoopForest &Forest;

  /// Loop regions: the loop's features (always present for loop rules).
  const LoopFeatures &loop() const { return *Region.Loop; }
  /// The vectorizer's first verdict on the loop, or null.
  const VectorizeDecision *vectorization() const;
  bool vectorized() const;
};

/// An edit a rule proposes for a region.
struct RuleEdit {
  std::string Id;        // stable, e.g. "vec-width:kernel:L1=8"
  std::string Rationale; // the evidence, in one sentence (after Where)
  SearchPoint Delta;     // merged onto the base configuration
};

struct ExpertRule {
  const char *Name;
  /// The regions the rule reads (loop regions only when they have features).
  RegionKind Kind;
  /// The evidence predicate.
  bool (*Applies)(const RuleInput &);
  /// The edits, when the predicate holds (one per qualifying call for the
  /// inlining rules, one otherwise).
  std::vector<RuleEdit> (*Edit)(const RuleInput &);
  /// How often the edit pays off; an idea's priority is region weight x
  /// prior.
  double Prior;
};

/// Every rule, in the order ideas of equal priority are tried.
const std::vector<ExpertRule> &expertRules();

/// The rule named Name, or null.
const ExpertRule *findExpertRule(const std::string &Name);

/// One idea of a rule (ExpertAgent.hpp's ExpertIdea holds the same, plus
/// the agent's bookkeeping).
struct RuleIdea {
  std::string Rule;
  std::string Region;
  std::string Rationale;
  double Priority = 0;
  RuleEdit Edit;
};

struct RuleOptions {
  /// Regions lighter than this fraction of the profile get no ideas.
  double MinWeight = 0.02;
  /// How many regions (heaviest first) are looked at.
  size_t MaxRegions = 8;
};

/// The ideas of Rules on the digest's hot regions, region by region
/// (heaviest first) and rule by rule within a region, unsorted.
std::vector<RuleIdea> deriveRuleIdeas(const EvidenceDigest &Digest,
                                      const std::vector<const ExpertRule *> &Rules,
                                      const RuleOptions &Options);

} // namespace autopass
