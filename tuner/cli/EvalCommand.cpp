//===- cli/EvalCommand.cpp - autopass-tuner eval --------------------------===//
//
// Builds one config, checks its output against the -O3 reference and
// measures it interleaved with the baseline. Exit code 3 when the candidate
// is rejected (build failure, wrong output, crash, timeout, invalid).
//
//===----------------------------------------------------------------------===//
#include "cli/Commands.hpp"

#include "cli/CommonOptions.hpp"
#include "cli/ResultTable.hpp"
#include "util/AtomicFile.hpp"
#include "util/Json.hpp"

#include <cstdio>

namespace autopass {

int runEvalCommand(int Argc, char **Argv) {
  cxxopts::Options Options(
      Argv[0], "Build one configuration (autopass-config/1), check its output against the -O3 "
               "reference and measure it against -O3, interleaved.\n"
               "  Usage: autopass-tuner eval SPEC CONFIG [options]\n"
               "  Exit code: 0 measured, 1 error, 2 usage, 3 candidate rejected.");
  addCommonOptions(Options);
  // clang-format off
  Options.add_options("Eval")
    ("confirm", "Measure afresh even if this config was evaluated before in the run (a confirmation run)")
    ("spec", "Program spec (autopass-program/1)", cxxopts::value<std::string>())
    ("config", "Configuration (autopass-config/1)", cxxopts::value<std::string>());
  // clang-format on
  Options.parse_positional({"spec", "config"});
  Options.positional_help("SPEC CONFIG");
  cxxopts::ParseResult Args;
  if (int Rc = parseOrExit(Options, Argc, Argv, Args); Rc >= 0)
    return Rc;
  if (!Args.count("spec") || !Args.count("config")) {
    std::fprintf(stderr, "%s: expected SPEC and CONFIG\n(see --help)\n", Argv[0]);
    return 2;
  }
  // A bad config is reported before anything is built.
  auto Config = loadAllowedConfig(Args["config"].as<std::string>());
  if (!Config) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], Config.message().c_str());
    return 1;
  }
  auto S = openSession(Args, Args["spec"].as<std::string>(), "eval");
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
  EvaluationResult R = Args.count("confirm") ? Ses.Eval->confirm(*Config, Ses.Plan)
                                             : Ses.Eval->evaluate(*Config);
  Ses.Prog->clear();
  // The machine failed, not the config: no verdict, --resume retries it.
  if (Status H = Ses.Eval->health(); !H) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], H.message().c_str());
    return 1;
  }

  // A hint that matched nothing changes nothing: "ok" alone would hide it.
  for (const std::string &W : R.BuildWarnings)
    std::fprintf(stderr, "warning: %s: %s\n", Args["config"].as<std::string>().c_str(),
                 W.c_str());
  std::printf("%s  (objective %s)\n", Ses.Spec.Name.c_str(),
              std::string(objectiveKindName(Kind)).c_str());
  printEvaluation(Config->shortHash(), Kind, R);

  JsonOut J;
  J.beginObject()
      .field("schema", "autopass-eval-result/1")
      .field("spec", Ses.Spec.SpecPath)
      .field("name", Ses.Spec.Name)
      .field("config", Args["config"].as<std::string>())
      .field("run_dir", Ses.Run->path())
      .key("result")
      .raw(R.toJson())
      .endObject();
  std::string Text = prettyJson(J.str());
  auto Written = Ses.Run->writeResult("eval-" + Config->shortHash() + ".json", Text);
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
  return R.ok() ? 0 : 3;
}

} // namespace autopass
