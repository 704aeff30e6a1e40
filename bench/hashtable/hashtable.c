/* hashtable: a word-count style workload on an open-addressing hash table.
 *
 * Keys are short generated words drawn with a skewed (roughly Zipf-like)
 * distribution. The table uses linear probing, tombstones for deletion and
 * doubles when it is 70% full. The program counts words, deletes the rare
 * ones, probes for absent keys and prints exact statistics.
 * Usage: hashtable [OPERATIONS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MaxWordLen = 15 };

typedef struct {
  char Word[MaxWordLen + 1]; /* NUL-terminated; empty means unused */
  uint32_t Hash;
  uint32_t Count;
  uint8_t Deleted; /* tombstone: probing continues past it */
} Slot;

typedef struct {
  Slot *Slots;
  size_t Capacity; /* a power of two */
  size_t Live;
  size_t Used; /* live entries plus tombstones */
} Table;

static uint64_t RngState = 0xDEADBEEFCAFEF00DULL;

static uint64_t nextRandom(void) {
  RngState ^= RngState >> 12;
  RngState ^= RngState << 25;
  RngState ^= RngState >> 27;
  return RngState * 0x2545F4914F6CDD1DULL;
}

/* FNV-1a followed by a final avalanche so low bits are usable as an index. */
static uint32_t hashWord(const char *Word, size_t Len) {
  uint32_t H = 2166136261u;
  for (size_t I = 0; I < Len; ++I) {
    H ^= (uint8_t)Word[I];
    H *= 16777619u;
  }
  H ^= H >> 16;
  H *= 0x85EBCA6Bu;
  H ^= H >> 13;
  return H;
}

static void tableInit(Table *T, size_t Capacity) {
  T->Slots = calloc(Capacity, sizeof(Slot));
  if (!T->Slots) {
    fprintf(stderr, "hashtable: out of memory\n");
    exit(1);
  }
  T->Capacity = Capacity;
  T->Live = 0;
  T->Used = 0;
}

/* Returns the slot holding Word, or NULL. */
static Slot *tableFind(const Table *T, const char *Word, size_t Len,
                       uint32_t Hash) {
  size_t Mask = T->Capacity - 1;
  for (size_t I = Hash & Mask;; I = (I + 1) & Mask) {
    Slot *S = &T->Slots[I];
    if (S->Word[0] == '\0' && !S->Deleted)
      return NULL;
    if (!S->Deleted && S->Hash == Hash && strncmp(S->Word, Word, Len) == 0 &&
        S->Word[Len] == '\0')
      return S;
  }
}

static void tableInsertNew(Table *T, const char *Word, size_t Len,
                           uint32_t Hash, uint32_t Count);

static void tableGrow(Table *T) {
  Table Bigger;
  tableInit(&Bigger, T->Capacity * 2);
  for (size_t I = 0; I < T->Capacity; ++I) {
    const Slot *S = &T->Slots[I];
    if (S->Word[0] != '\0' && !S->Deleted)
      tableInsertNew(&Bigger, S->Word, strlen(S->Word), S->Hash, S->Count);
  }
  free(T->Slots);
  *T = Bigger;
}

/* Inserts a key known to be absent; the first free or dead slot is reused. */
static void tableInsertNew(Table *T, const char *Word, size_t Len,
                           uint32_t Hash, uint32_t Count) {
  if ((T->Used + 1) * 10 > T->Capacity * 7)
    tableGrow(T);
  size_t Mask = T->Capacity - 1;
  size_t I = Hash & Mask;
  while (T->Slots[I].Word[0] != '\0' && !T->Slots[I].Deleted)
    I = (I + 1) & Mask;
  Slot *S = &T->Slots[I];
  if (!S->Deleted)
    ++T->Used;
  memcpy(S->Word, Word, Len);
  S->Word[Len] = '\0';
  S->Hash = Hash;
  S->Count = Count;
  S->Deleted = 0;
  ++T->Live;
}

static void tableAdd(Table *T, const char *Word, size_t Len) {
  uint32_t Hash = hashWord(Word, Len);
  Slot *S = tableFind(T, Word, Len, Hash);
  if (S)
    ++S->Count;
  else
    tableInsertNew(T, Word, Len, Hash, 1);
}

static void tableErase(Table *T, Slot *S) {
  S->Deleted = 1;
  S->Word[0] = '\0';
  --T->Live;
}

/* Words are built from a rank: low ranks are frequent, so the counts are
 * skewed like real text. The rank is spelled in a 26-letter alphabet with a
 * scrambling step so neighbouring ranks do not share prefixes. */
static size_t makeWord(char *Out, uint64_t Rank) {
  uint64_t X = Rank * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
  size_t Len = 3 + (size_t)(Rank % 9);
  for (size_t I = 0; I < Len; ++I) {
    Out[I] = (char)('a' + X % 26);
    X = X / 26 + Rank * 7919;
  }
  Out[Len] = '\0';
  return Len;
}

static uint64_t skewedRank(uint64_t Vocabulary) {
  /* The minimum of two uniform draws, scaled by a third draw, favours low
   * ranks strongly while still reaching the whole vocabulary. */
  uint64_t A = nextRandom() % Vocabulary, B = nextRandom() % Vocabulary;
  uint64_t M = A < B ? A : B;
  return (M * (nextRandom() % Vocabulary)) / Vocabulary;
}

int main(int argc, char **argv) {
  long Ops = argc > 1 ? atol(argv[1]) : 2000000;
  if (Ops < 1) {
    fprintf(stderr, "hashtable: OPERATIONS must be positive\n");
    return 1;
  }
  const uint64_t Vocabulary = 400000;
  Table T;
  tableInit(&T, 1024);
  char Word[MaxWordLen + 1];

  for (long I = 0; I < Ops; ++I) {
    size_t Len = makeWord(Word, skewedRank(Vocabulary));
    tableAdd(&T, Word, Len);
  }
  size_t Distinct = T.Live;

  /* Summaries over the table in slot order depend on the hash function and
   * the probing, which is what an exact check should pin down. */
  uint64_t Digest = 0, Total = 0;
  uint32_t MaxCount = 0;
  for (size_t I = 0; I < T.Capacity; ++I) {
    const Slot *S = &T.Slots[I];
    if (S->Word[0] == '\0' || S->Deleted)
      continue;
    Total += S->Count;
    if (S->Count > MaxCount)
      MaxCount = S->Count;
    Digest = (Digest ^ S->Hash) * 0x100000001B3ULL + S->Count;
  }

  /* Delete every word seen at most twice. */
  size_t Removed = 0;
  for (size_t I = 0; I < T.Capacity; ++I) {
    Slot *S = &T.Slots[I];
    if (S->Word[0] != '\0' && !S->Deleted && S->Count <= 2) {
      tableErase(&T, S);
      ++Removed;
    }
  }

  /* Look up a fresh stream of words: hits and misses after the deletions. */
  size_t Hits = 0;
  uint64_t HitCounts = 0;
  for (long I = 0; I < Ops; ++I) {
    size_t Len = makeWord(Word, nextRandom() % (Vocabulary * 2));
    const Slot *S = tableFind(&T, Word, Len, hashWord(Word, Len));
    if (S) {
      ++Hits;
      HitCounts += S->Count;
    }
  }

  printf("operations %ld capacity %zu\n", Ops, T.Capacity);
  printf("distinct %zu total %llu max_count %u\n", Distinct,
         (unsigned long long)Total, MaxCount);
  printf("removed %zu live %zu\n", Removed, T.Live);
  printf("lookups hit %zu count_sum %llu\n", Hits,
         (unsigned long long)HitCounts);
  printf("digest %016llx\n", (unsigned long long)Digest);
  free(T.Slots);
  return 0;
}
