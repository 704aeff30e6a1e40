// Program spec and suite loading: valid specs resolve paths, every error
// names the spec file, the field (JSON path) and what was expected.
#include "spec/ProgramSpec.hpp"
#include "spec/SuiteSpec.hpp"
#include "util/FileSystem.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/harness";

bool contains(const std::string &Text, const std::string &Part) {
  return Text.find(Part) != std::string::npos;
}
} // namespace

TEST_CASE("a valid spec loads with absolute paths and defaults", "[spec]") {
  auto S = ProgramSpec::load(Data + "/loop/spec.json");
  REQUIRE(S.ok());
  CHECK(S->Name == "loop");
  REQUIRE(S->Sources.size() == 1);
  CHECK(S->Sources[0] == Data + "/loop/loop.c");
  CHECK(S->Dir == Data + "/loop");
  CHECK(S->Run.Args == std::vector<std::string>{"1"});
  CHECK(S->Run.TimeoutSeconds == 30);
  CHECK(S->Check.Kind == CheckKind::Exact);
  CHECK(S->Objective.Kind == ObjectiveKind::Wall);
  CHECK_FALSE(S->hasCxx());
}

TEST_CASE("spec errors name the file, the field and what was expected", "[spec]") {
  auto T = ProgramSpec::load(Data + "/bad/wrong-timeout.json");
  REQUIRE_FALSE(T.ok());
  CHECK(contains(T.message(), "wrong-timeout.json"));
  CHECK(contains(T.message(), "run.timeout_s"));
  CHECK(contains(T.message(), "expected a number"));

  auto U = ProgramSpec::load(Data + "/bad/unknown-field.json");
  REQUIRE_FALSE(U.ok());
  CHECK(contains(U.message(), "unknown-field.json"));
  CHECK(contains(U.message(), "check.abs_tolerance"));
  CHECK(contains(U.message(), "unknown field"));

  auto M = ProgramSpec::load(Data + "/bad/missing-source.json");
  REQUIRE_FALSE(M.ok());
  CHECK(contains(M.message(), "sources[1]"));
  CHECK(contains(M.message(), "nowhere.c"));
}

TEST_CASE("spec fields are validated against their meaning", "[spec]") {
  std::string Path = Data + "/loop/inline.json";
  auto parse = [&](const std::string &Body) {
    return ProgramSpec::parse("{\"schema\":\"autopass-program/1\",\"sources\":[\"loop.c\"]" + Body +
                                  "}",
                              Path);
  };
  CHECK(parse("").ok());
  auto Schema = ProgramSpec::parse("{\"schema\":\"autopass-program/2\",\"sources\":[\"loop.c\"]}", Path);
  REQUIRE_FALSE(Schema.ok());
  CHECK(contains(Schema.message(), "field schema"));

  auto Kind = parse(",\"check\":{\"kind\":\"fuzzy\"}");
  REQUIRE_FALSE(Kind.ok());
  CHECK(contains(Kind.message(), "check.kind"));
  CHECK(contains(Kind.message(), "exact, numeric"));

  auto Reported = parse(",\"objective\":{\"kind\":\"reported\"}");
  REQUIRE_FALSE(Reported.ok());
  CHECK(contains(Reported.message(), "objective.regex"));

  auto NoGroup = parse(",\"objective\":{\"kind\":\"reported\",\"regex\":\"time [0-9.]+\"}");
  REQUIRE_FALSE(NoGroup.ok());
  CHECK(contains(NoGroup.message(), "capture group"));

  auto Good = parse(",\"objective\":{\"kind\":\"reported\",\"regex\":\"([0-9.]+) MB/s\","
                    "\"better\":\"higher\"},\"run\":{\"args\":[\"{dir}/in.txt\"]}");
  REQUIRE(Good.ok());
  CHECK(Good->Objective.HigherIsBetter);
  CHECK(Good->Run.Args[0] == Data + "/loop/in.txt");

  auto OptLevel = parse(",\"compile_flags\":[\"-DX\",\"-O2\"]");
  REQUIRE_FALSE(OptLevel.ok());
  CHECK(contains(OptLevel.message(), "compile_flags[1]"));

  auto Tol = parse(",\"check\":{\"kind\":\"exact\",\"rel_tol\":0.1}");
  REQUIRE_FALSE(Tol.ok());
  CHECK(contains(Tol.message(), "check.rel_tol"));

  auto Json = ProgramSpec::parse("{\"schema\":", Path);
  REQUIRE_FALSE(Json.ok());
  CHECK(contains(Json.message(), "inline.json"));
  CHECK(contains(Json.message(), "invalid JSON"));
}

TEST_CASE("run.timeout_s is bounded to one day", "[spec]") {
  std::string Path = Data + "/loop/inline.json";
  auto withTimeout = [&](const std::string &Seconds) {
    return ProgramSpec::parse("{\"schema\":\"autopass-program/1\",\"sources\":[\"loop.c\"],"
                              "\"run\":{\"timeout_s\":" + Seconds + "}}",
                              Path);
  };
  auto Day = withTimeout("86400");
  REQUIRE(Day.ok());
  CHECK(Day->Run.TimeoutSeconds == 86400);
  // Past 2,147,483 s the millisecond count of a timeout overflowed an int.
  auto Huge = withTimeout("3000000");
  REQUIRE_FALSE(Huge.ok());
  CHECK(contains(Huge.message(), "inline.json"));
  CHECK(contains(Huge.message(), "run.timeout_s"));
  CHECK(contains(Huge.message(), "at most 86400"));
}

TEST_CASE("a suite lists spec paths relative to itself", "[spec]") {
  std::string Path = Data + "/loop/suite.json";
  auto S = SuiteSpec::parse(
      "{\"schema\":\"autopass-suite/1\",\"name\":\"t\",\"programs\":[\"spec.json\"]}", Path);
  REQUIRE(S.ok());
  REQUIRE(S->Programs.size() == 1);
  CHECK(S->Programs[0] == Data + "/loop/spec.json");
  auto Missing = SuiteSpec::parse(
      "{\"schema\":\"autopass-suite/1\",\"programs\":[\"spec.json\",\"none.json\"]}", Path);
  REQUIRE_FALSE(Missing.ok());
  CHECK(contains(Missing.message(), "programs[1]"));
}

TEST_CASE("hostile spec text is refused with the file and field", "[spec][json-limits]") {
  std::string Path = Data + "/loop/inline.json";
  auto parse = [&](const std::string &Body) {
    return ProgramSpec::parse("{\"schema\":\"autopass-program/1\",\"sources\":[\"loop.c\"]" + Body +
                                  "}",
                              Path);
  };
  const std::string Deep(100000, '[');
  auto D = parse(",\"meta\":" + Deep + std::string(100000, ']'));
  REQUIRE_FALSE(D.ok());
  CHECK(D.message() == Path + ": nesting deeper than 256 levels");
  auto Unclosed = parse(",\"meta\":" + Deep);
  REQUIRE_FALSE(Unclosed.ok());
  CHECK(Unclosed.message() == Path + ": nesting deeper than 256 levels");

  // Issue 14: a name with a byte that is not UTF-8 went raw into the journal.
  auto Name = parse(",\"name\":\"loop\xff\"");
  REQUIRE_FALSE(Name.ok());
  CHECK(contains(Name.message(), Path + ": name: expected UTF-8 text in a string"));

  // Duplicate keys: RapidJSON would keep both and read the first.
  auto Dup = parse(",\"run\":{\"args\":[\"1\"],\"args\":[\"2\"]}");
  REQUIRE_FALSE(Dup.ok());
  CHECK(Dup.message() == Path + ": run.args: duplicate key");
}

TEST_CASE("a directory given as a spec or suite is named as one", "[spec]") {
  auto S = ProgramSpec::load(Data + "/loop");
  REQUIRE_FALSE(S.ok());
  CHECK(contains(S.message(), Data + "/loop: is a directory, expected a file"));
  auto Suite = SuiteSpec::load(Data + "/loop");
  REQUIRE_FALSE(Suite.ok());
  CHECK(contains(Suite.message(), "/loop: is a directory, expected a file"));
}

TEST_CASE("a build section describes a project its own build system builds", "[spec]") {
  std::string Path = Data + "/loop/project.json";
  auto parse = [&](const std::string &Build, const std::string &Extra = "") {
    return ProgramSpec::parse("{\"schema\":\"autopass-program/1\",\"build\":" + Build + Extra +
                                  "}",
                              Path);
  };
  const std::string Unit = R"({"file": "loop.c", "directory": ".", "output": "out/loop.o",
                                "compiler": "clang", "flags": ["-O3", "-DN=4"]})";
  auto Ok = parse(R"({"command": ["make", "-j2"], "binary": "out/loop", "units": [)" + Unit +
                  "]}");
  REQUIRE(Ok.ok());
  REQUIRE(Ok->isProject());
  const ProjectBuild &B = *Ok->Build;
  CHECK(B.Directory == Data + "/loop");
  CHECK(B.Command == std::vector<std::string>{"make", "-j2"});
  CHECK(B.Binary == Data + "/loop/out/loop");
  REQUIRE(B.Units.size() == 1);
  CHECK(B.Units[0].File == Data + "/loop/loop.c");
  CHECK(B.Units[0].Output == Data + "/loop/out/loop.o");
  CHECK(B.Units[0].Flags == std::vector<std::string>{"-O3", "-DN=4"});
  CHECK(Ok->Sources == std::vector<std::string>{Data + "/loop/loop.c"});
  // The canonical JSON reads back to the same build.
  auto Again = ProgramSpec::parse(Ok->toJson(), Path);
  REQUIRE(Again.ok());
  CHECK(Again->Build->Units[0].Output == B.Units[0].Output);

  auto WithSources = parse(R"({"command": ["make"], "binary": "b", "units": [)" + Unit + "]}",
                           R"(, "sources": ["loop.c"])");
  REQUIRE_FALSE(WithSources.ok());
  CHECK(contains(WithSources.message(), "project.json"));
  CHECK(contains(WithSources.message(), "sources"));
  CHECK(contains(WithSources.message(), "not allowed with \"build\""));

  auto NoUnits = parse(R"({"command": ["make"], "binary": "b", "units": []})");
  REQUIRE_FALSE(NoUnits.ok());
  CHECK(contains(NoUnits.message(), "build.units"));

  auto NoCommand = parse(R"({"binary": "b", "units": [)" + Unit + "]}");
  REQUIRE_FALSE(NoCommand.ok());
  CHECK(contains(NoCommand.message(), "build.command"));

  auto Reserved = parse(R"({"command": ["make"], "binary": "b", "units": [{"file": "loop.c",
                            "output": "x.o", "compiler": "cc", "flags": ["-O3", "-c"]}]})");
  REQUIRE_FALSE(Reserved.ok());
  CHECK(contains(Reserved.message(), "build.units[0]"));
  CHECK(contains(Reserved.message(), "flags[1]"));
  CHECK(contains(Reserved.message(), "\"-c\" is chosen by the build"));

  auto Missing = parse(R"({"command": ["make"], "binary": "b", "units": [{"file": "nowhere.c",
                           "output": "x.o", "compiler": "cc"}]})");
  REQUIRE_FALSE(Missing.ok());
  CHECK(contains(Missing.message(), "build.units[0].file"));
  CHECK(contains(Missing.message(), "nowhere.c"));

  auto Twice = parse(R"({"command": ["make"], "binary": "b", "units": [)" + Unit + "," + Unit +
                     "]}");
  REQUIRE_FALSE(Twice.ok());
  CHECK(contains(Twice.message(), "two units write"));
}
