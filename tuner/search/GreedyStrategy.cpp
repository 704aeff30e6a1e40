//===- search/GreedyStrategy.cpp - One change at a time, keep what helps --===//
//
// Hill climbing from -O3: every proposal is the current best point plus one
// random change (a knob value, a pipeline edit, a hint). A result replaces
// the current point when it helps: significantly faster than -O3 (its
// interval lies above 1) and a higher median speedup than the current
// point. Because each proposal differs from its parent by one change, a
// failure is pinned on that change and never tried again.
//
//===----------------------------------------------------------------------===//
#include "search/SearchHistory.hpp"
#include "search/Strategy.hpp"

namespace autopass {

namespace {

class GreedyStrategy : public Strategy {
public:
  GreedyStrategy(const SearchSpace &Space, uint64_t Seed) : Space(Space), R(Seed) {}

  std::string name() const override { return "greedy"; }

  std::vector<CandidateConfig> propose(size_t Count) override {
    std::vector<CandidateConfig> Out;
    size_t MaxAttempts = Count * 100;
    for (size_t Attempt = 0; Out.size() < Count && Attempt < MaxAttempts; ++Attempt) {
      // When single changes run dry, step two changes away (the parent of
      // a two-change step is not recorded, so no atom gets blamed).
      bool Wide = Attempt >= MaxAttempts / 2;
      SearchPoint Q = Space.mutate(Current, R);
      if (Wide)
        Q = Space.mutate(Q, R);
      if (auto C = History.admit(Space, Q, Wide ? nullptr : &Current)) {
        if (!Wide)
          Parents[C->contentHash()] = Current;
        Out.push_back(std::move(*C));
      }
    }
    return Out;
  }

  void observe(const std::vector<Observation> &Results) override {
    const Observation *Best = nullptr;
    for (const Observation &O : Results) {
      std::string Hash = O.Config.contentHash();
      History.markSeen(Hash);
      if (!O.ok()) {
        auto It = Parents.find(Hash);
        History.recordFailure(Space, O.Config, O.Reason,
                              It == Parents.end() ? nullptr : &It->second);
        continue;
      }
      if (isSignificantlyFaster(O) && O.Speedup > CurrentSpeedup &&
          (!Best || O.Speedup > Best->Speedup))
        Best = &O;
    }
    if (Best) {
      Current = Space.fromConfig(Best->Config);
      CurrentSpeedup = Best->Speedup;
    }
  }

private:
  const SearchSpace &Space;
  Rng R;
  SearchHistory History;
  SearchPoint Current;          // starts as -O3
  double CurrentSpeedup = 1.0;  // -O3 against itself
  std::map<std::string, SearchPoint> Parents;
};

} // namespace

std::unique_ptr<Strategy> makeGreedyStrategy(const SearchSpace &Space, uint64_t Seed) {
  return std::make_unique<GreedyStrategy>(Space, Seed);
}

} // namespace autopass
