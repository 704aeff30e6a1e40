//===- agents/LlmAgent.hpp - The LLM agents as a search strategy -*- C++ -*-===//
//
// `--strategy llm`: four LLM roles, each a prompt template under prompts/,
// drive the search through the Strategy interface:
//  - hotspot (once): ranks the digest's regions worth tuning;
//  - analysis (once): states each selected region's bottleneck, reading
//    evidence through tools;
//  - planning (every propose): returns complete configurations with a
//    rationale each;
//  - evaluation (every observe): decides keep (new base) or roll back for
//    each candidate measured against the current base.
// Every reply must be JSON of the role's schema. Planning configs go through
// CandidateConfig::parse, the knob catalog, the program's loop and function
// names, opt's pipeline check and the duplicate check; a refused reply is
// sent back with the error (chatUntilValid) a bounded number of times, then
// the proposal fails and whatever was valid in the last reply is used.
// The model only ever produces text that is validated into data: tools are
// read-only lookups (AgentTools; ir_after_pass reruns opt on the evidence's
// bitcode for names the evidence gives) and nothing it says is executed.
// Recording and replay are the client's (makeLlmClient): the same replies
// and the same observations give the same proposals.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "agents/AgentTools.hpp"
#include "agents/LlmClient.hpp"
#include "agents/PromptTemplate.hpp"
#include "evidence/CompileDiff.hpp"
#include "evidence/EvidenceDigest.hpp"
#include "search/SearchHistory.hpp"
#include "search/SearchSpace.hpp"
#include "search/Strategy.hpp"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace autopass {

struct LlmAgentOptions {
  /// Where the prompt files are; empty: findPromptsDirectory().
  std::string PromptsDir;
  /// {{program}}: the program's name and a line about its build.
  std::string Program;
  /// Invalid replies sent back for repair before a role's call fails.
  int MaxRepairs = 2;
  /// Chat rounds per call while the model keeps calling tools.
  int MaxToolRounds = 6;
  /// Bound of the digest text in the hotspot and analysis prompts.
  size_t DigestBytes = 12000;
  /// Bound of the evidence inlined when the server has no tool calling.
  size_t InlineEvidenceBytes = 16000;
  /// Where the client records the session, for the run's notes ("": not
  /// recorded).
  std::string SessionPath;
};

/// One keep / roll-back decision (or a failed proposal), for the journal.
struct LlmDecision {
  std::string Config; ///< short hash ("" for a failed proposal)
  std::string Action; ///< "keep", "rollback", "failed", "proposal-failed"
  std::string Reason;
};

class LlmAgent : public Strategy {
public:
  /// Loads the prompts; fails when they are missing or a template names a
  /// placeholder its role does not fill. Makes no LLM call.
  static Result<std::unique_ptr<LlmAgent>> create(const SearchSpace &Space,
                                                  EvidenceDigest Digest,
                                                  std::unique_ptr<LlmClient> Client,
                                                  LlmAgentOptions Options = {});

  std::string name() const override { return "llm"; }
  /// The first call runs the hotspot and analysis roles, then planning.
  std::vector<CandidateConfig> propose(size_t Count) override;
  void observe(const std::vector<Observation> &Results) override;
  /// "LLM agents on" the endpoint.
  std::string startNote() const override;
  /// decisions(), each subject a config's short hash.
  std::vector<StrategyDecision> decisionLog() const override;
  /// notes() prefixed "llm: ", then tokens, repairs and failed proposals.
  std::vector<std::string> finalNotes() const override;
  /// Why the last propose() returned nothing: the planning call failed (no
  /// server, HTTP errors, a hang, replies invalid beyond repair) and left no
  /// valid proposal; "" otherwise.
  std::string failure() const override { return ProposeFailure; }

  const std::vector<LlmDecision> &decisions() const { return Decisions; }
  /// Role failures and fallbacks, in order, for the run's notes.
  const std::vector<std::string> &notes() const { return Notes; }
  const std::vector<std::string> &hotRegions() const { return HotRegions; }
  const std::string &analysis() const { return Analysis; }
  int failedProposals() const { return FailedProposals; }
  /// Invalid replies that were sent back for repair, all roles.
  int repairs() const { return Repairs; }
  const CandidateConfig &base() const { return Base; }
  double baseSpeedup() const { return BaseSpeedup; }
  LlmClient &client() { return *Client; }
  /// With a source, the evaluation role sees each candidate's compile diff
  /// against the base (pass records, remark changes, transform warnings).
  void setCompileDiffSource(CompileDiffSource Source) { DiffSource = std::move(Source); }

  /// The reply schemas, as shown to the model ({{schema}}).
  static const char *hotspotSchema();
  static const char *analysisSchema();
  static const char *planningSchema();
  static const char *evaluationSchema();

private:
  LlmAgent(const SearchSpace &Space, EvidenceDigest Digest, std::unique_ptr<LlmClient> Client,
           LlmAgentOptions Options, PromptSet Prompts);

  struct Proposal {
    CandidateConfig Config;
    std::string Rationale;
  };
  struct Measured {
    std::string Hash; // short
    std::string Changes;
    std::string Outcome;
    double Speedup = 0, Lo = 0, Hi = 0;
    std::string Decision;
  };

  /// One role's exchange: system + user message, tools when available,
  /// validated with repairs. Validate returns an error text for the model.
  Status ask(const std::string &Role, std::string UserText,
             const std::function<Status(const std::string &Content)> &Validate);
  void start();
  Result<std::vector<Proposal>> validatePlanning(const std::string &Content, size_t Count,
                                                 std::vector<Proposal> &Salvage) const;
  void evaluate(const std::vector<Observation> &Ours);
  void applyRule(const Observation &O, const std::string &Why);
  std::string historyText() const;
  std::string configText(const CandidateConfig &C) const;
  std::string deltaText(const CandidateConfig &C) const;

  const SearchSpace &Space;
  EvidenceDigest Digest;
  std::unique_ptr<LlmClient> Client;
  LlmAgentOptions Options;
  PromptSet Prompts;
  AgentTools Tools;
  SearchHistory History;

  bool Started = false;
  std::vector<std::string> HotRegions;
  std::string HotspotText;
  std::string Analysis;
  CandidateConfig Base;
  std::string BaseHash = "-O3";
  double BaseSpeedup = 1.0;
  std::map<std::string, Proposal> InFlight; // content hash -> proposal
  std::vector<Measured> Log;
  std::vector<LlmDecision> Decisions;
  std::vector<std::string> Notes;
  int FailedProposals = 0;
  int Repairs = 0;
  int Calls = 0;       // role calls (ask), all roles
  int FailedCalls = 0; // of which failed
  std::string ProposeFailure;
  CompileDiffSource DiffSource;
};

/// The registry's factory (search/Strategies.def): the LLM agents on the
/// context's endpoint, every exchange recorded in RUN_DIR/llm-session.jsonl.
Result<std::unique_ptr<Strategy>> makeLlmStrategy(const StrategyContext &Context);

} // namespace autopass
