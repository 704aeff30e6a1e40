//===- cli/EmitCommand.cpp - autopass-tuner emit ---------------------------===//
//
// Prints what a build needs to use a tuned configuration: clang flags, a
// CMake snippet or Makefile lines (cc/Deployment.hpp renders them; paths of
// the plugin and autopass-cc are resolved like autopass-cc resolves them).
//
//===----------------------------------------------------------------------===//
#include "cli/Commands.hpp"

#include "cc/Deployment.hpp"
#include "cc/Installation.hpp"
#include "cli/CommonOptions.hpp"

#include <cxxopts.hpp>

#include <cstdio>

namespace autopass {

int runEmitCommand(int Argc, char **Argv) {
  cxxopts::Options Options(
      Argv[0], "Print the flags or the build snippet that applies a tuned configuration.\n"
               "  Usage: autopass-tuner emit INPUT [--format clang|cmake|make] [--flags-only]\n"
               "  INPUT is a configuration file (autopass-config/1), a run directory (its\n"
               "  best-config.json, or results/best-config.json), or a program spec\n"
               "  (autopass-program/1: the most recent best configuration among its run\n"
               "  directories NAME-* under ./autopass-runs and SPEC_DIR/autopass-runs).\n"
               "  clang: shell lines (AUTOPASS_CFLAGS, AUTOPASS_CONFIG; autopass-cc for a\n"
               "  pipeline); cmake: launcher settings; make: CC/CFLAGS lines.\n"
               "  docs/using-a-config.md explains the three routes.");
  // clang-format off
  Options.add_options()
    ("format", "Output format: clang, cmake or make", cxxopts::value<std::string>()->default_value("clang"))
    ("flags-only", "With --format clang: only the compiler flags, on one line (for $(...))")
    ("input", "Configuration file, run directory or program spec", cxxopts::value<std::string>())
    ("h,help", "Show this help");
  // clang-format on
  Options.parse_positional({"input"});
  Options.positional_help("INPUT");
  cxxopts::ParseResult Args;
  if (int Rc = parseOrExit(Options, Argc, Argv, Args); Rc >= 0)
    return Rc;
  if (!Args.count("input")) {
    std::fprintf(stderr, "%s: missing INPUT (configuration, run directory or spec)\n(see --help)\n",
                 Argv[0]);
    return 2;
  }
  auto Format = parseEmitFormat(Args["format"].as<std::string>());
  if (!Format) {
    std::fprintf(stderr, "%s: --format: expected clang, cmake or make, got \"%s\"\n", Argv[0],
                 Args["format"].as<std::string>().c_str());
    return 2;
  }

  auto Source = resolveConfigInput(Args["input"].as<std::string>());
  if (!Source) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], Source.message().c_str());
    return 1;
  }
  auto Config = CandidateConfig::load(Source->Path);
  if (!Config) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], Config.message().c_str());
    return 1;
  }
  Installation Install = Installation::locate();
  auto Catalog = Install.loadCatalog();
  if (!Catalog) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], Catalog.message().c_str());
    return 1;
  }
  DeploymentTools Tools{Install.Plugin, Install.autopassCc(), Install.LlvmBinDir};
  bool FlagsOnly = Args.count("flags-only") != 0;
  auto Text = renderDeployment(*Config, *Source, *Catalog, Tools, *Format, FlagsOnly);
  if (!Text) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], Text.message().c_str());
    return 1;
  }
  std::fputs(Text->c_str(), stdout);
  if (FlagsOnly && Config->hasHints())
    std::fprintf(stderr,
                 "%s: note: the region hints also need AUTOPASS_CONFIG=%s in the "
                 "compiler's environment\n",
                 Argv[0], Source->Path.c_str());
  return 0;
}

} // namespace autopass
