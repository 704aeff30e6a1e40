//===- cli/InitProject.cpp - init from a compilation database -------------===//
#include "cli/InitProject.hpp"

#include "cc/CompileDatabase.hpp"
#include "cc/CompilerCommand.hpp"
#include "spec/ProgramSpec.hpp"
#include "spec/ProjectBuild.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include <cstdio>

namespace autopass {

namespace {

/// The CMake cache's launcher setting for C or C++ ("" when unset).
std::string cmakeLauncher(const std::string &CacheText, const std::string &Lang) {
  std::string Key = "CMAKE_" + Lang + "_COMPILER_LAUNCHER:";
  for (const std::string &Line : split(CacheText, '\n'))
    if (startsWith(Line, Key)) {
      size_t Eq = Line.find('=');
      return Eq == std::string::npos ? "" : Line.substr(Eq + 1);
    }
  return "";
}

/// A CMake build tree configured without autopass-cc as the launcher
/// builds every candidate with plain clang: say how to fix that now.
void warnAboutLauncher(const std::string &BuildDir, const std::vector<BuildUnit> &Units) {
  auto Cache = readFile(joinPath(BuildDir, "CMakeCache.txt"));
  if (!Cache)
    return;
  bool Cxx = false, C = false;
  for (const BuildUnit &U : Units)
    (isCxxTranslationUnitPath(U.File) ? Cxx : C) = true;
  for (const char *Lang : {"C", "CXX"}) {
    if ((std::string(Lang) == "C" && !C) || (std::string(Lang) == "CXX" && !Cxx))
      continue;
    if (cmakeLauncher(*Cache, Lang).find("autopass-cc") != std::string::npos)
      continue;
    std::fprintf(stderr,
                 "warning: %s is not configured with autopass-cc as the %s compiler launcher; "
                 "candidates would be built without their configuration (the tuner will refuse "
                 "them). Reconfigure:\n  cmake %s -DCMAKE_%s_COMPILER_LAUNCHER=autopass-cc\n",
                 BuildDir.c_str(), Lang, BuildDir.c_str(), Lang);
  }
}

} // namespace

int initProjectSpec(const ProjectInitRequest &R, const char *Argv0) {
  std::string Db = absolutePath(R.Database);
  auto Database = readCompileDatabase(Db);
  if (!Database) {
    std::fprintf(stderr, "%s: %s\n", Argv0, Database.message().c_str());
    return 1;
  }
  const std::vector<BuildUnit> *Units = &Database->Units;
  for (const std::string &F : Database->Skipped)
    std::printf("note: %s is not a C/C++ unit; left to the build as it is\n", F.c_str());
  if (R.Binary.empty()) {
    std::fprintf(stderr, "%s: --compile-commands needs --binary (the program the build links)\n",
                 Argv0);
    return 2;
  }
  std::string BuildDir = absolutePath(R.BuildDir.empty() ? parentPath(Db) : R.BuildDir);
  std::vector<std::string> Command;
  if (!R.BuildCommand.empty()) {
    auto Split = splitCommandLine(R.BuildCommand);
    if (!Split || Split->empty()) {
      std::fprintf(stderr, "%s: --build-command: %s\n", Argv0,
                   Split ? "empty command" : Split.message().c_str());
      return 2;
    }
    Command = *Split;
  } else if (pathExists(joinPath(BuildDir, "CMakeCache.txt"))) {
    Command = {"cmake", "--build", BuildDir};
  } else {
    std::fprintf(stderr,
                 "%s: %s is not a CMake build tree: give the project's build command with "
                 "--build-command (e.g. \"make -j2\")\n",
                 Argv0, BuildDir.c_str());
    return 2;
  }
  std::string Binary = absolutePath(R.Binary);
  std::string Name = R.Name.empty() ? fileName(Binary) : R.Name;
  std::string Out = R.Output.empty() ? absolutePath(Name + ".spec.json") : absolutePath(R.Output);
  if (pathExists(Out) && !R.Force) {
    std::fprintf(stderr, "%s: %s exists; pass --force to overwrite\n", Argv0, Out.c_str());
    return 1;
  }
  warnAboutLauncher(BuildDir, *Units);

  JsonOut J;
  J.beginObject().field("schema", "autopass-program/1").field("name", Name);
  J.key("build");
  writeProjectBuild(J, ProjectBuild{BuildDir, Command, Binary, *Units});
  J.key("run").beginObject();
  J.key("args").values(R.ProgramArgs);
  J.field("timeout_s", R.TimeoutSeconds);
  J.endObject();
  J.key("check").beginObject().field("kind", R.Check);
  if (R.Check == "numeric")
    J.field("abs_tol", 1e-9).field("rel_tol", 1e-6);
  J.endObject();
  J.key("objective").beginObject().field("kind", "wall").endObject();
  J.key("meta").beginObject().field("compile_commands", Db).endObject();
  J.endObject();
  std::string Text = prettyJson(J.str());

  auto Spec = ProgramSpec::parse(Text, Out);
  if (!Spec) {
    std::fprintf(stderr, "%s: %s\n", Argv0, Spec.message().c_str());
    return 1;
  }
  if (Status S = writeFileAtomically(Out, Text); !S) {
    std::fprintf(stderr, "%s: %s\n", Argv0, S.message().c_str());
    return 1;
  }
  std::printf("wrote %s (%zu units, build: %s)\nnext: autopass-tuner baseline %s\n", Out.c_str(),
              Units->size(), shellJoin(Command).c_str(), Out.c_str());
  return 0;
}

} // namespace autopass
