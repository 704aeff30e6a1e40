//===- search/ConfigPolicy.cpp - What a configuration may make us run -----===//
//
// The pipeline rules are a deny list over the pass names of LLVM 19 and 22
// (opt --print-passes): a pass is refused when it has an effect outside the
// module it optimizes. A deny list, not an allow list, because the pipeline
// layer's whole point is to reach passes -O3 does not run; what a pass may
// not do is the short list.
//
//===----------------------------------------------------------------------===//
#include "search/ConfigPolicy.hpp"

#include "search/KnobCatalog.hpp"
#include "search/PipelineText.hpp"
#include "util/Strings.hpp"

#include "JsonScan.h"

#include <array>

namespace autopass {

namespace {

struct PassRule {
  std::string_view Name;
  bool Prefix; // Name is a prefix of the refused names
  std::string_view Why;
};

constexpr std::string_view Profiles =
    "instruments the program to write profile files when it runs";
constexpr std::string_view ReadsProfile = "reads a profile file";
constexpr std::string_view Sanitizer = "instruments the program for a sanitizer runtime";

constexpr std::array<PassRule, 32> Rules = {{
    {"dot-", true, "writes .dot files into the working directory"},
    {"view-", true, "opens a graph viewer"},
    {"print", true, "prints the IR or an analysis"},
    {"trigger-", true, "crashes or breaks the compiler on purpose"},
    {"autopass", true,
     "is an AutoPass plugin element, which the tuner places itself (it takes file names)"},
    {"lint", false, "prints diagnostics"},
    {"check-debugify", false, "prints diagnostics"},
    {"insert-gcov-profiling", false,
     "writes coverage notes and makes the program write .gcda files"},
    {"pgo-instr-gen", false, Profiles},
    {"instrprof", false, Profiles},
    {"instrorderfile", false, Profiles},
    {"ctx-instr-gen", false, Profiles},
    {"ctx-instr-lower", false, Profiles},
    {"memprof", false, Profiles},
    {"memprof-module", false, Profiles},
    {"pgo-instr-use", false, ReadsProfile},
    {"sample-profile", false, ReadsProfile},
    {"memprof-use", false, ReadsProfile},
    {"asan", false, Sanitizer},
    {"hwasan", false, Sanitizer},
    {"msan", false, Sanitizer},
    {"tsan", false, Sanitizer},
    {"tsan-module", false, Sanitizer},
    {"dfsan", false, Sanitizer},
    {"nsan", false, Sanitizer},
    {"rtsan", false, Sanitizer}, // LLVM 22
    {"tysan", false, Sanitizer}, // LLVM 22
    {"kmsan", false, Sanitizer},
    {"sancov-module", false, Sanitizer},
    {"sanmd-module", false, Sanitizer},
    {"rewrite-symbols", false, "reads symbol map files"},
    {"extract-blocks", false, "reads a block list file"},
}};

const PassRule *ruleFor(std::string_view Name) {
  for (const PassRule &R : Rules)
    if (R.Prefix ? startsWith(Name, R.Name) : Name == R.Name)
      return &R;
  return nullptr;
}

/// A parameter such as "profile-filename=S": a key=value whose key names a
/// file. Plain words are options or analysis names, never files: the O3
/// pipeline itself has require<profile-summary>.
bool namesFile(std::string_view Param) {
  size_t Eq = Param.find('=');
  if (Eq == std::string_view::npos)
    return false;
  std::string_view Key = Param.substr(0, Eq);
  return Key.find("file") != std::string_view::npos ||
         Key.find("path") != std::string_view::npos;
}

Status checkPass(const PassNode &Node) {
  if (const PassRule *R = ruleFor(Node.Name))
    return makeError("pipeline: pass \"" + Node.Name + "\" " + std::string(R->Why) +
                     "; such passes are not allowed in a configuration");
  if (Node.Params)
    for (const std::string &P : split(*Node.Params, ';'))
      if (namesFile(P))
        return makeError("pipeline: pass \"" + Node.Name + "\": parameter \"" + P +
                         "\" names a file; file parameters are not allowed in a configuration");
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
