//===- ElementParams.h - the text inside an element's <...> -----*- C++ -*-===//
//
// All three elements take parameters as "key=value;key=value;flag", the
// usual shape of new-pass-manager pass parameters. This splits that text and
// rejects empty keys; each element checks its own keys.
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_ELEMENTPARAMS_H
#define AUTOPASS_PLUGIN_ELEMENTPARAMS_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace autopass {

struct ElementParam {
  std::string Key;
  std::optional<std::string> Value; ///< Absent for a bare flag.
};

/// If \p Name is "Element" or "Element<...>", sets \p Params to the text
/// between the brackets and returns true.
inline bool matchElement(llvm::StringRef Name, llvm::StringRef Element,
                         llvm::StringRef &Params) {
  if (!Name.consume_front(Element))
    return false;
  if (Name.empty()) {
    Params = "";
    return true;
  }
  if (!Name.consume_front("<") || !Name.consume_back(">"))
    return false;
  Params = Name;
  return true;
}

inline llvm::Expected<std::vector<ElementParam>>
splitElementParams(llvm::StringRef Element, llvm::StringRef Text) {
  std::vector<ElementParam> Params;
  if (Text.empty())
    return Params;
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Text.split(Parts, ';');
  for (llvm::StringRef Part : Parts) {
    auto [Key, Value] = Part.split('=');
    Key = Key.trim();
    if (Key.empty())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "%s: empty parameter in '<%s>'",
                                     Element.str().c_str(),
                                     Text.str().c_str());
    ElementParam P;
    P.Key = Key.str();
    if (Part.contains('='))
      P.Value = Value.str();
    Params.push_back(std::move(P));
  }
  return Params;
}

} // namespace autopass

#endif // AUTOPASS_PLUGIN_ELEMENTPARAMS_H
