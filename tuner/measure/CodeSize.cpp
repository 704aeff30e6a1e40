//===- measure/CodeSize.cpp - Size of a binary's code ---------------------===//
#include "measure/CodeSize.hpp"

#include "util/FileSystem.hpp"

#include <cstring>
#include <elf.h>

namespace autopass {

Result<CodeSize> measureCodeSize(const std::string &ElfPath) {
  auto Bytes = readFile(ElfPath);
  if (!Bytes)
    return Bytes.error();
  const std::string &B = *Bytes;
  if (B.size() < sizeof(Elf64_Ehdr) || std::memcmp(B.data(), ELFMAG, SELFMAG) != 0 ||
      B[EI_CLASS] != ELFCLASS64)
    return makeError(ElfPath + ": not a 64-bit ELF file");
  Elf64_Ehdr Eh;
  std::memcpy(&Eh, B.data(), sizeof(Eh));
  CodeSize S;
  S.FileBytes = B.size();
  S.Machine = Eh.e_machine;
  for (unsigned I = 0; I < Eh.e_shnum; ++I) {
    uint64_t Off = Eh.e_shoff + static_cast<uint64_t>(I) * Eh.e_shentsize;
    if (Off + sizeof(Elf64_Shdr) > B.size())
      return makeError(ElfPath + ": truncated section header table");
    Elf64_Shdr Sh;
    std::memcpy(&Sh, B.data() + Off, sizeof(Sh));
    if ((Sh.sh_flags & SHF_ALLOC) && (Sh.sh_flags & SHF_EXECINSTR))
      S.TextBytes += Sh.sh_size;
  }
  return S;
}

uint16_t hostElfMachine() {
#if defined(__x86_64__)
  return EM_X86_64;
#elif defined(__aarch64__)
  return EM_AARCH64;
#elif defined(__riscv) && __riscv_xlen == 64
  return EM_RISCV;
#elif defined(__powerpc64__)
  return EM_PPC64;
#else
  return 0;
#endif
}

} // namespace autopass
