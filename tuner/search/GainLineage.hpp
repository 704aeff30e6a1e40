//===- search/GainLineage.hpp - Where a configuration's gain came from -*- C++ -*-===//
//
// A candidate is usually the last of a chain of adopted steps: the expert
// adopted a vectorization hint, then Polly on another loop, then an
// exploration mutation. Each step was measured against the base it was built
// on (the search measurement). The lineage is that chain, carried in the
// candidate's `meta` (`lineage`: the adopted steps before it; `rule`,
// `idea`, `parent_speedup`: the step that made it), and gainOrigin() splits
// the candidate's gain over the steps' origins:
//
//   evidence     a rule of the expert's table (agents/ExpertRules.hpp), or a
//                refinement / retry of such an idea;
//   exploration  a random mutation (`explore`), and every candidate of a
//                strategy that reads no evidence (random, greedy, genetic);
//   llm          a step an LLM role proposed;
//   other        a step whose origin is not recorded.
//
// A step's share is its measured log-gain, ln(to/from), over the sum of all
// steps' positive log-gains; steps that measured no gain get no share. The
// shares are of the search measurements; the report applies them to the
// confirmed ratio (docs/agents.md, "Where the gain came from").
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <string>
#include <vector>

namespace autopass {

class JsonOut;

/// One adopted step: its rule ("explore", a table rule, "llm:ROLE", ...),
/// the idea it carried, and the ratio to -O3 before and after it.
struct GainStep {
  std::string Rule;
  std::string Idea;
  double From = 1.0;
  double To = 1.0;
};

enum class GainOriginKind { Evidence, Exploration, Llm, Other };
const char *gainOriginName(GainOriginKind K);
/// The origin a step's rule stands for (see the file comment).
GainOriginKind originOfRule(const std::string &Rule);

/// Writes Steps as the `lineage` array of a candidate's meta.
void writeLineage(JsonOut &J, const std::vector<GainStep> &Steps);

struct GainOrigin {
  /// The chain, the candidate's own step last (its To: its search ratio).
  std::vector<GainStep> Steps;
  /// Shares of the gain by origin; they sum to 1 when any step gained, else
  /// all are 0.
  double Evidence = 0, Exploration = 0, Llm = 0, Other = 0;
};

/// The lineage of a candidate from its meta JSON ("" or "{}" when it has
/// none: the whole gain is then the strategy's own step) and its measured
/// search ratio. Strategy names the strategy that proposed it, for a
/// candidate without meta. Fails only on a meta that is not valid JSON or
/// whose lineage is malformed.
Result<GainOrigin> gainOrigin(const std::string &MetaJson, const std::string &Strategy,
                              double SearchSpeedup);

/// The JSON object tune-result.json carries as `gain_origin`.
std::string gainOriginJson(const GainOrigin &G);

} // namespace autopass
