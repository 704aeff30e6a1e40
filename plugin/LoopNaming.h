//===- LoopNaming.h - the stable loop names FUNCTION:L<i> -------*- C++ -*-===//
//
// Configurations and feature reports name loops "FUNCTION:L<i>", i being
// the loop's index in LoopInfo::getLoopsInPreorder() (outer loops in program
// order, each followed by its nested loops). autopass-features and the
// autopass element must agree on it, so both use these helpers.
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_LOOPNAMING_H
#define AUTOPASS_PLUGIN_LOOPNAMING_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/DebugLoc.h"

#include <optional>
#include <string>

namespace autopass {

inline std::string loopName(llvm::StringRef Function, unsigned Index) {
  return (Function + ":L" + llvm::Twine(Index)).str();
}

/// The source line of the loop (its llvm.loop start location, else the
/// header's first located instruction); std::nullopt without debug info.
inline std::optional<unsigned> loopLine(const llvm::Loop &L) {
  llvm::DebugLoc Loc = L.getStartLoc();
  if (!Loc || Loc.getLine() == 0)
    return std::nullopt;
  return Loc.getLine();
}

} // namespace autopass

#endif // AUTOPASS_PLUGIN_LOOPNAMING_H
