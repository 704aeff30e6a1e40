/* Horner's rule. */
#include "kern.h"

double poly_eval(const double *coef, size_t degree, double x) {
  double r = coef[degree];
  for (size_t i = degree; i > 0; i--)
    r = r * x + coef[i - 1];
  return r;
}
