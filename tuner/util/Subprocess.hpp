//===- util/Subprocess.hpp - Run a program, no shell ----------*- C++ -*-===//
//
// Every tool and every benchmark run goes through runSubprocess: argv is
// passed to execve as is (no shell, so spaces and ';' are literal), the
// child gets its own process group so a timeout can kill the whole tree
// (SIGTERM, a grace period, then SIGKILL), stdout/stderr are captured to
// memory or files with a size cap, and CPU time and peak RSS come from the
// kernel (wait4). Wall time is CLOCK_MONOTONIC from the moment the child is
// released to exec until its exit is observed.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace autopass {

struct SubprocessOptions {
  std::vector<std::string> Argv;
  /// Added to (or overriding) the tuner's environment.
  std::map<std::string, std::string> Env;
  std::string Cwd;       // empty: the tuner's cwd
  std::string StdinPath; // empty: /dev/null
  /// Empty: capture into SubprocessResult::Stdout / Stderr (memory).
  std::string StdoutPath;
  std::string StderrPath;
  /// Bytes kept per stream; the rest is read and dropped (Truncated flags).
  size_t OutputCap = 64u << 20;
  double TimeoutSeconds = 0; // 0: no timeout
  double KillGraceSeconds = 0.5;
  std::optional<int> PinCpu; // sched_setaffinity in the child
  /// Called in the parent after fork, before the child may exec (it is
  /// blocked on a pipe): used to attach perf counters to the child.
  std::function<void(pid_t)> BeforeExec;
};

struct SubprocessResult {
  int ExitCode = -1;  // valid when Signal == 0 and !TimedOut
  int Signal = 0;     // the terminating signal, 0 if it exited
  bool TimedOut = false;
  double WallSeconds = 0;
  double UserSeconds = 0;
  double SysSeconds = 0;
  int64_t MaxRssKb = 0;
  std::string Stdout; // when captured to memory
  std::string Stderr;
  bool StdoutTruncated = false;
  bool StderrTruncated = false;

  bool succeeded() const { return !TimedOut && Signal == 0 && ExitCode == 0; }
  /// "exit code 3", "killed by signal 11 (Segmentation fault)", "timed out after 2 s".
  std::string describe(double TimeoutSeconds = 0) const;
};

/// Fails only when the program could not be started (not found, not
/// executable, bad cwd or stdin); a program that fails is a normal result.
Result<SubprocessResult> runSubprocess(const SubprocessOptions &Options);

/// Resolves a program name through PATH (names containing '/' are returned
/// as is); empty when not found.
std::string findProgram(const std::string &Name);

} // namespace autopass
