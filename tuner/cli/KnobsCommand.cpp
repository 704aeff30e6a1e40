//===- cli/KnobsCommand.cpp - autopass-tuner knobs ------------------------===//
//
// Lists the knob catalog after checking it against the installed opt and
// llc: what the search may set, with domains, defaults and meanings. Knobs
// the tools do not accept are reported and left out.
//
//===----------------------------------------------------------------------===//
#include "cli/Commands.hpp"

#include "cli/CommonOptions.hpp"
#include "search/KnobCatalog.hpp"
#include "toolchain/ToolOptionIndex.hpp"
#include "toolchain/Toolchain.hpp"

#include <cstdio>

namespace autopass {

int runKnobsCommand(int Argc, char **Argv) {
  cxxopts::Options Options(Argv[0],
                           "List the LLVM options the tuner may set (the knob catalog), checked "
                           "against the installed opt and llc.\n  Usage: autopass-tuner knobs");
  // clang-format off
  Options.add_options()
    ("catalog", "Catalog file (default: knobs-llvmN.json for the LLVM the tuner was built against, from $AUTOPASS_DATA_DIR, the source tree or the install)", cxxopts::value<std::string>())
    ("llvm-bindir", "Directory of opt and llc", cxxopts::value<std::string>())
    ("h,help", "Show this help");
  // clang-format on
  cxxopts::ParseResult Args;
  if (int Rc = parseOrExit(Options, Argc, Argv, Args); Rc >= 0)
    return Rc;
  auto Catalog = Args.count("catalog") ? KnobCatalog::load(Args["catalog"].as<std::string>())
                                       : KnobCatalog::loadDefault();
  if (!Catalog) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], Catalog.message().c_str());
    return 1;
  }
  auto Tools = Toolchain::locate(Args.count("llvm-bindir") ? Args["llvm-bindir"].as<std::string>()
                                                           : "");
  if (!Tools) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], Tools.message().c_str());
    return 1;
  }
  auto Index = ToolOptionIndex::build(*Tools);
  if (!Index) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], Index.message().c_str());
    return 1;
  }
  auto Missing = Catalog->checkAgainst(
      [&](std::string_view N) { return Index->optAccepts(std::string(N)); },
      [&](std::string_view N) { return Index->llcAccepts(std::string(N)); });
  std::printf("%s", renderKnobTable(*Catalog).c_str());
  std::printf("\n%zu knobs from %s, checked against %s\n", Catalog->knobs().size(),
              Catalog->source().c_str(), Tools->OptVersion.c_str());
  for (const MissingKnob &M : Missing)
    std::fprintf(stderr, "warning: %s is not accepted by the installed %s: left out\n",
                 M.Name.c_str(), M.Tool.c_str());
  return 0;
}

} // namespace autopass
