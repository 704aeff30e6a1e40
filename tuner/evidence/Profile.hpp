//===- evidence/Profile.hpp - Hot functions and loops from a profile -*- C++
//-*-===//
//
// Where does the program spend its time? Two sources are read:
//  - callgrind output (valgrind --tool=callgrind): exact, deterministic
//    instruction counts per function, and per source line when the program
//    was built with -g; the preferred source.
//  - the text of `llvm-profdata show --all-functions --counts` for an IR PGO
//    profile (-fprofile-generate): counter values per function. Counters
//    sit on a spanning-tree subset of the CFG edges, so their sum is a proxy
//    for executed blocks, not a cost; weights from it are rougher.
// Hot loops come from joining a profile with autopass-features: by source
// line ranges when the profile has line costs and the features have header
// lines, otherwise as an estimate (function weight x the loop's share of the
// function's instructions), marked as such.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "evidence/FeaturesReader.hpp"
#include "util/Result.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

struct FunctionCost {
  std::string Name;       // as the profile names it (callgrind: demangled
                          // unless valgrind ran with --demangle=no)
  std::string File;       // source file of the function, when known
  uint64_t Self = 0;      // cost of the function's own code
  uint64_t Inclusive = 0; // Self plus the cost of the calls it makes
                          // (callgrind only; recursion counts twice)
  uint64_t MaxCount = 0;  // largest counter (llvm-profdata only)
  /// Self cost per source line of File. Code inlined from other files
  /// (callgrind fi=/fe=) is in Self but not here.
  std::map<unsigned, uint64_t> LineSelf;
};

enum class ProfileSource { Callgrind, InstrProf };

struct Profile {
  ProfileSource Source = ProfileSource::Callgrind;
  std::string Event;  // "Ir" (callgrind's first event) or "counters"
  uint64_t Total = 0; // the whole program's cost, denominator of weights
  std::vector<FunctionCost> Functions; // most expensive (Self) first

  const FunctionCost *find(std::string_view Name) const;
  double weight(const FunctionCost &F) const {
    return Total ? double(F.Self) / double(Total) : 0.0;
  }
  double inclusiveWeight(const FunctionCost &F) const {
    return Total ? double(F.Inclusive) / double(Total) : 0.0;
  }
  bool hasLineCosts() const;

  /// Parses a callgrind.out file. Event selects the event column ("" = the
  /// first, normally Ir). Errors name SourceName and the line number.
  static Result<Profile> parseCallgrind(std::string_view Text,
                                        std::string_view SourceName,
                                        std::string_view Event = "");
  static Result<Profile> loadCallgrind(const std::string &Path,
                                       std::string_view Event = "");
  /// Parses the output of `llvm-profdata show --all-functions --counts`.
  static Result<Profile> parseProfdataShow(std::string_view Text,
                                           std::string_view SourceName);
};

struct HotFunction {
  std::string Name;
  double Weight = 0;          // self cost / total
  double InclusiveWeight = 0; // 0 when the profile has no call costs
};

/// Functions whose self weight is at least MinWeight, hottest first, at most
/// MaxCount of them.
std::vector<HotFunction> hotFunctions(const Profile &P, double MinWeight,
                                      size_t MaxCount);

enum class LoopWeightBasis {
  /// Sum of the profile's per-line costs over the loop's line range
  /// [header line, next loop outside it - 1]; the loop's end line is not in
  /// the features, so trailing code of the function can land in its last
  /// loop.
  SourceLines,
  /// Estimate: function weight x loop instructions / function instructions.
  SizeShare
};
std::string_view loopWeightBasisName(LoopWeightBasis B);

struct HotLoop {
  std::string LoopName; // FUNCTION:L<i>
  std::string Function;
  int64_t Depth = 1;
  bool Innermost = true;
  std::optional<int64_t> Line;
  TripCount Trip;
  double Weight = 0; // fraction of the program's total cost, inner loops
                     // included (so an outer loop weighs at least as much
                     // as the loops nested in it)
  LoopWeightBasis Basis = LoopWeightBasis::SizeShare;
};

/// Whether two names of a source file denote the same file: equal, or one
/// relative ("src/a.c", "./a.c") and the other ending with it. Matches a
/// profile's or a remark's file with a features module's source.
bool sameSourceFile(std::string_view A, std::string_view B);

/// Weights every loop of every profiled function found in the features,
/// hottest first. Profile functions absent from the features (libc, other
/// objects) contribute no loops. Loops of functions absent from the profile
/// (inlined into all their callers) are weighted by the line costs of their
/// source file (the module's name must name the source, as the evidence
/// collector sets it).
std::vector<HotLoop> attributeLoops(const Profile &P,
                                    const std::vector<ModuleFeatures> &Mods);

} // namespace autopass
