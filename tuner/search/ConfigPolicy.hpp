//===- search/ConfigPolicy.hpp - What a configuration may make us run -*- C++ -*-===//
//
// The one check every configuration passes before anything is built,
// measured, deployed or collected from it, whoever wrote it (a file the user
// gave, a model's reply, an agent or a strategy):
//
//   - every knob is in the knob catalog and its value is in the knob's
//     domain (an option outside the catalog, such as `load`, would reach
//     opt or clang as `-load=/path.so` and load a library);
//   - the pipeline names no pass that writes files, prints, opens a viewer,
//     crashes on purpose or instruments the program (dot-*, view-*, print*,
//     trigger-*, gcov, profile and sanitizer instrumentation, the plugin's
//     own elements, which take output paths), and no pass parameter that
//     names a file;
//   - the same for every `units` entry's knobs and pipeline.
//
// Every entry point calls checkConfigAllowed: eval, tune (the evaluator
// refuses before building), evidence, emit, pgo, autopass-cc and the agents'
// proposals; the message is the same everywhere (docs/config-format.md).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "util/Result.hpp"

#include <string_view>

namespace autopass {

class KnobCatalog;

/// Catalog membership and value domain of every knob, then the pipeline,
/// then each `units` entry's knobs and pipeline (messages start with
/// units["KEY"].).
Status checkConfigAllowed(const CandidateConfig &Config, const KnobCatalog &Catalog);

/// The pipeline part alone: "pipeline: pass \"dot-cfg\" writes files (...)
/// and is not allowed in a configuration" for the first refused pass.
Status checkPipelineAllowed(std::string_view Pipeline);

} // namespace autopass
