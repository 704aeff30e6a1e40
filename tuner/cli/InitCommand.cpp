//===- cli/InitCommand.cpp - autopass-tuner init --------------------------===//
//
// Writes an `autopass-program/1` spec for a single source file, so that
// tuning a program starts with one command: `autopass-tuner init prog.c --
// ARGS` and then `autopass-tuner baseline prog.spec.json`.
//
//===----------------------------------------------------------------------===//
#include "cli/Commands.hpp"
#include "cli/InitProject.hpp"

#include "spec/ProgramSpec.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Json.hpp"

#include <cxxopts.hpp>

#include <cstdio>
#include <cstring>
#include <vector>

namespace autopass {

int runInitCommand(int Argc, char **Argv) {
  // Everything after "--" is the program's arguments, untouched by cxxopts.
  std::vector<char *> Own;
  std::vector<std::string> ProgramArgs;
  bool AfterDashes = false;
  for (int I = 0; I < Argc; ++I) {
    if (AfterDashes)
      ProgramArgs.push_back(Argv[I]);
    else if (I > 0 && std::strcmp(Argv[I], "--") == 0)
      AfterDashes = true;
    else
      Own.push_back(Argv[I]);
  }
  cxxopts::Options Options(
      Argv[0], "Write a program spec (autopass-program/1) for one C or C++ file, or for a "
               "project its own build system builds.\n"
               "  Usage: autopass-tuner init FILE.c [-o SPEC] [-- ARGS...]\n"
               "         autopass-tuner init --compile-commands BUILD/compile_commands.json "
               "--binary BUILD/app [-- ARGS...]");
  // clang-format off
  Options.add_options()
    ("o,output", "Spec file to write (default: FILE's directory/STEM.spec.json)", cxxopts::value<std::string>())
    ("name", "Program name (default: the file's stem)", cxxopts::value<std::string>())
    ("compile-flag", "A front-end flag shared by baseline and candidates (repeatable)", cxxopts::value<std::vector<std::string>>())
    ("link-flag", "A link flag (repeatable; default: -lm)", cxxopts::value<std::vector<std::string>>())
    ("timeout", "Run timeout in seconds", cxxopts::value<double>()->default_value("60"))
    ("check", "Output check: exact, numeric, none", cxxopts::value<std::string>()->default_value("exact"))
    ("force", "Overwrite an existing spec")
    ("compile-commands", "A project's compilation database: write a spec whose `build` section builds it with its own build system", cxxopts::value<std::string>())
    ("binary", "With --compile-commands: the program the build links", cxxopts::value<std::string>())
    ("build-command", "With --compile-commands: the build command (default: cmake --build DIR for a CMake build tree)", cxxopts::value<std::string>())
    ("build-dir", "With --compile-commands: where the build command runs (default: the database's directory)", cxxopts::value<std::string>())
    ("file", "The source file", cxxopts::value<std::string>())
    ("h,help", "Show this help");
  // clang-format on
  Options.parse_positional({"file"});
  Options.positional_help("FILE.c [-- ARGS...]");
  cxxopts::ParseResult Args;
  try {
    int N = static_cast<int>(Own.size());
    Args = Options.parse(N, Own.data());
  } catch (const std::exception &E) {
    std::fprintf(stderr, "%s: %s\n(see --help)\n", Argv[0], E.what());
    return 2;
  }
  if (Args.count("help")) {
    std::printf("%s\n", Options.help().c_str());
    return 0;
  }
  if (Args.count("compile-commands")) {
    if (Args.count("file") || Args.count("compile-flag") || Args.count("link-flag")) {
      std::fprintf(stderr, "%s: --compile-commands takes the units and their flags from the "
                           "database: no FILE, --compile-flag or --link-flag\n", Argv[0]);
      return 2;
    }
    ProjectInitRequest R;
    R.Database = Args["compile-commands"].as<std::string>();
    auto get = [&](const char *Key) {
      return Args.count(Key) ? Args[Key].as<std::string>() : std::string();
    };
    R.Binary = get("binary");
    R.BuildCommand = get("build-command");
    R.BuildDir = get("build-dir");
    R.Output = get("output");
    R.Name = get("name");
    R.Check = Args["check"].as<std::string>();
    R.TimeoutSeconds = Args["timeout"].as<double>();
    R.Force = Args.count("force") > 0;
    R.ProgramArgs = ProgramArgs;
    if (R.Check != "exact" && R.Check != "numeric" && R.Check != "none") {
      std::fprintf(stderr, "%s: --check: expected exact, numeric or none\n", Argv[0]);
      return 2;
    }
    return initProjectSpec(R, Argv[0]);
  }
  if (!Args.count("file")) {
    std::fprintf(stderr, "%s: missing FILE (a .c or .cpp source)\n(see --help)\n", Argv[0]);
    return 2;
  }
  std::string Source = absolutePath(Args["file"].as<std::string>());
  if (!pathExists(Source)) {
    std::fprintf(stderr, "%s: %s: file not found\n", Argv[0], Source.c_str());
    return 1;
  }
  if (!isCSource(Source) && !isCxxSource(Source)) {
    std::fprintf(stderr, "%s: %s: expected a C (.c) or C++ (.cc .cpp .cxx) source\n", Argv[0],
                 Source.c_str());
    return 2;
  }
  std::string Dir = parentPath(Source);
  std::string Out = Args.count("output") ? absolutePath(Args["output"].as<std::string>())
                                         : joinPath(Dir, fileStem(Source) + ".spec.json");
  if (pathExists(Out) && !Args.count("force")) {
    std::fprintf(stderr, "%s: %s exists; pass --force to overwrite\n", Argv[0], Out.c_str());
    return 1;
  }
  std::string Check = Args["check"].as<std::string>();
  if (Check != "exact" && Check != "numeric" && Check != "none") {
    std::fprintf(stderr, "%s: --check: expected exact, numeric or none\n", Argv[0]);
    return 2;
  }
  // Paths in a spec are relative to the spec's directory.
  std::string SpecDir = parentPath(Out);
  std::string RelSource = Source;
  if (RelSource.rfind(SpecDir + "/", 0) == 0)
    RelSource = RelSource.substr(SpecDir.size() + 1);

  JsonOut J;
  J.beginObject()
      .field("schema", "autopass-program/1")
      .field("name", Args.count("name") ? Args["name"].as<std::string>() : fileStem(Source));
  J.key("sources").values(std::vector<std::string>{RelSource});
  J.key("compile_flags")
      .values(Args.count("compile-flag") ? Args["compile-flag"].as<std::vector<std::string>>()
                                         : std::vector<std::string>{});
  J.key("link_flags")
      .values(Args.count("link-flag") ? Args["link-flag"].as<std::vector<std::string>>()
                                      : std::vector<std::string>{"-lm"});
  J.key("target_flags").values(std::vector<std::string>{});
  J.key("run").beginObject();
  J.key("args").values(ProgramArgs);
  J.field("timeout_s", Args["timeout"].as<double>());
  J.endObject();
  J.key("check").beginObject().field("kind", Check);
  if (Check == "numeric")
    J.field("abs_tol", 1e-9).field("rel_tol", 1e-6);
  J.endObject();
  J.key("objective").beginObject().field("kind", "wall").endObject();
  J.endObject();
  std::string Text = prettyJson(J.str());

  // What we write must load: validate before replacing anything.
  auto Spec = ProgramSpec::parse(Text, Out);
  if (!Spec) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], Spec.message().c_str());
    return 1;
  }
  if (Status S = writeFileAtomically(Out, Text); !S) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], S.message().c_str());
    return 1;
  }
  std::printf("wrote %s\nnext: autopass-tuner baseline %s\n", Out.c_str(), Out.c_str());
  return 0;
}

} // namespace autopass
