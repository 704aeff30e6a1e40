//===- cc/CompilerCommand.cpp - What a compiler command line asks for -----===//
#include "cc/CompilerCommand.hpp"

#include "util/Strings.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace autopass {

namespace {

/// Driver options whose value is the next argument. Missing one here would
/// make its value look like an input, so the list errs on the long side.
// clang-format off
constexpr std::string_view SeparateValueOptions[] = {
    "-o", "-x", "-MF", "-MT", "-MQ", "-MJ", "-I", "-D", "-U", "-include", "-imacros",
    "-isystem", "-iquote", "-idirafter", "-isysroot", "-iprefix", "-iwithprefix",
    "-iwithprefixbefore", "-imultilib", "-L", "-l", "-Xclang", "-Xlinker", "-Xpreprocessor",
    "-Xassembler", "-Xarch_host", "-mllvm", "-target", "-arch", "-F", "-u", "-e", "-T", "-z",
    "--param", "-aux-info", "-dependency-file", "-serialize-diagnostics", "-ivfsoverlay",
    "-include-pch", "-iframework", "-isystem-after", "-Xopenmp-target", "--sysroot"};
// clang-format on

bool takesSeparateValue(std::string_view Arg) {
  return std::find(std::begin(SeparateValueOptions), std::end(SeparateValueOptions), Arg) !=
         std::end(SeparateValueOptions);
}

std::string extensionOf(const std::string &Path) {
  size_t Slash = Path.find_last_of('/');
  size_t Dot = Path.find_last_of('.');
  if (Dot == std::string::npos || (Slash != std::string::npos && Dot < Slash))
    return "";
  return Path.substr(Dot);
}

bool isObjectPath(const std::string &Path) {
  std::string Ext = extensionOf(Path);
  return Ext == ".o" || Ext == ".obj" || Ext == ".lo";
}

} // namespace

bool isCxxTranslationUnitPath(const std::string &Path) {
  std::string Ext = extensionOf(Path);
  for (const char *E : {".cc", ".cp", ".cxx", ".cpp", ".CPP", ".c++", ".C", ".ii", ".mm"})
    if (Ext == E)
      return true;
  return false;
}

bool isTranslationUnitPath(const std::string &Path) {
  std::string Ext = extensionOf(Path);
  return Ext == ".c" || Ext == ".i" || Ext == ".m" || isCxxTranslationUnitPath(Path);
}

bool isTranslationUnitLanguage(const std::string &Language) {
  for (const char *L : {"c", "c++", "objective-c", "objective-c++", "cpp-output", "c++-cpp-output",
                        "objective-c-cpp-output"})
    if (Language == L)
      return true;
  return false;
}

std::string defaultOutputFor(const std::string &Source, bool Assembly, bool Llvm) {
  std::string Name = Source.substr(
      Source.find_last_of('/') == std::string::npos ? 0 : Source.find_last_of('/') + 1);
  std::string Ext = extensionOf(Name);
  std::string Stem = Name.substr(0, Name.size() - Ext.size());
  if (Assembly)
    return Stem + (Llvm ? ".ll" : ".s");
  return Stem + (Llvm ? ".bc" : ".o");
}

bool CompilerCommand::optimizes() const {
  return OptLevel == "2" || OptLevel == "3" || OptLevel == "fast";
}

bool CompilerCommand::anyCxx() const {
  for (const CompilerInput &S : Sources) {
    if (!S.Language.empty() ? S.Language.find("c++") != std::string::npos
                            : isCxxTranslationUnitPath(S.Path))
      return true;
  }
  return false;
}

CompilerCommand parseCompilerCommand(const std::vector<std::string> &Args) {
  CompilerCommand C;
  bool CompileOnly = false, NoCodegen = false;
  std::string Language; // current -x
  for (size_t I = 0; I < Args.size(); ++I) {
    const std::string &A = Args[I];
    if (startsWith(A, "--autopass-config=")) {
      C.ConfigPath = A.substr(std::string_view("--autopass-config=").size());
      continue;
    }
    size_t Index = C.Args.size();
    C.Args.push_back(A);
    if (A == "-" || A.empty() || A[0] != '-') {
      CompilerInput In{A, Index, Language};
      bool Unit =
          !Language.empty() ? isTranslationUnitLanguage(Language) : isTranslationUnitPath(A);
      if (A == "-")
        C.OtherInputs.push_back(In);
      else if (Unit)
        C.Sources.push_back(In);
      else if (Language.empty() && isObjectPath(A))
        C.Objects.push_back(In);
      else
        C.OtherInputs.push_back(In);
      continue;
    }
    if (takesSeparateValue(A)) {
      if (I + 1 >= Args.size())
        continue; // clang reports the missing value
      const std::string &Value = Args[++I];
      C.Args.push_back(Value);
      if (A == "-o") {
        C.Output = Value;
        C.OutputArgs = {Index, Index + 1};
      } else if (A == "-x") {
        Language = Value == "none" ? "" : Value;
        C.AnyLanguageFlag = true;
        C.LanguageArgs.insert(C.LanguageArgs.end(), {Index, Index + 1});
      } else if (A == "-MT" || A == "-MQ" || A == "-MF" || A == "-MJ") {
        C.DependencyTarget |= A == "-MT" || A == "-MQ";
        C.DependencyArgs.insert(C.DependencyArgs.end(), {Index, Index + 1});
      } else if (A == "-Xclang" && (Value == "-emit-llvm" || Value == "-emit-llvm-bc")) {
        C.EmitLlvm = true;
      }
      continue;
    }
    if (startsWith(A, "-o") && A.size() > 2) {
      C.Output = A.substr(2);
      C.OutputArgs = {Index};
      continue;
    }
    if (startsWith(A, "-x") && A.size() > 2) {
      Language = A.substr(2) == "none" ? "" : A.substr(2);
      C.AnyLanguageFlag = true;
      C.LanguageArgs.push_back(Index);
      continue;
    }
    if (startsWith(A, "-O")) {
      std::string Level = A.substr(2);
      C.OptLevel = Level.empty() ? "1" : Level; // -O is -O1
      if (C.OptLevel == "4")
        C.OptLevel = "3"; // clang treats -O4 as -O3
      continue;
    }
    if (A == "-c" || A == "-S") {
      CompileOnly = true;
      C.EmitAssembly |= A == "-S";
      continue;
    }
    if (A == "-E" || A == "-M" || A == "-MM" || A == "-fsyntax-only" || A == "-###" ||
        A == "--version" || A == "-dumpversion" || A == "-dumpmachine" ||
        startsWith(A, "-print-") || startsWith(A, "--print-") || A == "--help") {
      NoCodegen = true;
      continue;
    }
    if (A == "-MD" || A == "-MMD" || A == "-MP") {
      C.DependencyFile |= A != "-MP";
      C.DependencyArgs.push_back(Index);
      continue;
    }
    if (startsWith(A, "-MT") || startsWith(A, "-MQ") || startsWith(A, "-MF") ||
        startsWith(A, "-MJ")) {
      C.DependencyTarget |= startsWith(A, "-MT") || startsWith(A, "-MQ");
      C.DependencyArgs.push_back(Index);
      continue;
    }
    if (A == "-emit-llvm") {
      C.EmitLlvm = true;
      continue;
    }
    if (A == "-flto" || startsWith(A, "-flto=")) {
      C.Lto = true;
      continue;
    }
    if (A == "-fno-lto") {
      C.Lto = false;
      continue;
    }
    if (A == "-fcolor-diagnostics" || A == "-fno-color-diagnostics" ||
        startsWith(A, "-fdiagnostics-color")) {
      C.ColorFlag = true;
      continue;
    }
  }
  if (NoCodegen)
    C.Mode = CompilerMode::NoCodegen;
  else if (CompileOnly)
    C.Mode = CompilerMode::Compile;
  else if (C.Sources.empty() && C.Objects.empty() && C.OtherInputs.empty())
    C.Mode = CompilerMode::NoCodegen; // e.g. `cc -v`
  else
    C.Mode = CompilerMode::Link;
  return C;
}

} // namespace autopass
