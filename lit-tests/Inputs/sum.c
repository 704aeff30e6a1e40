/* Input of several tests: sum has one loop (sum:L0). */
int sum(const int *p, int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += p[i];
  return s;
}
