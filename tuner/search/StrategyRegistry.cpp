//===- search/StrategyRegistry.cpp - Strategies by name -------------------===//
//
// The table behind makeStrategy(), generated from Strategies.def so that a
// new strategy needs its own file and one line there. (Self-registering
// static objects would be dropped by the linker from a static library.)
//
//===----------------------------------------------------------------------===//
#include "search/Strategy.hpp"

namespace autopass {

#define AUTOPASS_STRATEGY(Name, Factory)                                                         \
  std::unique_ptr<Strategy> Factory(const SearchSpace &Space, uint64_t Seed);
#include "search/Strategies.def"
#undef AUTOPASS_STRATEGY

namespace {

struct StrategyEntry {
  const char *Name;
  std::unique_ptr<Strategy> (*Make)(const SearchSpace &, uint64_t);
};

const StrategyEntry Registry[] = {
#define AUTOPASS_STRATEGY(Name, Factory) {Name, Factory},
#include "search/Strategies.def"
#undef AUTOPASS_STRATEGY
};

} // namespace

Strategy::~Strategy() = default;

std::string_view outcomeName(Observation::Outcome K) {
  switch (K) {
  case Observation::Outcome::Ok:
    return "ok";
  case Observation::Outcome::BuildFailed:
    return "build-failed";
  case Observation::Outcome::WrongOutput:
    return "wrong-output";
  case Observation::Outcome::Crashed:
    return "crashed";
  case Observation::Outcome::TimedOut:
    return "timed-out";
  case Observation::Outcome::Invalid:
    return "invalid";
  }
  return "?";
}

std::unique_ptr<Strategy> makeStrategy(std::string_view Name, const SearchSpace &Space,
                                       uint64_t Seed) {
  for (const StrategyEntry &E : Registry)
    if (Name == E.Name)
      return E.Make(Space, Seed);
  return nullptr;
}

std::vector<std::string> strategyNames() {
  std::vector<std::string> Names;
  for (const StrategyEntry &E : Registry)
    Names.push_back(E.Name);
  return Names;
}

} // namespace autopass
