/* mergesort.c: top-down merge sort with an insertion sort for short runs. */
#include "sort.h"

#include <string.h>

/* Below this length insertion sort beats the recursion overhead. */
enum { InsertionCutoff = 24 };

static void insertionSort(uint64_t *Keys, size_t Count) {
  for (size_t I = 1; I < Count; ++I) {
    uint64_t Key = Keys[I];
    size_t J = I;
    while (J > 0 && Keys[J - 1] > Key) {
      Keys[J] = Keys[J - 1];
      --J;
    }
    Keys[J] = Key;
  }
}

/* Merges the sorted halves [0, Mid) and [Mid, Count) of Keys via Scratch. */
static void merge(uint64_t *Keys, uint64_t *Scratch, size_t Mid, size_t Count) {
  size_t L = 0, R = Mid, Out = 0;
  while (L < Mid && R < Count)
    Scratch[Out++] = Keys[R] < Keys[L] ? Keys[R++] : Keys[L++];
  while (L < Mid)
    Scratch[Out++] = Keys[L++];
  while (R < Count)
    Scratch[Out++] = Keys[R++];
  memcpy(Keys, Scratch, Count * sizeof(uint64_t));
}

void mergeSort(uint64_t *Keys, uint64_t *Scratch, size_t Count) {
  if (Count <= InsertionCutoff) {
    insertionSort(Keys, Count);
    return;
  }
  size_t Mid = Count / 2;
  mergeSort(Keys, Scratch, Mid);
  mergeSort(Keys + Mid, Scratch + Mid, Count - Mid);
  /* Already in order: the common case for nearly sorted input. */
  if (Keys[Mid - 1] <= Keys[Mid])
    return;
  merge(Keys, Scratch, Mid, Count);
}
