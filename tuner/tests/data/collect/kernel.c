/* The hot function: a loop nest (hot_kernel:L0 holding hot_kernel:L1) that
   executes almost all of the program's instructions. */
#include "kernel.h"

unsigned long hot_kernel(const int *data, int rounds) {
  unsigned long sum = 0;
  for (int r = 0; r < rounds; r++)
    for (int i = 0; i < KERNEL_N; i++)
      sum += (unsigned long)data[i] * (r ^ i) + (sum >> 7);
  return sum;
}
