/* A float sum compiled with -ffast-math: the optimizer may reassociate it,
 * so the vectorization knobs legitimately change the printed digits. The
 * harness tests use it to show a wrong-output candidate being rejected by an
 * exact check and accepted by a numeric check with a loose tolerance. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int N = argc > 1 ? atoi(argv[1]) : 1000000;
  float Sum = 0.0f;
  for (int I = 1; I <= N; ++I)
    Sum += 1.0f / (float)I;
  printf("%.9g\n", Sum);
  return 0;
}
