//===- AtomicFile.h - write an output file whole or not at all --*- C++ -*-===//
//
// Every file the plugin writes (introspection records, features, the hint
// report) goes through writeFileAtomically: the text lands in FILE.tmp.<pid>
// and is renamed over FILE, so a reader never sees half a JSON document and a
// failed run leaves no file behind.
//
//===----------------------------------------------------------------------===//

#ifndef AUTOPASS_PLUGIN_ATOMICFILE_H
#define AUTOPASS_PLUGIN_ATOMICFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace autopass {

/// Writes \p Contents to \p Path atomically. The error names the file.
llvm::Error writeFileAtomically(llvm::StringRef Path,
                                llvm::StringRef Contents);

} // namespace autopass

#endif // AUTOPASS_PLUGIN_ATOMICFILE_H
