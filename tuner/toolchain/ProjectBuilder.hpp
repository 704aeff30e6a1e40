//===- toolchain/ProjectBuilder.hpp - Builds through the project's build -*- C++ -*-===//
//
// For a spec with a `build` section (spec/ProjectBuild.hpp) the baseline and
// every candidate are built by the project's own build command, with
// autopass-cc as the compiler launcher (docs/tuning-a-cmake-project.md):
//
//   rm UNIT.o ...                      every unit's object, so the build
//                                      compiles every unit again
//   cd DIR && AUTOPASS_CONFIG=CONFIG AUTOPASS_CC_CACHE=CACHE/cc-objects
//             AUTOPASS_CC_LOG=LOG COMMAND...
//   cp BINARY CACHE/<key>/NAME         the measured binary, kept
//
// autopass-cc applies the configuration to each -O2/-O3 unit and serves
// units whose preprocessed source, flags and configuration are unchanged
// from its object cache (cc/ObjectCache.hpp), so a configuration that
// differs from the previous one in one unit recompiles one unit. Its log
// (toolchain/LauncherLog.hpp) tells how many units were rebuilt, proves that
// every unit went through the launcher with the candidate's configuration,
// and names the unit and its compile command when a compile fails. The
// baseline is the same build without a configuration: the project's own
// flags, at the optimization level the project chose.
//
// Builds run one at a time (the project has one build tree).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "toolchain/Builder.hpp"

#include <mutex>

namespace autopass {

class ProjectBuilder : public CandidateBuilder {
public:
  ProjectBuilder(const ProgramSpec &Spec, const Toolchain &Tools, const ToolOptionIndex &Options,
                 BuildCache &Cache);

  BuildResult buildBaseline() override;
  BuildResult buildCandidate(const CandidateConfig &Config) override;

  /// The project's own build with the configuration and no object cache,
  /// after every unit's object is removed, then the binary copied to OutDir.
  Result<std::vector<std::string>> rebuildCommands(const CandidateConfig &Config,
                                                   const std::string &ConfigPath,
                                                   const std::string &OutDir) override;

  /// Where autopass-cc keeps objects for this tuner (AUTOPASS_CC_CACHE).
  std::string objectCacheDir() const;

private:
  const ProgramSpec &Spec;
  const Toolchain &Tools;
  const ToolOptionIndex &Options;
  BuildCache &Cache;
  std::mutex Lock;

  /// ConfigPath empty: the baseline (no configuration).
  BuildResult build(const std::string &ConfigPath, const std::string &ConfigHash);
};

} // namespace autopass
