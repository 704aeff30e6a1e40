// The autopass-config/1 conformance corpus (tests/data/config-conformance):
// every case goes through the plugin's reader (config::readConfigFile, what
// opt and clang run) and the tuner's CandidateConfig::load (what eval, emit,
// evidence, tune and autopass-cc run), and both must give the verdict the
// EXPECTED file states, message for message.
#include "config/CandidateConfig.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"

#include "Config.h"

#include <catch2/catch.hpp>

#include <map>

using namespace autopass;

namespace {

const std::string Corpus = std::string(AUTOPASS_TEST_DATA) + "/config-conformance";

/// FILE -> "ok" or the expected message, with "@" standing for the path.
std::map<std::string, std::string> expectedVerdicts() {
  auto Text = readFile(Corpus + "/EXPECTED");
  REQUIRE(Text.ok());
  std::map<std::string, std::string> Out;
  for (const std::string &Line : split(*Text, '\n')) {
    if (trim(Line).empty() || Line[0] == '#')
      continue;
    size_t Colon = Line.find(": ");
    REQUIRE(Colon != std::string::npos);
    std::string Verdict = Line.substr(Colon + 2);
    if (Verdict.rfind("@", 0) == 0)
      Verdict = Corpus + "/" + Line.substr(0, Colon) + Verdict.substr(1);
    Out[Line.substr(0, Colon)] = Verdict;
  }
  return Out;
}

std::string pluginVerdict(const std::string &Path) {
  llvm::Expected<config::Config> C = config::readConfigFile(Path);
  if (C)
    return "ok";
  return llvm::toString(C.takeError());
}

std::string tunerVerdict(const std::string &Path) {
  Result<CandidateConfig> C = CandidateConfig::load(Path);
  return C.ok() ? "ok" : C.message();
}

} // namespace

TEST_CASE("config conformance: both readers give every case its verdict",
          "[config][conformance]") {
  std::map<std::string, std::string> Expected = expectedVerdicts();
  auto Files = listDirectory(Corpus);
  REQUIRE(Files.ok());
  std::vector<std::string> Cases;
  for (const std::string &F : *Files)
    if (F != "EXPECTED")
      Cases.push_back(F);
  // Every file has a verdict and every verdict a file: none is skipped.
  REQUIRE(Cases.size() >= 30);
  CHECK(Cases.size() == Expected.size());
  size_t Accepted = 0;
  for (const std::string &Name : Cases) {
    INFO("case " << Name);
    auto It = Expected.find(Name);
    REQUIRE(It != Expected.end());
    std::string Path = Corpus + "/" + Name;
    CHECK(pluginVerdict(Path) == It->second);
    CHECK(tunerVerdict(Path) == It->second);
    Accepted += It->second == "ok";
  }
  // Both kinds of case are present.
  CHECK(Accepted >= 3);
  CHECK(Accepted < Cases.size());
}

TEST_CASE("config conformance: an accepted case reads back from the tuner's canonical form",
          "[config][conformance]") {
  for (const char *Name : {"ok-full.json", "ok-knob-kinds.json", "ok-unroll-max.json",
                           "ok-units-knobs.json", "ok-units-pipeline.json"}) {
    INFO("case " << Name);
    Result<CandidateConfig> C = CandidateConfig::load(Corpus + "/" + Name);
    REQUIRE(C.ok());
    std::string Canonical = C->toJson();
    llvm::Expected<config::Config> Plugin = config::parseConfig(Canonical, Name);
    bool PluginOk = static_cast<bool>(Plugin);
    if (!PluginOk)
      FAIL(llvm::toString(Plugin.takeError()));
    Result<CandidateConfig> Back = CandidateConfig::parse(Canonical, Name);
    REQUIRE(Back.ok());
    CHECK(*Back == *C);
    CHECK(Back->toJson() == Canonical);
  }
}
