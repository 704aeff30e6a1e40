/* editdist: dynamic programming over pairs of generated DNA-like strings.
 *
 * For each pair (a random sequence and a mutated copy of it) the program
 * computes the Levenshtein distance and the length of the longest common
 * subsequence, both with the classic two-row table.
 * Usage: editdist [LEN] [PAIRS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t RngState = 0x853C49E6748FEA9BULL;

static uint32_t nextRandom(void) {
  /* xorshift64* truncated to its high half, which has the best bits. */
  RngState ^= RngState >> 12;
  RngState ^= RngState << 25;
  RngState ^= RngState >> 27;
  return (uint32_t)((RngState * 0x2545F4914F6CDD1DULL) >> 32);
}

static const char Alphabet[4] = {'A', 'C', 'G', 'T'};

static void randomSequence(char *Out, int Len) {
  for (int I = 0; I < Len; ++I)
    Out[I] = Alphabet[nextRandom() & 3];
}

/* Copies Src into Dst applying point substitutions, insertions and deletions
 * at roughly RatePercent percent of positions; returns the new length. */
static int mutate(const char *Src, int Len, char *Dst, int Cap,
                  unsigned RatePercent) {
  int Out = 0;
  for (int I = 0; I < Len && Out < Cap; ++I) {
    unsigned Roll = nextRandom() % 100;
    if (Roll >= RatePercent) {
      Dst[Out++] = Src[I];
      continue;
    }
    switch (nextRandom() % 3) {
    case 0: /* substitution */
      Dst[Out++] = Alphabet[nextRandom() & 3];
      break;
    case 1: /* insertion before the current symbol */
      Dst[Out++] = Alphabet[nextRandom() & 3];
      if (Out < Cap)
        Dst[Out++] = Src[I];
      break;
    default: /* deletion */
      break;
    }
  }
  return Out;
}

static int minOf3(int A, int B, int C) {
  int M = A < B ? A : B;
  return M < C ? M : C;
}

static int levenshtein(const char *A, int LenA, const char *B, int LenB,
                       int *Prev, int *Cur) {
  for (int J = 0; J <= LenB; ++J)
    Prev[J] = J;
  for (int I = 1; I <= LenA; ++I) {
    Cur[0] = I;
    for (int J = 1; J <= LenB; ++J) {
      int Cost = A[I - 1] == B[J - 1] ? 0 : 1;
      Cur[J] = minOf3(Prev[J] + 1, Cur[J - 1] + 1, Prev[J - 1] + Cost);
    }
    int *Tmp = Prev;
    Prev = Cur;
    Cur = Tmp;
  }
  return Prev[LenB];
}

static int longestCommonSubsequence(const char *A, int LenA, const char *B,
                                    int LenB, int *Prev, int *Cur) {
  memset(Prev, 0, sizeof(int) * (size_t)(LenB + 1));
  for (int I = 1; I <= LenA; ++I) {
    Cur[0] = 0;
    for (int J = 1; J <= LenB; ++J) {
      if (A[I - 1] == B[J - 1])
        Cur[J] = Prev[J - 1] + 1;
      else
        Cur[J] = Prev[J] > Cur[J - 1] ? Prev[J] : Cur[J - 1];
    }
    int *Tmp = Prev;
    Prev = Cur;
    Cur = Tmp;
  }
  return Prev[LenB];
}

int main(int argc, char **argv) {
  int Len = argc > 1 ? atoi(argv[1]) : 4000;
  int Pairs = argc > 2 ? atoi(argv[2]) : 4;
  if (Len < 1 || Pairs < 1) {
    fprintf(stderr, "editdist: need LEN >= 1 and PAIRS >= 1\n");
    return 1;
  }
  int Cap = 2 * Len;
  char *A = malloc((size_t)Len);
  char *B = malloc((size_t)Cap);
  int *Prev = malloc(sizeof(int) * (size_t)(Cap + 1));
  int *Cur = malloc(sizeof(int) * (size_t)(Cap + 1));
  if (!A || !B || !Prev || !Cur) {
    fprintf(stderr, "editdist: out of memory\n");
    return 1;
  }
  uint64_t Digest = 0;
  for (int P = 0; P < Pairs; ++P) {
    randomSequence(A, Len);
    /* Mutation rates 5, 15, 25, 35 percent, repeating. */
    unsigned Rate = 5 + (10 * (unsigned)P) % 40;
    int LenB = mutate(A, Len, B, Cap, Rate);
    int Dist = levenshtein(A, Len, B, LenB, Prev, Cur);
    int Lcs = longestCommonSubsequence(A, Len, B, LenB, Prev, Cur);
    printf("pair %d rate %u len %d/%d edit %d lcs %d\n", P, Rate, Len, LenB,
           Dist, Lcs);
    Digest = Digest * 1000003u + (uint64_t)Dist * 31u + (uint64_t)Lcs;
  }
  printf("digest %llu\n", (unsigned long long)Digest);
  free(A);
  free(B);
  free(Prev);
  free(Cur);
  return 0;
}
