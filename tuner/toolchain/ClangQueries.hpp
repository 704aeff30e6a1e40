//===- toolchain/ClangQueries.hpp - What clang says about a build -*- C++ -*-===//
//
// Two answers the clang driver gives that more than one stage needs: the
// relocation model it passes to cc1 for a set of flags (opt must be told it,
// docs/measurement.md), and the headers a translation unit includes (the
// dependency file clang -MD writes). The candidate builder and the evidence
// collector both key their caches on these.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"
#include "util/Subprocess.hpp"

#include <string>
#include <vector>

namespace autopass {

/// How long `clang -###` may take before the query counts as failed.
constexpr double RelocationModelQueryTimeoutSeconds = 60;

/// The clang driver's answer to `clang -### FLAGS -c SOURCE -o /dev/null`
/// (relative paths resolved in the program's directory). Callers word their own error when the
/// run failed, with the command and the driver's output at hand.
struct RelocationModelQuery {
  /// The command that was run, for messages.
  std::vector<std::string> Argv;
  /// The driver's run; the query failed when !Run or !Run->succeeded().
  Result<SubprocessResult> Run;

  bool succeeded() const { return Run && Run->succeeded(); }
  /// The -mrelocation-model the driver passes to cc1 ("pic", "static", ...),
  /// "static" when it passes none. Only meaningful when succeeded().
  std::string model() const;
};

/// Asks Clang which relocation model it uses to compile Source with
/// CompileFlags (Debian's clang builds PIE by default), with relative paths
/// resolved in SourceDir, running in WorkDir (inside the run directory).
RelocationModelQuery queryRelocationModel(const std::string &Clang, const std::string &SourceDir,
                                          const std::string &WorkDir, const std::string &Source,
                                          const std::vector<std::string> &CompileFlags);

/// The prerequisites of the Makefile rule clang -MD writes (DepFileText is
/// the dependency file's content): the source and every header it includes,
/// with escaped spaces and $$ undone, as clang spelled them (relative names
/// are relative to the directory clang ran in). Empty when the text holds no
/// rule.
std::vector<std::string> parseMakeDependencies(const std::string &DepFileText);

} // namespace autopass
