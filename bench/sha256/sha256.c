/* sha256: the SHA-256 hash function, implemented from FIPS 180-4.
 *
 * The round constants and initial hash value are derived at start-up, as the
 * standard defines them, from the fractional parts of cube and square roots
 * of the first primes, using exact integer roots. The benchmark checks the
 * standard's "abc" example, hashes a long generated message in one go, many
 * short messages of every length (exercising the padding), and an iterated
 * hash chain. Usage: sha256 [MEGABYTES] [CHAIN]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 Uint128;

static uint32_t RoundK[64];
static uint32_t InitialH[8];

/* Largest X with X^Power <= Value, by bisection (Power is 2 or 3). */
static uint64_t integerRoot(Uint128 Value, int Power) {
  uint64_t Lo = 0, Hi = (uint64_t)1 << 40; /* roots here stay below 2^40 */
  while (Lo < Hi) {
    uint64_t Mid = Lo + (Hi - Lo + 1) / 2;
    Uint128 P = (Uint128)Mid * Mid;
    if (Power == 3)
      P *= Mid;
    if (P <= Value)
      Lo = Mid;
    else
      Hi = Mid - 1;
  }
  return Lo;
}

/* FIPS 180-4 sections 4.2.2 and 5.3.3: the first 32 bits of the fractional
 * parts of the cube roots of the first 64 primes, and of the square roots of
 * the first 8. floor(root(p) * 2^32) is the integer root of p * 2^(32*Power);
 * its low 32 bits are the fraction's first 32 bits. */
static void deriveConstants(void) {
  int Found = 0;
  for (uint32_t Candidate = 2; Found < 64; ++Candidate) {
    int Prime = 1;
    for (uint32_t D = 2; D * D <= Candidate; ++D)
      if (Candidate % D == 0) {
        Prime = 0;
        break;
      }
    if (!Prime)
      continue;
    RoundK[Found] = (uint32_t)integerRoot((Uint128)Candidate << 96, 3);
    if (Found < 8)
      InitialH[Found] = (uint32_t)integerRoot((Uint128)Candidate << 64, 2);
    ++Found;
  }
}

static uint32_t rotr(uint32_t X, unsigned N) {
  return (X >> N) | (X << (32 - N));
}

typedef struct {
  uint32_t H[8];
  uint8_t Block[64];
  size_t BlockUsed;
  uint64_t TotalBytes;
} Sha256;

static void compressBlock(uint32_t H[8], const uint8_t *Block) {
  uint32_t W[64];
  for (int T = 0; T < 16; ++T)
    W[T] = (uint32_t)Block[4 * T] << 24 | (uint32_t)Block[4 * T + 1] << 16 |
           (uint32_t)Block[4 * T + 2] << 8 | (uint32_t)Block[4 * T + 3];
  for (int T = 16; T < 64; ++T) {
    uint32_t S0 = rotr(W[T - 15], 7) ^ rotr(W[T - 15], 18) ^ (W[T - 15] >> 3);
    uint32_t S1 = rotr(W[T - 2], 17) ^ rotr(W[T - 2], 19) ^ (W[T - 2] >> 10);
    W[T] = W[T - 16] + S0 + W[T - 7] + S1;
  }
  uint32_t A = H[0], B = H[1], C = H[2], D = H[3];
  uint32_t E = H[4], F = H[5], G = H[6], Hh = H[7];
  for (int T = 0; T < 64; ++T) {
    uint32_t Sigma1 = rotr(E, 6) ^ rotr(E, 11) ^ rotr(E, 25);
    uint32_t Choose = (E & F) ^ (~E & G);
    uint32_t T1 = Hh + Sigma1 + Choose + RoundK[T] + W[T];
    uint32_t Sigma0 = rotr(A, 2) ^ rotr(A, 13) ^ rotr(A, 22);
    uint32_t Majority = (A & B) ^ (A & C) ^ (B & C);
    uint32_t T2 = Sigma0 + Majority;
    Hh = G;
    G = F;
    F = E;
    E = D + T1;
    D = C;
    C = B;
    B = A;
    A = T1 + T2;
  }
  H[0] += A;
  H[1] += B;
  H[2] += C;
  H[3] += D;
  H[4] += E;
  H[5] += F;
  H[6] += G;
  H[7] += Hh;
}

static void shaInit(Sha256 *S) {
  memcpy(S->H, InitialH, sizeof(S->H));
  S->BlockUsed = 0;
  S->TotalBytes = 0;
}

static void shaUpdate(Sha256 *S, const uint8_t *Data, size_t Len) {
  S->TotalBytes += Len;
  if (S->BlockUsed > 0) {
    size_t Take = 64 - S->BlockUsed < Len ? 64 - S->BlockUsed : Len;
    memcpy(S->Block + S->BlockUsed, Data, Take);
    S->BlockUsed += Take;
    Data += Take;
    Len -= Take;
    if (S->BlockUsed < 64)
      return;
    compressBlock(S->H, S->Block);
    S->BlockUsed = 0;
  }
  for (; Len >= 64; Data += 64, Len -= 64)
    compressBlock(S->H, Data);
  memcpy(S->Block, Data, Len);
  S->BlockUsed = Len;
}

/* Padding (section 5.1.1): a 1 bit, zeros, then the 64-bit message length in
 * bits, so the padded message is a multiple of 512 bits. */
static void shaFinal(Sha256 *S, uint8_t Digest[32]) {
  uint64_t Bits = S->TotalBytes * 8;
  S->Block[S->BlockUsed++] = 0x80;
  if (S->BlockUsed > 56) {
    memset(S->Block + S->BlockUsed, 0, 64 - S->BlockUsed);
    compressBlock(S->H, S->Block);
    S->BlockUsed = 0;
  }
  memset(S->Block + S->BlockUsed, 0, 56 - S->BlockUsed);
  for (int I = 0; I < 8; ++I)
    S->Block[56 + I] = (uint8_t)(Bits >> (56 - 8 * I));
  compressBlock(S->H, S->Block);
  for (int I = 0; I < 8; ++I)
    for (int J = 0; J < 4; ++J)
      Digest[4 * I + J] = (uint8_t)(S->H[I] >> (24 - 8 * J));
}

static void sha256(const uint8_t *Data, size_t Len, uint8_t Digest[32]) {
  Sha256 S;
  shaInit(&S);
  shaUpdate(&S, Data, Len);
  shaFinal(&S, Digest);
}

static void printDigest(const char *Label, const uint8_t Digest[32]) {
  printf("%s ", Label);
  for (int I = 0; I < 32; ++I)
    printf("%02x", Digest[I]);
  printf("\n");
}

int main(int argc, char **argv) {
  int Megabytes = argc > 1 ? atoi(argv[1]) : 32;
  long Chain = argc > 2 ? atol(argv[2]) : 200000;
  if (Megabytes < 1 || Chain < 1) {
    fprintf(stderr, "sha256: need MEGABYTES >= 1 and CHAIN >= 1\n");
    return 1;
  }
  deriveConstants();

  uint8_t Digest[32];
  sha256((const uint8_t *)"abc", 3, Digest);
  printDigest("abc", Digest);

  /* A long message, fed in uneven pieces to exercise the buffering. */
  size_t Size = (size_t)Megabytes << 20;
  uint8_t *Message = malloc(Size);
  if (!Message) {
    fprintf(stderr, "sha256: out of memory\n");
    return 1;
  }
  uint32_t X = 2463534242u;
  for (size_t I = 0; I < Size; ++I) {
    X ^= X << 13; /* xorshift32 */
    X ^= X >> 17;
    X ^= X << 5;
    Message[I] = (uint8_t)X;
  }
  Sha256 S;
  shaInit(&S);
  for (size_t Pos = 0, Piece = 1; Pos < Size; Piece = Piece * 3 % 8191 + 1) {
    size_t Take = Piece < Size - Pos ? Piece : Size - Pos;
    shaUpdate(&S, Message + Pos, Take);
    Pos += Take;
  }
  shaFinal(&S, Digest);
  printDigest("long_message", Digest);

  /* Messages of every length from 0 to 4095 bytes, taken at varying offsets
   * of the long message, folded into one digest. */
  uint8_t Folded[32] = {0};
  for (size_t Len = 0; Len < 4096; ++Len) {
    sha256(Message + Len, Len, Digest);
    for (int I = 0; I < 32; ++I)
      Folded[I] ^= Digest[I];
  }
  printDigest("all_lengths", Folded);

  /* A hash chain: each digest is the next input. */
  for (long I = 0; I < Chain; ++I)
    sha256(Digest, 32, Digest);
  printDigest("chain", Digest);

  free(Message);
  return 0;
}
