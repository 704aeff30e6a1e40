//===- cc/UnitCompiler.cpp - Compile one unit with a configuration --------===//
#include "cc/UnitCompiler.hpp"

#include "cc/ChildProcess.hpp"
#include "cc/UnitReport.hpp"
#include "toolchain/Builder.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include <cstdio>
#include <cstdlib>
#include <set>

namespace autopass {

namespace {

std::vector<std::string> argsWithout(const CompilerCommand &C, const std::set<size_t> &Drop) {
  std::vector<std::string> Out;
  for (size_t I = 0; I < C.Args.size(); ++I)
    if (!Drop.count(I))
      Out.push_back(C.Args[I]);
  return Out;
}

/// Indices of the -o option and of every source except Keep.
std::set<size_t> outputAndOtherSources(const CompilerCommand &C, size_t Keep) {
  std::set<size_t> Drop(C.OutputArgs.begin(), C.OutputArgs.end());
  for (size_t I = 0; I < C.Sources.size(); ++I)
    if (I != Keep)
      Drop.insert(C.Sources[I].ArgIndex);
  return Drop;
}

void append(std::vector<std::string> &To, const std::vector<std::string> &From) {
  To.insert(To.end(), From.begin(), From.end());
}

std::string describeCommand(const std::vector<std::string> &Argv,
                            const std::map<std::string, std::string> &Env) {
  std::string Out;
  for (const auto &[Name, Value] : Env)
    Out += Name + "=" + shellQuote(Value) + " ";
  return Out + shellJoin(Argv);
}

void echo(const UnitCompileContext &Ctx, const std::vector<std::string> &Argv,
          const std::map<std::string, std::string> &Env = {}) {
  if (Ctx.Verbose)
    std::fprintf(stderr, "autopass-cc: %s\n", describeCommand(Argv, Env).c_str());
}

/// Runs a step whose stderr may carry the plugin's per-unit warnings;
/// everything else it prints is passed on. Returns the exit status.
int runCaptured(const UnitCompileContext &Ctx, const std::vector<std::string> &Argv,
                const std::map<std::string, std::string> &Env,
                std::vector<UnmatchedHint> &Unmatched) {
  echo(Ctx, Argv, Env);
  SubprocessOptions O;
  O.Argv = Argv;
  O.Env = Env;
  auto R = runSubprocess(O);
  if (!R) {
    std::fprintf(stderr, "autopass-cc: error: %s\n", R.message().c_str());
    return 127;
  }
  std::fwrite(R->Stdout.data(), 1, R->Stdout.size(), stdout);
  SplitDiagnostics D = splitHintWarnings(R->Stderr, Ctx.ConfigPath);
  std::fwrite(D.Rest.data(), 1, D.Rest.size(), stderr);
  Unmatched.insert(Unmatched.end(), D.Unmatched.begin(), D.Unmatched.end());
  if (R->succeeded())
    return 0;
  if (R->Signal)
    return 128 + R->Signal;
  return R->ExitCode == 0 ? 1 : R->ExitCode;
}

Status writeUnitReport(const UnitCompileContext &Ctx, size_t SourceIndex, const std::string &Output,
                       const char *Route, std::vector<UnmatchedHint> Unmatched,
                       const std::string &PluginReport) {
  UnitReport R;
  R.ConfigPath = Ctx.ConfigPath;
  R.ConfigHash = Ctx.WholeConfigHash.empty() ? Ctx.Config->contentHash() : Ctx.WholeConfigHash;
  R.Source = absolutePath(Ctx.Command->Sources[SourceIndex].Path);
  R.Route = Route;
  if (!PluginReport.empty()) {
    if (Status S = readHintsReport(PluginReport, R); !S)
      return S;
  } else {
    R.Unmatched = std::move(Unmatched);
    completeMatched(*Ctx.Config, R);
  }
  return writeFileAtomically(unitReportPathFor(Output), R.toJson());
}

/// The relocation model clang would give opt's TargetMachine for these
/// flags (Debian's clang defaults to PIE); opt must be told, or cost
/// decisions such as unrolling differ from clang's own pipeline.
Result<std::string> relocationModel(const UnitCompileContext &Ctx, size_t SourceIndex) {
  std::vector<std::string> Argv = {Ctx.Compiler, "-###"};
  append(Argv, unitArguments(*Ctx.Command, SourceIndex, "/dev/null"));
  SubprocessOptions O;
  O.Argv = Argv;
  O.TimeoutSeconds = 60;
  auto R = runSubprocess(O);
  if (!R)
    return R.error();
  if (!R->succeeded())
    return makeError("cannot query clang's relocation model (" + R->describe() +
                     "): " + shellJoin(Argv) + "\n" + R->Stderr);
  const std::string Key = "\"-mrelocation-model\" \"";
  size_t Pos = R->Stderr.find(Key);
  if (Pos == std::string::npos)
    return std::string("static");
  Pos += Key.size();
  return R->Stderr.substr(Pos, R->Stderr.find('"', Pos) - Pos);
}

int compileThroughOpt(const UnitCompileContext &Ctx, size_t SourceIndex,
                      const std::string &Output) {
  const CompilerCommand &C = *Ctx.Command;
  const char *TmpEnv = std::getenv("TMPDIR");
  auto Tmp = makeTempDirectory(TmpEnv && *TmpEnv ? TmpEnv : "/tmp", "autopass-cc-");
  if (!Tmp) {
    std::fprintf(stderr, "autopass-cc: error: %s\n", Tmp.message().c_str());
    return 1;
  }
  struct Cleanup {
    std::string Dir;
    ~Cleanup() { (void)removeAll(Dir); }
  } Guard{*Tmp};
  std::string FrontBc = joinPath(*Tmp, "frontend.bc");
  std::string OptBc = joinPath(*Tmp, "optimized.bc");
  std::string PluginReport = joinPath(*Tmp, "hints-report.json");

  // 1. Front end: every flag of the user's command, optimizations off.
  std::vector<std::string> Front = {Ctx.Compiler};
  for (const std::string &A : unitArguments(C, SourceIndex, FrontBc))
    Front.push_back(A == "-S" ? "-c" : A);
  append(Front, dependencyFileArgs(C, Output));
  append(Front, {"-Xclang", "-disable-llvm-passes", "-emit-llvm"});
  if (Ctx.Color && !C.ColorFlag)
    Front.push_back("-fcolor-diagnostics");
  echo(Ctx, Front);
  if (int Rc = runInheritingStdio(Front); Rc != 0)
    return Rc;

  // 2. opt with the configuration's pipeline (and hints).
  auto Reloc = relocationModel(Ctx, SourceIndex);
  if (!Reloc) {
    std::fprintf(stderr, "autopass-cc: error: %s\n", Reloc.message().c_str());
    return 1;
  }
  bool NeedsPlugin = false;
  std::string Pipeline = Builder::pipelineFor(*Ctx.Config, Ctx.ConfigPath, NeedsPlugin);
  std::vector<std::string> Opt = {Ctx.Install->opt(), "-relocation-model=" + *Reloc};
  if (NeedsPlugin) {
    if (Ctx.Install->Plugin.empty()) {
      std::fprintf(stderr, "autopass-cc: error: %s: the configuration has region hints: %s\n",
                   Ctx.ConfigPath.c_str(), Ctx.Install->pluginNotFoundMessage().c_str());
      return 1;
    }
    Opt.push_back("-load-pass-plugin=" + Ctx.Install->Plugin);
    // The element's report says what matched in this unit.
    Pipeline = "autopass<config=" + Ctx.ConfigPath + ";report=" + PluginReport + ">" +
               Pipeline.substr(Pipeline.find('>') + 1);
  }
  Opt.push_back("-passes=" + Pipeline);
  append(Opt, Ctx.Catalog->commandLineArgs(*Ctx.Config, KnobTool::Opt));
  append(Opt, {FrontBc, "-o", OptBc});
  std::vector<UnmatchedHint> Ignored;
  // The plugin reads AUTOPASS_CONFIG whenever it loads; here the element
  // names the configuration, so an inherited value must not apply it twice.
  if (int Rc = runCaptured(Ctx, Opt, {{"AUTOPASS_CONFIG", ""}}, Ignored); Rc != 0)
    return Rc;

  // 3. Code generation by clang, with the user's flags minus the front
  // end's (source, language, dependency file).
  std::set<size_t> Drop = outputAndOtherSources(C, C.Sources.size());
  Drop.insert(C.LanguageArgs.begin(), C.LanguageArgs.end());
  Drop.insert(C.DependencyArgs.begin(), C.DependencyArgs.end());
  std::vector<std::string> Codegen = {Ctx.Compiler};
  append(Codegen, argsWithout(C, Drop));
  append(Codegen, {"-Wno-unused-command-line-argument", OptBc, "-Xclang", "-disable-llvm-passes"});
  for (const std::string &K : Ctx.Catalog->commandLineArgs(*Ctx.Config, KnobTool::Llc))
    append(Codegen, {"-mllvm", K});
  if (Ctx.Color && !C.ColorFlag)
    Codegen.push_back("-fcolor-diagnostics");
  append(Codegen, {"-o", Output});
  echo(Ctx, Codegen);
  if (int Rc = runInheritingStdio(Codegen); Rc != 0)
    return Rc;

  if (NeedsPlugin) {
    if (Status S = writeUnitReport(Ctx, SourceIndex, Output, "opt", {}, PluginReport); !S) {
      std::fprintf(stderr, "autopass-cc: error: %s\n", S.message().c_str());
      return 1;
    }
  }
  return 0;
}

} // namespace

UnitRoute routeFor(const CandidateConfig &Config, bool ForceOpt) {
  if (Config.Pipeline)
    return UnitRoute::Opt;
  if (!Config.hasHints())
    return UnitRoute::Knobs;
  return ForceOpt ? UnitRoute::Opt : UnitRoute::Plugin;
}

std::vector<std::string> dependencyFileArgs(const CompilerCommand &C, const std::string &Output) {
  std::vector<std::string> Out;
  if (!C.DependencyFile)
    return Out;
  // The dependency file must name the real output, and lie where the
  // build expects it, not in a temporary directory.
  bool HasMF = false;
  for (size_t I : C.DependencyArgs)
    HasMF |= startsWith(C.Args[I], "-MF");
  if (!C.DependencyTarget)
    append(Out, {"-MT", Output});
  if (!HasMF) {
    // clang's own choice without -MF: the output with its extension
    // replaced by .d.
    size_t Slash = Output.find_last_of('/');
    size_t Dot = Output.find_last_of('.');
    bool HasExt = Dot != std::string::npos && (Slash == std::string::npos || Dot > Slash + 1);
    std::string Base = HasExt ? Output.substr(0, Dot) : Output;
    append(Out, {"-MF", Base + ".d"});
  }
  return Out;
}

std::vector<std::string> unitArguments(const CompilerCommand &Command, size_t SourceIndex,
                                       const std::string &Output) {
  std::vector<std::string> Out = argsWithout(Command, outputAndOtherSources(Command, SourceIndex));
  append(Out, {"-o", Output});
  return Out;
}

int compileUnit(const UnitCompileContext &Ctx, size_t SourceIndex, const std::string &Output) {
  // A report from an earlier build with another configuration must not
  // survive this one.
  (void)removeAll(unitReportPathFor(Output));
  UnitRoute Route = routeFor(*Ctx.Config, Ctx.ForceOpt);
  if (Route == UnitRoute::Opt)
    return compileThroughOpt(Ctx, SourceIndex, Output);

  std::vector<std::string> Argv = {Ctx.Compiler};
  append(Argv, unitArguments(*Ctx.Command, SourceIndex, Output));
  append(Argv, Ctx.Catalog->commandLineArgs(*Ctx.Config, KnobTool::Both));
  if (Route == UnitRoute::Knobs) {
    echo(Ctx, Argv);
    return runInheritingStdio(Argv);
  }

  if (Ctx.Install->Plugin.empty()) {
    std::fprintf(stderr, "autopass-cc: error: %s: the configuration has region hints: %s\n",
                 Ctx.ConfigPath.c_str(), Ctx.Install->pluginNotFoundMessage().c_str());
    return 1;
  }
  Argv.push_back("-fpass-plugin=" + Ctx.Install->Plugin);
  if (Ctx.Color && !Ctx.Command->ColorFlag)
    Argv.push_back("-fcolor-diagnostics");
  std::vector<UnmatchedHint> Unmatched;
  if (int Rc = runCaptured(Ctx, Argv, {{"AUTOPASS_CONFIG", Ctx.ConfigPath}}, Unmatched); Rc != 0)
    return Rc;
  if (Status S = writeUnitReport(Ctx, SourceIndex, Output, "plugin", std::move(Unmatched), "");
      !S) {
    std::fprintf(stderr, "autopass-cc: error: %s\n", S.message().c_str());
    return 1;
  }
  return 0;
}

} // namespace autopass
