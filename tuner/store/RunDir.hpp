//===- store/RunDir.hpp - One tuning run's directory ----------*- C++ -*-===//
//
//   RUN_DIR/lock           flock: one tuner per directory
//   RUN_DIR/journal.jsonl  append-only events (store/Journal.hpp)
//   RUN_DIR/cache/         content-addressed build outputs (store/BuildCache.hpp)
//   RUN_DIR/configs/       every evaluated config, <shorthash>.json
//   RUN_DIR/reference/     the -O3 baseline's output, the correctness reference
//   RUN_DIR/results/       result documents, replaced atomically
//   RUN_DIR/scratch/       working directories of program runs
//
// docs/run-directory.md documents the layout and the journal events.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "store/BuildCache.hpp"
#include "store/Journal.hpp"
#include "util/Lockfile.hpp"
#include "util/Result.hpp"

#include <memory>
#include <string>

namespace autopass {

class RunDir {
public:
  /// Creates or reopens a run directory and takes its lock. Without Resume,
  /// a directory whose journal already holds events is refused (so results
  /// of two different runs never mix).
  static Result<std::unique_ptr<RunDir>> open(const std::string &Path, bool Resume,
                                              bool Quiet = false);

  const std::string &path() const { return Path; }
  Journal &journal() { return *TheJournal; }
  BuildCache &cache() { return *TheCache; }
  bool resumed() const { return Resumed; }

  std::string configsDir() const;
  std::string referenceDir() const;
  std::string resultsDir() const;
  std::string scratchDir() const;

  /// Writes configs/<shorthash>.json (atomically) and returns its path.
  Result<std::string> saveConfig(const CandidateConfig &Config);
  /// Writes results/<Name> atomically and returns its path.
  Result<std::string> writeResult(const std::string &Name, const std::string &Content);

private:
  RunDir() = default;
  std::string Path;
  std::unique_ptr<Lockfile> Lock;
  std::unique_ptr<Journal> TheJournal;
  std::unique_ptr<BuildCache> TheCache;
  bool Resumed = false;
};

} // namespace autopass
