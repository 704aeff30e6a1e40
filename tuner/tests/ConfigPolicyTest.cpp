// The one policy every configuration passes (search/ConfigPolicy.hpp): knobs
// of the catalog only, no pass that writes files or prints, no file
// parameters; every entry point gives the same message. And the working
// directory of every build step is inside the run directory, so a pass that
// writes relative files could not write into the spec's directory anyway.
#include "config/CandidateConfig.hpp"
#include "search/ConfigPolicy.hpp"
#include "search/KnobCatalog.hpp"
#include "spec/ProgramSpec.hpp"
#include "store/BuildCache.hpp"
#include "toolchain/Builder.hpp"
#include "toolchain/ToolOptionIndex.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/FileSystem.hpp"
#include "util/Subprocess.hpp"

#include "O3Pipeline.hpp"
#include "TempDir.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/harness";

bool contains(const std::string &Text, const std::string &Part) {
  return Text.find(Part) != std::string::npos;
}

const KnobCatalog &catalog() {
  static const KnobCatalog C = [] {
    auto Loaded = KnobCatalog::loadDefault();
    REQUIRE(Loaded.ok());
    return std::move(*Loaded);
  }();
  return C;
}

CandidateConfig parseConfig(const std::string &Json) {
  auto C = CandidateConfig::parse(Json, "test.json");
  REQUIRE(C.ok());
  return *C;
}

/// Files under Dir (recursively) whose name ends with Suffix.
std::vector<std::string> filesEndingWith(const std::string &Dir, const std::string &Suffix) {
  std::vector<std::string> Found;
  auto Names = listDirectory(Dir);
  if (!Names)
    return Found;
  for (const std::string &N : *Names) {
    std::string Path = joinPath(Dir, N);
    if (isDirectory(Path)) {
      auto Inner = filesEndingWith(Path, Suffix);
      Found.insert(Found.end(), Inner.begin(), Inner.end());
    } else if (N.size() >= Suffix.size() &&
               N.compare(N.size() - Suffix.size(), Suffix.size(), Suffix) == 0) {
      Found.push_back(Path);
    }
  }
  return Found;
}
} // namespace

TEST_CASE("the policy refuses knobs outside the catalog and out-of-domain values", "[policy]") {
  Status Load = checkConfigAllowed(
      parseConfig(R"({"schema":"autopass-config/1","knobs":{"load":"/tmp/x.so"}})"), catalog());
  REQUIRE_FALSE(Load.ok());
  CHECK(contains(Load.message(), "knob load: not in the knob catalog"));

  Status Range = checkConfigAllowed(
      parseConfig(R"({"schema":"autopass-config/1","knobs":{"unroll-threshold":-5}})"),
      catalog());
  REQUIRE_FALSE(Range.ok());
  CHECK(contains(Range.message(), "knob unroll-threshold: expected"));

  CHECK(checkConfigAllowed(
            parseConfig(R"({"schema":"autopass-config/1","knobs":{"unroll-threshold":300}})"),
            catalog())
            .ok());
}

TEST_CASE("the policy refuses passes that write files, print or instrument", "[policy]") {
  struct Case {
    const char *Pipeline;
    const char *Named;
  };
  const Case Refused[] = {
      {"default<O3>,function(dot-cfg)", "pass \"dot-cfg\" writes .dot files"},
      {"function(view-cfg)", "pass \"view-cfg\" opens a graph viewer"},
      {"module(print<module-debuginfo>)", "pass \"print\" prints"},
      {"function(print),default<O3>", "pass \"print\" prints"},
      {"print-callgraph", "pass \"print-callgraph\" prints"},
      {"function(trigger-crash-function)", "pass \"trigger-crash-function\" crashes"},
      {"insert-gcov-profiling,default<O3>", "pass \"insert-gcov-profiling\" writes coverage"},
      {"pgo-instr-gen,instrprof,default<O3>", "pass \"pgo-instr-gen\" instruments"},
      {"autopass-introspect<out=/tmp/x.json>,default<O3>", "pass \"autopass-introspect\""},
      {"function(asan)", "pass \"asan\" instruments the program for a sanitizer"},
      // LLVM 22's new sanitizers.
      {"function(rtsan),default<O3>", "pass \"rtsan\" instruments the program for a sanitizer"},
      {"tysan", "pass \"tysan\" instruments the program for a sanitizer"},
      {"memprof-use<profile-filename=/etc/passwd>", "pass \"memprof-use\" reads a profile"},
      {"function(loop-unroll<O3;some-file=/x>)", "parameter \"some-file=/x\" names a file"},
  };
  for (const Case &C : Refused) {
    INFO(C.Pipeline);
    Status S = checkPipelineAllowed(C.Pipeline);
    REQUIRE_FALSE(S.ok());
    CHECK(contains(S.message(), "pipeline: "));
    CHECK(contains(S.message(), C.Named));
    // The same message through the whole-config check every entry point uses.
    CandidateConfig Config;
    Config.Pipeline = C.Pipeline;
    Status Whole = checkConfigAllowed(Config, catalog());
    REQUIRE_FALSE(Whole.ok());
    CHECK(Whole.message() == S.message());
  }
  // The O3 pipeline itself, which the pipeline layer edits: its
  // require<profile-summary> names an analysis, not a file.
  for (unsigned Llvm : test::O3PipelineVersions) {
    INFO("LLVM " << Llvm);
    Status O3 = checkPipelineAllowed(test::o3PipelineFixture(Llvm));
    INFO((O3.ok() ? std::string() : O3.message()));
    CHECK(O3.ok());
  }
  const char *Allowed[] = {
      "default<O3>",
      "require<profile-summary>,function(invalidate<all>)",
      "function(declare-to-assign),default<O3>",
      "function<eager-inv>(loop-unroll<O3;no-runtime>,loop-mssa(licm<allowspeculation>))",
      "cgscc(inline),function(loop(loop-unroll-and-jam),sroa<modify-cfg>)",
  };
  for (const char *P : Allowed) {
    INFO(P);
    CHECK(checkPipelineAllowed(P).ok());
  }
}

TEST_CASE("the policy applies to every unit's own knobs and pipeline", "[policy]") {
  // A `units` entry reaches opt like the global layers (autopass-cc and the
  // builders build each unit with it), so the same rules hold, with the
  // entry named.
  Status Load = checkConfigAllowed(
      parseConfig(R"({"schema":"autopass-config/1",
                      "units":{"lib/mat.c":{"knobs":{"load":"/tmp/x.so"}}}})"),
      catalog());
  REQUIRE_FALSE(Load.ok());
  CHECK(Load.message() == "units[\"lib/mat.c\"].knobs: knob load: not in the knob catalog (" +
                              catalog().source() + ")");

  Status Range = checkConfigAllowed(
      parseConfig(R"({"schema":"autopass-config/1","knobs":{"unroll-threshold":300},
                      "units":{"a.c":{"knobs":{"unroll-threshold":-5}}}})"),
      catalog());
  REQUIRE_FALSE(Range.ok());
  CHECK(contains(Range.message(), "units[\"a.c\"].knobs: knob unroll-threshold: expected"));

  Status Dot = checkConfigAllowed(
      parseConfig(R"J({"schema":"autopass-config/1","pipeline":"default<O3>",
                       "units":{"a.c":{"pipeline":"default<O3>,function(dot-cfg)"}}})J"),
      catalog());
  REQUIRE_FALSE(Dot.ok());
  CHECK(contains(Dot.message(), "units[\"a.c\"].pipeline: pass \"dot-cfg\" writes .dot files"));

  CHECK(checkConfigAllowed(
            parseConfig(R"({"schema":"autopass-config/1",
                            "units":{"a.c":{"knobs":{"unroll-threshold":300},
                                            "pipeline":"default<O2>"}}})"),
            catalog())
            .ok());
}

TEST_CASE("eval refuses a config outside the policy before anything runs", "[policy][cli]") {
  test::TempDir Dir{"autopass-policy-test-"};
  auto runEval = [&](const std::string &ConfigJson) {
    std::string ConfigPath = joinPath(Dir.Path, "config.json");
    REQUIRE(writeFile(ConfigPath, ConfigJson).ok());
    SubprocessOptions O;
    O.Argv = {AUTOPASS_TUNER_EXE, "eval", Data + "/loop/spec.json", ConfigPath, "--run-dir",
              joinPath(Dir.Path, "run"), "--quiet"};
    O.TimeoutSeconds = 120;
    auto P = runSubprocess(O);
    REQUIRE(P.ok());
    return *P;
  };
  // Once `eval` turned this knob into `opt -load=/path.so` and loaded the
  // library; emit and autopass-cc refused it with this message.
  SubprocessResult Load =
      runEval(R"({"schema":"autopass-config/1","knobs":{"load":"/tmp/evil.so"}})");
  CHECK(Load.ExitCode == 1);
  CHECK(contains(Load.Stderr, "config.json: knob load: not in the knob catalog"));
  // Nothing was built or run: the run directory was never created.
  CHECK_FALSE(pathExists(joinPath(Dir.Path, "run")));

  SubprocessResult Dot =
      runEval(R"J({"schema":"autopass-config/1","pipeline":"default<O3>,function(dot-cfg)"})J");
  CHECK(Dot.ExitCode == 1);
  CHECK(contains(Dot.Stderr, "config.json: pipeline: pass \"dot-cfg\" writes .dot files"));
  CHECK_FALSE(pathExists(joinPath(Dir.Path, "run")));

  // emit gives the same message for the same config.
  SubprocessOptions E;
  E.Argv = {AUTOPASS_TUNER_EXE, "emit", joinPath(Dir.Path, "config.json")};
  E.TimeoutSeconds = 60;
  auto Emit = runSubprocess(E);
  REQUIRE(Emit.ok());
  CHECK(Emit->ExitCode != 0);
  CHECK(contains(Emit->Stderr, "config.json: pipeline: pass \"dot-cfg\" writes .dot files"));
}

TEST_CASE("build steps run inside the run directory, never in the spec's", "[policy][slow]") {
  // A copy of the loop program, so that what lands beside the spec is seen.
  test::TempDir Dir{"autopass-cwd-test-"};
  std::string SpecDir = joinPath(Dir.Path, "program");
  std::string RunDir = joinPath(Dir.Path, "run");
  REQUIRE(makeDirectories(SpecDir).ok());
  auto Source = readFile(Data + "/loop/loop.c");
  auto SpecText = readFile(Data + "/loop/spec.json");
  REQUIRE(Source.ok());
  REQUIRE(SpecText.ok());
  REQUIRE(writeFile(joinPath(SpecDir, "loop.c"), *Source).ok());
  REQUIRE(writeFile(joinPath(SpecDir, "spec.json"), *SpecText).ok());
  auto Spec = ProgramSpec::load(joinPath(SpecDir, "spec.json"));
  REQUIRE(Spec.ok());
  auto Tools = Toolchain::locate();
  REQUIRE(Tools.ok());
  auto Index = ToolOptionIndex::build(*Tools);
  REQUIRE(Index.ok());
  BuildCache Cache(joinPath(RunDir, "cache"));

  // The Builder is below the policy (the evaluator refuses dot-cfg before
  // building), so it shows where a pass writing relative files would write.
  CandidateConfig Config;
  Config.Pipeline = "function(dot-cfg),default<O3>";
  Builder B(*Spec, *Tools, *Index, Cache);
  BuildResult R = B.buildCandidate(Config);
  REQUIRE(R.ok());
  CHECK(filesEndingWith(SpecDir, ".dot").empty());
  CHECK_FALSE(filesEndingWith(RunDir, ".dot").empty());
  // The recorded clang commands resolve the spec's paths themselves.
  REQUIRE_FALSE(R.Commands.empty());
  CHECK(contains(R.Commands.front(), "-working-directory=" + SpecDir));
}
