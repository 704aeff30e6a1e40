//===- cc/CcDriver.cpp - autopass-cc: one compiler invocation -------------===//
#include "cc/CcDriver.hpp"

#include "cc/ChildProcess.hpp"
#include "cc/CompilerCommand.hpp"
#include "cc/Installation.hpp"
#include "cc/ObjectCache.hpp"
#include "cc/UnitCompiler.hpp"
#include "cc/UnitReport.hpp"
#include "config/CandidateConfig.hpp"
#include "search/ConfigPolicy.hpp"
#include "toolchain/LauncherLog.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"
#include "util/Time.hpp"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#ifndef AUTOPASS_VERSION
#define AUTOPASS_VERSION "unknown"
#endif

namespace autopass {

namespace {

std::string env(const char *Name) {
  const char *V = std::getenv(Name);
  return V ? V : "";
}

void printHelp() {
  std::printf("autopass-cc %s - build with a tuned AutoPass configuration\n"
              "\n"
              "Usage:\n"
              "  autopass-cc  [--autopass-config=FILE] CLANG-ARGS...      as CC (runs clang)\n"
              "  autopass-c++ [--autopass-config=FILE] CLANG-ARGS...      as CXX (runs clang++)\n"
              "  autopass-cc  [--autopass-config=FILE] COMPILER ARGS...   as a compiler or linker\n"
              "                                                           launcher\n"
              "\n"
              "The configuration (autopass-config/1) comes from --autopass-config=FILE or\n"
              "$AUTOPASS_CONFIG. Compile steps at -O2, -O3 or -Ofast get its knobs as -mllvm\n"
              "options, its region hints through the AutoPass plugin and its pipeline through\n"
              "opt; link steps report, once, hints that matched in no linked unit. Without a\n"
              "configuration, or at other optimization levels, the compiler runs unchanged.\n"
              "\n"
              "Environment: AUTOPASS_LLVM_BINDIR (where clang and opt are), AUTOPASS_PLUGIN,\n"
              "AUTOPASS_DATA_DIR, AUTOPASS_CC_VERBOSE=1 (print every command run),\n"
              "AUTOPASS_CC_FLOW=opt (hints through opt, like the tuner's builds).\n"
              "docs/using-a-config.md is the guide.\n",
              AUTOPASS_VERSION);
}

/// The file a command name resolves to, symlinks followed.
std::string resolveProgram(const std::string &Name) {
  std::string Path = findProgram(Name);
  if (Path.empty())
    return "";
  char Buf[PATH_MAX];
  if (::realpath(Path.c_str(), Buf))
    return Buf;
  return Path;
}

bool isClang(const std::string &Compiler) {
  std::string Real = resolveProgram(Compiler);
  return fileName(Real.empty() ? Compiler : Real).find("clang") != std::string::npos ||
         fileName(Compiler).find("clang") != std::string::npos;
}

bool isArchiveOrSharedLibrary(const std::string &Path) {
  return endsWith(Path, ".a") || endsWith(Path, ".so") || Path.find(".so.") != std::string::npos;
}

struct TempDir {
  std::string Path;
  ~TempDir() {
    if (!Path.empty())
      (void)removeAll(Path);
  }
};

/// Reads the unit reports of the objects being linked; objects without
/// one (or with one from another configuration) are unknown.
void collectUnitReports(const CompilerCommand &Cmd, const CandidateConfig &Config,
                        std::vector<UnitReport> &Units, std::vector<std::string> &Unknown) {
  const std::string Hash = Config.contentHash();
  for (const CompilerInput &O : Cmd.Objects) {
    std::string Sidecar = unitReportPathFor(O.Path);
    if (!pathExists(Sidecar)) {
      Unknown.push_back(O.Path);
      continue;
    }
    auto R = UnitReport::load(Sidecar);
    if (!R) {
      std::fprintf(stderr, "autopass-cc: warning: %s\n", R.message().c_str());
      Unknown.push_back(O.Path);
      continue;
    }
    if (R->ConfigHash != Hash) {
      Unknown.push_back(O.Path);
      continue;
    }
    Units.push_back(std::move(*R));
  }
  for (const CompilerInput &I : Cmd.OtherInputs)
    if (isArchiveOrSharedLibrary(I.Path))
      Unknown.push_back(I.Path);
}

/// The file a compile command writes for its source I.
std::string compileOutputFor(const CompilerCommand &Cmd, size_t I) {
  return Cmd.Sources.size() == 1 && !Cmd.Output.empty()
             ? Cmd.Output
             : defaultOutputFor(Cmd.Sources[I].Path, Cmd.EmitAssembly, Cmd.EmitLlvm);
}

/// AUTOPASS_CC_LOG: a record per unit for the tuner (toolchain/LauncherLog.hpp).
void logUnit(const CompilerCommand &Cmd, const std::string &Compiler, size_t I,
             LauncherRecord R) {
  std::string Dir = env("AUTOPASS_CC_LOG");
  if (Dir.empty())
    return;
  std::vector<std::string> Argv = {Compiler};
  Argv.insert(Argv.end(), Cmd.Args.begin(), Cmd.Args.end());
  R.Source = absolutePath(Cmd.Sources[I].Path);
  R.Output = absolutePath(compileOutputFor(Cmd, I));
  R.Command = shellJoin(Argv);
  if (Status S = writeLauncherRecord(Dir, R); !S)
    std::fprintf(stderr, "autopass-cc: warning: AUTOPASS_CC_LOG: %s\n", S.message().c_str());
}

/// Records the units of a compile command built without the configuration.
void logNotApplied(const CompilerCommand &Cmd, const std::string &Compiler,
                   const std::string &Reason) {
  if (Cmd.Mode != CompilerMode::Compile)
    return;
  for (size_t I = 0; I < Cmd.Sources.size(); ++I) {
    LauncherRecord R;
    R.NotApplied = Reason;
    logUnit(Cmd, Compiler, I, R);
  }
}

/// One unit, through the object cache when AUTOPASS_CC_CACHE names one.
int compileCached(const UnitCompileContext &Ctx, size_t I, const std::string &Out,
                  ObjectCacheUse &Use) {
  std::string Dir = env("AUTOPASS_CC_CACHE");
  Use = ObjectCacheUse::Off;
  if (Dir.empty())
    return compileUnit(Ctx, I, Out);
  ObjectCache Cache(Dir);
  auto Key = Cache.key(Ctx, I, Out);
  if (!Key) // the compile itself reports what is wrong with the unit
    return compileUnit(Ctx, I, Out);
  if (Cache.restore(*Key, Out)) {
    Use = ObjectCacheUse::Hit;
    if (Ctx.Verbose)
      std::fprintf(stderr, "autopass-cc: %s: from the object cache\n", Out.c_str());
    return 0;
  }
  Use = ObjectCacheUse::Miss;
  int Rc = compileUnit(Ctx, I, Out);
  if (Rc == 0)
    if (Status S = Cache.store(*Key, Out); !S)
      std::fprintf(stderr, "autopass-cc: warning: AUTOPASS_CC_CACHE: %s\n", S.message().c_str());
  return Rc;
}

/// The file holding a unit's own configuration (`units` applied): written
/// once per content, next to the object cache or in TMPDIR.
Result<std::string> unitConfigFile(const CandidateConfig &ForUnit) {
  std::string Dir = env("AUTOPASS_CC_CACHE");
  if (Dir.empty()) {
    std::string Tmp = env("TMPDIR");
    Dir = joinPath(Tmp.empty() ? "/tmp" : Tmp, "autopass-cc-unit-configs");
  }
  std::string Path = joinPath(joinPath(Dir, "configs"), ForUnit.contentHash() + ".json");
  if (pathExists(Path))
    return Path;
  if (Status S = makeDirectories(parentPath(Path)); !S)
    return S.error();
  if (Status S = writeFileAtomically(Path, ForUnit.toJson(true)); !S)
    return S.error();
  return Path;
}

int compileStep(const UnitCompileContext &Whole) {
  const CompilerCommand &Cmd = *Whole.Command;
  if (Cmd.Sources.size() > 1 && !Cmd.Output.empty())
    return -1; // clang rejects -o with several outputs; let it say so
  for (size_t I = 0; I < Cmd.Sources.size(); ++I) {
    // A configuration with `units` gives this unit its own knobs and
    // pipeline; the object cache keys on that, so a change to another
    // unit's entry does not rebuild this one.
    UnitCompileContext Ctx = Whole;
    Ctx.WholeConfigHash = Whole.Config->contentHash();
    CandidateConfig ForUnit = Whole.Config->forUnit(absolutePath(Cmd.Sources[I].Path));
    // checkConfigAllowed passed every unit's knobs and pipeline.
    if (!Whole.Config->Units.empty()) {
      auto Path = unitConfigFile(ForUnit);
      if (!Path) {
        std::fprintf(stderr, "autopass-cc: error: %s\n", Path.message().c_str());
        return 1;
      }
      Ctx.Config = &ForUnit;
      Ctx.ConfigPath = *Path;
    }
    LauncherRecord R;
    R.ConfigHash = Ctx.WholeConfigHash;
    double Start = monotonicSeconds();
    R.ExitCode = compileCached(Ctx, I, compileOutputFor(Cmd, I), R.Cache);
    R.Seconds = monotonicSeconds() - Start;
    logUnit(Cmd, Ctx.Compiler, I, R);
    if (R.ExitCode != 0)
      return R.ExitCode;
  }
  return 0;
}

int linkStep(UnitCompileContext Ctx, const std::vector<std::string> &Rest) {
  const CompilerCommand &Cmd = *Ctx.Command;
  std::vector<std::string> LinkArgv = {Ctx.Compiler};
  LinkArgv.insert(LinkArgv.end(), Cmd.Args.begin(), Cmd.Args.end());
  std::vector<UnitReport> Units;
  std::vector<std::string> Unknown;
  TempDir Tmp;

  if (!Cmd.Sources.empty()) {
    // Sources on a link line: compile each with the configuration into a
    // temporary object, then link those in the sources' places.
    const char *TmpEnv = std::getenv("TMPDIR");
    auto Dir = makeTempDirectory(TmpEnv && *TmpEnv ? TmpEnv : "/tmp", "autopass-cc-link-");
    if (!Dir) {
      std::fprintf(stderr, "autopass-cc: error: %s\n", Dir.message().c_str());
      return 1;
    }
    Tmp.Path = *Dir;
    std::vector<std::string> CompileArgs = Rest;
    CompileArgs.insert(CompileArgs.end(), {"-c", "-Wno-unused-command-line-argument"});
    CompilerCommand CompileCmd = parseCompilerCommand(CompileArgs);
    UnitCompileContext CompileCtx = Ctx;
    CompileCtx.Command = &CompileCmd;
    for (size_t I = 0; I < CompileCmd.Sources.size(); ++I) {
      std::string Obj =
          joinPath(Tmp.Path, std::to_string(I) + "-" +
                                 defaultOutputFor(CompileCmd.Sources[I].Path, false, false));
      if (int Rc = compileUnit(CompileCtx, I, Obj); Rc != 0)
        return Rc;
      // Argument positions are the same in both commands (the additions
      // are at the end), so the source's slot takes its object.
      LinkArgv[1 + Cmd.Sources[I].ArgIndex] = Obj;
      if (Ctx.Config->hasHints()) {
        auto R = UnitReport::load(unitReportPathFor(Obj));
        if (R)
          Units.push_back(std::move(*R));
      }
    }
  }

  if (Ctx.Verbose)
    std::fprintf(stderr, "autopass-cc: %s\n", shellJoin(LinkArgv).c_str());
  if (int Rc = runInheritingStdio(LinkArgv); Rc != 0)
    return Rc;
  if (!Ctx.Config->hasHints())
    return 0;
  collectUnitReports(Cmd, *Ctx.Config, Units, Unknown);
  for (const std::string &M : unmatchedAtLink(*Ctx.Config, Ctx.ConfigPath, Units, Unknown,
                                              Cmd.Output.empty() ? "a.out" : Cmd.Output))
    std::fprintf(stderr, "%s\n", M.c_str());
  return 0;
}

} // namespace

bool looksLikeCompiler(const std::string &Arg) {
  if (Arg.empty() || Arg[0] == '-' || isTranslationUnitPath(Arg))
    return false;
  if (Arg.find('/') != std::string::npos)
    return !isDirectory(Arg) && ::access(Arg.c_str(), X_OK) == 0;
  return !findProgram(Arg).empty();
}

int runAutopassCc(const std::vector<std::string> &Argv) {
  if (Argv.size() < 2) {
    printHelp();
    return 2;
  }
  if (Argv[1] == "--autopass-help") {
    printHelp();
    return 0;
  }
  if (Argv[1] == "--autopass-version") {
    std::printf("autopass-cc %s\n", AUTOPASS_VERSION);
    return 0;
  }
  std::string Self = fileName(Argv[0]);
  bool CxxByName = Self.find("++") != std::string::npos || endsWith(Self, "cxx");
  Installation Install = Installation::locate();

  // As a launcher the command is `autopass-cc [--autopass-config=F] COMPILER
  // ARGS...`: autopass-cc's own options come before the compiler.
  size_t First = 1;
  std::vector<std::string> Own;
  while (First < Argv.size() && startsWith(Argv[First], "--autopass-config="))
    Own.push_back(Argv[First++]);
  bool Launcher = First < Argv.size() && looksLikeCompiler(Argv[First]);
  std::vector<std::string> Rest = Own;
  Rest.insert(Rest.end(), Argv.begin() + First + (Launcher ? 1 : 0), Argv.end());
  CompilerCommand Cmd = parseCompilerCommand(Rest);
  std::string Compiler = Launcher ? Argv[First] : Install.clang(CxxByName || Cmd.anyCxx());
  std::vector<std::string> Plain = {Compiler};
  Plain.insert(Plain.end(), Cmd.Args.begin(), Cmd.Args.end());

  std::string ConfigArg = !Cmd.ConfigPath.empty() ? Cmd.ConfigPath : env("AUTOPASS_CONFIG");
  if (Cmd.Mode == CompilerMode::NoCodegen)
    return execReplacing(Plain);
  if (ConfigArg.empty()) {
    logNotApplied(Cmd, Compiler, "no configuration");
    return execReplacing(Plain);
  }
  // Only -O2/-O3/-Ofast compiles change: the configuration was tuned for
  // -O3, and a -O0 debug build must stay one. A link of objects is not
  // optimized, so it is checked whatever its -O flag.
  bool CompilesSources = !Cmd.Sources.empty();
  if (CompilesSources && !Cmd.optimizes()) {
    logNotApplied(Cmd, Compiler, "-O" + Cmd.OptLevel + " compile");
    return execReplacing(Plain);
  }
  if (Cmd.Mode == CompilerMode::Compile && !CompilesSources)
    return execReplacing(Plain);
  if (Launcher && !isClang(Compiler)) {
    std::fprintf(stderr,
                 "autopass-cc: warning: %s is not clang; building without the AutoPass "
                 "configuration (use clang %s as the compiler)\n",
                 Compiler.c_str(), "19");
    logNotApplied(Cmd, Compiler, Compiler + " is not clang");
    return execReplacing(Plain);
  }
  if (CompilesSources && (!Cmd.OtherInputs.empty() || Cmd.AnyLanguageFlag) &&
      Cmd.Mode == CompilerMode::Link) {
    std::fprintf(stderr,
                 "autopass-cc: warning: sources mixed with -x or other inputs on a link line; "
                 "building without the AutoPass configuration (compile with -c first)\n");
    return execReplacing(Plain);
  }
  if (Cmd.Mode == CompilerMode::Compile && !Cmd.OtherInputs.empty()) {
    std::fprintf(stderr,
                 "autopass-cc: warning: %s: not a C/C++ translation unit; building this "
                 "command without the AutoPass configuration\n",
                 Cmd.OtherInputs.front().Path.c_str());
    logNotApplied(Cmd, Compiler, "mixed with other inputs");
    return execReplacing(Plain);
  }

  std::string ConfigPath = absolutePath(ConfigArg);
  auto Config = CandidateConfig::load(ConfigPath);
  if (!Config) {
    std::fprintf(stderr, "autopass-cc: error: %s\n", Config.message().c_str());
    return 1;
  }
  auto Catalog = Install.loadCatalog();
  if (!Catalog) {
    std::fprintf(stderr, "autopass-cc: error: %s\n", Catalog.message().c_str());
    return 1;
  }
  // The tuner's one policy (knobs of the catalog, no file-writing passes).
  if (Status S = checkConfigAllowed(*Config, *Catalog); !S) {
    std::fprintf(stderr, "autopass-cc: error: %s: %s\n", ConfigPath.c_str(), S.message().c_str());
    return 1;
  }

  UnitCompileContext Ctx;
  Ctx.Compiler = Compiler;
  Ctx.Command = &Cmd;
  Ctx.Config = &*Config;
  Ctx.ConfigPath = ConfigPath;
  Ctx.Catalog = &*Catalog;
  Ctx.Install = &Install;
  Ctx.Verbose = !env("AUTOPASS_CC_VERBOSE").empty() && env("AUTOPASS_CC_VERBOSE") != "0";
  Ctx.ForceOpt = env("AUTOPASS_CC_FLOW") == "opt";
  Ctx.Color = ::isatty(2) != 0;

  if (Cmd.Mode == CompilerMode::Compile) {
    int Rc = compileStep(Ctx);
    return Rc < 0 ? execReplacing(Plain) : Rc;
  }
  return linkStep(Ctx, Rest);
}

} // namespace autopass
