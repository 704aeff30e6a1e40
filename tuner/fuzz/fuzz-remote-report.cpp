//===- fuzz/fuzz-remote-report.cpp - The measuring helper's report --------===//
//
// parseRemoteReport on arbitrary bytes: the report of autopass-measure comes
// back from a remote host over ssh and is untrusted input (a cut-short or
// forged report must be refused, never read past its end).
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.hpp"

#include "measure/RemoteReport.hpp"

using namespace autopass;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  auto R = parseRemoteReport(fuzz::bytes(Data, Size));
  if (!R)
    return 0;
  // What the runner reads from an accepted report.
  size_t Total = R->Process.Stdout.size() + R->Process.Stderr.size();
  for (const auto &[Name, Content] : R->Files)
    Total += Name.size() + Content.size();
  if (Total > Size)
    __builtin_trap(); // a report cannot hold more than it was given
  return 0;
}
