//===- evidence/SourceMap.hpp - Which source function a line belongs to -*- C++ -*-===//
//
// Configurations name loops by the source function they were written in
// (FUNCTION:L<i>, hints are applied before inlining), but after inlining a
// static kernel called from `main` has its remarks and transform warnings
// under `main`. Their debug locations still point at the kernel's lines.
// The features describe the front end's IR, before any inlining, where every
// located instruction of a function is its own: each function's file and
// source lines, and each loop's. From them this map says which source
// function, and which of its loops, a file:line belongs to.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "evidence/FeaturesReader.hpp"
#include "evidence/RemarkDigest.hpp"

#include <string>
#include <vector>

namespace autopass {

class SourceMap {
public:
  explicit SourceMap(const std::vector<ModuleFeatures> &Features);

  /// Whether the features carry source lines at all (debug info).
  bool hasLines() const { return !Functions.empty(); }

  /// The function written at Loc (same file, Loc's line within its source
  /// lines; the narrowest range when several contain it); "" when unknown.
  std::string functionAt(const SourceLocation &Loc) const;

  /// The one loop of Function whose header is on Line; "" when none is, or
  /// when several are (which one LLVM meant is then unknown).
  std::string loopHeadedAt(const std::string &Function, int64_t Line) const;

  /// The loops of Function whose source lines contain Line, outermost
  /// first.
  std::vector<std::string> loopsContaining(const std::string &Function, int64_t Line) const;

private:
  struct Entry {
    const FunctionFeatures *F;
    std::string File;
  };
  const FunctionFeatures *find(const std::string &Function) const;

  std::vector<Entry> Functions; // those with a file and source lines
  const std::vector<ModuleFeatures> &All;
};

} // namespace autopass
