//===- Compat.h - LLVM version differences in one place ---------*- C++ -*-===//
//
// The plugin builds against LLVM 19 and LLVM 22. Every other file includes
// this header instead of spelling their differences out. Checked against
// each release's include/llvm/Passes/PassBuilder.h:
//
//   PassPlugin.h       llvm/Passes/ in 19, llvm/Plugins/ in 22.
//   Pipeline start     void(ModulePassManager &, OptimizationLevel) in both.
//                      (The OptimizerEarly, OptimizerLast and
//                      PipelineEarlySimplification callbacks gained a
//                      ThinOrFullLTOPhase argument after 19; the plugin
//                      does not register at those points. A wrapper goes
//                      here the day it does.)
//
// lit-tests/features-clang.c and hints-clang.c run the pipeline-start path
// through clang -fpass-plugin on whichever LLVM the build uses; the lit
// suite runs on both in CI (scripts/test.sh, scripts/test-llvm22.sh).
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_COMPAT_H
#define AUTOPASS_PLUGIN_COMPAT_H

#include "llvm/Config/llvm-config.h"
#include "llvm/Passes/PassBuilder.h"

#if LLVM_VERSION_MAJOR >= 22
#include "llvm/Plugins/PassPlugin.h"
#else
#include "llvm/Passes/PassPlugin.h"
#endif

#include <utility>

namespace autopass {

/// Registers \p Callback (void(ModulePassManager &, OptimizationLevel)) at
/// the pipeline-start extension point. The signature is the same in LLVM 19
/// and 22; the one call site keeps it that way should a release change it.
template <typename CallbackT>
void registerPipelineStart(llvm::PassBuilder &PB, CallbackT Callback) {
  PB.registerPipelineStartEPCallback(std::move(Callback));
}

} // namespace autopass

#endif // AUTOPASS_PLUGIN_COMPAT_H
