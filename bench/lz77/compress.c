/* compress.c: greedy LZ77 with hash chains over 4-byte prefixes, one step of
 * lazy evaluation (a match is deferred when the next position has a longer
 * one), as in most practical deflate-style compressors. */
#include "lz.h"

#include <stdlib.h>
#include <string.h>

enum { HashBits = 16 };

static uint32_t hash4(const uint8_t *P) {
  uint32_t V = (uint32_t)P[0] | (uint32_t)P[1] << 8 | (uint32_t)P[2] << 16 |
               (uint32_t)P[3] << 24;
  return (V * 2654435761u) >> (32 - HashBits);
}

static uint8_t *putVarint(uint8_t *Out, size_t V) {
  while (V >= 0x80) {
    *Out++ = (uint8_t)(V | 0x80);
    V >>= 7;
  }
  *Out++ = (uint8_t)V;
  return Out;
}

/* A 4-byte match can cost up to 5 bytes (three varints), so the stream can
 * grow by a quarter in the worst case. */
size_t lzCompressBound(size_t InputSize) {
  return InputSize + InputSize / 4 + 32;
}

typedef struct {
  int32_t *Head;  /* last position with a given hash, or -1 */
  int32_t *Chain; /* previous position with the same hash, by Pos % window */
  const uint8_t *In;
  size_t Size;
} Matcher;

static void insertPosition(Matcher *M, size_t Pos) {
  if (Pos + LzMinMatch > M->Size)
    return;
  uint32_t H = hash4(M->In + Pos);
  M->Chain[Pos & (LzWindow - 1)] = M->Head[H];
  M->Head[H] = (int32_t)Pos;
}

/* Longest match for Pos among earlier positions in the window. */
static size_t findMatch(const Matcher *M, size_t Pos, size_t *Distance) {
  if (Pos + LzMinMatch > M->Size)
    return 0;
  size_t Best = 0;
  size_t MaxLen = M->Size - Pos;
  int32_t Candidate = M->Head[hash4(M->In + Pos)];
  for (int Steps = 0; Candidate >= 0 && Steps < LzMaxChain; ++Steps) {
    size_t C = (size_t)Candidate;
    if (Pos - C > LzWindow - 1)
      break;
    /* Checking the byte after the current best first rejects most
     * candidates without a full comparison. */
    if (M->In[C + Best] == M->In[Pos + Best]) {
      size_t Len = 0;
      while (Len < MaxLen && M->In[C + Len] == M->In[Pos + Len])
        ++Len;
      if (Len > Best) {
        Best = Len;
        *Distance = Pos - C;
        if (Len == MaxLen)
          break;
      }
    }
    int32_t Prev = M->Chain[C & (LzWindow - 1)];
    /* The chain slot may have been reused by a newer position. */
    if (Prev >= Candidate)
      break;
    Candidate = Prev;
  }
  return Best >= LzMinMatch ? Best : 0;
}

size_t lzCompress(const uint8_t *In, size_t InSize, uint8_t *Out) {
  Matcher M;
  M.Head = malloc(sizeof(int32_t) << HashBits);
  M.Chain = malloc(sizeof(int32_t) * LzWindow);
  M.In = In;
  M.Size = InSize;
  if (!M.Head || !M.Chain) {
    free(M.Head);
    free(M.Chain);
    return 0;
  }
  memset(M.Head, 0xFF, sizeof(int32_t) << HashBits);
  memset(M.Chain, 0xFF, sizeof(int32_t) * LzWindow);

  uint8_t *Dst = Out;
  size_t LiteralStart = 0, Pos = 0;
  while (Pos < InSize) {
    size_t Distance = 0;
    size_t Len = findMatch(&M, Pos, &Distance);
    insertPosition(&M, Pos);
    if (Len > 0) {
      /* Lazy step: when the next position has a clearly longer match, emit
       * this byte as a literal and take that match instead. */
      size_t NextDistance = 0;
      size_t NextLen = findMatch(&M, Pos + 1, &NextDistance);
      if (NextLen > Len + 1) {
        ++Pos;
        insertPosition(&M, Pos);
        Len = NextLen;
        Distance = NextDistance;
      }
    }
    if (Len == 0) {
      ++Pos;
      continue;
    }
    size_t Literals = Pos - LiteralStart;
    Dst = putVarint(Dst, Literals);
    memcpy(Dst, In + LiteralStart, Literals);
    Dst += Literals;
    Dst = putVarint(Dst, Len);
    Dst = putVarint(Dst, Distance);
    /* Positions inside the match become future match sources too. */
    for (size_t I = 1; I < Len; ++I)
      insertPosition(&M, Pos + I);
    Pos += Len;
    LiteralStart = Pos;
  }
  size_t Literals = InSize - LiteralStart;
  Dst = putVarint(Dst, Literals);
  memcpy(Dst, In + LiteralStart, Literals);
  Dst += Literals;
  Dst = putVarint(Dst, 0);
  free(M.Head);
  free(M.Chain);
  return (size_t)(Dst - Out);
}
