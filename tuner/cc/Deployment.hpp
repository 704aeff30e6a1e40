//===- cc/Deployment.hpp - How a build applies a configuration -*- C++ -*-===//
//
// `autopass-tuner emit` turns a tuned configuration into what a build needs:
// clang flags, a CMake snippet or Makefile lines. Knobs and region hints can
// be applied by clang itself (-mllvm, -fpass-plugin plus AUTOPASS_CONFIG);
// a pipeline cannot, so a configuration with one is deployed through
// autopass-cc. The input may be a configuration file, a run directory (its
// best configuration) or a program spec (its newest run directory that has
// one).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "config/CandidateConfig.hpp"
#include "search/KnobCatalog.hpp"
#include "util/Result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autopass {

enum class EmitFormat { Clang, CMake, Make };

std::optional<EmitFormat> parseEmitFormat(std::string_view Name);

/// The file names a run directory may keep its best configuration under,
/// in the order they are tried.
std::vector<std::string> bestConfigCandidates(const std::string &RunDir);

struct ResolvedConfig {
  std::string Path; // absolute path of the configuration file
  std::string From; // how it was found, for the snippet's header
};

/// Input: an autopass-config/1 file, a run directory, or an
/// autopass-program/1 spec (searched under ./autopass-runs and the spec's
/// directory's autopass-runs/ for NAME-* run directories; the most recently
/// written best configuration wins).
Result<ResolvedConfig> resolveConfigInput(const std::string &Input);

struct DeploymentTools {
  std::string Plugin;     // libAutoPassPlugin.so
  std::string AutopassCc; // autopass-cc (autopass-c++ lies next to it)
  std::string LlvmBinDir; // where the matching clang is
};

/// The snippet for Format. FlagsOnly (clang format only) prints just the
/// compiler flags on one line, for $(...) in a shell; it fails for a
/// configuration whose pipeline clang cannot apply.
Result<std::string> renderDeployment(const CandidateConfig &Config, const ResolvedConfig &Source,
                                     const KnobCatalog &Catalog, const DeploymentTools &Tools,
                                     EmitFormat Format, bool FlagsOnly);

} // namespace autopass
