//===- util/Lockfile.cpp - One tuner per run directory ---------------------===//
#include "util/Lockfile.hpp"

#include "util/Strings.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace autopass {

Result<std::unique_ptr<Lockfile>> Lockfile::acquire(const std::string &Path,
                                                    const std::string &What) {
  int Fd = ::open(Path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (Fd < 0)
    return makeError(Path + ": cannot open lock file: " + std::strerror(errno));
  if (::flock(Fd, LOCK_EX | LOCK_NB) != 0) {
    int Err = errno;
    char Buf[64] = {0};
    ssize_t N = ::pread(Fd, Buf, sizeof(Buf) - 1, 0);
    ::close(Fd);
    if (Err == EWOULDBLOCK) {
      std::string Pid = N > 0 ? std::string(trim(std::string_view(Buf, N))) : "?";
      return makeError(What + " is in use by pid " + Pid);
    }
    return makeError(Path + ": cannot lock: " + std::strerror(Err));
  }
  // The pid is informative only (for the message above); the lock is flock.
  std::string Pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(Fd, 0) == 0)
    (void)!::pwrite(Fd, Pid.data(), Pid.size(), 0);
  return std::unique_ptr<Lockfile>(new Lockfile(Fd));
}

Lockfile::~Lockfile() {
  if (Fd >= 0)
    ::close(Fd);
}

} // namespace autopass
