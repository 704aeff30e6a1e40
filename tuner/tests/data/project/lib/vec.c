/* Dot product and axpy over doubles. */
#include "kern.h"

double vec_dot(const double *a, const double *b, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

void vec_axpy(double *y, const double *x, double a, size_t n) {
  for (size_t i = 0; i < n; i++)
    y[i] += a * x[i];
}
