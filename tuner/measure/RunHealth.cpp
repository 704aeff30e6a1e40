//===- measure/RunHealth.cpp - Whether a run may go on --------------------===//
#include "measure/RunHealth.hpp"

#include "store/Journal.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>

namespace autopass {

std::string environmentFailureIn(std::string_view Log) {
  for (int Errno : {ENOSPC, EDQUOT, EIO, EROFS, EFBIG, ENOMEM, EMFILE, ENFILE}) {
    std::string_view Text = std::strerror(Errno);
    if (Log.find(Text) != std::string_view::npos)
      return std::string(Text);
  }
  std::string Killed = "killed by signal " + std::to_string(SIGKILL) + " ";
  if (Log.find(Killed) != std::string_view::npos)
    return "a tool was killed by signal " + std::to_string(SIGKILL) +
           ", by the system (out of memory?)";
  return "";
}

void RunHealth::stop(const std::string &Why) {
  std::lock_guard<std::mutex> G(Lock);
  if (!Reason)
    Reason = Why + "; the run stops (nothing more is built or measured, so no result goes "
                   "unrecorded); fix the machine (free disk space, memory, the remote host) and "
                   "continue with "
                   "--resume";
}

Status RunHealth::check() {
  if (Status J = TheJournal.health(); !J)
    stop("cannot append to the journal: " + J.message());
  std::lock_guard<std::mutex> G(Lock);
  if (Reason)
    return makeError(*Reason);
  return success();
}

} // namespace autopass
