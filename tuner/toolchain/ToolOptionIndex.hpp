//===- toolchain/ToolOptionIndex.hpp - Which tool accepts which option -*- C++ -*-===//
//
// A knob is an LLVM command-line option. Before passing one, the builder asks
// this index (built from `opt --help-hidden` and `clang -mllvm --help-hidden`
// of the installed tools: code generation runs inside clang, whose option set
// differs from llc's) whether the optimizer, the code generator or both know it.
// An option neither knows is rejected with a message, never passed blindly:
// a misspelt knob must not silently measure plain -O3.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <set>
#include <string>
#include <string_view>

namespace autopass {

struct Toolchain;

enum class KnobPlacement { None, Opt, Codegen, Both };

class ToolOptionIndex {
public:
  static Result<ToolOptionIndex> build(const Toolchain &Tools);
  /// From help texts directly (tests).
  static ToolOptionIndex fromHelpTexts(std::string_view OptHelp, std::string_view LlcHelp);
  /// Option names (without dashes) listed in one --help-hidden output.
  static std::set<std::string> parseHelp(std::string_view Help);

  KnobPlacement place(const std::string &Name) const;
  bool optAccepts(const std::string &Name) const { return OptOptions.count(Name) != 0; }
  bool llcAccepts(const std::string &Name) const { return LlcOptions.count(Name) != 0; }
  size_t optCount() const { return OptOptions.size(); }
  size_t llcCount() const { return LlcOptions.size(); }

private:
  std::set<std::string> OptOptions;
  std::set<std::string> LlcOptions;
};

} // namespace autopass
