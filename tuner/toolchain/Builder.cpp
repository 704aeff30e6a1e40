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

#include "store/BuildCache.hpp"
#include "toolchain/ClangQueries.hpp"
#include "toolchain/ToolOptionIndex.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"
#include "util/Time.hpp"

namespace autopass {

namespace {


/// One cached step: its key, its entry directory and the commands it ran.
struct Step {
  std::string Key;
  std::string Dir;
  std::vector<std::string> Commands;
  bool Hit = false; // served from the cache
};

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
    F.insert(F.end(), Spec.TargetFlags.begin(), Spec.TargetFlags.end());
    F.insert(F.end(), Spec.CompileFlags.begin(), Spec.CompileFlags.end());
    return F;
  }

  /// Runs one tool in the spec's directory (relative -I/-L paths work).
  Status runTool(const std::vector<std::string> &Argv, std::vector<std::string> &Commands) {
    auto R = runBuildStep(Argv, Spec.Dir, Commands);
    if (!R)
      return R.error();
    return success();
  }

  /// The relocation model clang uses for these flags (Debian's clang builds
  /// PIE by default). opt must be told: its default (static) changes cost
  /// decisions such as unrolling (see docs/measurement.md).
  Status detectRelocationModel() {
    std::call_once(RelocOnce, [&] {
      RelocationModelQuery Q =
          queryRelocationModel(Tools.Clang, Spec.Dir, Spec.Sources.front(), sharedCompileFlags());
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
        Step S{*Key, Cache.entryPath(*Key), {}};
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
    Argv.insert(Argv.end(), Flags.begin(), Flags.end());
    if (Frontend)
      Argv.insert(Argv.end(), {"-Xclang", "-disable-llvm-passes", "-emit-llvm"});
    Argv.insert(Argv.end(), {"-c", Src, "-o", Out, "-MD", "-MF", DepFile});
    Step S;
    if (Status St = runTool(Argv, S.Commands); !St) {
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
      Step S{Key, Cache.entryPath(Key), {}};
      if (auto Cmd = readFile(joinPath(S.Dir, "commands.txt")))
        for (const auto &L : split(*Cmd, '\n'))
          if (!L.empty())
            S.Commands.push_back(L);
      return S;
    }
    auto Tmp = makeTempDirectory(Cache.tmpRoot(), "opt-");
    if (!Tmp)
      return Tmp.error();
    Step S;
    std::string OptBc = joinPath(*Tmp, "opt.bc");
    std::vector<std::string> OptArgv = {Tools.Opt, "-relocation-model=" + RelocModel};
    if (NeedsPlugin)
      OptArgv.push_back("-load-pass-plugin=" + Tools.Plugin);
    std::string Pipe = Pipeline;
    if (NeedsPlugin) {
      // The element's report lands next to the unit's outputs.
      std::string Report = joinPath(*Tmp, "autopass-report.json");
      Pipe = "autopass<config=" + ConfigPath + ";report=" + Report + ">" +
             Pipeline.substr(Pipeline.find('>') + 1);
    }
    OptArgv.push_back("-passes=" + Pipe);
    OptArgv.insert(OptArgv.end(), OptKnobs.begin(), OptKnobs.end());
    OptArgv.insert(OptArgv.end(), {joinPath(Frontend.Dir, "unit.bc"), "-o", OptBc});
    if (Status St = runTool(OptArgv, S.Commands); !St) {
      (void)removeAll(*Tmp);
      return St.error();
    }
    std::vector<std::string> CgArgv = {Tools.Clang};
    auto Flags = sharedCompileFlags();
    CgArgv.insert(CgArgv.end(), Flags.begin(), Flags.end());
    // Front-end flags (-D, -I, -std=) mean nothing for bitcode input, but
    // flags such as -ffast-math also set code generation options, so all
    // shared flags are passed and the "unused" warnings silenced.
    CgArgv.insert(CgArgv.end(), {"-Wno-unused-command-line-argument", "-c", OptBc, "-Xclang",
                                 "-disable-llvm-passes"});
    for (const auto &K : CodegenKnobs)
      CgArgv.insert(CgArgv.end(), {"-mllvm", K});
    CgArgv.insert(CgArgv.end(), {"-o", joinPath(*Tmp, "unit.o")});
    if (Status St = runTool(CgArgv, S.Commands); !St) {
      (void)removeAll(*Tmp);
      return St.error();
    }
    (void)writeFile(joinPath(*Tmp, "commands.txt"), join(S.Commands, "\n") + "\n");
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
    H.add("target", join(Spec.TargetFlags, "\x1f")).add("link", join(Spec.LinkFlags, "\x1f"));
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
    std::vector<std::string> Argv = {Spec.hasCxx() ? Tools.ClangXX : Tools.Clang, "-O3"};
    Argv.insert(Argv.end(), Spec.TargetFlags.begin(), Spec.TargetFlags.end());
    for (const auto &O : Objects)
      Argv.push_back(joinPath(O.Dir, "unit.o"));
    Argv.insert(Argv.end(), Spec.LinkFlags.begin(), Spec.LinkFlags.end());
    Argv.insert(Argv.end(), {"-o", joinPath(*Tmp, Spec.Name)});
    std::vector<std::string> LinkCmd;
    if (Status St = runTool(Argv, LinkCmd); !St) {
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
    Hasher H;
    if (Status S = H.addFile("binary", R.BinaryPath); !S) {
      R.State = BuildResult::Outcome::Failed;
      R.Log = S.message();
      return R;
    }
    R.BinaryHash = H.hexDigest();
    return R;
  }
};

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
  BuildResult Invalid;
  Invalid.State = BuildResult::Outcome::Invalid;

  // Place every knob on the tools that accept it; reject unknown ones.
  std::vector<std::string> OptKnobs, CodegenKnobs;
  for (const auto &[Name, Value] : Config.Knobs) {
    std::string Arg = "-" + Name + "=" + knobValueText(Value);
    switch (P->Options.place(Name)) {
    case KnobPlacement::None:
      Invalid.Log = "knob \"" + Name + "\" is not an option of " + P->Tools.Opt + " or " +
                    P->Tools.Llc + " (" + P->Tools.OptVersion + "); not passed";
      Invalid.Seconds = monotonicSeconds() - Start;
      return Invalid;
    case KnobPlacement::Opt:
      OptKnobs.push_back(Arg);
      break;
    case KnobPlacement::Codegen:
      CodegenKnobs.push_back(Arg);
      break;
    case KnobPlacement::Both:
      // Same meaning as clang -mllvm, which sets the option for both the
      // optimizer and the code generator.
      OptKnobs.push_back(Arg);
      CodegenKnobs.push_back(Arg);
      break;
    }
  }
  if (Status S = P->detectRelocationModel(); !S)
    return P->finish(S.error(), Start);

  // The config file the plugin element reads, content-addressed.
  std::string ConfigPath =
      joinPath(joinPath(P->Cache.root(), "configs"), Config.contentHash() + ".json");
  bool NeedsPlugin = false;
  std::string Pipeline = pipelineFor(Config, ConfigPath, NeedsPlugin);
  if (NeedsPlugin) {
    if (P->Tools.Plugin.empty()) {
      Invalid.Log = "the config has region hints, which need the AutoPass plugin, but no plugin "
                    "was found (set AUTOPASS_PLUGIN)";
      Invalid.Seconds = monotonicSeconds() - Start;
      return Invalid;
    }
    if (!pathExists(ConfigPath)) {
      if (Status S = makeDirectories(parentPath(ConfigPath)); !S)
        return P->finish(S.error(), Start);
      if (Status S = writeFileAtomically(ConfigPath, Config.toJson(true)); !S)
        return P->finish(S.error(), Start);
    }
  }

  std::vector<Step> Objects(P->Spec.Sources.size());
  for (size_t I = 0; I < Objects.size(); ++I) {
    auto Fe = P->compileUnit(I, /*Frontend=*/true);
    if (!Fe)
      return P->finish(Fe.error(), Start);
    auto Obj = P->optimizeUnit(*Fe, Config, ConfigPath, NeedsPlugin, Pipeline, OptKnobs,
                               CodegenKnobs);
    if (!Obj)
      return P->finish(Obj.error(), Start);
    Obj->Commands.insert(Obj->Commands.begin(), Fe->Commands.begin(), Fe->Commands.end());
    Objects[I] = std::move(*Obj);
  }
  return P->finish(P->link(Objects), Start);
}

} // namespace autopass
