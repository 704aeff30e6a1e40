//===- measure/CodeSize.hpp - Size of a binary's code ---------*- C++ -*-===//
//
// The `size` objective is the number of bytes in the executable's allocated,
// executable ELF sections (.text, .plt, .init, ...): what the optimizer
// controls, unlike the file size, which also counts symbols and debug info.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <cstdint>
#include <string>

namespace autopass {

struct CodeSize {
  uint64_t TextBytes = 0; // SHF_ALLOC | SHF_EXECINSTR sections
  uint64_t FileBytes = 0;
  uint16_t Machine = 0; // e_machine: EM_X86_64, EM_AARCH64, ...
};

Result<CodeSize> measureCodeSize(const std::string &ElfPath);

/// The ELF e_machine of binaries built for this machine (0 when unknown).
uint16_t hostElfMachine();

} // namespace autopass
