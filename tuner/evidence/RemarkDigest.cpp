//===- evidence/RemarkDigest.cpp - Optimization remarks, condensed -------===//
#include "evidence/RemarkDigest.hpp"

#include "evidence/JsonFields.hpp"

#include <llvm/Remarks/Remark.h>
#include <llvm/Remarks/RemarkFormat.h>
#include <llvm/Remarks/RemarkParser.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/YAMLParser.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <tuple>

namespace autopass {

std::string_view remarkKindName(RemarkKind K) {
  switch (K) {
  case RemarkKind::Passed:
    return "passed";
  case RemarkKind::Missed:
    return "missed";
  case RemarkKind::Analysis:
    return "analysis";
  case RemarkKind::AnalysisFPCommute:
    return "analysis-fp-commute";
  case RemarkKind::AnalysisAliasing:
    return "analysis-aliasing";
  case RemarkKind::Failure:
    return "failure";
  case RemarkKind::Unknown:
    break;
  }
  return "unknown";
}

std::string SourceLocation::str() const {
  return File + ":" + std::to_string(Line) + ":" + std::to_string(Column);
}

const RemarkArg *OptRemark::arg(std::string_view Key) const {
  for (const RemarkArg &A : Args)
    if (A.Key == Key)
      return &A;
  return nullptr;
}

static std::optional<int64_t> parseInt(std::string_view Text) {
  if (Text.empty())
    return std::nullopt;
  std::string S(Text);
  char *End = nullptr;
  long long V = std::strtoll(S.c_str(), &End, 10);
  if (End != S.c_str() + S.size())
    return std::nullopt;
  return static_cast<int64_t>(V);
}

std::optional<int64_t> OptRemark::intArg(std::string_view Key) const {
  const RemarkArg *A = arg(Key);
  return A ? parseInt(A->Value) : std::nullopt;
}

//===----------------------------------------------------------------------===//
// Parsing
//===----------------------------------------------------------------------===//

static RemarkKind kindOf(llvm::remarks::Type T) {
  using llvm::remarks::Type;
  switch (T) {
  case Type::Passed:
    return RemarkKind::Passed;
  case Type::Missed:
    return RemarkKind::Missed;
  case Type::Analysis:
    return RemarkKind::Analysis;
  case Type::AnalysisFPCommute:
    return RemarkKind::AnalysisFPCommute;
  case Type::AnalysisAliasing:
    return RemarkKind::AnalysisAliasing;
  case Type::Failure:
    return RemarkKind::Failure;
  case Type::Unknown:
    break;
  }
  return RemarkKind::Unknown;
}

static SourceLocation locationOf(const llvm::remarks::RemarkLocation &L) {
  return SourceLocation{L.SourceFilePath.str(), L.SourceLine, L.SourceColumn};
}

// LLVM 19's YAML remark parser hands out argument values as they appear in
// the file: single-quoted scalars lose their outer quotes but keep the ''
// escape, double-quoted ones keep quotes and backslash escapes. Values are
// unquoted here so messages read as the compiler meant them.
static std::string unquoteYamlValue(llvm::StringRef Val, llvm::StringRef Buf) {
  bool InBuffer = Val.data() > Buf.data() &&
                  Val.data() + Val.size() <= Buf.data() + Buf.size();
  if (InBuffer && Val.data()[-1] == '\'') {
    std::string Out;
    for (size_t I = 0; I < Val.size(); ++I) {
      Out += Val[I];
      if (Val[I] == '\'' && I + 1 < Val.size() && Val[I + 1] == '\'')
        ++I;
    }
    return Out;
  }
  if (Val.size() >= 2 && Val.front() == '"' && Val.back() == '"') {
    std::string Out;
    llvm::StringRef In = Val.drop_front().drop_back();
    for (size_t I = 0; I < In.size(); ++I) {
      if (In[I] != '\\' || I + 1 == In.size()) {
        Out += In[I];
        continue;
      }
      char E = In[++I];
      switch (E) {
      case 'n':
        Out += '\n';
        break;
      case 't':
        Out += '\t';
        break;
      case 'r':
        Out += '\r';
        break;
      case '0':
        Out += '\0';
        break;
      default: // \" \\ \/ and anything rarer: the character itself
        Out += E;
      }
    }
    return Out;
  }
  return Val.str();
}

// The library's remarks hold StringRefs into the buffer and the parser's
// storage, so everything is copied out before the parser goes away.
static OptRemark convert(const llvm::remarks::Remark &R, llvm::StringRef Buf) {
  OptRemark O;
  O.Kind = kindOf(R.RemarkType);
  O.Pass = R.PassName.str();
  O.Name = R.RemarkName.str();
  O.Function = R.FunctionName.str();
  if (R.Loc)
    O.Loc = locationOf(*R.Loc);
  O.Hotness = R.Hotness;
  // The message is the concatenation of the argument values, as
  // Remark::getArgsAsMsg() builds it, but from the unquoted values.
  for (const llvm::remarks::Argument &A : R.Args) {
    RemarkArg Arg{A.Key.str(), unquoteYamlValue(A.Val, Buf), std::nullopt};
    if (A.Loc)
      Arg.Loc = locationOf(*A.Loc);
    O.Message += Arg.Value;
    O.Args.push_back(std::move(Arg));
  }
  return O;
}

// When a loop hint forces vectorization, the vectorizer's analysis remarks
// are "always print" ones (OptimizationRemarkAnalysis::AlwaysPrint, an empty
// pass name; the loop vectorizer is its only user in LLVM 19). The YAML
// writer emits them with `Pass: ''`, which the remarks parser then refuses
// ("Type, Pass, Name or Function missing"), so such a file could not be read
// at all. The empty name is replaced by the vectorizer's.
static std::optional<std::string> withNamedPasses(std::string_view YamlText) {
  std::string Out;
  bool Changed = false;
  size_t Pos = 0;
  while (Pos < YamlText.size()) {
    size_t End = YamlText.find('\n', Pos);
    size_t Next = End == std::string_view::npos ? YamlText.size() : End + 1;
    std::string_view Line = YamlText.substr(Pos, Next - Pos);
    std::string_view Value = Line;
    if (Value.substr(0, 5) == "Pass:") {
      Value.remove_prefix(5);
      size_t B = Value.find_first_not_of(" \t");
      size_t E = Value.find_last_not_of(" \t\r\n");
      Value = B == std::string_view::npos ? std::string_view()
                                          : Value.substr(B, E - B + 1);
      if (Value == "''" || Value == "\"\"") {
        Out += "Pass:            loop-vectorize\n";
        Changed = true;
        Pos = Next;
        continue;
      }
    }
    Out += Line;
    Pos = Next;
  }
  if (!Changed)
    return std::nullopt;
  return Out;
}

// LLVM's YAML remarks parser checks the stream for errors only before each
// document: a key that fails to parse inside a document (`!Missed\n? "`, an
// unterminated quoted key) reaches it as a null node, which it dereferences
// (SIGSEGV in YAMLRemarkParser::parseRemark, LLVM 19 and 22). So the text is
// first read with LLVM's YAML stream parser alone, every node visited, and
// refused if the stream has an error, a node is missing, or the nesting is
// deeper than any remark has (a remark is a mapping whose Args are a list of
// mappings of scalars: 4 levels; deeper input would only cost stack).
namespace {
constexpr unsigned MaxRemarkYamlDepth = 16;

bool visitYamlNode(llvm::yaml::Node *N, unsigned Depth) {
  if (!N || Depth > MaxRemarkYamlDepth)
    return false;
  if (auto *Map = llvm::dyn_cast<llvm::yaml::MappingNode>(N)) {
    for (llvm::yaml::KeyValueNode &KV : *Map)
      if (!visitYamlNode(KV.getKey(), Depth + 1) ||
          !visitYamlNode(KV.getValue(), Depth + 1))
        return false;
  } else if (auto *Seq = llvm::dyn_cast<llvm::yaml::SequenceNode>(N)) {
    for (llvm::yaml::Node &Item : *Seq)
      if (!visitYamlNode(&Item, Depth + 1))
        return false;
  }
  return true;
}
} // namespace

/// Empty when Buf is a well-formed YAML stream the remarks parser can be
/// given; otherwise what is wrong with it.
static std::string yamlStreamProblem(llvm::StringRef Buf) {
  llvm::SourceMgr SM;
  std::string Message;
  SM.setDiagHandler(
      [](const llvm::SMDiagnostic &D, void *Ctx) {
        auto *Out = static_cast<std::string *>(Ctx);
        if (Out->empty())
          *Out = "line " + std::to_string(D.getLineNo()) + ": " +
                 D.getMessage().str();
      },
      &Message);
  llvm::yaml::Stream S(Buf, SM, /*ShowColors=*/false);
  size_t Document = 0;
  for (llvm::yaml::document_iterator DI = S.begin(), DE = S.end(); DI != DE;
       ++DI) {
    ++Document;
    if (!visitYamlNode(DI->getRoot(), 0) && !S.failed())
      return "document " + std::to_string(Document) +
             ": a missing node or nesting deeper than " +
             std::to_string(MaxRemarkYamlDepth) + " levels";
    if (S.failed())
      break;
  }
  if (S.failed())
    return Message.empty() ? "not well-formed YAML"
                           : "not well-formed YAML: " + Message;
  return "";
}

Result<std::vector<OptRemark>> parseRemarks(std::string_view YamlText,
                                            std::string_view SourceName) {
  std::vector<OptRemark> Out;
  if (YamlText.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Out; // a unit without remarks writes an empty file
  std::optional<std::string> Fixed = withNamedPasses(YamlText);
  if (Fixed)
    YamlText = *Fixed;
  llvm::StringRef Buf(YamlText.data(), YamlText.size());
  if (std::string Problem = yamlStreamProblem(Buf); !Problem.empty())
    return makeError(std::string(SourceName) +
                     ": cannot read optimization remarks: " + Problem);
  auto Parser = llvm::remarks::createRemarkParserFromMeta(
      llvm::remarks::Format::YAML, Buf);
  if (!Parser)
    return makeError(std::string(SourceName) +
                     ": cannot read optimization remarks: " +
                     llvm::toString(Parser.takeError()));
  while (true) {
    llvm::Expected<std::unique_ptr<llvm::remarks::Remark>> Next =
        (*Parser)->next();
    if (Next) {
      Out.push_back(convert(**Next, Buf));
      continue;
    }
    llvm::Error E = Next.takeError();
    if (E.isA<llvm::remarks::EndOfFileError>()) {
      llvm::consumeError(std::move(E));
      break;
    }
    return makeError(std::string(SourceName) + ": remark " +
                     std::to_string(Out.size() + 1) + ": " +
                     llvm::toString(std::move(E)));
  }
  return Out;
}

Result<std::vector<OptRemark>> loadRemarks(const std::string &Path) {
  Result<std::string> Text = readTextFile(Path);
  if (!Text)
    return Text.error();
  return parseRemarks(*Text, Path);
}

//===----------------------------------------------------------------------===//
// Digest
//===----------------------------------------------------------------------===//

void KindCounts::add(RemarkKind K) {
  switch (K) {
  case RemarkKind::Passed:
    ++Passed;
    return;
  case RemarkKind::Missed:
    ++Missed;
    return;
  case RemarkKind::Analysis:
  case RemarkKind::AnalysisFPCommute:
  case RemarkKind::AnalysisAliasing:
    ++Analysis;
    return;
  default:
    ++Other;
  }
}

namespace {

bool isAnalysis(RemarkKind K) {
  return K == RemarkKind::Analysis || K == RemarkKind::AnalysisFPCommute ||
         K == RemarkKind::AnalysisAliasing;
}

/// Codegen metrics (instruction counts, stack sizes) are not decisions an
/// optimization configuration can change directly; they stay in the counts
/// but not in the highlights.
bool isMetricPass(std::string_view Pass) {
  return Pass == "asm-printer" || Pass == "prologepilog" ||
         Pass == "size-info" || Pass == "annotation-remarks";
}

/// Numbers vary between otherwise identical remarks (costs, call-site
/// offsets, counts); the deduplication key ignores them.
std::string withoutNumbers(std::string_view Text) {
  std::string Out;
  bool InNumber = false;
  for (char C : Text) {
    if (std::isdigit(static_cast<unsigned char>(C))) {
      if (!InNumber)
        Out += '#';
      InNumber = true;
      continue;
    }
    InNumber = false;
    Out += C;
  }
  return Out;
}

std::string stripPrefix(std::string S, std::string_view Prefix) {
  if (S.compare(0, Prefix.size(), Prefix) == 0)
    S.erase(0, Prefix.size());
  return S;
}

std::string oneLine(std::string S) {
  for (char &C : S)
    if (C == '\n' || C == '\r' || C == '\t')
      C = ' ';
  size_t B = S.find_first_not_of(' ');
  return B == std::string::npos ? std::string() : S.substr(B);
}

void addReason(VectorizeDecision &D, std::string Reason) {
  Reason = oneLine(stripPrefix(std::move(Reason), "loop not vectorized: "));
  if (Reason.empty() || Reason == "loop not vectorized")
    return;
  if (std::find(D.Reasons.begin(), D.Reasons.end(), Reason) == D.Reasons.end())
    D.Reasons.push_back(std::move(Reason));
}

class DigestBuilder {
public:
  RemarkDigest D;

  void add(const OptRemark &R) {
    D.Totals.add(R.Kind);
    D.ByPass[R.Pass].add(R.Kind);
    FunctionRemarkCounts &F = D.Functions[R.Function];
    F.Counts.add(R.Kind);
    F.ByPass[R.Pass].add(R.Kind);

    if (R.Kind == RemarkKind::Failure)
      return addFailure(R);
    if (R.Pass == "inline" || R.Pass == "always-inline")
      return addInline(R);
    if (R.Pass == "loop-vectorize")
      return addVectorize(R);
    if (isMetricPass(R.Pass) ||
        (R.Kind != RemarkKind::Passed && R.Kind != RemarkKind::Missed))
      return;
    addHighlight(R);
  }

  RemarkDigest finish() {
    std::vector<std::string> Left;
    for (const auto &[Function, Pending] : PendingVectorizeAnalysis)
      Left.push_back(Function);
    for (const std::string &Function : Left)
      flushPendingVectorize(Function);
    std::stable_sort(D.Highlights.begin(), D.Highlights.end(),
                     [](const RemarkHighlight &A, const RemarkHighlight &B) {
                       bool AM = A.Kind == RemarkKind::Missed;
                       bool BM = B.Kind == RemarkKind::Missed;
                       if (AM != BM)
                         return AM;
                       return A.Count > B.Count;
                     });
    return std::move(D);
  }

private:
  // Dedup indexes: key -> position in the digest's vectors.
  std::map<std::tuple<std::string, std::string, bool, std::string,
                      std::optional<int64_t>, std::optional<int64_t>>,
           size_t>
      InlineIndex;
  std::map<std::tuple<std::string, std::string, unsigned, unsigned>, size_t>
      VectorizeIndex;
  std::map<std::tuple<int, std::string, std::string, std::string, std::string>,
           size_t>
      HighlightIndex;
  std::map<
      std::tuple<std::string, std::string, std::string, unsigned, unsigned>,
      size_t>
      FailureIndex;
  // The vectorizer explains a failure in analysis remarks emitted just before
  // the missed remark on the loop (whose location is the loop's, while the
  // analysis points at the offending instruction), so they are held per
  // function until that missed remark arrives. LLVM 22 gives some failures
  // (an early-exit loop it cannot vectorize) no missed remark at all: what no
  // missed remark claimed by the end of the file becomes a decision of its
  // own, not vectorized, at the first analysis remark's location.
  struct PendingAnalysis {
    std::string Message;
    std::optional<SourceLocation> Loc;
  };
  std::map<std::string, std::vector<PendingAnalysis>> PendingVectorizeAnalysis;

  void addInline(const OptRemark &R) {
    InlineDecision I;
    const RemarkArg *Callee = R.arg("Callee");
    const RemarkArg *Caller = R.arg("Caller");
    I.Callee = Callee ? Callee->Value : "";
    I.Caller = Caller ? Caller->Value : R.Function;
    I.Inlined = R.Kind == RemarkKind::Passed;
    if (!I.Inlined && R.Kind != RemarkKind::Missed)
      return; // analysis remarks of the inliner carry no decision
    I.RemarkName = R.Name;
    I.Cost = R.intArg("Cost");
    I.Threshold = R.intArg("Threshold");
    if (const RemarkArg *Reason = R.arg("Reason"))
      I.Reason = Reason->Value;
    I.Loc = R.Loc;
    auto Key = std::make_tuple(I.Caller, I.Callee, I.Inlined, I.RemarkName,
                               I.Cost, I.Threshold);
    auto It = InlineIndex.find(Key);
    if (It != InlineIndex.end()) {
      ++D.Inlining[It->second].Count;
      return;
    }
    InlineIndex.emplace(Key, D.Inlining.size());
    D.Inlining.push_back(std::move(I));
  }

  VectorizeDecision &loopDecision(const std::string &Function,
                                  const std::optional<SourceLocation> &Loc) {
    auto Key = std::make_tuple(Function, Loc ? Loc->File : "",
                               Loc ? Loc->Line : 0u, Loc ? Loc->Column : 0u);
    auto It = VectorizeIndex.find(Key);
    if (It != VectorizeIndex.end())
      return D.Vectorization[It->second];
    VectorizeIndex.emplace(Key, D.Vectorization.size());
    VectorizeDecision V;
    V.Function = Function;
    V.Loc = Loc;
    D.Vectorization.push_back(std::move(V));
    return D.Vectorization.back();
  }

  /// Failure explanations of \p Function that no missed remark claimed: a
  /// loop of their own, not vectorized.
  void flushPendingVectorize(const std::string &Function) {
    auto It = PendingVectorizeAnalysis.find(Function);
    if (It == PendingVectorizeAnalysis.end())
      return;
    std::vector<PendingAnalysis> Pending = std::move(It->second);
    PendingVectorizeAnalysis.erase(It);
    if (Pending.empty())
      return;
    VectorizeDecision &V = loopDecision(Function, Pending.front().Loc);
    for (PendingAnalysis &P : Pending)
      addReason(V, std::move(P.Message));
  }

  void addVectorize(const OptRemark &R) {
    if (isAnalysis(R.Kind)) {
      // The vectorizer repeats its passed remark as an analysis remark;
      // only failure explanations are worth holding.
      if (R.Name != "Vectorized" && R.Name != "Interleaved")
        PendingVectorizeAnalysis[R.Function].push_back({R.Message, R.Loc});
      return;
    }
    if (R.Kind != RemarkKind::Passed && R.Kind != RemarkKind::Missed)
      return;
    if (R.Kind == RemarkKind::Passed) {
      // Analysis remarks before a passed one are about that loop (e.g. why
      // it is not interleaved), not failures.
      PendingVectorizeAnalysis.erase(R.Function);
      VectorizeDecision &V = loopDecision(R.Function, R.Loc);
      if (auto W = R.intArg("VectorizationFactor")) {
        V.Width = W;
        V.Vectorized = *W > 1;
      } else if (R.Name == "Vectorized") {
        V.Vectorized = true;
      }
      if (auto IC = R.intArg("InterleaveCount")) {
        V.InterleaveCount = IC;
        V.Interleaved = *IC > 1;
      }
      if (R.Name == "Interleaved")
        V.Interleaved = true;
      return;
    }
    VectorizeDecision &V = loopDecision(R.Function, R.Loc);
    std::vector<PendingAnalysis> Pending =
        std::move(PendingVectorizeAnalysis[R.Function]);
    PendingVectorizeAnalysis.erase(R.Function);
    for (PendingAnalysis &P : Pending)
      addReason(V, std::move(P.Message));
    addReason(V, R.Message);
  }

  void addFailure(const OptRemark &R) {
    auto Key =
        std::make_tuple(R.Pass, R.Name, R.Function, R.Loc ? R.Loc->Line : 0u,
                        R.Loc ? R.Loc->Column : 0u);
    auto It = FailureIndex.find(Key);
    if (It != FailureIndex.end()) {
      ++D.Failures[It->second].Count;
      return;
    }
    FailureIndex.emplace(Key, D.Failures.size());
    D.Failures.push_back(RemarkHighlight{R.Kind, R.Pass, R.Name, R.Function,
                                         R.Loc, oneLine(R.Message), 1});
  }

  void addHighlight(const OptRemark &R) {
    // Passed remarks of one kind differ only in detail ("hoisting icmp",
    // "hoisting load"): one line per pass and remark name is enough. Missed
    // remarks keep their message in the key: it says what was missed.
    std::string MessageKey =
        R.Kind == RemarkKind::Passed ? "" : withoutNumbers(R.Message);
    auto Key = std::make_tuple(static_cast<int>(R.Kind), R.Pass, R.Name,
                               R.Function, MessageKey);
    auto It = HighlightIndex.find(Key);
    if (It != HighlightIndex.end()) {
      ++D.Highlights[It->second].Count;
      return;
    }
    HighlightIndex.emplace(Key, D.Highlights.size());
    D.Highlights.push_back(RemarkHighlight{R.Kind, R.Pass, R.Name, R.Function,
                                           R.Loc, oneLine(R.Message), 1});
  }
};

} // namespace

RemarkDigest RemarkDigest::build(const std::vector<OptRemark> &Remarks) {
  DigestBuilder B;
  for (const OptRemark &R : Remarks)
    B.add(R);
  return B.finish();
}

std::vector<const InlineDecision *>
RemarkDigest::inliningInto(std::string_view Caller) const {
  std::vector<const InlineDecision *> Out;
  for (const InlineDecision &I : Inlining)
    if (I.Caller == Caller)
      Out.push_back(&I);
  return Out;
}

std::vector<const VectorizeDecision *>
RemarkDigest::vectorizationIn(std::string_view Fn) const {
  std::vector<const VectorizeDecision *> Out;
  for (const VectorizeDecision &V : Vectorization)
    if (V.Function == Fn)
      Out.push_back(&V);
  return Out;
}

std::vector<const RemarkHighlight *>
RemarkDigest::highlightsIn(std::string_view Fn) const {
  std::vector<const RemarkHighlight *> Out;
  for (const RemarkHighlight &H : Highlights)
    if (H.Function == Fn)
      Out.push_back(&H);
  return Out;
}

} // namespace autopass
