//===- cli/PgoCommand.cpp - autopass-tuner pgo ----------------------------===//
//
// Compares clang IR PGO with -O3, and, given a tuned config, the config
// alone and the config with PGO on top. Every build is checked against the
// -O3 reference output and measured interleaved with the -O3 baseline by
// the Evaluator, like any candidate. Exit code 3 when a build is rejected.
//
//===----------------------------------------------------------------------===//
#include "cli/Commands.hpp"

#include "cli/CommonOptions.hpp"
#include "toolchain/PgoBuilder.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Json.hpp"

#include <cstdio>
#include <optional>

namespace autopass {

namespace {

/// One line of the comparison table.
struct PgoRow {
  std::string Name;
  std::string Key; // JSON key
  std::optional<EvaluationResult> Result;
  std::vector<std::string> Commands;
  std::string BuildLog; // compiler warnings of a successful build
  std::string Skipped;  // why the row was not built, when it was not
};

void printRow(const PgoRow &Row) {
  if (!Row.Skipped.empty()) {
    std::printf("  %-22s %-28s %s\n", Row.Name.c_str(), "not built", Row.Skipped.c_str());
    return;
  }
  const EvaluationResult &R = *Row.Result;
  if (!R.ok()) {
    std::printf("  %-22s %-28s %s\n", Row.Name.c_str(),
                ("rejected: " + std::string(evalStatusName(R.Status))).c_str(),
                R.Reason.substr(0, 300).c_str());
    return;
  }
  char Figure[64];
  std::snprintf(Figure, sizeof(Figure), "%.3f [%.3f, %.3f]", R.Speedup, R.CiLo, R.CiHi);
  std::string Note = std::string(verdictName(R.Decision));
  if (R.SameBinaryAsBaseline)
    Note += ", binary identical to -O3";
  std::printf("  %-22s %-28s %s\n", Row.Name.c_str(), Figure, Note.c_str());
  if (!R.Warning.empty())
    std::printf("  %-22s   note: %s\n", "", R.Warning.c_str());
  if (!Row.BuildLog.empty())
    std::printf("  %-22s   note: the compiler warned (build_log in pgo-result.json)\n", "");
}

std::string rowJson(const PgoRow &Row) {
  JsonOut J;
  J.beginObject().field("name", Row.Name);
  if (!Row.Skipped.empty()) {
    J.field("built", false).field("skipped", Row.Skipped).endObject();
    return J.str();
  }
  J.field("built", true);
  J.key("commands").values(Row.Commands);
  J.field("build_log", Row.BuildLog);
  J.key("result").raw(Row.Result->toJson()).endObject();
  return J.str();
}

} // namespace

int runPgoCommand(int Argc, char **Argv) {
  cxxopts::Options Options(
      Argv[0],
      "Compare clang IR profile-guided optimization with -O3, and a tuned configuration "
      "with PGO on top.\n"
      "  Usage: autopass-tuner pgo SPEC [CONFIG | --from-run TUNE_RUN_DIR] [options]\n"
      "\n"
      "  1. -O3 baseline and its reference output (as in eval).\n"
      "  2. Instrumented build: clang -O3 -fprofile-generate per unit and at the link.\n"
      "  3. Training: the program runs as the spec says (args, stdin, env) with\n"
      "     LLVM_PROFILE_FILE=RUN_DIR/pgo/profile/raw/%p.profraw; --training-runs times.\n"
      "  4. llvm-profdata merge -o RUN_DIR/pgo/profile/merged.profdata.\n"
      "  5. PGO build: clang -O3 -fprofile-use=merged.profdata; checked against the -O3\n"
      "     reference and measured against -O3, interleaved.\n"
      "  With a config (CONFIG, or TUNE_RUN_DIR/results/best-config.json):\n"
      "  6. the config alone, built by the tuner's candidate flow, measured afresh;\n"
      "  7. the config with PGO: clang -O3 -fprofile-use ... -mllvm KNOB=V per knob, and\n"
      "     -fpass-plugin with AUTOPASS_CONFIG for region hints (configs with a pipeline\n"
      "     are reported as not supported).\n"
      "  The training input is the measured input (a spec has one), so the PGO figures\n"
      "  are optimistic: see docs/pgo.md.\n"
      "  Result: a table on stdout, RUN_DIR/results/pgo-result.json\n"
      "  (schema autopass-pgo-result/1).\n"
      "  Exit code: 0 all measured, 1 error, 2 usage, 3 a build was rejected.");
  addCommonOptions(Options);
  // clang-format off
  Options.add_options("PGO")
    ("from-run", "Take the config from a tune run directory (RUN/results/best-config.json)", cxxopts::value<std::string>())
    ("training-runs", "Training runs of the instrumented binary (profiles are merged)", cxxopts::value<unsigned>()->default_value("1"))
    ("spec", "Program spec (autopass-program/1)", cxxopts::value<std::string>())
    ("config", "Tuned configuration (autopass-config/1)", cxxopts::value<std::string>());
  // clang-format on
  Options.parse_positional({"spec", "config"});
  Options.positional_help("SPEC [CONFIG]");
  cxxopts::ParseResult Args;
  if (int Rc = parseOrExit(Options, Argc, Argv, Args); Rc >= 0)
    return Rc;
  if (!Args.count("spec")) {
    std::fprintf(stderr, "%s: expected SPEC\n(see --help)\n", Argv[0]);
    return 2;
  }
  if (Args.count("config") && Args.count("from-run")) {
    std::fprintf(stderr, "%s: give CONFIG or --from-run, not both\n(see --help)\n", Argv[0]);
    return 2;
  }
  std::string ConfigPath;
  if (Args.count("config"))
    ConfigPath = Args["config"].as<std::string>();
  else if (Args.count("from-run"))
    ConfigPath = joinPath(joinPath(Args["from-run"].as<std::string>(), "results"),
                          "best-config.json");
  std::optional<CandidateConfig> Config;
  if (!ConfigPath.empty()) {
    auto C = loadAllowedConfig(ConfigPath);
    if (!C) {
      std::fprintf(stderr, "%s: %s%s\n", Argv[0], C.message().c_str(),
                   Args.count("from-run") ? " (--from-run expects a tune run directory)" : "");
      return 1;
    }
    Config = std::move(*C);
  }

  auto S = openSession(Args, Args["spec"].as<std::string>(), "pgo");
  if (!S) {
    std::fprintf(stderr, "%s: %s\n", Argv[0], S.message().c_str());
    return 1;
  }
  Session &Ses = **S;
  auto fail = [&](const std::string &Message) {
    Ses.Prog->clear();
    std::fprintf(stderr, "%s: %s\n", Argv[0], Message.c_str());
    return 1;
  };
  if (Ses.Spec.isProject())
    return fail(Ses.Spec.SpecPath + ": pgo builds from a spec's source list; a spec with a "
                                    "`build` section (the project's own build) is not supported "
                                    "by pgo yet");
  auto Base = Ses.Eval->prepareBaseline();
  if (!Base)
    return fail(Base.message());

  PgoBuilder Pgo(Ses.Spec, Ses.Tools, joinPath(Ses.Run->path(), "pgo"));
  Ses.Prog->update("[" + Ses.Spec.Name + "] PGO: instrumented build and training");
  auto Profile = Pgo.train(Args["training-runs"].as<unsigned>());
  if (!Profile)
    return fail(Profile.message());

  std::vector<PgoRow> Rows;
  {
    PgoRow Row{"PGO", "pgo", std::nullopt, {}, "", ""};
    Ses.Prog->update("[" + Ses.Spec.Name + "] PGO: optimized build");
    BuildResult B = Pgo.buildOptimized(*Profile, "pgo");
    Row.Commands = B.Commands;
    Row.BuildLog = B.ok() ? B.Log : "";
    Row.Result = Ses.Eval->evaluateBinary(B, "pgo", Ses.Plan);
    Rows.push_back(std::move(Row));
  }
  if (Config) {
    PgoRow Tuned{"tuned " + Config->shortHash(), "tuned", std::nullopt, {}, "", ""};
    Tuned.Result = Ses.Eval->confirm(*Config, Ses.Plan);
    Rows.push_back(std::move(Tuned));

    PgoRow Both{"tuned + PGO", "tuned_pgo", std::nullopt, {}, "", ""};
    if (std::string Why = PgoBuilder::unsupportedReason(*Config); !Why.empty()) {
      Both.Skipped = Why;
    } else {
      Ses.Prog->update("[" + Ses.Spec.Name + "] PGO: tuned config with PGO");
      BuildResult B = Pgo.buildOptimized(*Profile, "tuned-pgo", &*Config);
      Both.Commands = B.Commands;
      Both.BuildLog = B.ok() ? B.Log : "";
      Both.Result = Ses.Eval->evaluateBinary(B, "tuned+pgo-" + Config->shortHash(), Ses.Plan);
    }
    Rows.push_back(std::move(Both));
  }
  Ses.Prog->clear();

  ObjectiveKind Kind = Ses.Spec.Objective.Kind;
  std::printf("%s  (objective %s; speedup over -O3, > 1 is better, 95%% interval)\n",
              Ses.Spec.Name.c_str(), std::string(objectiveKindName(Kind)).c_str());
  std::printf("  %-22s %-28s %s\n", "-O3", "1.000", "baseline");
  for (const auto &Row : Rows)
    printRow(Row);
  std::printf("  PGO trained on the measured input: optimistic (docs/pgo.md)\n");

  bool AllOk = true;
  JsonOut J;
  J.beginObject()
      .field("schema", "autopass-pgo-result/1")
      .field("spec", Ses.Spec.SpecPath)
      .field("name", Ses.Spec.Name)
      .field("run_dir", Ses.Run->path())
      .field("objective", std::string(objectiveKindName(Kind)));
  J.key("config");
  if (Config)
    J.value(absolutePath(ConfigPath));
  else
    J.null();
  J.key("training").beginObject()
      .field("runs", static_cast<int64_t>(std::max(1u, Args["training-runs"].as<unsigned>())))
      .field("profdata", Profile->ProfdataPath)
      .field("seconds", Profile->Seconds);
  J.key("raw_profiles").values(Profile->RawProfiles);
  std::vector<std::string> TrainCommands = Profile->Instrumented.Commands;
  TrainCommands.insert(TrainCommands.end(), Profile->Commands.begin(), Profile->Commands.end());
  J.key("commands").values(TrainCommands);
  J.endObject();
  J.key("results").beginObject();
  for (const auto &Row : Rows) {
    J.key(Row.Key).raw(rowJson(Row));
    if (Row.Result && !Row.Result->ok())
      AllOk = false;
  }
  J.endObject().endObject();
  std::string Text = prettyJson(J.str());
  auto Written = Ses.Run->writeResult("pgo-result.json", Text);
  if (!Written)
    return fail(Written.message());
  if (!Ses.JsonOut.empty())
    if (Status W = writeFileAtomically(Ses.JsonOut, Text); !W)
      return fail(W.message());
  std::fprintf(stderr, "result: %s\n", Written->c_str());
  return AllOk ? 0 : 3;
}

} // namespace autopass
