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

} // namespace autopass
