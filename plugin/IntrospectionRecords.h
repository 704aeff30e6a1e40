//===- IntrospectionRecords.h - what autopass-introspect keeps --*- C++ -*-===//
//
// The records, diffs and name tables an introspection session collects, and
// their rendering as an autopass-introspect/1 document (IntrospectionWriter
// .cpp). Kept apart from the session so that recording (Introspection.cpp)
// and the output format can be read separately.
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_INTROSPECTIONRECORDS_H
#define AUTOPASS_PLUGIN_INTROSPECTIONRECORDS_H

#include "LineDiff.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace autopass {

enum class UnitKind : uint8_t { Module, CGSCC, Function, Loop };

llvm::StringRef unitKindName(UnitKind K);

/// The code of one source function (SourceOrigin.h) in a function or SCC
/// unit, around one pass.
struct SourceCount {
  unsigned Function = 0; ///< Index into the name table (UnitNames).
  uint64_t InstructionsBefore = 0, InstructionsAfter = 0;
  bool Changed = false;
};

/// Where a loop unit was written: its start location's source function.
struct LoopSource {
  unsigned Function = 0; ///< Index into the name table (UnitNames).
  unsigned File = 0;     ///< Index into the name table (UnitNames).
  unsigned Line = 0;
};

/// One pass execution.
struct Record {
  uint64_t Seq = 0;
  unsigned Pass = 0; ///< Index into the pass-name tables.
  UnitKind Kind = UnitKind::Module;
  unsigned Unit = 0; ///< Index into the unit-name table.
  uint64_t InstructionsBefore = 0, InstructionsAfter = 0;
  uint64_t BlocksBefore = 0, BlocksAfter = 0;
  bool Changed = false;
  /// The pass invalidated its unit (deleted or fully unrolled a loop,
  /// restructured an SCC).
  bool Invalidated = false;
  /// A deleted loop has no "after": its after counts are 0 and it is left
  /// out of the summary's instruction delta.
  bool UnitGone = false;
  double TimeUs = 0;
  /// Function and SCC units holding inlined code: the instructions of each
  /// source function in them. Empty when the unit holds only its own code
  /// (or has no debug info).
  std::vector<SourceCount> Sources;
  /// Loop units with a debug location.
  std::optional<LoopSource> Source;
};

/// The IR diff of a watched function around one pass.
struct DiffEntry {
  uint64_t Seq;
  unsigned Pass;
  std::string Function;
  BoundedDiff Diff;
};

struct IntrospectionData {
  const std::string &ModuleName;
  const std::vector<Record> &Records; ///< In seq order.
  const std::vector<DiffEntry> &Diffs;
  const std::vector<std::string> &PassNames;     ///< "InstCombinePass"
  const std::vector<std::string> &PipelineNames; ///< "instcombine" or ""
  /// Unit names, and the source function and file names records refer to.
  const std::vector<std::string> &UnitNames;
};

/// The autopass-introspect/1 document, with the per-pass summary computed
/// from the records.
std::string renderIntrospection(const IntrospectionData &Data);

} // namespace autopass

#endif // AUTOPASS_PLUGIN_INTROSPECTIONRECORDS_H
