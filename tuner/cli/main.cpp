//===- cli/main.cpp - autopass-tuner entry point --------------------------===//
//
// Dispatches to the subcommand; each lives in its own file (cli/*Command.cpp).
//
//===----------------------------------------------------------------------===//
#include "cli/Commands.hpp"

#include <cstdio>
#include <cstring>
#include <string>

namespace {

void printUsage(FILE *Out) {
  std::fprintf(Out,
               "autopass-tuner %s - find LLVM configurations faster than clang -O3\n"
               "\n"
               "Usage: autopass-tuner COMMAND [OPTIONS]\n"
               "\n"
               "Commands:\n"
               "  init FILE.c [-- ARGS]    write a program spec for one source file\n"
               "  baseline SPEC            build -O3, record the reference output, measure\n"
               "                           the baseline's spread and the identity config\n"
               "  eval SPEC CONFIG         build, check and measure one configuration\n"
               "                           against -O3 (speedup with a 95%% interval)\n"
               "  emit INPUT               print the clang flags / CMake / Make lines that\n"
               "                           apply a configuration (file, run dir or spec)\n"
               "  tune SPEC                search for a faster configuration (default: the\n"
               "                           offline expert agent), confirm the best\n"
               "  suite SUITE.json         tune every program of a suite, report the table\n"
               "  report RUN_DIR           write report.md and report.html for a run\n"
               "  knobs                    list the LLVM options the search may set\n"
               "  evidence SPEC [CONFIG]   print the evidence digest (hot regions, remarks,\n"
               "                           pass records) for -O3 or a configuration\n"
               "  pgo SPEC [CONFIG]        clang IR PGO vs -O3, and a tuned config with PGO\n"
               "                           on top (--from-run TUNE_RUN_DIR)\n"
               "\n"
               "'autopass-tuner COMMAND --help' explains each command's options.\n"
               "docs/tuner.md is the user guide.\n",
               AUTOPASS_VERSION);
}

} // namespace

int main(int Argc, char **Argv) {
  if (Argc < 2) {
    printUsage(stderr);
    return 2;
  }
  std::string Command = Argv[1];
  if (Command == "-h" || Command == "--help" || Command == "help") {
    printUsage(stdout);
    return 0;
  }
  if (Command == "--version") {
    std::printf("autopass-tuner %s\n", AUTOPASS_VERSION);
    return 0;
  }
  // The subcommand parses the rest; its program name includes the command.
  std::string Name = std::string("autopass-tuner ") + Command;
  std::string NameCopy = Name;
  Argv[1] = NameCopy.data();
  if (Command == "init")
    return autopass::runInitCommand(Argc - 1, Argv + 1);
  if (Command == "baseline")
    return autopass::runBaselineCommand(Argc - 1, Argv + 1);
  if (Command == "eval")
    return autopass::runEvalCommand(Argc - 1, Argv + 1);
  if (Command == "emit")
    return autopass::runEmitCommand(Argc - 1, Argv + 1);
  if (Command == "tune")
    return autopass::runTuneCommand(Argc - 1, Argv + 1);
  if (Command == "knobs")
    return autopass::runKnobsCommand(Argc - 1, Argv + 1);
  if (Command == "suite")
    return autopass::runSuiteCommand(Argc - 1, Argv + 1);
  if (Command == "report")
    return autopass::runReportCommand(Argc - 1, Argv + 1);
  if (Command == "evidence")
    return autopass::runEvidenceCommand(Argc - 1, Argv + 1);
  if (Command == "pgo")
    return autopass::runPgoCommand(Argc - 1, Argv + 1);
  std::fprintf(stderr, "autopass-tuner: unknown command \"%s\"\n\n", Command.c_str());
  printUsage(stderr);
  return 2;
}
