//===- LineDiff.h - bounded unified diff of two texts -----------*- C++ -*-===//
//
// autopass-introspect<diff=FUNC> stores, for each pass that changed FUNC,
// a unified diff of FUNC's printed IR before and after the pass. The diff is
// bounded in bytes so that a long pipeline cannot produce gigabytes.
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_LINEDIFF_H
#define AUTOPASS_PLUGIN_LINEDIFF_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace autopass {

struct BoundedDiff {
  std::string Text;
  bool Truncated = false;
};

/// A unified diff (3 lines of context) from \p Before to \p After, cut at a
/// line boundary once it would exceed \p LimitBytes.
BoundedDiff unifiedDiff(llvm::StringRef Before, llvm::StringRef After,
                        size_t LimitBytes);

} // namespace autopass

#endif // AUTOPASS_PLUGIN_LINEDIFF_H
