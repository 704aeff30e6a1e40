/* decompress.c: decoder for the stream format described in lz.h; it checks
 * every length and distance against the buffers, so a corrupt stream is
 * reported rather than read or written out of bounds. */
#include "lz.h"

#include <string.h>

static const size_t Malformed = (size_t)-1;

/* Reads one varint; returns 0 on truncation or overlong encoding. */
static int getVarint(const uint8_t **P, const uint8_t *End, size_t *Value) {
  size_t V = 0;
  for (unsigned Shift = 0; Shift < 64; Shift += 7) {
    if (*P == End)
      return 0;
    uint8_t Byte = *(*P)++;
    V |= (size_t)(Byte & 0x7F) << Shift;
    if (!(Byte & 0x80)) {
      *Value = V;
      return 1;
    }
  }
  return 0;
}

size_t lzDecompress(const uint8_t *In, size_t InSize, uint8_t *Out,
                    size_t OutCapacity) {
  const uint8_t *P = In, *End = In + InSize;
  size_t OutPos = 0;
  for (;;) {
    size_t Literals, Len, Distance;
    if (!getVarint(&P, End, &Literals) || Literals > (size_t)(End - P) ||
        Literals > OutCapacity - OutPos)
      return Malformed;
    memcpy(Out + OutPos, P, Literals);
    P += Literals;
    OutPos += Literals;
    if (!getVarint(&P, End, &Len))
      return Malformed;
    if (Len == 0)
      return P == End ? OutPos : Malformed;
    if (!getVarint(&P, End, &Distance) || Distance == 0 || Distance > OutPos ||
        Len > OutCapacity - OutPos)
      return Malformed;
    /* Byte by byte on purpose: overlapping copies replicate a pattern. */
    const uint8_t *Src = Out + OutPos - Distance;
    for (size_t I = 0; I < Len; ++I)
      Out[OutPos + I] = Src[I];
    OutPos += Len;
  }
}
