//===- Config.h - the autopass-config/1 document, as the plugin sees it ---===//
//
// The `autopass` element applies region hints and an optional pipeline from
// a configuration file (docs/config-format.md). This header holds the parsed
// form; ConfigReader.cpp parses and validates it. The reader depends only on
// LLVM Support, so the unit tests in plugin/unittests link it without any
// pass machinery.
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_CONFIG_H
#define AUTOPASS_PLUGIN_CONFIG_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace autopass {

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

struct Config {
  std::string Path; ///< Where the document came from, for messages.
  std::optional<std::string> Pipeline;
  /// Sorted by name (JSON objects carry no order), so that messages and
  /// reports are deterministic. Calls keep their array order.
  std::vector<std::pair<std::string, LoopHint>> Loops;
  std::vector<std::pair<std::string, FunctionHint>> Functions;
  std::vector<CallHint> Calls;

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

/// Reads \p Path and parses it with parseConfig.
llvm::Expected<Config> readConfigFile(llvm::StringRef Path);

} // namespace autopass

#endif // AUTOPASS_PLUGIN_CONFIG_H
