// `eval` once reported a plain "ok" for a config whose hints matched
// nothing, while opt and clang warned. It prints the plugin's warnings and
// records them in the result JSON (build_warnings), also when the build is
// served from the cache.
#include "util/FileSystem.hpp"
#include "util/Json.hpp"
#include "util/Subprocess.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>

using namespace autopass;

namespace {
const std::string Data = std::string(AUTOPASS_TEST_DATA) + "/harness";

bool contains(const std::string &Text, const std::string &Part) {
  return Text.find(Part) != std::string::npos;
}
} // namespace

TEST_CASE("eval prints and records hints that matched nothing", "[eval][cli][slow]") {
  test::TempDir Dir{"autopass-eval-warnings-"};
  std::string Config = joinPath(Dir.Path, "ghost.json");
  REQUIRE(writeFile(Config, R"({"schema":"autopass-config/1","hints":{)"
                            R"("loops":{"nope:L0":{"unroll":2},"kernel:L1":{"unroll":2}},)"
                            R"("functions":{"ghost":{"inline":"never"}}}})")
              .ok());
  std::string Run = joinPath(Dir.Path, "run");
  std::string JsonOut = joinPath(Dir.Path, "result.json");
  auto eval = [&](std::vector<std::string> Extra) {
    SubprocessOptions O;
    O.Argv = {AUTOPASS_TUNER_EXE, "eval", Data + "/loop/spec.json", Config, "--run-dir", Run,
              "--quiet", "--warmups", "0", "--min-reps", "2", "--max-reps", "2", "--jobs", "1",
              "--json", JsonOut};
    O.Argv.insert(O.Argv.end(), Extra.begin(), Extra.end());
    O.TimeoutSeconds = 300;
    auto P = runSubprocess(O);
    REQUIRE(P.ok());
    return *P;
  };
  // The second time the candidate comes from the build cache (--confirm
  // measures afresh), and the warnings with it.
  for (const std::vector<std::string> &Extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--resume", "--confirm"}}) {
    SubprocessResult P = eval(Extra);
    INFO(P.Stderr);
    REQUIRE(P.ExitCode == 0);
    CHECK(contains(P.Stderr, "warning: " + Config +
                                 ": loop hint 'nope:L0' matched nothing: function 'nope' is not "
                                 "defined in this module"));
    CHECK(contains(P.Stderr, "function hint 'ghost' matched nothing"));
    // The hint that did apply is not reported.
    CHECK_FALSE(contains(P.Stderr, "kernel:L1' matched nothing"));

    auto Doc = parseJsonFile(JsonOut);
    REQUIRE(Doc.ok());
    const auto &Warnings = (**Doc)["result"]["build_warnings"];
    REQUIRE(Warnings.IsArray());
    REQUIRE(Warnings.Size() == 2);
    CHECK(contains(Warnings[0].GetString(), "function hint 'ghost' matched nothing"));
    CHECK(contains(Warnings[1].GetString(), "loop hint 'nope:L0' matched nothing"));
  }
}
