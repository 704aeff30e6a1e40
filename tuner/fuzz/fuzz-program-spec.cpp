//===- fuzz/fuzz-program-spec.cpp - autopass-program/1 parser --------------===//
//
// ProgramSpec::parse on arbitrary text. An accepted spec is serialised
// (toJson, what the run directory records and hashes); that must work for
// every accepted spec, whatever bytes its strings hold.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.hpp"

#include "spec/ProgramSpec.hpp"

using namespace autopass;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  auto Spec = ProgramSpec::parse(fuzz::bytes(Data, Size), "/fuzz/prog.spec.json");
  if (!Spec) {
    fuzz::fuzzInvariant(!Spec.message().empty(), "a refused spec has a message");
    return 0;
  }
  std::string Json = Spec->toJson();
  fuzz::fuzzInvariant(!Json.empty(), "an accepted spec serialises");
  (void)Spec->hasCxx();
  return 0;
}
