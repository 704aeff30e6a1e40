//===- util/AtomicFile.hpp - Replace a file atomically --------*- C++ -*-===//
//
// Results, configs and cache entries are written to a temporary file in the
// same directory, fsynced and renamed over the target, so a reader (or a run
// resumed after SIGKILL) sees either the old or the new content, never half.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <string>

namespace autopass {

Status writeFileAtomically(const std::string &Path, const std::string &Content);

/// Whether a directory entry's name is a temporary file of writeFileAtomically
/// (NAME.tmp.XXXXXX): left behind only by a writer killed before its rename.
bool isAtomicWriteLeftover(const std::string &FileName);

} // namespace autopass
