//===- cc/Installation.hpp - Where autopass-cc finds its tools -*- C++ -*-===//
//
// autopass-cc runs once per compile, so it cannot afford Toolchain::locate()
// (which runs every tool for its version). It resolves paths only, and it
// resolves them relative to its own executable first, so an installed tree
// (bin/, lib/autopass/, share/autopass/) works wherever it was copied to:
//
//   clang, opt   $AUTOPASS_LLVM_BINDIR, else the LLVM AutoPass was built with
//   plugin       $AUTOPASS_PLUGIN, else EXE/../lib/autopass/, else the build
//                tree's, else the configured install prefix's
//   data         $AUTOPASS_DATA_DIR, else EXE/../share/autopass, else the
//                directories KnobCatalog::dataDirectories() lists
//
// autopass-tuner emit uses the same rules to print paths that work.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/KnobCatalog.hpp"
#include "util/Result.hpp"

#include <string>
#include <vector>

namespace autopass {

struct Installation {
  /// Directory of the running executable ("" if /proc/self/exe is unreadable).
  std::string SelfDir;
  std::string LlvmBinDir;
  /// The plugin file, "" when none of the candidates exists.
  std::string Plugin;
  /// The candidates tried for the plugin, in order (for messages).
  std::vector<std::string> PluginCandidates;
  /// Directories searched for data files (knob catalog, prompts), in order.
  std::vector<std::string> DataDirs;

  static Installation locate();

  std::string clang(bool Cxx) const;
  std::string opt() const;
  /// autopass-cc next to the running executable (emit prints this path).
  std::string autopassCc() const;
  /// The first data directory holding File ("" when none does).
  std::string findData(const std::string &File) const;

  /// Loads the knob catalog from the first data directory that has it.
  Result<KnobCatalog> loadCatalog() const;
  /// "the AutoPass plugin was not found (tried A, B; set AUTOPASS_PLUGIN)".
  std::string pluginNotFoundMessage() const;
};

} // namespace autopass
