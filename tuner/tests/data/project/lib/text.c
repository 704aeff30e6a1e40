/* Counts words separated by spaces; this unit is built at -O2. */
#include "kern.h"

size_t text_count_words(const char *s) {
  size_t words = 0;
  int in_word = 0;
  for (; *s; s++) {
    int space = *s == ' ' || *s == '\n' || *s == '\t';
    if (!space && !in_word)
      words++;
    in_word = !space;
  }
  return words;
}
