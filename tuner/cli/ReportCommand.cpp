//===- cli/ReportCommand.cpp - autopass-tuner report ----------------------===//
//
// Renders the report of a finished tune or suite run directory as Markdown
// and self-contained HTML (SVG plots), written into the run directory.
//
//===----------------------------------------------------------------------===//
#include "cli/Commands.hpp"

#include "cli/CommonOptions.hpp"
#include "driver/SuiteRun.hpp"
#include "report/SuiteReport.hpp"
#include "report/TuneReport.hpp"
#include "spec/TargetSpec.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"

#include <cstdio>

namespace autopass {

int runReportCommand(int Argc, char **Argv) {
  cxxopts::Options Options(Argv[0],
                           "Write report.md and report.html (self-contained, SVG plots) for a "
                           "tune or suite run directory.\n  Usage: autopass-tuner report RUN_DIR");
  // clang-format off
  Options.add_options()
    ("run-dir", "The run directory of `tune` or `suite`", cxxopts::value<std::string>())
    ("h,help", "Show this help");
  // clang-format on
  Options.parse_positional({"run-dir"});
  Options.positional_help("RUN_DIR");
  cxxopts::ParseResult Args;
  if (int Rc = parseOrExit(Options, Argc, Argv, Args); Rc >= 0)
    return Rc;
  if (!Args.count("run-dir")) {
    std::fprintf(stderr, "%s: expected RUN_DIR\n(see --help)\n", Argv[0]);
    return 2;
  }
  std::string Dir = Args["run-dir"].as<std::string>();
  std::string Md, Html;
  if (pathExists(joinPath(Dir, "suite-result.json"))) {
    auto S = loadSuiteOutcome(Dir);
    if (!S) {
      std::fprintf(stderr, "%s: %s\n", Argv[0], S.message().c_str());
      return 1;
    }
    Md = renderSuiteMarkdown(*S);
    Html = renderSuiteHtml(*S);
  } else if (pathExists(joinPath(Dir, "results/tune-result.json"))) {
    // A result written before tune recorded what the winner changes is
    // described against the installed opt's -O3 pipeline for the host ("" if
    // unknown): such results predate cross targets.
    auto D = TuneReportData::load(Dir, [] {
      if (auto Tools = Toolchain::locate())
        if (auto P = o3PipelineText(*Tools, TargetSpec{}))
          return *P;
      return std::string();
    });
    if (!D) {
      std::fprintf(stderr, "%s: %s\n", Argv[0], D.message().c_str());
      return 1;
    }
    Md = renderTuneMarkdown(*D);
    Html = renderTuneHtml(*D);
  } else {
    std::fprintf(stderr,
                 "%s: %s holds neither suite-result.json nor results/tune-result.json: not a "
                 "finished tune or suite run\n",
                 Argv[0], Dir.c_str());
    return 1;
  }
  std::string MdPath = joinPath(Dir, "report.md"), HtmlPath = joinPath(Dir, "report.html");
  for (auto [Path, Text] : {std::pair{MdPath, Md}, std::pair{HtmlPath, Html}})
    if (Status W = writeFileAtomically(Path, Text); !W) {
      std::fprintf(stderr, "%s: %s\n", Argv[0], W.message().c_str());
      return 1;
    }
  std::printf("%s\n%s\n", HtmlPath.c_str(), MdPath.c_str());
  return 0;
}

} // namespace autopass
