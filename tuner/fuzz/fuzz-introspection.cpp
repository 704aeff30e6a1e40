//===- fuzz/fuzz-introspection.cpp - autopass-introspect/1 reader ----------===//
//
// Introspection::parse on arbitrary text, then what the evidence digest and
// the compile diff compute from it: merged summaries, per-function effects
// and the rendered summary diff against itself.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.hpp"

#include "evidence/IntrospectionReader.hpp"

using namespace autopass;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  auto In = Introspection::parse(fuzz::bytes(Data, Size), "fuzz.introspect.json");
  if (!In)
    return 0;
  std::vector<PassSummary> Merged = mergeSummaries({In->Summary, In->Summary});
  for (const PassRecord &R : In->Records)
    (void)functionPassEffects(In->Records, R.Unit);
  auto Deltas = diffSummaries(In->Summary, Merged);
  (void)renderSummaryDiff(Deltas, 20);
  return 0;
}
