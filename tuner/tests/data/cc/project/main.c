/* Fills an array, runs the kernel, prints a checksum the test compares. */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

static unsigned long checksum(const int *a, long n) {
  unsigned long sum = 0;
  for (long i = 0; i < n; i++)
    sum = sum * 31 + (unsigned)a[i];
  return sum;
}

int main(void) {
  enum { N = 1003 };
  int *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
  if (!a || !b)
    return 1;
  for (long i = 0; i < N; i++)
    b[i] = (int)(i * 7 % 1000) - 500;
  for (int round = 0; round < 100; round++) {
    scale(a, b, N);
    b[round] = a[N - 1 - round] % 997;
  }
  printf("%lu\n", checksum(a, N));
  free(a);
  free(b);
  return 0;
}
