// Placeholder registration; the elements land with the plugin issue.
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"

extern "C" LLVM_ATTRIBUTE_WEAK ::llvm::PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "AutoPass", "0.1.0", [](llvm::PassBuilder &) {}};
}
