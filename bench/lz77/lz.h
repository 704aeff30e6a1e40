/* lz.h: a small LZ77 compressor and decompressor.
 *
 * Compressed format (all integers are LEB128-style varints, 7 bits per byte,
 * low groups first, high bit set on every byte but the last):
 *   repeat { LiteralCount, LiteralCount raw bytes, MatchLength,
 *            [Distance if MatchLength > 0] }
 * The stream ends after a sequence whose MatchLength is 0. A match copies
 * MatchLength bytes starting Distance bytes back in the output; the source
 * may overlap the destination (Distance < MatchLength repeats a pattern).
 */
#ifndef BENCH_LZ_H
#define BENCH_LZ_H

#include <stddef.h>
#include <stdint.h>

enum {
  LzMinMatch = 4,
  LzWindow = 1 << 16,  /* matches reach at most this far back */
  LzMaxChain = 48,     /* candidates examined per position */
};

/* Capacity the output of lzCompress needs for InputSize bytes of input. */
size_t lzCompressBound(size_t InputSize);

/* Returns the compressed size written to Out (capacity lzCompressBound). */
size_t lzCompress(const uint8_t *In, size_t InSize, uint8_t *Out);

/* Returns the decompressed size, or (size_t)-1 on a malformed stream or when
 * the output would exceed OutCapacity. */
size_t lzDecompress(const uint8_t *In, size_t InSize, uint8_t *Out,
                    size_t OutCapacity);

#endif
