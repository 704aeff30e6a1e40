// Unit tests of the plugin's autopass-config/1 reader (ConfigReader.cpp):
// what it accepts, and that each rejection names the file, the field and
// what was expected.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "Config.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

using namespace autopass;
using namespace autopass::config;

namespace {

/// The error text of parsing \p Json, or "" if it parsed.
std::string errorOf(const std::string &Json) {
  llvm::Expected<Config> C = parseConfig(Json, "cfg.json");
  if (C)
    return "";
  return llvm::toString(C.takeError());
}

Config parsed(const std::string &Json) {
  llvm::Expected<Config> C = parseConfig(Json, "cfg.json");
  if (!C)
    FAIL(llvm::toString(C.takeError()));
  return std::move(*C);
}

} // namespace

TEST_CASE("the empty configuration is plain -O3") {
  Config C = parsed(R"({"schema":"autopass-config/1"})");
  CHECK_FALSE(C.hasHints());
  CHECK_FALSE(C.Pipeline.has_value());
  CHECK(C.Path == "cfg.json");
}

TEST_CASE("the documented example parses with every field") {
  Config C = parsed(R"({
    "schema": "autopass-config/1",
    "knobs": {"unroll-threshold": 600, "enable-loopinterchange": true, "polly": true, "x": "s"},
    "pipeline": "default<O3>",
    "hints": {
      "loops": {
        "matmul:L1": {"unroll": 4, "vectorize_width": 8, "interleave_count": 2},
        "scan:L0":   {"unroll": "disable", "vectorize": false},
        "nest:L0":   {"distribute": true, "unroll_and_jam": 2},
        "full:L3":   {"unroll": "full", "unroll_and_jam": "disable"}
      },
      "functions": {
        "helper": {"inline": "always"},
        "cold_path": {"inline": "never", "size": "min"}
      },
      "calls": [{"caller": "main", "callee": "helper", "index": 0, "inline": "never"},
                {"caller": "main", "callee": "other", "inline": "always"}]
    },
    "meta": {"origin": "expert", "anything": {"nested": [1, "x", null]}}
  })");
  REQUIRE(C.Pipeline);
  CHECK(*C.Pipeline == "default<O3>");
  REQUIRE(C.Loops.size() == 4);
  // Sorted by name: full:L3, matmul:L1, nest:L0, scan:L0.
  CHECK(C.Loops[0].first == "full:L3");
  CHECK(C.Loops[1].first == "matmul:L1");
  CHECK(C.Loops[2].first == "nest:L0");
  CHECK(C.Loops[3].first == "scan:L0");
  const LoopHint &M = C.Loops[1].second;
  CHECK(M.Unroll == LoopHint::UnrollKind::Count);
  CHECK(M.UnrollCount == 4);
  CHECK(M.VectorizeWidth == 8u);
  CHECK(M.InterleaveCount == 2u);
  CHECK_FALSE(M.Vectorize.has_value());
  const LoopHint &S = C.Loops[3].second;
  CHECK(S.Unroll == LoopHint::UnrollKind::Disable);
  CHECK(S.Vectorize == false);
  const LoopHint &N = C.Loops[2].second;
  CHECK(N.Distribute == true);
  CHECK(N.UnrollAndJam == LoopHint::JamKind::Count);
  CHECK(N.UnrollAndJamCount == 2);
  CHECK(C.Loops[0].second.Unroll == LoopHint::UnrollKind::Full);
  CHECK(C.Loops[0].second.UnrollAndJam == LoopHint::JamKind::Disable);

  REQUIRE(C.Functions.size() == 2);
  CHECK(C.Functions[0].first == "cold_path");
  CHECK(C.Functions[0].second.Inline == InlineChoice::Never);
  CHECK(C.Functions[0].second.Size == SizeChoice::Min);
  CHECK(C.Functions[1].first == "helper");
  CHECK(C.Functions[1].second.Inline == InlineChoice::Always);
  CHECK(C.Functions[1].second.Size == SizeChoice::Unset);

  REQUIRE(C.Calls.size() == 2);
  CHECK(C.Calls[0].Caller == "main");
  CHECK(C.Calls[0].Callee == "helper");
  CHECK(C.Calls[0].Index == 0u);
  CHECK(C.Calls[0].Inline == InlineChoice::Never);
  CHECK_FALSE(C.Calls[1].Index.has_value());
  CHECK(C.Calls[1].Inline == InlineChoice::Always);
}

TEST_CASE("malformed JSON names the file and the position") {
  CHECK(errorOf(R"({"schema": )") ==
        "cfg.json: malformed JSON: [1:11, byte=11]: Unexpected EOF");
}

TEST_CASE("the schema is required and checked") {
  CHECK(errorOf(R"({})") ==
        R"(cfg.json: schema: missing (expected "autopass-config/1"))");
  CHECK(errorOf(R"({"schema":"autopass-config/2"})") ==
        R"(cfg.json: schema: unknown schema (expected "autopass-config/1"))");
  CHECK(errorOf(R"([1])") == "cfg.json: (document): expected a JSON object");
}

TEST_CASE("unknown keys are errors everywhere but meta") {
  CHECK(errorOf(R"({"schema":"autopass-config/1","hint":{}})") ==
        "cfg.json: hint: unknown key (expected one of: schema, knobs, "
        "pipeline, hints, units, meta)");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"loop":{}}})") ==
        "cfg.json: hints.loop: unknown key (expected one of: loops, "
        "functions, calls)");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"functions":{"f":{"inlined":"never"}}}})") ==
        "cfg.json: hints.functions.f.inlined: unknown key (expected one of: "
        "inline, size)");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"calls":[{"caller":"a","callee":"b","inline":"never","at":3}]}})") ==
        "cfg.json: hints.calls[0].at: unknown key (expected one of: caller, "
        "callee, index, inline)");
  CHECK(errorOf(R"({"schema":"autopass-config/1","meta":{"whatever":1}})") == "");
}

TEST_CASE("loop hint values are checked") {
  auto loop = [](const std::string &Hint) {
    return errorOf(R"({"schema":"autopass-config/1","hints":{"loops":{"f:L0":)" +
                   Hint + "}}}");
  };
  CHECK(loop(R"({"unroll":0})") ==
        R"(cfg.json: hints.loops["f:L0"].unroll: expected an integer >= 1, "full" or "disable")");
  CHECK(loop(R"({"unroll":"twice"})") ==
        R"(cfg.json: hints.loops["f:L0"].unroll: expected an integer >= 1, "full" or "disable")");
  CHECK(loop(R"({"unroll":2.5})") ==
        R"(cfg.json: hints.loops["f:L0"].unroll: expected an integer >= 1, "full" or "disable")");
  CHECK(loop(R"({"vectorize":"yes"})") ==
        R"(cfg.json: hints.loops["f:L0"].vectorize: expected true or false)");
  CHECK(loop(R"({"vectorize_width":6})") ==
        R"(cfg.json: hints.loops["f:L0"].vectorize_width: expected a power of two >= 1)");
  CHECK(loop(R"({"interleave_count":0})") ==
        R"(cfg.json: hints.loops["f:L0"].interleave_count: expected an integer >= 1)");
  CHECK(loop(R"({"unroll_and_jam":"full"})") ==
        R"(cfg.json: hints.loops["f:L0"].unroll_and_jam: expected an integer >= 1 or "disable")");
  CHECK(loop(R"(7)") ==
        R"(cfg.json: hints.loops["f:L0"]: expected an object (a loop hint))");
}

TEST_CASE("loop names must be FUNCTION:L<i>") {
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"loops":{"main":{}}}})") ==
        "cfg.json: hints.loops.main: expected a loop name FUNCTION:L<i>");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"loops":{"main:Lx":{}}}})") ==
        R"(cfg.json: hints.loops["main:Lx"]: expected a loop name FUNCTION:L<i>)");
  std::optional<LoopName> N = parseLoopName("_ZN3foo3barEv:L12");
  REQUIRE(N);
  CHECK(N->Function == "_ZN3foo3barEv");
  CHECK(N->Index == 12);
  // The last ":L" splits, so a name holding ":L" itself still works.
  N = parseLoopName("a:Lb:L3");
  REQUIRE(N);
  CHECK(N->Function == "a:Lb");
  CHECK(N->Index == 3);
  CHECK_FALSE(parseLoopName(":L3"));
  CHECK_FALSE(parseLoopName("f:L"));
}

TEST_CASE("function and call hints are checked") {
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"functions":{"f":{"inline":"sometimes"}}}})") ==
        R"(cfg.json: hints.functions.f.inline: expected "always", "never" or "default")");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"functions":{"f":{"size":"small"}}}})") ==
        R"(cfg.json: hints.functions.f.size: expected "opt", "min" or "none")");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"calls":[{"caller":"a","callee":"b","inline":"default"}]}})") ==
        R"(cfg.json: hints.calls[0].inline: expected "always" or "never")");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"calls":[{"caller":"a","inline":"never"}]}})") ==
        "cfg.json: hints.calls[0].callee: expected a function name");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"calls":[{"caller":"a","callee":"b"}]}})") ==
        R"(cfg.json: hints.calls[0].inline: missing (expected "always" or "never"))");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"calls":[{"caller":"a","callee":"b","index":-1,"inline":"never"}]}})") ==
        "cfg.json: hints.calls[0].index: expected an integer >= 0");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"calls":{}}})") ==
        "cfg.json: hints.calls: expected an array of call-site hints");
}

TEST_CASE("knobs and pipeline values are checked") {
  CHECK(errorOf(R"({"schema":"autopass-config/1","knobs":{"unroll-threshold":[1]}})") ==
        "cfg.json: knobs.unroll-threshold: expected true/false, a number "
        "or a string");
  // Float options (licm-versioning-invariant-threshold is a cl::opt<float>).
  CHECK(errorOf(R"({"schema":"autopass-config/1","knobs":{"licm-versioning-invariant-threshold":88.21}})") ==
        "");
  CHECK(errorOf(R"({"schema":"autopass-config/1","knobs":{"-polly":true}})") ==
        "cfg.json: knobs.-polly: expected an option name without leading "
        "dash, '=' or spaces");
  CHECK(errorOf(R"({"schema":"autopass-config/1","knobs":{"a=b":1}})") ==
        R"(cfg.json: knobs["a=b"]: expected an option name without leading dash, '=' or spaces)");
  CHECK(errorOf(R"({"schema":"autopass-config/1","pipeline":""})") ==
        "cfg.json: pipeline: expected a non-empty pass pipeline string");
  CHECK(errorOf(R"({"schema":"autopass-config/1","pipeline":3})") ==
        "cfg.json: pipeline: expected a non-empty pass pipeline string");
}

TEST_CASE("readConfigFile names a missing file and reads a present one") {
  llvm::Expected<Config> Missing =
      readConfigFile("/nonexistent/autopass/cfg.json");
  bool Ok = static_cast<bool>(Missing);
  REQUIRE_FALSE(Ok);
  std::string Message = llvm::toString(Missing.takeError());
  CHECK(Message.rfind("/nonexistent/autopass/cfg.json: cannot read: ", 0) == 0);

  llvm::SmallString<128> Path;
  REQUIRE_FALSE(llvm::sys::fs::createTemporaryFile("autopass-config", "json", Path));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    REQUIRE_FALSE(EC);
    OS << R"({"schema":"autopass-config/1","hints":{"loops":{"f:L0":{"unroll":2}}}})";
  }
  llvm::Expected<Config> C = readConfigFile(Path);
  llvm::sys::fs::remove(Path);
  bool Read = static_cast<bool>(C);
  if (!Read)
    FAIL(llvm::toString(C.takeError()));
  CHECK(C->Path == Path.str().str());
  REQUIRE(C->Loops.size() == 1);
  CHECK(C->Loops[0].second.UnrollCount == 2);
}

TEST_CASE("knob values keep their kind: 2 is an integer, 2.0 a float") {
  Config C = parsed(R"({"schema":"autopass-config/1","knobs":{"b":true,"f":2.0,"e":1e3,"i":-7,"s":"x"}})");
  REQUIRE(C.Knobs.size() == 5);
  // Sorted by name: b, e, f, i, s.
  CHECK(C.Knobs[0].second.Type == KnobSetting::Kind::Bool);
  CHECK(C.Knobs[1].second.Type == KnobSetting::Kind::Float);
  CHECK(C.Knobs[1].second.Float == 1000.0);
  CHECK(C.Knobs[2].second.Type == KnobSetting::Kind::Float);
  CHECK(C.Knobs[2].second.Float == 2.0);
  CHECK(C.Knobs[3].second.Type == KnobSetting::Kind::Integer);
  CHECK(C.Knobs[3].second.Integer == -7);
  CHECK(C.Knobs[4].second.Type == KnobSetting::Kind::String);
  CHECK(C.Knobs[4].second.String == "x");
  // Beyond int64, or not finite: refused rather than changed.
  CHECK(errorOf(R"({"schema":"autopass-config/1","knobs":{"n":9223372036854775808}})") ==
        "cfg.json: knobs.n: expected an integer from -9223372036854775808 to "
        "9223372036854775807");
  CHECK(errorOf(R"({"schema":"autopass-config/1","knobs":{"n":1e400}})") ==
        "cfg.json: knobs.n: expected a finite number");
}

TEST_CASE("hint integers are whole, written as such, and fit in 32 bits") {
  auto loop = [](const std::string &Hint) {
    return errorOf(R"({"schema":"autopass-config/1","hints":{"loops":{"f:L0":)" +
                   Hint + "}}}");
  };
  const std::string Unroll =
      R"(cfg.json: hints.loops["f:L0"].unroll: expected an integer >= 1, "full" or "disable")";
  CHECK(loop(R"({"unroll":4294967297})") == Unroll);
  CHECK(loop(R"({"unroll":18446744073709551617})") == Unroll);
  CHECK(loop(R"({"unroll":4.0})") == Unroll);
  CHECK(loop(R"({"unroll":4e0})") == Unroll);
  CHECK(loop(R"({"unroll":4294967295})") == "");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"calls":[{"caller":"a","callee":"b","index":4294967296,"inline":"never"}]}})") ==
        "cfg.json: hints.calls[0].index: expected an integer >= 0");
}

TEST_CASE("duplicate keys are errors, at any depth") {
  CHECK(errorOf(R"({"schema":"autopass-config/1","schema":"autopass-config/1"})") ==
        "cfg.json: schema: duplicate key");
  CHECK(errorOf(R"({"schema":"autopass-config/1","knobs":{"polly":true,"polly":false}})") ==
        "cfg.json: knobs.polly: duplicate key");
  CHECK(errorOf(R"({"schema":"autopass-config/1","hints":{"loops":{"f:L0":{},"f:L0":{}}}})") ==
        R"(cfg.json: hints.loops["f:L0"]: duplicate key)");
  // Spelt differently, the same key.
  CHECK(errorOf(R"({"schema":"autopass-config/1","meta":{"a":1,"a":2}})") ==
        "cfg.json: meta.a: duplicate key");
}

TEST_CASE("nesting is bounded before llvm::json parses") {
  const std::string Deep(100000, '[');
  CHECK(errorOf(R"({"schema":"autopass-config/1","meta":{"x":)" + Deep +
                std::string(100000, ']') + "}}") ==
        "cfg.json: nesting deeper than 256 levels");
  CHECK(errorOf(R"({"schema":"autopass-config/1","meta":)" + Deep) ==
        "cfg.json: nesting deeper than 256 levels");
  // The limit itself is fine: the document and meta are two levels.
  CHECK(errorOf(R"({"schema":"autopass-config/1","meta":{"x":)" +
                std::string(254, '[') + std::string(254, ']') + "}}") == "");
  CHECK(errorOf(R"({"schema":"autopass-config/1","meta":{"x":)" +
                std::string(255, '[') + std::string(255, ']') + "}}") ==
        "cfg.json: nesting deeper than 256 levels");
}

TEST_CASE("strings must be UTF-8, and meta an object") {
  CHECK(errorOf("{\"schema\":\"autopass-config/1\",\"pipeline\":\"default<O3>\xff\"}") ==
        "cfg.json: pipeline: expected UTF-8 text in a string (invalid byte at "
        "offset 53)");
  CHECK(errorOf(R"({"schema":"autopass-config/1","meta":[1]})") ==
        "cfg.json: meta: expected an object");
}

TEST_CASE("a directory is named as one") {
  llvm::SmallString<128> Dir;
  REQUIRE_FALSE(llvm::sys::fs::createUniqueDirectory("autopass-config", Dir));
  llvm::Expected<Config> C = readConfigFile(Dir);
  llvm::sys::fs::remove(Dir);
  bool Read = static_cast<bool>(C);
  REQUIRE_FALSE(Read);
  CHECK(llvm::toString(C.takeError()) ==
        Dir.str().str() +
            ": is a directory, expected a configuration file (autopass-config/1)");
}
