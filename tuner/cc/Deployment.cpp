//===- cc/Deployment.cpp - How a build applies a configuration ------------===//
#include "cc/Deployment.hpp"

#include "search/ConfigPolicy.hpp"
#include "spec/ProgramSpec.hpp"
#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"

#include "llvm/Config/llvm-config.h"

#include <algorithm>
#include <sys/stat.h>

namespace autopass {

namespace {

/// Modification time in nanoseconds, 0 when the file cannot be read.
long long modificationTime(const std::string &Path) {
  struct stat St;
  if (::stat(Path.c_str(), &St) != 0)
    return 0;
  return static_cast<long long>(St.st_mtim.tv_sec) * 1000000000LL + St.st_mtim.tv_nsec;
}

std::string firstExisting(const std::vector<std::string> &Paths) {
  for (const std::string &P : Paths)
    if (pathExists(P) && !isDirectory(P))
      return P;
  return "";
}

Result<ResolvedConfig> resolveSpec(const std::string &SpecPath) {
  auto Spec = ProgramSpec::load(SpecPath);
  if (!Spec)
    return Spec.error();
  std::vector<std::string> Roots = {absolutePath("autopass-runs"),
                                    joinPath(Spec->Dir, "autopass-runs")};
  std::string Best;
  long long BestTime = -1;
  for (const std::string &Root : Roots) {
    auto Entries = listDirectory(Root);
    if (!Entries)
      continue;
    for (const std::string &E : *Entries) {
      if (!startsWith(E, Spec->Name + "-"))
        continue;
      std::string Found = firstExisting(bestConfigCandidates(joinPath(Root, E)));
      if (Found.empty())
        continue;
      long long T = modificationTime(Found);
      if (T > BestTime) {
        Best = Found;
        BestTime = T;
      }
    }
  }
  if (Best.empty())
    return makeError(SpecPath + ": no run directory " + Spec->Name +
                     "-* with a best configuration "
                     "under " +
                     join(Roots, " or ") +
                     "; pass the run directory or the "
                     "configuration file instead");
  return ResolvedConfig{Best, "the newest best configuration of program spec " + SpecPath};
}

std::string cmakeQuote(const std::string &S) {
  std::string Out = "\"";
  for (char C : S) {
    if (C == '"' || C == '\\' || C == '$')
      Out += '\\';
    Out += C;
  }
  return Out + "\"";
}

size_t hintCount(const CandidateConfig &C) {
  return C.Loops.size() + C.Functions.size() + C.Calls.size();
}

/// A pipeline, or knobs and pipelines per translation unit (`units`): no
/// clang flag applies them, autopass-cc does.
bool needsLauncher(const CandidateConfig &C) {
  return C.Pipeline || std::any_of(C.Units.begin(), C.Units.end(),
                                   [](const auto &U) { return !U.second.empty(); });
}

std::string launcherReason(const CandidateConfig &C) {
  return C.Pipeline ? "the configuration's pipeline" : "the configuration's per-unit settings";
}

std::string header(const CandidateConfig &C, const ResolvedConfig &Source) {
  std::string H = "# AutoPass configuration " + C.shortHash() + ": " + Source.Path + "\n";
  if (Source.From != "a configuration file")
    H += "# (" + Source.From + ")\n";
  H += "# " + std::to_string(C.Knobs.size()) + " knob(s), " + std::to_string(hintCount(C)) +
       " region hint(s), " + (C.Pipeline ? "a pipeline" : "no pipeline") +
       (C.Units.empty() ? std::string()
                        : ", " + std::to_string(C.Units.size()) + " unit(s) with their own settings") +
       "; tuned for -O3 builds with LLVM " + std::to_string(LLVM_VERSION_MAJOR) + "'s clang.\n";
  return H;
}

/// -fpass-plugin (when there are hints) and the knobs as -mllvm.
std::vector<std::string> clangFlags(const CandidateConfig &C, const KnobCatalog &Catalog,
                                    const DeploymentTools &Tools) {
  std::vector<std::string> Flags;
  if (C.hasHints())
    Flags.push_back("-fpass-plugin=" + Tools.Plugin);
  for (const std::string &A : Catalog.commandLineArgs(C, KnobTool::Both))
    Flags.push_back(A);
  return Flags;
}

std::string autopassCxx(const DeploymentTools &Tools) {
  return joinPath(parentPath(Tools.AutopassCc), "autopass-c++");
}

std::string renderClang(const CandidateConfig &C, const ResolvedConfig &Source,
                        const KnobCatalog &Catalog, const DeploymentTools &Tools) {
  std::string Out = header(C, Source);
  std::string Clang = joinPath(Tools.LlvmBinDir, "clang");
  if (needsLauncher(C)) {
    Out += "# clang cannot apply " + launcherReason(C) + ": build through autopass-cc,\n"
           "# which runs the front end, opt with each unit's pipeline and knobs, then code\n"
           "# generation.\n";
    Out +=
        "AUTOPASS_CC=" +
        shellQuote(shellQuote(Tools.AutopassCc) + " --autopass-config=" + shellQuote(Source.Path)) +
        "\n";
    Out += "AUTOPASS_CXX=" +
           shellQuote(shellQuote(autopassCxx(Tools)) +
                      " --autopass-config=" + shellQuote(Source.Path)) +
           "\n";
    Out += "AUTOPASS_CFLAGS=-O3\n";
    Out += "# use: $AUTOPASS_CC $AUTOPASS_CFLAGS -c file.c -o file.o  (or CC=\"$AUTOPASS_CC\")\n";
    return Out;
  }
  std::vector<std::string> Flags = {"-O3"};
  for (const std::string &F : clangFlags(C, Catalog, Tools))
    Flags.push_back(F);
  if (C.hasHints()) {
    Out += "# The plugin reads the region hints from AUTOPASS_CONFIG.\n";
    Out += "export AUTOPASS_CONFIG=" + shellQuote(Source.Path) + "\n";
  }
  Out += "AUTOPASS_CFLAGS=" + shellQuote(shellJoin(Flags)) + "\n";
  Out += "# use: " + shellQuote(Clang) + " $AUTOPASS_CFLAGS -c file.c -o file.o\n";
  if (C.hasHints())
    Out += "# (autopass-cc --autopass-config=FILE does the same and reports hints that\n"
           "# match no function of the program once, at link.)\n";
  return Out;
}

std::string renderCMake(const CandidateConfig &C, const ResolvedConfig &Source,
                        const KnobCatalog &Catalog, const DeploymentTools &Tools) {
  std::string Out = header(C, Source);
  Out += "# Put this before the targets are defined (launchers are read when a target is\n"
         "# created), or pass the same settings on the cmake command line:\n"
         "#   cmake -DCMAKE_C_COMPILER=" +
         joinPath(Tools.LlvmBinDir, "clang") +
         " -DCMAKE_CXX_COMPILER=" + joinPath(Tools.LlvmBinDir, "clang++") +
         " \\\n#     \"-DCMAKE_C_COMPILER_LAUNCHER=" + Tools.AutopassCc +
         ";--autopass-config=" + Source.Path +
         "\" ...\n"
         "# With find_package(AutoPass): autopass_use_config(TARGET " +
         Source.Path + ")\n";
  Out += "set(AUTOPASS_CONFIG_FILE " + cmakeQuote(Source.Path) + ")\n";
  Out += "set(AUTOPASS_LAUNCHER " + cmakeQuote(Tools.AutopassCc) +
         " \"--autopass-config=${AUTOPASS_CONFIG_FILE}\")\n";
  Out += "set(CMAKE_C_COMPILER_LAUNCHER ${AUTOPASS_LAUNCHER})\n"
         "set(CMAKE_CXX_COMPILER_LAUNCHER ${AUTOPASS_LAUNCHER})\n"
         "# Link steps through autopass-cc report hints that matched in no unit.\n"
         "set(CMAKE_C_LINKER_LAUNCHER ${AUTOPASS_LAUNCHER})\n"
         "set(CMAKE_CXX_LINKER_LAUNCHER ${AUTOPASS_LAUNCHER})\n";
  if (!needsLauncher(C) && (C.hasHints() || !C.Knobs.empty())) {
    Out += "# Alternative without autopass-cc (no link-time report):\n";
    std::vector<std::string> Opts;
    for (const std::string &F : clangFlags(C, Catalog, Tools))
      Opts.push_back(F);
    std::string Line = "#   add_compile_options(";
    for (size_t I = 0; I < Opts.size(); ++I) {
      if (Opts[I] == "-mllvm" && I + 1 < Opts.size()) {
        Line += " \"SHELL:-mllvm " + Opts[I + 1] + "\"";
        ++I;
      } else {
        Line += " " + cmakeQuote(Opts[I]);
      }
    }
    Out += Line + " )\n";
    if (C.hasHints())
      Out += "#   set(CMAKE_C_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env "
             "\"AUTOPASS_CONFIG=${AUTOPASS_CONFIG_FILE}\")\n"
             "#   set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_C_COMPILER_LAUNCHER})\n";
  }
  return Out;
}

std::string renderMake(const CandidateConfig &C, const ResolvedConfig &Source,
                       const KnobCatalog &Catalog, const DeploymentTools &Tools) {
  std::string Out = header(C, Source);
  std::string Launch = Tools.AutopassCc + " --autopass-config=" + Source.Path;
  std::string LaunchCxx = autopassCxx(Tools) + " --autopass-config=" + Source.Path;
  if (needsLauncher(C)) {
    Out += "# clang cannot apply " + launcherReason(C) + ": compile and link through\n"
           "# autopass-cc (it runs LLVM's clang, opt, then clang's code generation).\n";
    Out += "CC := " + Launch + "\nCXX := " + LaunchCxx + "\n";
    Out += "CFLAGS += -O3\nCXXFLAGS += -O3\n";
    return Out;
  }
  Out += "CC := " + joinPath(Tools.LlvmBinDir, "clang") + "\n";
  Out += "CXX := " + joinPath(Tools.LlvmBinDir, "clang++") + "\n";
  std::vector<std::string> Flags = clangFlags(C, Catalog, Tools);
  Out += "AUTOPASS_FLAGS := " + join(Flags, " ") + "\n";
  Out += "CFLAGS += -O3 $(AUTOPASS_FLAGS)\nCXXFLAGS += -O3 $(AUTOPASS_FLAGS)\n";
  if (C.hasHints())
    Out += "# The plugin reads the region hints from AUTOPASS_CONFIG.\n"
           "export AUTOPASS_CONFIG := " +
           Source.Path + "\n";
  Out += "# Or, with a link-time report of hints that matched nothing:\n"
         "#   CC := " +
         Launch + "\n#   CXX := " + LaunchCxx + "\n";
  return Out;
}

} // namespace

std::optional<EmitFormat> parseEmitFormat(std::string_view Name) {
  if (Name == "clang")
    return EmitFormat::Clang;
  if (Name == "cmake")
    return EmitFormat::CMake;
  if (Name == "make")
    return EmitFormat::Make;
  return std::nullopt;
}

std::vector<std::string> bestConfigCandidates(const std::string &RunDir) {
  return {joinPath(RunDir, "best-config.json"), joinPath(RunDir, "results/best-config.json")};
}

Result<ResolvedConfig> resolveConfigInput(const std::string &Input) {
  std::string Path = absolutePath(Input);
  if (isDirectory(Path)) {
    std::vector<std::string> Tried = bestConfigCandidates(Path);
    std::string Found = firstExisting(Tried);
    if (Found.empty())
      return makeError(Path + ": no best configuration in this run directory (looked for " +
                       join(Tried, " and ") +
                       "); a tuning run writes one only when it confirmed a win over -O3");
    return ResolvedConfig{Found, "the best configuration of run directory " + Path};
  }
  if (!pathExists(Path))
    return makeError(Path + ": no such file or directory (expected a configuration file, a run "
                            "directory or a program spec)");
  auto Doc = parseJsonFile(Path);
  if (!Doc)
    return Doc.error();
  std::string Schema;
  if ((*Doc)->IsObject()) {
    auto It = (*Doc)->FindMember("schema");
    if (It != (*Doc)->MemberEnd() && It->value.IsString())
      Schema = It->value.GetString();
  }
  if (Schema == "autopass-config/1")
    return ResolvedConfig{Path, "a configuration file"};
  if (Schema == "autopass-program/1")
    return resolveSpec(Path);
  return makeError(Path +
                   ": field schema: expected \"autopass-config/1\" (a configuration) or "
                   "\"autopass-program/1\" (a program spec), got " +
                   (Schema.empty() ? std::string("none") : "\"" + Schema + "\""));
}

Result<std::string> renderDeployment(const CandidateConfig &Config, const ResolvedConfig &Source,
                                     const KnobCatalog &Catalog, const DeploymentTools &Tools,
                                     EmitFormat Format, bool FlagsOnly) {
  if (Status S = checkConfigAllowed(Config, Catalog); !S)
    return makeError(Source.Path + ": " + S.message());
  if (Config.hasHints() && Tools.Plugin.empty() && !Config.Pipeline)
    return makeError(Source.Path + ": the configuration has region hints, which need the "
                                   "AutoPass plugin, and none was found (set AUTOPASS_PLUGIN)");
  if (FlagsOnly) {
    if (Format != EmitFormat::Clang)
      return makeError("--flags-only goes with --format clang");
    if (needsLauncher(Config))
      return makeError(Source.Path + ": the configuration has " +
                       (Config.Pipeline ? "a pipeline" : "per-unit settings (units)") +
                       ", which no clang flag applies; build through autopass-cc (emit without "
                       "--flags-only shows how)");
    std::vector<std::string> Flags = {"-O3"};
    for (const std::string &F : clangFlags(Config, Catalog, Tools))
      Flags.push_back(F);
    return shellJoin(Flags) + "\n";
  }
  switch (Format) {
  case EmitFormat::Clang:
    return renderClang(Config, Source, Catalog, Tools);
  case EmitFormat::CMake:
    return renderCMake(Config, Source, Catalog, Tools);
  case EmitFormat::Make:
    return renderMake(Config, Source, Catalog, Tools);
  }
  return makeError("unknown format");
}

} // namespace autopass
