//===- tests/ProjectTest.cpp - Programs built by their own build system ---===//
//
// tests/data/project (a static library of nine units and an executable of
// two, in three directories, units with their own flags) configured by CMake
// with autopass-cc as the compiler launcher, then: `init --compile-commands`,
// the project builder's baseline and candidates (rebuild counts through the
// launcher's object cache), a broken unit, a build tree without the
// launcher, and the tuned configuration applied by the project's own build
// giving the binary the tuner measured. docs/tuning-a-cmake-project.md.
//
//===----------------------------------------------------------------------===//
#include "TempDir.hpp"

#include "config/CandidateConfig.hpp"
#include "evidence/EvidenceCollector.hpp"
#include "spec/ProgramSpec.hpp"
#include "store/BuildCache.hpp"
#include "toolchain/ProjectBuilder.hpp"
#include "toolchain/ToolOptionIndex.hpp"
#include "toolchain/Toolchain.hpp"
#include "util/AtomicFile.hpp"
#include "util/FileSystem.hpp"
#include "util/Hash.hpp"
#include "util/Strings.hpp"
#include "util/Subprocess.hpp"

#include <catch2/catch.hpp>

using namespace autopass;
using autopass::test::TempDir;

namespace {

const std::string Data = AUTOPASS_TEST_DATA;

SubprocessResult run(const std::vector<std::string> &Argv, const std::string &Cwd = "",
                     const std::map<std::string, std::string> &Env = {}) {
  SubprocessOptions O;
  O.Argv = Argv;
  O.Cwd = Cwd;
  O.Env = Env;
  O.TimeoutSeconds = 600;
  auto R = runSubprocess(O);
  REQUIRE(R.ok());
  return *R;
}

const Toolchain &tools() {
  static Result<Toolchain> T = Toolchain::locate();
  if (!T.ok())
    FAIL(T.message());
  return *T;
}

/// A copy of the test project configured in Dir/build; with the launcher
/// unless told otherwise. Returns the spec written by `init`.
std::string setUpProject(const std::string &Dir, bool Launcher = true) {
  REQUIRE(run({"cp", "-r", Data + "/project", Dir + "/src"}).succeeded());
  std::vector<std::string> Configure = {"cmake", "-S", Dir + "/src", "-B", Dir + "/build", "-G",
                                        "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                                        "-DCMAKE_C_COMPILER=" + tools().Clang};
  if (Launcher)
    Configure.push_back(std::string("-DCMAKE_C_COMPILER_LAUNCHER=") + AUTOPASS_CC_EXE);
  auto C = run(Configure);
  INFO(C.Stdout + C.Stderr);
  REQUIRE(C.succeeded());
  std::string Spec = Dir + "/app.spec.json";
  auto I = run({AUTOPASS_TUNER_EXE, "init", "--compile-commands",
                Dir + "/build/compile_commands.json", "--binary", Dir + "/build/app/app", "-o",
                Spec, "--", "40"});
  INFO(I.Stdout + I.Stderr);
  REQUIRE(I.succeeded());
  return Spec;
}

CandidateConfig configFrom(const std::string &Json) {
  auto C = CandidateConfig::parse(Json, "test-config.json");
  REQUIRE(C.ok());
  return *C;
}

std::string fileHash(const std::string &Path) {
  Hasher H;
  REQUIRE(H.addFile("binary", Path).ok());
  return H.hexDigest();
}

struct ProjectFixture {
  TempDir Dir{"autopass-project-"};
  ProgramSpec Spec;
  std::unique_ptr<ToolOptionIndex> Index;
  std::unique_ptr<BuildCache> Cache;
  std::unique_ptr<ProjectBuilder> Builder;

  explicit ProjectFixture(bool Launcher = true) {
    auto S = ProgramSpec::load(setUpProject(Dir.Path, Launcher));
    REQUIRE(S.ok());
    Spec = *S;
    auto I = ToolOptionIndex::build(tools());
    REQUIRE(I.ok());
    Index = std::make_unique<ToolOptionIndex>(std::move(*I));
    Cache = std::make_unique<BuildCache>(Dir.Path + "/cache");
    Builder = std::make_unique<ProjectBuilder>(Spec, tools(), *Index, *Cache);
  }
  std::string unitPath(const std::string &Rel) const { return Dir.Path + "/src/" + Rel; }
};

} // namespace

TEST_CASE("init --compile-commands keeps every unit with its own flags", "[project]") {
  TempDir Dir("autopass-project-");
  auto Spec = ProgramSpec::load(setUpProject(Dir.Path));
  REQUIRE(Spec.ok());
  REQUIRE(Spec->isProject());
  const ProjectBuild &B = *Spec->Build;
  REQUIRE(B.Units.size() == 11);
  CHECK(B.Binary == Dir.Path + "/build/app/app");
  CHECK(B.Command == std::vector<std::string>{"cmake", "--build", Dir.Path + "/build"});
  bool SawHash = false, SawText = false;
  for (const BuildUnit &U : B.Units) {
    for (const std::string &F : U.Flags) {
      CHECK(F != "-c");
      CHECK_FALSE(startsWith(F, "-o"));
    }
    CHECK(endsWith(U.Output, ".o"));
    if (endsWith(U.File, "/lib/hash.c")) {
      SawHash = true;
      CHECK(std::find(U.Flags.begin(), U.Flags.end(), "-DHASH_SEED=2166136261u") != U.Flags.end());
    }
    if (endsWith(U.File, "/lib/text.c")) {
      SawText = true;
      REQUIRE_FALSE(U.Flags.empty());
      CHECK(U.Flags.back() == "-O2");
    }
  }
  CHECK(SawHash);
  CHECK(SawText);
  // The spec round-trips: what init wrote is what the tuner reads.
  auto Again = ProgramSpec::parse(Spec->toJson(), Spec->SpecPath);
  REQUIRE(Again.ok());
  CHECK(Again->Build->Units.size() == 11);
}

TEST_CASE("project builds rebuild only units whose inputs changed", "[project]") {
  ProjectFixture F;
  BuildResult Base = F.Builder->buildBaseline();
  INFO(Base.Log);
  REQUIRE(Base.ok());
  auto Out = run({Base.BinaryPath, "40"});
  REQUIRE(Out.succeeded());
  CHECK(Out.Stdout.find("primes") != std::string::npos);

  CandidateConfig Knob = configFrom(
      R"({"schema": "autopass-config/1", "knobs": {"unroll-threshold": 600}})");
  BuildResult First = F.Builder->buildCandidate(Knob);
  INFO(First.Log);
  REQUIRE(First.ok());
  CHECK(First.UnitsRebuilt == 11);
  CHECK(First.UnitsReused == 0);
  CHECK(run({First.BinaryPath, "40"}).Stdout == Out.Stdout);

  // The same configuration again: every unit from the object cache.
  BuildResult Again = F.Builder->buildCandidate(Knob);
  REQUIRE(Again.ok());
  CHECK(Again.UnitsRebuilt == 0);
  CHECK(Again.UnitsReused == 11);
  CHECK(Again.BinaryHash == First.BinaryHash);

  // One unit's source changes: one unit compiles.
  auto Poly = readFile(F.unitPath("lib/poly.c"));
  REQUIRE(Poly.ok());
  REQUIRE(writeFile(F.unitPath("lib/poly.c"),
                    *Poly + "int poly_unused_marker(void) { return 7; }\n")
              .ok());
  BuildResult Edited = F.Builder->buildCandidate(Knob);
  INFO(Edited.Log);
  REQUIRE(Edited.ok());
  CHECK(Edited.UnitsRebuilt == 1);
  CHECK(Edited.UnitsReused == 10);

  // A configuration that differs in one unit's entry: one unit compiles.
  CandidateConfig OneUnit = configFrom(R"({"schema": "autopass-config/1",
    "knobs": {"unroll-threshold": 600},
    "units": {"lib/mat.c": {"knobs": {"unroll-threshold": 50}}}})");
  BuildResult PerUnit = F.Builder->buildCandidate(OneUnit);
  INFO(PerUnit.Log);
  REQUIRE(PerUnit.ok());
  CHECK(PerUnit.UnitsRebuilt == 1);
  CHECK(PerUnit.UnitsReused == 10);
  CHECK(run({PerUnit.BinaryPath, "40"}).Stdout == Out.Stdout);
}

TEST_CASE("a unit that fails to compile is named with its compile command", "[project]") {
  ProjectFixture F;
  auto Poly = readFile(F.unitPath("lib/poly.c"));
  REQUIRE(Poly.ok());
  REQUIRE(writeFile(F.unitPath("lib/poly.c"), *Poly + "this is not C;\n").ok());
  BuildResult B = F.Builder->buildCandidate(
      configFrom(R"({"schema": "autopass-config/1", "knobs": {"unroll-threshold": 300}})"));
  INFO(B.Log);
  REQUIRE_FALSE(B.ok());
  CHECK(B.Log.find("unit " + F.unitPath("lib/poly.c") + " failed to compile") !=
        std::string::npos);
  CHECK(B.Log.find("compile command") != std::string::npos);
  CHECK(B.Log.find("-c " + F.unitPath("lib/poly.c")) != std::string::npos);
  // No other unit is blamed.
  CHECK(B.Log.find("lib/vec.c failed") == std::string::npos);
}

TEST_CASE("a build tree without the launcher is refused, naming a unit", "[project]") {
  ProjectFixture F(/*Launcher=*/false);
  BuildResult B = F.Builder->buildCandidate(
      configFrom(R"({"schema": "autopass-config/1", "knobs": {"unroll-threshold": 300}})"));
  INFO(B.Log);
  REQUIRE_FALSE(B.ok());
  CHECK(B.Log.find("was not compiled through autopass-cc") != std::string::npos);
  CHECK(B.Log.find("CMAKE_C_COMPILER_LAUNCHER") != std::string::npos);
}

TEST_CASE("the project's own build with the tuned config gives the measured binary",
          "[project]") {
  ProjectFixture F;
  CandidateConfig Config = configFrom(R"({"schema": "autopass-config/1",
    "knobs": {"unroll-threshold": 600},
    "hints": {"loops": {"vec_axpy:L0": {"vectorize_width": 8, "interleave_count": 1}}},
    "units": {"lib/mat.c": {"knobs": {"unroll-threshold": 50}, "pipeline": "default<O2>"}}})");
  BuildResult Measured = F.Builder->buildCandidate(Config);
  INFO(Measured.Log);
  REQUIRE(Measured.ok());
  BuildResult Base = F.Builder->buildBaseline();
  REQUIRE(Base.ok());
  REQUIRE(Base.BinaryHash != Measured.BinaryHash); // the configuration changed the code

  // What a user does with the best configuration: the project's own build,
  // from clean, without the tuner's object cache.
  std::string ConfigPath = F.Dir.Path + "/best.json";
  REQUIRE(writeFile(ConfigPath, Config.toJson(true)).ok());
  auto B = run({"cmake", "--build", F.Dir.Path + "/build", "--clean-first"}, "",
               {{"AUTOPASS_CONFIG", ConfigPath}, {"AUTOPASS_CC_CACHE", ""}});
  INFO(B.Stdout + B.Stderr);
  REQUIRE(B.succeeded());
  CHECK(fileHash(F.Dir.Path + "/build/app/app") == Measured.BinaryHash);

  // The rebuild commands a tune run records (RUN_DIR/rebuild): the same
  // binary again, run from another directory.
  auto Rebuild = F.Builder->rebuildCommands(Config, ConfigPath, F.Dir.Path + "/rebuild");
  REQUIRE(Rebuild.ok());
  REQUIRE(Rebuild->size() == 4); // mkdir, rm the objects, the build, cp
  auto R = run({"sh", "-e", "-c", join(*Rebuild, "\n")}, "/");
  INFO(join(*Rebuild, "\n") + "\n" + R.Stdout + R.Stderr);
  REQUIRE(R.succeeded());
  CHECK(fileHash(F.Dir.Path + "/rebuild/" + F.Spec.Name) == Measured.BinaryHash);
}

TEST_CASE("a CMake project is tuned end to end through its own build", "[project]") {
  TempDir Dir("autopass-project-");
  std::string Spec = setUpProject(Dir.Path);
  std::string RunDir = Dir.Path + "/run";
  auto T = run({AUTOPASS_TUNER_EXE, "tune", Spec, "--strategy", "random", "--budget", "3",
                "--batch", "1", "--profile", "none", "--run-dir", RunDir, "--quiet",
                "--warmups", "0", "--min-reps", "3", "--max-reps", "3", "--confirm-reps", "3",
                "--confirm-top", "1", "--jobs", "1"});
  INFO(T.Stdout + T.Stderr);
  REQUIRE(T.succeeded());
  auto Journal = readFile(RunDir + "/journal.jsonl");
  REQUIRE(Journal.ok());
  size_t Builds = 0, Rebuilt = 0;
  for (const std::string &Line : split(*Journal, '\n')) {
    if (Line.find("\"type\":\"build\"") == std::string::npos)
      continue;
    ++Builds;
    size_t Pos = Line.find("\"units_rebuilt\":");
    REQUIRE(Pos != std::string::npos);
    Rebuilt += std::stoul(Line.substr(Pos + 16));
  }
  // Every candidate went through the project's build; the first one at
  // least compiled every unit with its configuration.
  CHECK(Builds >= 1);
  CHECK(Rebuilt >= 11);
  // The baseline is the project's own build, recorded as such.
  CHECK(Journal->find("\"type\":\"baseline_build\"") != std::string::npos);
}

TEST_CASE("evidence covers every unit of a project, each with its own flags", "[project]") {
  ProjectFixture F;
  EvidenceOptions O;
  O.Profile = ProfileMode::Callgrind;
  O.Jobs = 2;
  EvidenceCollector C(F.Spec, tools(), F.Dir.Path + "/evidence", O);
  auto E = C.collect();
  INFO((E ? std::string() : E.message()));
  // hash.c compiles only with its own -DHASH_SEED: a shared flag set fails.
  REQUIRE(E.ok());
  REQUIRE(E->Units.size() == 11);
  bool SawHash = false;
  for (const UnitEvidenceFiles &U : E->Units) {
    CHECK(pathExists(U.Remarks));
    SawHash |= endsWith(U.Source, "/lib/hash.c");
  }
  CHECK(SawHash);
  // The profile ran the binary the project's build linked.
  if (!findProgram("valgrind").empty()) {
    REQUIRE_FALSE(E->ProfilePath.empty());
    REQUIRE_FALSE(E->Digest.Regions.empty());
    bool SawMatMul = false;
    for (const HotRegion &R : E->Digest.Regions)
      SawMatMul |= R.Name.find("mat_mul") != std::string::npos;
    CHECK(SawMatMul);
  }
}
