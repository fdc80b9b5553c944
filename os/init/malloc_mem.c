/*
 * init_malloc_mem (model.h): the model allocator over malloc and free, the
 * same in both places that build models for real: init, where they draw
 * from init's heap (argil/heap.h), and the host tool argil-config, where
 * they are the C library's. Declared here rather than taken from either
 * header, so that the file builds in both.
 */
#include "model.h"

void *malloc(size_t size);
void free(void *p);

static void *mem_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

static void mem_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)size;
	free(p);
}

const struct init_mem init_malloc_mem = { mem_alloc, mem_free, NULL };
