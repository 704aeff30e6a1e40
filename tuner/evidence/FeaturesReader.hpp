//===- evidence/FeaturesReader.hpp - autopass-features/1 reader -*- C++ -*-===//
//
// Reads the per-function and per-loop features the plugin's
// `autopass-features<out=FILE>` element writes (docs/evidence-format.md) into
// plain structs. The digest joins them with profile weights and remarks, and
// the search space takes its loop list (names, depth, trip counts) from here.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

struct InstructionMix {
  int64_t Load = 0, Store = 0, Call = 0, FpArith = 0, IntArith = 0, Branch = 0,
          Cmp = 0, Phi = 0, Gep = 0, Cast = 0, Vector = 0, Other = 0;
};

enum class TripCountKind { Constant, Max, Unknown };
std::string_view tripCountKindName(TripCountKind K);

struct TripCount {
  TripCountKind Kind = TripCountKind::Unknown;
  std::optional<int64_t> Value; // present for Constant and Max

  /// "512", "<=512" or "?".
  std::string str() const;
};

struct MemoryAccesses {
  int64_t Loads = 0, Stores = 0, UnitStride = 0, ConstantStride = 0,
          Irregular = 0, Invariant = 0;
};

/// Source lines FIRST..LAST (both included).
struct LineRange {
  int64_t First = 0, Last = 0;
  bool contains(int64_t Line) const { return First <= Line && Line <= Last; }
};

struct LoopFeatures {
  std::string Name;                  // FUNCTION:L<i>
  std::optional<std::string> Parent; // enclosing loop's name
  int64_t Depth = 1;
  std::optional<int64_t> Line; // header source line, with debug info
  /// Last source line of the loop (the end location clang puts in the
  /// loop's llvm.loop metadata). Not part of autopass-features/1 yet: read
  /// when a writer provides "end_line", used to bound line attribution.
  std::optional<int64_t> EndLine;
  /// First and last line of the loop's located instructions (optional
  /// "source_lines"): where its code, wherever it is inlined, came from.
  std::optional<LineRange> SourceLines;
  bool Innermost = true;
  TripCount Trip;
  int64_t Blocks = 0;
  int64_t Instructions = 0;
  bool HasCalls = false;
  MemoryAccesses Accesses;
};

struct FunctionFeatures {
  std::string Name; // IR (mangled) name
  /// Optional "file" and "source_lines": where the function was written.
  std::optional<std::string> File;
  std::optional<LineRange> SourceLines;
  int64_t Instructions = 0;
  int64_t Blocks = 0;
  int64_t CallsDirect = 0;
  int64_t CallsIndirect = 0;
  InstructionMix Mix;
  std::vector<LoopFeatures> Loops; // preorder, as the plugin names them

  const LoopFeatures *findLoop(std::string_view LoopName) const;
  /// True if Inner is Outer or nested (at any depth) inside Outer.
  bool isWithin(const LoopFeatures &Inner, const LoopFeatures &Outer) const;
};

struct ModuleFeatures {
  std::string Module;
  std::vector<FunctionFeatures> Functions;

  const FunctionFeatures *findFunction(std::string_view Name) const;

  /// Parses a document; errors name SourceName, the field as a JSON path
  /// (functions[0].loops[1].trip_count.kind) and what was expected.
  static Result<ModuleFeatures> parse(std::string_view JsonText,
                                      std::string_view SourceName);
  static Result<ModuleFeatures> load(const std::string &Path);
};

/// A program is several translation units; finds a function in any of them
/// (the first definition wins, as the linker would see one definition).
const FunctionFeatures *findFunction(const std::vector<ModuleFeatures> &Mods,
                                     std::string_view Name);

} // namespace autopass
