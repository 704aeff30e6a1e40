//===- toolchain/ProjectBuilder.cpp - Builds through the project's build --===//
#include "toolchain/ProjectBuilder.hpp"

#include "store/BuildCache.hpp"
#include "toolchain/LauncherLog.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"
#include "util/Time.hpp"

#include <map>
#include <sys/stat.h>

namespace autopass {

namespace {

/// The last lines of a build's output, enough to see the error.
std::string outputTail(const SubprocessResult &R) {
  std::string Text = R.Stdout + R.Stderr;
  std::vector<std::string> Lines = split(Text, '\n');
  size_t From = Lines.size() > 30 ? Lines.size() - 30 : 0;
  std::vector<std::string> Tail(Lines.begin() + static_cast<long>(From), Lines.end());
  return join(Tail, "\n");
}

std::string displayCommand(const ProjectBuild &B, const std::map<std::string, std::string> &Env) {
  std::string Out = "cd " + shellQuote(B.Directory) + " &&";
  for (const auto &[Name, Value] : Env)
    Out += " " + Name + "=" + shellQuote(Value);
  return Out + " " + shellJoin(B.Command);
}

/// Why a build failed: the units whose compile failed, with their commands,
/// else the build command itself; the output's tail either way.
std::string failureMessage(const std::vector<LauncherRecord> &Records,
                           const SubprocessResult &R, const std::string &Command) {
  std::string Msg;
  for (const LauncherRecord &U : Records)
    if (U.ExitCode != 0)
      Msg += "unit " + U.Source + " failed to compile (exit code " + std::to_string(U.ExitCode) +
             ")\n  compile command (in the build, through autopass-cc): " + U.Command + "\n";
  if (Msg.empty())
    Msg = "the project's build failed (" + R.describe() + ") and no unit compile failed; ";
  Msg += "build command: " + Command + "\n" + outputTail(R);
  return Msg;
}

/// Every unit of the spec must have gone through autopass-cc; with a
/// configuration, with that configuration (an --autopass-config fixed in
/// the launcher would override the candidate's).
std::string checkCoverage(const ProjectBuild &B, const std::vector<LauncherRecord> &Records,
                          const std::string &ConfigHash, size_t &Rebuilt, size_t &Reused) {
  std::map<std::string, const LauncherRecord *> ByOutput;
  for (const LauncherRecord &R : Records)
    ByOutput[R.Output] = &R;
  for (const BuildUnit &U : B.Units) {
    auto It = ByOutput.find(U.Output);
    if (It == ByOutput.end())
      return "unit " + U.File + " (object " + U.Output +
             ") was not compiled through autopass-cc: configure the build with autopass-cc as "
             "the compiler launcher (CMake: -DCMAKE_C_COMPILER_LAUNCHER=autopass-cc and "
             "-DCMAKE_CXX_COMPILER_LAUNCHER=autopass-cc; Make: CC=\"autopass-cc clang\"), see "
             "docs/tuning-a-cmake-project.md";
    const LauncherRecord &R = *It->second;
    if (R.applied() && R.ConfigHash != ConfigHash)
      return "unit " + U.File + " was compiled with another configuration (" +
             R.ConfigHash.substr(0, 12) + ") than the candidate's (" + ConfigHash.substr(0, 12) +
             "): the launcher must not fix --autopass-config; the tuner passes it in "
             "AUTOPASS_CONFIG";
    if (R.rebuilt())
      ++Rebuilt;
    else if (R.Cache == ObjectCacheUse::Hit)
      ++Reused;
  }
  return "";
}

} // namespace

ProjectBuilder::ProjectBuilder(const ProgramSpec &Spec, const Toolchain &Tools,
                               const ToolOptionIndex &Options, BuildCache &Cache)
    : Spec(Spec), Tools(Tools), Options(Options), Cache(Cache) {}

std::string ProjectBuilder::objectCacheDir() const { return joinPath(Cache.root(), "cc-objects"); }

BuildResult ProjectBuilder::buildBaseline() { return build("", ""); }

BuildResult ProjectBuilder::buildCandidate(const CandidateConfig &Config) {
  double Start = monotonicSeconds();
  std::vector<std::string> OptKnobs, CodegenKnobs;
  if (Status S = placeKnobs(Config, Tools, Options, OptKnobs, CodegenKnobs); !S) {
    BuildResult Invalid;
    Invalid.State = BuildResult::Outcome::Invalid;
    Invalid.Log = S.message();
    Invalid.Seconds = monotonicSeconds() - Start;
    return Invalid;
  }
  if (Config.hasHints() && Tools.Plugin.empty()) {
    BuildResult Invalid;
    Invalid.State = BuildResult::Outcome::Invalid;
    Invalid.Log = "the config has region hints, which need the AutoPass plugin, but no plugin "
                  "was found (set AUTOPASS_PLUGIN)";
    return Invalid;
  }
  // The file autopass-cc reads, content-addressed like the builder's.
  std::string ConfigPath =
      joinPath(joinPath(Cache.root(), "configs"), Config.contentHash() + ".json");
  if (!pathExists(ConfigPath)) {
    BuildResult Failed;
    if (Status S = makeDirectories(parentPath(ConfigPath)); !S) {
      Failed.Log = S.message();
      return Failed;
    }
    if (Status S = writeFileAtomically(ConfigPath, Config.toJson(true)); !S) {
      Failed.Log = S.message();
      return Failed;
    }
  }
  return build(ConfigPath, Config.contentHash());
}

Result<std::vector<std::string>> ProjectBuilder::rebuildCommands(const CandidateConfig &Config,
                                                                const std::string &ConfigPath,
                                                                const std::string &OutDir) {
  std::vector<std::string> OptKnobs, CodegenKnobs;
  if (Status S = placeKnobs(Config, Tools, Options, OptKnobs, CodegenKnobs); !S)
    return S.error();
  const ProjectBuild &B = *Spec.Build;
  std::vector<std::string> Remove = {"rm", "-f"};
  for (const BuildUnit &U : B.Units)
    Remove.push_back(U.Output);
  std::map<std::string, std::string> Env = {{"AUTOPASS_CONFIG", ConfigPath},
                                            {"AUTOPASS_LLVM_BINDIR", parentPath(Tools.Opt)}};
  if (!Tools.Plugin.empty())
    Env["AUTOPASS_PLUGIN"] = Tools.Plugin;
  return std::vector<std::string>{shellJoin({"mkdir", "-p", OutDir}), shellJoin(Remove),
                                  "(" + displayCommand(B, Env) + ")",
                                  shellJoin({"cp", B.Binary, joinPath(OutDir, Spec.Name)})};
}

BuildResult ProjectBuilder::build(const std::string &ConfigPath, const std::string &ConfigHash) {
  std::lock_guard<std::mutex> Guard(Lock);
  double Start = monotonicSeconds();
  const ProjectBuild &B = *Spec.Build;
  BuildResult Result;
  auto fail = [&](const std::string &Log) {
    Result.State = BuildResult::Outcome::Failed;
    Result.Log = Log;
    Result.Seconds = monotonicSeconds() - Start;
    return Result;
  };

  // Every unit compiles again (through the object cache), so the build
  // cannot keep an object of another configuration because its source is
  // older than it.
  for (const BuildUnit &U : B.Units)
    (void)removeAll(U.Output);
  (void)removeAll(B.Binary);
  auto LogDir = makeTempDirectory(Cache.tmpRoot(), "cc-log-");
  if (!LogDir)
    return fail(LogDir.message());
  struct Cleanup {
    std::string Dir;
    ~Cleanup() { (void)removeAll(Dir); }
  } RemoveLog{*LogDir};

  std::map<std::string, std::string> Env = {{"AUTOPASS_CONFIG", ConfigPath},
                                            {"AUTOPASS_CC_CACHE", objectCacheDir()}};
  if (!Tools.Plugin.empty())
    Env["AUTOPASS_PLUGIN"] = Tools.Plugin;
  Env["AUTOPASS_LLVM_BINDIR"] = parentPath(Tools.Opt);
  std::string Command = displayCommand(B, Env);
  Result.Commands.push_back(Command);
  SubprocessOptions O;
  O.Argv = B.Command;
  O.Cwd = B.Directory;
  O.Env = Env;
  O.Env["AUTOPASS_CC_LOG"] = *LogDir;
  O.OutputCap = 4u << 20;
  auto Run = runSubprocess(O);
  if (!Run)
    return fail("cannot run the project's build command: " + Run.message() +
                "\n  build command: " + Command);
  auto Records = readLauncherLog(*LogDir);
  if (!Records)
    return fail(Records.message());
  if (!Run->succeeded())
    return fail(failureMessage(*Records, *Run, Command));
  if (std::string Gap = checkCoverage(B, *Records, ConfigHash, Result.UnitsRebuilt,
                                      Result.UnitsReused);
      !Gap.empty())
    return fail(Spec.SpecPath + ": " + Gap);
  if (!pathExists(B.Binary))
    return fail("the build succeeded but did not write the binary " + B.Binary +
                " (build.binary)\n  build command: " + Command);

  // The measured binary is kept: the next build overwrites the project's.
  Hasher BH;
  if (Status S = BH.addFile("binary", B.Binary); !S)
    return fail(S.message());
  Result.BinaryHash = BH.hexDigest();
  Hasher KH;
  KH.add("kind", "project-binary").add("binary", Result.BinaryHash);
  std::string Key = KH.hexDigest();
  auto Entry = Cache.insert(Key, [&](const std::string &Dir) -> Status {
    std::string Copy = joinPath(Dir, Spec.Name);
    if (Status S = copyFile(B.Binary, Copy); !S)
      return S;
    if (::chmod(Copy.c_str(), 0755) != 0)
      return makeError("cannot make " + Copy + " executable");
    return success();
  });
  if (!Entry)
    return fail(Entry.message());
  Result.State = BuildResult::Outcome::Ok;
  Result.BinaryPath = joinPath(*Entry, Spec.Name);
  Hasher CH;
  CH.add("config", ConfigHash).add("binary", Result.BinaryHash);
  Result.ContentHash = CH.hexDigest();
  Result.Seconds = monotonicSeconds() - Start;
  return Result;
}

} // namespace autopass
