/* PGO test program: a hot loop whose branches are heavily skewed, so an
   instrumented run yields a profile with distinct counts per branch. */
#include <stdio.h>
#include <stdlib.h>

static unsigned classify(unsigned X) {
  if (X % 97 == 0)
    return X / 3;
  if (X % 5 == 0)
    return X * 7 + 1;
  return X ^ (X >> 3);
}

int main(int Argc, char **Argv) {
  unsigned N = Argc > 1 ? (unsigned)strtoul(Argv[1], 0, 10) : 200000;
  unsigned Sum = 0;
  for (unsigned I = 0; I < N; ++I)
    Sum += classify(I * 2654435761u);
  printf("sum %u\n", Sum);
  return 0;
}
