/*
 * The test pattern of run/block_test and run/block_restart: 8-byte words,
 * word i of pattern `seed` is splitmix64((seed << 40) + i), little endian.
 * servers/block/test/pattern.py makes the same bytes on the host.
 */
#ifndef BLOCK_TEST_PATTERN_H
#define BLOCK_TEST_PATTERN_H

#include <stdint.h>

static inline uint64_t pattern_word(uint64_t seed, uint64_t i)
{
	uint64_t z = (seed << 40) + i + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* n bytes (a multiple of 8) of pattern seed from byte offset off (ditto). */
static inline void pattern_fill(void *buf, uint64_t seed, uint64_t off, uint64_t n)
{
	uint64_t *w = buf;

	for (uint64_t i = 0; i < n / 8; i++)
		w[i] = pattern_word(seed, off / 8 + i);
}

/* The first byte offset where buf differs from the pattern, or -1. */
static inline int64_t pattern_diff(const void *buf, uint64_t seed, uint64_t off, uint64_t n)
{
	const uint64_t *w = buf;

	for (uint64_t i = 0; i < n / 8; i++)
		if (w[i] != pattern_word(seed, off / 8 + i))
			return (int64_t)(i * 8);
	return -1;
}

#endif
