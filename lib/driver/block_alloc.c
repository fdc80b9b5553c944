/*
 * First-fit runs of equal blocks in private bitmaps (driver.h): the DMA
 * pools' allocator. Portable (host tested). A run is marked in `used`
 * block by block and ends at a block marked in `last`, so a free needs
 * only the run's start and refuses anything else.
 */
#include <driver.h>

static bool bit(const uint64_t *m, uint32_t i)
{
	return (m[i / 64] >> (i % 64)) & 1;
}

static void put_bit(uint64_t *m, uint32_t i, bool v)
{
	if (v)
		m[i / 64] |= 1ull << (i % 64);
	else
		m[i / 64] &= ~(1ull << (i % 64));
}

bool block_alloc_init(struct block_alloc *a, size_t size, uint32_t block)
{
	for (size_t i = 0; i < sizeof(*a); i++)
		((uint8_t *)a)[i] = 0;
	if (block < 16 || (block & (block - 1)) || size < block || size / block > BLOCK_ALLOC_MAX)
		return false;
	a->block = block;
	a->nblocks = (uint32_t)(size / block);
	return true;
}

long block_alloc_get(struct block_alloc *a, size_t size)
{
	uint32_t need, run = 0;

	if (!size || !a->block)
		return -1;
	if (size > (size_t)a->nblocks * a->block)
		return -1;
	need = (uint32_t)((size + a->block - 1) / a->block);
	for (uint32_t i = 0; i < a->nblocks; i++) {
		run = bit(a->used, i) ? 0 : run + 1;
		if (run == need) {
			uint32_t start = i + 1 - need;
			for (uint32_t b = start; b <= i; b++) {
				put_bit(a->used, b, true);
				put_bit(a->last, b, b == i);
			}
			return (long)start * a->block;
		}
	}
	return -1;
}

bool block_alloc_put(struct block_alloc *a, size_t offset)
{
	uint32_t b;

	if (!a->block || offset % a->block || offset / a->block >= a->nblocks)
		return false;
	b = (uint32_t)(offset / a->block);
	if (!bit(a->used, b) || (b && bit(a->used, b - 1) && !bit(a->last, b - 1)))
		return false;
	for (;; b++) {
		bool end = bit(a->last, b);
		put_bit(a->used, b, false);
		put_bit(a->last, b, false);
		if (end || b + 1 == a->nblocks)
			break;
	}
	return true;
}
