//===- cc/CcDriver.hpp - autopass-cc: one compiler invocation -*- C++ -*-===//
//
// autopass-cc is used three ways (docs/using-a-config.md):
//
//   CC=autopass-cc / CXX=autopass-c++        runs LLVM's clang / clang++
//   CMAKE_<LANG>_COMPILER_LAUNCHER=autopass-cc   argv[1] is the real compiler
//   CMAKE_<LANG>_LINKER_LAUNCHER=autopass-cc     same, for link steps
//
// The configuration comes from --autopass-config=FILE (removed from the
// command line) or AUTOPASS_CONFIG. Compile steps at -O2/-O3/-Ofast are
// built with it (cc/UnitCompiler.hpp); link steps report hints that matched
// in no linked unit; everything else (no configuration, -O0, -E, queries,
// a compiler that is not clang) runs the real compiler unchanged.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <string>
#include <vector>

namespace autopass {

/// Argv as main() received it. Returns the process exit status.
int runAutopassCc(const std::vector<std::string> &Argv);

/// Launcher use: is Arg the real compiler (an executable, not an input)?
bool looksLikeCompiler(const std::string &Arg);

} // namespace autopass
