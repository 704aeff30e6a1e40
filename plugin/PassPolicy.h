//===- PassPolicy.h - passes a configuration's pipeline may not name ------===//
//
// The pipeline of an autopass-config/1 document may not name a pass that
// has an effect outside the module it optimizes: one that writes files,
// prints, opens a viewer, crashes on purpose or instruments the program
// (dot-*, view-*, print*, trigger-*, gcov, profile and sanitizer
// instrumentation, the plugin's own elements, which take output paths), nor
// a pass parameter that names a file (docs/config-format.md).
//
// One rule for every reader: the plugin applies it to a pipeline it is
// about to parse from a configuration (the `autopass` element), the tuner's
// search/ConfigPolicy to every configuration before anything is built. It
// lives in the autopass_config library, which both link; LLVM Support only.
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_PASSPOLICY_H
#define AUTOPASS_PLUGIN_PASSPOLICY_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace autopass {
namespace config {

/// Why the pass named Name (without parameters) is refused, e.g. "writes
/// .dot files into the working directory"; empty when it is allowed.
llvm::StringRef passRefusalReason(llvm::StringRef Name);

/// True for a pass parameter such as "profile-filename=S": a key=value whose
/// key names a file or a path. Plain words are options or analysis names.
bool paramNamesFile(llvm::StringRef Param);

/// The message for a refused pass, the same wherever it is refused:
/// `pipeline: pass "dot-cfg" writes .dot files ...; such passes are not
/// allowed in a configuration`.
std::string refusedPassMessage(llvm::StringRef Name, llvm::StringRef Why);
/// The message for a refused parameter.
std::string refusedParamMessage(llvm::StringRef Name, llvm::StringRef Param);

/// Checks every pass of Pipeline, nested ones included, split as LLVM's
/// pipeline parser splits it (',', '(' and ')'; parameters in '<...>').
/// Returns the message of the first refused pass or parameter; nullopt when
/// the pipeline is allowed. Syntax is left to the parser that runs next.
std::optional<std::string> checkPipelinePolicy(llvm::StringRef Pipeline);

} // namespace config
} // namespace autopass

#endif // AUTOPASS_PLUGIN_PASSPOLICY_H
