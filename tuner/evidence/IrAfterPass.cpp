//===- evidence/IrAfterPass.cpp - IR of a function after one pass ---------===//

#include "evidence/IrAfterPass.hpp"

#include "util/FileSystem.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include <algorithm>
#include <cctype>

namespace autopass {

namespace {

constexpr std::string_view DumpPrefix = "; *** IR Dump After ";

/// The lines of Text, without their '\n'.
std::vector<std::string_view> lines(std::string_view Text) {
  std::vector<std::string_view> Out;
  while (!Text.empty()) {
    size_t End = Text.find('\n');
    Out.push_back(Text.substr(0, End));
    if (End == std::string_view::npos)
      break;
    Text.remove_prefix(End + 1);
  }
  return Out;
}

bool isPipelineNameChar(char C) {
  return std::islower(static_cast<unsigned char>(C)) ||
         std::isdigit(static_cast<unsigned char>(C)) || C == '-' || C == '_' || C == '.';
}

/// At most Max names, then "... (N more)".
std::string listSome(const std::vector<std::string> &Names, size_t Max) {
  if (Names.empty())
    return "none";
  std::vector<std::string> Shown(Names.begin(), Names.begin() + std::min(Max, Names.size()));
  std::string Text = join(Shown, ", ");
  if (Names.size() > Max)
    Text += ", ... (" + std::to_string(Names.size() - Max) + " more)";
  return Text;
}

std::string excerptOf(const std::string &Text) {
  std::string_view T = trim(Text);
  return std::string(T.substr(0, 600)) + (T.size() > 600 ? " ..." : "");
}

} // namespace

std::vector<PassRun> parsePassNumbers(std::string_view OptStderr) {
  std::vector<PassRun> Out;
  for (std::string_view L : lines(OptStderr)) {
    L = trim(L);
    if (!startsWith(L, "Running pass "))
      continue;
    L.remove_prefix(13);
    size_t Space = L.find(' ');
    if (Space == 0 || Space == std::string_view::npos)
      continue;
    PassRun R;
    for (char C : L.substr(0, Space)) {
      if (!std::isdigit(static_cast<unsigned char>(C))) {
        R.Number = -1;
        break;
      }
      R.Number = R.Number * 10 + (C - '0');
    }
    if (R.Number <= 0)
      continue;
    L.remove_prefix(Space + 1);
    size_t On = L.find(" on ");
    if (On == std::string_view::npos)
      continue;
    R.Pass = std::string(L.substr(0, On));
    R.Unit = std::string(L.substr(On + 4));
    Out.push_back(std::move(R));
  }
  return Out;
}

std::vector<IrDump> splitIrDumps(std::string_view OptStderr) {
  std::vector<IrDump> Out;
  bool InDump = false;
  for (std::string_view L : lines(OptStderr)) {
    if (startsWith(L, DumpPrefix)) {
      std::string_view H = L.substr(DumpPrefix.size());
      if (endsWith(H, " ***"))
        H.remove_suffix(4);
      IrDump D;
      size_t On = H.find(" on ");
      std::string_view Pass = H.substr(0, On);
      if (On != std::string_view::npos)
        D.Unit = std::string(H.substr(On + 4));
      // "95-LoopVectorizePass" when printed by number.
      size_t Dash = Pass.find('-');
      if (Dash != std::string_view::npos && Dash > 0 &&
          std::all_of(Pass.begin(), Pass.begin() + Dash,
                      [](char C) { return std::isdigit(static_cast<unsigned char>(C)); })) {
        for (char C : Pass.substr(0, Dash))
          D.Number = D.Number * 10 + (C - '0');
        Pass.remove_prefix(Dash + 1);
      }
      D.Pass = std::string(Pass);
      Out.push_back(std::move(D));
      InDump = true;
      continue;
    }
    // Other "; *** ..." lines (an invalidated IR unit) end a dump.
    if (startsWith(L, "; *** ")) {
      InDump = false;
      continue;
    }
    if (!InDump || startsWith(trim(L), "Running pass "))
      continue;
    Out.back().Body.append(L).push_back('\n');
  }
  return Out;
}

std::string stripDebugInfo(std::string_view Ir) {
  std::string Out;
  Out.reserve(Ir.size());
  for (std::string_view L : lines(Ir)) {
    std::string_view T = trim(L);
    if (startsWith(T, "#dbg_") || T.find("call void @llvm.dbg.") != std::string_view::npos)
      continue;
    std::string Line(L);
    // ", !dbg !12" on instructions, " !dbg !10" on a define line.
    for (size_t At = Line.find("!dbg !"); At != std::string::npos; At = Line.find("!dbg !", At)) {
      size_t End = At + 6;
      while (End < Line.size() && std::isdigit(static_cast<unsigned char>(Line[End])))
        ++End;
      if (End == At + 6) {
        At = End;
        continue;
      }
      size_t Begin = At;
      if (Begin >= 2 && Line.compare(Begin - 2, 2, ", ") == 0)
        Begin -= 2;
      else if (Begin >= 1 && Line[Begin - 1] == ' ')
        Begin -= 1;
      Line.erase(Begin, End - Begin);
      At = Begin;
    }
    Out += Line;
    Out += '\n';
  }
  return Out;
}

std::string boundIrText(std::string_view Ir, size_t MaxChars) {
  if (Ir.size() <= MaxChars)
    return std::string(Ir);
  size_t Cut = Ir.rfind('\n', MaxChars == 0 ? 0 : MaxChars - 1);
  Cut = (Cut == std::string_view::npos || Cut == 0) ? MaxChars : Cut + 1;
  std::string_view Kept = Ir.substr(0, Cut);
  std::string_view Rest = Ir.substr(Cut);
  size_t MoreLines = static_cast<size_t>(std::count(Rest.begin(), Rest.end(), '\n'));
  if (!Rest.empty() && Rest.back() != '\n')
    ++MoreLines;
  std::string Out(Kept);
  if (!Out.empty() && Out.back() != '\n')
    Out += '\n';
  Out += "; [truncated: " + std::to_string(Kept.size()) + " of " + std::to_string(Ir.size()) +
         " characters shown, " + std::to_string(MoreLines) + " more lines left out]\n";
  return Out;
}

std::vector<std::string> pipelinePassNames(std::string_view Pipeline) {
  std::vector<std::string> Out;
  std::string Name;
  int Depth = 0; // inside <...> parameters
  auto flush = [&] {
    if (!Name.empty() && std::find(Out.begin(), Out.end(), Name) == Out.end())
      Out.push_back(Name);
    Name.clear();
  };
  for (char C : Pipeline) {
    if (C == '<') {
      flush();
      ++Depth;
    } else if (C == '>') {
      Depth = std::max(0, Depth - 1);
    } else if (Depth > 0) {
      continue;
    } else if (isPipelineNameChar(C)) {
      Name.push_back(C);
    } else {
      flush();
    }
  }
  flush();
  return Out;
}

IrAfterPass::IrAfterPass(IrSource SourceIn, double TimeoutSeconds)
    : Source(std::move(SourceIn)), TimeoutSeconds(TimeoutSeconds) {
  if (Source.Label.empty())
    Source.Label = "the evidence pipeline";
  // A function defined in two units (two statics of one name): the first.
  for (size_t I = 0; I < Source.Units.size(); ++I)
    for (const std::string &F : Source.Units[I].Functions)
      UnitOf.emplace(F, I);
}

bool IrAfterPass::knowsFunction(const std::string &Function) const {
  return UnitOf.count(Function) != 0;
}

std::vector<std::string> IrAfterPass::baseArgv() const {
  std::vector<std::string> Argv = {Source.Opt};
  if (!Source.RelocationModel.empty())
    Argv.push_back("-relocation-model=" + Source.RelocationModel);
  if (!Source.Plugin.empty())
    Argv.push_back("-load-pass-plugin=" + Source.Plugin);
  Argv.push_back("-passes=" + Source.Pipeline);
  Argv.insert(Argv.end(), Source.OptKnobs.begin(), Source.OptKnobs.end());
  return Argv;
}

Result<std::string> IrAfterPass::runOpt(const std::vector<std::string> &Extra,
                                        const std::string &Bitcode,
                                        const std::string &What) const {
  SubprocessOptions O;
  O.Argv = baseArgv();
  O.Argv.insert(O.Argv.end(), Extra.begin(), Extra.end());
  O.Argv.insert(O.Argv.end(), {"-disable-output", Bitcode});
  O.Cwd = Source.Cwd;
  O.TimeoutSeconds = TimeoutSeconds;
  O.OutputCap = 32u << 20;
  auto R = runSubprocess(O);
  if (!R)
    return makeError("error: opt could not start for " + What + ": " + R.message());
  if (!R->succeeded())
    return makeError("error: opt failed for " + What + " (" + R->describe(TimeoutSeconds) +
                     "): " + excerptOf(R->Stderr));
  return std::move(R->Stderr);
}

Result<const std::vector<PassRun> *> IrAfterPass::passesOn(size_t UnitIndex,
                                                            const std::string &Function) {
  std::string Key = std::to_string(UnitIndex) + "\x1f" + Function;
  auto It = Listings.find(Key);
  if (It != Listings.end())
    return &It->second;
  auto Text = runOpt({"-print-pass-numbers", "-filter-print-funcs=" + Function},
                     Source.Units[UnitIndex].Bitcode, "the passes of " + Function);
  if (!Text)
    return Text.error();
  return &(Listings[Key] = parsePassNumbers(*Text));
}

Result<std::string> IrAfterPass::irAfter(const std::string &Function, const std::string &Pass,
                                         int64_t Occurrence, size_t MaxChars) {
  // Untrusted names: both end up in opt's argv (never a shell), and only
  // after they matched names the evidence or opt itself gave.
  if (Function.empty() || Function.size() > 1024 ||
      std::any_of(Function.begin(), Function.end(), [](char C) {
        return C == ',' || std::isspace(static_cast<unsigned char>(C)) ||
               std::iscntrl(static_cast<unsigned char>(C));
      }))
    return makeError("error: \"" + Function.substr(0, 80) + "\" is not a function name");
  auto U = UnitOf.find(Function);
  if (U == UnitOf.end()) {
    std::vector<std::string> Known;
    for (const auto &[Name, Index] : UnitOf)
      Known.push_back(Name);
    return makeError("error: no function named '" + Function +
                     "' is defined in the program (by its features); known functions: " +
                     listSome(Known, 40));
  }
  if (Pass.empty() || Pass.size() > 256)
    return makeError("error: the pass name must be 1 to 256 characters");
  if (Occurrence < 0)
    return makeError("error: occurrence must be 1 or more (or absent for the last run)");
  MaxChars = std::clamp<size_t>(MaxChars, 200, 60000);

  const IrSource::Unit &Unit = Source.Units[U->second];
  std::string AnswerKey = std::to_string(U->second) + "\x1f" + Source.Pipeline + "\x1f" +
                          Function + "\x1f" + Pass + "\x1f" + std::to_string(Occurrence) +
                          "\x1f" + std::to_string(MaxChars);
  if (auto A = Answers.find(AnswerKey); A != Answers.end())
    return A->second;

  auto Listing = passesOn(U->second, Function);
  if (!Listing)
    return Listing.error();
  std::vector<const PassRun *> Runs;
  for (const PassRun &R : **Listing)
    if (R.Pass == Pass)
      Runs.push_back(&R);

  IrDump D;
  int64_t Count = 0, Chosen = 0, Number = 0;
  if (!Runs.empty()) {
    // A class name of the pass records: print after its chosen ordinal.
    Count = static_cast<int64_t>(Runs.size());
    if (Occurrence > Count)
      return makeError("error: " + Pass + " runs " + std::to_string(Count) + " time(s) on " +
                       Function + "; occurrence must be 1.." + std::to_string(Count));
    Chosen = Occurrence == 0 ? Count : Occurrence;
    Number = Runs[static_cast<size_t>(Chosen - 1)]->Number;
    auto Text = runOpt({"-print-after-pass-number=" + std::to_string(Number),
                        "-filter-print-funcs=" + Function},
                       Unit.Bitcode, "the IR of " + Function + " after " + Pass);
    if (!Text)
      return Text.error();
    std::vector<IrDump> Dumps = splitIrDumps(*Text);
    auto It = std::find_if(Dumps.begin(), Dumps.end(),
                           [&](const IrDump &X) { return X.Number == Number || X.Number == 0; });
    if (It == Dumps.end())
      return makeError("error: opt printed no IR for " + Function + " after " + Pass +
                       " (pass number " + std::to_string(Number) + ")");
    D = std::move(*It);
  } else {
    // A pipeline name (loop-vectorize): opt prints after every run of it.
    bool IsName = std::all_of(Pass.begin(), Pass.end(), isPipelineNameChar);
    if (IsName && PipelineNames.empty()) {
      SubprocessOptions O;
      O.Argv = baseArgv();
      O.Argv.insert(O.Argv.end(), {"-print-pipeline-passes", "-disable-output", Unit.Bitcode});
      O.Cwd = Source.Cwd;
      O.TimeoutSeconds = TimeoutSeconds;
      if (auto R = runSubprocess(O); R && R->succeeded())
        PipelineNames = pipelinePassNames(R->Stdout);
    }
    if (!IsName || std::find(PipelineNames.begin(), PipelineNames.end(), Pass) ==
                       PipelineNames.end()) {
      std::vector<std::string> Classes;
      for (const PassRun &R : **Listing)
        if (std::find(Classes.begin(), Classes.end(), R.Pass) == Classes.end())
          Classes.push_back(R.Pass);
      return makeError("error: no pass '" + Pass + "' runs on " + Function + " in " +
                       Source.Label + ". Give a class name as the pass records name it (" +
                       listSome(Classes, 150) +
                       ") or a pipeline name such as loop-vectorize or instcombine");
    }
    auto Text = runOpt({"-print-after=" + Pass, "-filter-print-funcs=" + Function}, Unit.Bitcode,
                       "the IR of " + Function + " after " + Pass);
    if (!Text)
      return Text.error();
    std::vector<IrDump> Dumps = splitIrDumps(*Text);
    Count = static_cast<int64_t>(Dumps.size());
    if (Count == 0)
      return makeError("error: " + Pass + " is in the pipeline but does not run on " + Function);
    if (Occurrence > Count)
      return makeError("error: " + Pass + " runs " + std::to_string(Count) + " time(s) on " +
                       Function + "; occurrence must be 1.." + std::to_string(Count));
    Chosen = Occurrence == 0 ? Count : Occurrence;
    D = std::move(Dumps[static_cast<size_t>(Chosen - 1)]);
  }

  std::string Head = "; IR of " + Function + " after " + D.Pass + " (run " +
                     std::to_string(Chosen) + " of " + std::to_string(Count) +
                     " on this function";
  if (Number > 0)
    Head += ", pass number " + std::to_string(Number);
  Head += ") in " + Source.Label + ", unit " + fileName(Unit.Source) + "\n";
  Head += "; printed unit: " + D.Unit + "; debug info stripped\n";
  if (startsWith(D.Unit, "loop "))
    Head += "; a loop pass: only the loop (with its preheader and exits) is shown\n";
  std::string Answer = Head + boundIrText(stripDebugInfo(D.Body), MaxChars);
  Answers[AnswerKey] = Answer;
  return Answer;
}

} // namespace autopass
