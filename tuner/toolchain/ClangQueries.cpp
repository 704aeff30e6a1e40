//===- toolchain/ClangQueries.cpp - What clang says about a build ---------===//
#include "toolchain/ClangQueries.hpp"

namespace autopass {

RelocationModelQuery queryRelocationModel(const std::string &Clang, const std::string &SourceDir,
                                          const std::string &WorkDir, const std::string &Source,
                                          const std::vector<std::string> &CompileFlags) {
  std::vector<std::string> Argv = {Clang, "-working-directory=" + SourceDir, "-###"};
  Argv.insert(Argv.end(), CompileFlags.begin(), CompileFlags.end());
  Argv.insert(Argv.end(), {"-c", Source, "-o", "/dev/null"});
  SubprocessOptions O;
  O.Argv = Argv;
  O.Cwd = WorkDir;
  O.TimeoutSeconds = RelocationModelQueryTimeoutSeconds;
  return {std::move(Argv), runSubprocess(O)};
}

std::string RelocationModelQuery::model() const {
  // -### prints the cc1 command on stderr, each argument quoted.
  const std::string Marker = "\"-mrelocation-model\" \"";
  const std::string &Stderr = Run->Stderr;
  size_t Pos = Stderr.find(Marker);
  if (Pos == std::string::npos)
    return "static";
  Pos += Marker.size();
  return Stderr.substr(Pos, Stderr.find('"', Pos) - Pos);
}

std::vector<std::string> parseMakeDependencies(const std::string &DepFileText) {
  const std::string &Text = DepFileText;
  std::vector<std::string> Deps;
  size_t Colon = Text.find(": ");
  if (Colon == std::string::npos)
    return Deps;
  std::string Cur;
  for (size_t I = Colon + 2; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '\\' && I + 1 < Text.size() && Text[I + 1] == '\n') {
      ++I; // line continuation
      C = ' ';
    } else if (C == '\\' && I + 1 < Text.size() && Text[I + 1] == ' ') {
      Cur += ' '; // escaped space inside a name
      ++I;
      continue;
    } else if (C == '$' && I + 1 < Text.size() && Text[I + 1] == '$') {
      Cur += '$';
      ++I;
      continue;
    }
    if (C == ' ' || C == '\n' || C == '\t' || C == '\r') {
      if (!Cur.empty())
        Deps.push_back(Cur);
      Cur.clear();
    } else {
      Cur += C;
    }
  }
  if (!Cur.empty())
    Deps.push_back(Cur);
  return Deps;
}

} // namespace autopass
