//===- Hints.h - the `autopass` element: apply region hints -----*- C++ -*-===//
//
// Writes a configuration's region hints (docs/config-format.md) into the IR
// as the metadata and attributes LLVM's own passes honour: llvm.loop.*
// properties on loops, inline and size attributes on functions, inline
// attributes on call sites. It runs before optimization, at the element's
// position in opt, or at clang's pipeline start (AUTOPASS_CONFIG).
//
// Names that match nothing are warnings (errors with `strict`), and are
// listed in the optional report (schema autopass-hints-report/1).
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_HINTS_H
#define AUTOPASS_PLUGIN_HINTS_H

#include "Config.h"

#include "llvm/IR/PassManager.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace autopass {

// The plugin's code names the configuration's types unqualified.
using config::CallHint;
using config::Config;
using config::FunctionHint;
using config::InlineChoice;
using config::LoopHint;
using config::LoopName;
using config::parseLoopName;
using config::readConfigFile;
using config::SizeChoice;

struct HintsOptions {
  std::string ConfigPath;
  std::string ReportPath; ///< Empty: no report.
  bool Strict = false;
};

/// Parses "config=FILE[;report=FILE][;strict]".
llvm::Expected<HintsOptions> parseHintsOptions(llvm::StringRef Text);

class HintsPass : public llvm::PassInfoMixin<HintsPass> {
public:
  HintsPass(std::shared_ptr<const Config> C, HintsOptions Options)
      : C(std::move(C)), Options(std::move(Options)) {}

  llvm::PreservedAnalyses run(llvm::Module &M,
                              llvm::ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

private:
  std::shared_ptr<const Config> C;
  HintsOptions Options;
};

} // namespace autopass

#endif // AUTOPASS_PLUGIN_HINTS_H
