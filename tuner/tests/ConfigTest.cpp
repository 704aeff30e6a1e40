// Unit tests for config/CandidateConfig: strict parsing with messages that
// name the file and field, canonical JSON, round trips and content hashes.
#include "config/CandidateConfig.hpp"
#include "util/FileSystem.hpp"
#include "util/Subprocess.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace autopass;

namespace {

const char *FullExample = R"({
  "schema": "autopass-config/1",
  "knobs": {
    "unroll-threshold": 600,
    "enable-loopinterchange": true,
    "polly": true,
    "some-ratio": 0.25,
    "vectorizer-style": "x"
  },
  "pipeline": "default<O3>",
  "hints": {
    "loops": {
      "matmul:L1": { "unroll": 4, "vectorize_width": 8, "interleave_count": 2 },
      "scan:L0":   { "unroll": "disable", "vectorize": false },
      "nest:L0":   { "distribute": true, "unroll_and_jam": 2 }
    },
    "functions": {
      "helper": { "inline": "always" },
      "cold_path": { "inline": "never", "size": "min" }
    },
    "calls": [
      { "caller": "main", "callee": "helper", "index": 0, "inline": "never" },
      { "caller": "main", "callee": "other", "inline": "always" }
    ]
  },
  "meta": { "origin": "expert", "rationale": "free text, ignored by tools", "n": [1, 2] }
})";

std::string parseError(const std::string &Text) {
  auto R = CandidateConfig::parse(Text, "cfg.json");
  REQUIRE_FALSE(R.ok());
  return R.message();
}

std::string withHints(const std::string &Hints) {
  return R"({"schema":"autopass-config/1","hints":)" + Hints + "}";
}

} // namespace

TEST_CASE("the minimal document is the identity", "[config]") {
  auto R = CandidateConfig::parse(R"({"schema":"autopass-config/1"})", "cfg.json");
  REQUIRE(R.ok());
  CHECK(R->isIdentity());
  CHECK_FALSE(R->hasHints());
  CHECK(R->toJson(false) == R"({"schema":"autopass-config/1"})");
  CHECK(CandidateConfig() == *R);
}

TEST_CASE("a full document parses into the three layers", "[config]") {
  auto R = CandidateConfig::parse(FullExample, "cfg.json");
  REQUIRE(R.ok());
  const CandidateConfig &C = *R;
  CHECK_FALSE(C.isIdentity());
  CHECK(C.hasHints());
  CHECK(std::get<int64_t>(C.Knobs.at("unroll-threshold")) == 600);
  CHECK(std::get<bool>(C.Knobs.at("polly")));
  CHECK(std::get<double>(C.Knobs.at("some-ratio")) == 0.25);
  CHECK(std::get<std::string>(C.Knobs.at("vectorizer-style")) == "x");
  REQUIRE(C.Pipeline);
  CHECK(*C.Pipeline == "default<O3>");
  REQUIRE(C.Loops.size() == 3);
  CHECK(std::get<int64_t>(*C.Loops.at("matmul:L1").Unroll) == 4);
  CHECK(*C.Loops.at("matmul:L1").VectorizeWidth == 8);
  CHECK(std::get<std::string>(*C.Loops.at("scan:L0").Unroll) == "disable");
  CHECK(*C.Loops.at("scan:L0").Vectorize == false);
  CHECK(std::get<int64_t>(*C.Loops.at("nest:L0").UnrollAndJam) == 2);
  CHECK(*C.Functions.at("cold_path").Size == "min");
  REQUIRE(C.Calls.size() == 2);
  CHECK(*C.Calls[0].Index == 0);
  CHECK_FALSE(C.Calls[1].Index);
  CHECK(C.MetaJson.find("\"origin\":\"expert\"") != std::string::npos);
}

TEST_CASE("toJson round-trips, pretty and compact", "[config]") {
  auto R = CandidateConfig::parse(FullExample, "cfg.json");
  REQUIRE(R.ok());
  for (bool Pretty : {true, false}) {
    std::string Text = R->toJson(Pretty);
    auto Back = CandidateConfig::parse(Text, "roundtrip.json");
    REQUIRE(Back.ok());
    CHECK(*Back == *R);
    CHECK(Back->MetaJson == R->MetaJson);
    CHECK(Back->toJson(Pretty) == Text);
    CHECK(Back->contentHash() == R->contentHash());
  }
}

TEST_CASE("canonical JSON sorts keys and is independent of input order", "[config]") {
  auto A = CandidateConfig::parse(
      R"({"knobs":{"b":1,"a":true},"schema":"autopass-config/1","pipeline":"default<O2>"})",
      "a.json");
  auto B = CandidateConfig::parse(
      R"({"schema":"autopass-config/1","pipeline":"default<O2>","knobs":{"a":true,"b":1}})",
      "b.json");
  REQUIRE(A.ok());
  REQUIRE(B.ok());
  CHECK(A->toJson(false) ==
        R"({"knobs":{"a":true,"b":1},"pipeline":"default<O2>","schema":"autopass-config/1"})");
  CHECK(A->toJson(false) == B->toJson(false));
  CHECK(A->contentHash() == B->contentHash());
  CHECK(A->contentHash().size() == 64);
  CHECK(A->shortHash() == A->contentHash().substr(0, 12));
}

TEST_CASE("meta is carried but not hashed", "[config]") {
  auto A = CandidateConfig::parse(
      R"({"schema":"autopass-config/1","knobs":{"polly":true},"meta":{"origin":"a"}})", "a");
  auto B = CandidateConfig::parse(
      R"({"schema":"autopass-config/1","knobs":{"polly":true},"meta":{"origin":"b","x":{}}})",
      "b");
  REQUIRE(A.ok());
  REQUIRE(B.ok());
  CHECK(A->contentHash() == B->contentHash());
  CHECK(*A == *B);
  CHECK(A->toJson(false) != B->toJson(false));
  CHECK(A->toJson(false).find(R"("meta":{"origin":"a"})") != std::string::npos);
}

TEST_CASE("different configs have different hashes", "[config]") {
  CandidateConfig A, B;
  A.Knobs["unroll-threshold"] = int64_t(300);
  B.Knobs["unroll-threshold"] = int64_t(301);
  CHECK(A.contentHash() != B.contentHash());
  CHECK_FALSE(A == B);
  // An integer and a double of the same value are different option texts.
  CandidateConfig C;
  C.Knobs["unroll-threshold"] = 300.0;
  CHECK(C.contentHash() != A.contentHash());
}

TEST_CASE("doubles use shortest round-trip text and stay doubles", "[config]") {
  CandidateConfig C;
  C.Knobs["x"] = 0.1;
  C.Knobs["y"] = 2.0;
  C.Knobs["z"] = 1e-300;
  std::string Text = C.toJson(false);
  CHECK(Text.find("\"x\":0.1") != std::string::npos);
  CHECK(Text.find("\"y\":2.0") != std::string::npos);
  auto Back = CandidateConfig::parse(Text, "d.json");
  REQUIRE(Back.ok());
  CHECK(std::holds_alternative<double>(Back->Knobs.at("y")));
  CHECK(std::get<double>(Back->Knobs.at("x")) == 0.1);
  CHECK(std::get<double>(Back->Knobs.at("z")) == 1e-300);
  CHECK(*Back == C);
}

TEST_CASE("knobValueText renders LLVM command-line values", "[config]") {
  CHECK(knobValueText(KnobValue(true)) == "true");
  CHECK(knobValueText(KnobValue(false)) == "false");
  CHECK(knobValueText(KnobValue(int64_t(-7))) == "-7");
  CHECK(knobValueText(KnobValue(0.5)) == "0.5");
  CHECK(knobValueText(KnobValue(std::string("on"))) == "on");
}

TEST_CASE("empty hints are dropped and do not affect equality", "[config]") {
  CandidateConfig A;
  A.Loops["f:L0"] = LoopHint();
  A.Functions["g"] = FunctionHint();
  CHECK_FALSE(A.hasHints());
  CHECK(A.isIdentity());
  CHECK(A == CandidateConfig());
  auto R = CandidateConfig::parse(withHints(R"({"loops":{"f:L0":{}}})"), "cfg.json");
  REQUIRE(R.ok());
  CHECK(R->Loops.empty());
}

TEST_CASE("errors name the file, the field and what was expected", "[config]") {
  CHECK(parseError(withHints(R"({"loops":{"f:L0":{"unroll":0}}})")) ==
        R"(cfg.json: hints.loops["f:L0"].unroll: expected an integer >= 1, "full" or "disable")");
  CHECK(parseError(withHints(R"({"loops":{"f:L0":{"unroll":"twice"}}})")) ==
        R"(cfg.json: hints.loops["f:L0"].unroll: expected an integer >= 1, "full" or "disable")");
  CHECK(parseError(withHints(R"({"loops":{"f:L0":{"unroll_and_jam":"full"}}})")) ==
        R"(cfg.json: hints.loops["f:L0"].unroll_and_jam: expected an integer >= 1 or "disable")");
  CHECK(parseError(withHints(R"({"loops":{"f:L0":{"vectorize_width":6}}})")) ==
        R"(cfg.json: hints.loops["f:L0"].vectorize_width: expected a power of two >= 1)");
  CHECK(parseError(withHints(R"({"loops":{"f:L0":{"interleave_count":-1}}})")) ==
        R"(cfg.json: hints.loops["f:L0"].interleave_count: expected an integer >= 1)");
  CHECK(parseError(withHints(R"({"loops":{"f:L0":{"vectorize":1}}})")) ==
        R"(cfg.json: hints.loops["f:L0"].vectorize: expected true or false)");
  CHECK(parseError(withHints(R"({"loops":{"f:L0":{"unrol":2}}})")).find(
            R"(cfg.json: hints.loops["f:L0"].unrol: unknown key)") == 0);
  CHECK(parseError(withHints(R"({"loops":{"f":{"unroll":2}}})")) ==
        R"(cfg.json: hints.loops.f: expected a loop name FUNCTION:L<i>)");
  CHECK(parseError(withHints(R"({"functions":{"g":{"inline":"sometimes"}}})")) ==
        R"(cfg.json: hints.functions.g.inline: expected "always", "never" or "default")");
  CHECK(parseError(withHints(R"({"functions":{"g":{"size":"tiny"}}})")) ==
        R"(cfg.json: hints.functions.g.size: expected "opt", "min" or "none")");
  CHECK(parseError(withHints(R"({"calls":[{"caller":"m","callee":"h","inline":"default"}]})")) ==
        R"(cfg.json: hints.calls[0].inline: expected "always" or "never")");
  CHECK(parseError(withHints(R"({"calls":[{"caller":"m","inline":"never"}]})")) ==
        R"(cfg.json: hints.calls[0].callee: expected a function name)");
  CHECK(parseError(withHints(R"({"calls":[{"caller":"m","callee":"h","index":-1,"inline":"never"}]})")) ==
        R"(cfg.json: hints.calls[0].index: expected an integer >= 0)");
  CHECK(parseError(withHints(R"({"regions":{}})")).find("cfg.json: hints.regions: unknown key") == 0);
}

TEST_CASE("top-level errors", "[config]") {
  CHECK(parseError(R"({})") == R"(cfg.json: schema: missing (expected "autopass-config/1"))");
  CHECK(parseError(R"({"schema":"autopass-config/2"})") ==
        R"(cfg.json: schema: unknown schema (expected "autopass-config/1"))");
  CHECK(parseError(R"({"schema":"autopass-config/1","knob":{}})").find("cfg.json: knob: unknown key") == 0);
  CHECK(parseError(R"({"schema":"autopass-config/1","knobs":{"polly":null}})") ==
        R"(cfg.json: knobs.polly: expected true/false, a number or a string)");
  CHECK(parseError(R"({"schema":"autopass-config/1","knobs":{"-polly":true}})") ==
        R"(cfg.json: knobs.-polly: expected an option name without leading dash, '=' or spaces)");
  CHECK(parseError(R"({"schema":"autopass-config/1","knobs":{"a":1,"a":2}})") ==
        R"(cfg.json: knobs.a: duplicate key)");
  CHECK(parseError(R"({"schema":"autopass-config/1","pipeline":""})") ==
        R"(cfg.json: pipeline: expected a non-empty pass pipeline string)");
  CHECK(parseError(R"({"schema":"autopass-config/1","meta":3})") == R"(cfg.json: meta: expected an object)");
  CHECK(parseError(R"([1])") == "cfg.json: (document): expected a JSON object");
  CHECK(parseError(R"({"schema":)").find("cfg.json: malformed JSON: ") == 0);
}

TEST_CASE("load reads a file and reports a missing one", "[config]") {
  std::string Path = "autopass-config-test.json";
  {
    std::ofstream Out(Path);
    Out << FullExample;
  }
  auto R = CandidateConfig::load(Path);
  REQUIRE(R.ok());
  CHECK(R->Loops.size() == 3);
  std::remove(Path.c_str());
  auto Missing = CandidateConfig::load("/nonexistent/cfg.json");
  REQUIRE_FALSE(Missing.ok());
  CHECK(Missing.message().find("/nonexistent/cfg.json: cannot read") == 0);
}

TEST_CASE("the tuner and the plugin refuse the same hostile documents", "[config][json-limits]") {
  // Issue 14: each of these crashed or was accepted by one reader only.
  const std::string Deep(100000, '[');
  CHECK(parseError(R"({"schema":"autopass-config/1","meta":{"x":)" + Deep +
                   std::string(100000, ']') + "}}") ==
        "cfg.json: nesting deeper than 256 levels");
  CHECK(parseError(R"({"schema":"autopass-config/1","meta":)" + Deep) ==
        "cfg.json: nesting deeper than 256 levels");
  CHECK(parseError(withHints(R"({"loops":{"f:L0":{"unroll":4294967297}}})")) ==
        R"(cfg.json: hints.loops["f:L0"].unroll: expected an integer >= 1, "full" or "disable")");
  CHECK(parseError(withHints(R"({"loops":{"f:L0":{"unroll":2,"unroll":3}}})")) ==
        R"(cfg.json: hints.loops["f:L0"].unroll: duplicate key)");
  CHECK(parseError("{\"schema\":\"autopass-config/1\",\"knobs\":{\"x\":\"\xff\"}}") ==
        "cfg.json: knobs.x: expected UTF-8 text in a string (invalid byte at offset 44)");
}

TEST_CASE("a deep meta set by code is dropped on write, never recursed into", "[config][json-limits]") {
  CandidateConfig C;
  C.Knobs["polly"] = true;
  C.MetaJson = "{\"x\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  std::string Text = C.toJson(false);
  CHECK(Text == R"({"knobs":{"polly":true},"schema":"autopass-config/1"})");
}

TEST_CASE("load says when the path is a directory", "[config]") {
  auto R = CandidateConfig::load(AUTOPASS_TEST_DATA);
  REQUIRE_FALSE(R.ok());
  CHECK(R.message() == std::string(AUTOPASS_TEST_DATA) +
                           ": is a directory, expected a configuration file (autopass-config/1)");
}

TEST_CASE("eval and emit refuse a config nested 100,000 levels deep", "[config][json-limits][cli]") {
  // Issue 14: both died with SIGSEGV on this file.
  test::TempDir Dir{"autopass-config-test-"};
  std::string Path = joinPath(Dir.Path, "deep.json");
  REQUIRE(writeFile(Path, R"({"schema":"autopass-config/1","meta":{"x":)" +
                              std::string(100000, '[') + std::string(100000, ']') + "}}")
              .ok());
  const std::string Spec = std::string(AUTOPASS_TEST_DATA) + "/harness/loop/spec.json";
  for (const std::vector<std::string> &Args :
       {std::vector<std::string>{"emit", Path}, std::vector<std::string>{"eval", Spec, Path}}) {
    SubprocessOptions O;
    O.Argv = {AUTOPASS_TUNER_EXE};
    O.Argv.insert(O.Argv.end(), Args.begin(), Args.end());
    O.TimeoutSeconds = 60;
    auto P = runSubprocess(O);
    REQUIRE(P.ok());
    INFO(Args[0] << ": " << P->Stderr);
    CHECK(P->Signal == 0);
    CHECK(P->ExitCode == 1);
    CHECK(P->Stderr.find(Path + ": nesting deeper than 256 levels") != std::string::npos);
  }
}

TEST_CASE("units give one translation unit its own knobs and pipeline", "[config]") {
  auto C = CandidateConfig::parse(R"({"schema": "autopass-config/1",
    "knobs": {"unroll-threshold": 300, "inline-threshold": 200},
    "pipeline": "default<O3>",
    "hints": {"functions": {"f": {"inline": "never"}}},
    "units": {"mat.c": {"knobs": {"unroll-threshold": 900}},
              "lib/mat.c": {"pipeline": "default<O2>"}}})",
                                  "units.json");
  REQUIRE(C.ok());
  REQUIRE(C->Units.size() == 2);
  CHECK_FALSE(C->isIdentity());
  // The longest matching key wins; it replaces the pipeline, keeps knobs.
  CandidateConfig Mat = C->forUnit("/src/lib/mat.c");
  CHECK(Mat.Units.empty());
  CHECK(Mat.Pipeline == std::optional<std::string>("default<O2>"));
  CHECK(std::get<int64_t>(Mat.Knobs.at("unroll-threshold")) == 300);
  CHECK(Mat.Functions.count("f") == 1);
  // Another directory's mat.c matches the shorter key only.
  CandidateConfig Other = C->forUnit("/src/other/mat.c");
  CHECK(std::get<int64_t>(Other.Knobs.at("unroll-threshold")) == 900);
  CHECK(std::get<int64_t>(Other.Knobs.at("inline-threshold")) == 200);
  CHECK(Other.Pipeline == std::optional<std::string>("default<O3>"));
  // A suffix that is not a whole path component does not match.
  CandidateConfig Format = C->forUnit("/src/format.c");
  CHECK(Format == C->forUnit("/src/nothing.c"));
  CHECK(std::get<int64_t>(Format.Knobs.at("unroll-threshold")) == 300);
  // Units are part of the content: a change to one entry changes the hash,
  // but not the configuration of units it does not name.
  auto D = CandidateConfig::parse(R"({"schema": "autopass-config/1",
    "knobs": {"unroll-threshold": 300, "inline-threshold": 200},
    "pipeline": "default<O3>",
    "hints": {"functions": {"f": {"inline": "never"}}},
    "units": {"mat.c": {"knobs": {"unroll-threshold": 901}},
              "lib/mat.c": {"pipeline": "default<O2>"}}})",
                                  "units2.json");
  REQUIRE(D.ok());
  CHECK(D->contentHash() != C->contentHash());
  CHECK(D->forUnit("/src/format.c").contentHash() == Format.contentHash());
  CHECK(D->forUnit("/src/other/mat.c").contentHash() != Other.contentHash());
  // Round trip.
  auto Again = CandidateConfig::parse(C->toJson(), "again.json");
  REQUIRE(Again.ok());
  CHECK(*Again == *C);
}
