//===- agents/PromptTemplate.hpp - The agents' prompt files -----*- C++ -*-===//
//
// The LLM agents' prompts are plain text files under prompts/ (one per role,
// plus system.txt) so they can be edited without rebuilding. This finds the
// directory, loads a role's file and fills its {{placeholders}}. A template
// that names a placeholder the tuner does not fill is an error: a typo in a
// prompt must not reach the model as a literal "{{histroy}}".
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <map>
#include <vector>
#include <string>
#include <string_view>

namespace autopass {

/// Where the prompts live: $AUTOPASS_PROMPTS_DIR, else the source tree's
/// prompts/, else the installed data directory's. Fails naming every place
/// looked at when none holds system.txt.
Result<std::string> findPromptsDirectory();

/// The placeholder names of a template, in order of first appearance.
std::vector<std::string> templatePlaceholders(std::string_view Template);

/// Replaces every {{name}} by Values[name]. Fails, naming Source and the
/// placeholder, when a placeholder has no value or a "{{" is not closed.
/// Values are inserted verbatim (a value containing "{{x}}" is not expanded).
Result<std::string> fillTemplate(std::string_view Template,
                                 const std::map<std::string, std::string> &Values,
                                 std::string_view Source);

/// The prompt files of the four roles and the common system message.
struct PromptSet {
  std::string Directory;
  std::string System;
  std::string Hotspot;
  std::string Analysis;
  std::string Planning;
  std::string Evaluation;

  /// Loads Dir/{system,hotspot,analysis,planning,evaluation}.txt; fails
  /// naming the missing or empty file.
  static Result<PromptSet> load(const std::string &Dir);
};

} // namespace autopass
