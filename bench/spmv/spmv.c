/* spmv: sparse matrix-vector products in compressed sparse row (CSR) form.
 *
 * A generated sparse matrix with non-negative entries (a band around the
 * diagonal plus random off-band entries, like a discretised operator with
 * long-range couplings) drives a power iteration: x <- A x / |A x|. The
 * program prints the dominant eigenvalue estimate and a few entries of the
 * eigenvector. Usage: spmv [ROWS] [ITERATIONS]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  int Rows;
  int *RowStart;
  int *Column;
  double *Value;
} CsrMatrix;

static uint64_t RngState = 0x3C6EF372FE94F82BULL;

static uint64_t nextRandom(void) {
  RngState ^= RngState >> 12;
  RngState ^= RngState << 25;
  RngState ^= RngState >> 27;
  return RngState * 0x2545F4914F6CDD1DULL;
}

static int compareInt(const void *A, const void *B) {
  int X = *(const int *)A, Y = *(const int *)B;
  return (X > Y) - (X < Y);
}

enum { Band = 3, RandomPerRow = 6 };

static void generate(CsrMatrix *M, int Rows) {
  int MaxPerRow = 2 * Band + 1 + RandomPerRow;
  M->Rows = Rows;
  M->RowStart = malloc(sizeof(int) * ((size_t)Rows + 1));
  M->Column = malloc(sizeof(int) * (size_t)Rows * (size_t)MaxPerRow);
  M->Value = malloc(sizeof(double) * (size_t)Rows * (size_t)MaxPerRow);
  if (!M->RowStart || !M->Column || !M->Value) {
    fprintf(stderr, "spmv: out of memory\n");
    exit(1);
  }
  int Nnz = 0;
  int Cols[2 * Band + 1 + RandomPerRow];
  for (int R = 0; R < Rows; ++R) {
    M->RowStart[R] = Nnz;
    int Count = 0;
    for (int D = -Band; D <= Band; ++D)
      if (R + D >= 0 && R + D < Rows)
        Cols[Count++] = R + D;
    for (int K = 0; K < RandomPerRow; ++K)
      Cols[Count++] = (int)(nextRandom() % (uint64_t)Rows);
    /* Sorted columns, duplicates merged: the usual CSR invariant. */
    qsort(Cols, (size_t)Count, sizeof(int), compareInt);
    for (int K = 0; K < Count; ++K) {
      if (K > 0 && Cols[K] == Cols[K - 1])
        continue;
      M->Column[Nnz] = Cols[K];
      M->Value[Nnz] = Cols[K] == R ? 4.0
                                   : (double)(1 + nextRandom() % 1000) / 1000.0;
      ++Nnz;
    }
  }
  M->RowStart[Rows] = Nnz;
}

static void multiply(const CsrMatrix *M, const double *X, double *Y) {
  for (int R = 0; R < M->Rows; ++R) {
    double Sum = 0.0;
    for (int K = M->RowStart[R]; K < M->RowStart[R + 1]; ++K)
      Sum += M->Value[K] * X[M->Column[K]];
    Y[R] = Sum;
  }
}

static double norm2(const double *X, int N) {
  double Sum = 0.0;
  for (int I = 0; I < N; ++I)
    Sum += X[I] * X[I];
  return sqrt(Sum);
}

int main(int argc, char **argv) {
  int Rows = argc > 1 ? atoi(argv[1]) : 200000;
  int Iterations = argc > 2 ? atoi(argv[2]) : 60;
  if (Rows < 8 || Iterations < 1) {
    fprintf(stderr, "spmv: need ROWS >= 8 and ITERATIONS >= 1\n");
    return 1;
  }
  CsrMatrix M;
  generate(&M, Rows);
  double *X = malloc(sizeof(double) * (size_t)Rows);
  double *Y = malloc(sizeof(double) * (size_t)Rows);
  if (!X || !Y) {
    fprintf(stderr, "spmv: out of memory\n");
    return 1;
  }
  for (int I = 0; I < Rows; ++I)
    X[I] = 1.0;
  double Scale = 1.0 / norm2(X, Rows);
  for (int I = 0; I < Rows; ++I)
    X[I] *= Scale;

  double Lambda = 0.0;
  for (int It = 0; It < Iterations; ++It) {
    multiply(&M, X, Y);
    Lambda = norm2(Y, Rows); /* |A x| with |x| = 1 */
    double Inv = 1.0 / Lambda;
    for (int I = 0; I < Rows; ++I)
      X[I] = Y[I] * Inv;
  }

  double Sum = 0.0;
  for (int I = 0; I < Rows; ++I)
    Sum += X[I];
  printf("rows %d nnz %d iterations %d\n", Rows, M.RowStart[Rows], Iterations);
  printf("lambda %.9e\n", Lambda);
  printf("sum_x %.9e\n", Sum);
  printf("x[0] %.9e x[n/2] %.9e x[n-1] %.9e\n", X[0], X[Rows / 2],
         X[Rows - 1]);
  free(X);
  free(Y);
  free(M.RowStart);
  free(M.Column);
  free(M.Value);
  return 0;
}
