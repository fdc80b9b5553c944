/*
 * A capability-slot allocator over a range of one CNode and any number of
 * further ranges (chunks) added as the CSpace grows: bitmaps, lowest free
 * slot first, with a lock so several threads of a component can use it.
 * The component runtime keeps one over [COMPONENT_FIRST_FREE,
 * 2^cnode_bits) of its own CNode and, when fewer than SLOT_GROW_BELOW
 * slots are free, asks its PD for another range (PD_CSPACE_GROW, paid
 * from its own quota) and adds it as a chunk from its heap.
 */
#ifndef ARGIL_SLOT_H
#define ARGIL_SLOT_H

#include <argil/abi.h>
#include <argil/lock.h>
#include <stdbool.h>

#define SLOT_ALLOC_MAX_BITS 12   /* at most 4096 slots */

#define SLOT_CHUNK_MAX 1024      /* slots of one added range */
#define SLOT_GROW_BELOW 32       /* the component runtime grows below this many */

struct slot_chunk {
	struct slot_chunk *next;
	word_t first, count, used;
	uint64_t map[SLOT_CHUNK_MAX / 64];
};

struct slot_alloc {
	word_t first, end;       /* [first, end) */
	word_t used;
	word_t hint;             /* lowest possibly free */
	struct lock lock;
	uint64_t map[(1u << SLOT_ALLOC_MAX_BITS) / 64];
	struct slot_chunk *chunks; /* added ranges, newest first */
	word_t chunk_free;       /* free slots in them */
};

void slot_alloc_init(struct slot_alloc *a, word_t first, word_t end);
/* Add the range [first, first + count) (count <= SLOT_CHUNK_MAX) with c as
 * its bookkeeping; c stays in use for the allocator's lifetime. */
void slot_alloc_add(struct slot_alloc *a, struct slot_chunk *c, word_t first, word_t count);
cptr_t slot_alloc(struct slot_alloc *a);   /* 0 if none is free */
void slot_free(struct slot_alloc *a, cptr_t slot);
bool slot_is_used(const struct slot_alloc *a, cptr_t slot);
word_t slot_free_count(const struct slot_alloc *a);

/* The component's own allocator and shorthands (component runtime). */
extern struct slot_alloc component_slots;
cptr_t cap_slot_alloc(void);
void cap_slot_free(cptr_t slot);  /* deletes whatever is in the slot, then frees it */

#endif
