/* lz77 benchmark: compresses generated data of several kinds, decompresses
 * it again, verifies the round trip and prints sizes and checksums.
 * Usage: lz77 [BYTES_PER_KIND]
 */
#include "lz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t RngState = 0x1F83D9ABFB41BD6BULL;

static uint64_t nextRandom(void) {
  uint64_t Z = (RngState += 0x9E3779B97F4A7C15ULL);
  Z = (Z ^ (Z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  Z = (Z ^ (Z >> 27)) * 0x94D049BB133111EBULL;
  return Z ^ (Z >> 31);
}

/* Text-like data: words from a small generated vocabulary. */
static void generateText(uint8_t *Buf, size_t Size) {
  char Words[512][10];
  for (int W = 0; W < 512; ++W) {
    int Len = 1 + (int)(nextRandom() % 9);
    for (int I = 0; I < Len; ++I)
      Words[W][I] = (char)('a' + nextRandom() % 26);
    Words[W][Len] = '\0';
  }
  size_t Pos = 0;
  while (Pos < Size) {
    uint64_t R = nextRandom();
    const char *Word = Words[(R % 512) * ((R >> 20) % 512) / 512];
    for (const char *C = Word; *C && Pos < Size; ++C)
      Buf[Pos++] = (uint8_t)*C;
    if (Pos < Size)
      Buf[Pos++] = (R >> 40) % 12 == 0 ? '\n' : ' ';
  }
}

/* Record-like binary data: fixed-size structs with slowly changing fields. */
static void generateRecords(uint8_t *Buf, size_t Size) {
  uint32_t Id = 1000, Value = 0;
  for (size_t Pos = 0; Pos < Size; ++Pos) {
    size_t Field = Pos % 16;
    if (Field == 0) {
      ++Id;
      Value += (uint32_t)(nextRandom() % 7);
    }
    uint8_t Byte;
    if (Field < 4)
      Byte = (uint8_t)(Id >> (8 * Field));
    else if (Field < 8)
      Byte = (uint8_t)(Value >> (8 * (Field - 4)));
    else if (Field < 12)
      Byte = (uint8_t)"REC_"[Field - 8];
    else
      Byte = (uint8_t)(nextRandom() % 4);
    Buf[Pos] = Byte;
  }
}

/* Noise with occasional runs: mostly incompressible. */
static void generateNoise(uint8_t *Buf, size_t Size) {
  size_t Pos = 0;
  while (Pos < Size) {
    uint64_t R = nextRandom();
    if (R % 64 == 0) {
      size_t Run = 8 + (R >> 8) % 200;
      for (size_t I = 0; I < Run && Pos < Size; ++I)
        Buf[Pos++] = (uint8_t)(R >> 32);
    } else {
      for (int I = 0; I < 8 && Pos < Size; ++I, R >>= 8)
        Buf[Pos++] = (uint8_t)R;
    }
  }
}

/* Adler-32 (RFC 1950 definition) of the data, to identify the output. */
static uint32_t adler32(const uint8_t *Buf, size_t Size) {
  uint32_t A = 1, B = 0;
  for (size_t I = 0; I < Size; ++I) {
    A = (A + Buf[I]) % 65521u;
    B = (B + A) % 65521u;
  }
  return B << 16 | A;
}

int main(int argc, char **argv) {
  long Arg = argc > 1 ? atol(argv[1]) : 2000000;
  if (Arg < 16) {
    fprintf(stderr, "lz77: BYTES_PER_KIND must be at least 16\n");
    return 1;
  }
  size_t Size = (size_t)Arg;
  uint8_t *Input = malloc(Size);
  uint8_t *Packed = malloc(lzCompressBound(Size));
  uint8_t *Unpacked = malloc(Size);
  if (!Input || !Packed || !Unpacked) {
    fprintf(stderr, "lz77: out of memory\n");
    return 1;
  }
  static const char *const Kinds[] = {"text", "records", "noise"};
  int Failures = 0;
  for (int K = 0; K < 3; ++K) {
    if (K == 0)
      generateText(Input, Size);
    else if (K == 1)
      generateRecords(Input, Size);
    else
      generateNoise(Input, Size);
    size_t PackedSize = lzCompress(Input, Size, Packed);
    size_t UnpackedSize = lzDecompress(Packed, PackedSize, Unpacked, Size);
    int RoundTrip =
        UnpackedSize == Size && memcmp(Input, Unpacked, Size) == 0;
    if (!RoundTrip)
      ++Failures;
    printf("%s in %zu packed %zu input_adler %08x packed_adler %08x %s\n",
           Kinds[K], Size, PackedSize, adler32(Input, Size),
           adler32(Packed, PackedSize), RoundTrip ? "ok" : "ROUNDTRIP-FAILED");
  }
  free(Input);
  free(Packed);
  free(Unpacked);
  return Failures ? 2 : 0;
}
