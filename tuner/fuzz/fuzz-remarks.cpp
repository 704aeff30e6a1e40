//===- fuzz/fuzz-remarks.cpp - Optimization records and their digest -------===//
//
// parseRemarks (LLVM's YAML remarks parser underneath) on arbitrary text,
// then RemarkDigest::build and its per-function views on what it accepted.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.hpp"

#include "evidence/RemarkDigest.hpp"

using namespace autopass;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  auto Remarks = parseRemarks(fuzz::bytes(Data, Size), "fuzz.opt.yaml");
  if (!Remarks)
    return 0;
  RemarkDigest D = RemarkDigest::build(*Remarks);
  for (const auto &[Fn, Counts] : D.Functions) {
    (void)D.inliningInto(Fn);
    (void)D.vectorizationIn(Fn);
    (void)D.highlightsIn(Fn);
  }
  for (const OptRemark &R : *Remarks)
    if (R.Loc)
      (void)R.Loc->str();
  return 0;
}
