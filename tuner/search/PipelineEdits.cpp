//===- search/PipelineEdits.cpp - The curated pipeline edits --------------===//
//
// The table of edits. Insertions reproduce where LLVM's own flags put a pass
// (e.g. -enable-loopinterchange adds loop-interchange after loop-deletion in
// the first loop pass manager), so the edit and the flag mean the same.
//
//===----------------------------------------------------------------------===//
#include "search/PipelineEdits.hpp"

namespace autopass {

namespace {

Error noAnchor(const std::string &Pass) {
  return makeError("pipeline edit: the pipeline has no " + Pass + " pass");
}

/// Inserts Text next to the Occurrence-th pass named Anchor.
std::function<Status(PipelineText &)> insertAt(std::string Anchor, long Occurrence,
                                               std::string Text, bool After) {
  return [=](PipelineText &P) -> Status {
    std::vector<PassPath> All = P.findAll(Anchor);
    if (All.empty())
      return noAnchor(Anchor);
    size_t Index = Occurrence < 0 ? All.size() - 1 : static_cast<size_t>(Occurrence);
    if (Index >= All.size())
      return noAnchor(Anchor);
    auto Node = PipelineText::parsePass(Text);
    if (!Node)
      return Node.error();
    return P.insert(All[Index], *Node, After);
  };
}

std::function<Status(PipelineText &)> removeFirst(std::string Pass) {
  return [=](PipelineText &P) -> Status {
    auto Path = P.find(Pass);
    if (!Path)
      return noAnchor(Pass);
    return P.remove(*Path);
  };
}

/// Sets or clears a boolean parameter on the Occurrence-th (last if -1)
/// pass named Pass.
std::function<Status(PipelineText &)> flag(std::string Pass, long Occurrence, std::string Flag,
                                           bool On) {
  return [=](PipelineText &P) -> Status {
    std::vector<PassPath> All = P.findAll(Pass);
    if (All.empty())
      return noAnchor(Pass);
    const PassPath &Path = Occurrence < 0 ? All.back() : All.at(static_cast<size_t>(Occurrence));
    const PassNode *N = P.at(Path);
    return P.setParams(Path, withParamFlag(N->Params.value_or(""), Flag, On));
  };
}

std::vector<PipelineEdit> buildEdits() {
  std::vector<PipelineEdit> E;
  // Insertions come before removals and moves so their anchors still exist.
  E.push_back({"add-loop-interchange", "interchange",
               "insert loop-interchange into the first loop pass manager (after loop-deletion)",
               insertAt("loop-deletion", 0, "loop-interchange", true)});
  E.push_back({"add-loop-flatten", "flatten",
               "insert loop-flatten after the first simple-loop-unswitch",
               insertAt("simple-loop-unswitch", 0, "loop-flatten", true)});
  E.push_back({"add-unroll-and-jam", "unroll-and-jam",
               "insert loop(loop-unroll-and-jam) before the late loop-unroll",
               insertAt("loop-unroll", 0, "loop(loop-unroll-and-jam)", false)});
  E.push_back({"add-loop-fusion", "fusion", "insert loop-fusion before loop-distribute",
               insertAt("loop-distribute", 0, "loop-fusion", false)});
  E.push_back({"add-loop-versioning-licm", "versioning-licm",
               "insert loop(loop-versioning-licm) and a LICM run before float2int",
               [](PipelineText &P) -> Status {
                 if (Status S = insertAt("float2int", 0, "loop-mssa(licm<allowspeculation>)",
                                         false)(P);
                     !S)
                   return S;
                 return insertAt("float2int", 0, "loop(loop-versioning-licm)", false)(P);
               }});
  E.push_back({"add-gvn-after-vectorize", "gvn-late",
               "insert gvn<> after loop-load-elim (redundancy cleanup after vectorization)",
               insertAt("loop-load-elim", 0, "gvn<>", true)});
  E.push_back({"unroll-no-runtime", "unroll", "late loop-unroll without runtime unrolling",
               flag("loop-unroll", 0, "runtime", false)});
  E.push_back({"unroll-runtime", "unroll", "late loop-unroll with runtime unrolling forced on",
               flag("loop-unroll", 0, "runtime", true)});
  E.push_back({"unroll-no-partial", "unroll", "late loop-unroll without partial unrolling",
               flag("loop-unroll", 0, "partial", false)});
  E.push_back({"unroll-upperbound", "unroll", "late loop-unroll may unroll by a trip-count upper bound",
               flag("loop-unroll", 0, "upperbound", true)});
  E.push_back({"vectorize-forced-only", "loop-vectorize",
               "loop-vectorize only vectorizes loops with vectorize hints (pairs with region hints)",
               flag("loop-vectorize", 0, "vectorize-forced-only", true)});
  E.push_back({"licm-late-no-speculation", "licm-late",
               "the last LICM run may not speculate instructions out of conditionals",
               flag("licm", -1, "allowspeculation", false)});
  E.push_back({"slp-after-unroll", "slp",
               "move slp-vectorizer after the late loop-unroll so it sees unrolled bodies",
               [](PipelineText &P) -> Status {
                 auto Slp = P.find("slp-vectorizer");
                 auto Unroll = P.find("loop-unroll");
                 if (!Slp)
                   return noAnchor("slp-vectorizer");
                 if (!Unroll)
                   return noAnchor("loop-unroll");
                 return P.move(*Slp, *Unroll, /*After=*/true);
               }});
  E.push_back({"remove-slp", "slp", "remove the slp-vectorizer pass", removeFirst("slp-vectorizer")});
  E.push_back({"remove-late-unroll", "unroll", "remove the late loop-unroll pass",
               removeFirst("loop-unroll")});
  return E;
}

} // namespace

const std::vector<PipelineEdit> &curatedPipelineEdits() {
  static const std::vector<PipelineEdit> Edits = buildEdits();
  return Edits;
}

} // namespace autopass
