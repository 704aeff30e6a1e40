//===- search/SearchHistory.hpp - What was tried and what failed -*- C++ -*-===//
//
// Every strategy keeps one: the content hashes it proposed or saw evaluated
// (never proposed again), the configurations that failed (crash, hang,
// wrong output, rejected by opt) with their reason, and the atoms a failure
// could be pinned on. A failure is pinned on an atom when the failing point
// has only that atom, or differs from a known-good parent by exactly that
// atom; from then on no point containing the atom is proposed, so one
// crashing knob value does not cost an evaluation per strategy per run.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "search/SearchSpace.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>

namespace autopass {

class SearchHistory {
public:
  bool seen(const std::string &Hash) const { return Seen.count(Hash) > 0; }
  void markSeen(const std::string &Hash) { Seen.insert(Hash); }

  /// Records a failed configuration. Parent, when known, is the point it was
  /// derived from by one change.
  void recordFailure(const SearchSpace &Space, const CandidateConfig &C,
                     const std::string &Reason, const SearchPoint *Parent = nullptr);

  bool isTabu(const std::string &Hash) const { return TabuConfigs.count(Hash) > 0; }
  /// The tabu atom a point contains, if any.
  std::optional<std::string> tabuAtomIn(const SearchSpace &Space, const SearchPoint &P) const;
  const std::map<std::string, std::string> &tabuConfigs() const { return TabuConfigs; }
  const std::map<std::string, std::string> &tabuAtoms() const { return TabuAtoms; }

  /// The config for P if it may be proposed (not identity, not seen, not
  /// tabu, no tabu atom, buildable); it is then marked seen. A point whose
  /// pipeline opt rejects is recorded as a failure on the way.
  std::optional<CandidateConfig> admit(const SearchSpace &Space, const SearchPoint &P,
                                       const SearchPoint *Parent = nullptr);

private:
  std::set<std::string> Seen;
  std::map<std::string, std::string> TabuConfigs; // hash -> reason
  std::map<std::string, std::string> TabuAtoms;   // atom -> reason
};

} // namespace autopass
