//===- toolchain/BuildStep.cpp - Running one compiler step ----------------===//
#include "toolchain/BuildStep.hpp"

#include "util/FileSystem.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

namespace autopass {

namespace {
constexpr size_t LogExcerptBytes = 4000;
} // namespace

std::string logExcerpt(const std::string &Text) {
  if (Text.size() <= LogExcerptBytes)
    return Text;
  return "[...]\n" + Text.substr(Text.size() - LogExcerptBytes);
}

std::vector<std::string> withSourceDirectory(std::vector<std::string> Argv,
                                             const std::string &SourceDir) {
  if (Argv.empty() || SourceDir.empty() || !startsWith(fileName(Argv[0]), "clang"))
    return Argv;
  Argv.insert(Argv.begin() + 1, "-working-directory=" + SourceDir);
  return Argv;
}

Result<std::string> runBuildStep(const std::vector<std::string> &ToolArgv,
                                 const std::string &SourceDir, const std::string &WorkDir,
                                 std::vector<std::string> &Commands,
                                 const std::map<std::string, std::string> &Env) {
  std::vector<std::string> Argv = withSourceDirectory(ToolArgv, SourceDir);
  std::string Shown;
  for (const auto &[Name, Value] : Env)
    Shown += Name + "=" + shellQuote(Value) + " ";
  Commands.push_back(Shown + shellJoin(Argv));
  SubprocessOptions O;
  O.Argv = Argv;
  O.Env = Env;
  O.Cwd = WorkDir;
  O.TimeoutSeconds = BuildStepTimeoutSeconds;
  O.OutputCap = 1u << 20;
  auto R = runSubprocess(O);
  if (!R)
    return R.error();
  if (!R->succeeded())
    return makeError(fileName(Argv[0]) + " failed (" + R->describe(BuildStepTimeoutSeconds) +
                     "): " + shellJoin(Argv) + "\n" + logExcerpt(R->Stderr + R->Stdout));
  return std::move(R->Stderr);
}

} // namespace autopass
