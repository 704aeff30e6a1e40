//===- IRFingerprint.cpp - size and identity of an IR unit ----------------===//
//
// See IRFingerprint.h for what is hashed and why. Uniqued IR objects (types,
// constants, attribute lists, uniqued metadata) compare by address, so
// hashing addresses is both exact and cheap.
//
//===----------------------------------------------------------------------===//

#include "IRFingerprint.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/DebugProgramInstruction.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace autopass {

namespace {

class Hasher {
public:
  void mix(uint64_t V) {
    // A 64-bit multiply-xorshift step: cheap and well spread.
    State ^= V + 0x9e3779b97f4a7c15ULL + (State << 6) + (State >> 2);
    State *= 0xff51afd7ed558ccdULL;
    State ^= State >> 32;
  }
  void mixPtr(const void *P) { mix(reinterpret_cast<uintptr_t>(P)); }

  void instruction(const Instruction &I) {
    mixPtr(&I);
    mix(I.getOpcode());
    mixPtr(I.getType());
    mix(I.getRawSubclassOptionalData());
    mix(I.getNumOperands());
    for (const Use &Op : I.operands())
      mixPtr(Op.get());
    mixPtr(I.getDebugLoc().getAsMDNode());
    if (I.hasMetadataOtherThanDebugLoc()) {
      SmallVector<std::pair<unsigned, MDNode *>, 4> MDs;
      I.getAllMetadataOtherThanDebugLoc(MDs);
      for (const auto &KV : MDs) {
        mix(KV.first);
        mixPtr(KV.second);
      }
    }
    for (const DbgRecord &R : I.getDbgRecordRange())
      mixPtr(&R);
    outOfOperandData(I);
  }

  void function(const Function &F) {
    mixPtr(&F);
    mixPtr(F.getAttributes().getRawPointer());
    mix(F.getLinkage());
    mix(F.getVisibility());
    mix(F.getCallingConv());
    mix(static_cast<uint64_t>(F.getUnnamedAddr()));
    mixPtr(F.getFunctionType());
    mix(F.getAlign() ? F.getAlign()->value() : 0);
    if (F.hasPersonalityFn())
      mixPtr(F.getPersonalityFn());
    if (F.hasMetadata()) {
      SmallVector<std::pair<unsigned, MDNode *>, 4> MDs;
      F.getAllMetadata(MDs);
      for (const auto &KV : MDs) {
        mix(KV.first);
        mixPtr(KV.second);
      }
    }
    for (const BasicBlock &BB : F)
      block(BB);
  }

  void block(const BasicBlock &BB) {
    mixPtr(&BB);
    ++Blocks;
    for (const Instruction &I : BB) {
      instruction(I);
      ++Instructions;
    }
    // Debug records after the terminator (rare, but they print).
    if (const DbgMarker *Trailing =
            const_cast<BasicBlock &>(BB).getTrailingDbgRecords())
      for (const DbgRecord &R : Trailing->getDbgRecordRange())
        mixPtr(&R);
  }

  UnitFingerprint result() const { return {State, Instructions, Blocks}; }

  uint64_t Instructions = 0;
  uint64_t Blocks = 0;

private:
  // Instruction data that lives outside the operand list.
  void outOfOperandData(const Instruction &I) {
    if (const auto *Cmp = dyn_cast<CmpInst>(&I)) {
      mix(Cmp->getPredicate());
    } else if (const auto *Load = dyn_cast<LoadInst>(&I)) {
      mix(Load->getAlign().value());
      mix(Load->isVolatile());
      mix(static_cast<uint64_t>(Load->getOrdering()));
      mix(Load->getSyncScopeID());
    } else if (const auto *Store = dyn_cast<StoreInst>(&I)) {
      mix(Store->getAlign().value());
      mix(Store->isVolatile());
      mix(static_cast<uint64_t>(Store->getOrdering()));
      mix(Store->getSyncScopeID());
    } else if (const auto *Alloca = dyn_cast<AllocaInst>(&I)) {
      mix(Alloca->getAlign().value());
      mixPtr(Alloca->getAllocatedType());
      mix(Alloca->isUsedWithInAlloca());
    } else if (const auto *Call = dyn_cast<CallBase>(&I)) {
      mixPtr(Call->getAttributes().getRawPointer());
      mix(Call->getCallingConv());
      mixPtr(Call->getFunctionType());
      if (const auto *CI = dyn_cast<CallInst>(Call))
        mix(CI->getTailCallKind());
      for (unsigned B = 0, E = Call->getNumOperandBundles(); B != E; ++B)
        mix(Call->getOperandBundleAt(B).getTagID());
    } else if (const auto *GEP = dyn_cast<GetElementPtrInst>(&I)) {
      mixPtr(GEP->getSourceElementType());
    } else if (const auto *Phi = dyn_cast<PHINode>(&I)) {
      for (const BasicBlock *In : Phi->blocks())
        mixPtr(In);
    } else if (const auto *Shuffle = dyn_cast<ShuffleVectorInst>(&I)) {
      for (int M : Shuffle->getShuffleMask())
        mix(static_cast<uint64_t>(M));
    } else if (const auto *EV = dyn_cast<ExtractValueInst>(&I)) {
      for (unsigned Idx : EV->indices())
        mix(Idx);
    } else if (const auto *IV = dyn_cast<InsertValueInst>(&I)) {
      for (unsigned Idx : IV->indices())
        mix(Idx);
    } else if (const auto *RMW = dyn_cast<AtomicRMWInst>(&I)) {
      mix(RMW->getOperation());
      mix(RMW->getAlign().value());
      mix(static_cast<uint64_t>(RMW->getOrdering()));
      mix(RMW->isVolatile());
    } else if (const auto *CX = dyn_cast<AtomicCmpXchgInst>(&I)) {
      mix(CX->getAlign().value());
      mix(static_cast<uint64_t>(CX->getSuccessOrdering()));
      mix(static_cast<uint64_t>(CX->getFailureOrdering()));
      mix(CX->isWeak());
      mix(CX->isVolatile());
    } else if (const auto *Fence = dyn_cast<FenceInst>(&I)) {
      mix(static_cast<uint64_t>(Fence->getOrdering()));
    } else if (const auto *LP = dyn_cast<LandingPadInst>(&I)) {
      mix(LP->isCleanup());
    }
  }

  uint64_t State = 0x243f6a8885a308d3ULL;
};

} // namespace

UnitFingerprint fingerprintFunction(const Function &F) {
  Hasher H;
  H.function(F);
  return H.result();
}

UnitFingerprint fingerprintFunctions(ArrayRef<const Function *> Functions) {
  Hasher H;
  for (const Function *F : Functions)
    H.function(*F);
  return H.result();
}

UnitFingerprint fingerprintModule(const Module &M) {
  Hasher H;
  for (const Function &F : M) {
    if (F.isDeclaration()) {
      // A declaration prints as its header; counting it would inflate the
      // module's instruction and block totals, so hash it separately.
      H.mixPtr(&F);
      H.mixPtr(F.getAttributes().getRawPointer());
      H.mix(F.getLinkage());
      continue;
    }
    H.function(F);
  }
  for (const GlobalVariable &GV : M.globals()) {
    H.mixPtr(&GV);
    H.mix(GV.getLinkage());
    H.mix(GV.isConstant());
    H.mix(static_cast<uint64_t>(GV.getUnnamedAddr()));
    H.mix(GV.getAlign() ? GV.getAlign()->value() : 0);
    if (GV.hasInitializer())
      H.mixPtr(GV.getInitializer());
  }
  for (const GlobalAlias &GA : M.aliases()) {
    H.mixPtr(&GA);
    H.mixPtr(GA.getAliasee());
    H.mix(GA.getLinkage());
  }
  return H.result();
}

UnitFingerprint fingerprintLoop(const Loop &L) {
  Hasher H;
  for (const BasicBlock *BB : L.blocks())
    H.block(*BB);
  UnitFingerprint Result = H.result();
  // The surroundings loop passes write to: hashed, not counted.
  Hasher Around;
  if (const BasicBlock *Preheader = L.getLoopPreheader())
    Around.block(*Preheader);
  SmallVector<BasicBlock *, 4> Exits;
  L.getUniqueExitBlocks(Exits);
  for (const BasicBlock *Exit : Exits)
    Around.block(*Exit);
  Result.Hash ^= Around.result().Hash * 31;
  return Result;
}

} // namespace autopass
