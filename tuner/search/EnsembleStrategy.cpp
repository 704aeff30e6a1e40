//===- search/EnsembleStrategy.cpp - A bandit over the other strategies ---===//
//
// OpenTuner's idea: no single technique wins everywhere, so run several and
// give evaluations to the ones that have recently produced new bests. Each
// arm (every other registered search strategy; the agents are not arms)
// keeps a sliding window of its last results, 1 for "new best"
// (significantly faster than -O3 and faster than anything before) and 0
// otherwise; its score is the area under that curve (recent successes weigh
// more) plus a UCB exploration term. Each proposal slot goes to the
// best-scoring arm. All observations are passed to every
// arm, so each learns the failures and the best points found by the others.
//
//===----------------------------------------------------------------------===//
#include "search/Strategy.hpp"

#include <cmath>
#include <deque>
#include <set>

namespace autopass {

namespace {

class EnsembleStrategy : public Strategy {
public:
  EnsembleStrategy(const SearchSpace &Space, uint64_t Seed) {
    uint64_t Salt = 0;
    for (const std::string &Name : searchStrategyNames()) {
      ++Salt;
      if (Name == "ensemble")
        continue;
      if (auto S = makeStrategy(Name, Space, deriveSeed(Seed, Salt)))
        Arms.push_back({Name, std::move(S), {}, 0});
    }
  }

  std::string name() const override { return "ensemble"; }

  std::vector<CandidateConfig> propose(size_t Count) override {
    std::vector<CandidateConfig> Out;
    std::set<size_t> Exhausted;
    while (Out.size() < Count && Exhausted.size() < Arms.size()) {
      size_t A = selectArm(Exhausted);
      bool Got = false;
      // An arm may repeat what another arm has pending; ask it again a few
      // times before deciding it has nothing new.
      for (int Try = 0; Try < 4 && !Got; ++Try) {
        std::vector<CandidateConfig> C = Arms[A].S->propose(1);
        if (C.empty())
          break;
        std::string Hash = C.front().contentHash();
        if (!Seen.insert(Hash).second)
          continue;
        Owner[Hash] = A;
        ++Arms[A].Uses;
        ++TotalUses;
        Out.push_back(std::move(C.front()));
        Got = true;
      }
      if (!Got)
        Exhausted.insert(A);
    }
    return Out;
  }

  void observe(const std::vector<Observation> &Results) override {
    for (const Observation &O : Results) {
      std::string Hash = O.Config.contentHash();
      Seen.insert(Hash);
      bool NewBest = isSignificantlyFaster(O) && O.Speedup > BestSpeedup;
      if (NewBest)
        BestSpeedup = O.Speedup;
      auto It = Owner.find(Hash);
      if (It == Owner.end())
        continue;
      std::deque<bool> &W = Arms[It->second].Window;
      W.push_back(NewBest);
      if (W.size() > WindowSize)
        W.pop_front();
      Owner.erase(It);
    }
    for (Arm &A : Arms)
      A.S->observe(Results);
  }

private:
  struct Arm {
    std::string Name;
    std::unique_ptr<Strategy> S;
    std::deque<bool> Window;
    size_t Uses;
  };

  /// Area under the window's success curve, newer entries weighted more,
  /// normalised to [0, 1].
  static double auc(const std::deque<bool> &W) {
    if (W.empty())
      return 0;
    double Sum = 0, Norm = 0;
    for (size_t I = 0; I < W.size(); ++I) {
      Sum += W[I] ? static_cast<double>(I + 1) : 0.0;
      Norm += static_cast<double>(I + 1);
    }
    return Sum / Norm;
  }

  size_t selectArm(const std::set<size_t> &Exhausted) const {
    size_t Best = Arms.size();
    double BestScore = -1;
    for (size_t I = 0; I < Arms.size(); ++I) {
      if (Exhausted.count(I))
        continue;
      if (Arms[I].Uses == 0)
        return I; // every arm gets tried once
      double Explore = std::sqrt(2.0 * std::log(static_cast<double>(TotalUses)) /
                                 static_cast<double>(Arms[I].Uses));
      double Score = auc(Arms[I].Window) + Exploration * Explore;
      if (Score > BestScore) {
        BestScore = Score;
        Best = I;
      }
    }
    return Best;
  }

  static constexpr size_t WindowSize = 20;
  static constexpr double Exploration = 0.2;

  std::vector<Arm> Arms;
  std::set<std::string> Seen;
  std::map<std::string, size_t> Owner; // pending proposal -> arm
  size_t TotalUses = 0;
  double BestSpeedup = 1.0;
};

} // namespace

std::unique_ptr<Strategy> makeEnsembleStrategy(const SearchSpace &Space, uint64_t Seed) {
  return std::make_unique<EnsembleStrategy>(Space, Seed);
}

} // namespace autopass
