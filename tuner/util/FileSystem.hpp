//===- util/FileSystem.hpp - Files and directories ------------*- C++ -*-===//
//
// The few file-system operations the tuner needs, reporting failures as
// values whose message names the path and the system error.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <string>
#include <vector>

namespace autopass {

/// The whole file; a directory is an error that says so.
Result<std::string> readFile(const std::string &Path);
/// Plain (non-atomic) write; use writeFileAtomically for anything a reader
/// might see half-written.
Status writeFile(const std::string &Path, const std::string &Content);
/// mkdir -p.
Status makeDirectories(const std::string &Path);
/// rm -rf; a missing path is not an error.
Status removeAll(const std::string &Path);
bool pathExists(const std::string &Path);
bool isDirectory(const std::string &Path);
/// Absolute, lexically normalised path (no symlink resolution); relative
/// paths are taken relative to Base (the current directory when empty).
std::string absolutePath(const std::string &Path, const std::string &Base = "");
std::string parentPath(const std::string &Path);
/// "dir/prog.c" -> "prog".
std::string fileStem(const std::string &Path);
std::string fileName(const std::string &Path);
std::string joinPath(const std::string &A, const std::string &B);
/// Creates a fresh directory Parent/PrefixXXXXXX.
Result<std::string> makeTempDirectory(const std::string &Parent, const std::string &Prefix);
/// Names of the entries of a directory (without . and ..), sorted.
Result<std::vector<std::string>> listDirectory(const std::string &Path);
/// Copies a file's bytes (used to keep a reference output in the run dir).
Status copyFile(const std::string &From, const std::string &To);
/// fsync of a directory, so a rename inside it survives a crash.
Status syncDirectory(const std::string &Path);

} // namespace autopass
