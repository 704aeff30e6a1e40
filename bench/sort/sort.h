/* sort.h: the sorting routines of the sort benchmark.
 *
 * Two independent sorts of 64-bit unsigned keys, so the benchmark can check
 * one against the other: a top-down merge sort (comparison based) and an
 * LSD radix sort (byte by byte). Both sort ascending and need a scratch
 * buffer as large as the input.
 */
#ifndef BENCH_SORT_H
#define BENCH_SORT_H

#include <stddef.h>
#include <stdint.h>

void mergeSort(uint64_t *Keys, uint64_t *Scratch, size_t Count);
void radixSort(uint64_t *Keys, uint64_t *Scratch, size_t Count);

#endif
