//===- search/Strategy.hpp - The interface of search strategies -*- C++ -*-===//
//
// Strategies propose and observe; they never build or measure. The harness
// asks for a batch of configurations, evaluates them (build, check the
// output, measure against -O3) and reports one Observation per config.
// Every strategy is seeded: the same seed and the same observations give the
// same proposals. None proposes a config twice, the identity (-O3, which is
// measured anyway) or a config or atom recorded as failing.
//
// Adding a strategy: one .cpp file defining a factory
//   std::unique_ptr<Strategy> makeFooStrategy(const SearchSpace &, uint64_t Seed)
// and one line AUTOPASS_STRATEGY("foo", makeFooStrategy) in
// search/Strategies.def.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "search/SearchSpace.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

struct Observation {
  CandidateConfig Config;
  enum class Outcome { Ok, BuildFailed, WrongOutput, Crashed, TimedOut, Invalid } Kind =
      Outcome::Ok;
  /// Baseline time / candidate time (> 1 is faster than -O3), and its
  /// confidence interval; meaningful when Kind == Ok.
  double Speedup = 0;
  double Lo = 0;
  double Hi = 0;
  std::string Reason; // why it failed, for the tabu list and reports

  bool ok() const { return Kind == Outcome::Ok; }
};

std::string_view outcomeName(Observation::Outcome K);

/// "Helps": the candidate is faster than -O3 with confidence (its interval
/// lies above 1). Strategies that climb (greedy, the ensemble's credit) use
/// this rule.
inline bool isSignificantlyFaster(const Observation &O) { return O.ok() && O.Lo > 1.0; }

class Strategy {
public:
  virtual ~Strategy();
  virtual std::string name() const = 0;
  /// Up to Count new configurations (fewer when the space seems exhausted).
  virtual std::vector<CandidateConfig> propose(size_t Count) = 0;
  /// Results of evaluations, of this strategy's proposals or of others'.
  virtual void observe(const std::vector<Observation> &Results) = 0;
};

/// Creates a registered strategy; nullptr when Name is unknown.
std::unique_ptr<Strategy> makeStrategy(std::string_view Name, const SearchSpace &Space,
                                       uint64_t Seed);
/// Registered names, in registration order.
std::vector<std::string> strategyNames();

} // namespace autopass
