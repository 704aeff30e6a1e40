//===- store/Journal.cpp - The run's append-only event log ----------------===//
#include "store/Journal.hpp"

#include "util/Json.hpp"
#include "util/Time.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace autopass {

namespace {
Result<JournalEvent> parseEvent(std::string_view Line, const std::string &Source) {
  auto Doc = parseJsonText(Line, Source);
  if (!Doc)
    return Doc.error();
  const auto &D = **Doc;
  if (!D.IsObject() || !D.HasMember("type") || !D["type"].IsString())
    return makeError(Source + ": journal line without a \"type\"");
  JournalEvent E;
  E.Type = D["type"].GetString();
  if (D.HasMember("time") && D["time"].IsString())
    E.Time = D["time"].GetString();
  if (D.HasMember("seq") && D["seq"].IsInt64())
    E.Seq = D["seq"].GetInt64();
  E.Doc = *Doc;
  return E;
}
} // namespace

const rapidjson::Value &JournalEvent::data() const {
  static const rapidjson::Value Empty(rapidjson::kObjectType);
  auto It = Doc->FindMember("data");
  if (It == Doc->MemberEnd() || !It->value.IsObject())
    return Empty;
  return It->value;
}

Result<std::unique_ptr<Journal>> Journal::open(const std::string &Path, bool Quiet) {
  int Fd = ::open(Path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (Fd < 0)
    return makeError(Path + ": cannot open journal: " + std::strerror(errno));
  std::unique_ptr<Journal> J(new Journal(Path, Fd));

  std::string Text;
  char Buf[65536];
  ssize_t N;
  while ((N = ::pread(Fd, Buf, sizeof(Buf), static_cast<off_t>(Text.size()))) > 0)
    Text.append(Buf, static_cast<size_t>(N));
  if (N < 0)
    return makeError(Path + ": cannot read journal: " + std::strerror(errno));

  size_t Start = 0;
  size_t GoodEnd = 0; // the byte after the last complete, valid line
  size_t LineNo = 0;
  while (Start < Text.size()) {
    size_t End = Text.find('\n', Start);
    ++LineNo;
    bool Complete = End != std::string::npos;
    std::string_view Line(Text.data() + Start, (Complete ? End : Text.size()) - Start);
    auto Event = Complete ? parseEvent(Line, Path + ":" + std::to_string(LineNo))
                          : Result<JournalEvent>(makeError("no trailing newline"));
    bool Last = !Complete || End + 1 >= Text.size();
    if (Event) {
      J->Events.push_back(std::move(*Event));
      GoodEnd = End + 1;
    } else if (Last) {
      // The write of this line was interrupted: drop it.
      ++J->TornLines;
      if (!Quiet)
        std::fprintf(stderr,
                     "warning: %s: discarded a torn last line (%zu bytes) left by an "
                     "interrupted run\n",
                     Path.c_str(), Line.size());
      break;
    } else if (!Line.empty()) {
      // Damage in the middle cannot come from an interrupted append; keep
      // the file as it is and skip the line.
      if (!Quiet)
        std::fprintf(stderr, "warning: %s:%zu: skipped an unreadable journal line: %s\n",
                     Path.c_str(), LineNo, Event.message().c_str());
      GoodEnd = End + 1;
    } else {
      GoodEnd = End + 1;
    }
    if (!Complete)
      break;
    Start = End + 1;
  }
  if (GoodEnd < Text.size()) {
    if (::ftruncate(Fd, static_cast<off_t>(GoodEnd)) != 0 || ::fsync(Fd) != 0)
      return makeError(Path + ": cannot truncate the torn last line: " + std::strerror(errno));
  }
  for (const auto &E : J->Events)
    if (E.Seq >= J->NextSeq)
      J->NextSeq = E.Seq + 1;
  return J;
}

Journal::~Journal() {
  if (Fd >= 0)
    ::close(Fd);
}

Status Journal::append(std::string_view Type, std::string_view DataJson) {
  std::lock_guard<std::mutex> G(Lock);
  JsonOut J;
  J.beginObject()
      .field("type", Type)
      .field("time", isoTimestampNow())
      .field("seq", NextSeq)
      .key("data")
      .raw(DataJson.empty() ? std::string_view("{}") : DataJson)
      .endObject();
  std::string Line = J.str();
  // After a failed write the file may end in a partial line: appending more
  // would bury it mid-file, and the run would go on with an event missing.
  if (Failure)
    return makeError(*Failure + " (an earlier append failed; the journal takes no more events)");
  auto Event = parseEvent(Line, Path);
  if (!Event)
    return makeError(Path + ": refusing to append an invalid event: " + Event.message());
  Line += '\n';
  // One write: O_APPEND makes it land at the end as a unit.
  size_t Done = 0;
  while (Done < Line.size()) {
    ssize_t N = ::write(Fd, Line.data() + Done, Line.size() - Done);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0) {
      Failure = Path + ": cannot append to journal: " + std::strerror(N < 0 ? errno : EIO);
      return makeError(*Failure);
    }
    Done += static_cast<size_t>(N);
  }
  if (::fsync(Fd) != 0) {
    Failure = Path + ": cannot sync journal: " + std::strerror(errno);
    return makeError(*Failure);
  }
  ++NextSeq;
  Events.push_back(std::move(*Event));
  return success();
}

Status Journal::health() const {
  std::lock_guard<std::mutex> G(Lock);
  if (Failure)
    return makeError(*Failure);
  return success();
}

std::vector<JournalEvent> Journal::events() const {
  std::lock_guard<std::mutex> G(Lock);
  return Events;
}

} // namespace autopass
