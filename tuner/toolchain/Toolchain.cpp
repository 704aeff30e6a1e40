//===- toolchain/Toolchain.cpp - The LLVM tools the tuner drives ----------===//
#include "toolchain/Toolchain.hpp"

#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include <cstdlib>
#include <unistd.h>

#ifndef AUTOPASS_LLVM_BINDIR
#define AUTOPASS_LLVM_BINDIR "/usr/lib/llvm-19/bin"
#endif
#ifndef AUTOPASS_BUILD_PLUGIN
#define AUTOPASS_BUILD_PLUGIN ""
#endif
#ifndef AUTOPASS_INSTALL_PLUGIN
#define AUTOPASS_INSTALL_PLUGIN ""
#endif

namespace autopass {

namespace {

Result<std::string> versionLine(const std::string &Tool) {
  SubprocessOptions O;
  O.Argv = {Tool, "--version"};
  O.TimeoutSeconds = 30;
  auto R = runSubprocess(O);
  if (!R)
    return R.error();
  if (!R->succeeded())
    return makeError(Tool + " --version failed: " + R->describe());
  // opt/llc print a banner line first ("Debian LLVM version 19.1.7" is the
  // second line for them); keep the first two non-empty lines.
  std::string Out;
  int Lines = 0;
  for (const auto &L : split(R->Stdout, '\n')) {
    std::string T(trim(L));
    if (T.empty())
      continue;
    Out += (Out.empty() ? "" : " | ") + T;
    if (++Lines == 2)
      break;
  }
  return Out;
}

} // namespace

std::string builtWithLlvmBinDir() { return AUTOPASS_LLVM_BINDIR; }

std::vector<std::string> configuredPluginFiles() {
  std::vector<std::string> Files;
  for (const char *P : {AUTOPASS_BUILD_PLUGIN, AUTOPASS_INSTALL_PLUGIN})
    if (*P)
      Files.push_back(P);
  return Files;
}

Result<Toolchain> Toolchain::locate(const std::string &BinDirOverride) {
  Toolchain T;
  const char *Env = std::getenv("AUTOPASS_LLVM_BINDIR");
  std::string From;
  if (!BinDirOverride.empty()) {
    T.BinDir = BinDirOverride;
    From = "--llvm-bindir";
  } else if (Env && *Env) {
    T.BinDir = Env;
    From = "AUTOPASS_LLVM_BINDIR";
  } else {
    T.BinDir = builtWithLlvmBinDir();
    From = "the build configuration";
  }
  T.BinDir = absolutePath(T.BinDir);
  auto tool = [&](const char *Name, std::string &Out) -> Status {
    Out = joinPath(T.BinDir, Name);
    if (::access(Out.c_str(), X_OK) != 0)
      return makeError(Out + ": not found or not executable (LLVM tool directory from " + From +
                       "; set --llvm-bindir or AUTOPASS_LLVM_BINDIR)");
    return success();
  };
  for (auto [Name, Field] : {std::pair<const char *, std::string *>{"clang", &T.Clang},
                             {"clang++", &T.ClangXX},
                             {"opt", &T.Opt},
                             {"llc", &T.Llc}})
    if (Status S = tool(Name, *Field); !S)
      return S.error();
  // Optional tools: only some features need them.
  (void)tool("llvm-link", T.LlvmLink);
  (void)tool("llvm-profdata", T.LlvmProfdata);

  const char *PluginEnv = std::getenv("AUTOPASS_PLUGIN");
  std::vector<std::string> PluginCandidates = configuredPluginFiles();
  if (PluginEnv && *PluginEnv)
    PluginCandidates.insert(PluginCandidates.begin(), PluginEnv);
  for (const std::string &Candidate : PluginCandidates) {
    if (pathExists(Candidate)) {
      T.Plugin = absolutePath(Candidate);
      break;
    }
  }
  if (PluginEnv && *PluginEnv && T.Plugin != absolutePath(PluginEnv))
    return makeError(std::string(PluginEnv) + ": AUTOPASS_PLUGIN names a file that does not exist");
  if (!T.Plugin.empty()) {
    Hasher H;
    if (Status S = H.addFile("plugin", T.Plugin); !S)
      return S.error();
    T.PluginHash = H.hexDigest();
  }

  auto CV = versionLine(T.Clang);
  if (!CV)
    return CV.error();
  T.ClangVersion = *CV;
  auto OV = versionLine(T.Opt);
  if (!OV)
    return OV.error();
  T.OptVersion = *OV;
  auto LV = versionLine(T.Llc);
  if (!LV)
    return LV.error();
  T.LlcVersion = *LV;
  return T;
}

std::string Toolchain::versionKey() const {
  return "clang=" + ClangVersion + ";opt=" + OptVersion + ";llc=" + LlcVersion;
}

} // namespace autopass
