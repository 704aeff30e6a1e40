//===- measure/RunHealth.hpp - Whether a run may go on --------*- C++ -*-===//
//
// A build or a run can fail because of the candidate (opt rejects its
// pipeline, the binary crashes) or because of the machine: the disk is full,
// a write hits an I/O error, the system kills the compiler (the OOM killer's
// SIGKILL). The second kind says nothing about the candidate: journalled as
// its own `build_failed` it would never be retried. Such failures are
// `env_failed`, they stop the run (RunHealth), and --resume evaluates those
// configs again. So does a journal that takes no more events: a run that
// goes on without recording its results would redo or lose them.
//
// The evidence of an environment failure is the text of the failure: the C
// library's messages (strerror, as the tools and the tuner print them) for
// ENOSPC, EDQUOT, EIO, EROFS, EFBIG, ENOMEM, EMFILE and ENFILE, and "killed
// by signal 9" (util/Subprocess.hpp describes a tool killed so). A compiler
// that crashes by itself (SIGSEGV, SIGABRT) or times out is the candidate's
// build failure.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace autopass {

class Journal;

/// The environment's failure named in Log (a build log or a run's error),
/// e.g. "No space left on device"; empty when Log names none.
std::string environmentFailureIn(std::string_view Log);

/// Why the run must stop, if it must. Safe to use from build threads.
class RunHealth {
public:
  explicit RunHealth(const Journal &TheJournal) : TheJournal(TheJournal) {}
  /// Records why the run must stop; the first reason is kept.
  void stop(const std::string &Why);
  /// Fails once the run must stop, or when the journal took no more events.
  Status check();

private:
  const Journal &TheJournal;
  std::mutex Lock;
  std::optional<std::string> Reason;
};

} // namespace autopass
