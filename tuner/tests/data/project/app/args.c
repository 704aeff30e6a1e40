/* The size argument of the program. */
#include "args.h"

#include <stdlib.h>

size_t parse_size(int argc, char **argv, size_t fallback) {
  if (argc < 2)
    return fallback;
  long v = strtol(argv[1], 0, 10);
  return v > 0 && v < 4096 ? (size_t)v : fallback;
}
