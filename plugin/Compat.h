//===- Compat.h - LLVM version differences in one place ---------*- C++ -*-===//
//
// The plugin is written against LLVM 19. Later releases moved PassPlugin.h
// (LLVM 22: llvm/Plugins/PassPlugin.h) and gave the pipeline extension-point
// callbacks an extra ThinOrFullLTOPhase argument. Every other file includes
// this header instead of spelling those differences out.
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
/// the pipeline-start extension point, whatever the callback signature of
/// the LLVM in use.
template <typename CallbackT>
void registerPipelineStart(llvm::PassBuilder &PB, CallbackT Callback) {
#if LLVM_VERSION_MAJOR >= 22
  PB.registerPipelineStartEPCallback(
      [Callback = std::move(Callback)](llvm::ModulePassManager &MPM,
                                       llvm::OptimizationLevel Level,
                                       llvm::ThinOrFullLTOPhase) {
        Callback(MPM, Level);
      });
#else
  PB.registerPipelineStartEPCallback(std::move(Callback));
#endif
}

} // namespace autopass

#endif // AUTOPASS_PLUGIN_COMPAT_H
