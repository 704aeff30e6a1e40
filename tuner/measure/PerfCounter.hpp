//===- measure/PerfCounter.hpp - Hardware counters of a child -*- C++ -*-===//
//
// cycles and instructions objectives: a perf_event_open counter attached to
// the child between fork and exec (enabled on exec, inherited by its
// threads, user space only, so perf_event_paranoid <= 2 suffices). Many VMs
// expose no hardware counters; probe() says so in words before a run starts.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <cstdint>
#include <sys/types.h>

namespace autopass {

enum class PerfEvent { Cycles, Instructions };

class PerfCounter {
public:
  /// Checks that the counter can be opened on this machine (for the tuner
  /// itself); the error explains why not and what to use instead.
  static Status probe(PerfEvent Event);
  PerfCounter() = default;
  ~PerfCounter();
  PerfCounter(const PerfCounter &) = delete;
  PerfCounter &operator=(const PerfCounter &) = delete;

  /// Attaches to a child that has not exec'd yet.
  Status attach(pid_t Pid, PerfEvent Event);
  /// The count after the child exited.
  Result<uint64_t> read();

private:
  int Fd = -1;
};

} // namespace autopass
