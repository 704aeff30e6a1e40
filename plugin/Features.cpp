//===- Features.cpp - autopass-features: what an engineer looks at --------===//
//
// The analysis IR is chosen per function, best first: the promoted and
// rotated clone, the promoted clone, the IR as given. A candidate is used
// only if its loop forest corresponds to the given IR's loop by loop (same
// preorder length and depths, and every surviving block of a given loop maps
// into the candidate loop of the same index); otherwise the next one is
// tried. Each function records which IR its figures describe.
//
//===----------------------------------------------------------------------===//

#include "Features.h"

#include "AtomicFile.h"
#include "ElementParams.h"
#include "LoopNaming.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Scalar/LoopPassManager.h"
#include "llvm/Transforms/Scalar/LoopRotation.h"
#include "llvm/Transforms/Scalar/SROA.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/PromoteMemToReg.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

using namespace llvm;

namespace autopass {

Expected<FeaturesOptions> parseFeaturesOptions(StringRef Text) {
  auto Params = splitElementParams("autopass-features", Text);
  if (!Params)
    return Params.takeError();
  FeaturesOptions Options;
  for (const ElementParam &P : *Params) {
    if (P.Key != "out")
      return createStringError(inconvertibleErrorCode(),
                               "autopass-features: unknown parameter '%s' "
                               "(expected out)",
                               P.Key.c_str());
    if (!P.Value || P.Value->empty())
      return createStringError(inconvertibleErrorCode(),
                               "autopass-features: out needs a value "
                               "(out=FILE)");
    Options.Out = *P.Value;
  }
  if (Options.Out.empty())
    return createStringError(inconvertibleErrorCode(),
                             "autopass-features: missing out=FILE");
  return Options;
}

namespace {

/// The first and last source line of located instructions, written as
/// "source_lines": [FIRST, LAST] (nothing without debug info).
struct LineSpan {
  unsigned First = 0, Last = 0;

  void addLine(unsigned Line) {
    if (Line == 0)
      return;
    First = First ? std::min(First, Line) : Line;
    Last = std::max(Last, Line);
  }
  void add(const BasicBlock &BB) {
    for (const Instruction &I : BB)
      addLine(I.getDebugLoc() ? I.getDebugLoc().getLine() : 0);
  }
  void write(json::OStream &J) const {
    if (!First)
      return;
    J.attributeArray("source_lines", [&] {
      J.value(static_cast<int64_t>(First));
      J.value(static_cast<int64_t>(Last));
    });
  }
};

/// A private set of analysis managers for a cloned module, so that our
/// preparatory passes neither disturb nor show up in the caller's pipeline.
struct LocalAnalyses {
  LoopAnalysisManager LAM;
  FunctionAnalysisManager FAM;
  CGSCCAnalysisManager CGAM;
  ModuleAnalysisManager MAM;
  PassBuilder PB;

  LocalAnalyses() {
    PB.registerModuleAnalyses(MAM);
    PB.registerCGSCCAnalyses(CGAM);
    PB.registerFunctionAnalyses(FAM);
    PB.registerLoopAnalyses(LAM);
    PB.crossRegisterProxies(LAM, FAM, CGAM, MAM);
  }
  ~LocalAnalyses() {
    // Proxies refer to each other: clear in dependency order.
    LAM.clear();
    FAM.clear();
    CGAM.clear();
    MAM.clear();
  }
};

/// A clone of the module prepared for ScalarEvolution.
struct AnalysisModule {
  std::string Kind; ///< "promoted-rotated" or "promoted".
  ValueToValueMapTy VMap;
  std::unique_ptr<Module> M;
  std::unique_ptr<LocalAnalyses> AM;
};

std::unique_ptr<AnalysisModule> prepareClone(const Module &M, bool Rotate) {
  auto A = std::make_unique<AnalysisModule>();
  A->Kind = Rotate ? "promoted-rotated" : "promoted";
  A->M = CloneModule(M, A->VMap);
  A->AM = std::make_unique<LocalAnalyses>();
  FunctionPassManager FPM;
  // SROA in its CFG-preserving mode promotes allocas without touching the
  // CFG; rotation moves each loop's exit test to its latch, so that SCEV's
  // trip count is the number of body iterations.
  FPM.addPass(SROAPass(SROAOptions::PreserveCFG));
  if (Rotate)
    FPM.addPass(createFunctionToLoopPassAdaptor(LoopRotatePass(),
                                                /*UseMemorySSA=*/false));
  for (Function &F : *A->M)
    if (!F.isDeclaration())
      (void)FPM.run(F, A->AM->FAM);
  return A;
}

bool hasPromotableAlloca(const Module &M) {
  for (const Function &F : M)
    if (!F.isDeclaration())
      for (const Instruction &I : F.getEntryBlock())
        if (const auto *AI = dyn_cast<AllocaInst>(&I))
          if (isAllocaPromotable(AI))
            return true;
  return false;
}

/// Whether \p Ana's loop forest corresponds to \p Orig's, loop by loop.
bool sameLoopForest(const Function &Orig, LoopInfo &OrigLI,
                    ArrayRef<Loop *> OrigLoops, LoopInfo &AnaLI,
                    ArrayRef<Loop *> AnaLoops, const ValueToValueMapTy &VMap) {
  if (OrigLoops.size() != AnaLoops.size())
    return false;
  DenseMap<const Loop *, unsigned> AnaIndex;
  for (unsigned I = 0; I < AnaLoops.size(); ++I) {
    AnaIndex[AnaLoops[I]] = I;
    if (OrigLoops[I]->getLoopDepth() != AnaLoops[I]->getLoopDepth())
      return false;
  }
  DenseMap<const Loop *, unsigned> OrigIndex;
  for (unsigned I = 0; I < OrigLoops.size(); ++I)
    OrigIndex[OrigLoops[I]] = I;
  std::vector<bool> Anchored(OrigLoops.size(), false);
  for (const BasicBlock &BB : Orig) {
    const Loop *OL = OrigLI.getLoopFor(&BB);
    Value *Mapped = VMap.lookup(&BB);
    auto *AnaBB = dyn_cast_or_null<BasicBlock>(Mapped);
    if (!AnaBB)
      continue; // Merged away by the preparation.
    const Loop *AL = AnaLI.getLoopFor(AnaBB);
    if (!OL) {
      if (AL)
        return false;
      continue;
    }
    if (!AL || AnaIndex.lookup(AL) != OrigIndex.lookup(OL))
      return false;
    Anchored[OrigIndex.lookup(OL)] = true;
  }
  return llvm::all_of(Anchored, [](bool B) { return B; });
}

struct Mix {
  uint64_t Load = 0, Store = 0, Call = 0, FpArith = 0, IntArith = 0,
           Branch = 0, Cmp = 0, Phi = 0, Gep = 0, Cast = 0, Vector = 0,
           Other = 0;

  void add(const Instruction &I) {
    if (isa<LoadInst>(I))
      ++Load;
    else if (isa<StoreInst>(I))
      ++Store;
    else if (isa<CallBase>(I))
      ++Call;
    else if (isa<PHINode>(I))
      ++Phi;
    else if (isa<GetElementPtrInst>(I))
      ++Gep;
    else if (isa<ExtractElementInst>(I) || isa<InsertElementInst>(I) ||
             isa<ShuffleVectorInst>(I) || I.getType()->isVectorTy())
      ++Vector;
    else if (isa<CastInst>(I))
      ++Cast;
    else if (isa<CmpInst>(I))
      ++Cmp;
    else if (isa<BranchInst>(I) || isa<SwitchInst>(I) ||
             isa<IndirectBrInst>(I))
      ++Branch;
    else if (isa<BinaryOperator>(I) || isa<UnaryOperator>(I))
      (I.getType()->isFPOrFPVectorTy() ? FpArith : IntArith)++;
    else
      ++Other;
  }
};

/// A call that is a real call: not an intrinsic, not inline assembly.
enum class CallKind { None, Direct, Indirect };
CallKind classifyCall(const Instruction &I) {
  const auto *CB = dyn_cast<CallBase>(&I);
  if (!CB || CB->isInlineAsm())
    return CallKind::None;
  if (const Function *Callee = CB->getCalledFunction())
    return Callee->isIntrinsic() ? CallKind::None : CallKind::Direct;
  return CallKind::Indirect;
}

struct Accesses {
  uint64_t Loads = 0, Stores = 0, Unit = 0, Constant = 0, Irregular = 0,
           Invariant = 0;
};

/// Stride of \p Ptr's address with respect to loop \p L.
void classifyAccess(const Value *Ptr, Type *AccessTy, const Loop &L,
                    ScalarEvolution &SE, const DataLayout &DL, Accesses &A) {
  const SCEV *S = SE.getSCEV(const_cast<Value *>(Ptr));
  if (SE.isLoopInvariant(S, &L)) {
    ++A.Invariant;
    return;
  }
  // Recurrences of loops nested in L are constant across one iteration of
  // L: look through them to L's own recurrence.
  while (const auto *AR = dyn_cast<SCEVAddRecExpr>(S)) {
    if (AR->getLoop() == &L) {
      const auto *Step =
          AR->isAffine() ? dyn_cast<SCEVConstant>(AR->getStepRecurrence(SE))
                         : nullptr;
      if (!Step) {
        ++A.Irregular;
        return;
      }
      uint64_t Size = DL.getTypeStoreSize(AccessTy).getFixedValue();
      const APInt &StepValue = Step->getAPInt();
      if (StepValue.abs() == Size)
        ++A.Unit;
      else
        ++A.Constant;
      return;
    }
    if (!L.contains(AR->getLoop()))
      break;
    S = AR->getStart();
    if (SE.isLoopInvariant(S, &L)) {
      // Varies only in the inner loop: the same addresses each iteration.
      ++A.Invariant;
      return;
    }
  }
  ++A.Irregular;
}

} // namespace

PreservedAnalyses FeaturesPass::run(Module &M, ModuleAnalysisManager &MAM) {
  FunctionAnalysisManager &FAM =
      MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();

  // Clones are made only for IR that needs them (allocas to promote).
  std::unique_ptr<AnalysisModule> Rotated, Promoted;
  bool NeedsClone = hasPromotableAlloca(M);

  std::string Text;
  raw_string_ostream OS(Text);
  {
    json::OStream J(OS, 1);
    J.object([&] {
      J.attribute("schema", "autopass-features/1");
      // The source file, not the bitcode path opt was given: profiles and
      // remarks name source files, and the tuner matches on them.
      J.attribute("module", M.getSourceFileName().empty()
                                ? M.getModuleIdentifier()
                                : M.getSourceFileName());
      J.attributeArray("functions", [&] {
        for (Function &F : M) {
          if (F.isDeclaration())
            continue;
          LoopInfo &OrigLI = FAM.getResult<LoopAnalysis>(F);
          SmallVector<Loop *, 8> OrigLoops = OrigLI.getLoopsInPreorder();

          // Pick the analysis IR for this function.
          Function *Ana = &F;
          FunctionAnalysisManager *AnaFAM = &FAM;
          std::string AnaKind = "as-given";
          if (NeedsClone) {
            for (bool Rotate : {true, false}) {
              std::unique_ptr<AnalysisModule> &Slot =
                  Rotate ? Rotated : Promoted;
              if (!Slot)
                Slot = prepareClone(M, Rotate);
              auto *Candidate =
                  dyn_cast_or_null<Function>(Slot->VMap.lookup(&F));
              if (!Candidate)
                continue;
              LoopInfo &AnaLI =
                  Slot->AM->FAM.getResult<LoopAnalysis>(*Candidate);
              SmallVector<Loop *, 8> AnaLoops = AnaLI.getLoopsInPreorder();
              if (sameLoopForest(F, OrigLI, OrigLoops, AnaLI, AnaLoops,
                                 Slot->VMap)) {
                Ana = Candidate;
                AnaFAM = &Slot->AM->FAM;
                AnaKind = Slot->Kind;
                break;
              }
            }
          }
          LoopInfo &LI = AnaFAM->getResult<LoopAnalysis>(*Ana);
          ScalarEvolution &SE = AnaFAM->getResult<ScalarEvolutionAnalysis>(*Ana);
          SmallVector<Loop *, 8> Loops = LI.getLoopsInPreorder();
          const DataLayout &DL = Ana->getDataLayout();

          Mix FunctionMix;
          uint64_t Instructions = 0, Direct = 0, Indirect = 0;
          for (const BasicBlock &BB : *Ana)
            for (const Instruction &I : BB) {
              ++Instructions;
              FunctionMix.add(I);
              CallKind K = classifyCall(I);
              Direct += K == CallKind::Direct;
              Indirect += K == CallKind::Indirect;
            }

          J.object([&] {
            J.attribute("name", F.getName());
            // Where the function was written (given IR: before inlining,
            // every located instruction is its own), so that tools can map
            // a remark's file:line back to it once it is inlined.
            if (const DISubprogram *SP = F.getSubprogram()) {
              J.attribute("file", SP->getFilename());
              LineSpan Lines;
              Lines.addLine(SP->getLine());
              for (const BasicBlock &BB : F)
                Lines.add(BB);
              Lines.write(J);
            }
            J.attribute("analysis_ir", AnaKind);
            J.attribute("instructions", static_cast<int64_t>(Instructions));
            J.attribute("blocks", static_cast<int64_t>(Ana->size()));
            J.attribute("calls_direct", static_cast<int64_t>(Direct));
            J.attribute("calls_indirect", static_cast<int64_t>(Indirect));
            J.attributeObject("mix", [&] {
              const Mix &X = FunctionMix;
              J.attribute("load", static_cast<int64_t>(X.Load));
              J.attribute("store", static_cast<int64_t>(X.Store));
              J.attribute("call", static_cast<int64_t>(X.Call));
              J.attribute("fp_arith", static_cast<int64_t>(X.FpArith));
              J.attribute("int_arith", static_cast<int64_t>(X.IntArith));
              J.attribute("branch", static_cast<int64_t>(X.Branch));
              J.attribute("cmp", static_cast<int64_t>(X.Cmp));
              J.attribute("phi", static_cast<int64_t>(X.Phi));
              J.attribute("gep", static_cast<int64_t>(X.Gep));
              J.attribute("cast", static_cast<int64_t>(X.Cast));
              J.attribute("vector", static_cast<int64_t>(X.Vector));
              J.attribute("other", static_cast<int64_t>(X.Other));
            });
            // When no candidate matched, Loops is the given IR's own forest,
            // so indices always agree with OrigLoops.
            DenseMap<const Loop *, unsigned> Index;
            for (unsigned I = 0; I < Loops.size(); ++I)
              Index[Loops[I]] = I;
            J.attributeArray("loops", [&] {
              for (unsigned I = 0; I < Loops.size(); ++I) {
                const Loop &L = *Loops[I];
                Accesses A;
                uint64_t LoopInstructions = 0;
                bool HasCalls = false;
                for (const BasicBlock *BB : L.blocks())
                  for (const Instruction &Inst : *BB) {
                    ++LoopInstructions;
                    HasCalls |= classifyCall(Inst) != CallKind::None;
                    if (const auto *Ld = dyn_cast<LoadInst>(&Inst)) {
                      ++A.Loads;
                      classifyAccess(Ld->getPointerOperand(), Ld->getType(),
                                     L, SE, DL, A);
                    } else if (const auto *St = dyn_cast<StoreInst>(&Inst)) {
                      ++A.Stores;
                      classifyAccess(St->getPointerOperand(),
                                     St->getValueOperand()->getType(), L, SE,
                                     DL, A);
                    }
                  }
                J.object([&] {
                  J.attribute("name", loopName(F.getName(), I));
                  if (const Loop *P = L.getParentLoop())
                    J.attribute("parent", loopName(F.getName(), Index[P]));
                  else
                    J.attribute("parent", nullptr);
                  J.attribute("depth",
                              static_cast<int64_t>(L.getLoopDepth()));
                  // Lines from the given IR: the preparation may move the
                  // header.
                  if (std::optional<unsigned> Line = loopLine(*OrigLoops[I]))
                    J.attribute("line", static_cast<int64_t>(*Line));
                  else
                    J.attribute("line", nullptr);
                  LineSpan Lines;
                  for (const BasicBlock *BB : OrigLoops[I]->blocks())
                    Lines.add(*BB);
                  Lines.write(J);
                  J.attribute("innermost", L.isInnermost());
                  J.attributeObject("trip_count", [&] {
                    if (unsigned TC = SE.getSmallConstantTripCount(&L)) {
                      J.attribute("kind", "constant");
                      J.attribute("value", static_cast<int64_t>(TC));
                    } else if (unsigned Max =
                                   SE.getSmallConstantMaxTripCount(&L)) {
                      J.attribute("kind", "max");
                      J.attribute("value", static_cast<int64_t>(Max));
                    } else {
                      J.attribute("kind", "unknown");
                    }
                  });
                  J.attribute("blocks",
                              static_cast<int64_t>(L.getNumBlocks()));
                  J.attribute("instructions",
                              static_cast<int64_t>(LoopInstructions));
                  J.attribute("has_calls", HasCalls);
                  J.attributeObject("accesses", [&] {
                    J.attribute("loads", static_cast<int64_t>(A.Loads));
                    J.attribute("stores", static_cast<int64_t>(A.Stores));
                    J.attribute("unit_stride", static_cast<int64_t>(A.Unit));
                    J.attribute("constant_stride",
                                static_cast<int64_t>(A.Constant));
                    J.attribute("irregular",
                                static_cast<int64_t>(A.Irregular));
                    J.attribute("invariant",
                                static_cast<int64_t>(A.Invariant));
                  });
                });
              }
            });
          });
        }
      });
    });
  }
  OS << "\n";
  if (Error E = writeFileAtomically(Options.Out, Text))
    report_fatal_error(Twine("autopass: error: ") + toString(std::move(E)),
                       /*gen_crash_diag=*/false);
  return PreservedAnalyses::all();
}

} // namespace autopass
