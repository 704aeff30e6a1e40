//===- evidence/EvidenceCollector.cpp - Run the tools that gather evidence ===//
//
// Caching. Each step writes its outputs under the work directory and then a
// stamp file (OUTPUT.key) holding the step's key, its command and the notes
// it produced. A later collection skips the step when the stamp holds the
// same key and the outputs exist. The stamp is removed before a step runs and
// written (atomically) only after it succeeded, so a killed collection never
// leaves a stale output that looks valid. Keys chain: the front end's key
// covers the tool versions, the flags and the bytes of the source and of
// every header it includes (from clang's own -MD list of the last run), and
// each later step's key covers the previous step's key plus its own inputs.
//
//===----------------------------------------------------------------------===//
#include "evidence/EvidenceCollector.hpp"
#include "evidence/IrAfterPass.hpp"

#include "store/BuildCache.hpp"
#include "toolchain/BuildStep.hpp"
#include "toolchain/Builder.hpp"
#include "toolchain/ClangQueries.hpp"
#include "toolchain/ProjectBuilder.hpp"
#include "toolchain/ToolOptionIndex.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Lockfile.hpp"
#include "util/Progress.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"
#include "util/ThreadPool.hpp"
#include "util/Time.hpp"

#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

namespace autopass {

std::string_view profileModeName(ProfileMode M) {
  return M == ProfileMode::None ? "none" : "callgrind";
}

std::optional<ProfileMode> parseProfileMode(std::string_view Name) {
  if (Name == "none")
    return ProfileMode::None;
  if (Name == "callgrind")
    return ProfileMode::Callgrind;
  return std::nullopt;
}

namespace {

constexpr size_t ExcerptBytes = 4000;
constexpr double ProfileTimeoutFactor = 100;

std::string excerpt(const std::string &Text) {
  std::string T(trim(Text));
  if (T.size() <= ExcerptBytes)
    return T;
  return "[...]\n" + T.substr(T.size() - ExcerptBytes);
}

/// What a stamp file remembers about a finished step.
struct Stamp {
  std::string Key;
  std::string Command;
  std::vector<std::string> Warnings; // the plugin's, without its prefix
};

std::optional<Stamp> readStamp(const std::string &Path) {
  auto Text = readFile(Path);
  if (!Text)
    return std::nullopt;
  std::vector<std::string> Lines = split(*Text, '\n');
  if (Lines.size() < 2 || Lines[0].empty())
    return std::nullopt;
  Stamp S{Lines[0], Lines[1], {}};
  for (size_t I = 2; I < Lines.size(); ++I)
    if (startsWith(Lines[I], "warning: "))
      S.Warnings.push_back(Lines[I].substr(9));
  return S;
}

/// Every state of one collect() call.
class Collection {
public:
  Collection(const ProgramSpec &Spec, const Toolchain &Tools,
             const EvidenceOptions &Options, const std::string &Work)
      : Spec(Spec), Tools(Tools), Options(Options), Work(Work) {}

  Result<CollectedEvidence> run(const CandidateConfig &Config);

private:
  const ProgramSpec &Spec;
  const Toolchain &Tools;
  const EvidenceOptions &Options;
  const std::string &Work;
  CollectedEvidence Out;
  std::vector<std::string> PluginWarnings;
  /// Units are processed in parallel: Out.Steps, PluginWarnings and the
  /// progress line are shared.
  std::mutex Lock;

  void progress(const std::string &Line) {
    std::lock_guard<std::mutex> G(Lock);
    if (Options.Prog)
      Options.Prog->update("evidence: " + Line);
  }
  void note(const std::string &Text) { Out.Notes.push_back(Text); }

  std::vector<std::string> sharedFlags() const {
    std::vector<std::string> F = {"-O3"};
    for (const std::string &Flag : Spec.targetFlags())
      F.push_back(Flag);
    F.insert(F.end(), Spec.CompileFlags.begin(), Spec.CompileFlags.end());
    return F;
  }

  /// Unit Index's flags: the spec's shared ones, or for a project the
  /// unit's own from its compilation database (spec/ProjectBuild.hpp).
  std::vector<std::string> unitFlags(size_t Index) const {
    return Spec.isProject() ? Spec.Build->Units[Index].Flags : sharedFlags();
  }
  /// Where unit Index's compiler runs (its relative -I paths work there).
  std::string unitDirectory(size_t Index) const {
    return Spec.isProject() ? Spec.Build->Units[Index].Directory : Spec.Dir;
  }

  /// True (and the step recorded as cached) when Stamp holds Key and every
  /// output exists.
  bool upToDate(const std::string &Name, const std::string &StampPath,
                const std::string &Key,
                const std::vector<std::string> &Outputs) {
    std::optional<Stamp> S = readStamp(StampPath);
    if (!S || S->Key != Key)
      return false;
    for (const std::string &O : Outputs)
      if (!pathExists(O))
        return false;
    std::lock_guard<std::mutex> G(Lock);
    Out.Steps.push_back({Name, S->Command, /*Cached=*/true, 0});
    PluginWarnings.insert(PluginWarnings.end(), S->Warnings.begin(),
                          S->Warnings.end());
    return true;
  }

  /// Runs one tool; on success records the step, on failure returns an
  /// error naming the step and the command.
  Result<SubprocessResult> execute(const std::string &Name,
                                   SubprocessOptions O) {
    std::string Command = shellJoin(O.Argv);
    progress(Name);
    double Start = monotonicSeconds();
    auto R = runSubprocess(O);
    if (!R)
      return makeError("evidence: step '" + Name + "' could not start: " +
                       R.message() + "\n  command: " + Command);
    if (!R->succeeded())
      return makeError("evidence: step '" + Name + "' failed (" +
                       R->describe(O.TimeoutSeconds) + ")\n  command: " +
                       Command + "\n" + excerpt(R->Stderr + R->Stdout));
    std::lock_guard<std::mutex> G(Lock);
    Out.Steps.push_back({Name, Command, false, monotonicSeconds() - Start});
    return R;
  }

  /// A compiler step: runs Argv in the work directory (clang resolves the
  /// spec's relative paths in the spec's directory), checks the outputs exist and writes the stamp.
  Status tool(const std::string &Name, const std::vector<std::string> &Argv,
              const std::string &StampPath, const std::string &Key,
              const std::vector<std::string> &Outputs) {
    if (upToDate(Name, StampPath, Key, Outputs))
      return success();
    (void)removeAll(StampPath);
    auto R = compile(Name, Argv);
    if (!R)
      return R.error();
    return finishStep(Name, Argv, StampPath, Key, Outputs, R->Stderr);
  }

  /// Runs a compiler in the work directory (never the spec's: a pass that
  /// writes a relative file writes it here) with the compiler steps' time
  /// limit; clang resolves relative -I paths in SourceDir (a project unit's
  /// own directory; the spec's by default) through -working-directory.
  Result<SubprocessResult> compile(const std::string &Name, const std::vector<std::string> &Argv,
                                   const std::string &SourceDir = "") {
    SubprocessOptions O;
    O.Argv = withSourceDirectory(Argv, SourceDir.empty() ? Spec.Dir : SourceDir);
    O.Cwd = Work;
    O.TimeoutSeconds = Options.ToolTimeoutSeconds;
    O.OutputCap = 1u << 20;
    return execute(Name, O);
  }

  /// Checks a step's outputs and writes its stamp, keeping the warnings the
  /// plugin printed (a hint naming a loop that does not exist).
  Status finishStep(const std::string &Name,
                    const std::vector<std::string> &Argv,
                    const std::string &StampPath, const std::string &Key,
                    const std::vector<std::string> &Outputs,
                    const std::string &Stderr) {
    for (const std::string &O : Outputs)
      if (!pathExists(O))
        return makeError("evidence: step '" + Name +
                         "' succeeded but did not write " + O +
                         "\n  command: " + shellJoin(Argv));
    std::string Content = Key + "\n" + shellJoin(Argv) + "\n";
    for (const std::string &L : split(Stderr, '\n'))
      if (startsWith(L, "autopass: warning: ")) {
        std::lock_guard<std::mutex> G(Lock);
        PluginWarnings.push_back(L.substr(19));
        Content += "warning: " + L.substr(19) + "\n";
      }
    return writeFileAtomically(StampPath, Content);
  }

  Result<std::string> relocationModel(size_t Index);
  /// What every unit's steps share.
  struct UnitPlan {
    std::string UnitDir;
    std::string Pipeline;
    std::vector<std::string> OptKnobs;
    std::string Reloc; // unit 0's; a project's other units ask for theirs
  };
  Result<std::string> unitSteps(size_t I, const UnitPlan &Plan, UnitEvidenceFiles &Files);
  Result<std::string> projectBinary(const CandidateConfig &Config);
  Result<std::string> frontEnd(size_t Index, UnitEvidenceFiles &U);
  Status profile(const std::vector<std::string> &ObjectKeys,
                 const std::vector<std::string> &CodegenKnobs);
  Result<std::string> linkFromBitcode(const std::vector<std::string> &OptKeys,
                                      const std::vector<std::string> &CodegenKnobs);
  Status runCallgrind(const std::string &Valgrind, const std::string &LinkKey);
  /// The configuration being collected for (set by run()).
  const CandidateConfig *Current = nullptr;
  Status readAll();
  void notePluginWarnings();
};

/// The relocation model clang uses for these flags; opt must be told it,
/// or its cost decisions (unrolling, inlining) differ from clang's
/// (docs/measurement.md). Same query as the candidate builder's.
Result<std::string> Collection::relocationModel(size_t Index) {
  RelocationModelQuery Q = queryRelocationModel(
      Tools.Clang, unitDirectory(Index), Work, Spec.Sources[Index], unitFlags(Index));
  if (!Q.succeeded()) {
    const auto &R = Q.Run;
    return makeError("evidence: step 'relocation model' failed (" +
                     (R ? R->describe(RelocationModelQueryTimeoutSeconds) +
                              "): " + excerpt(R->Stderr)
                        : R.message() + ")") +
                     "\n  command: " + shellJoin(Q.Argv));
  }
  return Q.model();
}

/// Step 1. Returns the unit's key (source, headers, flags, tools).
Result<std::string> Collection::frontEnd(size_t Index, UnitEvidenceFiles &U) {
  const std::string &Src = Spec.Sources[Index];
  std::string DepFile = U.Bitcode + ".d";
  std::string StampPath = U.Bitcode + ".key";
  auto Flags = unitFlags(Index);
  const std::string Cwd = unitDirectory(Index);
  // -g for loop header lines and remark locations; DWARF 4 because valgrind
  // before 3.20 reads DWARF 5 line tables only partly (wrong file names).
  std::vector<std::string> Argv = {Tools.Clang};
  Argv.insert(Argv.end(), Flags.begin(), Flags.end());
  Argv.insert(Argv.end(), {"-g", "-gdwarf-4", "-Xclang", "-disable-llvm-passes",
                           "-emit-llvm", "-c", Src, "-o", U.Bitcode, "-MD",
                           "-MF", DepFile});

  auto keyFromDeps = [&]() -> Result<std::string> {
    auto Text = readFile(DepFile);
    if (!Text)
      return Text.error();
    Hasher H;
    H.add("step", "frontend/1")
        .add("tools", Tools.versionKey())
        .add("source", Src)
        .add("flags", join(Flags, "\x1f"));
    for (const std::string &D : parseMakeDependencies(*Text)) {
      std::string Abs = absolutePath(D, Cwd);
      H.add("dep", Abs);
      if (Status S = H.addFile("bytes", Abs); !S)
        return S.error();
    }
    return H.hexDigest();
  };

  std::string Name = "front end " + fileName(Src);
  // A header that vanished makes the old key uncomputable: just rebuild.
  if (auto Old = keyFromDeps();
      Old && upToDate(Name, StampPath, *Old, {U.Bitcode}))
    return *Old;
  (void)removeAll(StampPath);
  auto R = compile(Name, Argv, Cwd);
  if (!R)
    return R.error();
  auto Key = keyFromDeps();
  if (!Key)
    return makeError("evidence: step '" + Name + "': " + Key.message());
  if (Status S = finishStep(Name, Argv, StampPath, *Key, {U.Bitcode}, ""); !S)
    return S.error();
  return *Key;
}

/// Step 4: code generation, link, and the program under callgrind. A
/// missing valgrind, a timeout or a failing program leave the digest
/// without a profile and say why; only broken builds are errors.
Status Collection::profile(const std::vector<std::string> &OptKeys,
                           const std::vector<std::string> &CodegenKnobs) {
  std::string Valgrind =
      Options.Valgrind.empty() ? findProgram("valgrind") : Options.Valgrind;
  if (Valgrind.empty() || !pathExists(Valgrind)) {
    note("no profile: valgrind not found (install valgrind, or pass "
         "--profile none to silence this)");
    return success();
  }
  std::string LinkKey;
  if (Spec.isProject()) {
    // The project's own build links it (the -O3 flags the project chose;
    // no debug info unless the project asks for it: functions, not loops).
    auto Binary = projectBinary(*Current);
    if (!Binary)
      return Binary.error();
    Out.Binary = *Binary;
    Hasher BH;
    if (Status S = BH.addFile("binary", Out.Binary); !S)
      return S;
    LinkKey = BH.hexDigest();
  } else {
    auto Key = linkFromBitcode(OptKeys, CodegenKnobs);
    if (!Key)
      return Key.error();
    LinkKey = *Key;
  }
  return runCallgrind(Valgrind, LinkKey);
}

/// Step 4a: code generation of every unit's optimized bitcode, and the link.
Result<std::string> Collection::linkFromBitcode(const std::vector<std::string> &OptKeys,
                                                const std::vector<std::string> &CodegenKnobs) {
  auto Flags = sharedFlags();
  std::vector<std::string> ObjectKeys;
  for (size_t I = 0; I < Out.Units.size(); ++I) {
    UnitEvidenceFiles &U = Out.Units[I];
    U.Object = U.OptimizedBitcode + ".o";
    std::vector<std::string> Argv = {Tools.Clang};
    Argv.insert(Argv.end(), Flags.begin(), Flags.end());
    // Front-end flags mean nothing for bitcode, but some (-ffast-math) also
    // set code generation options, so all are passed, as the builder does.
    Argv.insert(Argv.end(),
                {"-Wno-unused-command-line-argument", "-c", U.OptimizedBitcode,
                 "-Xclang", "-disable-llvm-passes"});
    for (const std::string &K : CodegenKnobs)
      Argv.insert(Argv.end(), {"-mllvm", K});
    Argv.insert(Argv.end(), {"-o", U.Object});
    Hasher H;
    H.add("step", "codegen/1")
        .add("optimized", OptKeys[I])
        .add("argv", join(Argv, "\x1f"));
    std::string Key = H.hexDigest();
    if (Status S = tool("codegen " + fileName(U.Source), Argv,
                        U.Object + ".key", Key, {U.Object});
        !S)
      return S.error();
    ObjectKeys.push_back(Key);
  }

  Out.Binary = joinPath(joinPath(Work, "bin"), Spec.Name);
  if (Status S = makeDirectories(parentPath(Out.Binary)); !S)
    return S.error();
  std::vector<std::string> Link = {Spec.hasCxx() ? Tools.ClangXX : Tools.Clang,
                                   "-O3"};
  for (const std::string &Flag : Spec.targetFlags())
    Link.push_back(Flag);
  for (const UnitEvidenceFiles &U : Out.Units)
    Link.push_back(U.Object);
  Link.insert(Link.end(), Spec.LinkFlags.begin(), Spec.LinkFlags.end());
  Link.insert(Link.end(), {"-o", Out.Binary});
  Hasher LH;
  LH.add("step", "link/1").add("argv", join(Link, "\x1f"));
  for (const std::string &K : ObjectKeys)
    LH.add("object", K);
  std::string LinkKey = LH.hexDigest();
  if (Status S = tool("link", Link, Out.Binary + ".key", LinkKey, {Out.Binary});
      !S)
    return S.error();
  return LinkKey;
}

/// Step 4b: the program under callgrind.
Status Collection::runCallgrind(const std::string &Valgrind, const std::string &LinkKey) {
  // The run: the spec's arguments, stdin, environment and directory.
  std::string Cwd = Spec.Run.Cwd;
  if (Cwd.empty()) {
    Cwd = joinPath(Work, "run");
    if (Status S = makeDirectories(Cwd); !S)
      return S;
  }
  std::string CgOut = joinPath(Work, "callgrind.out");
  std::string Partial = CgOut + ".part";
  std::vector<std::string> Argv = {
      Valgrind, "--tool=callgrind", "--demangle=no",
      "--callgrind-out-file=" + Partial, Out.Binary};
  Argv.insert(Argv.end(), Spec.Run.Args.begin(), Spec.Run.Args.end());
  Hasher PH;
  PH.add("step", "callgrind/1")
      .add("binary", LinkKey)
      .add("argv", join(Argv, "\x1f"))
      .add("cwd", Spec.Run.Cwd)
      .add("stdin", Spec.Run.StdinPath);
  if (!Spec.Run.StdinPath.empty())
    (void)PH.addFile("stdin-bytes", Spec.Run.StdinPath);
  for (const auto &[K, V] : Spec.Run.Env)
    PH.add("env", K + "=" + V);
  {
    SubprocessOptions V;
    V.Argv = {Valgrind, "--version"};
    V.TimeoutSeconds = 30;
    auto R = runSubprocess(V);
    PH.add("valgrind", R && R->succeeded() ? R->Stdout : "?");
  }
  std::string Key = PH.hexDigest();
  if (upToDate("profile", CgOut + ".key", Key, {CgOut})) {
    Out.ProfilePath = CgOut;
    return success();
  }
  (void)removeAll(CgOut + ".key");
  (void)removeAll(Partial);

  double Timeout = Options.ProfileTimeoutSeconds > 0
                       ? Options.ProfileTimeoutSeconds
                       : Spec.Run.TimeoutSeconds * ProfileTimeoutFactor;
  SubprocessOptions O;
  O.Argv = Argv;
  O.Env = Spec.Run.Env;
  O.Cwd = Cwd;
  O.StdinPath = Spec.Run.StdinPath;
  O.TimeoutSeconds = Timeout;
  O.OutputCap = 256u << 10; // the program's output is not needed
  progress("profile (callgrind, up to " + std::to_string(int(Timeout)) + " s)");
  double Start = monotonicSeconds();
  auto R = runSubprocess(O);
  std::string Command = shellJoin(Argv);
  if (!R) {
    note("no profile: valgrind could not start: " + R.message());
    return success();
  }
  if (!R->succeeded()) {
    // Not an error: the rest of the evidence stands without a profile.
    std::string Why =
        R->TimedOut
            ? "the callgrind run exceeded " + std::to_string(int(Timeout)) +
                  " s (raise --profile-timeout, or --profile none)"
            : "the program failed under valgrind (" + R->describe(Timeout) +
                  ")";
    note("no profile: " + Why + "; command: " + Command);
    if (!R->TimedOut && Options.Prog)
      Options.Prog->warn("evidence: valgrind output:\n" + excerpt(R->Stderr));
    (void)removeAll(Partial);
    return success();
  }
  if (std::rename(Partial.c_str(), CgOut.c_str()) != 0)
    return makeError("evidence: step 'profile': valgrind wrote no " + Partial +
                     "\n  command: " + Command);
  Out.Steps.push_back({"profile", Command, false, monotonicSeconds() - Start});
  Out.ProfilePath = CgOut;
  return writeFileAtomically(CgOut + ".key", Key + "\n" + Command + "\n");
}

/// A project's binary for Config, built by its own build through
/// autopass-cc (toolchain/ProjectBuilder.hpp), kept under the work directory.
Result<std::string> Collection::projectBinary(const CandidateConfig &Config) {
  progress("building the program with the project's build");
  auto Index = ToolOptionIndex::build(Tools);
  if (!Index)
    return makeError("evidence: step 'tool options': " + Index.message());
  BuildCache Cache(joinPath(Work, "project-build"));
  ProjectBuilder Builder(Spec, Tools, *Index, Cache);
  double Start = monotonicSeconds();
  BuildResult B = Config.isIdentity() ? Builder.buildBaseline() : Builder.buildCandidate(Config);
  if (!B.ok())
    return makeError("evidence: step 'project build' failed: " + B.Log);
  Out.Steps.push_back({"project build", B.Commands.empty() ? "" : B.Commands.front(), false,
                       monotonicSeconds() - Start});
  return B.BinaryPath;
}

/// Each unit's opt applies the whole config, so a hint for a function of
/// another unit "matches nothing" in this one. Only hints that matched in
/// no unit are worth a note; other plugin warnings are passed on as they
/// are.
void Collection::notePluginWarnings() {
  const std::string Marker = "' matched nothing";
  std::map<std::string, std::pair<size_t, std::string>> ByHint;
  std::vector<std::string> Order;
  for (const std::string &W : PluginWarnings) {
    size_t End = W.find(Marker);
    size_t Begin = W.rfind(" hint '", End);
    if (End == std::string::npos || Begin == std::string::npos) {
      note("plugin: " + W);
      continue;
    }
    std::string Hint = W.substr(Begin + 1, End - Begin); // "loop hint 'f:L9'"
    auto [It, New] = ByHint.try_emplace(Hint, 0, W.substr(End + Marker.size()));
    if (New)
      Order.push_back(Hint);
    ++It->second.first;
  }
  for (const std::string &Hint : Order) {
    const auto &[Units, Reason] = ByHint[Hint];
    if (Units >= Spec.Sources.size())
      note(Hint + " matched nothing in any translation unit" + Reason);
  }
}

/// Step 5: the readers, then the digest.
Status Collection::readAll() {
  EvidenceInputs &In = Out.Inputs;
  In.Program = Spec.Name;
  std::vector<OptRemark> Remarks;
  std::vector<std::vector<PassSummary>> Summaries;
  for (const UnitEvidenceFiles &U : Out.Units) {
    if (!U.Features.empty()) {
      auto F = ModuleFeatures::load(U.Features);
      if (!F)
        return makeError("evidence: reading features: " + F.message());
      // Loops are matched with profile lines and remarks by source file:
      // name the module by the source exactly as the front end was given it.
      F->Module = U.Source;
      In.Features.push_back(std::move(*F));
    }
    if (!U.Introspection.empty()) {
      auto I = Introspection::load(U.Introspection);
      if (!I)
        return makeError("evidence: reading pass records: " + I.message());
      Summaries.push_back(std::move(I->Summary));
      In.PassRecords.insert(In.PassRecords.end(), I->Records.begin(),
                            I->Records.end());
    }
    auto R = loadRemarks(U.Remarks);
    if (!R)
      return makeError("evidence: reading remarks: " + R.message());
    Remarks.insert(Remarks.end(), std::make_move_iterator(R->begin()),
                   std::make_move_iterator(R->end()));
  }
  In.Remarks = RemarkDigest::build(Remarks);
  In.PassSummaries = mergeSummaries(Summaries);
  if (!Out.ProfilePath.empty()) {
    auto P = Profile::loadCallgrind(Out.ProfilePath);
    if (!P)
      return makeError("evidence: reading the profile: " + P.message());
    In.Prof = std::move(*P);
  }
  return success();
}

/// Steps 1-3 for unit I; returns the optimization step's key.
Result<std::string> Collection::unitSteps(size_t I, const UnitPlan &Plan,
                                          UnitEvidenceFiles &Files) {
  const bool HavePlugin = !Tools.Plugin.empty();
  const std::string &UnitDir = Plan.UnitDir;
  const std::string &Pipeline = Plan.Pipeline;
  const std::vector<std::string> &OptKnobs = Plan.OptKnobs;
  const CandidateConfig &Config = *Current;
  UnitEvidenceFiles U;
  U.Source = Spec.Sources[I];
  // The index keeps two sources with the same stem (a/util.c, b/util.c)
  // apart.
  std::string Base =
      joinPath(UnitDir, std::to_string(I) + "-" + fileStem(U.Source));
  U.Bitcode = Base + ".bc";
  U.Remarks = Base + ".remarks.yaml";
  U.OptimizedBitcode = Base + ".opt.bc";
  std::string Label = fileName(U.Source);

  auto FrontKey = frontEnd(I, U);
  if (!FrontKey)
    return FrontKey.error();

  if (HavePlugin) {
    U.Features = Base + ".features.json";
    std::vector<std::string> Argv = {
        Tools.Opt, "-load-pass-plugin=" + Tools.Plugin,
        "-passes=autopass-features<out=" + U.Features + ">",
        "-disable-output", U.Bitcode};
    Hasher H;
    H.add("step", "features/1")
        .add("frontend", *FrontKey)
        .add("plugin", Tools.PluginHash)
        .add("argv", join(Argv, "\x1f"));
    if (Status S = tool("features " + Label, Argv, U.Features + ".key",
                        H.hexDigest(), {U.Features});
        !S)
      return S.error();
  }

  // The introspection element goes first so that it records every pass
  // of the pipeline, the hints element included.
  std::string Passes = Pipeline;
  std::vector<std::string> Outputs = {U.Remarks, U.OptimizedBitcode};
  if (HavePlugin) {
    U.Introspection = Base + ".introspect.json";
    Passes = "autopass-introspect<out=" + U.Introspection + ">," + Passes;
    Outputs.push_back(U.Introspection);
  }
  std::string UnitReloc = Plan.Reloc;
  if (Spec.isProject() && I > 0) {
    // A project's units may differ in -fPIC and the like.
    auto R = relocationModel(I);
    if (!R)
      return R.error();
    UnitReloc = *R;
  }
  std::vector<std::string> Argv = {Tools.Opt, "-relocation-model=" + UnitReloc};
  if (HavePlugin)
    Argv.push_back("-load-pass-plugin=" + Tools.Plugin);
  Argv.push_back("-passes=" + Passes);
  Argv.insert(Argv.end(), OptKnobs.begin(), OptKnobs.end());
  Argv.insert(Argv.end(), {"-pass-remarks-output=" + U.Remarks,
                           "-pass-remarks-format=yaml", U.Bitcode, "-o",
                           U.OptimizedBitcode});
  Hasher H;
  H.add("step", "optimize/1")
      .add("frontend", *FrontKey)
      .add("plugin", HavePlugin ? Tools.PluginHash : "")
      .add("config", Config.contentHash())
      .add("argv", join(Argv, "\x1f"));
  std::string OptKey = H.hexDigest();
  if (Status S = tool("optimize " + Label, Argv, U.Remarks + ".key", OptKey,
                      Outputs);
      !S)
    return S.error();
  Files = std::move(U);
  return OptKey;
}

Result<CollectedEvidence> Collection::run(const CandidateConfig &Config) {
  double Start = monotonicSeconds();
  Out.WorkDir = Work;
  if (Spec.Sources.empty())
    return makeError("evidence: " + Spec.SpecPath + ": no sources");
  const bool HavePlugin = !Tools.Plugin.empty();

  // Where each knob goes, as the candidate builder places it.
  std::vector<std::string> OptKnobs, CodegenKnobs;
  if (!Config.Knobs.empty()) {
    progress("reading the tools' options");
    auto Index = ToolOptionIndex::build(Tools);
    if (!Index)
      return makeError("evidence: step 'tool options': " + Index.message());
    for (const auto &[Name, Value] : Config.Knobs) {
      std::string Arg = "-" + Name + "=" + knobValueText(Value);
      KnobPlacement P = Index->place(Name);
      if (P == KnobPlacement::None)
        return makeError("evidence: config: knob \"" + Name +
                         "\" is not an option of " + Tools.Opt + " or " +
                         Tools.Llc + " (" + Tools.OptVersion + ")");
      if (P == KnobPlacement::Opt || P == KnobPlacement::Both)
        OptKnobs.push_back(Arg);
      if (P == KnobPlacement::Codegen || P == KnobPlacement::Both)
        CodegenKnobs.push_back(Arg);
    }
  }

  std::string ConfigPath = joinPath(Work, "config.json");
  bool NeedsPlugin = false;
  std::string Pipeline = Builder::pipelineFor(Config, ConfigPath, NeedsPlugin);
  if (NeedsPlugin && !HavePlugin)
    return makeError(
        "evidence: the config has region hints, which need the "
        "AutoPass plugin, but none was found (set AUTOPASS_PLUGIN)");
  if (NeedsPlugin) {
    std::string Text = Config.toJson(true);
    auto Old = readFile(ConfigPath);
    if (!Old || *Old != Text)
      if (Status S = writeFileAtomically(ConfigPath, Text); !S)
        return S.error();
  }
  if (!HavePlugin)
    note("no AutoPass plugin found (set AUTOPASS_PLUGIN): no loop names, "
         "features or per-pass records");

  Current = &Config;
  auto Reloc = relocationModel(0);
  if (!Reloc)
    return Reloc.error();

  std::string UnitDir = joinPath(Work, "units");
  if (Status S = makeDirectories(UnitDir); !S)
    return S.error();
  UnitPlan Plan{UnitDir, Pipeline, OptKnobs, *Reloc};
  size_t N = Spec.Sources.size();
  std::vector<UnitEvidenceFiles> Units(N);
  std::vector<std::optional<autopass::Result<std::string>>> Keys(N);
  // Units are independent: their compiler steps run in parallel.
  unsigned Jobs = Options.Jobs ? Options.Jobs : std::max(1u, std::thread::hardware_concurrency());
  parallelFor(N, Jobs, [&](size_t I) { Keys[I] = unitSteps(I, Plan, Units[I]); });
  std::vector<std::string> OptKeys;
  for (size_t I = 0; I < N; ++I) {
    if (!*Keys[I])
      return Keys[I]->error();
    OptKeys.push_back(**Keys[I]);
    Out.Units.push_back(std::move(Units[I]));
  }

  // valgrind runs binaries of its own architecture only; under runner ssh a
  // binary of this machine's architecture is profiled here (instruction
  // counts do not depend on the machine's speed).
  if (Options.Profile == ProfileMode::Callgrind &&
      (Spec.Target.isForeign() || Spec.Runner.Kind == RunnerKind::Qemu)) {
    note("no profile: callgrind cannot run a binary for " + Spec.Target.Triple +
         " (runner " + std::string(runnerKindName(Spec.Runner.Kind)) +
         "); regions are ranked by size, not time");
  } else if (Options.Profile == ProfileMode::Callgrind) {
    if (Status S = profile(OptKeys, CodegenKnobs); !S)
      return S.error();
  } else {
    note("no profile (--profile none): regions are ranked by size, not time");
  }

  notePluginWarnings();
  progress("reading");
  if (Status S = readAll(); !S)
    return S.error();
  Out.Digest = EvidenceDigest::build(Out.Inputs);
  Out.Digest.Notes.insert(Out.Digest.Notes.end(), Out.Notes.begin(),
                          Out.Notes.end());
  // Step 3 again, on request, for the IR after one pass (agents' tools).
  IrSource Ir;
  Ir.Opt = Tools.Opt;
  Ir.Plugin = NeedsPlugin ? Tools.Plugin : "";
  Ir.RelocationModel = *Reloc;
  Ir.Pipeline = Pipeline;
  Ir.OptKnobs = OptKnobs;
  Ir.Cwd = Work;
  Ir.Label = Config.isIdentity() ? "the -O3 pipeline"
                                 : "the pipeline of config " + Config.shortHash();
  for (const UnitEvidenceFiles &U : Out.Units) {
    IrSource::Unit IU{U.Source, U.Bitcode, {}};
    for (const ModuleFeatures &M : Out.Inputs.Features)
      if (M.Module == U.Source)
        for (const FunctionFeatures &F : M.Functions)
          IU.Functions.push_back(F.Name);
    Ir.Units.push_back(std::move(IU));
  }
  Out.Digest.Ir = std::move(Ir);
  Out.Regions = Out.Digest.searchRegions();

  // The commands, in order, to reproduce the evidence by hand.
  std::string Log;
  for (const EvidenceStep &S : Out.Steps)
    Log += "# " + S.Name + "\n" + S.Command + "\n";
  if (Status S = writeFileAtomically(joinPath(Work, "commands.sh"), Log); !S)
    return S.error();
  if (Options.Prog)
    Options.Prog->clear();
  Out.Seconds = monotonicSeconds() - Start;
  return std::move(Out);
}

} // namespace

EvidenceCollector::EvidenceCollector(const ProgramSpec &Spec,
                                     const Toolchain &Tools,
                                     std::string WorkDir,
                                     EvidenceOptions Options)
    : Spec(Spec), Tools(Tools), WorkDir(absolutePath(WorkDir)),
      Options(std::move(Options)) {}

Result<CollectedEvidence>
EvidenceCollector::collect(const CandidateConfig *Config) {
  if (Status S = makeDirectories(WorkDir); !S)
    return S.error();
  // Two collections into one directory would overwrite each other's files.
  auto Lock =
      Lockfile::acquire(joinPath(WorkDir, "lock"), "evidence directory");
  if (!Lock)
    return Lock.error();
  CandidateConfig Identity;
  Collection C(Spec, Tools, Options, WorkDir);
  return C.run(Config ? *Config : Identity);
}

std::string EvidenceCollector::defaultWorkDir(const std::string &RunDir,
                                              const CandidateConfig *Config) {
  CandidateConfig Identity;
  return joinPath(joinPath(RunDir, "evidence"),
                  (Config ? *Config : Identity).shortHash());
}

} // namespace autopass
