//===- cc/CompileDatabase.cpp - Units of a compile_commands.json ----------===//
#include "cc/CompileDatabase.hpp"

#include "cc/CompilerCommand.hpp"
#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <set>

namespace autopass {

namespace {

bool isLauncher(const std::string &Arg) {
  std::string Name = fileName(Arg);
  return Name == "ccache" || Name == "sccache" || startsWith(Name, "autopass-c");
}

Result<BuildUnit> unitFromEntry(const JsonObject &E) {
  if (Status S = E.checkKeys({"directory", "file", "command", "arguments", "output"}); !S)
    return S.error();
  auto Dir = E.getString("directory");
  if (!Dir)
    return Dir.error();
  auto File = E.getString("file");
  if (!File)
    return File.error();
  auto Arguments = E.optStringArray("arguments");
  if (!Arguments)
    return Arguments.error();
  auto Command = E.optString("command");
  if (!Command)
    return Command.error();
  std::vector<std::string> Argv;
  if (*Arguments) {
    Argv = **Arguments;
  } else if (*Command) {
    auto Split = splitCommandLine(**Command);
    if (!Split)
      return E.error("command", Split.message());
    Argv = std::move(*Split);
  } else {
    return E.error("arguments", "an entry needs \"arguments\" or \"command\"");
  }
  while (!Argv.empty() && isLauncher(Argv.front()))
    Argv.erase(Argv.begin());
  if (Argv.empty())
    return E.error("arguments", "expected a compiler and its arguments");

  BuildUnit U;
  U.Directory = absolutePath(*Dir);
  U.File = absolutePath(*File, U.Directory);
  U.Compiler = Argv.front();
  std::vector<std::string> Rest(Argv.begin() + 1, Argv.end());
  CompilerCommand Cmd = parseCompilerCommand(Rest);
  if (Cmd.Mode == CompilerMode::Compile && Cmd.Sources.empty() && !Cmd.OtherInputs.empty()) {
    U.Output.clear(); // not a C/C++ unit (assembly...): the caller skips it
    return U;
  }
  if (Cmd.Mode != CompilerMode::Compile || Cmd.Sources.size() != 1)
    return E.error("arguments", "expected a command compiling one C/C++ translation unit with "
                                "-c, got: " + shellJoin(Argv));
  auto Output = E.optString("output");
  if (!Output)
    return Output.error();
  std::string Out = Output->value_or(Cmd.Output.empty()
                                         ? defaultOutputFor(Cmd.Sources[0].Path, false, false)
                                         : Cmd.Output);
  U.Output = absolutePath(Out, U.Directory);

  std::set<size_t> Drop(Cmd.OutputArgs.begin(), Cmd.OutputArgs.end());
  Drop.insert(Cmd.DependencyArgs.begin(), Cmd.DependencyArgs.end());
  Drop.insert(Cmd.Sources[0].ArgIndex);
  for (size_t I = 0; I < Cmd.Args.size(); ++I)
    if (!Drop.count(I) && Cmd.Args[I] != "-c" && !startsWith(Cmd.Args[I], "--autopass-config="))
      U.Flags.push_back(Cmd.Args[I]);
  return U;
}

} // namespace

Result<std::vector<std::string>> splitCommandLine(std::string_view Command) {
  std::vector<std::string> Words;
  std::string Word;
  bool InWord = false;
  char Quote = 0;
  for (size_t I = 0; I < Command.size(); ++I) {
    char C = Command[I];
    if (Quote == '\'') {
      if (C == '\'')
        Quote = 0;
      else
        Word += C;
      continue;
    }
    if (Quote == '"') {
      if (C == '"')
        Quote = 0;
      else if (C == '\\' && I + 1 < Command.size() &&
               std::string_view("\"\\$`").find(Command[I + 1]) != std::string_view::npos)
        Word += Command[++I];
      else
        Word += C;
      continue;
    }
    if (C == ' ' || C == '\t' || C == '\n') {
      if (InWord)
        Words.push_back(std::move(Word));
      Word.clear();
      InWord = false;
      continue;
    }
    InWord = true;
    if (C == '\'' || C == '"')
      Quote = C;
    else if (C == '\\' && I + 1 < Command.size())
      Word += Command[++I];
    else
      Word += C;
  }
  if (Quote)
    return makeError(std::string("unterminated ") + (Quote == '"' ? "double" : "single") +
                     " quote in: " + std::string(Command));
  if (InWord)
    Words.push_back(std::move(Word));
  return Words;
}

Result<CompileDatabase> readCompileDatabase(const std::string &Path) {
  auto Text = readFile(Path);
  if (!Text)
    return makeError(Path + ": cannot read the compilation database: " + Text.message());
  auto Doc = parseJsonText(*Text, Path);
  if (!Doc)
    return Doc.error();
  const rapidjson::Value &Root = **Doc;
  if (!Root.IsArray())
    return makeError(Path + ": expected a JSON array of compile commands (compile_commands.json)");
  CompileDatabase Db;
  for (rapidjson::SizeType I = 0; I < Root.Size(); ++I) {
    auto E = JsonObject::from(Root[I], Path, "[" + std::to_string(I) + "]");
    if (!E)
      return E.error();
    auto U = unitFromEntry(*E);
    if (!U)
      return U.error();
    if (U->Output.empty())
      Db.Skipped.push_back(U->File);
    else
      Db.Units.push_back(std::move(*U));
  }
  if (Db.Units.empty())
    return makeError(Path + ": the compilation database has no C/C++ compile commands");
  return Db;
}

} // namespace autopass
