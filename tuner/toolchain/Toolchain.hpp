//===- toolchain/Toolchain.hpp - The LLVM tools the tuner drives -*- C++ -*-===//
//
// Where clang, opt, llc and friends live and which versions they are (the
// versions are part of every build cache key), and which AutoPass plugin to
// load. The tool directory comes from --llvm-bindir, else the environment
// variable AUTOPASS_LLVM_BINDIR, else the LLVM the tuner was built against.
// The plugin comes from AUTOPASS_PLUGIN, else the build tree, else the
// install location; it is optional (only region hints need it).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <string>
#include <vector>

namespace autopass {

struct Toolchain {
  std::string BinDir;
  std::string Clang;
  std::string ClangXX;
  std::string Opt;
  std::string Llc;
  std::string LlvmLink;
  std::string LlvmProfdata;
  std::string Plugin;     // "" when no plugin was found
  std::string PluginHash; // SHA-256 of the plugin file, "" without one
  std::string ClangVersion; // first line of `clang --version`
  std::string OptVersion;
  std::string LlcVersion;

  /// BinDirOverride: the --llvm-bindir flag ("" when absent).
  static Result<Toolchain> locate(const std::string &BinDirOverride = "");

  /// Everything about the tools that can change a binary, for cache keys.
  std::string versionKey() const;
};

/// The LLVM tool directory the tuner was built against (the build's
/// AUTOPASS_LLVM_BINDIR), the default when nothing else names one.
std::string builtWithLlvmBinDir();

/// The plugin files the build knows of, in the order to try them: the build
/// tree's, then the configured install prefix's (unset ones left out).
/// Whether they exist is for the caller to check.
std::vector<std::string> configuredPluginFiles();

} // namespace autopass
