//===- fuzz/fuzz-features.cpp - autopass-features/1 reader -----------------===//
//
// ModuleFeatures::parse on arbitrary text, then the lookups the digest and
// the search space make on what it accepted.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.hpp"

#include "evidence/FeaturesReader.hpp"

using namespace autopass;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  auto Mod = ModuleFeatures::parse(fuzz::bytes(Data, Size), "fuzz.features.json");
  if (!Mod)
    return 0;
  for (const FunctionFeatures &F : Mod->Functions) {
    fuzz::fuzzInvariant(Mod->findFunction(F.Name) != nullptr, "every function is found");
    for (const LoopFeatures &L : F.Loops) {
      (void)L.Trip.str();
      const LoopFeatures *Found = F.findLoop(L.Name);
      fuzz::fuzzInvariant(Found != nullptr, "every loop is found");
      for (const LoopFeatures &Outer : F.Loops)
        (void)F.isWithin(L, Outer);
    }
  }
  return 0;
}
