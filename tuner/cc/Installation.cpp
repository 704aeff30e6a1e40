//===- cc/Installation.cpp - Where autopass-cc finds its tools ------------===//
#include "cc/Installation.hpp"

#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <unistd.h>

namespace autopass {

namespace {

constexpr const char *PluginFileName = "libAutoPassPlugin.so";

std::string env(const char *Name) {
  const char *V = std::getenv(Name);
  return V ? V : "";
}

std::string selfDirectory() {
  char Buf[PATH_MAX];
  ssize_t N = ::readlink("/proc/self/exe", Buf, sizeof(Buf) - 1);
  if (N <= 0)
    return "";
  Buf[N] = '\0';
  return parentPath(Buf);
}

} // namespace

Installation Installation::locate() {
  Installation I;
  I.SelfDir = selfDirectory();
  I.LlvmBinDir = env("AUTOPASS_LLVM_BINDIR");
  if (I.LlvmBinDir.empty())
    I.LlvmBinDir = builtWithLlvmBinDir();

  std::string PluginEnv = env("AUTOPASS_PLUGIN");
  if (!PluginEnv.empty()) {
    // An explicit choice is never replaced by a guess.
    I.PluginCandidates = {PluginEnv};
  } else {
    if (!I.SelfDir.empty())
      I.PluginCandidates.push_back(
          absolutePath(joinPath(I.SelfDir, std::string("../lib/autopass/") + PluginFileName)));
    for (const std::string &P : configuredPluginFiles())
      I.PluginCandidates.push_back(P);
  }
  for (const std::string &P : I.PluginCandidates)
    if (pathExists(P)) {
      I.Plugin = absolutePath(P);
      break;
    }

  if (std::string D = env("AUTOPASS_DATA_DIR"); !D.empty())
    I.DataDirs.push_back(D);
  if (!I.SelfDir.empty())
    I.DataDirs.push_back(absolutePath(joinPath(I.SelfDir, "../share/autopass")));
  for (const std::string &D : KnobCatalog::dataDirectories())
    if (std::find(I.DataDirs.begin(), I.DataDirs.end(), D) == I.DataDirs.end())
      I.DataDirs.push_back(D);
  return I;
}

std::string Installation::clang(bool Cxx) const {
  return joinPath(LlvmBinDir, Cxx ? "clang++" : "clang");
}

std::string Installation::opt() const { return joinPath(LlvmBinDir, "opt"); }

std::string Installation::autopassCc() const {
  return SelfDir.empty() ? "autopass-cc" : joinPath(SelfDir, "autopass-cc");
}

std::string Installation::findData(const std::string &File) const {
  for (const std::string &D : DataDirs)
    if (pathExists(joinPath(D, File)))
      return D;
  return "";
}

Result<KnobCatalog> Installation::loadCatalog() const {
  const std::string Name = KnobCatalog::defaultFileName();
  std::string Dir = findData(Name);
  if (Dir.empty()) {
    std::vector<std::string> Tried;
    for (const std::string &D : DataDirs)
      Tried.push_back(joinPath(D, Name));
    return makeError("knob catalog " + Name + " not found (tried " + join(Tried, ", ") +
                     "; set AUTOPASS_DATA_DIR)");
  }
  return KnobCatalog::load(joinPath(Dir, Name));
}

std::string Installation::pluginNotFoundMessage() const {
  return "the AutoPass plugin was not found (tried " + join(PluginCandidates, ", ") +
         "; set AUTOPASS_PLUGIN to libAutoPassPlugin.so)";
}

} // namespace autopass
