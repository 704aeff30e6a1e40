// util/Json: every document is scanned before RapidJSON parses it (bounded
// nesting, UTF-8 strings, no duplicate keys), and the writers never emit
// invalid JSON whatever bytes they are handed.
#include "util/Json.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {

std::string parseError(const std::string &Text) {
  auto D = parseJsonText(Text, "x.json");
  REQUIRE_FALSE(D.ok());
  return D.message();
}

} // namespace

TEST_CASE("json: nesting is bounded before RapidJSON recurses", "[json][json-limits]") {
  const size_t N = 100000;
  CHECK(parseError(std::string(N, '[') + std::string(N, ']')) ==
        "x.json: nesting deeper than 256 levels");
  CHECK(parseError(std::string(N, '[')) == "x.json: nesting deeper than 256 levels");
  CHECK(parseError(R"({"meta":)" + std::string(N, '{')) ==
        "x.json: nesting deeper than 256 levels");
  auto AtLimit = parseJsonText(std::string(256, '[') + std::string(256, ']'), "x.json");
  REQUIRE(AtLimit.ok());
  CHECK(compactJson(**AtLimit).size() == 512);
}

TEST_CASE("json: duplicate keys and bytes that are not UTF-8 are refused", "[json][json-limits]") {
  CHECK(parseError(R"({"run":{"timeout_s":1,"timeout_s":2}})") ==
        "x.json: run.timeout_s: duplicate key");
  CHECK(parseError("{\"name\":\"a\xff\"}") ==
        "x.json: name: expected UTF-8 text in a string (invalid byte at offset 10)");
  CHECK(parseError(R"({"a":)").find("x.json: invalid JSON at offset 5") == 0);
}

TEST_CASE("json: JsonOut writes valid UTF-8 whatever it is handed", "[json][json-limits]") {
  JsonOut Out;
  Out.beginObject()
      .field("name", std::string("loop\xff\xfe"))
      .key(std::string("k\xc3"))
      .value("caf\xc3\xa9")
      .endObject();
  std::string Text = Out.str();
  CHECK(isValidUtf8(Text));
  CHECK(Text == "{\"name\":\"loop\xef\xbf\xbd\xef\xbf\xbd\",\"k\xef\xbf\xbd\":\"caf\xc3\xa9\"}");
  auto Back = parseJsonText(Text, "out.json");
  REQUIRE(Back.ok());
  CHECK(std::string((**Back)["name"].GetString()) == "loop\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(validUtf8("plain") == "plain");
}
