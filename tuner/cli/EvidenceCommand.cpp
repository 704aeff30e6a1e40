//===- cli/EvidenceCommand.cpp - autopass-tuner evidence ------------------===//
//
//   autopass-tuner evidence SPEC [CONFIG] [--run-dir DIR] [--json OUT]
//                  [--max-bytes N] [--profile none|callgrind]
//                  [--profile-timeout S] [--llvm-bindir DIR] [--quiet]
//
// Collects the evidence for one program (plain -O3, or one configuration)
// and prints the digest the agents read, so a user sees what the tuner sees:
// where the time goes, what the optimizer did there and why it refused.
// The files and the commands that made them stay in
// RUN_DIR/evidence/<config hash>/; a second call reuses every step whose
// inputs did not change.
//
//===----------------------------------------------------------------------===//
#include "cli/Commands.hpp"
#include "cli/CommonOptions.hpp"

#include "config/CandidateConfig.hpp"
#include "evidence/EvidenceCollector.hpp"
#include "spec/ProgramSpec.hpp"
#include "toolchain/CrossToolchain.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Progress.hpp"

#include <cstdio>
#include <cxxopts.hpp>

namespace autopass {

namespace {

constexpr size_t DefaultMaxBytes = 8000;

int fail(const std::string &Message) {
  std::fprintf(stderr, "autopass-tuner evidence: %s\n", Message.c_str());
  return 1;
}

} // namespace

int runEvidenceCommand(int Argc, char **Argv) {
  cxxopts::Options Options(Argv[0],
                           "Collects and prints the evidence digest of a program: its hot "
                           "functions and loops (callgrind profile of a -g build), their "
                           "features (autopass-features), the optimizer's remarks about them and "
                           "the passes that changed them (autopass-introspect), for plain -O3 or "
                           "for CONFIG. The text goes to stdout, the autopass-digest/1 JSON to "
                           "RUN_DIR/evidence/<config hash>/digest.json (and --json). "
                           "docs/evidence.md explains how to read it.");
  Options.positional_help("SPEC [CONFIG]");
  // clang-format off
  Options.add_options()
    ("spec", "Program spec (autopass-program/1)", cxxopts::value<std::string>())
    ("config", "Configuration (autopass-config/1); default: plain -O3", cxxopts::value<std::string>())
    ("run-dir", "Directory for the evidence files (RUN_DIR/evidence/<config hash>/); a tuning "
                "run's directory reuses its evidence (default: ./autopass-runs/NAME-evidence)",
                cxxopts::value<std::string>(), "DIR")
    ("json", "Also write the digest JSON to this file", cxxopts::value<std::string>(), "FILE")
    ("max-bytes", "Bound of the printed text, in bytes (the agents get a similar bound)",
                  cxxopts::value<size_t>()->default_value(std::to_string(DefaultMaxBytes)), "N")
    ("profile", "How to find the hot regions: callgrind (a -g build run under valgrind, "
                "~50x slower than native) or none (regions ranked by size)",
                cxxopts::value<std::string>()->default_value("callgrind"), "MODE")
    ("profile-timeout", "Time limit of the callgrind run in seconds (default: 100 x the spec's "
                        "run.timeout_s); on timeout the digest has no profile",
                        cxxopts::value<double>(), "SECONDS")
    ("llvm-bindir", "Directory of clang, opt, llc (default: $AUTOPASS_LLVM_BINDIR, else the "
                    "build's LLVM)", cxxopts::value<std::string>(), "DIR")
    ("quiet", "No progress lines on stderr")
    ("h,help", "Show this help");
  // clang-format on
  addTargetOptions(Options);
  Options.parse_positional({"spec", "config"});
  cxxopts::ParseResult Args;
  if (int Code = parseOrExit(Options, Argc, Argv, Args); Code >= 0)
    return Code;
  if (!Args.count("spec")) {
    std::fprintf(stderr, "%s: missing SPEC\n(see --help)\n", Argv[0]);
    return 2;
  }

  EvidenceOptions Opts;
  std::string ProfileText = Args["profile"].as<std::string>();
  auto Mode = parseProfileMode(ProfileText);
  if (!Mode) {
    std::fprintf(stderr, "%s: --profile: expected none or callgrind; got \"%s\"\n", Argv[0],
                 ProfileText.c_str());
    return 2;
  }
  Opts.Profile = *Mode;
  if (Args.count("profile-timeout")) {
    Opts.ProfileTimeoutSeconds = Args["profile-timeout"].as<double>();
    if (!(Opts.ProfileTimeoutSeconds > 0)) {
      std::fprintf(stderr, "%s: --profile-timeout: expected a positive number of seconds\n",
                   Argv[0]);
      return 2;
    }
  }
  size_t MaxBytes = Args["max-bytes"].as<size_t>();

  auto Spec = ProgramSpec::load(Args["spec"].as<std::string>());
  if (!Spec)
    return fail(Spec.message());
  if (Status S = applyTargetOptions(Args, *Spec); !S)
    return fail(S.message());
  std::optional<CandidateConfig> Config;
  if (Args.count("config")) {
    auto C = loadAllowedConfig(Args["config"].as<std::string>());
    if (!C)
      return fail(C.message());
    Config = std::move(*C);
  }
  auto Tools =
      Toolchain::locate(Args.count("llvm-bindir") ? Args["llvm-bindir"].as<std::string>() : "");
  if (!Tools)
    return fail(Tools.message());
  if (Status S = checkCrossToolchain(*Spec, *Tools); !S)
    return fail(S.message());

  bool Quiet = Args.count("quiet") != 0;
  Progress Prog(Quiet);
  Opts.Prog = &Prog;
  std::string RunDir = Args.count("run-dir") ? Args["run-dir"].as<std::string>()
                                             : joinPath("autopass-runs", Spec->Name + "-evidence");
  const CandidateConfig *ConfigPtr = Config ? &*Config : nullptr;
  std::string Work = EvidenceCollector::defaultWorkDir(RunDir, ConfigPtr);
  EvidenceCollector Collector(*Spec, *Tools, Work, Opts);
  auto E = Collector.collect(ConfigPtr);
  if (!E)
    return fail(E.message());

  std::string Json = E->Digest.toJson(true);
  std::string JsonPath = joinPath(E->WorkDir, "digest.json");
  if (Status S = writeFileAtomically(JsonPath, Json); !S)
    return fail(S.message());
  if (Args.count("json"))
    if (Status S = writeFileAtomically(Args["json"].as<std::string>(), Json); !S)
      return fail(S.message());

  std::string Text = E->Digest.toText(MaxBytes);
  if (!Text.empty() && Text.back() != '\n')
    Text += '\n';
  std::fwrite(Text.data(), 1, Text.size(), stdout);
  std::fflush(stdout);

  size_t Cached = 0;
  for (const EvidenceStep &S : E->Steps)
    Cached += S.Cached;
  if (!Quiet)
    std::fprintf(stderr,
                 "evidence: %zu steps (%zu reused) in %.1f s; files in %s, commands in "
                 "commands.sh, JSON in %s\n",
                 E->Steps.size(), Cached, E->Seconds, E->WorkDir.c_str(),
                 Args.count("json") ? Args["json"].as<std::string>().c_str() : JsonPath.c_str());
  return 0;
}

} // namespace autopass
