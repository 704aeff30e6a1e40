//===- fuzz/fuzz-program-spec.cpp - autopass-program/1 parser --------------===//
//
// ProgramSpec::parse on arbitrary text. An accepted spec is serialised
// (toJson, what the run directory records and hashes); that must work for
// every accepted spec, whatever bytes its strings hold. The spec is parsed as
// if it were in a directory holding the files the seeds name
// (SpecSeedFiles.hpp), so that valid sources pass the existence check.
//
//===----------------------------------------------------------------------===//

#include "FuzzInput.hpp"

#include "SpecSeedFiles.hpp"

#include "spec/ProgramSpec.hpp"
#include "util/FileSystem.hpp"

#include <cstdlib>

using namespace autopass;

namespace {
std::string SpecPath;
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const char *Tmp = std::getenv("TMPDIR");
  auto Dir = makeTempDirectory(Tmp && *Tmp ? Tmp : "/tmp", "autopass-fuzz-spec-");
  fuzz::fuzzInvariant(Dir.ok() && fuzz::writeSpecSeedFiles(*Dir),
                      "the spec's directory can be created");
  SpecPath = joinPath(*Dir, "prog.spec.json");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  auto Spec = ProgramSpec::parse(fuzz::bytes(Data, Size), SpecPath);
  if (!Spec) {
    fuzz::fuzzInvariant(!Spec.message().empty(), "a refused spec has a message");
    return 0;
  }
  std::string Json = Spec->toJson();
  fuzz::fuzzInvariant(!Json.empty(), "an accepted spec serialises");
  (void)Spec->hasCxx();
  return 0;
}
