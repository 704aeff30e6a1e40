/* The kernel of the autopass-cc test program. */
#ifndef KERNEL_H
#define KERNEL_H
void scale(int *restrict a, const int *restrict b, long n);
#endif
