/* radixsort.c: least-significant-digit radix sort, one byte per pass. */
#include "sort.h"

#include <string.h>

void radixSort(uint64_t *Keys, uint64_t *Scratch, size_t Count) {
  uint64_t *Src = Keys, *Dst = Scratch;
  for (unsigned Shift = 0; Shift < 64; Shift += 8) {
    size_t Histogram[256];
    memset(Histogram, 0, sizeof(Histogram));
    for (size_t I = 0; I < Count; ++I)
      ++Histogram[(Src[I] >> Shift) & 0xFF];

    /* A pass where every key has the same digit would only copy. */
    if (Histogram[(Src[0] >> Shift) & 0xFF] == Count)
      continue;

    size_t Offset = 0;
    for (unsigned D = 0; D < 256; ++D) {
      size_t N = Histogram[D];
      Histogram[D] = Offset;
      Offset += N;
    }
    for (size_t I = 0; I < Count; ++I)
      Dst[Histogram[(Src[I] >> Shift) & 0xFF]++] = Src[I];

    uint64_t *Tmp = Src;
    Src = Dst;
    Dst = Tmp;
  }
  if (Src != Keys)
    memcpy(Keys, Src, Count * sizeof(uint64_t));
}
