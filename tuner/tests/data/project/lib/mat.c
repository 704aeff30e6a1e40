/* Square matrix product, the library's hottest loop nest. */
#include "kern.h"

void mat_mul(double *c, const double *a, const double *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      double s = 0;
      for (size_t k = 0; k < n; k++)
        s += a[i * n + k] * b[k * n + j];
      c[i * n + j] = s;
    }
}
