// Unit tests for autopass-cc's pure parts (tuner/cc/): command-line
// classification, per-unit hint outcomes and the link-time verdict, the
// deployment snippets of `autopass-tuner emit` and how emit finds a
// configuration. The end-to-end builds are tests/cc/*.sh.
#include "cc/CcDriver.hpp"
#include "cc/CompilerCommand.hpp"
#include "cc/Deployment.hpp"
#include "cc/UnitCompiler.hpp"
#include "cc/UnitReport.hpp"
#include "util/FileSystem.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {

CandidateConfig config(const std::string &Json) {
  auto C = CandidateConfig::parse(Json, "test.json");
  REQUIRE(C.ok());
  return *C;
}

const char *HintsJson = R"({"schema":"autopass-config/1",
  "knobs":{"unroll-threshold":600},
  "hints":{"loops":{"scale:L0":{"unroll":2},"scale:L5":{"unroll":2}},
           "functions":{"helper":{"inline":"never"},"nosuch":{"inline":"never"}},
           "calls":[{"caller":"main","callee":"helper","index":1,"inline":"always"}]}})";

UnitReport unit(const std::string &Source, std::vector<UnmatchedHint> Unmatched,
                const CandidateConfig &C) {
  UnitReport R;
  R.ConfigHash = C.contentHash();
  R.Source = Source;
  R.Route = "plugin";
  R.Unmatched = std::move(Unmatched);
  completeMatched(C, R);
  return R;
}

} // namespace

TEST_CASE("compile commands are classified and their parts found", "[cc]") {
  CompilerCommand C =
      parseCompilerCommand({"-O3", "-DNDEBUG", "-I", "inc.c", "--autopass-config=best.json", "-MD",
                            "-MT", "k.o", "-MF", "k.d", "-o", "k.o", "-c", "src/kernel.c"});
  CHECK(C.Mode == CompilerMode::Compile);
  CHECK(C.ConfigPath == "best.json");
  REQUIRE(C.Sources.size() == 1); // "inc.c" is -I's value, not a source
  CHECK(C.Sources[0].Path == "src/kernel.c");
  CHECK(C.Output == "k.o");
  CHECK(C.OptLevel == "3");
  CHECK(C.optimizes());
  CHECK(C.DependencyFile);
  CHECK(C.DependencyTarget);
  CHECK(C.DependencyArgs.size() == 5);
  // --autopass-config is not passed on.
  REQUIRE_FALSE(C.Args.empty());
  for (const std::string &A : C.Args)
    CHECK(A.find("autopass-config") == std::string::npos);
}

TEST_CASE("optimization levels: the last -O wins, only O2/O3/Ofast optimize", "[cc]") {
  CHECK(parseCompilerCommand({"-O3", "-O0", "-c", "a.c"}).OptLevel == "0");
  CHECK_FALSE(parseCompilerCommand({"-O3", "-O0", "-c", "a.c"}).optimizes());
  CHECK(parseCompilerCommand({"-O", "-c", "a.c"}).OptLevel == "1");
  CHECK(parseCompilerCommand({"-Ofast", "-c", "a.c"}).optimizes());
  CHECK(parseCompilerCommand({"-O2", "-c", "a.c"}).optimizes());
  CHECK_FALSE(parseCompilerCommand({"-Os", "-c", "a.c"}).optimizes());
  CHECK_FALSE(parseCompilerCommand({"-c", "a.c"}).optimizes());
}

TEST_CASE("link, preprocess and query commands are told apart", "[cc]") {
  CompilerCommand L = parseCompilerCommand({"-O3", "a.o", "b.o", "libx.a", "-lm", "-o", "app"});
  CHECK(L.Mode == CompilerMode::Link);
  CHECK(L.Objects.size() == 2);
  REQUIRE(L.OtherInputs.size() == 1);
  CHECK(L.OtherInputs[0].Path == "libx.a");
  CHECK(L.Output == "app");

  CHECK(parseCompilerCommand({"-E", "a.c"}).Mode == CompilerMode::NoCodegen);
  CHECK(parseCompilerCommand({"-M", "a.c"}).Mode == CompilerMode::NoCodegen);
  CHECK(parseCompilerCommand({"--version"}).Mode == CompilerMode::NoCodegen);
  CHECK(parseCompilerCommand({"-v"}).Mode == CompilerMode::NoCodegen);
  CHECK(parseCompilerCommand({"-fsyntax-only", "a.c"}).Mode == CompilerMode::NoCodegen);
  // -MD writes dependencies while compiling: still a compile.
  CHECK(parseCompilerCommand({"-MD", "-c", "a.c"}).Mode == CompilerMode::Compile);
}

TEST_CASE("-x decides the language of the inputs after it", "[cc]") {
  CompilerCommand C = parseCompilerCommand({"-x", "c++", "kernel.inc", "-x", "none", "b.c", "-c"});
  REQUIRE(C.Sources.size() == 2);
  CHECK(C.Sources[0].Language == "c++");
  CHECK(C.anyCxx());
  CHECK(C.LanguageArgs.size() == 4);
  CHECK(parseCompilerCommand({"-c", "a.cpp"}).anyCxx());
  CHECK_FALSE(parseCompilerCommand({"-c", "a.c"}).anyCxx());
  // A header is not a translation unit here.
  CHECK(parseCompilerCommand({"-c", "a.h"}).Sources.empty());
}

TEST_CASE("one unit's arguments leave out the other sources and the output", "[cc]") {
  CompilerCommand C = parseCompilerCommand({"-O3", "-c", "a.c", "b.c", "-Wall"});
  std::vector<std::string> A = unitArguments(C, 1, "b.o");
  CHECK(A == std::vector<std::string>{"-O3", "-c", "b.c", "-Wall", "-o", "b.o"});
  CompilerCommand J = parseCompilerCommand({"-O3", "-c", "a.c", "-ok.o"});
  CHECK(J.Output == "k.o");
  CHECK(unitArguments(J, 0, "x.o") == std::vector<std::string>{"-O3", "-c", "a.c", "-o", "x.o"});
  CHECK(defaultOutputFor("dir/kernel.c", false, false) == "kernel.o");
  CHECK(defaultOutputFor("kernel.cpp", true, false) == "kernel.s");
  CHECK(defaultOutputFor("kernel.c", true, true) == "kernel.ll");
}

TEST_CASE("the route follows the configuration's layers", "[cc]") {
  CHECK(routeFor(config(R"({"schema":"autopass-config/1","knobs":{"unroll-threshold":600}})"),
                 false) == UnitRoute::Knobs);
  CHECK(routeFor(config(HintsJson), false) == UnitRoute::Plugin);
  CHECK(routeFor(config(HintsJson), true) == UnitRoute::Opt);
  CHECK(routeFor(config(R"({"schema":"autopass-config/1","pipeline":"default<O2>"})"), false) ==
        UnitRoute::Opt);
}

TEST_CASE("a launcher's first argument is the compiler, not an input", "[cc]") {
  CHECK(looksLikeCompiler("/bin/sh"));
  CHECK(looksLikeCompiler("sh")); // through PATH
  CHECK_FALSE(looksLikeCompiler("-O3"));
  CHECK_FALSE(looksLikeCompiler("main.c"));
  CHECK_FALSE(looksLikeCompiler("/tmp")); // a directory
  CHECK_FALSE(looksLikeCompiler("no-such-program-autopass"));
}

TEST_CASE("the plugin's unmatched-hint warnings are taken out of stderr", "[cc]") {
  std::string Err = "kernel.c:3:1: warning: something else\n"
                    "autopass: warning: /c/best.json: loop hint 'scale:L5' matched nothing: "
                    "function 'scale' has 1 loop(s)\n"
                    "autopass: warning: /c/best.json: call hint 'main->helper#1' matched "
                    "nothing: 'main' has 1 direct call(s) to 'helper'\n"
                    "autopass: warning: /other.json: function hint 'f' matched nothing: x\n"
                    "1 warning generated.\n";
  SplitDiagnostics D = splitHintWarnings(Err, "/c/best.json");
  REQUIRE(D.Unmatched.size() == 2);
  CHECK(D.Unmatched[0].Hint == HintName{"loop", "scale:L5"});
  CHECK(D.Unmatched[0].Reason == "function 'scale' has 1 loop(s)");
  CHECK(D.Unmatched[1].Hint == HintName{"call", "main->helper#1"});
  // Other configurations' warnings and everything else stay, in order.
  CHECK(D.Rest == "kernel.c:3:1: warning: something else\n"
                  "autopass: warning: /other.json: function hint 'f' matched nothing: x\n"
                  "1 warning generated.\n");
}

TEST_CASE("at link, only hints that matched in no unit are reported", "[cc]") {
  CandidateConfig C = config(HintsJson);
  std::string NotDefined = "function is not defined in this module";
  UnitReport Kernel =
      unit("/p/kernel.c",
           {{{"loop", "scale:L5"}, "function 'scale' has 1 loop(s)"},
            {{"function", "helper"}, NotDefined},
            {{"function", "nosuch"}, NotDefined},
            {{"call", "main->helper#1"}, "caller 'main' is not defined in this module"}},
           C);
  UnitReport Main = unit("/p/main.c",
                         {{{"loop", "scale:L0"}, "function 'scale' is not defined in this module"},
                          {{"loop", "scale:L5"}, "function 'scale' is not defined in this module"},
                          {{"function", "nosuch"}, NotDefined}},
                         C);
  auto Messages = unmatchedAtLink(C, "/c/best.json", {Main, Kernel}, {}, "app");
  REQUIRE(Messages.size() == 2);
  CHECK(Messages[0] ==
        "autopass-cc: warning: /c/best.json: loop hint 'scale:L5' matched nothing "
        "in the 2 unit(s) linked into app: kernel.c: function 'scale' has 1 loop(s)");
  CHECK(Messages[1] == "autopass-cc: warning: /c/best.json: function hint 'nosuch' matched nothing "
                       "in the 2 unit(s) linked into app: no unit defines function 'nosuch'");

  // Inputs whose outcome is unknown are named: the hint may be there.
  auto WithArchive = unmatchedAtLink(C, "/c/best.json", {Main, Kernel}, {"libx.a"}, "app");
  REQUIRE(WithArchive.size() == 2);
  CHECK(WithArchive[1].find("not known for 1 input(s)") != std::string::npos);
  CHECK(WithArchive[1].find("libx.a") != std::string::npos);

  // Nothing compiled with this configuration: nothing to say.
  CHECK(unmatchedAtLink(C, "/c/best.json", {}, {"a.o"}, "app").empty());
}

TEST_CASE("unit reports round-trip and are checked on read", "[cc]") {
  CandidateConfig C = config(HintsJson);
  UnitReport R = unit("/p/kernel.c", {{{"function", "nosuch"}, "not here"}}, C);
  R.ConfigPath = "/c/best.json";
  auto Back = UnitReport::parse(R.toJson(), "k.o.autopass.json");
  REQUIRE(Back.ok());
  CHECK(Back->ConfigHash == C.contentHash());
  CHECK(Back->Matched == R.Matched);
  REQUIRE(Back->Unmatched.size() == 1);
  CHECK(Back->Unmatched[0].Reason == "not here");
  CHECK(R.Matched.size() == hintNames(C).size() - 1);

  auto Bad = UnitReport::parse(R"({"schema":"autopass-cc-unit/9"})", "x.autopass.json");
  REQUIRE_FALSE(Bad.ok());
  CHECK(Bad.message().find("x.autopass.json") != std::string::npos);
  CHECK(Bad.message().find("schema") != std::string::npos);
}

TEST_CASE("the plugin's hints report gives the unit's outcome", "[cc]") {
  test::TempDir T{"autopass-cc-test-"};
  std::string Path = joinPath(T.Path, "report.json");
  REQUIRE(writeFile(Path, R"({"schema":"autopass-hints-report/1","config":"c.json","module":"k.c",
    "applied":[{"kind":"loop","name":"scale:L0","line":null,"set":["llvm.loop.unroll.count=2"]},
               {"kind":"call","caller":"main","callee":"helper","index":1,"calls":1,"set":["alwaysinline"]}],
    "unmatched":[{"kind":"function","name":"nosuch","reason":"function is not defined in this module"}]})")
              .ok());
  UnitReport R;
  REQUIRE(readHintsReport(Path, R).ok());
  REQUIRE(R.Matched.size() == 2);
  CHECK(R.Matched[1] == HintName{"call", "main->helper#1"});
  REQUIRE(R.Unmatched.size() == 1);
  CHECK(R.Unmatched[0].Hint == HintName{"function", "nosuch"});
}

TEST_CASE("emit renders clang flags, CMake and Make snippets", "[cc][emit]") {
  auto Catalog = KnobCatalog::loadDefault();
  REQUIRE(Catalog.ok());
  DeploymentTools Tools{"/opt/ap/lib/autopass/libAutoPassPlugin.so", "/opt/ap/bin/autopass-cc",
                        "/usr/lib/llvm-19/bin"};
  ResolvedConfig Src{"/runs/best-config.json", "a configuration file"};
  CandidateConfig Hints = config(HintsJson);

  auto Flags = renderDeployment(Hints, Src, *Catalog, Tools, EmitFormat::Clang, true);
  REQUIRE(Flags.ok());
  CHECK(*Flags == "-O3 -fpass-plugin=/opt/ap/lib/autopass/libAutoPassPlugin.so -mllvm "
                  "-unroll-threshold=600\n");
  auto Shell = renderDeployment(Hints, Src, *Catalog, Tools, EmitFormat::Clang, false);
  REQUIRE(Shell.ok());
  CHECK(Shell->find("export AUTOPASS_CONFIG=/runs/best-config.json\n") != std::string::npos);

  auto CMake = renderDeployment(Hints, Src, *Catalog, Tools, EmitFormat::CMake, false);
  REQUIRE(CMake.ok());
  CHECK(CMake->find("set(AUTOPASS_LAUNCHER \"/opt/ap/bin/autopass-cc\" "
                    "\"--autopass-config=${AUTOPASS_CONFIG_FILE}\")") != std::string::npos);
  CHECK(CMake->find("set(CMAKE_C_LINKER_LAUNCHER ${AUTOPASS_LAUNCHER})") != std::string::npos);
  CHECK(CMake->find("\"SHELL:-mllvm -unroll-threshold=600\"") != std::string::npos);

  auto Make = renderDeployment(Hints, Src, *Catalog, Tools, EmitFormat::Make, false);
  REQUIRE(Make.ok());
  CHECK(Make->find("export AUTOPASS_CONFIG := /runs/best-config.json") != std::string::npos);
  CHECK(Make->find("CFLAGS += -O3 $(AUTOPASS_FLAGS)") != std::string::npos);

  // A pipeline needs autopass-cc: no flags-only form.
  CandidateConfig Pipe = config(R"({"schema":"autopass-config/1","pipeline":"default<O2>"})");
  auto PipeFlags = renderDeployment(Pipe, Src, *Catalog, Tools, EmitFormat::Clang, true);
  REQUIRE_FALSE(PipeFlags.ok());
  CHECK(PipeFlags.message().find("pipeline") != std::string::npos);
  auto PipeMake = renderDeployment(Pipe, Src, *Catalog, Tools, EmitFormat::Make, false);
  REQUIRE(PipeMake.ok());
  CHECK(PipeMake->find("CC := /opt/ap/bin/autopass-cc --autopass-config=/runs/best-config.json") !=
        std::string::npos);

  // Per-unit settings need autopass-cc too: one clang flag set cannot give
  // one unit its own knobs.
  CandidateConfig Units = config(R"({"schema":"autopass-config/1","knobs":{"unroll-threshold":600},
    "units":{"lib/mat.c":{"knobs":{"unroll-threshold":50}}}})");
  auto UnitFlags = renderDeployment(Units, Src, *Catalog, Tools, EmitFormat::Clang, true);
  REQUIRE_FALSE(UnitFlags.ok());
  CHECK(UnitFlags.message() == "/runs/best-config.json: the configuration has per-unit settings "
                               "(units), which no clang flag applies; build through autopass-cc "
                               "(emit without --flags-only shows how)");
  auto UnitMake = renderDeployment(Units, Src, *Catalog, Tools, EmitFormat::Make, false);
  REQUIRE(UnitMake.ok());
  CHECK(UnitMake->find("CC := /opt/ap/bin/autopass-cc --autopass-config=/runs/best-config.json") !=
        std::string::npos);
  CHECK(UnitMake->find("AUTOPASS_FLAGS") == std::string::npos);
  auto UnitCMake = renderDeployment(Units, Src, *Catalog, Tools, EmitFormat::CMake, false);
  REQUIRE(UnitCMake.ok());
  CHECK(UnitCMake->find("Alternative without autopass-cc") == std::string::npos);
  CHECK(UnitCMake->find("1 unit(s) with their own settings") != std::string::npos);

  // Unknown knobs are refused, as the tuner refuses them.
  CandidateConfig Bad = config(R"({"schema":"autopass-config/1","knobs":{"no-such-knob":1}})");
  auto BadOut = renderDeployment(Bad, Src, *Catalog, Tools, EmitFormat::Clang, false);
  REQUIRE_FALSE(BadOut.ok());
  CHECK(BadOut.message().find("no-such-knob") != std::string::npos);
}

TEST_CASE("emit finds the configuration of a run directory or a spec", "[cc][emit]") {
  test::TempDir T{"autopass-cc-test-"};
  const std::string Cfg = R"({"schema":"autopass-config/1"})";
  std::string Run = joinPath(T.Path, "autopass-runs/prog-tune-20260101-000000");
  REQUIRE(makeDirectories(joinPath(Run, "results")).ok());

  auto Empty = resolveConfigInput(Run);
  REQUIRE_FALSE(Empty.ok());
  CHECK(Empty.message().find("best-config.json") != std::string::npos);

  REQUIRE(writeFile(joinPath(Run, "results/best-config.json"), Cfg).ok());
  auto FromRun = resolveConfigInput(Run);
  REQUIRE(FromRun.ok());
  CHECK(FromRun->Path == joinPath(Run, "results/best-config.json"));

  std::string Spec = joinPath(T.Path, "prog.spec.json");
  REQUIRE(writeFile(joinPath(T.Path, "prog.c"), "int main(void) { return 0; }\n").ok());
  REQUIRE(writeFile(Spec, R"({"schema":"autopass-program/1","name":"prog","sources":["prog.c"],
                             "run":{"args":[]}})")
              .ok());
  auto FromSpec = resolveConfigInput(Spec);
  REQUIRE(FromSpec.ok());
  CHECK(FromSpec->Path == joinPath(Run, "results/best-config.json"));

  std::string Other = joinPath(T.Path, "other.json");
  REQUIRE(writeFile(Other, R"({"schema":"autopass-digest/1"})").ok());
  auto Wrong = resolveConfigInput(Other);
  REQUIRE_FALSE(Wrong.ok());
  CHECK(Wrong.message().find("autopass-config/1") != std::string::npos);
}
