//===- search/SearchHistory.cpp - What was tried and what failed ----------===//
#include "search/SearchHistory.hpp"

#include <algorithm>
#include <iterator>

namespace autopass {

void SearchHistory::recordFailure(const SearchSpace &Space, const CandidateConfig &C,
                                  const std::string &Reason, const SearchPoint *Parent) {
  std::string Hash = C.contentHash();
  Seen.insert(Hash);
  TabuConfigs.emplace(Hash, Reason);
  std::set<std::string> Atoms = Space.atoms(Space.fromConfig(C));
  std::set<std::string> Blame = Atoms;
  if (Parent) {
    std::set<std::string> ParentAtoms = Space.atoms(*Parent);
    Blame.clear();
    std::set_difference(Atoms.begin(), Atoms.end(), ParentAtoms.begin(), ParentAtoms.end(),
                        std::inserter(Blame, Blame.end()));
  }
  if (Blame.size() == 1)
    TabuAtoms.emplace(*Blame.begin(), Reason);
}

std::optional<std::string> SearchHistory::tabuAtomIn(const SearchSpace &Space,
                                                     const SearchPoint &P) const {
  if (TabuAtoms.empty())
    return std::nullopt;
  for (const std::string &A : Space.atoms(P))
    if (TabuAtoms.count(A))
      return A;
  return std::nullopt;
}

std::optional<CandidateConfig> SearchHistory::admit(const SearchSpace &Space,
                                                    const SearchPoint &P,
                                                    const SearchPoint *Parent) {
  if (tabuAtomIn(Space, P))
    return std::nullopt;
  auto C = Space.toConfig(P);
  if (!C) {
    // Unbuildable (an edit does not apply or opt rejects the pipeline): a
    // failure found without spending an evaluation.
    // Blame the edits: the pipeline is the only part that can be rejected.
    std::set<std::string> EditAtoms;
    for (const std::string &Id : P.Edits)
      EditAtoms.insert("edit:" + Id);
    if (Parent) {
      for (const std::string &Id : Parent->Edits)
        EditAtoms.erase("edit:" + Id);
    }
    if (EditAtoms.size() == 1)
      TabuAtoms.emplace(*EditAtoms.begin(), C.message());
    return std::nullopt;
  }
  if (C->isIdentity())
    return std::nullopt;
  std::string Hash = C->contentHash();
  if (Seen.count(Hash) || TabuConfigs.count(Hash))
    return std::nullopt;
  Seen.insert(Hash);
  return std::move(*C);
}

} // namespace autopass
