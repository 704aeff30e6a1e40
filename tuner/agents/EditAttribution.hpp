//===- agents/EditAttribution.hpp - Which edit a compile diff shows -*- C++ -*-===//
//
// A candidate adds edits (SearchSpace atoms) to the configuration it was
// built on. Each edit can only change certain passes in certain places: a
// loop hint changes the loop passes that read its metadata in the loop's
// function, a call-site hint the inliner in the caller, a knob the passes it
// configures (a table below maps the catalog's knobs to passes; knobs it
// does not know, pipeline edits and Polly are program-wide). Given the
// compile diff between candidate and parent (evidence/CompileDiff.hpp) this
// says, per new edit, what of the diff is its effect, so a regression is
// blamed on the edits whose passes actually behaved differently, and
// whether LLVM reported not performing a loop hint (transform-warning).
//
// Places are source functions and source lines (the compile diff maps
// inlined code back to them): a hint on kernel:L0 is matched to the
// kernel's code and warnings wherever the kernel was inlined. When the
// diff cannot see an edit's place (no debug information, no record of its
// function), its effect is unknown: neither implicated nor cleared.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "evidence/CompileDiff.hpp"
#include "search/SearchSpace.hpp"

#include <string>
#include <vector>

namespace autopass {

/// One edit a candidate adds to its parent, and where its effect can show.
struct EditTarget {
  enum class Kind { LoopHint, CallHint, FunctionHint, Knob, PipelineEdit };
  Kind K = Kind::Knob;
  std::string Atom;     // as SearchSpace::atoms spells it
  SearchPoint Single;   // the edit alone (to rebuild a point without others)
  std::string Function; // "" = anywhere in the program
  std::string Loop;     // loop hints: FUNCTION:L<i>
  std::string Field;    // loop hints: unroll, vectorize_width, ...
  /// Pass names as the plugin records them; empty = any pass.
  std::vector<std::string> Passes;
  /// Remark pass names (loop-unroll, inline...); empty = any remark.
  std::vector<std::string> RemarkPasses;
  /// False for code-generation options: opt's records cannot show them.
  bool Observable = true;
};

/// The edits of Candidate that Parent does not have, one per atom.
std::vector<EditTarget> newEdits(const SearchSpace &Space, const SearchPoint &Parent,
                                 const SearchPoint &Candidate);

/// The differences of D in T's places and passes (pass deltas, remark
/// changes), at most MaxItems lines; empty when D shows nothing of T.
std::vector<std::string> effectsOf(const EditTarget &T, const CompileDiff &D, size_t MaxItems = 3);

/// Why D cannot tell whether T had an effect ("" when it can): the
/// evidence has no source locations, so code of T's function inlined
/// elsewhere is not told apart; or no pass record covers T's function.
std::string attributionGap(const EditTarget &T, const CompileDiff &D);

/// The candidate's transform warnings saying that T, a loop hint, was not
/// performed: a matching transformation, and the same source loop (by the
/// header line), or, when the warning names no single loop, a line of the
/// hinted loop in the same source function (anywhere in the function when
/// the loop's lines are unknown). Empty for other kinds of edits.
std::vector<const TransformWarning *> warningsAbout(const EditTarget &T, const CompileDiff &D);

} // namespace autopass
