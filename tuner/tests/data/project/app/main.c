/* Runs every kernel of the library once and prints their results. */
#include "args.h"
#include "kern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  size_t n = parse_size(argc, argv, 64);
  double *a = malloc(n * n * sizeof *a), *b = malloc(n * n * sizeof *b),
         *c = malloc(n * n * sizeof *c);
  int *v = malloc(n * sizeof *v);
  if (!a || !b || !c || !v)
    return 1;
  for (size_t i = 0; i < n * n; i++) {
    a[i] = (double)(i % 17) / 16.0;
    b[i] = (double)(i % 13) / 12.0;
  }
  for (size_t i = 0; i < n; i++)
    v[i] = (int)((i * 7919) % 1000);
  mat_mul(c, a, b, n);
  vec_axpy(c, a, 0.5, n * n);
  sort_ints(v, n);
  const char *text = "the quick brown fox jumps over the lazy dog";
  const unsigned char *bytes = (const unsigned char *)text;
  double coef[] = {1, -2, 3, -4, 5};
  printf("dot %.6f\n", vec_dot(c, b, n * n));
  printf("mean %.6f var %.6f\n", stats_mean(c, n * n), stats_variance(c, n * n));
  printf("sorted %d %d %d\n", v[0], v[n / 2], v[n - 1]);
  printf("hash %08x crc %08x\n", (unsigned)hash_bytes(bytes, strlen(text)),
         (unsigned)crc32_bytes(bytes, strlen(text)));
  printf("primes %zu poly %.6f words %zu\n", sieve_count(n * 100), poly_eval(coef, 4, 1.5),
         text_count_words(text));
  free(a);
  free(b);
  free(c);
  free(v);
  return 0;
}
