/* Counts primes below a limit with the sieve of Eratosthenes. */
#include "kern.h"

#include <stdlib.h>

size_t sieve_count(size_t limit) {
  unsigned char *composite = calloc(limit + 1, 1);
  if (!composite)
    return 0;
  size_t count = 0;
  for (size_t i = 2; i <= limit; i++) {
    if (composite[i])
      continue;
    count++;
    for (size_t j = i * i; j <= limit; j += i)
      composite[j] = 1;
  }
  free(composite);
  return count;
}
