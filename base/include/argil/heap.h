/*
 * The component heap: memory drawn from the component's own RAM quota.
 * It grows by allocating RAM dataspaces from the component's PD session
 * (PD_ALLOC_RAM) and attaching them (PD_ATTACH); chunks that become
 * entirely free again are detached and freed, except the first.
 *
 * Blocks are 16-byte aligned. Small requests are carved from chunks
 * (first fit, address-ordered free list, neighbours merged on free);
 * requests of HEAP_LARGE bytes or more get a dataspace of their own.
 */
#ifndef ARGIL_HEAP_H
#define ARGIL_HEAP_H

#include <argil/abi.h>
#include <argil/lock.h>
#include <argil/rpc.h>
#include <stddef.h>

#define HEAP_CHUNK (64 * 1024)
#define HEAP_LARGE (32 * 1024)

struct heap_chunk;
struct heap_large;

struct heap {
	cptr_t pd;                     /* PD session that pays */
	struct heap_chunk *chunks;
	struct heap_large *large;
	size_t used, quota_used;       /* bytes handed out / bytes of dataspaces held */
	rpc_status_t last_error;       /* why the last failed allocation failed */
	struct lock lock;
};

void heap_init(struct heap *h, cptr_t pd);
void *heap_alloc(struct heap *h, size_t size);
void heap_free(struct heap *h, void *p);
/* Detach and free every dataspace of the heap. */
void heap_destroy(struct heap *h);

/* The component's heap (set up by the component runtime; NULL before):
 * malloc and friends draw from it, its last_error says why one failed. */
extern struct heap *component_heap;
void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

#endif
