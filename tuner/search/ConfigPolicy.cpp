//===- search/ConfigPolicy.cpp - What a configuration may make us run -----===//
//
// The pipeline rules are the deny list the plugin applies too
// (plugin/PassPolicy.h, in the autopass_config library): one rule, one
// message, whichever program reads the configuration.
//
//===----------------------------------------------------------------------===//
#include "search/ConfigPolicy.hpp"

#include "JsonScan.h"
#include "PassPolicy.h"

#include "search/KnobCatalog.hpp"
#include "search/PipelineText.hpp"
#include "util/Strings.hpp"

namespace autopass {

namespace {

Status checkPass(const PassNode &Node) {
  if (llvm::StringRef Why = config::passRefusalReason(Node.Name); !Why.empty())
    return makeError(config::refusedPassMessage(Node.Name, Why));
  if (Node.Params)
    for (const std::string &P : split(*Node.Params, ';'))
      if (config::paramNamesFile(P))
        return makeError(config::refusedParamMessage(Node.Name, P));
  if (Node.Children)
    for (const PassNode &Child : *Node.Children)
      if (Status S = checkPass(Child); !S)
        return S;
  return success();
}

} // namespace

Status checkPipelineAllowed(std::string_view Pipeline) {
  auto Parsed = PipelineText::parse(Pipeline);
  if (!Parsed)
    return makeError("pipeline: " + Parsed.message());
  for (const PassNode &Node : Parsed->passes())
    if (Status S = checkPass(Node); !S)
      return S;
  return success();
}

Status checkConfigAllowed(const CandidateConfig &Config, const KnobCatalog &Catalog) {
  if (Status S = Catalog.validateKnobs(Config); !S)
    return S;
  if (Config.Pipeline)
    if (Status S = checkPipelineAllowed(*Config.Pipeline); !S)
      return S;
  // A unit's own knobs and pipeline reach the same tools (autopass-cc, the
  // builders): the same rules, the message naming the unit's entry.
  for (const auto &[Key, Unit] : Config.Units) {
    std::string Field = jsonMemberPath("units", Key);
    for (const auto &[Name, Value] : Unit.Knobs)
      if (Status S = Catalog.validate(Name, Value); !S)
        return makeError(Field + ".knobs: " + S.message());
    if (Unit.Pipeline)
      if (Status S = checkPipelineAllowed(*Unit.Pipeline); !S)
        return makeError(Field + "." + S.message());
  }
  return success();
}

} // namespace autopass
