/* stencil2d: explicit heat diffusion on a 2-D grid (5-point Jacobi stencil).
 *
 * A square plate with fixed boundary temperatures and a few generated hot
 * spots is relaxed for a number of sweeps; the program prints the mean
 * temperature and a few probes. Usage: stencil2d [N] [STEPS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t RngState = 0x9E3779B97F4A7C15ULL;

/* splitmix64, so the hot spots are the same on every run. */
static uint64_t nextRandom(void) {
  uint64_t Z = (RngState += 0x9E3779B97F4A7C15ULL);
  Z = (Z ^ (Z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  Z = (Z ^ (Z >> 27)) * 0x94D049BB133111EBULL;
  return Z ^ (Z >> 31);
}

static void initialise(double *Grid, int N) {
  for (int I = 0; I < N; ++I)
    for (int J = 0; J < N; ++J) {
      double V = 0.0;
      if (I == 0)
        V = 100.0; /* the hot top edge */
      else if (J == 0)
        V = 50.0;
      Grid[I * N + J] = V;
    }
  /* Interior hot spots keep their heat source only at time zero. */
  for (int S = 0; S < 32; ++S) {
    int I = 1 + (int)(nextRandom() % (uint64_t)(N - 2));
    int J = 1 + (int)(nextRandom() % (uint64_t)(N - 2));
    Grid[I * N + J] = 1000.0;
  }
}

/* One Jacobi sweep over the interior; the boundary is copied unchanged. */
static void sweep(const double *restrict Src, double *restrict Dst, int N,
                  double Alpha) {
  for (int J = 0; J < N; ++J) {
    Dst[J] = Src[J];
    Dst[(N - 1) * N + J] = Src[(N - 1) * N + J];
  }
  for (int I = 1; I < N - 1; ++I) {
    Dst[I * N] = Src[I * N];
    for (int J = 1; J < N - 1; ++J) {
      double Centre = Src[I * N + J];
      double Laplace = Src[(I - 1) * N + J] + Src[(I + 1) * N + J] +
                       Src[I * N + J - 1] + Src[I * N + J + 1] - 4.0 * Centre;
      Dst[I * N + J] = Centre + Alpha * Laplace;
    }
    Dst[I * N + N - 1] = Src[I * N + N - 1];
  }
}

int main(int argc, char **argv) {
  int N = argc > 1 ? atoi(argv[1]) : 512;
  int Steps = argc > 2 ? atoi(argv[2]) : 200;
  if (N < 4 || Steps < 1) {
    fprintf(stderr, "stencil2d: need N >= 4 and STEPS >= 1\n");
    return 1;
  }
  double *A = malloc(sizeof(double) * N * N);
  double *B = malloc(sizeof(double) * N * N);
  if (!A || !B) {
    fprintf(stderr, "stencil2d: out of memory\n");
    return 1;
  }
  initialise(A, N);
  for (int T = 0; T < Steps; ++T) {
    sweep(A, B, N, 0.2);
    double *Tmp = A;
    A = B;
    B = Tmp;
  }

  double Sum = 0.0, Max = 0.0;
  for (int I = 0; I < N * N; ++I) {
    Sum += A[I];
    if (A[I] > Max)
      Max = A[I];
  }
  printf("grid %d steps %d\n", N, Steps);
  printf("mean %.9e\n", Sum / ((double)N * N));
  printf("max %.9e\n", Max);
  printf("probe_centre %.9e\n", A[(N / 2) * N + N / 2]);
  printf("probe_corner %.9e\n", A[3 * N + 3]);
  free(A);
  free(B);
  return 0;
}
