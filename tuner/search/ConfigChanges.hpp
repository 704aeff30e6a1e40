//===- search/ConfigChanges.hpp - What a configuration changes -*- C++ -*-===//
//
// A configuration stores the whole pipeline text, so printing it does not tell
// a reader what the tuner changed. describeChanges says it in one line per
// change against plain -O3: each knob (-NAME=VALUE), each region hint, and the
// pipeline's difference from the -O3 pipeline text, as passes removed,
// inserted or re-parameterised (a longest-common-subsequence diff over the
// pipeline's passes, each named with the pass managers around it). The tune
// result records these lines; the reports print them.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"

#include <rapidjson/document.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

/// One line per change C makes to -O3. O3Pipeline is what
/// `opt -passes=default<O3> -print-pipeline-passes` prints; when it is empty
/// (unknown) a pipeline is reported as replaced, not diffed. Empty for the
/// identity configuration.
std::vector<std::string> describeChanges(const CandidateConfig &C, std::string_view O3Pipeline);

/// The pipeline part alone: the passes Edited removes, inserts or
/// re-parameterises relative to Base, at most MaxLines lines (a last line
/// says how many more there were).
std::vector<std::string> describePipelineDiff(std::string_view Base, std::string_view Edited,
                                              size_t MaxLines = 12);

/// Supplies the -O3 pipeline text ("" = unknown) when a result needs it;
/// asked only for results that did not record their changes (running opt
/// for every report or suite would be wasted). An empty function = unknown.
using O3PipelineSource = std::function<std::string()>;

/// The "changes" that the "best" object of a tune result records; for a
/// result written before they were recorded, computed from its "config_json"
/// against the text O3Pipeline supplies (then *Computed is set, when given).
/// Empty when neither is there.
std::vector<std::string> changesOfTuneBest(const rapidjson::Value &Best,
                                           const O3PipelineSource &O3Pipeline,
                                           bool *Computed = nullptr);

} // namespace autopass
