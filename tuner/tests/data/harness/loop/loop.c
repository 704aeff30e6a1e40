/* A small deterministic kernel for the harness tests and for measuring the
 * tuner's throughput: argv[1] scales the work (about 0.2 s at 40 here). */
#include <stdio.h>
#include <stdlib.h>

#define N 4096

static float X[N], Y[N];

static float kernel(int Rounds) {
  float Acc = 0;
  for (int R = 0; R < Rounds * 600; ++R) {
    for (int I = 0; I < N; ++I)
      Y[I] = Y[I] * 0.999f + X[I] * (float)(R & 7);
    Acc += Y[R % N];
  }
  return Acc;
}

int main(int argc, char **argv) {
  int Rounds = argc > 1 ? atoi(argv[1]) : 1;
  for (int I = 0; I < N; ++I)
    X[I] = (float)(I % 17) * 0.25f;
  printf("checksum %.6e\n", kernel(Rounds));
  return 0;
}
