//===- search/PipelineEdits.hpp - The curated pipeline edits --*- C++ -*-===//
//
// The pipeline layer does not search over arbitrary pass sequences (almost
// all of them are slower or rejected); it toggles a small set of edits of
// the O3 pipeline that each have a reason to help some program: add a loop
// transformation -O3 leaves out, move SLP after the late unroll, switch a
// pass parameter. Each edit finds its anchor pass by name, so it applies to
// any O3 text that contains the anchor; one that does not apply to the base
// pipeline is simply unavailable. docs/search.md lists them.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "search/PipelineText.hpp"
#include "util/Result.hpp"

#include <functional>
#include <string>
#include <vector>

namespace autopass {

struct PipelineEdit {
  std::string Id;          // stable name, used in atoms and docs
  std::string Group;       // at most one edit of a group is applied
  std::string Description; // one line, for agents and docs
  std::function<Status(PipelineText &)> Apply;
};

/// Every curated edit, in the order they are applied to a pipeline.
const std::vector<PipelineEdit> &curatedPipelineEdits();

} // namespace autopass
