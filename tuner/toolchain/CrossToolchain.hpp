//===- toolchain/CrossToolchain.hpp - Can we build and run for the target? -*- C++ -*-===//
//
// Before a cross target's first build, asks the tools themselves whether
// they can build for it, instead of failing later inside a link:
//
//   llc --version                            the triple's architecture is registered
//   clang --target=T -print-file-name=crt1.o the C library (libc6-dev-ARCH-cross)
//   clang --target=T -print-file-name=libgcc.a  the compiler runtime (libgcc-12-dev-ARCH-cross)
//   clang --target=T -print-file-name=libstdc++.so  C++ programs only (libstdc++-12-dev-ARCH-cross)
//   clang --target=T -print-prog-name=ld     a linker for the target (binutils-ARCH-linux-gnu)
//
// and whether the runner can start its binaries (qemu-ARCH and the sysroot
// its -L names). Each error says what is missing and how to install it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "util/Result.hpp"

namespace autopass {

struct ProgramSpec;
struct Toolchain;

/// Success for a host build with runner local; else the checks above.
Status checkCrossToolchain(const ProgramSpec &Spec, const Toolchain &Tools);

} // namespace autopass
