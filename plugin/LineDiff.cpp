//===- LineDiff.cpp - bounded unified diff of two texts -------------------===//
//
// Common leading and trailing lines are stripped first (a pass usually
// touches a small part of a function); the middle is aligned by a longest
// common subsequence table. When the middle is too large for the table, it
// is shown as a whole removed-then-added block: still a correct diff, just
// not a minimal one.
//
//===----------------------------------------------------------------------===//

#include "LineDiff.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <cstdint>
#include <vector>

using namespace llvm;

namespace autopass {

namespace {

enum class Op : char { Keep = ' ', Remove = '-', Add = '+' };

struct Edit {
  Op Kind;
  StringRef Line;
};

SmallVector<StringRef, 0> splitLines(StringRef Text) {
  SmallVector<StringRef, 0> Lines;
  Text.split(Lines, '\n');
  if (!Lines.empty() && Lines.back().empty())
    Lines.pop_back();
  return Lines;
}

/// Edit script for A -> B.
std::vector<Edit> editScript(ArrayRef<StringRef> A, ArrayRef<StringRef> B) {
  size_t Prefix = 0;
  while (Prefix < A.size() && Prefix < B.size() && A[Prefix] == B[Prefix])
    ++Prefix;
  size_t Suffix = 0;
  while (Suffix < A.size() - Prefix && Suffix < B.size() - Prefix &&
         A[A.size() - 1 - Suffix] == B[B.size() - 1 - Suffix])
    ++Suffix;
  ArrayRef<StringRef> MidA = A.slice(Prefix, A.size() - Prefix - Suffix);
  ArrayRef<StringRef> MidB = B.slice(Prefix, B.size() - Prefix - Suffix);

  std::vector<Edit> Script;
  for (size_t I = 0; I < Prefix; ++I)
    Script.push_back({Op::Keep, A[I]});

  const size_t N = MidA.size(), M = MidB.size();
  constexpr size_t MaxCells = 16u << 20; // 16M cells of 32 bits = 64 MiB.
  if (N && M && (N + 1) * (M + 1) <= MaxCells) {
    // Lcs[i][j] = LCS length of MidA[i..] and MidB[j..].
    std::vector<uint32_t> Lcs((N + 1) * (M + 1), 0);
    auto At = [&](size_t I, size_t J) -> uint32_t & {
      return Lcs[I * (M + 1) + J];
    };
    for (size_t I = N; I-- > 0;)
      for (size_t J = M; J-- > 0;)
        At(I, J) = MidA[I] == MidB[J] ? At(I + 1, J + 1) + 1
                                      : std::max(At(I + 1, J), At(I, J + 1));
    size_t I = 0, J = 0;
    while (I < N && J < M) {
      if (MidA[I] == MidB[J]) {
        Script.push_back({Op::Keep, MidA[I]});
        ++I, ++J;
      } else if (At(I + 1, J) >= At(I, J + 1)) {
        Script.push_back({Op::Remove, MidA[I++]});
      } else {
        Script.push_back({Op::Add, MidB[J++]});
      }
    }
    for (; I < N; ++I)
      Script.push_back({Op::Remove, MidA[I]});
    for (; J < M; ++J)
      Script.push_back({Op::Add, MidB[J]});
  } else {
    for (StringRef L : MidA)
      Script.push_back({Op::Remove, L});
    for (StringRef L : MidB)
      Script.push_back({Op::Add, L});
  }
  for (size_t I = A.size() - Suffix; I < A.size(); ++I)
    Script.push_back({Op::Keep, A[I]});
  return Script;
}

} // namespace

BoundedDiff unifiedDiff(StringRef Before, StringRef After, size_t LimitBytes) {
  SmallVector<StringRef, 0> A = splitLines(Before);
  SmallVector<StringRef, 0> B = splitLines(After);
  std::vector<Edit> Script = editScript(A, B);

  constexpr size_t Context = 3;
  BoundedDiff Result;
  std::string &Out = Result.Text;
  Out = "--- before\n+++ after\n";
  auto append = [&](StringRef Piece) {
    if (Out.size() + Piece.size() > LimitBytes) {
      Result.Truncated = true;
      return false;
    }
    Out += Piece.str();
    return true;
  };

  size_t K = 0;
  while (K < Script.size()) {
    // Find the next change.
    while (K < Script.size() && Script[K].Kind == Op::Keep)
      ++K;
    if (K == Script.size())
      break;
    size_t Start = K >= Context ? K - Context : 0;
    // Extend the hunk while changes are within 2*Context lines of each other.
    size_t End = K;
    size_t LastChange = K;
    while (End < Script.size()) {
      if (Script[End].Kind != Op::Keep)
        LastChange = End;
      else if (End - LastChange > 2 * Context)
        break;
      ++End;
    }
    End = std::min(Script.size(), LastChange + Context + 1);

    // Line numbers of the hunk in both texts (1-based).
    size_t LineA = 1, LineB = 1;
    for (size_t I = 0; I < Start; ++I) {
      if (Script[I].Kind != Op::Add)
        ++LineA;
      if (Script[I].Kind != Op::Remove)
        ++LineB;
    }
    size_t CountA = 0, CountB = 0;
    for (size_t I = Start; I < End; ++I) {
      if (Script[I].Kind != Op::Add)
        ++CountA;
      if (Script[I].Kind != Op::Remove)
        ++CountB;
    }
    std::string Header = "@@ -" + std::to_string(CountA ? LineA : LineA - 1) +
                         "," + std::to_string(CountA) + " +" +
                         std::to_string(CountB ? LineB : LineB - 1) + "," +
                         std::to_string(CountB) + " @@\n";
    if (!append(Header))
      return Result;
    for (size_t I = Start; I < End; ++I) {
      std::string Line(1, static_cast<char>(Script[I].Kind));
      Line += Script[I].Line.str();
      Line += '\n';
      if (!append(Line))
        return Result;
    }
    K = End;
  }
  return Result;
}

} // namespace autopass
