//===- config/CandidateConfig.hpp - One point of the search space -*- C++ -*-===//
//
// The tuner's view of an `autopass-config/1` document (docs/config-format.md):
// the three layers of a configuration (knobs, pipeline, region hints), which
// strategies, agents, the builder and autopass-cc manipulate. Documents are
// read and validated by the plugin's reader (plugin/Config.h), the one
// validator of the format; parse() builds this model from its result. Serialization is canonical (sorted
// keys, fixed number formatting) so the content hash names a configuration.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace autopass {

/// The value of one LLVM command-line option: -NAME=VALUE.
using KnobValue = std::variant<bool, int64_t, double, std::string>;

/// Renders a knob value as LLVM's command line expects it (true/false,
/// integers, shortest round-trip doubles, strings verbatim).
std::string knobValueText(const KnobValue &V);

/// A count or one of the words the format allows ("full", "disable").
using CountOrWord = std::variant<int64_t, std::string>;

struct LoopHint {
  std::optional<CountOrWord> Unroll;        // N, "full", "disable"
  std::optional<bool> Vectorize;
  std::optional<int64_t> VectorizeWidth;
  std::optional<int64_t> InterleaveCount;
  std::optional<bool> Distribute;
  std::optional<CountOrWord> UnrollAndJam;  // N, "disable"

  bool empty() const;
  bool operator==(const LoopHint &O) const;
};

struct FunctionHint {
  std::optional<std::string> Inline; // "always", "never", "default"
  std::optional<std::string> Size;   // "opt", "min", "none"

  bool empty() const;
  bool operator==(const FunctionHint &O) const;
};

struct CallHint {
  std::string Caller;
  std::string Callee;
  std::optional<int64_t> Index;
  std::string Inline; // "always", "never"

  bool operator==(const CallHint &O) const;
};

/// What one translation unit does differently (`units` in
/// docs/config-format.md): knobs added to or replacing the configuration's,
/// and a pipeline replacing its pipeline.
struct UnitConfig {
  std::map<std::string, KnobValue> Knobs;
  std::optional<std::string> Pipeline;

  /// Neither knobs nor a pipeline: changes nothing (never written).
  bool empty() const;
  bool operator==(const UnitConfig &O) const;
};

struct CandidateConfig {
  std::map<std::string, KnobValue> Knobs;
  std::optional<std::string> Pipeline;
  /// Source path suffix ("lib/mat.c") -> that unit's knobs and pipeline.
  std::map<std::string, UnitConfig> Units;
  std::map<std::string, LoopHint> Loops;         // loop name -> hint
  std::map<std::string, FunctionHint> Functions; // function name -> hint
  std::vector<CallHint> Calls;
  /// The raw JSON text of the "meta" object ("" when absent); carried along,
  /// never interpreted, and not part of the content hash.
  std::string MetaJson;

  /// No knobs, no pipeline, no hints, no units: plain -O3.
  bool isIdentity() const;
  bool hasHints() const;

  /// The configuration one translation unit is built with: the `units`
  /// entry whose key is the longest suffix of SourcePath (at a '/'
  /// boundary, or the whole path) applied over the global knobs and
  /// pipeline; hints unchanged; Units empty. Without a matching entry, the
  /// configuration without Units.
  CandidateConfig forUnit(std::string_view SourcePath) const;

  /// Canonical JSON (sorted keys, deterministic formatting).
  std::string toJson(bool Pretty = true) const;
  /// SHA-256 of the canonical JSON without meta: equal configs, equal hash.
  std::string contentHash() const;
  /// The first 12 hex digits of contentHash(), for file and table names.
  std::string shortHash() const;

  /// Parses and validates a document with the shared reader; errors name
  /// SourceName, the field as a JSON path (e.g. hints.loops["f:L0"].unroll)
  /// and what was expected. load() also says when Path is a directory.
  static Result<CandidateConfig> parse(std::string_view JsonText,
                                       std::string_view SourceName);
  static Result<CandidateConfig> load(const std::string &Path);

  bool operator==(const CandidateConfig &O) const;
};

} // namespace autopass
