//===- agents/PromptTemplate.cpp - The agents' prompt files ---------------===//

#include "agents/PromptTemplate.hpp"

#include "util/FileSystem.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace autopass {

Result<std::string> findPromptsDirectory() {
  std::vector<std::string> Candidates;
  if (const char *Env = std::getenv("AUTOPASS_PROMPTS_DIR"); Env && *Env)
    Candidates.push_back(Env);
#ifdef AUTOPASS_SOURCE_DIR
  Candidates.push_back(std::string(AUTOPASS_SOURCE_DIR) + "/prompts");
#endif
#ifdef AUTOPASS_INSTALL_DATADIR
  Candidates.push_back(std::string(AUTOPASS_INSTALL_DATADIR) + "/prompts");
#endif
  std::error_code Ignored;
  for (const std::string &Dir : Candidates)
    if (std::filesystem::is_regular_file(Dir + "/system.txt", Ignored))
      return Dir;
  return makeError("the agents' prompt files were not found (looked for system.txt in: " +
                   join(Candidates, ", ") + "); set AUTOPASS_PROMPTS_DIR");
}

std::vector<std::string> templatePlaceholders(std::string_view Template) {
  std::vector<std::string> Names;
  size_t Pos = 0;
  while ((Pos = Template.find("{{", Pos)) != std::string_view::npos) {
    size_t End = Template.find("}}", Pos + 2);
    if (End == std::string_view::npos)
      break;
    std::string Name(trim(Template.substr(Pos + 2, End - Pos - 2)));
    if (std::find(Names.begin(), Names.end(), Name) == Names.end())
      Names.push_back(Name);
    Pos = End + 2;
  }
  return Names;
}

Result<std::string> fillTemplate(std::string_view Template,
                                 const std::map<std::string, std::string> &Values,
                                 std::string_view Source) {
  std::string Out;
  Out.reserve(Template.size());
  size_t Pos = 0;
  while (true) {
    size_t Open = Template.find("{{", Pos);
    if (Open == std::string_view::npos) {
      Out.append(Template.substr(Pos));
      return Out;
    }
    Out.append(Template.substr(Pos, Open - Pos));
    size_t Close = Template.find("}}", Open + 2);
    if (Close == std::string_view::npos)
      return makeError(std::string(Source) + ": a \"{{\" at offset " + std::to_string(Open) +
                       " is not closed by \"}}\"");
    std::string Name(trim(Template.substr(Open + 2, Close - Open - 2)));
    auto It = Values.find(Name);
    if (It == Values.end())
      return makeError(std::string(Source) + ": placeholder {{" + Name +
                       "}} is not one the tuner fills for this role (see prompts/README.md)");
    Out += It->second;
    Pos = Close + 2;
  }
}

Result<PromptSet> PromptSet::load(const std::string &Dir) {
  PromptSet P;
  P.Directory = Dir;
  std::pair<const char *, std::string *> Files[] = {{"system.txt", &P.System},
                                                    {"hotspot.txt", &P.Hotspot},
                                                    {"analysis.txt", &P.Analysis},
                                                    {"planning.txt", &P.Planning},
                                                    {"evaluation.txt", &P.Evaluation}};
  for (auto &[Name, Into] : Files) {
    std::string Path = Dir + "/" + Name;
    auto Text = readFile(Path);
    if (!Text)
      return makeError(Path + ": cannot read the prompt template (" + Text.message() + ")");
    if (trim(*Text).empty())
      return makeError(Path + ": the prompt template is empty");
    *Into = std::move(*Text);
  }
  return P;
}

} // namespace autopass
