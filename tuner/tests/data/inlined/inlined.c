/* A static kernel with a loop nest, called once from main: the inliner puts
   it into main, so after inlining its loops, remarks and transform warnings
   are under main. Attribution must still find them as lcs's
   (tests/SourceAttributionTest.cpp). */
#include <stdio.h>
#include <stdlib.h>

#define N 300

static int table[N + 1][N + 1];

static int lcs(const char *a, const char *b, int n) {
  for (int i = 1; i <= n; ++i) {
    for (int j = 1; j <= n; ++j) {
      if (a[i - 1] == b[j - 1])
        table[i][j] = table[i - 1][j - 1] + 1;
      else
        table[i][j] = table[i - 1][j] > table[i][j - 1] ? table[i - 1][j]
                                                        : table[i][j - 1];
    }
  }
  return table[n][n];
}

int main(int argc, char **argv) {
  static char a[N], b[N];
  unsigned seed = argc > 1 ? (unsigned)atoi(argv[1]) : 7u;
  for (int i = 0; i < N; ++i) {
    seed = seed * 1103515245u + 12345u;
    a[i] = (char)('a' + (seed >> 16) % 4);
    seed = seed * 1103515245u + 12345u;
    b[i] = (char)('a' + (seed >> 16) % 4);
  }
  printf("%d\n", lcs(a, b, N));
  return 0;
}
