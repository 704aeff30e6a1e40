//===- PassPolicy.cpp - passes a configuration's pipeline may not name ----===//
//
// A deny list over LLVM 19's pass names (opt --print-passes), not an allow
// list: the pipeline layer's whole point is to reach passes -O3 does not
// run; what a pass may not do is the short list.
//
//===----------------------------------------------------------------------===//

#include "PassPolicy.h"

#include "llvm/ADT/SmallVector.h"

namespace autopass {
namespace config {

namespace {

struct PassRule {
  llvm::StringLiteral Name;
  bool Prefix; // Name is a prefix of the refused names
  llvm::StringLiteral Why;
};

constexpr llvm::StringLiteral Profiles =
    "instruments the program to write profile files when it runs";
constexpr llvm::StringLiteral ReadsProfile = "reads a profile file";
constexpr llvm::StringLiteral Sanitizer = "instruments the program for a sanitizer runtime";

constexpr PassRule Rules[] = {
    {"dot-", true, "writes .dot files into the working directory"},
    {"view-", true, "opens a graph viewer"},
    {"print", true, "prints the IR or an analysis"},
    {"trigger-", true, "crashes or breaks the compiler on purpose"},
    {"autopass", true,
     "is an AutoPass plugin element, which the tuner places itself (it takes file names)"},
    {"lint", false, "prints diagnostics"},
    {"check-debugify", false, "prints diagnostics"},
    {"insert-gcov-profiling", false,
     "writes coverage notes and makes the program write .gcda files"},
    {"pgo-instr-gen", false, Profiles},
    {"instrprof", false, Profiles},
    {"instrorderfile", false, Profiles},
    {"ctx-instr-gen", false, Profiles},
    {"ctx-instr-lower", false, Profiles},
    {"memprof", false, Profiles},
    {"memprof-module", false, Profiles},
    {"pgo-instr-use", false, ReadsProfile},
    {"sample-profile", false, ReadsProfile},
    {"memprof-use", false, ReadsProfile},
    {"asan", false, Sanitizer},
    {"hwasan", false, Sanitizer},
    {"msan", false, Sanitizer},
    {"tsan", false, Sanitizer},
    {"tsan-module", false, Sanitizer},
    {"dfsan", false, Sanitizer},
    {"nsan", false, Sanitizer},
    {"rtsan", false, Sanitizer}, // LLVM 22
    {"tysan", false, Sanitizer}, // LLVM 22
    {"kmsan", false, Sanitizer},
    {"sancov-module", false, Sanitizer},
    {"sanmd-module", false, Sanitizer},
    {"rewrite-symbols", false, "reads symbol map files"},
    {"extract-blocks", false, "reads a block list file"},
};

} // namespace

llvm::StringRef passRefusalReason(llvm::StringRef Name) {
  for (const PassRule &R : Rules)
    if (R.Prefix ? Name.starts_with(R.Name) : Name == R.Name)
      return R.Why;
  return "";
}

bool paramNamesFile(llvm::StringRef Param) {
  size_t Eq = Param.find('=');
  if (Eq == llvm::StringRef::npos)
    return false;
  llvm::StringRef Key = Param.substr(0, Eq);
  return Key.contains("file") || Key.contains("path");
}

std::string refusedPassMessage(llvm::StringRef Name, llvm::StringRef Why) {
  return "pipeline: pass \"" + Name.str() + "\" " + Why.str() +
         "; such passes are not allowed in a configuration";
}

std::string refusedParamMessage(llvm::StringRef Name, llvm::StringRef Param) {
  return "pipeline: pass \"" + Name.str() + "\": parameter \"" + Param.str() +
         "\" names a file; file parameters are not allowed in a configuration";
}

std::optional<std::string> checkPipelinePolicy(llvm::StringRef Pipeline) {
  llvm::SmallVector<llvm::StringRef, 32> Tokens;
  Pipeline.split(Tokens, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef Token : Tokens) {
    // "function(loop-mssa(licm<allowspeculation>" or "instcombine))": the
    // pass names of a token are the pieces between parentheses.
    llvm::SmallVector<llvm::StringRef, 4> Pieces;
    Token.split(Pieces, '(', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
    for (llvm::StringRef Piece : Pieces) {
      Piece = Piece.take_until([](char C) { return C == ')'; }).trim();
      if (Piece.empty())
        continue;
      size_t Open = Piece.find('<');
      llvm::StringRef Name = Piece.substr(0, Open).trim();
      if (llvm::StringRef Why = passRefusalReason(Name); !Why.empty())
        return refusedPassMessage(Name, Why);
      if (Open == llvm::StringRef::npos)
        continue;
      llvm::StringRef Params = Piece.substr(Open + 1);
      Params = Params.substr(0, Params.rfind('>'));
      llvm::SmallVector<llvm::StringRef, 4> List;
      Params.split(List, ';');
      for (llvm::StringRef P : List)
        if (paramNamesFile(P))
          return refusedParamMessage(Name, P);
    }
  }
  return std::nullopt;
}

} // namespace config
} // namespace autopass
