//===- Features.h - autopass-features: what an engineer looks at -*- C++ -*-===//
//
// Per function: instruction mix, blocks, direct and indirect calls. Per loop
// (named FUNCTION:L<i>, LoopNaming.h): nesting, source line, trip count and
// memory access strides from ScalarEvolution, calls, body size. Format:
// docs/evidence-format.md, schema autopass-features/1.
//
// The tuner runs this on the front end's unoptimized IR, where locals live
// in allocas and ScalarEvolution sees nothing. The figures are therefore
// computed on a clone of the module whose allocas are promoted and whose
// loops are rotated (neither changes the loop forest, which is checked);
// names and lines come from the IR as given, so they match what the
// `autopass` element sees at pipeline start.
//
// Use: opt -load-pass-plugin=libAutoPassPlugin.so
//          -passes='autopass-features<out=features.json>' -disable-output x.ll
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_FEATURES_H
#define AUTOPASS_PLUGIN_FEATURES_H

#include "llvm/IR/PassManager.h"
#include "llvm/Support/Error.h"

#include <string>

namespace autopass {

struct FeaturesOptions {
  std::string Out;
};

/// Parses "out=FILE".
llvm::Expected<FeaturesOptions> parseFeaturesOptions(llvm::StringRef Text);

class FeaturesPass : public llvm::PassInfoMixin<FeaturesPass> {
public:
  explicit FeaturesPass(FeaturesOptions Options)
      : Options(std::move(Options)) {}

  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }

private:
  FeaturesOptions Options;
};

} // namespace autopass

#endif // AUTOPASS_PLUGIN_FEATURES_H
