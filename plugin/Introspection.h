//===- Introspection.h - autopass-introspect: per-pass records --*- C++ -*-===//
//
// Release builds of LLVM collect no -stats, so these records are AutoPass's
// statistics: for every pass execution from the element's position to the end
// of the pipeline, the pass, its IR unit, instruction and block counts before
// and after, whether the IR changed (IRFingerprint.h) and wall time, plus a
// per-pass summary and bounded IR diffs of chosen functions. Format:
// docs/evidence-format.md, schema autopass-introspect/1.
//
// Use:  opt -load-pass-plugin=libAutoPassPlugin.so
//           -passes='autopass-introspect<out=rec.json>,default<O2>' in.ll
//       AUTOPASS_INTROSPECT=rec.json clang -O3 -fpass-plugin=... -c in.c
//
// The records are written when the pipeline's owners (pass instrumentation,
// pass builder and pass manager) are destroyed, i.e. once the optimization
// pipeline has finished, whoever drives it; a static guard flushes any
// session still alive at process exit.
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_INTROSPECTION_H
#define AUTOPASS_PLUGIN_INTROSPECTION_H

#include "llvm/IR/PassManager.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class PassInstrumentationCallbacks;
} // namespace llvm

namespace autopass {

struct IntrospectOptions {
  std::string Out;
  std::vector<std::string> DiffFunctions;
  size_t DiffLimit = 64 * 1024;
};

/// Parses the text between the element's angle brackets:
/// "out=FILE[;diff=FUNC:FUNC...][;diff-limit=BYTES]" (, also separates
/// function names, where no pipeline parser splits the text first).
llvm::Expected<IntrospectOptions> parseIntrospectOptions(llvm::StringRef Text);

class IntrospectionSession;

/// Creates a session for \p PIC. It registers its instrumentation callbacks
/// when started, and records nothing before.
std::shared_ptr<IntrospectionSession>
createIntrospectionSession(llvm::PassInstrumentationCallbacks &PIC);

/// Starts recording into Options.Out. A session records once; a second start
/// is reported and ignored.
void startIntrospection(IntrospectionSession &Session,
                        IntrospectOptions Options);

/// The `autopass-introspect<...>` element: starts its session when it runs.
class IntrospectPass : public llvm::PassInfoMixin<IntrospectPass> {
public:
  IntrospectPass(std::shared_ptr<IntrospectionSession> Session,
                 IntrospectOptions Options)
      : Session(std::move(Session)), Options(std::move(Options)) {}

  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  static bool isRequired() { return true; }

private:
  std::shared_ptr<IntrospectionSession> Session;
  IntrospectOptions Options;
};

} // namespace autopass

#endif // AUTOPASS_PLUGIN_INTROSPECTION_H
