/* Innermost loops for the expert's loop rules (tests/ExpertRulesTest.cpp):
   each kernel shows one piece of evidence to -O3's vectorizer or to the
   features. Kernels are noinline so that their loops keep their names in
   the remarks. */
#include <stdio.h>

#define N 4096
#define NOINLINE __attribute__((noinline))

double xs[N], ys[N];
int ia[N], ib[N], ic[N], ix[N], big[2 * N];
unsigned char bytes[N], bytes2[N];
struct node {
  int v;
  struct node *next;
} nodes[N];

/* A floating-point reduction -O3 keeps in source order. */
NOINLINE double dot(const double *x, const double *y, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i)
    s += x[i] * y[i];
  return s;
}

/* Each element needs the previous one: a memory dependence. */
NOINLINE void recurrence(int *a, const int *b, int n) {
  for (int i = 1; i < n; ++i)
    a[i] = a[i - 1] * 3 + b[i];
}

/* A gather the cost model refuses. */
NOINLINE long gather(const int *a, const int *idx, int n) {
  long s = 0;
  for (int i = 0; i < n; ++i)
    s += a[idx[i]] / 7;
  return s;
}

/* A scatter whose bounds the runtime alias checks cannot know. */
NOINLINE void scatter(int *o, const int *a, const int *idx, int n) {
  for (int i = 0; i < n; ++i)
    o[idx[i]] = a[i] + 1;
}

/* Vectorized at width 4 with little interleaving. */
NOINLINE void add(int *restrict a, const int *restrict b, const int *restrict c, int n) {
  for (int i = 0; i < n; ++i)
    a[i] = b[i] + c[i];
}

/* Vectorized at width 16 (bytes). */
NOINLINE void addbytes(unsigned char *restrict a, const unsigned char *restrict b, int n) {
  for (int i = 0; i < n; ++i)
    a[i] = (unsigned char)(a[i] + b[i]);
}

/* Every other element: a constant stride. */
NOINLINE int strided(const int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += a[2 * i];
  return s;
}

/* A list walk: a small scalar body with an unknown trip count. */
NOINLINE int walk(const struct node *p) {
  int s = 0;
  while (p) {
    s += p->v;
    p = p->next;
  }
  return s;
}

/* An inner loop of constant trip count 8. */
NOINLINE int rows8(const int *a, int rows) {
  int s = 0;
  for (int r = 0; r < rows; ++r) {
    int t = 0;
    for (int k = 0; k < 8; ++k)
      t ^= a[r * 8 + k] * (k + 1);
    s += t;
  }
  return s;
}

int main(void) {
  for (int i = 0; i < N; ++i) {
    xs[i] = i * 0.5;
    ys[i] = 1.0 / (i + 1);
    ia[i] = i % 17;
    ib[i] = (i * 7) % 13;
    ix[i] = (i * 31) % N;
    bytes[i] = (unsigned char)i;
    bytes2[i] = (unsigned char)(i * 3);
    nodes[i].v = i % 5;
    nodes[i].next = i + 1 < N ? &nodes[i + 1] : 0;
  }
  for (int i = 0; i < 2 * N; ++i)
    big[i] = i % 11;
  double d = 0;
  long g = 0;
  int s = 0;
  for (int rep = 0; rep < 40; ++rep) {
    for (int k = 0; k < 2; ++k)
      d += dot(xs, ys, N - k - rep); /* distinct calls: none is hoisted */
    recurrence(ic, ib, N);
    g += gather(ia, ix, N);
    scatter(ic, ia, ix, N);
    add(ic, ia, ib, N);
    for (int k = 0; k < 8; ++k)
      addbytes(bytes, bytes2, N);
    s += strided(big, N);
    s += walk(nodes);
    s += rows8(big, N / 8);
  }
  printf("%.3f %ld %d %d %d\n", d, g, s, ic[N - 1], bytes[7]);
  return 0;
}
