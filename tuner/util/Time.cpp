//===- util/Time.cpp - Timestamps -----------------------------------------===//
#include "util/Time.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace autopass {

std::string isoTimestampNow() {
  auto Now = std::chrono::system_clock::now();
  auto Ms = std::chrono::duration_cast<std::chrono::milliseconds>(Now.time_since_epoch()).count();
  std::time_t Secs = static_cast<std::time_t>(Ms / 1000);
  std::tm Tm;
  gmtime_r(&Secs, &Tm);
  char Buf[64];
  std::snprintf(Buf, sizeof(Buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Tm.tm_year + 1900,
                Tm.tm_mon + 1, Tm.tm_mday, Tm.tm_hour, Tm.tm_min, Tm.tm_sec,
                static_cast<int>(Ms % 1000));
  return Buf;
}

std::string compactTimestampNow() {
  std::time_t Secs = std::time(nullptr);
  std::tm Tm;
  localtime_r(&Secs, &Tm);
  char Buf[32];
  std::strftime(Buf, sizeof(Buf), "%Y%m%d-%H%M%S", &Tm);
  return Buf;
}

double monotonicSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace autopass
