/* matmul: dense double-precision matrix multiplication C = A * B.
 *
 * The matrices are filled from a fixed-seed generator, multiplied with the
 * plain triple loop, and summarised by a few checksums. Usage: matmul [N]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t RngState = 0x2545F4914F6CDD1DULL;

/* xorshift64*: good enough for test data and identical on every platform. */
static uint64_t nextRandom(void) {
  RngState ^= RngState >> 12;
  RngState ^= RngState << 25;
  RngState ^= RngState >> 27;
  return RngState * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [-1, 1) with 53 significant bits. */
static double randomUnit(void) {
  return (double)(nextRandom() >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

static void fillMatrix(double *M, int N) {
  for (int I = 0; I < N * N; ++I)
    M[I] = randomUnit();
}

static void multiply(const double *A, const double *B, double *C, int N) {
  for (int I = 0; I < N; ++I)
    for (int J = 0; J < N; ++J) {
      double Sum = 0.0;
      for (int K = 0; K < N; ++K)
        Sum += A[I * N + K] * B[K * N + J];
      C[I * N + J] = Sum;
    }
}

int main(int argc, char **argv) {
  int N = argc > 1 ? atoi(argv[1]) : 400;
  if (N <= 0) {
    fprintf(stderr, "matmul: N must be positive\n");
    return 1;
  }
  double *A = malloc(sizeof(double) * N * N);
  double *B = malloc(sizeof(double) * N * N);
  double *C = malloc(sizeof(double) * N * N);
  if (!A || !B || !C) {
    fprintf(stderr, "matmul: out of memory\n");
    return 1;
  }
  fillMatrix(A, N);
  fillMatrix(B, N);
  multiply(A, B, C, N);

  double Trace = 0.0, Total = 0.0, AbsTotal = 0.0;
  for (int I = 0; I < N; ++I)
    Trace += C[I * N + I];
  for (int I = 0; I < N * N; ++I) {
    Total += C[I];
    AbsTotal += C[I] < 0 ? -C[I] : C[I];
  }
  printf("n %d\n", N);
  printf("trace %.9e\n", Trace);
  printf("sum %.9e\n", Total);
  printf("abs_sum %.9e\n", AbsTotal);
  printf("c[n/2][n/3] %.9e\n", C[(N / 2) * N + N / 3]);
  free(A);
  free(B);
  free(C);
  return 0;
}
