/* strmatch: multi-pattern and single-pattern string search over generated
 * text.
 *
 * The text is pseudo-English: words drawn from a generated vocabulary with a
 * skewed frequency, separated by spaces and punctuation. An Aho-Corasick
 * automaton counts every occurrence of a set of patterns in one pass; then
 * Boyer-Moore-Horspool searches for each pattern alone, and the two counts
 * must agree. Usage: strmatch [TEXT_BYTES] [PATTERNS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t RngState = 0xA0761D6478BD642FULL;

static uint64_t nextRandom(void) {
  RngState ^= RngState >> 12;
  RngState ^= RngState << 25;
  RngState ^= RngState >> 27;
  return RngState * 0x2545F4914F6CDD1DULL;
}

enum { VocabularySize = 2000, MaxWord = 12 };

static char Vocabulary[VocabularySize][MaxWord + 1];

static void buildVocabulary(void) {
  /* Letters weighted roughly like English so that common bigrams repeat. */
  static const char Letters[] = "eeeeeeeeeeeeettttttttaaaaaaaoooooooiiiiiii"
                                "nnnnnnnsssssshhhhhhrrrrrrddddllllcccuuummmw"
                                "wffggyyppbbvkjxqz";
  const size_t NumLetters = sizeof(Letters) - 1;
  for (int W = 0; W < VocabularySize; ++W) {
    int Len = 2 + (int)(nextRandom() % 9);
    for (int I = 0; I < Len; ++I)
      Vocabulary[W][I] = Letters[nextRandom() % NumLetters];
    Vocabulary[W][Len] = '\0';
  }
}

static size_t generateText(char *Text, size_t Size) {
  size_t Pos = 0;
  while (Pos + MaxWord + 2 < Size) {
    /* Skewed choice: frequent words come from the start of the vocabulary. */
    uint64_t R = nextRandom();
    int W = (int)((R % VocabularySize) * ((R >> 32) % VocabularySize) /
                  VocabularySize);
    size_t Len = strlen(Vocabulary[W]);
    memcpy(Text + Pos, Vocabulary[W], Len);
    Pos += Len;
    uint64_t P = nextRandom() % 20;
    Text[Pos++] = P == 0 ? '.' : P == 1 ? ',' : ' ';
  }
  Text[Pos] = '\0';
  return Pos;
}

/* ---- Aho-Corasick ---------------------------------------------------- */

enum { AlphabetSize = 128 };

typedef struct {
  int Next[AlphabetSize]; /* full goto function after construction */
  int Fail;
  int Output;     /* pattern ending here, or -1 */
  int OutputLink; /* next state on the fail chain with an output, or -1 */
} AcState;

typedef struct {
  AcState *States;
  int Count;
  int Capacity;
} Automaton;

static int newState(Automaton *A) {
  if (A->Count == A->Capacity) {
    A->Capacity = A->Capacity ? 2 * A->Capacity : 256;
    A->States = realloc(A->States, sizeof(AcState) * (size_t)A->Capacity);
    if (!A->States) {
      fprintf(stderr, "strmatch: out of memory\n");
      exit(1);
    }
  }
  AcState *S = &A->States[A->Count];
  for (int C = 0; C < AlphabetSize; ++C)
    S->Next[C] = -1;
  S->Fail = 0;
  S->Output = -1;
  S->OutputLink = -1;
  return A->Count++;
}

static void buildAutomaton(Automaton *A, char **Patterns, int NumPatterns) {
  A->States = NULL;
  A->Count = A->Capacity = 0;
  newState(A);
  for (int P = 0; P < NumPatterns; ++P) {
    int S = 0;
    for (const char *C = Patterns[P]; *C; ++C) {
      int Sym = *C & (AlphabetSize - 1);
      if (A->States[S].Next[Sym] < 0) {
        int Fresh = newState(A); /* may move States */
        A->States[S].Next[Sym] = Fresh;
      }
      S = A->States[S].Next[Sym];
    }
    A->States[S].Output = P;
  }

  /* Breadth-first: fail links of a state depend on shallower states only. */
  int *Queue = malloc(sizeof(int) * (size_t)A->Count);
  if (!Queue) {
    fprintf(stderr, "strmatch: out of memory\n");
    exit(1);
  }
  int Head = 0, Tail = 0;
  for (int C = 0; C < AlphabetSize; ++C) {
    int Child = A->States[0].Next[C];
    if (Child < 0) {
      A->States[0].Next[C] = 0;
    } else {
      A->States[Child].Fail = 0;
      Queue[Tail++] = Child;
    }
  }
  while (Head < Tail) {
    int S = Queue[Head++];
    int Fail = A->States[S].Fail;
    A->States[S].OutputLink = A->States[Fail].Output >= 0
                                  ? Fail
                                  : A->States[Fail].OutputLink;
    for (int C = 0; C < AlphabetSize; ++C) {
      int Child = A->States[S].Next[C];
      if (Child < 0) {
        A->States[S].Next[C] = A->States[Fail].Next[C];
      } else {
        A->States[Child].Fail = A->States[Fail].Next[C];
        Queue[Tail++] = Child;
      }
    }
  }
  free(Queue);
}

static void countAll(const Automaton *A, const char *Text, size_t Len,
                     long *Counts) {
  int S = 0;
  for (size_t I = 0; I < Len; ++I) {
    S = A->States[S].Next[Text[I] & (AlphabetSize - 1)];
    for (int O = A->States[S].Output >= 0 ? S : A->States[S].OutputLink;
         O >= 0; O = A->States[O].OutputLink)
      ++Counts[A->States[O].Output];
  }
}

/* ---- Boyer-Moore-Horspool ------------------------------------------- */

static long countHorspool(const char *Text, size_t Len, const char *Pattern) {
  size_t M = strlen(Pattern);
  if (M == 0 || M > Len)
    return 0;
  size_t Shift[256];
  for (int C = 0; C < 256; ++C)
    Shift[C] = M;
  for (size_t I = 0; I + 1 < M; ++I)
    Shift[(unsigned char)Pattern[I]] = M - 1 - I;
  long Count = 0;
  size_t Pos = 0;
  while (Pos + M <= Len) {
    unsigned char Last = (unsigned char)Text[Pos + M - 1];
    if (Last == (unsigned char)Pattern[M - 1] &&
        memcmp(Text + Pos, Pattern, M - 1) == 0)
      ++Count;
    Pos += Shift[Last];
  }
  return Count;
}

int main(int argc, char **argv) {
  long Size = argc > 1 ? atol(argv[1]) : 8000000;
  int NumPatterns = argc > 2 ? atoi(argv[2]) : 60;
  if (Size < 64 || NumPatterns < 1) {
    fprintf(stderr, "strmatch: need TEXT_BYTES >= 64 and PATTERNS >= 1\n");
    return 1;
  }
  buildVocabulary();
  char *Text = malloc((size_t)Size + 1);
  char **Patterns = malloc(sizeof(char *) * (size_t)NumPatterns);
  long *AcCounts = calloc((size_t)NumPatterns, sizeof(long));
  if (!Text || !Patterns || !AcCounts) {
    fprintf(stderr, "strmatch: out of memory\n");
    return 1;
  }
  size_t Len = generateText(Text, (size_t)Size);

  /* Patterns: single words, word pairs across a space, and word fragments. */
  for (int P = 0; P < NumPatterns; ++P) {
    char Buffer[2 * MaxWord + 2];
    const char *W1 = Vocabulary[nextRandom() % 300];
    const char *W2 = Vocabulary[nextRandom() % 300];
    switch (P % 3) {
    case 0:
      snprintf(Buffer, sizeof(Buffer), " %s ", W1);
      break;
    case 1:
      snprintf(Buffer, sizeof(Buffer), "%s %s", W1, W2);
      break;
    default:
      snprintf(Buffer, sizeof(Buffer), "%.3s", W1);
      break;
    }
    Patterns[P] = malloc(strlen(Buffer) + 1);
    if (!Patterns[P]) {
      fprintf(stderr, "strmatch: out of memory\n");
      return 1;
    }
    strcpy(Patterns[P], Buffer);
  }

  Automaton A;
  buildAutomaton(&A, Patterns, NumPatterns);
  countAll(&A, Text, Len, AcCounts);

  long Total = 0;
  int Mismatches = 0;
  uint64_t Digest = 0;
  for (int P = 0; P < NumPatterns; ++P) {
    long Single = countHorspool(Text, Len, Patterns[P]);
    /* Duplicate patterns only record the last index in the automaton. */
    int Duplicate = 0;
    for (int Q = P + 1; Q < NumPatterns; ++Q)
      if (strcmp(Patterns[P], Patterns[Q]) == 0)
        Duplicate = 1;
    if (!Duplicate && Single != AcCounts[P])
      ++Mismatches;
    Total += Single;
    Digest = Digest * 0x100000001B3ULL + (uint64_t)Single;
  }
  printf("text %zu bytes, %d patterns, %d automaton states\n", Len,
         NumPatterns, A.Count);
  for (int P = 0; P < 5 && P < NumPatterns; ++P)
    printf("pattern \"%s\" count %ld\n", Patterns[P], AcCounts[P]);
  printf("total %ld digest %016llx mismatches %d\n", Total,
         (unsigned long long)Digest, Mismatches);

  for (int P = 0; P < NumPatterns; ++P)
    free(Patterns[P]);
  free(Patterns);
  free(AcCounts);
  free(A.States);
  free(Text);
  return Mismatches ? 2 : 0;
}
