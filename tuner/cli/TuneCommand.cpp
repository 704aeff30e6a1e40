//===- cli/TuneCommand.cpp - autopass-tuner tune --------------------------===//
//
// The tuning run: baseline, evidence, a strategy or agent proposing configs
// within a budget, every proposal built, checked and measured against -O3,
// then the best re-measured on fresh interleaved runs. Only a confirmed win
// is reported; otherwise the answer is "-O3 is best here".
//
// Resuming: strategies are deterministic given their seed and observations,
// and the evaluator answers configs it already measured from the journal, so
// a resumed run replays its history at no cost and carries on.
//
//===----------------------------------------------------------------------===//
#include "cli/Commands.hpp"

#include "agents/LlmSettings.hpp"
#include "cli/CommonOptions.hpp"
#include "cli/ResultTable.hpp"
#include "driver/TuningRun.hpp"
#include "evidence/EvidenceCollector.hpp"
#include "search/KnobCatalog.hpp"
#include "search/SearchSpace.hpp"
#include "search/Strategy.hpp"
#include "spec/ObjectiveWords.hpp"
#include "toolchain/ToolOptionIndex.hpp"
#include "util/AtomicFile.hpp"
#include "util/Json.hpp"
#include "util/Strings.hpp"
#include "util/Time.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace autopass {

namespace {

void printTuneSummary(const Session &Ses, const TuneOutcome &T) {
  ObjectiveKind Kind = Ses.Spec.Objective.Kind;
  unsigned Faster = 0;
  for (const TuneStep &S : T.Steps)
    Faster += S.Result.ok() && S.Result.CiLo > 1.0;
  std::printf("%s  (strategy %s, objective %s)\n", T.Program.c_str(), T.Strategy.c_str(),
              std::string(objectiveKindName(Kind)).c_str());
  std::printf("  evaluations  %zu (%u significantly %s than -O3, %u rejected)\n",
              T.Steps.size(), Faster, std::string(objectiveBetterWord(Kind)).c_str(), T.Rejected);
  std::printf("  time         %.0f s\n", T.Seconds);
  if (T.Best) {
    const EvaluationResult &C = *T.Confirmed;
    std::printf("  best         %s, confirmed on fresh runs:\n", T.Best->shortHash().c_str());
    std::printf("               %s %s  [%s, %s]  (-O3 %s, tuned %s)\n",
                std::string(objectiveRatioName(Kind)).c_str(), formatFixed(C.Speedup).c_str(), formatFixed(C.CiLo).c_str(), formatFixed(C.CiHi).c_str(),
                formatValue(Kind, C.baselineMedian()).c_str(),
                formatValue(Kind, C.candidateMedian()).c_str());
    std::printf("  config       %s\n", T.BestConfigPath.c_str());
    std::printf("  deploy       %s\n", T.DeployCommand.c_str());
  } else {
    if (T.LayoutRejected > 0)
      std::printf("  result       -O3 is best here: %u confirmed win(s) did not hold under "
                  "perturbed code placement (layout effects, not portable)\n",
                  T.LayoutRejected);
    else
      std::printf("  result       -O3 is best here: no candidate's win held up on fresh runs\n");
  }
  for (const std::string &N : T.Notes)
    std::printf("  note         %s\n", N.c_str());
  std::printf("  details      %s\n", T.ResultJsonPath.c_str());
}

} // namespace

int runTuneCommand(int Argc, char **Argv) {
  cxxopts::Options Options(
      Argv[0],
      "Tune one program: propose configurations with a strategy or agent, build, check and "
      "measure each against -O3 (interleaved), confirm the best on fresh runs.\n"
      "  Usage: autopass-tuner tune SPEC [options]\n"
      "  Only a confirmed win is reported; otherwise the answer is \"-O3 is best here\".");
  addCommonOptions(Options);
  std::string Names = join(strategyNames(), ", ");
  // clang-format off
  Options.add_options("Tune")
    ("strategy", "Who proposes configurations: " + Names + " (expert: the offline expert agent, driven by the evidence; llm: the LLM agents, see --llm-*)", cxxopts::value<std::string>()->default_value("expert"))
    ("budget", "Evaluations (candidate builds and measurements) at most", cxxopts::value<unsigned>()->default_value("30"))
    ("time-budget", "Stop proposing after this many seconds of search, counted after the baseline and evidence (0: no limit)", cxxopts::value<double>()->default_value("0"))
    ("batch", "Configurations proposed per round (built in parallel with --jobs, measured one after another; with --runner slurm at least --nodes, measured side by side)", cxxopts::value<unsigned>()->default_value("2"))
    ("strategy-seed", "Seed of the strategy's random choices", cxxopts::value<uint64_t>()->default_value("1"))
    ("confirm-reps", "Minimum measured pairs when confirming the best (fresh runs)", cxxopts::value<unsigned>()->default_value("10"))
    ("confirm-top", "How many of the best candidates to try to confirm", cxxopts::value<unsigned>()->default_value("3"))
    ("no-layout-check", "Report a confirmed win without re-measuring it under code-placement perturbations (docs/measurement.md)")
    ("profile", "Hot regions from: callgrind (default) or none", cxxopts::value<std::string>()->default_value("callgrind"))
    ("spec", "Program spec (autopass-program/1)", cxxopts::value<std::string>());
  // clang-format on
  addLlmOptions(Options);
  Options.parse_positional({"spec"});
  Options.positional_help("SPEC");
  cxxopts::ParseResult Args;
  if (int Rc = parseOrExit(Options, Argc, Argv, Args); Rc >= 0)
    return Rc;
  if (!Args.count("spec")) {
    std::fprintf(stderr, "%s: expected SPEC\n(see --help)\n", Argv[0]);
    return 2;
  }
  TuneSettings Settings;
  Settings.Strategy = Args["strategy"].as<std::string>();
  Settings.Budget = Args["budget"].as<unsigned>();
  Settings.TimeBudget = Args["time-budget"].as<double>();
  Settings.Batch = std::max(1u, Args["batch"].as<unsigned>());
  Settings.StrategySeed = Args["strategy-seed"].as<uint64_t>();
  Settings.ConfirmReps = Args["confirm-reps"].as<unsigned>();
  Settings.ConfirmTop = std::max(1u, Args["confirm-top"].as<unsigned>());
  Settings.LayoutCheck = !Args.count("no-layout-check");
  auto Mode = parseProfileMode(Args["profile"].as<std::string>());
  if (!Mode) {
    std::fprintf(stderr, "%s: --profile: expected callgrind or none\n", Argv[0]);
    return 2;
  }
  Settings.Profile = *Mode;
  auto Known = strategyNames();
  if (!std::count(Known.begin(), Known.end(), Settings.Strategy)) {
    std::fprintf(stderr, "%s: --strategy: expected one of %s; got \"%s\"\n", Argv[0],
                 Names.c_str(), Settings.Strategy.c_str());
    return 2;
  }

  if (Settings.Strategy == "llm") {
    // Checked before the session opens: a missing model must not cost a
    // baseline build.
    auto Flags = llmFlagsFromOptions(Args);
    if (!Flags) {
      std::fprintf(stderr, "%s: %s\n", Argv[0], Flags.message().c_str());
      return 2;
    }
    auto Llm = resolveLlmSettings(*Flags, processEnv, /*ModelRequired=*/true);
    if (!Llm) {
      std::fprintf(stderr, "%s: %s\n", Argv[0], Llm.message().c_str());
      return 2;
    }
    Settings.Llm = std::move(*Llm);
  }

  auto S = openSession(Args, Args["spec"].as<std::string>(), "tune");
  if (!S) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], S.message().c_str());
    return 1;
  }
  Session &Ses = **S;
  auto Outcome = runTuning(Ses.Spec, Ses.Tools, *Ses.Run, *Ses.Eval, Ses.Plan, *Ses.Prog, Settings);
  Ses.Prog->clear();
  if (!Outcome) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], Outcome.message().c_str());
    return 1;
  }
  printTuneSummary(Ses, *Outcome);
  if (!Ses.JsonOut.empty())
    if (Status W = writeFileAtomically(Ses.JsonOut, Outcome->ResultJson); !W) {
      std::fprintf(stderr, "%s: %s\n", Argv[0], W.message().c_str());
      return 1;
    }
  std::fprintf(stderr, "run directory: %s\n", Ses.Run->path().c_str());
  return 0;
}

} // namespace autopass
