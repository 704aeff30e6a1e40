//===- Hints.cpp - the `autopass` element: apply region hints -------------===//
//
// Loop properties go into the loop ID (llvm.loop) on the latch branches:
// properties a hint sets replace those of the same name, others (for example
// llvm.loop.mustprogress) are kept. Loops are found by their preorder index
// on the IR as the element sees it (LoopNaming.h).
//
//===----------------------------------------------------------------------===//

#include "Hints.h"

#include "AtomicFile.h"
#include "ElementParams.h"
#include "LoopNaming.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace autopass {

Expected<HintsOptions> parseHintsOptions(StringRef Text) {
  auto Params = splitElementParams("autopass", Text);
  if (!Params)
    return Params.takeError();
  HintsOptions Options;
  auto fail = [](const Twine &Msg) {
    return createStringError(inconvertibleErrorCode(), "autopass: " + Msg);
  };
  for (const ElementParam &P : *Params) {
    if (P.Key == "strict") {
      if (P.Value)
        return fail("'strict' takes no value");
      Options.Strict = true;
      continue;
    }
    if (!P.Value || P.Value->empty())
      return fail("parameter '" + P.Key + "' needs a value (" + P.Key +
                  "=FILE)");
    if (P.Key == "config")
      Options.ConfigPath = *P.Value;
    else if (P.Key == "report")
      Options.ReportPath = *P.Value;
    else
      return fail("unknown parameter '" + P.Key +
                  "' (expected config, report, strict)");
  }
  if (Options.ConfigPath.empty())
    return fail("missing config=FILE");
  return Options;
}

namespace {

/// What was done, for stderr and the report.
struct Outcome {
  struct Applied {
    std::string Kind, Name;
    std::optional<unsigned> Line;
    std::vector<std::string> Set;
    // Call-site hints only.
    std::string Caller, Callee;
    std::optional<unsigned> Index;
    unsigned Calls = 0;
  };
  struct Unmatched {
    std::string Kind, Name, Reason;
  };
  std::vector<Applied> Done;
  std::vector<Unmatched> Missed;
};

MDNode *property(LLVMContext &Ctx, StringRef Name, Constant *Value) {
  return MDNode::get(Ctx, {MDString::get(Ctx, Name),
                           ConstantAsMetadata::get(Value)});
}

MDNode *property(LLVMContext &Ctx, StringRef Name) {
  return MDNode::get(Ctx, {MDString::get(Ctx, Name)});
}

/// Applies \p Hint to \p L; returns the properties set, as text.
std::vector<std::string> applyLoopHint(Loop &L, const LoopHint &Hint) {
  LLVMContext &Ctx = L.getHeader()->getContext();
  auto I32 = [&](unsigned V) {
    return ConstantInt::get(Type::getInt32Ty(Ctx), V);
  };
  auto I1 = [&](bool V) { return ConstantInt::get(Type::getInt1Ty(Ctx), V); };

  SmallVector<StringRef, 8> Replaced;
  SmallVector<Metadata *, 8> Added;
  std::vector<std::string> Set;
  auto add = [&](MDNode *Prop, std::string Text) {
    Added.push_back(Prop);
    Set.push_back(std::move(Text));
  };

  if (Hint.Unroll != LoopHint::UnrollKind::Unset) {
    Replaced.append({"llvm.loop.unroll.count", "llvm.loop.unroll.full",
                     "llvm.loop.unroll.disable", "llvm.loop.unroll.enable"});
    if (Hint.Unroll == LoopHint::UnrollKind::Count)
      add(property(Ctx, "llvm.loop.unroll.count", I32(Hint.UnrollCount)),
          "llvm.loop.unroll.count=" + std::to_string(Hint.UnrollCount));
    else if (Hint.Unroll == LoopHint::UnrollKind::Full)
      add(property(Ctx, "llvm.loop.unroll.full"), "llvm.loop.unroll.full");
    else
      add(property(Ctx, "llvm.loop.unroll.disable"),
          "llvm.loop.unroll.disable");
  }
  // A width implies enable; an explicit "vectorize" wins if both are given.
  std::optional<bool> Enable = Hint.Vectorize;
  if (!Enable && Hint.VectorizeWidth)
    Enable = true;
  if (Enable) {
    Replaced.push_back("llvm.loop.vectorize.enable");
    add(property(Ctx, "llvm.loop.vectorize.enable", I1(*Enable)),
        std::string("llvm.loop.vectorize.enable=") +
            (*Enable ? "true" : "false"));
  }
  if (Hint.VectorizeWidth) {
    Replaced.push_back("llvm.loop.vectorize.width");
    add(property(Ctx, "llvm.loop.vectorize.width", I32(*Hint.VectorizeWidth)),
        "llvm.loop.vectorize.width=" + std::to_string(*Hint.VectorizeWidth));
  }
  if (Hint.InterleaveCount) {
    Replaced.push_back("llvm.loop.interleave.count");
    add(property(Ctx, "llvm.loop.interleave.count",
                 I32(*Hint.InterleaveCount)),
        "llvm.loop.interleave.count=" +
            std::to_string(*Hint.InterleaveCount));
  }
  if (Hint.Distribute) {
    Replaced.push_back("llvm.loop.distribute.enable");
    add(property(Ctx, "llvm.loop.distribute.enable", I1(*Hint.Distribute)),
        std::string("llvm.loop.distribute.enable=") +
            (*Hint.Distribute ? "true" : "false"));
  }
  if (Hint.UnrollAndJam != LoopHint::JamKind::Unset) {
    Replaced.append({"llvm.loop.unroll_and_jam.count",
                     "llvm.loop.unroll_and_jam.disable",
                     "llvm.loop.unroll_and_jam.enable"});
    if (Hint.UnrollAndJam == LoopHint::JamKind::Count)
      add(property(Ctx, "llvm.loop.unroll_and_jam.count",
                   I32(Hint.UnrollAndJamCount)),
          "llvm.loop.unroll_and_jam.count=" +
              std::to_string(Hint.UnrollAndJamCount));
    else
      add(property(Ctx, "llvm.loop.unroll_and_jam.disable"),
          "llvm.loop.unroll_and_jam.disable");
  }
  if (Added.empty())
    return Set;

  // Operand 0 of a loop ID refers to the ID itself.
  SmallVector<Metadata *, 8> Ops = {nullptr};
  if (MDNode *Old = L.getLoopID()) {
    for (unsigned I = 1, E = Old->getNumOperands(); I < E; ++I) {
      Metadata *Op = Old->getOperand(I);
      if (const auto *Prop = dyn_cast_or_null<MDNode>(Op))
        if (Prop->getNumOperands() > 0)
          if (const auto *Name = dyn_cast<MDString>(Prop->getOperand(0)))
            if (is_contained(Replaced, Name->getString()))
              continue;
      Ops.push_back(Op);
    }
  }
  Ops.append(Added.begin(), Added.end());
  MDNode *ID = MDNode::getDistinct(Ctx, Ops);
  ID->replaceOperandWith(0, ID);
  L.setLoopID(ID);
  return Set;
}

std::vector<std::string> applyFunctionHint(Function &F,
                                           const FunctionHint &Hint,
                                           std::string &Problem) {
  std::vector<std::string> Set;
  switch (Hint.Inline) {
  case InlineChoice::Unset:
    break;
  case InlineChoice::Always:
    if (F.hasFnAttribute(Attribute::OptimizeNone)) {
      // The verifier rejects optnone without noinline.
      Problem = "function has optnone (compiled at -O0): cannot be "
                "alwaysinline";
      return Set;
    }
    F.removeFnAttr(Attribute::NoInline);
    F.addFnAttr(Attribute::AlwaysInline);
    Set.push_back("alwaysinline");
    break;
  case InlineChoice::Never:
    F.removeFnAttr(Attribute::AlwaysInline);
    F.addFnAttr(Attribute::NoInline);
    Set.push_back("noinline");
    break;
  case InlineChoice::Default:
    F.removeFnAttr(Attribute::AlwaysInline);
    if (!F.hasFnAttribute(Attribute::OptimizeNone))
      F.removeFnAttr(Attribute::NoInline);
    Set.push_back("-alwaysinline -noinline");
    break;
  }
  switch (Hint.Size) {
  case SizeChoice::Unset:
    break;
  case SizeChoice::Opt:
    F.removeFnAttr(Attribute::MinSize);
    F.addFnAttr(Attribute::OptimizeForSize);
    Set.push_back("optsize");
    break;
  case SizeChoice::Min:
    F.addFnAttr(Attribute::OptimizeForSize);
    F.addFnAttr(Attribute::MinSize);
    Set.push_back("minsize optsize");
    break;
  case SizeChoice::None:
    F.removeFnAttr(Attribute::OptimizeForSize);
    F.removeFnAttr(Attribute::MinSize);
    Set.push_back("-optsize -minsize");
    break;
  }
  return Set;
}

void writeReport(const HintsOptions &Options, const Module &M,
                 const Outcome &O) {
  std::string Text;
  raw_string_ostream OS(Text);
  {
    json::OStream J(OS, 1);
    J.object([&] {
      J.attribute("schema", "autopass-hints-report/1");
      J.attribute("config", Options.ConfigPath);
      J.attribute("module", M.getModuleIdentifier());
      J.attributeArray("applied", [&] {
        for (const Outcome::Applied &A : O.Done)
          J.object([&] {
            J.attribute("kind", A.Kind);
            if (A.Kind == "call") {
              J.attribute("caller", A.Caller);
              J.attribute("callee", A.Callee);
              if (A.Index)
                J.attribute("index", static_cast<int64_t>(*A.Index));
              else
                J.attribute("index", nullptr);
              J.attribute("calls", static_cast<int64_t>(A.Calls));
            } else {
              J.attribute("name", A.Name);
            }
            if (A.Kind == "loop") {
              if (A.Line)
                J.attribute("line", static_cast<int64_t>(*A.Line));
              else
                J.attribute("line", nullptr);
            }
            J.attributeArray("set", [&] {
              for (const std::string &S : A.Set)
                J.value(S);
            });
          });
      });
      J.attributeArray("unmatched", [&] {
        for (const Outcome::Unmatched &U : O.Missed)
          J.object([&] {
            J.attribute("kind", U.Kind);
            J.attribute("name", U.Name);
            J.attribute("reason", U.Reason);
          });
      });
    });
  }
  OS << "\n";
  if (Error E = writeFileAtomically(Options.ReportPath, Text))
    report_fatal_error(Twine("autopass: error: ") + toString(std::move(E)),
                       /*gen_crash_diag=*/false);
}

} // namespace

PreservedAnalyses HintsPass::run(Module &M, ModuleAnalysisManager &MAM) {
  FunctionAnalysisManager &FAM =
      MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
  Outcome O;
  bool Changed = false;

  // Loops, grouped by function so that each function's forest is walked
  // once, before any hint changes it.
  StringMap<SmallVector<Loop *, 8>> Preorder;
  for (const auto &[Name, Hint] : C->Loops) {
    std::optional<LoopName> LN = parseLoopName(Name);
    Function *F = M.getFunction(LN->Function);
    if (!F || F->isDeclaration()) {
      O.Missed.push_back({"loop", Name,
                          "function '" + LN->Function +
                              "' is not defined in this module"});
      continue;
    }
    auto It = Preorder.find(F->getName());
    if (It == Preorder.end())
      It = Preorder
               .try_emplace(F->getName(),
                            FAM.getResult<LoopAnalysis>(*F).getLoopsInPreorder())
               .first;
    const SmallVector<Loop *, 8> &Loops = It->second;
    if (LN->Index >= Loops.size()) {
      O.Missed.push_back({"loop", Name,
                          "function '" + LN->Function + "' has " +
                              std::to_string(Loops.size()) + " loop(s)"});
      continue;
    }
    Loop &L = *Loops[LN->Index];
    Outcome::Applied A;
    A.Kind = "loop";
    A.Name = Name;
    A.Line = loopLine(L);
    A.Set = applyLoopHint(L, Hint);
    Changed |= !A.Set.empty();
    O.Done.push_back(std::move(A));
  }

  for (const auto &[Name, Hint] : C->Functions) {
    Function *F = M.getFunction(Name);
    if (!F || F->isDeclaration()) {
      O.Missed.push_back(
          {"function", Name, "function is not defined in this module"});
      continue;
    }
    std::string Problem;
    Outcome::Applied A;
    A.Kind = "function";
    A.Name = Name;
    A.Set = applyFunctionHint(*F, Hint, Problem);
    if (!Problem.empty()) {
      O.Missed.push_back({"function", Name, Problem});
      continue;
    }
    Changed |= !A.Set.empty();
    O.Done.push_back(std::move(A));
  }

  for (const CallHint &Hint : C->Calls) {
    std::string Name = Hint.Caller + "->" + Hint.Callee;
    if (Hint.Index)
      Name += "#" + std::to_string(*Hint.Index);
    Function *Caller = M.getFunction(Hint.Caller);
    if (!Caller || Caller->isDeclaration()) {
      O.Missed.push_back({"call", Name, "caller '" + Hint.Caller +
                                            "' is not defined in this module"});
      continue;
    }
    unsigned Seen = 0, Applied = 0;
    for (Instruction &I : instructions(*Caller)) {
      auto *CB = dyn_cast<CallBase>(&I);
      if (!CB)
        continue;
      const Function *Callee = CB->getCalledFunction();
      if (!Callee || Callee->getName() != Hint.Callee)
        continue;
      unsigned Index = Seen++;
      if (Hint.Index && *Hint.Index != Index)
        continue;
      if (Hint.Inline == InlineChoice::Always) {
        CB->removeFnAttr(Attribute::NoInline);
        CB->addFnAttr(Attribute::AlwaysInline);
      } else {
        CB->removeFnAttr(Attribute::AlwaysInline);
        CB->addFnAttr(Attribute::NoInline);
      }
      ++Applied;
    }
    if (!Applied) {
      O.Missed.push_back(
          {"call", Name,
           "'" + Hint.Caller + "' has " + std::to_string(Seen) +
               " direct call(s) to '" + Hint.Callee + "'"});
      continue;
    }
    Outcome::Applied A;
    A.Kind = "call";
    A.Name = Name;
    A.Caller = Hint.Caller;
    A.Callee = Hint.Callee;
    A.Index = Hint.Index;
    A.Calls = Applied;
    A.Set.push_back(Hint.Inline == InlineChoice::Always ? "alwaysinline"
                                                        : "noinline");
    Changed = true;
    O.Done.push_back(std::move(A));
  }

  for (const Outcome::Unmatched &U : O.Missed)
    errs() << "autopass: " << (Options.Strict ? "error" : "warning") << ": "
           << C->Path << ": " << U.Kind << " hint '" << U.Name
           << "' matched nothing: " << U.Reason << "\n";
  if (!Options.ReportPath.empty())
    writeReport(Options, M, O);
  if (Options.Strict && !O.Missed.empty())
    report_fatal_error(Twine("autopass: ") + C->Path + ": " +
                           Twine(O.Missed.size()) +
                           " hint(s) matched nothing (strict)",
                       /*gen_crash_diag=*/false);

  if (!Changed)
    return PreservedAnalyses::all();
  // Metadata and attributes only: the CFG is untouched.
  PreservedAnalyses PA;
  PA.preserveSet<CFGAnalyses>();
  return PA;
}

} // namespace autopass
