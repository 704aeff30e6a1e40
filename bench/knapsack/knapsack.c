/* knapsack: the 0/1 knapsack problem by dynamic programming.
 *
 * Generated items (weights and values loosely correlated, as in hard
 * instances) are packed into a knapsack of a given capacity. The table of
 * best values is kept one row at a time; a bit matrix records which items
 * were taken so the optimal selection can be rebuilt and checked.
 * Usage: knapsack [ITEMS] [CAPACITY]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t RngState = 0x1F83D9ABFB41BD6BULL;

static uint32_t nextRandom(void) {
  RngState ^= RngState >> 12;
  RngState ^= RngState << 25;
  RngState ^= RngState >> 27;
  return (uint32_t)((RngState * 0x2545F4914F6CDD1DULL) >> 32);
}

int main(int argc, char **argv) {
  int Items = argc > 1 ? atoi(argv[1]) : 2000;
  int Capacity = argc > 2 ? atoi(argv[2]) : 100000;
  if (Items < 1 || Capacity < 1) {
    fprintf(stderr, "knapsack: ITEMS and CAPACITY must be positive\n");
    return 1;
  }
  int *Weight = malloc(sizeof(int) * (size_t)Items);
  int *Value = malloc(sizeof(int) * (size_t)Items);
  int64_t *Best = calloc((size_t)Capacity + 1, sizeof(int64_t));
  size_t RowWords = ((size_t)Capacity + 64) / 64;
  uint64_t *Taken = calloc((size_t)Items * RowWords, sizeof(uint64_t));
  if (!Weight || !Value || !Best || !Taken) {
    fprintf(stderr, "knapsack: out of memory\n");
    return 1;
  }
  int64_t TotalWeight = 0;
  for (int I = 0; I < Items; ++I) {
    Weight[I] = 1 + (int)(nextRandom() % 1000);
    Value[I] = Weight[I] + (int)(nextRandom() % 200); /* correlated */
    TotalWeight += Weight[I];
  }

  /* Best[c] = best value using the items so far within capacity c. Going
   * down in c lets each item be used at most once. */
  for (int I = 0; I < Items; ++I) {
    uint64_t *Row = Taken + (size_t)I * RowWords;
    int W = Weight[I];
    int64_t V = Value[I];
    for (int C = Capacity; C >= W; --C) {
      int64_t With = Best[C - W] + V;
      if (With > Best[C]) {
        Best[C] = With;
        Row[C / 64] |= (uint64_t)1 << (C % 64);
      }
    }
  }

  /* Walk back through the decisions to recover the selection. */
  int C = Capacity, Chosen = 0;
  int64_t PackedWeight = 0, PackedValue = 0;
  uint64_t SelectionHash = 0;
  for (int I = Items - 1; I >= 0; --I) {
    const uint64_t *Row = Taken + (size_t)I * RowWords;
    if (Row[C / 64] >> (C % 64) & 1) {
      C -= Weight[I];
      ++Chosen;
      PackedWeight += Weight[I];
      PackedValue += Value[I];
      SelectionHash = SelectionHash * 1000003u + (uint64_t)I;
    }
  }
  printf("items %d capacity %d total_weight %lld\n", Items, Capacity,
         (long long)TotalWeight);
  printf("best_value %lld\n", (long long)Best[Capacity]);
  printf("chosen %d weight %lld value %lld consistent %d\n", Chosen,
         (long long)PackedWeight, (long long)PackedValue,
         PackedValue == Best[Capacity] && PackedWeight <= Capacity);
  printf("best_at_half_capacity %lld\n", (long long)Best[Capacity / 2]);
  printf("selection_hash %016llx\n", (unsigned long long)SelectionHash);
  free(Weight);
  free(Value);
  free(Best);
  free(Taken);
  return 0;
}
