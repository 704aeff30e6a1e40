//===- evidence/Profile.cpp - Hot functions and loops from a profile -----===//
//
// The callgrind format is documented in valgrind's "Callgrind Format
// Specification": header lines `key: value`, position specifications
// (fl= fi= fe= fn= cfi= cfl= cfn= ob= cob=) with optional name compression
// `(id) name` / `(id)`, `calls=` lines whose following cost line is the
// inclusive cost of that call, and cost lines `positions... costs...` where
// each position may be absolute, relative (+N, -N) or `*` (unchanged).
//
//===----------------------------------------------------------------------===//
#include "evidence/Profile.hpp"

#include "evidence/JsonFields.hpp"
#include "util/Strings.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>
#include <unordered_map>

namespace autopass {

const FunctionCost *Profile::find(std::string_view Name) const {
  for (const FunctionCost &F : Functions)
    if (F.Name == Name)
      return &F;
  return nullptr;
}

bool Profile::hasLineCosts() const {
  for (const FunctionCost &F : Functions)
    if (!F.LineSelf.empty())
      return true;
  return false;
}

std::string_view loopWeightBasisName(LoopWeightBasis B) {
  return B == LoopWeightBasis::SourceLines ? "source-lines" : "size-share";
}

namespace {

std::vector<std::string_view> words(std::string_view Text) {
  std::vector<std::string_view> Out;
  size_t I = 0;
  while (I < Text.size()) {
    while (I < Text.size() && std::isspace(static_cast<unsigned char>(Text[I])))
      ++I;
    size_t B = I;
    while (I < Text.size() &&
           !std::isspace(static_cast<unsigned char>(Text[I])))
      ++I;
    if (I > B)
      Out.push_back(Text.substr(B, I - B));
  }
  return Out;
}

bool parseUnsigned(std::string_view Text, uint64_t &Out) {
  if (Text.empty())
    return false;
  int Base = 10;
  if (Text.size() > 2 && Text[0] == '0' && (Text[1] == 'x' || Text[1] == 'X')) {
    Base = 16;
    Text.remove_prefix(2);
  }
  std::string S(Text);
  char *End = nullptr;
  unsigned long long V = std::strtoull(S.c_str(), &End, Base);
  if (End != S.c_str() + S.size() || S.empty())
    return false;
  Out = V;
  return true;
}

/// Callgrind appends 'N to the names of recursion levels (--separate-recs);
/// they are one function of the program.
std::string withoutRecursionSuffix(std::string Name) {
  size_t Q = Name.rfind('\'');
  if (Q != std::string::npos && Q + 1 < Name.size() &&
      std::all_of(Name.begin() + Q + 1, Name.end(), [](char C) {
        return std::isdigit(static_cast<unsigned char>(C));
      }))
    Name.erase(Q);
  return Name;
}

class CallgrindParser {
public:
  CallgrindParser(std::string_view Source, std::string_view Event)
      : Source(Source), WantedEvent(Event) {}

  Result<Profile> run(std::string_view Text) {
    size_t LineNo = 0;
    size_t Pos = 0;
    while (Pos <= Text.size()) {
      size_t End = Text.find('\n', Pos);
      if (End == std::string_view::npos)
        End = Text.size();
      std::string_view Line = Text.substr(Pos, End - Pos);
      if (!Line.empty() && Line.back() == '\r')
        Line.remove_suffix(1);
      ++LineNo;
      Status S = line(Line);
      if (!S)
        return makeError(std::string(Source) + ":" + std::to_string(LineNo) +
                         ": " + S.message());
      if (End == Text.size())
        break;
      Pos = End + 1;
    }
    if (EventIndex < 0)
      return makeError(std::string(Source) +
                       ": not a callgrind profile (no 'events:' line)");
    return finish();
  }

private:
  std::string Source;
  std::string WantedEvent;
  int EventIndex = -1;
  std::string EventName;
  size_t NumPositions = 1;
  int LinePosition = 0; // index of "line" among positions, -1 if absent
  std::vector<uint64_t> LastPos{0};
  uint64_t TotalsSum = 0, SummarySum = 0;

  std::unordered_map<std::string, std::string> FileNames, FnNames;
  std::string FnFile, CurFile, CurFn;
  bool NextIsCallCost = false;
  std::map<std::string, FunctionCost> Costs;

  /// Resolves "(id) name" / "(id)" / "name" against a compression table.
  Result<std::string>
  name(std::string_view Spec,
       std::unordered_map<std::string, std::string> &Table) {
    Spec = trim(Spec);
    if (Spec.empty() || Spec[0] != '(')
      return std::string(Spec);
    size_t Close = Spec.find(')');
    if (Close == std::string_view::npos)
      return makeError("unterminated name id in '" + std::string(Spec) + "'");
    std::string Id(Spec.substr(1, Close - 1));
    std::string_view Rest = trim(Spec.substr(Close + 1));
    if (!Rest.empty()) {
      Table[Id] = std::string(Rest);
      return std::string(Rest);
    }
    auto It = Table.find(Id);
    if (It == Table.end())
      return makeError("name id (" + Id + ") used before it was defined");
    return It->second;
  }

  Status header(std::string_view Key, std::string_view Value) {
    if (Key == "events") {
      std::vector<std::string_view> Names = words(Value);
      if (Names.empty())
        return makeError("'events:' lists no event");
      EventIndex = 0;
      if (!WantedEvent.empty()) {
        auto It = std::find(Names.begin(), Names.end(), WantedEvent);
        if (It == Names.end())
          return makeError("event '" + WantedEvent +
                           "' is not among the recorded events '" +
                           std::string(trim(Value)) + "'");
        EventIndex = static_cast<int>(It - Names.begin());
      }
      EventName = std::string(Names[EventIndex]);
      return success();
    }
    if (Key == "positions") {
      std::vector<std::string_view> Names = words(Value);
      if (Names.empty())
        return makeError("'positions:' lists nothing");
      NumPositions = Names.size();
      LinePosition = -1;
      for (size_t I = 0; I < Names.size(); ++I)
        if (Names[I] == "line")
          LinePosition = static_cast<int>(I);
      LastPos.assign(NumPositions, 0);
      return success();
    }
    if (Key == "totals" || Key == "summary") {
      // Each part of a multi-part dump carries its own totals; the program's
      // total is their sum.
      std::vector<std::string_view> Vals = words(Value);
      uint64_t V = 0;
      if (EventIndex < 0 || static_cast<size_t>(EventIndex) >= Vals.size() ||
          !parseUnsigned(Vals[EventIndex], V))
        return success(); // a total we cannot read; the sum of costs serves
      (Key == "totals" ? TotalsSum : SummarySum) += V;
      return success();
    }
    return success(); // version, creator, cmd, desc, part... not needed
  }
  Status spec(std::string_view Key, std::string_view Value) {
    if (Key == "fl" || Key == "fi" || Key == "fe") {
      Result<std::string> N = name(Value, FileNames);
      if (!N)
        return N.error();
      CurFile = *N;
      if (Key == "fl")
        FnFile = *N;
      return success();
    }
    if (Key == "cfi" || Key == "cfl")
      return name(Value, FileNames).ok()
                 ? success()
                 : makeError("bad file id in '" + std::string(Value) + "'");
    if (Key == "fn") {
      Result<std::string> N = name(Value, FnNames);
      if (!N)
        return N.error();
      CurFn = withoutRecursionSuffix(*N);
      CurFile = FnFile;
      FunctionCost &F = Costs[CurFn];
      F.Name = CurFn;
      if (F.File.empty())
        F.File = FnFile;
      return success();
    }
    if (Key == "cfn") {
      Result<std::string> N = name(Value, FnNames);
      return N ? success() : Status(N.error());
    }
    if (Key == "calls") {
      // "calls=COUNT TARGET": the target position is relative to the last
      // cost line's position but does not move it, so it is skipped.
      NextIsCallCost = true;
      return success();
    }
    // ob=, cob=, jump=, jcnd= and unknown specs carry no cost we use.
    return success();
  }

  Status costLine(std::string_view Line) {
    std::vector<std::string_view> W = words(Line);
    if (W.size() < NumPositions)
      return makeError("cost line has fewer than " +
                       std::to_string(NumPositions) + " positions");
    for (size_t I = 0; I < NumPositions; ++I) {
      std::string_view P = W[I];
      uint64_t V = 0;
      if (P == "*")
        continue;
      if (P[0] == '+' || P[0] == '-') {
        if (!parseUnsigned(P.substr(1), V))
          return makeError("bad relative position '" + std::string(P) + "'");
        LastPos[I] = P[0] == '+' ? LastPos[I] + V : LastPos[I] - V;
        continue;
      }
      if (!parseUnsigned(P, V))
        return makeError("bad position '" + std::string(P) + "'");
      LastPos[I] = V;
    }
    uint64_t Cost = 0;
    size_t Col = NumPositions + static_cast<size_t>(EventIndex);
    if (Col < W.size() && !parseUnsigned(W[Col], Cost))
      return makeError("bad cost '" + std::string(W[Col]) + "'");
    if (CurFn.empty())
      return makeError("cost line before any 'fn=' line");
    FunctionCost &F = Costs[CurFn];
    if (NextIsCallCost) {
      NextIsCallCost = false;
      F.Inclusive += Cost;
      return success();
    }
    F.Self += Cost;
    F.Inclusive += Cost;
    if (LinePosition >= 0 && CurFile == F.File && LastPos[LinePosition] > 0)
      F.LineSelf[static_cast<unsigned>(LastPos[LinePosition])] += Cost;
    return success();
  }

  Status line(std::string_view Line) {
    if (Line.empty() || Line[0] == '#')
      return success();
    char C = Line[0];
    if (std::isdigit(static_cast<unsigned char>(C)) || C == '+' || C == '-' ||
        C == '*') {
      if (EventIndex < 0)
        return makeError("cost line before the 'events:' header");
      return costLine(Line);
    }
    size_t Eq = Line.find('=');
    size_t Colon = Line.find(':');
    if (Colon != std::string_view::npos &&
        (Eq == std::string_view::npos || Colon < Eq))
      return header(trim(Line.substr(0, Colon)), Line.substr(Colon + 1));
    if (Eq != std::string_view::npos)
      return spec(Line.substr(0, Eq), Line.substr(Eq + 1));
    return makeError("unrecognized line '" + std::string(Line) + "'");
  }

  Result<Profile> finish() {
    Profile P;
    P.Source = ProfileSource::Callgrind;
    P.Event = EventName;
    uint64_t Sum = 0;
    for (auto &KV : Costs) {
      Sum += KV.second.Self;
      P.Functions.push_back(std::move(KV.second));
    }
    // Prefer the file's own total; it also covers costs outside any function.
    P.Total = TotalsSum ? TotalsSum : (SummarySum ? SummarySum : Sum);
    if (P.Total < Sum)
      P.Total = Sum;
    std::stable_sort(P.Functions.begin(), P.Functions.end(),
                     [](const FunctionCost &A, const FunctionCost &B) {
                       return A.Self > B.Self;
                     });
    return P;
  }
};

} // namespace

Result<Profile> Profile::parseCallgrind(std::string_view Text,
                                        std::string_view SourceName,
                                        std::string_view Event) {
  return CallgrindParser(SourceName, Event).run(Text);
}

Result<Profile> Profile::loadCallgrind(const std::string &Path,
                                       std::string_view Event) {
  Result<std::string> Text = readTextFile(Path);
  if (!Text)
    return Text.error();
  return parseCallgrind(*Text, Path, Event);
}

Result<Profile> Profile::parseProfdataShow(std::string_view Text,
                                           std::string_view SourceName) {
  Profile P;
  P.Source = ProfileSource::InstrProf;
  P.Event = "counters";
  FunctionCost *Cur = nullptr;
  size_t LineNo = 0;
  bool SawCounters = false;
  for (const std::string &Raw : split(Text, '\n')) {
    ++LineNo;
    std::string_view Line = Raw;
    if (!Line.empty() && Line.back() == '\r')
      Line.remove_suffix(1);
    std::string_view T = trim(Line);
    if (T == "Counters:") {
      SawCounters = true;
      continue;
    }
    // A function header is indented by exactly two spaces and ends in ':'.
    if (SawCounters && startsWith(Line, "  ") && !startsWith(Line, "   ") &&
        endsWith(T, ":")) {
      std::string Name(T.substr(0, T.size() - 1));
      // Local functions are named "file;name" in IR PGO profiles.
      size_t Semi = Name.rfind(';');
      if (Semi != std::string::npos)
        Name.erase(0, Semi + 1);
      P.Functions.push_back(FunctionCost{});
      Cur = &P.Functions.back();
      Cur->Name = Name;
      continue;
    }
    if (Cur && startsWith(T, "Block counts:")) {
      std::string_view L = T.substr(std::string_view("Block counts:").size());
      L = trim(L);
      if (L.size() < 2 || L.front() != '[' || L.back() != ']')
        return makeError(std::string(SourceName) + ":" +
                         std::to_string(LineNo) +
                         ": expected 'Block counts: [n, ...]'");
      L = L.substr(1, L.size() - 2);
      for (const std::string &Item : split(L, ',')) {
        std::string_view V = trim(Item);
        if (V.empty())
          continue;
        uint64_t N = 0;
        if (!parseUnsigned(V, N))
          return makeError(std::string(SourceName) + ":" +
                           std::to_string(LineNo) + ": bad counter '" +
                           std::string(V) + "'");
        Cur->Self += N;
        Cur->MaxCount = std::max(Cur->MaxCount, N);
      }
      continue;
    }
    if (!startsWith(Line, "  "))
      Cur = nullptr; // the trailing summary lines
  }
  if (!SawCounters)
    return makeError(std::string(SourceName) +
                     ": not `llvm-profdata show --all-functions --counts` "
                     "output (no 'Counters:' line)");
  for (const FunctionCost &F : P.Functions)
    P.Total += F.Self;
  std::stable_sort(P.Functions.begin(), P.Functions.end(),
                   [](const FunctionCost &A, const FunctionCost &B) {
                     return A.Self > B.Self;
                   });
  return P;
}

bool sameSourceFile(std::string_view ProfileFile, std::string_view Module) {
  auto strip = [](std::string_view S) {
    while (startsWith(S, "./"))
      S.remove_prefix(2);
    return S;
  };
  ProfileFile = strip(ProfileFile);
  Module = strip(Module);
  if (ProfileFile.empty() || Module.empty())
    return false;
  if (ProfileFile == Module)
    return true;
  if (ProfileFile.front() == '/' && Module.front() == '/')
    return false;
  std::string_view Longer =
      ProfileFile.size() > Module.size() ? ProfileFile : Module;
  std::string_view Shorter =
      ProfileFile.size() > Module.size() ? Module : ProfileFile;
  return Shorter.front() != '/' && endsWith(Longer, "/" + std::string(Shorter));
}

std::vector<HotFunction> hotFunctions(const Profile &P, double MinWeight,
                                      size_t MaxCount) {
  std::vector<HotFunction> Out;
  for (const FunctionCost &F : P.Functions) {
    if (Out.size() == MaxCount)
      break;
    double W = P.weight(F);
    if (W < MinWeight)
      break; // sorted by self cost
    Out.push_back(HotFunction{
        F.Name, W,
        P.Source == ProfileSource::Callgrind ? P.inclusiveWeight(F) : 0.0});
  }
  return Out;
}

namespace {

bool allLoopsHaveLines(const FunctionFeatures &F) {
  return std::all_of(F.Loops.begin(), F.Loops.end(),
                     [](const LoopFeatures &L) { return L.Line.has_value(); });
}

/// Weights F's loops by the costs of their source lines. LastLine ends the
/// range of the function's last loop nest.
void attributeByLines(const Profile &P,
                      const std::map<unsigned, uint64_t> &LineCosts,
                      unsigned LastLine, const FunctionFeatures &F,
                      std::vector<HotLoop> &Out) {
  for (size_t I = 0; I < F.Loops.size(); ++I) {
    const LoopFeatures &L = F.Loops[I];
    uint64_t Begin = static_cast<uint64_t>(*L.Line);
    // The range ends before the next loop in preorder that is not nested in
    // this one (a sibling or a later outer loop).
    uint64_t End = LastLine;
    for (size_t J = I + 1; J < F.Loops.size(); ++J)
      if (!F.isWithin(F.Loops[J], L)) {
        if (F.Loops[J].Line && uint64_t(*F.Loops[J].Line) > Begin)
          End = uint64_t(*F.Loops[J].Line) - 1;
        break;
      }
    if (L.EndLine && uint64_t(*L.EndLine) >= Begin)
      End = std::min<uint64_t>(End, uint64_t(*L.EndLine));
    uint64_t Sum = 0;
    for (auto It = LineCosts.lower_bound(static_cast<unsigned>(Begin));
         It != LineCosts.end() && It->first <= End; ++It)
      Sum += It->second;
    HotLoop H{L.Name,
              F.Name,
              L.Depth,
              L.Innermost,
              L.Line,
              L.Trip,
              P.Total ? double(Sum) / double(P.Total) : 0.0,
              LoopWeightBasis::SourceLines};
    Out.push_back(std::move(H));
  }
}

void attributeBySize(const Profile &P, const FunctionCost &Cost,
                     const FunctionFeatures &F, std::vector<HotLoop> &Out) {
  double FnWeight = P.weight(Cost);
  for (const LoopFeatures &L : F.Loops) {
    double Share =
        F.Instructions > 0
            ? std::min(1.0, double(L.Instructions) / double(F.Instructions))
            : 0.0;
    Out.push_back(HotLoop{L.Name, F.Name, L.Depth, L.Innermost, L.Line, L.Trip,
                          FnWeight * Share, LoopWeightBasis::SizeShare});
  }
}

} // namespace

std::vector<HotLoop> attributeLoops(const Profile &P,
                                    const std::vector<ModuleFeatures> &Mods) {
  std::vector<HotLoop> Out;
  std::set<const FunctionFeatures *> Profiled;
  for (const FunctionCost &Cost : P.Functions) {
    const FunctionFeatures *F = findFunction(Mods, Cost.Name);
    if (!F || F->Loops.empty())
      continue;
    Profiled.insert(F);
    if (allLoopsHaveLines(*F) && !Cost.LineSelf.empty())
      attributeByLines(P, Cost.LineSelf, Cost.LineSelf.rbegin()->first, *F,
                       Out);
    else
      attributeBySize(P, Cost, *F, Out);
  }

  // A function inlined into all its callers (a static helper) has no cost
  // of its own, yet its loops are often the hot ones: their lines are in
  // the profile, under the callers that run them. Such loops are weighted by
  // the line costs of every function of their source file; the last loop
  // nest's range ends before the next loop header of the file.
  for (const ModuleFeatures &M : Mods) {
    std::map<unsigned, uint64_t> FileLines;
    bool Built = false;
    for (const FunctionFeatures &F : M.Functions) {
      if (F.Loops.empty() || Profiled.count(&F) || !allLoopsHaveLines(F))
        continue;
      if (!Built) {
        Built = true;
        for (const FunctionCost &C : P.Functions)
          if (sameSourceFile(C.File, M.Module))
            for (const auto &[Line, Cost] : C.LineSelf)
              FileLines[Line] += Cost;
      }
      if (FileLines.empty())
        break;
      int64_t LastHeader = 0;
      for (const LoopFeatures &L : F.Loops)
        LastHeader = std::max(LastHeader, *L.Line);
      unsigned End = FileLines.rbegin()->first;
      for (const FunctionFeatures &G : M.Functions)
        for (const LoopFeatures &L : G.Loops)
          if (&G != &F && L.Line && *L.Line > LastHeader)
            End = std::min<unsigned>(End, unsigned(*L.Line - 1));
      attributeByLines(P, FileLines, End, F, Out);
    }
  }
  std::stable_sort(
      Out.begin(), Out.end(),
      [](const HotLoop &A, const HotLoop &B) { return A.Weight > B.Weight; });
  return Out;
}

} // namespace autopass
