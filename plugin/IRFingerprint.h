//===- IRFingerprint.h - size and identity of an IR unit --------*- C++ -*-===//
//
// Introspection must say exactly whether a pass changed its IR unit, without
// trusting the pass's PreservedAnalyses and without printing the IR (too
// slow). A fingerprint hashes, in one walk, everything that prints: each
// instruction's identity (its address: a pass that erases and re-creates an
// instruction changed the IR), opcode, type, flags, operands, the data some
// instructions keep outside their operands (predicates, alignment, PHI blocks,
// shuffle masks, call attributes, tail-call kind...), metadata attachments,
// debug locations and debug records, and block and function attributes. The
// same walk counts instructions and blocks. Value names are not compared
// (looking them up costs a hash-table probe per value and they carry no
// meaning).
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_IRFINGERPRINT_H
#define AUTOPASS_PLUGIN_IRFINGERPRINT_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace llvm {
class BasicBlock;
class Function;
class Loop;
class Module;
} // namespace llvm

namespace autopass {

struct UnitFingerprint {
  uint64_t Hash = 0;
  uint64_t Instructions = 0;
  uint64_t Blocks = 0;
};

/// A defined function: its header, attributes and body.
UnitFingerprint fingerprintFunction(const llvm::Function &F);

/// The module: every function (declarations by their header only), every
/// global variable and alias. Counts are over defined functions.
UnitFingerprint fingerprintModule(const llvm::Module &M);

/// Several functions (an SCC), in the order given.
UnitFingerprint
fingerprintFunctions(llvm::ArrayRef<const llvm::Function *> Functions);

/// A loop for a loop pass. The hash covers the loop's blocks plus its
/// preheader and exit blocks, where loop passes also write (hoisted code,
/// LCSSA phis, rewritten exit values); the counts are of the loop's blocks.
UnitFingerprint fingerprintLoop(const llvm::Loop &L);

} // namespace autopass

#endif // AUTOPASS_PLUGIN_IRFINGERPRINT_H
