//===- toolchain/Builder.cpp - Baseline and candidate builds --------------===//
//
// Cache keys. A translation unit's key covers the tool versions, the flags,
// and the bytes of the source and of every header it includes (the list of
// headers comes from the compiler's own -MD output, remembered in a manifest
// per source, so an edited header is never served stale). The candidate
// object's key adds the config's content hash, the relocation model and the
// plugin's hash; the binary's key covers its objects and the link flags.
//
//===----------------------------------------------------------------------===//
#include "toolchain/Builder.hpp"

#include "toolchain/BuildStep.hpp"
#include "toolchain/ProjectBuilder.hpp"

#include "store/BuildCache.hpp"
#include "toolchain/ClangQueries.hpp"
#include "toolchain/ToolOptionIndex.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"
#include "util/Time.hpp"

#include <algorithm>
#include <map>

namespace autopass {

namespace {


/// What Builder::Impl::recipeFor prepares for one unit's configuration.
struct UnitRecipe {
  std::vector<std::string> OptKnobs, CodegenKnobs;
  std::string ConfigPath;
  bool NeedsPlugin = false;
  std::string Pipeline;
};

/// One cached step: its key, its entry directory and the commands it ran.
struct Step {
  std::string Key;
  std::string Dir;
  std::vector<std::string> Commands;
  bool Hit = false; // served from the cache
  std::string Warnings; // what opt and code generation printed (kept in the entry)
};

constexpr const char *HintReport = "autopass-report.json";

/// The plugin says, per unit, which hints matched nothing there; a hint for
/// a function of another unit matches nothing in this one. Only a hint that
/// matched nothing in every unit matched nothing in the program.
std::vector<std::string> unmatchedHints(const std::vector<std::string> &ReportPaths) {
  std::map<std::string, std::pair<size_t, std::string>> Seen; // "kind name" -> count, reason
  for (const std::string &Path : ReportPaths) {
    auto Doc = parseJsonFile(Path);
    if (!Doc || !(*Doc)->IsObject() || !(*Doc)->HasMember("unmatched") ||
        !(**Doc)["unmatched"].IsArray())
      return {"cannot read the plugin's hint report " + Path +
              (Doc ? std::string(": no unmatched list") : ": " + Doc.message())};
    for (const auto &U : (**Doc)["unmatched"].GetArray()) {
      if (!U.IsObject())
        continue;
      auto text = [&](const char *K) {
        return U.HasMember(K) && U[K].IsString() ? std::string(U[K].GetString()) : "";
      };
      auto &[Count, Reason] = Seen[text("kind") + " hint '" + text("name") + "'"];
      ++Count;
      if (Reason.empty())
        Reason = text("reason");
    }
  }
  std::vector<std::string> Out;
  for (const auto &[Hint, Found] : Seen)
    if (Found.first == ReportPaths.size())
      Out.push_back(Hint + " matched nothing" +
                    (ReportPaths.size() > 1 ? " in any translation unit" : "") + ": " +
                    Found.second);
  return Out;
}

/// Warning lines of the tools other than the plugin's per-unit "matched
/// nothing" (unmatchedHints judges those for the whole program).
void addToolWarnings(const std::string &Text, std::vector<std::string> &Out) {
  for (const std::string &Line : split(Text, '\n'))
    if (Line.find("warning:") != std::string::npos &&
        Line.find("' matched nothing: ") == std::string::npos &&
        std::find(Out.begin(), Out.end(), Line) == Out.end())
      Out.push_back(Line);
}

} // namespace

struct Builder::Impl {
  const ProgramSpec &Spec;
  const Toolchain &Tools;
  const ToolOptionIndex &Options;
  BuildCache &Cache;
  std::vector<std::unique_ptr<std::mutex>> TuLocks;
  std::once_flag RelocOnce;
  std::string RelocModel;
  std::string RelocError;

  Impl(const ProgramSpec &Spec, const Toolchain &Tools, const ToolOptionIndex &Options,
       BuildCache &Cache)
      : Spec(Spec), Tools(Tools), Options(Options), Cache(Cache) {
    for (size_t I = 0; I < Spec.Sources.size(); ++I)
      TuLocks.push_back(std::make_unique<std::mutex>());
  }

  std::vector<std::string> sharedCompileFlags() const {
    std::vector<std::string> F = {"-O3"};
    for (const std::string &Flag : Spec.targetFlags())
      F.push_back(Flag);
    F.insert(F.end(), Spec.CompileFlags.begin(), Spec.CompileFlags.end());
    return F;
  }

  // The commands of the candidate flow. The build and rebuildCommands()
  // share them, so the recorded commands are the ones that ran.
  std::vector<std::string> frontendArgv(const std::string &Src, const std::string &Out) const {
    std::vector<std::string> Argv = {Tools.Clang};
    auto Flags = sharedCompileFlags();
    Argv.insert(Argv.end(), Flags.begin(), Flags.end());
    Argv.insert(Argv.end(), {"-Xclang", "-disable-llvm-passes", "-emit-llvm", "-c", Src, "-o", Out});
    return Argv;
  }

  /// Pipeline is pipelineFor()'s; with the plugin, the element's report
  /// goes to Report.
  std::vector<std::string> optArgv(const std::string &Pipeline, bool NeedsPlugin,
                                   const std::string &ConfigPath, const std::string &Report,
                                   const std::vector<std::string> &OptKnobs,
                                   const std::string &In, const std::string &Out) const {
    std::vector<std::string> Argv = {Tools.Opt, "-relocation-model=" + RelocModel};
    if (NeedsPlugin)
      Argv.push_back("-load-pass-plugin=" + Tools.Plugin);
    std::string Pipe = Pipeline;
    if (NeedsPlugin)
      Pipe = "autopass<config=" + ConfigPath + ";report=" + Report + ">" +
             Pipeline.substr(Pipeline.find('>') + 1);
    Argv.push_back("-passes=" + Pipe);
    Argv.insert(Argv.end(), OptKnobs.begin(), OptKnobs.end());
    Argv.insert(Argv.end(), {In, "-o", Out});
    return Argv;
  }

  std::vector<std::string> codegenArgv(const std::string &In,
                                       const std::vector<std::string> &CodegenKnobs,
                                       const std::string &Out) const {
    std::vector<std::string> Argv = {Tools.Clang};
    auto Flags = sharedCompileFlags();
    Argv.insert(Argv.end(), Flags.begin(), Flags.end());
    // Front-end flags (-D, -I, -std=) mean nothing for bitcode input, but
    // flags such as -ffast-math also set code generation options, so all
    // shared flags are passed and the "unused" warnings silenced.
    Argv.insert(Argv.end(), {"-Wno-unused-command-line-argument", "-c", In, "-Xclang",
                             "-disable-llvm-passes"});
    for (const auto &K : CodegenKnobs)
      Argv.insert(Argv.end(), {"-mllvm", K});
    Argv.insert(Argv.end(), {"-o", Out});
    return Argv;
  }

  std::vector<std::string> linkArgv(const std::vector<std::string> &Objects,
                                    const std::string &Out) const {
    std::vector<std::string> Argv = {Spec.hasCxx() ? Tools.ClangXX : Tools.Clang, "-O3"};
    for (const std::string &Flag : Spec.targetFlags())
      Argv.push_back(Flag);
    Argv.insert(Argv.end(), Objects.begin(), Objects.end());
    Argv.insert(Argv.end(), Spec.LinkFlags.begin(), Spec.LinkFlags.end());
    Argv.insert(Argv.end(), {"-o", Out});
    return Argv;
  }

  /// Runs one tool in WorkDir, a directory of the run's cache; clang
  /// resolves the spec's relative paths in the spec's directory. What the
  /// tool printed is appended to Warnings when given.
  Status runTool(const std::vector<std::string> &Argv, const std::string &WorkDir,
                 std::vector<std::string> &Commands, std::string *Warnings = nullptr) {
    auto R = runBuildStep(Argv, Spec.Dir, WorkDir, Commands);
    if (!R)
      return R.error();
    if (Warnings)
      *Warnings += *R;
    return success();
  }

  /// The relocation model clang uses for these flags (Debian's clang builds
  /// PIE by default). opt must be told: its default (static) changes cost
  /// decisions such as unrolling (see docs/measurement.md).
  Status detectRelocationModel() {
    std::call_once(RelocOnce, [&] {
      if (Status S = makeDirectories(Cache.tmpRoot()); !S) {
        RelocError = S.message();
        return;
      }
      RelocationModelQuery Q = queryRelocationModel(Tools.Clang, Spec.Dir, Cache.tmpRoot(),
                                                    Spec.Sources.front(), sharedCompileFlags());
      if (!Q.succeeded()) {
        const auto &R = Q.Run;
        RelocError = "cannot query clang's relocation model: " +
                     (R ? R->describe() + "\n" + logExcerpt(R->Stderr) : R.message());
        return;
      }
      RelocModel = Q.model();
    });
    if (!RelocError.empty())
      return makeError(RelocError);
    return success();
  }

  /// Compiles one translation unit (an -O3 object for the baseline, or
  /// front-end bitcode for candidates), cached by source and header bytes.
  Result<Step> compileUnit(size_t Index, bool Frontend) {
    std::lock_guard<std::mutex> Guard(*TuLocks[Index]);
    const std::string &Src = Spec.Sources[Index];
    auto Flags = sharedCompileFlags();
    Hasher H0;
    H0.add("kind", Frontend ? "frontend-bc" : "baseline-o")
        .add("tools", Tools.versionKey())
        .add("source", Src)
        .add("flags", join(Flags, "\x1f"));
    std::string ManifestKey = H0.hexDigest();
    std::string ManifestPath = joinPath(joinPath(Cache.root(), "manifests"), ManifestKey);

    auto keyFromDeps = [&](const std::vector<std::string> &Deps) -> Result<std::string> {
      Hasher H;
      H.add("manifest", ManifestKey);
      for (const auto &D : Deps) {
        H.add("dep", D);
        if (Status S = H.addFile("bytes", D); !S)
          return S.error();
      }
      return H.hexDigest();
    };

    if (auto Manifest = readFile(ManifestPath)) {
      std::vector<std::string> Deps;
      for (const auto &L : split(*Manifest, '\n'))
        if (!L.empty())
          Deps.push_back(L);
      auto Key = keyFromDeps(Deps);
      if (Key && Cache.contains(*Key)) {
        Step S{*Key, Cache.entryPath(*Key), {}, false, {}};
        if (auto Cmd = readFile(joinPath(S.Dir, "commands.txt")))
          for (const auto &L : split(*Cmd, '\n'))
            if (!L.empty())
              S.Commands.push_back(L);
        return S;
      }
    }

    auto Tmp = makeTempDirectory(Cache.tmpRoot(), "tu-");
    if (!Tmp)
      return Tmp.error();
    std::string Out = joinPath(*Tmp, Frontend ? "unit.bc" : "unit.o");
    std::string DepFile = joinPath(*Tmp, "deps.d");
    std::vector<std::string> Argv = {Tools.Clang};
    if (Frontend) {
      Argv = frontendArgv(Src, Out);
    } else {
      Argv.insert(Argv.end(), Flags.begin(), Flags.end());
      Argv.insert(Argv.end(), {"-c", Src, "-o", Out});
    }
    Argv.insert(Argv.end(), {"-MD", "-MF", DepFile});
    Step S;
    if (Status St = runTool(Argv, *Tmp, S.Commands); !St) {
      (void)removeAll(*Tmp);
      return St.error();
    }
    auto DepText = readFile(DepFile);
    if (!DepText) {
      (void)removeAll(*Tmp);
      return DepText.error();
    }
    std::vector<std::string> Deps;
    for (const auto &D : parseMakeDependencies(*DepText))
      Deps.push_back(absolutePath(D, Spec.Dir));
    auto Key = keyFromDeps(Deps);
    if (!Key) {
      (void)removeAll(*Tmp);
      return Key.error();
    }
    (void)writeFile(joinPath(*Tmp, "commands.txt"), join(S.Commands, "\n") + "\n");
    if (Status M = makeDirectories(parentPath(ManifestPath)); !M)
      return M.error();
    if (Status W = writeFileAtomically(ManifestPath, join(Deps, "\n") + "\n"); !W)
      return W.error();
    auto Dir = Cache.publish(*Key, *Tmp);
    if (!Dir)
      return Dir.error();
    S.Key = *Key;
    S.Dir = *Dir;
    return S;
  }

  /// opt + code generation of one unit for one config.
  Result<Step> optimizeUnit(const Step &Frontend, const CandidateConfig &Config,
                            const std::string &ConfigPath, bool NeedsPlugin,
                            const std::string &Pipeline, const std::vector<std::string> &OptKnobs,
                            const std::vector<std::string> &CodegenKnobs) {
    Hasher H;
    H.add("kind", "candidate-o")
        .add("frontend", Frontend.Key)
        .add("config", Config.contentHash())
        .add("reloc", RelocModel)
        .add("tools", Tools.versionKey())
        .add("flags", join(sharedCompileFlags(), "\x1f"))
        .add("plugin", NeedsPlugin ? Tools.PluginHash : "");
    std::string Key = H.hexDigest();
    if (Cache.contains(Key)) {
      Step S{Key, Cache.entryPath(Key), {}, false, {}};
      if (auto Cmd = readFile(joinPath(S.Dir, "commands.txt")))
        for (const auto &L : split(*Cmd, '\n'))
          if (!L.empty())
            S.Commands.push_back(L);
      if (auto Warnings = readFile(joinPath(S.Dir, "warnings.txt")))
        S.Warnings = *Warnings;
      return S;
    }
    auto Tmp = makeTempDirectory(Cache.tmpRoot(), "opt-");
    if (!Tmp)
      return Tmp.error();
    Step S;
    std::string OptBc = joinPath(*Tmp, "opt.bc");
    // The element's report lands next to the unit's outputs.
    std::vector<std::string> OptArgv =
        optArgv(Pipeline, NeedsPlugin, ConfigPath, joinPath(*Tmp, HintReport), OptKnobs,
                joinPath(Frontend.Dir, "unit.bc"), OptBc);
    if (Status St = runTool(OptArgv, *Tmp, S.Commands, &S.Warnings); !St) {
      (void)removeAll(*Tmp);
      return St.error();
    }
    std::vector<std::string> CgArgv = codegenArgv(OptBc, CodegenKnobs, joinPath(*Tmp, "unit.o"));
    if (Status St = runTool(CgArgv, *Tmp, S.Commands, &S.Warnings); !St) {
      (void)removeAll(*Tmp);
      return St.error();
    }
    (void)writeFile(joinPath(*Tmp, "commands.txt"), join(S.Commands, "\n") + "\n");
    (void)writeFile(joinPath(*Tmp, "warnings.txt"), S.Warnings);
    auto Dir = Cache.publish(Key, *Tmp);
    if (!Dir)
      return Dir.error();
    S.Key = Key;
    S.Dir = *Dir;
    return S;
  }

  Result<Step> link(const std::vector<Step> &Objects) {
    Hasher H;
    H.add("kind", "link").add("tools", Tools.versionKey());
    for (const auto &O : Objects)
      H.add("object", O.Key);
    H.add("target", join(Spec.targetFlags(), "\x1f")).add("link", join(Spec.LinkFlags, "\x1f"));
    H.add("cxx", Spec.hasCxx() ? "1" : "0");
    std::string Key = H.hexDigest();
    Step S;
    for (const auto &O : Objects)
      S.Commands.insert(S.Commands.end(), O.Commands.begin(), O.Commands.end());
    if (Cache.contains(Key)) {
      S.Key = Key;
      S.Dir = Cache.entryPath(Key);
      S.Hit = true;
      if (auto Cmd = readFile(joinPath(S.Dir, "commands.txt")))
        S.Commands.push_back(std::string(trim(*Cmd)));
      return S;
    }
    auto Tmp = makeTempDirectory(Cache.tmpRoot(), "link-");
    if (!Tmp)
      return Tmp.error();
    std::vector<std::string> ObjectFiles;
    for (const auto &O : Objects)
      ObjectFiles.push_back(joinPath(O.Dir, "unit.o"));
    std::vector<std::string> Argv = linkArgv(ObjectFiles, joinPath(*Tmp, Spec.Name));
    std::vector<std::string> LinkCmd;
    if (Status St = runTool(Argv, *Tmp, LinkCmd); !St) {
      (void)removeAll(*Tmp);
      return St.error();
    }
    (void)writeFile(joinPath(*Tmp, "commands.txt"), LinkCmd.front() + "\n");
    auto Dir = Cache.publish(Key, *Tmp);
    if (!Dir)
      return Dir.error();
    S.Key = Key;
    S.Dir = *Dir;
    S.Commands.push_back(LinkCmd.front());
    return S;
  }

  /// How one configuration reaches opt and code generation: knobs per
  /// tool, the pipeline, the config file the plugin element reads. An
  /// Invalid result when a knob is unknown or hints lack the plugin.
  std::optional<BuildResult> recipeFor(const CandidateConfig &Config, UnitRecipe &R) {
    if (Status S = placeKnobs(Config, Tools, Options, R.OptKnobs, R.CodegenKnobs); !S) {
      BuildResult Invalid;
      Invalid.State = BuildResult::Outcome::Invalid;
      Invalid.Log = S.message();
      return Invalid;
    }
    // The config file the plugin element reads, content-addressed.
    R.ConfigPath = joinPath(joinPath(Cache.root(), "configs"), Config.contentHash() + ".json");
    R.Pipeline = pipelineFor(Config, R.ConfigPath, R.NeedsPlugin);
    if (!R.NeedsPlugin)
      return std::nullopt;
    BuildResult Failed;
    if (Tools.Plugin.empty()) {
      Failed.State = BuildResult::Outcome::Invalid;
      Failed.Log = "the config has region hints, which need the AutoPass plugin, but no plugin "
                   "was found (set AUTOPASS_PLUGIN)";
      return Failed;
    }
    if (pathExists(R.ConfigPath))
      return std::nullopt;
    Status S = makeDirectories(parentPath(R.ConfigPath));
    if (S)
      S = writeFileAtomically(R.ConfigPath, Config.toJson(true));
    if (S)
      return std::nullopt;
    Failed.Log = S.message();
    return Failed;
  }

  BuildResult finish(Result<Step> Linked, double Start) {
    BuildResult R;
    R.Seconds = monotonicSeconds() - Start;
    if (!Linked) {
      R.State = BuildResult::Outcome::Failed;
      R.Log = Linked.message();
      return R;
    }
    R.State = BuildResult::Outcome::Ok;
    R.ContentHash = Linked->Key;
    R.BinaryPath = joinPath(Linked->Dir, Spec.Name);
    R.Commands = Linked->Commands;
    R.Cached = Linked->Hit;
    auto Digest = fileSha256(R.BinaryPath);
    if (!Digest) {
      R.State = BuildResult::Outcome::Failed;
      R.Log = Digest.message();
      return R;
    }
    R.BinaryHash = *Digest;
    return R;
  }
};

CandidateBuilder::~CandidateBuilder() = default;

std::unique_ptr<CandidateBuilder> makeCandidateBuilder(const ProgramSpec &Spec,
                                                       const Toolchain &Tools,
                                                       const ToolOptionIndex &Options,
                                                       BuildCache &Cache) {
  if (Spec.isProject())
    return std::make_unique<ProjectBuilder>(Spec, Tools, Options, Cache);
  return std::make_unique<Builder>(Spec, Tools, Options, Cache);
}

Status placeKnobs(const CandidateConfig &Config, const Toolchain &Tools,
                  const ToolOptionIndex &Options, std::vector<std::string> &Opt,
                  std::vector<std::string> &Codegen) {
  for (const auto &[Name, Value] : Config.Knobs) {
    std::string Arg = "-" + Name + "=" + knobValueText(Value);
    switch (Options.place(Name)) {
    case KnobPlacement::None:
      return makeError("knob \"" + Name + "\" is not an option of " + Tools.Opt + " or " +
                       Tools.Llc + " (" + Tools.OptVersion + "); not passed");
    case KnobPlacement::Opt:
      Opt.push_back(Arg);
      break;
    case KnobPlacement::Codegen:
      Codegen.push_back(Arg);
      break;
    case KnobPlacement::Both:
      // Same meaning as clang -mllvm, which sets the option for both the
      // optimizer and the code generator.
      Opt.push_back(Arg);
      Codegen.push_back(Arg);
      break;
    }
  }
  return success();
}

Builder::Builder(const ProgramSpec &Spec, const Toolchain &Tools, const ToolOptionIndex &Options,
                 BuildCache &Cache)
    : P(std::make_unique<Impl>(Spec, Tools, Options, Cache)) {}

Builder::~Builder() = default;

std::string Builder::pipelineFor(const CandidateConfig &Config, const std::string &ConfigPath,
                                 bool &NeedsPlugin) {
  // clang's O3 pipeline starts with assignment tracking (a no-op without
  // debug info); opt's default<O3> does not, so it is added for fidelity.
  const std::string Default = "function(declare-to-assign),default<O3>";
  NeedsPlugin = Config.hasHints();
  if (!NeedsPlugin)
    return Config.Pipeline ? *Config.Pipeline : Default;
  // The element applies the hints, then runs the config's pipeline itself
  // when it has one (docs/config-format.md), else the default follows it.
  std::string Element = "autopass<config=" + ConfigPath + ">";
  return Config.Pipeline ? Element : Element + "," + Default;
}

BuildResult Builder::buildBaseline() {
  double Start = monotonicSeconds();
  std::vector<Step> Objects(P->Spec.Sources.size());
  for (size_t I = 0; I < Objects.size(); ++I) {
    auto S = P->compileUnit(I, /*Frontend=*/false);
    if (!S)
      return P->finish(S.error(), Start);
    Objects[I] = std::move(*S);
  }
  return P->finish(P->link(Objects), Start);
}

BuildResult Builder::buildCandidate(const CandidateConfig &Config) {
  double Start = monotonicSeconds();
  if (Status S = P->detectRelocationModel(); !S)
    return P->finish(S.error(), Start);

  std::vector<Step> Objects(P->Spec.Sources.size());
  bool NeedsPlugin = false;
  for (size_t I = 0; I < Objects.size(); ++I) {
    // A `units` entry gives this unit its own knobs and pipeline; the
    // object's cache key covers the unit's configuration only.
    CandidateConfig ForUnit = Config.forUnit(P->Spec.Sources[I]);
    UnitRecipe R;
    if (auto Bad = P->recipeFor(ForUnit, R)) {
      Bad->Seconds = monotonicSeconds() - Start;
      return *Bad;
    }
    NeedsPlugin |= R.NeedsPlugin;
    auto Fe = P->compileUnit(I, /*Frontend=*/true);
    if (!Fe)
      return P->finish(Fe.error(), Start);
    auto Obj = P->optimizeUnit(*Fe, ForUnit, R.ConfigPath, R.NeedsPlugin, R.Pipeline,
                               R.OptKnobs, R.CodegenKnobs);
    if (!Obj)
      return P->finish(Obj.error(), Start);
    Obj->Commands.insert(Obj->Commands.begin(), Fe->Commands.begin(), Fe->Commands.end());
    Objects[I] = std::move(*Obj);
  }
  BuildResult R = P->finish(P->link(Objects), Start);
  if (!R.ok())
    return R;
  std::vector<std::string> Reports;
  for (const Step &O : Objects) {
    addToolWarnings(O.Warnings, R.Warnings);
    Reports.push_back(joinPath(O.Dir, HintReport));
  }
  if (NeedsPlugin) {
    std::vector<std::string> Unmatched = unmatchedHints(Reports);
    R.Warnings.insert(R.Warnings.begin(), Unmatched.begin(), Unmatched.end());
  }
  return R;
}

Result<std::vector<std::string>> Builder::rebuildCommands(const CandidateConfig &Config,
                                                         const std::string &ConfigPath,
                                                         const std::string &OutDir) {
  if (Status S = P->detectRelocationModel(); !S)
    return S.error();
  // Shown as the build runs them: clang with the spec's directory.
  auto shown = [&](const std::vector<std::string> &Argv) {
    return shellJoin(withSourceDirectory(Argv, P->Spec.Dir));
  };
  std::vector<std::string> Commands = {shellJoin({"mkdir", "-p", OutDir})};
  std::vector<std::string> Objects;
  const std::string Global = Config.forUnit("").contentHash();
  for (size_t I = 0; I < P->Spec.Sources.size(); ++I) {
    std::string Unit = joinPath(OutDir, "unit" + std::to_string(I));
    CandidateConfig ForUnit = Config.forUnit(P->Spec.Sources[I]);
    std::vector<std::string> OptKnobs, CodegenKnobs;
    if (Status S = placeKnobs(ForUnit, P->Tools, P->Options, OptKnobs, CodegenKnobs); !S)
      return S.error();
    // The plugin applies no `units`: a unit with its own entry reads its
    // own configuration, written by the commands.
    std::string UnitConfigPath = ConfigPath;
    if (ForUnit.contentHash() != Global) {
      UnitConfigPath = Unit + ".config.json";
      Commands.push_back("printf '%s' " + shellQuote(ForUnit.toJson()) + " > " +
                         shellQuote(UnitConfigPath));
    }
    bool NeedsPlugin = false;
    std::string Pipeline = pipelineFor(ForUnit, UnitConfigPath, NeedsPlugin);
    Commands.push_back(shown(P->frontendArgv(P->Spec.Sources[I], Unit + ".bc")));
    Commands.push_back(shown(P->optArgv(Pipeline, NeedsPlugin, UnitConfigPath,
                                        Unit + ".autopass-report.json", OptKnobs, Unit + ".bc",
                                        Unit + ".opt.bc")));
    Commands.push_back(shown(P->codegenArgv(Unit + ".opt.bc", CodegenKnobs, Unit + ".o")));
    Objects.push_back(Unit + ".o");
  }
  Commands.push_back(shown(P->linkArgv(Objects, joinPath(OutDir, P->Spec.Name))));
  return Commands;
}

} // namespace autopass
