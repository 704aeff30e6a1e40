/* FNV-1a; the seed comes from this file's own compile definition. */
#include "kern.h"

#ifndef HASH_SEED
#error "hash.c is built with -DHASH_SEED (lib/CMakeLists.txt)"
#endif

uint32_t hash_bytes(const unsigned char *p, size_t n) {
  uint32_t h = HASH_SEED;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}
