//===- cli/BaselineCommand.cpp - autopass-tuner baseline ------------------===//
//
// Builds -O3, records the reference output, measures the baseline alone
// (the machine's noise on this program) and, unless --no-identity, the
// identity config through the candidate flow: the calibration that shows
// the tuner's own build flow does not shift performance (ratio 1.00).
//
//===----------------------------------------------------------------------===//
#include "cli/Commands.hpp"

#include "cli/CommonOptions.hpp"
#include "cli/ResultTable.hpp"
#include "util/AtomicFile.hpp"
#include "util/Json.hpp"

#include <cstdio>

namespace autopass {

int runBaselineCommand(int Argc, char **Argv) {
  cxxopts::Options Options(
      Argv[0], "Build the -O3 baseline, record its output as the correctness reference, measure "
               "its spread, and compare the identity config (candidate flow, no knobs, no "
               "pipeline, no hints) against it.\n  Usage: autopass-tuner baseline SPEC [options]");
  addCommonOptions(Options);
  // clang-format off
  Options.add_options("Baseline")
    ("runs", "Baseline-only runs for the spread figure", cxxopts::value<unsigned>()->default_value("10"))
    ("no-identity", "Skip the identity-config calibration")
    ("spec", "Program spec (autopass-program/1)", cxxopts::value<std::string>());
  // clang-format on
  Options.parse_positional({"spec"});
  Options.positional_help("SPEC");
  cxxopts::ParseResult Args;
  if (int Rc = parseOrExit(Options, Argc, Argv, Args); Rc >= 0)
    return Rc;
  if (!Args.count("spec")) {
    std::fprintf(stderr, "%s: missing SPEC\n(see --help)\n", Argv[0]);
    return 2;
  }
  auto S = openSession(Args, Args["spec"].as<std::string>(), "baseline",
                       /*TimeIdentical=*/true);
  if (!S) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], S.message().c_str());
    return 1;
  }
  Session &Ses = **S;
  ObjectiveKind Kind = Ses.Spec.Objective.Kind;

  auto Base = Ses.Eval->prepareBaseline();
  if (!Base) {
    Ses.Prog->clear();
    std::fprintf(stderr, "%s: %s\n", Argv[0], Base.message().c_str());
    return 1;
  }
  auto Series = Ses.Eval->sampleBaseline(Args["runs"].as<unsigned>());
  if (!Series) {
    Ses.Prog->clear();
    std::fprintf(stderr, "%s: %s\n", Argv[0], Series.message().c_str());
    return 1;
  }
  std::optional<EvaluationResult> Identity;
  if (!Args.count("no-identity"))
    Identity = Ses.Eval->evaluate(CandidateConfig{});
  Ses.Prog->clear();

  std::printf("%s  (objective %s; build %.1f s%s; %llu bytes of code)\n", Ses.Spec.Name.c_str(),
              std::string(objectiveKindName(Kind)).c_str(), Base->Build.Seconds,
              Base->Build.Cached ? " cached" : "", static_cast<unsigned long long>(Base->TextBytes));
  printBaselineSeries(Kind, *Series, Ses.Spec.Objective.Kind == ObjectiveKind::Size ? 0 : Ses.Plan.Warmups);
  if (Series->RelMad > Ses.Plan.NoiseWarning)
    std::printf("  warning: the baseline's spread (MAD +/-%.1f%%) is high; results on this "
                "machine will need many repetitions\n",
                Series->RelMad * 100);
  if (Identity) {
    std::printf("identity config (candidate flow) vs -O3:\n");
    printEvaluation("identity", Kind, *Identity);
  }

  JsonOut J;
  J.beginObject()
      .field("schema", "autopass-baseline-result/1")
      .field("spec", Ses.Spec.SpecPath)
      .field("name", Ses.Spec.Name)
      .field("objective", std::string(objectiveKindName(Kind)))
      .field("run_dir", Ses.Run->path());
  J.key("build").beginObject()
      .field("binary", Base->Build.BinaryPath)
      .field("binary_hash", Base->Build.BinaryHash)
      .field("seconds", Base->Build.Seconds)
      .field("text_bytes", Base->TextBytes);
  J.key("commands").values(Base->Build.Commands);
  J.endObject();
  J.key("reference").beginObject()
      .field("exit_code", Base->Reference.ExitCode)
      .field("seconds", Base->ReferenceSeconds)
      .endObject();
  J.key("series").beginObject();
  J.key("samples").values(Series->Samples);
  J.field("median", Series->Median).field("rel_mad", Series->RelMad).field("rel_range", Series->RelRange);
  J.endObject();
  J.key("identity");
  if (Identity)
    J.raw(Identity->toJson());
  else
    J.null();
  J.endObject();
  std::string Text = prettyJson(J.str());
  auto Written = Ses.Run->writeResult("baseline.json", Text);
  if (!Written) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], Written.message().c_str());
    return 1;
  }
  if (!Ses.JsonOut.empty())
    if (Status W = writeFileAtomically(Ses.JsonOut, Text); !W) {
      std::fprintf(stderr, "%s: %s\n", Argv[0], W.message().c_str());
      return 1;
    }
  std::fprintf(stderr, "result: %s\n", Written->c_str());
  return 0;
}

} // namespace autopass
