/* Fixture source for RemarkDigest tests: a vectorizable loop, a loop that
   cannot be vectorized, and a call that the inliner refuses. */
#include <stdio.h>

void saxpy(float *restrict y, const float *restrict x, float a, int n) {
  for (int i = 0; i < n; ++i)
    y[i] += a * x[i];
}

float prefix(float *v, int n) {
  for (int i = 1; i < n; ++i)
    v[i] = v[i - 1] * 0.5f + v[i];
  return v[n - 1];
}

__attribute__((noinline)) int big(int *p, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += p[i] * p[(i * 7) % n];
  return s;
}

int user(int *p, int n) { return big(p, n) + 1; }

float search(float *v, int n, float key) {
  for (int i = 0; i < n; ++i)
    if (v[i] == key)
      return (float)i;
  return -1.0f;
}

int heavy(int *p, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) {
    s += p[i] * 3 + (p[i] >> 2) - (p[(i + 1) % n] ^ 5);
    s ^= p[(i * 3) % n] + (s << 1);
    s += p[(i * 5) % n] / (p[i] | 1);
    s -= p[(i * 11) % n] % ((p[(i + 2) % n] & 7) + 1);
    s += p[(i * 13) % n] / ((p[(i + 3) % n] & 15) + 1);
    s ^= p[(i * 17) % n] * p[(i * 19) % n];
  }
  for (int i = 0; i < n; ++i)
    s += p[(i * 23) % n] % 7 + p[(i * 29) % n] / 3;
  for (int i = 0; i < n; ++i)
    s += p[(i * 31) % n] % 9 + p[(i * 37) % n] / 11;
  return s;
}

int twice(int *p, int n) { return heavy(p, n) + heavy(p + 1, n - 1); }

void scale_rows(int *m, const int *f, int rows, int cols) {
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      m[r * cols + c] *= f[r];
}
