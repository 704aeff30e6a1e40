//===- SourceOrigin.h - where inlined IR came from ------------*- C++ -*-===//
//
// After inlining, a loop of a static kernel called from `main` lives in
// main's IR, and pass records name it "main:L@...". Its debug locations
// still say where the code was written: the innermost scope of a location is
// the source function (DISubprogram) the code belongs to, whatever chain of
// `inlinedAt` locations says where it was inlined. Configurations name loops
// by the source function (hints are applied before inlining), so
// introspection attributes each record to source functions through these
// helpers, and the tuner matches hints to records by source function.
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_SOURCEORIGIN_H
#define AUTOPASS_PLUGIN_SOURCEORIGIN_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace llvm {
class DILocation;
class DISubprogram;
class Function;
} // namespace llvm

namespace autopass {

/// The subprogram the code at \p Loc was written in (its own scope's, not
/// the one it was inlined into); null without one.
const llvm::DISubprogram *sourceSubprogram(const llvm::DILocation *Loc);

/// The IR name the source function had before any inlining: its linkage
/// name (C++) or else its name (C).
llvm::StringRef sourceFunctionName(const llvm::DISubprogram &SP);

/// The instructions of one source function inside an IR unit.
struct SourceShare {
  /// Null for instructions with no location in a function without a
  /// subprogram: they count for the IR function itself.
  const llvm::DISubprogram *Subprogram = nullptr;
  const llvm::Function *Owner = nullptr; ///< Used when Subprogram is null.
  uint64_t Instructions = 0;
  /// Identity of those instructions (addresses, opcodes, operands, debug
  /// locations), order-independent: it differs when a pass changed them.
  uint64_t Hash = 0;

  llvm::StringRef name() const;
};

/// The instructions of \p Functions grouped by source function, in order
/// of first appearance. Instructions without a debug location count for
/// the function that holds them.
llvm::SmallVector<SourceShare, 4>
sourceShares(llvm::ArrayRef<const llvm::Function *> Functions);

/// Whether \p Shares holds code of a source function other than the IR
/// functions themselves (something was inlined into them).
bool hasForeignCode(llvm::ArrayRef<SourceShare> Shares,
                    llvm::ArrayRef<const llvm::Function *> Functions);

} // namespace autopass

#endif // AUTOPASS_PLUGIN_SOURCEORIGIN_H
