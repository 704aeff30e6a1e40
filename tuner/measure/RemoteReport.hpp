//===- measure/RemoteReport.hpp - What the measuring helper reported -*- C++ -*-===//
//
// Reads the report `autopass-measure` (tuner/data/autopass-measure.c) writes
// on the far side of a remote runner: the exit status, the wall time and the
// rusage taken there, the program's stdout (when kept), the tail of its
// stderr and the files the output check reads. The text crosses a network
// and is checked as untrusted input: a report cut short (a connection lost
// mid-run) or malformed is an error, never a partial result.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"
#include "util/Subprocess.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

struct RemoteReport {
  /// Exit code, signal, timeout, times and peak RSS as measured remotely;
  /// Stdout/Stderr are the blobs (Stdout empty unless it was kept).
  SubprocessResult Process;
  std::map<std::string, std::string> Files;
  /// Non-zero when the program could not be started at all (errno there).
  int ExecErrno = 0;
  /// The run folder's file system had no free block after the run.
  bool DiskFull = false;
  /// check files longer than the helper's cap (their blob is a prefix).
  std::vector<std::string> TruncatedFiles;
};

/// Parses a complete report; the error says what is missing or malformed.
/// A file name must be relative, without "..", and free of control bytes.
Result<RemoteReport> parseRemoteReport(std::string_view Text);

} // namespace autopass
