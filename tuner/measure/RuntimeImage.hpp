//===- measure/RuntimeImage.hpp - What the loader maps of a binary -*- C++ -*-===//
//
// Two executables whose loaded images are equal run the same instructions on
// the same data, so timing one against the other measures nothing but noise.
// Byte-identical files are the obvious case; files can also differ only in
// what is never mapped: the symbol table, debug info, .comment, and the
// build ID note, which is a hash over all of those.
//
// The runtime image hash covers, of an ELF executable:
//   - the ELF header's class, data, machine, type and entry point;
//   - every program header (type, flags, addresses, sizes, alignment; not
//     the file offset);
//   - every SHF_ALLOC section: name, type, flags, address, size, alignment
//     and, unless it is SHT_NOBITS (.bss), its bytes;
// and leaves out the one allocated section that cannot change a run: the
// build ID note (.note.gnu.build-id). So .text and every other executable
// section, .rodata, .data, .init_array, .eh_frame, .dynamic, ... must all be
// equal: a constant table or an initialiser that differs can change what the
// program does, so equal code alone is not enough.
//
// Built with LLVM's Object library. A file that is not an ELF executable
// has no runtime image hash (an error), and is then always timed.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

#include <string>

namespace autopass {

/// SHA-256 over the parts of ElfPath listed above (hex).
Result<std::string> runtimeImageHash(const std::string &ElfPath);

} // namespace autopass
