/* A latency-bound double-precision sum for the layout-check tests.
 *
 * -O3 keeps the additions in source order (FP addition is not associative),
 * so each one waits for the previous: about 4 cycles an element. The loop
 * hint vectorize_width=4 lets the vectorizer reorder the reduction (an
 * explicit width allows it), which runs several additions at once: a win
 * that comes from the optimization, not from where the code lands. The
 * values are small integers, so every order gives the same exact sum and the
 * output check stays exact. argv[1] scales the work. */
#include <stdio.h>
#include <stdlib.h>

#define N 8192

static double A[N];

__attribute__((noinline)) static double total(const double *V, int Count) {
  double S = 0;
  for (int I = 0; I < Count; ++I)
    S += V[I];
  return S;
}

int main(int argc, char **argv) {
  int Rounds = argc > 1 ? atoi(argv[1]) : 1;
  for (int I = 0; I < N; ++I)
    A[I] = (double)(I % 7);
  double Sum = 0;
  for (int R = 0; R < Rounds; ++R) {
    A[R % N] += 1.0;
    Sum += total(A, N);
  }
  printf("%.1f\n", Sum);
  return 0;
}
