//===- util/Lockfile.hpp - One tuner per run directory --------*- C++ -*-===//
//
// An flock(2) on RUN_DIR/lock held for the life of the process. The kernel
// drops it when the process dies (even by SIGKILL), so a killed run never
// leaves a stale lock behind, and --resume can take over at once.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <memory>
#include <string>

namespace autopass {

class Lockfile {
public:
  /// Takes the lock without waiting; fails with "run directory X is in use
  /// by pid N" when another process holds it.
  static Result<std::unique_ptr<Lockfile>> acquire(const std::string &Path,
                                                   const std::string &What);
  ~Lockfile();
  Lockfile(const Lockfile &) = delete;
  Lockfile &operator=(const Lockfile &) = delete;

private:
  explicit Lockfile(int Fd) : Fd(Fd) {}
  int Fd;
};

} // namespace autopass
