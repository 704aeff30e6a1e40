//===- search/RandomStrategy.cpp - Uniform random sampling ----------------===//
//
// The baseline every other strategy must beat: independent random points a
// few changes away from -O3 (1 to 4, so the points stay interpretable and a
// failure can often be pinned on its single change).
//
//===----------------------------------------------------------------------===//
#include "search/SearchHistory.hpp"
#include "search/Strategy.hpp"

namespace autopass {

namespace {

class RandomStrategy : public Strategy {
public:
  RandomStrategy(const SearchSpace &Space, uint64_t Seed) : Space(Space), R(Seed) {}

  std::string name() const override { return "random"; }

  std::vector<CandidateConfig> propose(size_t Count) override {
    std::vector<CandidateConfig> Out;
    for (size_t Attempt = 0; Out.size() < Count && Attempt < Count * 100; ++Attempt) {
      SearchPoint P = Space.randomPoint(R, 1 + randomBelow(R, MaxChanges));
      if (auto C = History.admit(Space, P))
        Out.push_back(std::move(*C));
    }
    return Out;
  }

  void observe(const std::vector<Observation> &Results) override {
    for (const Observation &O : Results) {
      History.markSeen(O.Config.contentHash());
      if (!O.ok())
        History.recordFailure(Space, O.Config, O.Reason);
    }
  }

private:
  static constexpr uint64_t MaxChanges = 4;
  const SearchSpace &Space;
  Rng R;
  SearchHistory History;
};

} // namespace

std::unique_ptr<Strategy> makeRandomStrategy(const SearchSpace &Space, uint64_t Seed) {
  return std::make_unique<RandomStrategy>(Space, Seed);
}

} // namespace autopass
