//===- Config.h - the autopass-config/1 document, as the plugin sees it ---===//
//
// The `autopass` element applies region hints and an optional pipeline from
// a configuration file (docs/config-format.md). This header holds the parsed
// form; ConfigReader.cpp parses and validates it. It is the one validator of
// the format: the reader depends only on LLVM Support and is built into the
// autopass_config library, which the plugin, the tuner (CandidateConfig
// builds its model from this parse) and plugin/unittests all link.
//
// The types live in autopass::config so that the tuner, which has its own
// LoopHint and friends in namespace autopass, can include this header.
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_CONFIG_H
#define AUTOPASS_PLUGIN_CONFIG_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include "llvm/Support/JSON.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace autopass {
namespace config {

inline constexpr const char *ConfigSchema = "autopass-config/1";

/// One entry of `hints.loops`. Unset fields leave the loop's metadata alone.
struct LoopHint {
  enum class UnrollKind { Unset, Count, Full, Disable };
  enum class JamKind { Unset, Count, Disable };

  UnrollKind Unroll = UnrollKind::Unset;
  unsigned UnrollCount = 0;
  std::optional<bool> Vectorize;
  std::optional<unsigned> VectorizeWidth;
  std::optional<unsigned> InterleaveCount;
  std::optional<bool> Distribute;
  JamKind UnrollAndJam = JamKind::Unset;
  unsigned UnrollAndJamCount = 0;
};

enum class InlineChoice { Unset, Always, Never, Default };
enum class SizeChoice { Unset, Opt, Min, None };

/// One entry of `hints.functions`.
struct FunctionHint {
  InlineChoice Inline = InlineChoice::Unset;
  SizeChoice Size = SizeChoice::Unset;
};

/// One element of `hints.calls`. Inline is Always or Never.
struct CallHint {
  std::string Caller;
  std::string Callee;
  std::optional<unsigned> Index;
  InlineChoice Inline = InlineChoice::Never;
};

/// A loop name split into its parts: "FUNCTION:L<Index>".
struct LoopName {
  std::string Function;
  unsigned Index = 0;
};

/// The value of one entry of `knobs`. The plugin ignores knobs (they are
/// not IR) but checks them, so that a document both readers accept is one
/// the tuner can pass on a command line. A number written with a fraction or
/// an exponent (2.0, 1e3) is a Float, one without is an Integer.
struct KnobSetting {
  enum class Kind { Bool, Integer, Float, String };
  Kind Type = Kind::Bool;
  bool Bool = false;
  int64_t Integer = 0;
  double Float = 0;
  std::string String;
};

/// One entry of `units`: what one translation unit does differently. The
/// plugin validates units but applies none (autopass-cc and the tuner hand
/// each unit its own configuration, docs/config-format.md).
struct UnitSettings {
  /// Sorted by name.
  std::vector<std::pair<std::string, KnobSetting>> Knobs;
  std::optional<std::string> Pipeline;
};

struct Config {
  std::string Path; ///< Where the document came from, for messages.
  /// Sorted by name.
  std::vector<std::pair<std::string, KnobSetting>> Knobs;
  std::optional<std::string> Pipeline;
  /// Sorted by name (JSON objects carry no order), so that messages and
  /// reports are deterministic. Calls keep their array order.
  std::vector<std::pair<std::string, LoopHint>> Loops;
  std::vector<std::pair<std::string, FunctionHint>> Functions;
  std::vector<CallHint> Calls;
  /// Source path (or its end at a '/') -> that unit's settings, sorted by
  /// key.
  std::vector<std::pair<std::string, UnitSettings>> Units;
  /// The `meta` object, carried along and never interpreted.
  std::optional<llvm::json::Value> Meta;

  bool hasHints() const {
    return !Loops.empty() || !Functions.empty() || !Calls.empty();
  }
};

/// Splits "FUNCTION:L<i>" at its last ":L"; std::nullopt if malformed.
std::optional<LoopName> parseLoopName(llvm::StringRef Name);

/// Parses and validates a configuration document. \p Path only labels
/// errors, which read "PATH: FIELD: what was expected".
llvm::Expected<Config> parseConfig(llvm::StringRef Text,
                                   llvm::StringRef Path);

/// Reads \p Path and parses it with parseConfig. A directory, a missing or
/// unreadable file is an error naming the path.
llvm::Expected<Config> readConfigFile(llvm::StringRef Path);

} // namespace config
} // namespace autopass

#endif // AUTOPASS_PLUGIN_CONFIG_H
