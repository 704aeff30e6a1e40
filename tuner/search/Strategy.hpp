//===- search/Strategy.hpp - The interface of search strategies -*- C++ -*-===//
//
// Strategies propose and observe; they never build or measure. The harness
// asks for a batch of configurations, evaluates them (build, check the
// output, measure against -O3) and reports one Observation per config.
// Every strategy is seeded: the same seed and the same observations give the
// same proposals. None proposes a config twice, the identity (-O3, which is
// measured anyway) or a config or atom recorded as failing.
//
// The agents (the offline expert, the LLM agents) are strategies like the
// others: they propose and observe through the same interface and are
// created from the same registry. They also read the program's evidence,
// and they report what a plain search has no use for (their keep/roll-back
// decisions, a failure to propose anything, notes for the result); the
// driver asks every strategy the same questions and special-cases none.
//
// Adding a strategy: one .cpp file defining a factory and one line in
// search/Strategies.def. A search strategy needs the space and a seed:
//   std::unique_ptr<Strategy> makeFooStrategy(const SearchSpace &, uint64_t Seed)
//   AUTOPASS_SEARCH_STRATEGY("foo", makeFooStrategy)
// an agent reads its StrategyContext and may fail to start:
//   Result<std::unique_ptr<Strategy>> makeBarAgent(const StrategyContext &)
//   AUTOPASS_AGENT("bar", makeBarAgent)
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "evidence/CompileDiff.hpp"
#include "search/SearchSpace.hpp"
#include "util/Result.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

class EvidenceDigest;
struct LlmSettings;

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

/// A decision a strategy took after a measurement (an agent keeping or
/// rolling back an edit), for the journal's `agent-decision` records and the
/// run's result.
struct StrategyDecision {
  /// The journal field that names the subject: "idea" (the expert's idea
  /// id) or "config" (a configuration's short hash).
  std::string SubjectField;
  std::string Subject;
  std::string Action; // "kept", "rolled back", "keep", "rollback", ...
  std::string Why;

  /// "ACTION SUBJECT: WHY", the line of the result's "decisions".
  std::string text() const { return Action + " " + Subject + ": " + Why; }
};

class Strategy {
public:
  virtual ~Strategy();
  virtual std::string name() const = 0;
  /// Up to Count new configurations (fewer when the space seems exhausted,
  /// or when something failed: see failure()).
  virtual std::vector<CandidateConfig> propose(size_t Count) = 0;
  /// Results of evaluations, of this strategy's proposals or of others'.
  virtual void observe(const std::vector<Observation> &Results) = 0;

  /// One line on what the strategy starts from, for the progress log ("":
  /// nothing to say).
  virtual std::string startNote() const { return {}; }
  /// Every decision taken so far, in order.
  virtual std::vector<StrategyDecision> decisionLog() const { return {}; }
  /// Why the last propose() came back empty because something failed (an
  /// LLM endpoint that never answered), as opposed to a space that is used
  /// up; "" when nothing failed.
  virtual std::string failure() const { return {}; }
  /// Notes for the run's result once the search is over (token use, role
  /// failures).
  virtual std::vector<std::string> finalNotes() const { return {}; }
};

/// What a strategy is created from. The search strategies read the space
/// and the seed; the agents also read the rest.
struct StrategyContext {
  StrategyContext(const SearchSpace &Space, uint64_t Seed) : Space(Space), Seed(Seed) {}

  const SearchSpace &Space;
  uint64_t Seed;
  /// The program's evidence; nullptr when none was collected.
  const EvidenceDigest *Digest = nullptr;
  /// Compiles two configs with evidence and compares them (agents diagnose
  /// regressions with it); empty when not available.
  CompileDiffSource DiffSource;
  /// The LLM endpoint (`--strategy llm`); nullptr when none was given.
  const LlmSettings *Llm = nullptr;
  /// The run directory, where agents record what they exchange.
  std::string RunDir;
  /// The program's name, for the agents' prompts.
  std::string Program;
};

/// Creates a registered strategy or agent; an error names the known ones
/// when Name is unknown, or says why the agent could not start.
Result<std::unique_ptr<Strategy>> createStrategy(std::string_view Name,
                                                 const StrategyContext &Context);
/// Creates a registered search strategy (space and seed only); nullptr when
/// Name is unknown or names an agent.
std::unique_ptr<Strategy> makeStrategy(std::string_view Name, const SearchSpace &Space,
                                       uint64_t Seed);
/// Every registered name, agents and search strategies, in registration
/// order: what `tune --strategy` accepts.
std::vector<std::string> strategyNames();
/// The registered search strategies, in registration order (what the
/// ensemble combines).
std::vector<std::string> searchStrategyNames();

} // namespace autopass
