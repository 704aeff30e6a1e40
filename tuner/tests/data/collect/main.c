/* A two-unit program for the evidence collector's tests: main.c sets up
   (cold) and calls the kernel in kernel.c (hot). */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>

long cold_setup(int *data) {
  long s = 0;
  for (int i = 0; i < KERNEL_N; i++) {
    data[i] = (i * 7) % 13;
    s += data[i];
  }
  return s;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 1000;
  int data[KERNEL_N];
  long s = cold_setup(data);
  printf("%lu\n", (unsigned long)s + hot_kernel(data, rounds));
  return 0;
}
