//===- search/PipelineText.hpp - Editing textual NPM pipelines -*- C++ -*-===//
//
// Layer 2 of the search space works on the pipeline text that
// `opt -passes='default<O3>' -print-pipeline-passes` prints, e.g.
//   function<eager-inv>(loop-unroll<O3>,loop-mssa(licm<allowspeculation>))
// PipelineText parses it into a tree of passes (name, optional <params>,
// optional (children)), prints it back byte for byte, and edits it: remove,
// insert or move a pass, change a pass parameter. It mirrors what LLVM's own
// parser splits on (',', '(' and ')'), so an edit never makes text that LLVM
// would tokenise differently; whether opt accepts an edited pipeline is still
// checked by running opt (the search space takes a checker for that).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

struct PassNode {
  std::string Name;                   // "loop-unroll", "function", "cgscc"
  std::optional<std::string> Params;  // text inside <...>; "" for "gvn<>"
  std::optional<std::vector<PassNode>> Children; // present when written "(...)"

  std::string str() const;
  bool operator==(const PassNode &O) const;
};

/// A pass's position: the index at each nesting level from the top.
using PassPath = std::vector<size_t>;

std::string passPathText(const PassPath &P);

class PipelineText {
public:
  /// Parses a pipeline; surrounding whitespace (opt prints a newline) is
  /// ignored, anything else that LLVM would not tokenise is an error.
  static Result<PipelineText> parse(std::string_view Text);
  /// Parses one pass, e.g. "loop(loop-unroll-and-jam)".
  static Result<PassNode> parsePass(std::string_view Text);

  std::string str() const;
  const std::vector<PassNode> &passes() const { return Top; }
  /// Every pass, nested ones included.
  size_t size() const;

  const PassNode *at(const PassPath &P) const;
  /// Paths of every pass named Name (without params), in preorder.
  std::vector<PassPath> findAll(std::string_view Name) const;
  std::optional<PassPath> find(std::string_view Name, size_t Occurrence = 0) const;

  Status remove(const PassPath &P);
  Status insert(const PassPath &P, PassNode Node, bool After);
  /// Moves the pass at From next to the pass at To (To names the position
  /// before the move).
  Status move(const PassPath &From, const PassPath &To, bool After);
  Status setParams(const PassPath &P, std::optional<std::string> Params);

  bool operator==(const PipelineText &O) const { return Top == O.Top; }

private:
  std::vector<PassNode> *siblingsOf(const PassPath &P);
  std::vector<PassNode> Top;
};

/// Parameter-list helpers (LLVM's "a;b;key=value" syntax).
/// Sets a boolean parameter: On gives "Flag", off "no-Flag"; an existing
/// Flag/no-Flag entry is replaced in place, otherwise it is appended.
std::string withParamFlag(std::string_view Params, std::string_view Flag, bool On);
/// Sets "Key=Value", replacing an existing Key= entry in place.
std::string withParamValue(std::string_view Params, std::string_view Key,
                           std::string_view Value);

} // namespace autopass
