/* sort benchmark: generates key sets of different shapes, sorts each with
 * merge sort and radix sort, checks the two agree and prints digests.
 * Usage: sort [COUNT]
 */
#include "sort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t RngState = 0x0123456789ABCDEFULL;

static uint64_t nextRandom(void) {
  uint64_t Z = (RngState += 0x9E3779B97F4A7C15ULL);
  Z = (Z ^ (Z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  Z = (Z ^ (Z >> 27)) * 0x94D049BB133111EBULL;
  return Z ^ (Z >> 31);
}

enum Shape { Uniform, SmallRange, NearlySorted, Descending, ShapeCount };
static const char *const ShapeNames[ShapeCount] = {"uniform", "small_range",
                                                   "nearly_sorted",
                                                   "descending"};

static void generate(uint64_t *Keys, size_t Count, enum Shape Kind) {
  for (size_t I = 0; I < Count; ++I) {
    switch (Kind) {
    case Uniform:
      Keys[I] = nextRandom();
      break;
    case SmallRange:
      Keys[I] = nextRandom() % 1000;
      break;
    case NearlySorted:
      Keys[I] = (uint64_t)I * 16 + nextRandom() % 64;
      break;
    default:
      Keys[I] = (uint64_t)(Count - I) * 3;
      break;
    }
  }
}

/* Order-sensitive digest, so a wrongly placed key changes it. */
static uint64_t digest(const uint64_t *Keys, size_t Count) {
  uint64_t H = 1469598103934665603ULL;
  for (size_t I = 0; I < Count; ++I) {
    H ^= Keys[I] + (uint64_t)I;
    H *= 1099511628211ULL;
  }
  return H;
}

static int isSorted(const uint64_t *Keys, size_t Count) {
  for (size_t I = 1; I < Count; ++I)
    if (Keys[I - 1] > Keys[I])
      return 0;
  return 1;
}

int main(int argc, char **argv) {
  long Arg = argc > 1 ? atol(argv[1]) : 1000000;
  if (Arg < 1) {
    fprintf(stderr, "sort: COUNT must be positive\n");
    return 1;
  }
  size_t Count = (size_t)Arg;
  uint64_t *Input = malloc(Count * sizeof(uint64_t));
  uint64_t *ByMerge = malloc(Count * sizeof(uint64_t));
  uint64_t *ByRadix = malloc(Count * sizeof(uint64_t));
  uint64_t *Scratch = malloc(Count * sizeof(uint64_t));
  if (!Input || !ByMerge || !ByRadix || !Scratch) {
    fprintf(stderr, "sort: out of memory\n");
    return 1;
  }
  int Failures = 0;
  for (int K = 0; K < ShapeCount; ++K) {
    generate(Input, Count, (enum Shape)K);
    memcpy(ByMerge, Input, Count * sizeof(uint64_t));
    memcpy(ByRadix, Input, Count * sizeof(uint64_t));
    mergeSort(ByMerge, Scratch, Count);
    radixSort(ByRadix, Scratch, Count);
    int Agree = memcmp(ByMerge, ByRadix, Count * sizeof(uint64_t)) == 0;
    int Sorted = isSorted(ByMerge, Count);
    if (!Agree || !Sorted)
      ++Failures;
    printf("%s n %zu min %llu median %llu max %llu digest %016llx %s\n",
           ShapeNames[K], Count, (unsigned long long)ByMerge[0],
           (unsigned long long)ByMerge[Count / 2],
           (unsigned long long)ByMerge[Count - 1],
           (unsigned long long)digest(ByMerge, Count),
           Agree && Sorted ? "ok" : "MISMATCH");
  }
  free(Input);
  free(ByMerge);
  free(ByRadix);
  free(Scratch);
  return Failures ? 2 : 0;
}
