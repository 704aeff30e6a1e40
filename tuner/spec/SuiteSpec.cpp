//===- spec/SuiteSpec.cpp - A list of programs ----------------------------===//
#include "spec/SuiteSpec.hpp"

#include "util/FileSystem.hpp"
#include "util/Json.hpp"

namespace autopass {

Result<SuiteSpec> SuiteSpec::load(const std::string &Path) {
  std::string Abs = absolutePath(Path);
  auto Text = readFile(Abs);
  if (!Text)
    return makeError(Path + ": cannot read the suite: " + Text.message());
  return parse(*Text, Abs);
}

Result<SuiteSpec> SuiteSpec::parse(std::string_view Text, const std::string &SuitePath) {
  auto Doc = parseJsonText(Text, SuitePath);
  if (!Doc)
    return Doc.error();
  auto Root = JsonObject::from(**Doc, SuitePath, "");
  if (!Root)
    return Root.error();
  if (Status S = Root->checkKeys({"schema", "name", "programs", "meta"}); !S)
    return S.error();
  auto Schema = Root->getString("schema");
  if (!Schema)
    return Schema.error();
  if (*Schema != "autopass-suite/1")
    return Root->error("schema", "expected \"autopass-suite/1\", got \"" + *Schema + "\"");
  SuiteSpec Suite;
  Suite.SuitePath = absolutePath(SuitePath);
  auto Name = Root->optString("name");
  if (!Name)
    return Name.error();
  Suite.Name = Name->value_or(fileStem(SuitePath));
  auto Programs = Root->optStringArray("programs");
  if (!Programs)
    return Programs.error();
  if (!*Programs || (*Programs)->empty())
    return Root->error("programs", "required: a non-empty array of program spec paths");
  std::string Dir = parentPath(Suite.SuitePath);
  for (size_t I = 0; I < (*Programs)->size(); ++I) {
    std::string Abs = absolutePath((**Programs)[I], Dir);
    if (!pathExists(Abs))
      return Root->error("programs[" + std::to_string(I) + "]", "file not found: " + Abs);
    Suite.Programs.push_back(Abs);
  }
  return Suite;
}

} // namespace autopass
