//===- agents/ExpertAgent.hpp - The offline expert agent -------*- C++ -*-===//
//
// The default strategy (`--strategy expert`): it reads the evidence digest
// the way a performance engineer would and turns what it sees into targeted
// edits (ideas), each tied to one hot region and one piece of evidence: a
// loop whose vectorization the cost model refused gets width/interleave
// hints, an affine nest with strided accesses gets Polly or interchange, a
// call that missed inlining by a small margin gets a call-site hint, and so
// on. Ideas are tried on top of the best configuration so far, best-priority
// first; a measured improvement becomes the new base, a regression is rolled
// back and never combined again. When the evidence is used up it refines the
// values of what worked and then explores around the base like a greedy
// climber. Its rules (a table in ExpertRules.hpp) key on the evidence
// (features, remarks, weights), never on program names; the same digest and
// seed give the same proposals.
//
// With a compile-diff source (setCompileDiffSource), a regression is
// diagnosed from what the optimizer did differently for the candidate than
// for its parent: only the edits whose passes show a difference are rolled
// back for good, and the others are retried alone; and a gain of a
// candidate whose loop hints LLVM reports it did not perform
// (transform-warning) is not adopted (ExpertDiagnosis.cpp).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "evidence/CompileDiff.hpp"
#include "evidence/EvidenceDigest.hpp"
#include "search/GainLineage.hpp"
#include "search/Random.hpp"
#include "search/SearchHistory.hpp"
#include "search/SearchSpace.hpp"
#include "search/Strategy.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace autopass {

/// One evidence-driven edit the expert wants to try.
struct ExpertIdea {
  std::string Id;        // stable, e.g. "vec-width:kernel:L1=8"
  /// The rule that produced it (ExpertRules.hpp, e.g. "missed-vectorization-cost"),
  /// or the agent's own: "refine", "retry-unimplicated".
  std::string Rule;
  std::string Region;    // the hot region it targets ("" for global ideas)
  std::string Rationale; // the evidence, in one sentence
  double Priority = 0;   // region weight x how often the rule pays off
  SearchPoint Delta;     // merged onto the base configuration
  /// Merged onto -O3 instead of the base: the retry of an idea that did not
  /// help on top of earlier edits, which may have removed the pattern the
  /// -O3 evidence showed (e.g. a vectorized inner loop can no longer be
  /// unrolled and jammed). Adopted only when it alone beats the base.
  bool OnOwn = false;
};

struct ExpertOptions {
  /// Regions lighter than this fraction of the profile get no ideas.
  double MinWeight = 0.02;
  /// How many regions (heaviest first) are looked at.
  size_t MaxRegions = 8;
  /// Improvement over the base's median ratio needed to adopt a candidate
  /// whose interval also lies above the base's median.
  double AdoptMargin = 0.005;
  /// A candidate whose interval straddles the base but whose median beats
  /// it by this fraction is "promising": its edit is refined further (not
  /// adopted).
  double PromisingMargin = 0.03;
};

/// A decision the expert took after a measurement, for the journal and the
/// report ("kept", "rolled back", "rejected").
struct ExpertDecision {
  std::string IdeaId;
  std::string Action;
  std::string Why;
};

class ExpertAgent : public Strategy {
public:
  ExpertAgent(const SearchSpace &Space, EvidenceDigest Digest, uint64_t Seed,
              ExpertOptions Options = {});

  std::string name() const override { return "expert"; }
  std::vector<CandidateConfig> propose(size_t Count) override;
  void observe(const std::vector<Observation> &Results) override;
  /// "the expert derived N ideas from the evidence".
  std::string startNote() const override;
  /// decisions(), each subject an idea id.
  std::vector<StrategyDecision> decisionLog() const override;

  /// The ideas derived from the evidence, in the order they are tried.
  const std::vector<ExpertIdea> &ideas() const { return Ideas; }
  const std::vector<ExpertDecision> &decisions() const { return Decisions; }
  /// The configuration the expert currently builds on, and its ratio.
  const SearchPoint &base() const { return Base; }
  double baseSpeedup() const { return BaseSpeedup; }

  /// Where compile diffs come from. Called only for a regression and for a
  /// measured gain of a candidate that adds loop hints; without it (or when
  /// it fails) a regression rolls back every edit the candidate added and
  /// hints are not checked.
  void setCompileDiffSource(CompileDiffSource Source) { DiffSource = std::move(Source); }

  /// Merges an idea's edits onto a point (knobs and hint fields overwrite,
  /// edits and call hints are added).
  static SearchPoint merge(const SearchPoint &Base, const SearchPoint &Delta);

private:
  void deriveIdeas();
  void addIdea(ExpertIdea Idea);
  void addRefinements(const ExpertIdea &Kept);
  std::optional<CandidateConfig> admit(const SearchPoint &P, const std::string &IdeaId,
                                       bool OnOwn = false);
  /// Queues Idea once more, on its own (merged onto -O3), when it was tried
  /// on a base with earlier edits and did not help there.
  void retryOnOwn(const std::string &IdeaId, const SearchPoint &TriedOn);
  /// Whether P would re-introduce, on top of the base, an atom that already
  /// caused a regression (e.g. the same vectorization width on the same loop).
  bool repeatsRegression(const SearchPoint &P) const;

  /// Proposed config hash -> (idea id, the point proposed, the base it was
  /// built on).
  struct Pending {
    std::string IdeaId;
    SearchPoint Point;
    SearchPoint Parent;
    double BaseSpeedupAtProposal = 1.0;
    bool OnOwn = false;
    std::string Rule;
    /// The adopted steps Parent is made of (search/GainLineage.hpp).
    std::vector<GainStep> Lineage;
  };
  // ExpertDiagnosis.cpp: decisions that read the compile diff.
  Result<CompileDiff> compileDiff(const Pending &P, const CandidateConfig &Candidate);
  /// Rolls back a regressed candidate: the edits the compile diff implicates
  /// (all of them without a diff) become harmful; the others are retried.
  void rollBack(const Pending &P, const CandidateConfig &Candidate, const std::string &Measured);
  /// Why a measured gain is not the candidate's doing: every loop hint it
  /// adds was reported not performed and the code did not change. Note gets
  /// what was checked, for the "kept" decision.
  std::optional<std::string> unperformedHints(const Pending &P, const CandidateConfig &Candidate,
                                              std::string &Note);

  const SearchSpace &Space;
  EvidenceDigest Digest;
  ExpertOptions Options;
  Rng Random;
  SearchHistory History;

  std::vector<ExpertIdea> Ideas;
  size_t NextIdea = 0;
  SearchPoint Base;
  double BaseSpeedup = 1.0;
  /// The adopted steps Base is made of, in order: carried in every
  /// proposal's meta so a report can tell where a winner's gain came from.
  std::vector<GainStep> BaseLineage;
  /// Ideas rolled back or failed: never merged again.
  std::map<std::string, std::string> Rejected;
  /// Atoms (SearchSpace::atoms) that were new in a rolled-back candidate.
  std::set<std::string> HarmfulAtoms;
  /// Ideas adopted into the base, in order.
  std::vector<std::string> Kept;
  std::map<std::string, Pending> InFlight;
  std::vector<ExpertDecision> Decisions;
  CompileDiffSource DiffSource;
  /// Ideas whose unimplicated edits were already retried (once each).
  std::set<std::string> Retried;
};

/// The registry's factory (search/Strategies.def): the expert on the
/// context's evidence (none: it explores around -O3) and compile diffs.
Result<std::unique_ptr<Strategy>> makeExpertStrategy(const StrategyContext &Context);

} // namespace autopass
