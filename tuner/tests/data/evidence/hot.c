/* Fixture source for Profile tests: one hot nested loop (matmul), one warm
   loop (checksum), one cold function (init). Compiled -O1 -g and run under
   callgrind to produce callgrind.out.hot (see README.md). */
#include <stdio.h>
#define N 48
static double A[N][N], B[N][N], C[N][N];

__attribute__((noinline)) void init(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      A[i][j] = i + j;
      B[i][j] = i - j;
    }
}

__attribute__((noinline)) void matmul(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      double s = 0;
      for (int k = 0; k < N; ++k)
        s += A[i][k] * B[k][j];
      C[i][j] = s;
    }
}

__attribute__((noinline)) double checksum(void) {
  double s = 0;
  for (int r = 0; r < 20; ++r)
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j)
        s += C[i][j] * (r + 1);
  return s;
}

int main(void) {
  init();
  matmul();
  printf("%.1f\n", checksum());
  return 0;
}
