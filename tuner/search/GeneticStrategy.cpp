//===- search/GeneticStrategy.cpp - A steady-state genetic algorithm ------===//
//
// A pool of the best evaluated points (elitist, steady state, since the
// harness evaluates in small batches): children come from two parents picked
// by tournament, uniform crossover of their knobs, edits and hints, then a
// mutation. Fitness is the measured speedup; a config that failed (crash,
// timeout, wrong output, unbuildable) has fitness 0 and leaves the pool.
// Until the pool holds enough evaluated points, proposals are random.
//
//===----------------------------------------------------------------------===//
#include "search/SearchHistory.hpp"
#include "search/Strategy.hpp"

#include <algorithm>

namespace autopass {

namespace {

class GeneticStrategy : public Strategy {
public:
  GeneticStrategy(const SearchSpace &Space, uint64_t Seed) : Space(Space), R(Seed) {}

  std::string name() const override { return "genetic"; }

  std::vector<CandidateConfig> propose(size_t Count) override {
    std::vector<CandidateConfig> Out;
    for (size_t Attempt = 0; Out.size() < Count && Attempt < Count * 100; ++Attempt) {
      SearchPoint Child;
      const SearchPoint *Parent = nullptr;
      if (Pool.size() < MinPoolForBreeding) {
        Child = Space.randomPoint(R, 1 + randomBelow(R, 3));
      } else {
        const Individual &A = tournament();
        const Individual &B = tournament();
        Child = Space.crossover(A.Point, B.Point, R);
        if (randomChance(R, MutationRate) || Child == A.Point || Child == B.Point)
          Child = Space.mutate(Child, R);
        Parent = &A.Point;
      }
      if (auto C = History.admit(Space, Child, Parent)) {
        Pending[C->contentHash()] = Child;
        Out.push_back(std::move(*C));
      }
    }
    return Out;
  }

  void observe(const std::vector<Observation> &Results) override {
    for (const Observation &O : Results) {
      std::string Hash = O.Config.contentHash();
      History.markSeen(Hash);
      if (!O.ok()) {
        History.recordFailure(Space, O.Config, O.Reason);
        Pending.erase(Hash);
        continue; // fitness 0: never enters the pool
      }
      auto It = Pending.find(Hash);
      SearchPoint P = It != Pending.end() ? It->second : Space.fromConfig(O.Config);
      if (It != Pending.end())
        Pending.erase(It);
      Pool.push_back({std::move(P), O.Speedup});
    }
    // Best first; stable so equal fitness keeps arrival order (reproducible).
    std::stable_sort(Pool.begin(), Pool.end(), [](const Individual &A, const Individual &B) {
      return A.Fitness > B.Fitness;
    });
    if (Pool.size() > PopulationSize)
      Pool.resize(PopulationSize);
  }

private:
  struct Individual {
    SearchPoint Point;
    double Fitness;
  };

  const Individual &tournament() {
    const Individual *Best = nullptr;
    for (size_t I = 0; I < TournamentSize; ++I) {
      const Individual &C = Pool[randomBelow(R, Pool.size())];
      if (!Best || C.Fitness > Best->Fitness)
        Best = &C;
    }
    return *Best;
  }

  static constexpr size_t PopulationSize = 16;
  static constexpr size_t MinPoolForBreeding = 6;
  static constexpr size_t TournamentSize = 3;
  static constexpr double MutationRate = 0.5;

  const SearchSpace &Space;
  Rng R;
  SearchHistory History;
  std::vector<Individual> Pool;
  std::map<std::string, SearchPoint> Pending;
};

} // namespace

std::unique_ptr<Strategy> makeGeneticStrategy(const SearchSpace &Space, uint64_t Seed) {
  return std::make_unique<GeneticStrategy>(Space, Seed);
}

} // namespace autopass
