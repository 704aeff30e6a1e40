#ifndef ARGS_H
#define ARGS_H
#include <stddef.h>
size_t parse_size(int argc, char **argv, size_t fallback);
#endif
