/* Loop nests for the expert's nest rules (tests/ExpertRulesTest.cpp). */
#include <stdio.h>

#define N 96
#define M 4096
#define NOINLINE __attribute__((noinline))

double A[N][N], B[N][N], C[N][N];
int v[M], w[M], idx[M], grid[64][64];

/* A 3-deep affine nest; B[k][j] moves by a row per k. */
NOINLINE void matmul(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      double s = 0;
      for (int k = 0; k < N; ++k)
        s += A[i][k] * B[k][j];
      C[i][j] = s;
    }
}

/* A 2-deep nest whose outer loop only repeats the inner one: no strides. */
NOINLINE void repeat(int reps) {
  for (int r = 0; r < reps; ++r)
    for (int j = 0; j < M; ++j)
      v[j] += w[j];
}

/* A 2-deep nest with an indirect access: not affine. */
NOINLINE long indirect(int reps) {
  long s = 0;
  for (int r = 0; r < reps; ++r)
    for (int j = 0; j < M; ++j)
      s += v[idx[j]] * r;
  return s;
}

/* An outer loop with two inner loops. */
NOINLINE int twoinner(int reps) {
  int s = 0;
  for (int r = 0; r < reps; ++r) {
    for (int j = 0; j < 64; ++j)
      s += grid[r & 63][j];
    for (int j = 0; j < 64; ++j)
      s ^= grid[j][r & 63];
  }
  return s;
}

int main(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      A[i][j] = (i + j) % 7;
      B[i][j] = (i * j + 1) % 5;
    }
  for (int j = 0; j < M; ++j) {
    v[j] = j % 9;
    w[j] = j % 4;
    idx[j] = (j * 13) % M;
  }
  for (int i = 0; i < 64; ++i)
    for (int j = 0; j < 64; ++j)
      grid[i][j] = i ^ j;
  matmul();
  repeat(200);
  long s = indirect(200);
  int t = twoinner(6000);
  printf("%.1f %d %ld %d\n", C[N - 1][N - 1], v[M - 1], s, t);
  return 0;
}
