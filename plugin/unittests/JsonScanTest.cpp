// Unit tests of the JSON text scan (JsonScan.cpp) that every reader, in the
// plugin and in the tuner, runs before it parses.
#include <catch2/catch.hpp>

#include "JsonScan.h"

#include <string>

using namespace autopass;

namespace {

/// The scan's error for \p Text, or "" if it found nothing.
std::string scanError(const std::string &Text, JsonTextFacts *Facts = nullptr,
                      unsigned MaxDepth = MaxJsonDepth) {
  if (llvm::Error E = scanJsonText(Text, "x.json", Facts, MaxDepth))
    return llvm::toString(std::move(E));
  return "";
}

std::string nested(size_t Levels, bool Closed = true) {
  return std::string(Levels, '[') + (Closed ? std::string(Levels, ']') : "");
}

} // namespace

TEST_CASE("scan: nesting is counted, not recursed") {
  CHECK(scanError(nested(MaxJsonDepth)) == "");
  CHECK(scanError(nested(MaxJsonDepth + 1)) ==
        "x.json: nesting deeper than 256 levels");
  CHECK(scanError(nested(100000)) == "x.json: nesting deeper than 256 levels");
  CHECK(scanError(nested(100000, /*Closed=*/false)) ==
        "x.json: nesting deeper than 256 levels");
  CHECK(scanError(std::string(100000, '{')) ==
        "x.json: nesting deeper than 256 levels");
  // Malformed text ends the scan quietly: the parser reports it.
  CHECK(scanError("[1,}" + nested(1000)) == "");
  CHECK(scanError(R"({"a":)" + nested(255) + "}") == "");
  CHECK(scanError(R"({"a":)" + nested(256) + "}") ==
        "x.json: nesting deeper than 256 levels");
  // Brackets inside strings are text.
  CHECK(scanError("\"" + nested(1000) + "\"") == "");
  // A writer embedding a document one level down asks for one level less.
  CHECK(scanError(nested(256), nullptr, MaxJsonDepth - 1) ==
        "x.json: nesting deeper than 255 levels");
}

TEST_CASE("scan: duplicate keys name their path") {
  CHECK(scanError(R"({"a":1,"b":2})") == "");
  CHECK(scanError(R"({"a":1,"a":2})") == "x.json: a: duplicate key");
  CHECK(scanError(R"({"a":{"b":[{"c":1},{"c":1,"c":2}]}})") ==
        "x.json: a.b[1].c: duplicate key");
  CHECK(scanError(R"({"x":{"f:L0":1,"f:L0":2}})") ==
        R"(x.json: x["f:L0"]: duplicate key)");
  // The same key in sibling objects is fine; escapes are decoded first.
  CHECK(scanError(R"([{"a":1},{"a":1}])") == "");
  CHECK(scanError(R"({"a\"b":1,"a\u0022b":2})") ==
        R"(x.json: ["a"b"]: duplicate key)");
  CHECK(scanError(R"({"\ud83d\ude00":1,"😀":2})") ==
        R"(x.json: ["😀"]: duplicate key)");
}

TEST_CASE("scan: strings and keys must be UTF-8") {
  CHECK(scanError("{\"name\":\"caf\xc3\xa9\"}") == "");
  CHECK(scanError("{\"name\":\"a\xff\"}") ==
        "x.json: name: expected UTF-8 text in a string (invalid byte at offset "
        "10)");
  CHECK(scanError("{\"a\":{\"k\xc3\":1}}") ==
        "x.json: a: expected UTF-8 text in a key (invalid byte at offset 8)");
  CHECK(scanError("[\"ok\",\"\xed\xa0\x80\"]") ==
        "x.json: [1]: expected UTF-8 text in a string (invalid byte at offset "
        "7)");
}

TEST_CASE("scan: numbers are remembered as written") {
  JsonTextFacts Facts;
  CHECK(scanError(R"({"a":2,"b":[2.0,-1e3],"c":{"d-e":18446744073709551616}})",
                  &Facts) == "");
  REQUIRE(Facts.NumberText.size() == 4);
  CHECK(Facts.NumberText["a"] == "2");
  CHECK(Facts.NumberText["b[0]"] == "2.0");
  CHECK(Facts.NumberText["b[1]"] == "-1e3");
  CHECK(Facts.NumberText["c.d-e"] == "18446744073709551616");
}

TEST_CASE("scan: paths are the readers' paths") {
  CHECK(jsonMemberPath("", "knobs") == "knobs");
  CHECK(jsonMemberPath("knobs", "unroll-threshold") ==
        "knobs.unroll-threshold");
  CHECK(jsonMemberPath("hints.loops", "f:L0") == R"(hints.loops["f:L0"])");
  CHECK(jsonMemberPath("meta", "") == R"(meta[""])");
  CHECK(jsonIndexPath("hints.calls", 3) == "hints.calls[3]");
}
