//===- SourceOrigin.cpp - where inlined IR came from in the source --------===//
#include "SourceOrigin.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instruction.h"

using namespace llvm;

namespace autopass {

const DISubprogram *sourceSubprogram(const DILocation *Loc) {
  if (!Loc)
    return nullptr;
  // The location's own scope, not getInlinedAt(): that is where the code
  // physically is now, and the scope is where it was written.
  const DILocalScope *Scope = Loc->getScope();
  return Scope ? Scope->getSubprogram() : nullptr;
}

StringRef sourceFunctionName(const DISubprogram &SP) {
  StringRef Linkage = SP.getLinkageName();
  return Linkage.empty() ? SP.getName() : Linkage;
}

StringRef SourceShare::name() const {
  if (Subprogram)
    return sourceFunctionName(*Subprogram);
  return Owner ? Owner->getName() : StringRef();
}

namespace {

uint64_t mixInto(uint64_t State, uint64_t V) {
  State ^= V + 0x9e3779b97f4a7c15ULL + (State << 6) + (State >> 2);
  State *= 0xff51afd7ed558ccdULL;
  return State ^ (State >> 32);
}

uint64_t instructionIdentity(const Instruction &I) {
  uint64_t H = mixInto(0x243f6a8885a308d3ULL, reinterpret_cast<uintptr_t>(&I));
  H = mixInto(H, I.getOpcode());
  H = mixInto(H, reinterpret_cast<uintptr_t>(I.getType()));
  H = mixInto(H, I.getRawSubclassOptionalData());
  for (const Use &Op : I.operands())
    H = mixInto(H, reinterpret_cast<uintptr_t>(Op.get()));
  return mixInto(H, reinterpret_cast<uintptr_t>(I.getDebugLoc().getAsMDNode()));
}

} // namespace

SmallVector<SourceShare, 4> sourceShares(ArrayRef<const Function *> Functions) {
  SmallVector<SourceShare, 4> Out;
  // Keyed by subprogram, or by the function for code without one.
  DenseMap<const void *, unsigned> Index;
  for (const Function *F : Functions) {
    const DISubprogram *Own = F->getSubprogram();
    // Consecutive instructions mostly share a location.
    const MDNode *LastLoc = nullptr;
    unsigned LastSlot = 0;
    bool HaveLast = false;
    for (const BasicBlock &BB : *F)
      for (const Instruction &I : BB) {
        const DILocation *Loc = I.getDebugLoc().get();
        if (!HaveLast || Loc != LastLoc) {
          const DISubprogram *SP = sourceSubprogram(Loc);
          if (!SP)
            SP = Own;
          const void *Key =
              SP ? static_cast<const void *>(SP) : static_cast<const void *>(F);
          auto [It, New] = Index.try_emplace(Key, Out.size());
          if (New) {
            SourceShare S;
            S.Subprogram = SP;
            S.Owner = F;
            Out.push_back(S);
          }
          LastLoc = Loc;
          LastSlot = It->second;
          HaveLast = true;
        }
        SourceShare &S = Out[LastSlot];
        ++S.Instructions;
        // Summed: the grouping must not depend on the order of the walk.
        S.Hash += instructionIdentity(I);
      }
  }
  return Out;
}

bool hasForeignCode(ArrayRef<SourceShare> Shares,
                    ArrayRef<const Function *> Functions) {
  for (const SourceShare &S : Shares) {
    if (!S.Subprogram)
      continue;
    bool OwnCode = false;
    for (const Function *F : Functions)
      OwnCode |= F->getSubprogram() == S.Subprogram;
    if (!OwnCode)
      return true;
  }
  return false;
}

} // namespace autopass
