//===- cli/Commands.hpp - autopass-tuner subcommands ----------*- C++ -*-===//
//
// One function per subcommand, one file each. Each receives the arguments
// after the subcommand name (Argv[0] is "autopass-tuner SUBCOMMAND") and
// returns the process exit code: 0 success, 1 error, 2 usage error, 3 the
// evaluated candidate was rejected (eval only).
//
//===----------------------------------------------------------------------===//
#pragma once

namespace autopass {

int runInitCommand(int Argc, char **Argv);
int runBaselineCommand(int Argc, char **Argv);
int runEvalCommand(int Argc, char **Argv);
int runEmitCommand(int Argc, char **Argv);
int runTuneCommand(int Argc, char **Argv);
int runKnobsCommand(int Argc, char **Argv);
int runSuiteCommand(int Argc, char **Argv);
int runReportCommand(int Argc, char **Argv);
int runEvidenceCommand(int Argc, char **Argv);
int runPgoCommand(int Argc, char **Argv);

} // namespace autopass
