//===- cli/SuiteCommand.cpp - autopass-tuner suite ------------------------===//
//
// Tunes every program of a suite (autopass-suite/1) with one or more
// strategies and prints the table: -O3 time, each strategy's confirmed
// speedup with its interval, rejections, geometric means. Writes
// suite-result.json, report.md and report.html into the run directory.
//
//===----------------------------------------------------------------------===//
#include "cli/Commands.hpp"

#include "cli/CommonOptions.hpp"
#include "driver/SuiteRun.hpp"
#include "report/SuiteReport.hpp"
#include "search/Strategy.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"
#include "util/Time.hpp"

#include <cstdio>

namespace autopass {

int runSuiteCommand(int Argc, char **Argv) {
  cxxopts::Options Options(
      Argv[0], "Tune every program of a suite with one or more strategies and report the "
               "confirmed speedups over -O3.\n"
               "  Usage: autopass-tuner suite SUITE.json [options]\n"
               "  A suite is {\"schema\": \"autopass-suite/1\", \"name\": ..., \"programs\": "
               "[spec paths relative to the suite file]}; bench/suite.json is one.");
  addCommonOptions(Options);
  // clang-format off
  Options.add_options("Suite")
    ("strategies", "Comma-separated strategies: " + join(strategyNames(), ", "), cxxopts::value<std::string>()->default_value("expert"))
    ("budget", "Evaluations per program and strategy", cxxopts::value<unsigned>()->default_value("30"))
    ("time-budget", "Seconds of search per program and strategy, counted after its baseline and evidence (0: no limit)", cxxopts::value<double>()->default_value("0"))
    ("batch", "Configurations proposed per round", cxxopts::value<unsigned>()->default_value("2"))
    ("strategy-seed", "Seed of the strategies' random choices", cxxopts::value<uint64_t>()->default_value("1"))
    ("confirm-reps", "Minimum measured pairs when confirming a best", cxxopts::value<unsigned>()->default_value("10"))
    ("no-layout-check", "Report confirmed wins without re-measuring them under code-placement perturbations (docs/measurement.md)")
    ("profile", "Hot regions from: callgrind (default) or none", cxxopts::value<std::string>()->default_value("callgrind"))
    ("only", "Comma-separated program names to run (default: all)", cxxopts::value<std::string>())
    ("pgo", "Also measure clang IR PGO (trained on the measured input) per program: the table's PGO column")
    ("suite", "Suite file (autopass-suite/1)", cxxopts::value<std::string>());
  // clang-format on
  Options.parse_positional({"suite"});
  Options.positional_help("SUITE.json");
  cxxopts::ParseResult Args;
  if (int Rc = parseOrExit(Options, Argc, Argv, Args); Rc >= 0)
    return Rc;
  if (!Args.count("suite")) {
    std::fprintf(stderr, "%s: expected SUITE.json\n(see --help)\n", Argv[0]);
    return 2;
  }
  auto fail = [&](const std::string &M) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], M.c_str());
    return 1;
  };
  // The suite's programs name their target and runner in their specs; the
  // command-line overrides of one program's target are refused here rather
  // than ignored (a suite run would otherwise build for the host and report
  // timings the user takes for the target's).
  for (const char *Flag : {"target", "mcpu", "runner"})
    if (Args.count(Flag)) {
      std::fprintf(stderr,
                   "%s: --%s is not taken by suite: give each program's target and runner in "
                   "its spec (\"target\", \"runner\"; docs/cross-targets.md)\n",
                   Argv[0], Flag);
      return 2;
    }
  auto Suite = SuiteSpec::load(Args["suite"].as<std::string>());
  if (!Suite)
    return fail(Suite.message());

  SuiteSettings S;
  S.Strategies = split(Args["strategies"].as<std::string>(), ',');
  S.Tune.Budget = Args["budget"].as<unsigned>();
  S.Tune.TimeBudget = Args["time-budget"].as<double>();
  S.Tune.Batch = std::max(1u, Args["batch"].as<unsigned>());
  S.Tune.StrategySeed = Args["strategy-seed"].as<uint64_t>();
  S.Tune.ConfirmReps = Args["confirm-reps"].as<unsigned>();
  S.Tune.LayoutCheck = !Args.count("no-layout-check");
  auto Mode = parseProfileMode(Args["profile"].as<std::string>());
  if (!Mode) {
    std::fprintf(stderr, "%s: --profile: expected callgrind or none\n", Argv[0]);
    return 2;
  }
  S.Tune.Profile = *Mode;
  if (Args.count("only"))
    S.Only = split(Args["only"].as<std::string>(), ',');
  S.Jobs = Args["jobs"].as<unsigned>();
  S.Resume = Args.count("resume") != 0;
  S.Pgo = Args.count("pgo") != 0;
  MeasurementPlan &P = S.Plan;
  P.Warmups = Args["warmups"].as<unsigned>();
  P.MinReps = Args["min-reps"].as<unsigned>();
  P.MaxReps = std::max(P.MinReps, Args["max-reps"].as<unsigned>());
  P.TargetCi = Args["ci"].as<double>();
  P.Seed = Args["seed"].as<uint64_t>();
  P.RandomizeOrder = !Args.count("abab");
  if (Status St = applyStoppingOptions(Args, P); !St) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], St.message().c_str());
    return 2;
  }
  if (Args.count("pin-cpu"))
    P.PinCpu = Args["pin-cpu"].as<int>();
  if (Args.count("objective")) {
    S.Objective = parseObjectiveKind(Args["objective"].as<std::string>());
    if (!S.Objective) {
      std::fprintf(stderr, "%s: --objective: expected wall, cpu, size, cycles, instructions, "
                           "callgrind or reported\n", Argv[0]);
      return 2;
    }
  }

  auto Tools = Toolchain::locate(Args.count("llvm-bindir") ? Args["llvm-bindir"].as<std::string>()
                                                           : "");
  if (!Tools)
    return fail(Tools.message());
  std::string Dir;
  if (Args.count("run-dir"))
    Dir = Args["run-dir"].as<std::string>();
  else if (S.Resume)
    return fail("--resume needs --run-dir (the suite run to continue)");
  else
    Dir = joinPath("autopass-runs", Suite->Name + "-suite-" + compactTimestampNow());
  if (!S.Resume && pathExists(joinPath(Dir, "suite-result.json")))
    return fail(Dir + " already holds a suite run; pass --resume to continue it or choose "
                      "another --run-dir");
  Progress Prog(Args.count("quiet") != 0);
  std::fprintf(stderr, "run directory: %s%s\n", Dir.c_str(), S.Resume ? " (resumed)" : "");

  auto Out = runSuite(*Suite, *Tools, Dir, S, Prog);
  Prog.clear();
  if (!Out)
    return fail(Out.message());
  std::printf("%s", renderSuiteTable(*Out).c_str());
  std::string Md = joinPath(Dir, "report.md"), Html = joinPath(Dir, "report.html");
  if (Status W = writeFileAtomically(Md, renderSuiteMarkdown(*Out)); !W)
    return fail(W.message());
  if (Status W = writeFileAtomically(Html, renderSuiteHtml(*Out)); !W)
    return fail(W.message());
  if (Args.count("json"))
    if (Status W = writeFileAtomically(Args["json"].as<std::string>(), suiteOutcomeJson(*Out)); !W)
      return fail(W.message());
  std::printf("\nreport: %s\n        %s\nresults: %s\n", Html.c_str(), Md.c_str(),
              Out->ResultJsonPath.c_str());
  return 0;
}

} // namespace autopass
