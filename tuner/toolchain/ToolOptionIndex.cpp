//===- toolchain/ToolOptionIndex.cpp - Which tool accepts which option ----===//
#include "toolchain/ToolOptionIndex.hpp"

#include "toolchain/Toolchain.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include <cctype>

namespace autopass {

std::set<std::string> ToolOptionIndex::parseHelp(std::string_view Help) {
  // Options are listed with exactly two spaces of indentation ("  --name=<v>
  // - text"); enum values ("    =value") and the legacy pass list (six
  // spaces) are indented further and are not options.
  std::set<std::string> Names;
  for (const auto &Line : split(Help, '\n')) {
    if (Line.size() < 4 || Line[0] != ' ' || Line[1] != ' ' || Line[2] != '-')
      continue;
    size_t Pos = 2;
    while (Pos < Line.size() && Line[Pos] == '-')
      ++Pos;
    size_t Start = Pos;
    while (Pos < Line.size() &&
           (std::isalnum(static_cast<unsigned char>(Line[Pos])) || Line[Pos] == '-' ||
            Line[Pos] == '_' || Line[Pos] == '.'))
      ++Pos;
    if (Pos > Start)
      Names.insert(Line.substr(Start, Pos - Start));
  }
  return Names;
}

ToolOptionIndex ToolOptionIndex::fromHelpTexts(std::string_view OptHelp, std::string_view LlcHelp) {
  ToolOptionIndex Index;
  Index.OptOptions = parseHelp(OptHelp);
  Index.LlcOptions = parseHelp(LlcHelp);
  return Index;
}

Result<ToolOptionIndex> ToolOptionIndex::build(const Toolchain &Tools) {
  // Code generation runs inside clang (`clang -c x.bc -mllvm KNOB`, as a
  // deployed build does), so the code generator's list is the one clang
  // registers, not llc's: llc adds options of its own (e.g. -align-loops)
  // that clang rejects.
  std::string Texts[2];
  const std::vector<std::string> Argvs[2] = {
      {Tools.Opt, "--help-hidden"},
      {Tools.Clang, "-mllvm", "--help-hidden", "-x", "c", "/dev/null", "-c", "-o", "/dev/null"}};
  for (int I = 0; I < 2; ++I) {
    SubprocessOptions O;
    O.Argv = Argvs[I];
    O.TimeoutSeconds = 60;
    auto R = runSubprocess(O);
    if (!R)
      return R.error();
    if (!R->succeeded())
      return makeError(shellJoin(Argvs[I]) + " failed: " + R->describe());
    Texts[I] = R->Stdout;
  }
  ToolOptionIndex Index = fromHelpTexts(Texts[0], Texts[1]);
  if (Index.OptOptions.size() < 100 || Index.LlcOptions.size() < 100)
    return makeError("could not read the option lists of " + Tools.Opt + " and " + Tools.Clang +
                     " -mllvm (--help-hidden printed too few options)");
  return Index;
}

KnobPlacement ToolOptionIndex::place(const std::string &Name) const {
  bool O = optAccepts(Name), L = llcAccepts(Name);
  if (O && L)
    return KnobPlacement::Both;
  if (O)
    return KnobPlacement::Opt;
  if (L)
    return KnobPlacement::Codegen;
  return KnobPlacement::None;
}

} // namespace autopass
