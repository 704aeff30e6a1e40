//===- fuzz/fuzz-candidate-config.cpp - The tuner's autopass-config/1 -----===//
//
// CandidateConfig::parse on arbitrary text. An accepted configuration's
// canonical JSON (what the run directory stores and the content hash names)
// must parse back to an equal configuration with the same hash.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.hpp"

#include "config/CandidateConfig.hpp"

using namespace autopass;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  auto Config = CandidateConfig::parse(fuzz::bytes(Data, Size), "fuzz.json");
  if (!Config) {
    fuzz::fuzzInvariant(!Config.message().empty(), "a refused config has a message");
    return 0;
  }
  std::string Canonical = Config->toJson();
  auto Again = CandidateConfig::parse(Canonical, "canonical.json");
  fuzz::fuzzInvariant(Again.ok(), "the canonical JSON of an accepted config parses");
  fuzz::fuzzInvariant(*Again == *Config, "the canonical JSON round-trips");
  fuzz::fuzzInvariant(Again->contentHash() == Config->contentHash(),
                      "the content hash survives the round trip");
  return 0;
}
