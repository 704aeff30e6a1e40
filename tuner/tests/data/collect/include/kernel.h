/* The kernel's interface; the collector's cache must notice edits here. */
#define KERNEL_N 64
unsigned long hot_kernel(const int *data, int rounds);
long cold_setup(int *data);
