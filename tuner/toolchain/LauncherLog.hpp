//===- toolchain/LauncherLog.hpp - What autopass-cc compiled in a build -*- C++ -*-===//
//
// When the tuner runs a project's own build (toolchain/ProjectBuilder.hpp),
// it sets AUTOPASS_CC_LOG=DIR; autopass-cc then writes one record per
// translation unit it is asked to compile (`autopass-cc-log/1`, one JSON file
// each): the unit, its output, the configuration applied, whether the object
// came from the launcher's object cache, the exit status and the command.
// The tuner reads them to count rebuilt units, to check that every unit went
// through the launcher with the candidate's configuration, and to name the
// unit and its compile command when a build fails.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <string>
#include <vector>

namespace autopass {

enum class ObjectCacheUse { Off, Hit, Miss };

struct LauncherRecord {
  std::string Source;     // absolute
  std::string Output;     // absolute
  std::string ConfigHash; // the configuration applied ("" when none was)
  /// Why the configuration was not applied ("" when it was): "-O0 compile",
  /// "no configuration"...
  std::string NotApplied;
  ObjectCacheUse Cache = ObjectCacheUse::Off;
  int ExitCode = 0;
  double Seconds = 0;
  std::string Command; // the compile command as the build gave it, shell-quoted

  bool applied() const { return NotApplied.empty(); }
  /// Compiled by the compiler in this build (not served from the cache).
  bool rebuilt() const { return applied() && Cache != ObjectCacheUse::Hit; }
};

/// Writes R into LogDir (a file per record; concurrent writers are fine).
Status writeLauncherRecord(const std::string &LogDir, const LauncherRecord &R);

/// Every record in LogDir; errors name the file and the field.
Result<std::vector<LauncherRecord>> readLauncherLog(const std::string &LogDir);

std::string_view objectCacheUseName(ObjectCacheUse U);

} // namespace autopass
