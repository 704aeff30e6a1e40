//===- util/Time.hpp - Timestamps -----------------------------*- C++ -*-===//
#pragma once

#include <string>

namespace autopass {

/// UTC time as ISO 8601 with milliseconds, for journal events.
std::string isoTimestampNow();
/// Local time as YYYYMMDD-HHMMSS, for run directory names.
std::string compactTimestampNow();
/// Seconds on the monotonic clock, for durations.
double monotonicSeconds();

} // namespace autopass
