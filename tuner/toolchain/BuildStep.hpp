//===- toolchain/BuildStep.hpp - Running one compiler step ---*- C++ -*-===//
//
// Every build flow (the baseline and candidate builder, the PGO builder)
// runs clang/opt the same way: in a working directory inside the run
// directory (never the spec's directory or the user's: a tool that writes a
// relative file writes it there), with clang told the spec's directory
// through -working-directory (so the spec's relative -I/-L paths and sources
// resolve as written), without a shell, with a generous timeout, the command
// recorded for reproduction, and a failure reported with the command and
// the tail of its output.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <map>
#include <string>
#include <vector>

namespace autopass {

constexpr double BuildStepTimeoutSeconds = 900;

/// The last few KiB of a tool's output, as kept in logs and error messages.
std::string logExcerpt(const std::string &Text);

/// Argv with `-working-directory=SourceDir` after the program when the
/// program is a clang driver (opt has no such option and needs none: its
/// inputs and outputs are absolute paths).
std::vector<std::string> withSourceDirectory(std::vector<std::string> Argv,
                                             const std::string &SourceDir);

/// Runs withSourceDirectory(Argv, SourceDir) in WorkDir with Env added,
/// appends the shell-quoted command (with the Env assignments in front) to
/// Commands, and returns the tool's stderr (warnings) on success; on failure
/// an error naming the tool, why it failed, the command and the tail of its
/// output.
Result<std::string> runBuildStep(const std::vector<std::string> &Argv,
                                 const std::string &SourceDir, const std::string &WorkDir,
                                 std::vector<std::string> &Commands,
                                 const std::map<std::string, std::string> &Env = {});

} // namespace autopass
