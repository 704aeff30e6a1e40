//===- util/Progress.cpp - Progress lines on stderr -----------------------===//
#include "util/Progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace autopass {

Progress::Progress(bool Quiet) : Enabled(!Quiet && ::isatty(2)), Quiet(Quiet) {}

void Progress::update(const std::string &Line) {
  if (!Enabled)
    return;
  std::lock_guard<std::mutex> G(Lock);
  std::fprintf(stderr, "\r\033[K%s", Line.c_str());
  std::fflush(stderr);
  LineShown = true;
}

void Progress::clear() {
  std::lock_guard<std::mutex> G(Lock);
  if (Enabled && LineShown) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  LineShown = false;
}

void Progress::note(const std::string &Line) {
  if (Quiet)
    return;
  clear();
  std::lock_guard<std::mutex> G(Lock);
  std::fprintf(stderr, "%s\n", Line.c_str());
}

void Progress::warn(const std::string &Line) {
  clear();
  std::lock_guard<std::mutex> G(Lock);
  std::fprintf(stderr, "warning: %s\n", Line.c_str());
}

} // namespace autopass
