//===- fuzz/fuzz-plugin-config.cpp - The plugin's autopass-config/1 reader ===//
//
// parseConfig (plugin/ConfigReader.cpp, LLVM's JSON parser underneath) on
// arbitrary text, as the `autopass` element reads AUTOPASS_CONFIG or
// config=FILE inside opt and clang, where a crash takes the compiler down.
// Loop names of an accepted document split with parseLoopName.
//
//===----------------------------------------------------------------------===//

#include "Config.h"

#include <cstdio>
#include <cstdlib>

using namespace autopass::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  llvm::Expected<Config> C = parseConfig(Text, "fuzz.json");
  if (!C) {
    std::string Message = llvm::toString(C.takeError());
    if (Message.empty()) {
      std::fprintf(stderr, "fuzz invariant broken: a refused config has a message\n");
      std::abort();
    }
    return 0;
  }
  for (const auto &[Name, Hint] : C->Loops)
    (void)parseLoopName(Name);
  return 0;
}
