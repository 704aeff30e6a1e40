//===- measure/PerfCounter.cpp - Hardware counters of a child -------------===//
#include "measure/PerfCounter.hpp"

#include "util/FileSystem.hpp"
#include "util/Strings.hpp"

#include <cerrno>
#include <cstring>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace autopass {

namespace {
int openCounter(pid_t Pid, PerfEvent Event, bool EnableOnExec) {
  struct perf_event_attr Attr;
  std::memset(&Attr, 0, sizeof(Attr));
  Attr.size = sizeof(Attr);
  Attr.type = PERF_TYPE_HARDWARE;
  Attr.config = Event == PerfEvent::Cycles ? PERF_COUNT_HW_CPU_CYCLES : PERF_COUNT_HW_INSTRUCTIONS;
  Attr.disabled = EnableOnExec ? 1 : 0;
  Attr.enable_on_exec = EnableOnExec ? 1 : 0;
  Attr.inherit = 1;
  Attr.exclude_kernel = 1;
  Attr.exclude_hv = 1;
  return static_cast<int>(::syscall(SYS_perf_event_open, &Attr, Pid, -1, -1, PERF_FLAG_FD_CLOEXEC));
}

std::string explain(int Err) {
  std::string Paranoid = "unknown";
  if (auto P = readFile("/proc/sys/kernel/perf_event_paranoid"))
    Paranoid = std::string(trim(*P));
  std::string Why = std::strerror(Err);
  if (Err == ENOENT || Err == EOPNOTSUPP || Err == ENODEV)
    Why += " (this machine or VM exposes no hardware performance counters)";
  else if (Err == EACCES || Err == EPERM)
    Why += " (/proc/sys/kernel/perf_event_paranoid is " + Paranoid +
           "; user-space counting of own processes needs 2 or less)";
  return "hardware performance counters are not available: perf_event_open failed: " + Why +
         ". Use --objective callgrind for a deterministic instruction count, or wall/cpu time";
}
} // namespace

Status PerfCounter::probe(PerfEvent Event) {
  int Fd = openCounter(0, Event, false);
  if (Fd < 0)
    return makeError(explain(errno));
  ::close(Fd);
  return success();
}

PerfCounter::~PerfCounter() {
  if (Fd >= 0)
    ::close(Fd);
}

Status PerfCounter::attach(pid_t Pid, PerfEvent Event) {
  Fd = openCounter(Pid, Event, true);
  if (Fd < 0)
    return makeError(explain(errno));
  return success();
}

Result<uint64_t> PerfCounter::read() {
  if (Fd < 0)
    return makeError("perf counter was not attached");
  uint64_t Count = 0;
  if (::read(Fd, &Count, sizeof(Count)) != static_cast<ssize_t>(sizeof(Count)))
    return makeError(std::string("cannot read the perf counter: ") + std::strerror(errno));
  return Count;
}

} // namespace autopass
