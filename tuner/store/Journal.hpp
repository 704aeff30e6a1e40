//===- store/Journal.hpp - The run's append-only event log ----*- C++ -*-===//
//
// One JSON object per line: {"type", "time", "seq", "data"}. Each append is
// one write(2) to an O_APPEND file followed by fsync, so after a crash the
// file holds every finished event plus at most one torn last line. On open,
// a torn last line (no trailing newline, or not valid JSON) is reported once
// on stderr and truncated away; it is never fatal. Resuming relies on this:
// an evaluation is finished exactly when its "eval_done" line is complete.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <rapidjson/document.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

struct JournalEvent {
  std::string Type;
  std::string Time;
  int64_t Seq = 0;
  std::shared_ptr<rapidjson::Document> Doc; // the whole line
  /// The event's "data" object (an empty object when absent).
  const rapidjson::Value &data() const;
};

class Journal {
public:
  /// Opens or creates the journal. Quiet suppresses the torn-line notice
  /// (tests); the count is available through tornLinesDiscarded().
  static Result<std::unique_ptr<Journal>> open(const std::string &Path, bool Quiet = false);
  ~Journal();
  Journal(const Journal &) = delete;
  Journal &operator=(const Journal &) = delete;

  /// Appends one event; DataJson must be a JSON object ("{}" for none).
  /// After a write or sync fails, every later append fails too (the run
  /// must stop: an event is missing and the file may end in a torn line,
  /// which the next open truncates).
  Status append(std::string_view Type, std::string_view DataJson);
  /// The first write or sync failure, if any.
  Status health() const;
  /// Every event, in order: those read at open, then those appended.
  std::vector<JournalEvent> events() const;
  size_t tornLinesDiscarded() const { return TornLines; }
  const std::string &path() const { return Path; }

private:
  Journal(std::string Path, int Fd) : Path(std::move(Path)), Fd(Fd) {}
  std::string Path;
  int Fd;
  int64_t NextSeq = 1;
  size_t TornLines = 0;
  std::optional<std::string> Failure;
  std::vector<JournalEvent> Events;
  mutable std::mutex Lock;
};

} // namespace autopass
