//===- util/Progress.hpp - Progress lines on stderr -----------*- C++ -*-===//
//
// Long operations (builds, repetitions) report what they are doing on one
// rewritten stderr line. Quiet when stderr is not a terminal or with
// --quiet, so logs and pipes stay clean; warnings always go through.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <mutex>
#include <string>

namespace autopass {

class Progress {
public:
  /// Enabled when stderr is a TTY and Quiet is false.
  explicit Progress(bool Quiet = false);
  /// Replaces the current progress line.
  void update(const std::string &Line);
  /// Clears the progress line (before printing results).
  void clear();
  /// A message that stays (warnings, notes); printed even when quiet is
  /// off because stderr is not a TTY, unless Quiet.
  void note(const std::string &Line);
  /// Always printed.
  void warn(const std::string &Line);
  bool enabled() const { return Enabled; }

private:
  bool Enabled;
  bool Quiet;
  bool LineShown = false;
  std::mutex Lock;
};

} // namespace autopass
