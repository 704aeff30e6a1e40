//===- search/StrategyRegistry.cpp - Strategies by name -------------------===//
//
// The table behind createStrategy() and makeStrategy(), generated from
// Strategies.def so that a new strategy or agent needs its own file and one
// line there. (Self-registering static objects would be dropped by the
// linker from a static library.)
//
//===----------------------------------------------------------------------===//
#include "search/Strategy.hpp"

#include "util/Strings.hpp"

namespace autopass {

#define AUTOPASS_SEARCH_STRATEGY(Name, Factory)                                                  \
  std::unique_ptr<Strategy> Factory(const SearchSpace &Space, uint64_t Seed);
#define AUTOPASS_AGENT(Name, Factory)                                                            \
  Result<std::unique_ptr<Strategy>> Factory(const StrategyContext &Context);
#include "search/Strategies.def"
#undef AUTOPASS_AGENT
#undef AUTOPASS_SEARCH_STRATEGY

namespace {

/// One of the two factories is set: a search strategy's or an agent's.
struct StrategyEntry {
  const char *Name;
  std::unique_ptr<Strategy> (*MakeSearch)(const SearchSpace &, uint64_t);
  Result<std::unique_ptr<Strategy>> (*MakeAgent)(const StrategyContext &);
};

const StrategyEntry Registry[] = {
#define AUTOPASS_SEARCH_STRATEGY(Name, Factory) {Name, Factory, nullptr},
#define AUTOPASS_AGENT(Name, Factory) {Name, nullptr, Factory},
#include "search/Strategies.def"
#undef AUTOPASS_AGENT
#undef AUTOPASS_SEARCH_STRATEGY
};

const StrategyEntry *findEntry(std::string_view Name) {
  for (const StrategyEntry &E : Registry)
    if (Name == E.Name)
      return &E;
  return nullptr;
}

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

Result<std::unique_ptr<Strategy>> createStrategy(std::string_view Name,
                                                 const StrategyContext &Context) {
  const StrategyEntry *E = findEntry(Name);
  if (!E)
    return makeError("unknown strategy \"" + std::string(Name) + "\"; expected one of " +
                     join(strategyNames(), ", "));
  if (E->MakeSearch)
    return E->MakeSearch(Context.Space, Context.Seed);
  return E->MakeAgent(Context);
}

std::unique_ptr<Strategy> makeStrategy(std::string_view Name, const SearchSpace &Space,
                                       uint64_t Seed) {
  const StrategyEntry *E = findEntry(Name);
  if (!E || !E->MakeSearch)
    return nullptr;
  return E->MakeSearch(Space, Seed);
}

std::vector<std::string> strategyNames() {
  std::vector<std::string> Names;
  for (const StrategyEntry &E : Registry)
    Names.push_back(E.Name);
  return Names;
}

std::vector<std::string> searchStrategyNames() {
  std::vector<std::string> Names;
  for (const StrategyEntry &E : Registry)
    if (E.MakeSearch)
      Names.push_back(E.Name);
  return Names;
}

} // namespace autopass
