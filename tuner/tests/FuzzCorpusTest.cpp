// The fuzz targets' seed corpora (tuner/fuzz/corpus/TARGET/, docs/testing.md)
// replayed through the same readers in the ordinary unit tests: every
// `valid-*` seed is accepted (so the seeds keep up with the formats and the
// fuzzers start from documents that reach deep), and every other seed is
// read without a crash and, when refused, with a message naming the source.
#include "fuzz/SpecSeedFiles.hpp"

#include "agents/ChatTypes.hpp"
#include "config/CandidateConfig.hpp"
#include "evidence/FeaturesReader.hpp"
#include "evidence/IntrospectionReader.hpp"
#include "evidence/RemarkDigest.hpp"
#include "measure/RemoteReport.hpp"
#include "spec/ProgramSpec.hpp"
#include "util/FileSystem.hpp"
#include "util/Strings.hpp"

#include "TempDir.hpp"

#include <catch2/catch.hpp>

#include <functional>

using namespace autopass;

namespace {

const std::string Corpus = std::string(AUTOPASS_SOURCE_DIR) + "/tuner/fuzz/corpus/";

struct Outcome {
  bool Accepted = false;
  std::string Message;
};

using Reader = std::function<Outcome(const std::string &Text, const std::string &Name)>;

template <typename T> Outcome outcome(const Result<T> &R) {
  return R ? Outcome{true, ""} : Outcome{false, R.message()};
}

/// Reads every seed of Target; returns how many were valid-* seeds.
size_t replay(const std::string &Target, const Reader &Read) {
  auto Files = listDirectory(Corpus + Target);
  REQUIRE(Files.ok());
  REQUIRE_FALSE(Files->empty());
  size_t Valid = 0;
  for (const std::string &Name : *Files) {
    INFO(Target << "/" << Name);
    auto Text = readFile(Corpus + Target + "/" + Name);
    REQUIRE(Text.ok());
    Outcome O = Read(*Text, Name);
    if (startsWith(Name, "valid-")) {
      INFO(O.Message);
      CHECK(O.Accepted);
      ++Valid;
    } else if (!O.Accepted) {
      CHECK(O.Message.find(Name) != std::string::npos);
    }
  }
  return Valid;
}

} // namespace

TEST_CASE("fuzz seeds: program specs", "[fuzz]") {
  // As the fuzz target parses them: next to the files they name.
  test::TempDir Dir;
  REQUIRE(fuzz::writeSpecSeedFiles(Dir.Path));
  size_t Valid = replay("fuzz-program-spec", [&](const std::string &Text, const std::string &Name) {
    return outcome(ProgramSpec::parse(Text, joinPath(Dir.Path, Name)));
  });
  CHECK(Valid >= 3);
}

TEST_CASE("fuzz seeds: configurations", "[fuzz]") {
  size_t Valid =
      replay("fuzz-candidate-config", [](const std::string &Text, const std::string &Name) {
        return outcome(CandidateConfig::parse(Text, Name));
      });
  CHECK(Valid >= 3);
}

TEST_CASE("fuzz seeds: features and introspection", "[fuzz]") {
  size_t Features = replay("fuzz-features", [](const std::string &Text, const std::string &Name) {
    return outcome(ModuleFeatures::parse(Text, Name));
  });
  CHECK(Features >= 2);
  size_t Records =
      replay("fuzz-introspection", [](const std::string &Text, const std::string &Name) {
        return outcome(Introspection::parse(Text, Name));
      });
  CHECK(Records >= 2);
}

TEST_CASE("fuzz seeds: remarks", "[fuzz]") {
  size_t Valid = replay("fuzz-remarks", [](const std::string &Text, const std::string &Name) {
    auto R = parseRemarks(Text, Name);
    if (R)
      (void)RemarkDigest::build(*R);
    return outcome(R);
  });
  CHECK(Valid >= 2);
}

TEST_CASE("fuzz seeds: LLM replies", "[fuzz]") {
  // The first byte selects the mode (tuner/fuzz/fuzz-llm-reply.cpp); body-*
  // seeds of the four roles are well-formed completions.
  size_t Bodies = 0;
  replay("fuzz-llm-reply", [&](const std::string &Text, const std::string &Name) {
    REQUIRE_FALSE(Text.empty());
    auto Reply = decodeChatReply(std::string_view(Text).substr(1));
    for (const char *Role : {"hotspot", "analysis", "planning", "evaluation", "tool-calls"})
      if (Name == std::string("body-") + Role + ".json") {
        INFO(Name << ": " << (Reply ? "" : Reply.message()));
        CHECK(Reply.ok());
        ++Bodies;
      }
    return Outcome{true, ""};
  });
  CHECK(Bodies == 5);
}

TEST_CASE("fuzz seeds: measuring helper reports", "[fuzz]") {
  // Reports autopass-measure wrote (valid-*) and cut-short ones.
  size_t Valid = replay("fuzz-remote-report", [](const std::string &Text, const std::string &Name) {
    auto R = parseRemoteReport(Text);
    return R ? Outcome{true, ""} : Outcome{false, Name + ": " + R.message()};
  });
  CHECK(Valid == 3);
}
