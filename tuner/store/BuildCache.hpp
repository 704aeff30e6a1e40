//===- store/BuildCache.hpp - Content-addressed build outputs -*- C++ -*-===//
//
// Every build step's outputs live in a directory named by the hash of all its
// inputs (sources, flags, config, tool versions). An entry is produced in a
// temporary directory and renamed into place, so a killed run leaves either a
// complete entry or none, and two threads producing the same entry is
// harmless (the second rename loses and its copy is dropped).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <functional>
#include <string>

namespace autopass {

class BuildCache {
public:
  explicit BuildCache(std::string Root);

  const std::string &root() const { return Root; }
  /// Where the entry for Key lives (whether or not it exists yet).
  std::string entryPath(const std::string &Key) const;
  /// True when a complete entry exists.
  bool contains(const std::string &Key) const;
  /// Runs Produce(TmpDir) and publishes TmpDir as the entry for Key; returns
  /// the entry's directory. Nothing is published when Produce fails.
  Result<std::string> insert(const std::string &Key,
                             const std::function<Status(const std::string &TmpDir)> &Produce);

  /// Publishes an already filled directory (created under tmpRoot()) as
  /// the entry for Key; Dir is consumed either way.
  Result<std::string> publish(const std::string &Key, const std::string &Dir);
  /// Where scratch directories for entries are made (same file system).
  std::string tmpRoot() const;

private:
  std::string Root;
};

} // namespace autopass
