/* The hot loop: the configuration gives it a vectorization width. */
#include "kernel.h"

void scale(int *restrict a, const int *restrict b, long n) {
  for (long i = 0; i < n; i++)
    a[i] = b[i] * 3 + 1;
}
