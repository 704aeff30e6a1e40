//===- JsonScan.h - checks on JSON text that parsers do not make ----------===//
//
// Every JSON reader of AutoPass, in the plugin (llvm::json) and in the tuner
// (RapidJSON), runs scanJsonText on the raw text before it parses. The scan
// is a single loop with an explicit, bounded stack, so hostile input cannot
// exhaust the call stack here; it stops a document before the recursive
// parsers, destructors and writers ever see it:
//  - nesting deeper than MaxJsonDepth arrays and objects ("FILE: nesting
//    deeper than 256 levels");
//  - a string holding bytes that are not UTF-8 ("FILE: PATH: invalid UTF-8");
//  - a key that appears twice in one object ("FILE: PATH: duplicate key"):
//    RapidJSON keeps both members and llvm::json keeps the last, so two
//    readers of one document would otherwise disagree.
// It also remembers how each number was spelled, which llvm::json::Value
// forgets (2 and 2.0 are both "a number" there).
//
// The scan is not a parser: on malformed text it stops quietly and leaves the
// syntax error to the parser that runs next. The library holding it depends
// on LLVM Support only and is linked by the plugin and by the tuner.
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_JSONSCAN_H
#define AUTOPASS_PLUGIN_JSONSCAN_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace autopass {

/// The deepest nesting of arrays and objects any AutoPass reader accepts.
/// Far above what any of our formats needs, far below what exhausts a stack.
inline constexpr unsigned MaxJsonDepth = 256;

/// What the scan learnt about a document that parses.
struct JsonTextFacts {
  /// The source text of every number, by JSON path (see jsonMemberPath).
  llvm::StringMap<std::string> NumberText;
};

/// "Parent.Key", or Parent["Key"] when Key is not a plain identifier
/// (letters, digits, '_' and '-'); the top level has the empty path.
std::string jsonMemberPath(llvm::StringRef Parent, llvm::StringRef Key);
/// "Parent[Index]".
std::string jsonIndexPath(llvm::StringRef Parent, size_t Index);

/// Scans \p Text for the problems listed above; errors start with
/// "SOURCE: ". \p Facts, when given, receives the number spellings (readers
/// of large documents pass nullptr and skip that work). \p MaxDepth lets a
/// writer that embeds a document one level down check it with room to spare.
llvm::Error scanJsonText(llvm::StringRef Text, llvm::StringRef Source,
                         JsonTextFacts *Facts = nullptr,
                         unsigned MaxDepth = MaxJsonDepth);

} // namespace autopass

#endif // AUTOPASS_PLUGIN_JSONSCAN_H
