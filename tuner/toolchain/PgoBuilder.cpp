//===- toolchain/PgoBuilder.cpp - clang IR PGO builds ---------------------===//
//
// The training run reuses measure/Runner so the program sees exactly the
// arguments, stdin, environment and working directory of a measured run;
// only LLVM_PROFILE_FILE is added (an absolute path, since each run starts
// in a fresh scratch directory). %p keeps one file per process, so a program
// that forks, or several training runs, never overwrite each other.
//
//===----------------------------------------------------------------------===//
#include "toolchain/PgoBuilder.hpp"

#include "toolchain/BuildStep.hpp"

#include "measure/Runner.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"
#include "util/Time.hpp"

#include <algorithm>

namespace autopass {

namespace {

/// Warnings -fprofile-use emits for code the training run never reached or
/// that changed since; expected here (the tuned build adds knobs), so they
/// are silenced to keep build logs readable.
const std::vector<std::string> ProfileUseQuiet = {"-Wno-profile-instr-unprofiled",
                                                  "-Wno-profile-instr-out-of-date",
                                                  "-Wno-profile-instr-missing"};

} // namespace

PgoBuilder::PgoBuilder(const ProgramSpec &Spec, const Toolchain &Tools, std::string WorkDir)
    : Spec(Spec), Tools(Tools), WorkDir(std::move(WorkDir)) {}

std::string PgoBuilder::unsupportedReason(const CandidateConfig &Config) {
  if (Config.Pipeline)
    return "the config has a pipeline (\"pipeline\"), which only the opt build flow can run; "
           "PGO is applied through clang's own -O3 pipeline (pgo-instr-use), so configs with "
           "a pipeline cannot be combined with PGO here (knobs and hints can)";
  return "";
}

Status PgoBuilder::runTool(const std::vector<std::string> &Argv,
                           std::vector<std::string> &Commands,
                           const std::map<std::string, std::string> &Env,
                           std::string *Warnings) {
  // The work directory is inside the run directory; clang resolves the
  // spec's relative paths in the spec's directory.
  if (Status S = makeDirectories(WorkDir); !S)
    return S;
  auto Stderr = runBuildStep(Argv, Spec.Dir, WorkDir, Commands, Env);
  if (!Stderr)
    return Stderr.error();
  if (Warnings && !Stderr->empty())
    *Warnings = logExcerpt(*Warnings + *Stderr);
  return success();
}

Result<std::string> PgoBuilder::compileAndLink(const std::string &OutDir,
                                               const std::vector<std::string> &ExtraCompile,
                                               const std::vector<std::string> &ExtraLink,
                                               const std::map<std::string, std::string> &Env,
                                               std::vector<std::string> &Commands,
                                               std::string &Warnings) {
  // A stale directory from an earlier call would mix old objects in.
  if (Status S = removeAll(OutDir); !S)
    return S.error();
  if (Status S = makeDirectories(OutDir); !S)
    return S.error();
  std::vector<std::string> Objects;
  for (size_t I = 0; I < Spec.Sources.size(); ++I) {
    std::string Obj = joinPath(OutDir, std::to_string(I) + "-" + fileStem(Spec.Sources[I]) + ".o");
    std::vector<std::string> Argv = {Tools.Clang, "-O3"};
    for (const std::string &Flag : Spec.targetFlags())
      Argv.push_back(Flag);
    Argv.insert(Argv.end(), Spec.CompileFlags.begin(), Spec.CompileFlags.end());
    Argv.insert(Argv.end(), ExtraCompile.begin(), ExtraCompile.end());
    Argv.insert(Argv.end(), {"-c", Spec.Sources[I], "-o", Obj});
    if (Status S = runTool(Argv, Commands, Env, &Warnings); !S)
      return S.error();
    Objects.push_back(Obj);
  }
  std::string Binary = joinPath(OutDir, Spec.Name);
  std::vector<std::string> Argv = {Spec.hasCxx() ? Tools.ClangXX : Tools.Clang, "-O3"};
  for (const std::string &Flag : Spec.targetFlags())
    Argv.push_back(Flag);
  Argv.insert(Argv.end(), ExtraLink.begin(), ExtraLink.end());
  Argv.insert(Argv.end(), Objects.begin(), Objects.end());
  Argv.insert(Argv.end(), Spec.LinkFlags.begin(), Spec.LinkFlags.end());
  Argv.insert(Argv.end(), {"-o", Binary});
  if (Status S = runTool(Argv, Commands, {}, &Warnings); !S)
    return S.error();
  return Binary;
}

Result<PgoProfile> PgoBuilder::train(unsigned TrainingRuns) {
  // PGO compares times, and the training run needs the target's profile
  // runtime: neither exists for a binary that runs under emulation.
  if (Spec.Runner.Kind != RunnerKind::Local)
    return makeError(Spec.Name + ": PGO needs runner \"local\" (runner \"" +
                     std::string(runnerKindName(Spec.Runner.Kind)) + "\" measures no time)");
  double Start = monotonicSeconds();
  PgoProfile P;
  P.Dir = joinPath(WorkDir, "profile");
  std::string RawDir = joinPath(P.Dir, "raw");
  if (Status S = removeAll(P.Dir); !S)
    return S.error();
  if (Status S = makeDirectories(RawDir); !S)
    return S.error();

  // 1. Instrumented build (IR PGO: -fprofile-generate, not the coverage
  //    flags). The directory argument is only the default; the environment
  //    variable below decides where the runs write.
  std::string Gen = "-fprofile-generate=" + RawDir;
  auto Bin = compileAndLink(joinPath(WorkDir, "instrumented"), {Gen}, {Gen}, {},
                            P.Instrumented.Commands, P.Instrumented.Log);
  if (!Bin)
    return makeError("PGO instrumented build: " + Bin.message());
  P.Instrumented.State = BuildResult::Outcome::Ok;
  P.Instrumented.BinaryPath = *Bin;
  P.Instrumented.Seconds = monotonicSeconds() - Start;

  // 2. Training runs, exactly as the spec runs the program.
  ProgramSpec TrainSpec = Spec;
  TrainSpec.Run.Env["LLVM_PROFILE_FILE"] = joinPath(RawDir, "%p.profraw");
  LocalRunner Run(TrainSpec, joinPath(WorkDir, "scratch"), std::nullopt);
  if (Status S = makeDirectories(joinPath(WorkDir, "scratch")); !S)
    return S.error();
  for (unsigned K = 0; K < std::max(1u, TrainingRuns); ++K) {
    P.Commands.push_back("LLVM_PROFILE_FILE=" +
                         shellQuote(TrainSpec.Run.Env["LLVM_PROFILE_FILE"]) + " " +
                         shellJoin([&] {
                           std::vector<std::string> A = {*Bin};
                           A.insert(A.end(), Spec.Run.Args.begin(), Spec.Run.Args.end());
                           return A;
                         }()));
    auto Out = Run.run(*Bin, ObjectiveSpec{});
    if (!Out)
      return makeError("PGO training run: cannot run " + *Bin + ": " + Out.message());
    if (Out->Process.TimedOut || Out->Process.Signal != 0)
      return makeError("PGO training run " + std::to_string(K + 1) + " failed (" +
                       Out->Process.describe(Spec.Run.TimeoutSeconds) +
                       "); the instrumented binary is slower than -O3, raise run.timeout_s");
  }

  // 3. Merge.
  auto Files = listDirectory(RawDir);
  if (!Files)
    return Files.error();
  for (const auto &F : *Files)
    if (endsWith(F, ".profraw"))
      P.RawProfiles.push_back(joinPath(RawDir, fileName(F)));
  std::sort(P.RawProfiles.begin(), P.RawProfiles.end());
  if (P.RawProfiles.empty())
    return makeError("PGO training: the instrumented program wrote no .profraw file under " +
                     RawDir + " (does it exit through exit() or return from main?)");
  P.ProfdataPath = joinPath(P.Dir, "merged.profdata");
  std::vector<std::string> Merge = {Tools.LlvmProfdata, "merge", "-o", P.ProfdataPath};
  Merge.insert(Merge.end(), P.RawProfiles.begin(), P.RawProfiles.end());
  if (Status S = runTool(Merge, P.Commands); !S)
    return makeError("PGO merge: " + S.message());
  P.Seconds = monotonicSeconds() - Start;
  return P;
}

BuildResult PgoBuilder::buildOptimized(const PgoProfile &Profile, const std::string &Label,
                                       const CandidateConfig *Config) {
  double Start = monotonicSeconds();
  BuildResult R;
  auto Fail = [&](BuildResult::Outcome State, const std::string &Log) {
    R.State = State;
    R.Log = Log;
    R.Seconds = monotonicSeconds() - Start;
    return R;
  };
  std::string OutDir = joinPath(WorkDir, Label);
  std::vector<std::string> Extra = {"-fprofile-use=" + Profile.ProfdataPath};
  Extra.insert(Extra.end(), ProfileUseQuiet.begin(), ProfileUseQuiet.end());
  std::map<std::string, std::string> Env;
  if (Config) {
    if (std::string Why = unsupportedReason(*Config); !Why.empty())
      return Fail(BuildResult::Outcome::Invalid, Why);
    // The deployable form (docs/using-a-config.md): knobs as -mllvm, hints
    // through the plugin, which reads the config from AUTOPASS_CONFIG.
    for (const auto &[Name, Value] : Config->Knobs)
      Extra.insert(Extra.end(), {"-mllvm", "-" + Name + "=" + knobValueText(Value)});
    if (Config->hasHints()) {
      if (Tools.Plugin.empty())
        return Fail(BuildResult::Outcome::Invalid,
                    "the config has region hints, which need the AutoPass plugin, but no "
                    "plugin was found (set AUTOPASS_PLUGIN)");
      std::string ConfigPath = joinPath(WorkDir, Label + "-config.json");
      if (Status S = makeDirectories(WorkDir); !S)
        return Fail(BuildResult::Outcome::Failed, S.message());
      if (Status S = writeFile(ConfigPath, Config->toJson(true)); !S)
        return Fail(BuildResult::Outcome::Failed, S.message());
      Extra.push_back("-fpass-plugin=" + Tools.Plugin);
      Env["AUTOPASS_CONFIG"] = ConfigPath;
    }
  }
  // Warnings of a successful build are kept: a region hint the optimizer
  // could not honour under PGO says so here (-Wpass-failed).
  std::string Warnings;
  auto Bin = compileAndLink(OutDir, Extra, {}, Env, R.Commands, Warnings);
  if (!Bin)
    return Fail(BuildResult::Outcome::Failed, Bin.message());
  R.State = BuildResult::Outcome::Ok;
  R.BinaryPath = *Bin;
  R.Log = Warnings;
  auto Digest = fileSha256(R.BinaryPath);
  if (!Digest)
    return Fail(BuildResult::Outcome::Failed, Digest.message());
  R.BinaryHash = *Digest;
  R.ContentHash = R.BinaryHash;
  R.Seconds = monotonicSeconds() - Start;
  return R;
}

} // namespace autopass
