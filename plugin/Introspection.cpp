//===- Introspection.cpp - autopass-introspect: per-pass records ----------===//
//
// Pass managers, adaptors and repeat wrappers are not recorded: they only
// contain other passes, and counting them would count every change twice in
// the per-pass summary. Every other pass execution is a record.
//
//===----------------------------------------------------------------------===//

#include "Introspection.h"

#include "AtomicFile.h"
#include "ElementParams.h"
#include "IRFingerprint.h"
#include "IntrospectionRecords.h"
#include "SourceOrigin.h"

#include "llvm/ADT/Any.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LazyCallGraph.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassInstrumentation.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <mutex>

using namespace llvm;

namespace autopass {

Expected<IntrospectOptions> parseIntrospectOptions(StringRef Text) {
  auto Params = splitElementParams("autopass-introspect", Text);
  if (!Params)
    return Params.takeError();
  IntrospectOptions Options;
  auto fail = [](const Twine &Msg) {
    return createStringError(inconvertibleErrorCode(),
                             "autopass-introspect: " + Msg);
  };
  for (const ElementParam &P : *Params) {
    if (!P.Value || P.Value->empty())
      return fail("parameter '" + P.Key + "' needs a value (" + P.Key +
                  "=...)");
    StringRef Value = *P.Value;
    if (P.Key == "out") {
      Options.Out = Value.str();
    } else if (P.Key == "diff") {
      // ':' is accepted as well as ',' because opt's pipeline parser splits
      // the pipeline text at every ','.
      SmallVector<StringRef, 4> Names;
      Value.split(Names, ',', -1, /*KeepEmpty=*/false);
      for (StringRef N : Names) {
        SmallVector<StringRef, 4> Inner;
        N.split(Inner, ':', -1, /*KeepEmpty=*/false);
        for (StringRef Name : Inner)
          Options.DiffFunctions.push_back(Name.trim().str());
      }
    } else if (P.Key == "diff-limit") {
      unsigned long long Limit = 0;
      if (Value.getAsInteger(10, Limit) || Limit == 0)
        return fail("diff-limit: expected a positive number of bytes, got '" +
                    Value + "'");
      Options.DiffLimit = Limit;
    } else {
      return fail("unknown parameter '" + P.Key +
                  "' (expected out, diff, diff-limit)");
    }
  }
  if (Options.Out.empty())
    return fail("missing out=FILE");
  return Options;
}

namespace {

/// Passes that only run other passes.
bool isContainerPass(StringRef PassID) {
  return PassID.contains("PassManager") || PassID.contains("PassAdaptor") ||
         PassID.starts_with("DevirtSCCRepeatedPass") ||
         PassID.starts_with("ModuleInlinerWrapperPass") ||
         PassID.starts_with("RepeatedPass") ||
         PassID.starts_with("CoroConditionalWrapper");
}

using Clock = std::chrono::steady_clock;

/// A source function's code in a unit before a pass, its name interned.
struct ShareBefore {
  const void *Key; ///< Subprogram, or the IR function without one.
  unsigned Name;
  uint64_t Instructions, Hash;
};

const void *shareKey(const SourceShare &S) {
  return S.Subprogram ? static_cast<const void *>(S.Subprogram)
                      : static_cast<const void *>(S.Owner);
}

bool haveDebugInfo(ArrayRef<const Function *> Functions) {
  return any_of(Functions,
                [](const Function *F) { return F->getSubprogram(); });
}

/// A pass that has started and not finished.
struct Frame {
  Record Rec;
  StringRef PassID;
  uint64_t HashBefore = 0;
  const Function *LoopParent = nullptr;
  /// For CGSCC units: the SCC's functions, still valid (function deletion
  /// is deferred) if the pass restructures the SCC.
  SmallVector<const Function *, 4> SCCFunctions;
  /// Function and SCC units with debug info: their code per source
  /// function before the pass.
  SmallVector<ShareBefore, 4> SharesBefore;
  bool InlinedBefore = false;
  /// Printed IR of the watched functions this unit contains.
  std::vector<std::pair<std::string, std::string>> TextsBefore;
  Clock::time_point Start;
};

} // namespace

class IntrospectionSession
    : public std::enable_shared_from_this<IntrospectionSession> {
public:
  explicit IntrospectionSession(PassInstrumentationCallbacks &PIC)
      : PIC(&PIC) {}
  ~IntrospectionSession() { finish(); }

  /// The callbacks hold strong references: once started, the session lives
  /// as long as the pass instrumentation that feeds it, and is flushed when
  /// that goes.
  void registerCallbacks(PassInstrumentationCallbacks &PIC,
                         const std::shared_ptr<IntrospectionSession> &Self) {
    PIC.registerBeforeNonSkippedPassCallback(
        [Self](StringRef PassID, Any IR) { Self->beforePass(PassID, IR); });
    PIC.registerAfterPassCallback(
        [Self](StringRef PassID, Any IR, const PreservedAnalyses &) {
          Self->afterPass(PassID, &IR);
        });
    PIC.registerAfterPassInvalidatedCallback(
        [Self](StringRef PassID, const PreservedAnalyses &) {
          Self->afterPass(PassID, nullptr);
        });
  }

  void start(IntrospectOptions NewOptions) {
    if (Active) {
      if (NewOptions.Out != Options.Out)
        errs() << "autopass: warning: introspection already records into '"
               << Options.Out << "'; ignoring out=" << NewOptions.Out << "\n";
      return;
    }
    Options = std::move(NewOptions);
    Active = true;
    // Registered only now, so that a pipeline without introspection pays
    // nothing for it. Safe mid-pipeline: the element is a module pass, and
    // no callback list is being walked while a pass runs.
    registerCallbacks(*PIC, shared_from_this());
  }

  void setModuleName(StringRef Name) {
    if (ModuleName.empty())
      ModuleName = Name.str();
  }

  void finish();

private:
  void beforePass(StringRef PassID, Any IR);
  void afterPass(StringRef PassID, const Any *IR);

  unsigned internPass(StringRef PassID) {
    auto It = PassIndex.find(PassID);
    if (It != PassIndex.end())
      return It->second;
    unsigned Index = PassNames.size();
    PassNames.push_back(PassID.str());
    // Looked up now: at finish() the instrumentation may be mid-destruction.
    PipelineNames.push_back(PIC ? PIC->getPassNameForClassName(PassID).str()
                                : std::string());
    PassIndex[PassID] = Index;
    return Index;
  }
  unsigned internUnit(StringRef Name) {
    auto [It, Inserted] = UnitIndex.try_emplace(Name, UnitNames.size());
    if (Inserted)
      UnitNames.push_back(Name.str());
    return It->second;
  }

  /// Describes the unit in \p IR; false for units we do not record
  /// (machine functions).
  bool describe(const Any &IR, UnitKind &Kind, std::string &Name,
                UnitFingerprint &FP, const Function *&LoopParent);
  void watchedFunctions(const Any &IR,
                        SmallVectorImpl<const Function *> &Out) const;
  /// The functions of a function or SCC unit (none for other units).
  static SmallVector<const Function *, 4> unitFunctions(const Any &IR);
  /// Source attribution: a loop's start location, a unit's code per
  /// source function (SourceOrigin.h).
  void recordLoopSource(const Any &IR, Record &R);
  void recordSharesBefore(const Any &IR, Frame &F);
  void recordSharesAfter(ArrayRef<const Function *> After, Frame &F);

  PassInstrumentationCallbacks *PIC = nullptr;
  IntrospectOptions Options;
  bool Active = false;
  bool Finished = false;
  std::string ModuleName;
  uint64_t NextSeq = 1;

  std::vector<Frame> Stack;
  std::vector<Record> Records;
  std::vector<DiffEntry> Diffs;
  std::vector<std::string> PassNames;
  std::vector<std::string> PipelineNames; ///< "instcombine" for InstCombinePass.
  StringMap<unsigned> PassIndex;
  std::vector<std::string> UnitNames;
  StringMap<unsigned> UnitIndex;
  DenseMap<const char *, bool> ContainerCache;
};

bool IntrospectionSession::describe(const Any &IR, UnitKind &Kind,
                                    std::string &Name, UnitFingerprint &FP,
                                    const Function *&LoopParent) {
  if (const auto *MP = any_cast<const Module *>(&IR)) {
    Kind = UnitKind::Module;
    Name = (*MP)->getModuleIdentifier();
    setModuleName(Name);
    FP = fingerprintModule(**MP);
    return true;
  }
  if (const auto *FPtr = any_cast<const Function *>(&IR)) {
    const Function &F = **FPtr;
    Kind = UnitKind::Function;
    Name = F.getName().str();
    setModuleName(F.getParent()->getModuleIdentifier());
    FP = fingerprintFunction(F);
    return true;
  }
  if (const auto *CP = any_cast<const LazyCallGraph::SCC *>(&IR)) {
    Kind = UnitKind::CGSCC;
    SmallVector<const Function *, 4> Functions;
    raw_string_ostream OS(Name);
    OS << "(";
    for (const LazyCallGraph::Node &N : **CP) {
      if (!Functions.empty())
        OS << ", ";
      Functions.push_back(&N.getFunction());
      OS << N.getFunction().getName();
    }
    OS << ")";
    FP = fingerprintFunctions(Functions);
    return true;
  }
  if (const auto *LP = any_cast<const Loop *>(&IR)) {
    const Loop &L = **LP;
    Kind = UnitKind::Loop;
    const BasicBlock *Header = L.getHeader();
    LoopParent = Header->getParent();
    // "FUNCTION:L@HEADER": the "FUNCTION:L" prefix groups a function's
    // loops as in configurations, "@HEADER" says this is not a preorder
    // index (those are only stable on the IR at pipeline start).
    raw_string_ostream OS(Name);
    OS << LoopParent->getName() << ":L@";
    if (Header->hasName()) {
      OS << Header->getName();
    } else {
      // Release clang drops value names: name the header by its position.
      unsigned Position = 0;
      for (const BasicBlock &BB : *LoopParent) {
        if (&BB == Header)
          break;
        ++Position;
      }
      OS << "bb" << Position;
    }
    FP = fingerprintLoop(L);
    return true;
  }
  return false;
}

void IntrospectionSession::watchedFunctions(
    const Any &IR, SmallVectorImpl<const Function *> &Out) const {
  auto watched = [&](const Function &F) {
    return is_contained(Options.DiffFunctions, F.getName());
  };
  if (const auto *MP = any_cast<const Module *>(&IR)) {
    for (const std::string &Name : Options.DiffFunctions)
      if (const Function *F = (*MP)->getFunction(Name))
        if (!F->isDeclaration())
          Out.push_back(F);
  } else if (const auto *FPtr = any_cast<const Function *>(&IR)) {
    if (watched(**FPtr))
      Out.push_back(*FPtr);
  } else if (const auto *CP = any_cast<const LazyCallGraph::SCC *>(&IR)) {
    for (const LazyCallGraph::Node &N : **CP)
      if (watched(N.getFunction()))
        Out.push_back(&N.getFunction());
  } else if (const auto *LP = any_cast<const Loop *>(&IR)) {
    const Function *F = (*LP)->getHeader()->getParent();
    if (watched(*F))
      Out.push_back(F);
  }
}

SmallVector<const Function *, 4>
IntrospectionSession::unitFunctions(const Any &IR) {
  SmallVector<const Function *, 4> Out;
  if (const auto *FPtr = any_cast<const Function *>(&IR))
    Out.push_back(*FPtr);
  else if (const auto *CP = any_cast<const LazyCallGraph::SCC *>(&IR))
    for (const LazyCallGraph::Node &N : **CP)
      Out.push_back(&N.getFunction());
  return Out;
}

void IntrospectionSession::recordLoopSource(const Any &IR, Record &R) {
  const auto *LP = any_cast<const Loop *>(&IR);
  if (!LP)
    return;
  DebugLoc Start = (*LP)->getStartLoc();
  const DISubprogram *SP = sourceSubprogram(Start.get());
  if (!SP || Start.getLine() == 0)
    return;
  R.Source = LoopSource{internUnit(sourceFunctionName(*SP)),
                        internUnit(Start.get()->getFilename()),
                        Start.getLine()};
}

void IntrospectionSession::recordSharesBefore(const Any &IR, Frame &F) {
  SmallVector<const Function *, 4> Functions = unitFunctions(IR);
  if (Functions.empty() || !haveDebugInfo(Functions))
    return;
  SmallVector<SourceShare, 4> Shares = sourceShares(Functions);
  F.InlinedBefore = hasForeignCode(Shares, Functions);
  for (const SourceShare &S : Shares)
    F.SharesBefore.push_back(
        {shareKey(S), internUnit(S.name()), S.Instructions, S.Hash});
}

void IntrospectionSession::recordSharesAfter(ArrayRef<const Function *> After,
                                             Frame &F) {
  if (F.SharesBefore.empty())
    return;
  SmallVector<SourceShare, 4> Shares = sourceShares(After);
  // Only units holding inlined code (before or after the pass) get
  // sources: for the others the unit's name says it all.
  if (!F.InlinedBefore && !hasForeignCode(Shares, After))
    return;
  std::vector<SourceCount> &Out = F.Rec.Sources;
  std::vector<std::pair<const void *, uint64_t>> HashBefore;
  for (const ShareBefore &B : F.SharesBefore) {
    Out.push_back({B.Name, B.Instructions, 0, false});
    HashBefore.emplace_back(B.Key, B.Hash);
  }
  for (const SourceShare &S : Shares) {
    size_t I = 0;
    while (I < HashBefore.size() && HashBefore[I].first != shareKey(S))
      ++I;
    if (I == HashBefore.size()) {
      Out.push_back({internUnit(S.name()), 0, 0, false});
      HashBefore.emplace_back(shareKey(S), 0);
    }
    Out[I].InstructionsAfter = S.Instructions;
    Out[I].Changed = S.Hash != HashBefore[I].second;
  }
  for (SourceCount &C : Out)
    C.Changed |= C.InstructionsBefore != C.InstructionsAfter;
}

static std::string printFunction(const Function &F) {
  std::string Text;
  raw_string_ostream OS(Text);
  F.print(OS);
  return Text;
}

void IntrospectionSession::beforePass(StringRef PassID, Any IR) {
  if (!Active || Finished)
    return;
  auto [It, Inserted] = ContainerCache.try_emplace(PassID.data(), false);
  if (Inserted)
    It->second = isContainerPass(PassID);
  if (It->second)
    return;

  Frame F;
  UnitFingerprint FP;
  std::string Name;
  if (!describe(IR, F.Rec.Kind, Name, FP, F.LoopParent))
    return;
  F.PassID = PassID;
  F.Rec.Seq = NextSeq++;
  F.Rec.Pass = internPass(PassID);
  F.Rec.Unit = internUnit(Name);
  F.Rec.InstructionsBefore = FP.Instructions;
  F.Rec.BlocksBefore = FP.Blocks;
  F.HashBefore = FP.Hash;
  if (F.Rec.Kind == UnitKind::CGSCC)
    if (const auto *CP = any_cast<const LazyCallGraph::SCC *>(&IR))
      for (const LazyCallGraph::Node &N : **CP)
        F.SCCFunctions.push_back(&N.getFunction());
  recordLoopSource(IR, F.Rec);
  recordSharesBefore(IR, F);
  if (!Options.DiffFunctions.empty()) {
    SmallVector<const Function *, 2> Watched;
    watchedFunctions(IR, Watched);
    for (const Function *WF : Watched)
      F.TextsBefore.emplace_back(WF->getName().str(), printFunction(*WF));
  }
  Stack.push_back(std::move(F));
  // Start the clock last so that our own bookkeeping is not charged to the
  // pass.
  Stack.back().Start = Clock::now();
}

void IntrospectionSession::afterPass(StringRef PassID, const Any *IR) {
  if (Stack.empty() || Stack.back().PassID != PassID)
    return; // A container, an unrecorded unit, or a pass begun before start.
  Clock::time_point End = Clock::now();
  Frame F = std::move(Stack.back());
  Stack.pop_back();
  Record &R = F.Rec;
  R.TimeUs =
      std::chrono::duration<double, std::micro>(End - F.Start).count();

  if (IR) {
    UnitKind Kind;
    std::string Name;
    UnitFingerprint FP;
    const Function *LoopParent = nullptr;
    describe(*IR, Kind, Name, FP, LoopParent);
    R.InstructionsAfter = FP.Instructions;
    R.BlocksAfter = FP.Blocks;
    R.Changed = FP.Hash != F.HashBefore ||
                FP.Instructions != R.InstructionsBefore ||
                FP.Blocks != R.BlocksBefore;
    recordSharesAfter(unitFunctions(*IR), F);
  } else if (R.Kind == UnitKind::CGSCC) {
    // The SCC was split or merged; its former functions still exist.
    UnitFingerprint FP = fingerprintFunctions(F.SCCFunctions);
    R.Invalidated = true;
    R.InstructionsAfter = FP.Instructions;
    R.BlocksAfter = FP.Blocks;
    R.Changed = FP.Hash != F.HashBefore ||
                FP.Instructions != R.InstructionsBefore ||
                FP.Blocks != R.BlocksBefore;
    recordSharesAfter(F.SCCFunctions, F);
  } else {
    // The loop is gone (deleted or fully unrolled): it certainly changed.
    R.Invalidated = true;
    R.UnitGone = true;
    R.Changed = true;
  }

  if (R.Changed && !F.TextsBefore.empty()) {
    for (auto &[FunctionName, Before] : F.TextsBefore) {
      // Watched functions of a unit outlive the pass, except that a module
      // pass may delete one; look module units up again by name.
      std::string After;
      const Function *Now = nullptr;
      if (IR) {
        if (const auto *MP = any_cast<const Module *>(IR))
          Now = (*MP)->getFunction(FunctionName);
        else if (const auto *FPtr = any_cast<const Function *>(IR))
          Now = *FPtr;
        else if (const auto *CP = any_cast<const LazyCallGraph::SCC *>(IR)) {
          for (const LazyCallGraph::Node &N : **CP)
            if (N.getFunction().getName() == FunctionName)
              Now = &N.getFunction();
        } else if (const auto *LP = any_cast<const Loop *>(IR))
          Now = (*LP)->getHeader()->getParent();
      } else if (F.LoopParent) {
        Now = F.LoopParent;
      } else {
        for (const Function *SF : F.SCCFunctions)
          if (SF->getName() == FunctionName)
            Now = SF;
      }
      if (Now && !Now->isDeclaration())
        After = printFunction(*Now);
      if (After == Before)
        continue;
      Diffs.push_back({R.Seq, R.Pass, FunctionName,
                       unifiedDiff(Before, After, Options.DiffLimit)});
    }
  }
  Records.push_back(R);
}

void IntrospectionSession::finish() {
  if (!Active || Finished)
    return;
  Finished = true;
  std::sort(Records.begin(), Records.end(),
            [](const Record &A, const Record &B) { return A.Seq < B.Seq; });

  IntrospectionData Data{ModuleName, Records,       Diffs,
                         PassNames,  PipelineNames, UnitNames};
  std::string Text = renderIntrospection(Data);
  if (Error E = writeFileAtomically(Options.Out, Text))
    errs() << "autopass: error: " << toString(std::move(E)) << "\n";
}

namespace {

/// Sessions alive at process exit are flushed here, in case whoever drives
/// the pipeline never destroys its pass instrumentation.
struct SessionRegistry {
  std::mutex Lock;
  std::vector<std::weak_ptr<IntrospectionSession>> Sessions;
  ~SessionRegistry() {
    for (auto &Weak : Sessions)
      if (std::shared_ptr<IntrospectionSession> S = Weak.lock())
        S->finish();
  }
};

SessionRegistry &registry() {
  static SessionRegistry R;
  return R;
}

} // namespace

std::shared_ptr<IntrospectionSession>
createIntrospectionSession(PassInstrumentationCallbacks &PIC) {
  auto Session = std::make_shared<IntrospectionSession>(PIC);
  SessionRegistry &R = registry();
  std::lock_guard<std::mutex> Guard(R.Lock);
  R.Sessions.push_back(Session);
  return Session;
}

void startIntrospection(IntrospectionSession &Session,
                        IntrospectOptions Options) {
  Session.start(std::move(Options));
}

PreservedAnalyses IntrospectPass::run(Module &M, ModuleAnalysisManager &) {
  Session->setModuleName(M.getModuleIdentifier());
  Session->start(Options);
  return PreservedAnalyses::all();
}

} // namespace autopass
