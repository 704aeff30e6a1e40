/* Functions for the expert's function rules (tests/ExpertRulesTest.cpp). */
#include <stdio.h>

#define N 2048
#define NOINLINE __attribute__((noinline))

int data[N];
unsigned char code[N];

/* Too big to inline at -O3's threshold, but not by much. */
int helper(const int *a, int n, int k) {
  int s = 0;
  for (int i = 0; i < n; ++i) {
    if (a[i] > k) s += a[i] * 3 - k; else s -= a[i] / 5 + k;
    if (s > 100000) s %= 977;
    if ((s & 7) == 3) s ^= a[(i * 7) % n];
  }
  for (int i = 0; i < n; ++i) {
    if (a[i] > k) s += a[i] * 4 - k; else s -= a[i] / 6 + k;
    if (s > 100000) s %= 976;
    if ((s & 7) == 3) s ^= a[(i * 8) % n];
  }
  for (int i = 0; i < n; ++i) {
    if (a[i] > k) s += a[i] * 5 - k; else s -= a[i] / 7 + k;
    if (s > 100000) s %= 975;
    if ((s & 7) == 3) s ^= a[(i * 9) % n];
  }
  for (int i = 0; i < n; ++i) {
    if (a[i] > k) s += a[i] * 6 - k; else s -= a[i] / 8 + k;
    if (s > 100000) s %= 974;
    if ((s & 7) == 3) s ^= a[(i * 10) % n];
  }
  return s;
}

/* Calls helper where it is not inlined, and does work of its own. */
NOINLINE int caller(int reps) {
  int t = 0;
  for (int k = 0; k < reps; ++k) {
    t += helper(data, N, k) + helper(data + 1, N - 1, k + 1);
    for (int i = 0; i < N; ++i)
      t = (t ^ data[i]) * 17 + (t >> 3) % 11;
  }
  return t;
}

/* A bytecode interpreter: a switch in a loop, many blocks and branches. */
NOINLINE unsigned long interp(const unsigned char *c, int n, int reps) {
  unsigned long acc = 0, x = 1;
  for (int r = 0; r < reps; ++r)
    for (int pc = 0; pc < n; ++pc) {
      switch (c[pc] & 15) {
      case 0: acc += x; break;
      case 1: acc -= x; break;
      case 2: x += 3; break;
      case 3: x ^= acc; break;
      case 4: acc <<= 1; break;
      case 5: acc >>= 1; break;
      case 6: if (acc > x) acc = x; break;
      case 7: if (acc >> 63) acc = ~acc; break;
      case 8: x = x * 5 + 1; break;
      case 9: acc |= x & 255; break;
      case 10: acc &= ~x; break;
      case 11: if (x & 1) x >>= 1; else x += 7; break;
      case 12: acc += pc; break;
      case 13: x -= pc; break;
      default: acc ^= 0x5555; break;
      }
    }
  return acc + x;
}

/* Straight-line arithmetic with a small helper that -O3 inlines. */
static int tiny(int a) { return a * 3 + 1; }
NOINLINE long straight(int reps) {
  long s = 0;
  for (int r = 0; r < reps; ++r)
    s += tiny(r) ^ (r >> 2);
  return s;
}

int main(void) {
  for (int i = 0; i < N; ++i) {
    data[i] = (i * 37) % 101 - 50;
    code[i] = (unsigned char)((i * 7 + i / 3) & 255);
  }
  int t = caller(40);
  unsigned long a = interp(code, N, 60);
  long s = straight(400000);
  printf("%d %lu %ld\n", t, a, s);
  return 0;
}
