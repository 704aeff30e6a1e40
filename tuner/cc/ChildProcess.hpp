//===- cc/ChildProcess.hpp - Run the real compiler, stdio inherited -*- C++ -*-===//
//
// util/Subprocess captures output, which is what the tuner wants; a compiler
// wrapper mostly wants the opposite: the real compiler talks to the build's
// terminal directly (colours, progress, make's jobserver descriptors), and
// its exit status becomes the wrapper's. These two helpers do that.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <map>
#include <string>
#include <vector>

namespace autopass {

/// Runs Argv (PATH lookup when Argv[0] has no '/') with stdin, stdout and
/// stderr inherited and Env added to the environment. Returns the exit
/// status, 128+N for a child killed by signal N, 127 when it cannot start
/// (with a message on stderr).
int runInheritingStdio(const std::vector<std::string> &Argv,
                       const std::map<std::string, std::string> &Env = {});

/// Replaces the process with Argv; returns 127 (after a message) only if
/// that fails.
int execReplacing(const std::vector<std::string> &Argv);

} // namespace autopass
