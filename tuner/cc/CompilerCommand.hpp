//===- cc/CompilerCommand.hpp - What a compiler command line asks for -*- C++ -*-===//
//
// autopass-cc sits in front of clang in somebody else's build. It must tell a
// compile step from a link step, find the sources, the output and the
// optimization level, and leave everything else alone: a build must never
// break because the wrapper misunderstood a flag. So this parser knows just
// enough of the GCC/clang driver syntax (which options take a separate
// value, which ones stop code generation) and classifies anything it cannot
// place as an ordinary flag that is passed through untouched.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <string>
#include <vector>

namespace autopass {

/// What the driver invocation does.
enum class CompilerMode {
  /// -c or -S: translation units to objects (or assembly).
  Compile,
  /// No -c/-S/-E: inputs (sources and/or objects) to a linked output.
  Link,
  /// -E, -M, -MM, -fsyntax-only, queries such as --version or -print-*:
  /// nothing is optimized, the command is passed through.
  NoCodegen,
};

/// One input operand of the command line.
struct CompilerInput {
  std::string Path;
  size_t ArgIndex = 0; // position in CompilerCommand::Args
  /// The language given by an earlier -x ("" when none: by extension).
  std::string Language;
};

struct CompilerCommand {
  /// The arguments after the compiler, with autopass-cc's own options
  /// (--autopass-config=FILE) removed.
  std::vector<std::string> Args;
  CompilerMode Mode = CompilerMode::Link;

  /// Translation units clang would optimize (C, C++, Objective-C sources
  /// and preprocessed sources).
  std::vector<CompilerInput> Sources;
  /// Object files on the command line (.o, .obj, .lo).
  std::vector<CompilerInput> Objects;
  /// Every other input operand: archives, shared libraries, assembly,
  /// headers, linker scripts, stdin ("-").
  std::vector<CompilerInput> OtherInputs;

  /// The -o value ("" when absent) and the indices in Args of the option
  /// and its value (one index for the joined form -oFILE).
  std::string Output;
  std::vector<size_t> OutputArgs;
  /// Indices in Args of -x options and their values.
  std::vector<size_t> LanguageArgs;
  /// Indices in Args of dependency-file options (-MD, -MMD, -MF F, -MT T,
  /// -MQ T, -MP, -MJ F) and their values: they belong to the front end.
  std::vector<size_t> DependencyArgs;

  /// The last -O option: "0" (also when absent), "1", "2", "3", "s", "z",
  /// "fast", "g".
  std::string OptLevel = "0";
  bool EmitAssembly = false;     // -S
  bool EmitLlvm = false;         // -emit-llvm
  bool Lto = false;              // -flto, -flto=thin
  bool AnyLanguageFlag = false;  // some -x LANG appeared
  bool DependencyFile = false;   // -MD or -MMD
  bool DependencyTarget = false; // -MT or -MQ
  bool ColorFlag = false;        // -f[no-]color-diagnostics, -fdiagnostics-color*

  /// --autopass-config=FILE ("" when absent).
  std::string ConfigPath;

  /// The tuned configuration assumes -O3 and the plugin's hints target the
  /// O2/O3 pipelines: only -O2, -O3 and -Ofast builds are changed.
  bool optimizes() const;
  /// True when a source is C++ (by -x or by extension): link with clang++.
  bool anyCxx() const;
};

/// Parses the arguments that follow the compiler's name. Never fails: what
/// it does not recognise is an ordinary flag.
CompilerCommand parseCompilerCommand(const std::vector<std::string> &Args);

/// True for C, C++ and Objective-C source (and preprocessed source)
/// extensions; headers are not translation units here.
bool isTranslationUnitPath(const std::string &Path);
bool isCxxTranslationUnitPath(const std::string &Path);
/// True for -x languages that produce a translation unit.
bool isTranslationUnitLanguage(const std::string &Language);

/// The object (or assembly) file clang names when -c/-S is given without
/// -o: the source's file name with its extension replaced, in the current
/// directory.
std::string defaultOutputFor(const std::string &Source, bool Assembly, bool Llvm);

} // namespace autopass
