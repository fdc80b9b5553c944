/*
 * A capability-slot allocator over a range of one CNode: a bitmap, lowest
 * free slot first, with a lock so several threads of a component can use
 * it. The component runtime keeps one over [COMPONENT_FIRST_FREE,
 * 2^cnode_bits) of its own CNode.
 */
#ifndef ARGIL_SLOT_H
#define ARGIL_SLOT_H

#include <argil/abi.h>
#include <argil/lock.h>
#include <stdbool.h>

#define SLOT_ALLOC_MAX_BITS 12   /* at most 4096 slots */

struct slot_alloc {
	word_t first, end;       /* [first, end) */
	word_t used;
	word_t hint;             /* lowest possibly free */
	struct lock lock;
	uint64_t map[(1u << SLOT_ALLOC_MAX_BITS) / 64];
};

void slot_alloc_init(struct slot_alloc *a, word_t first, word_t end);
cptr_t slot_alloc(struct slot_alloc *a);   /* 0 if none is free */
void slot_free(struct slot_alloc *a, cptr_t slot);
bool slot_is_used(const struct slot_alloc *a, cptr_t slot);
word_t slot_free_count(const struct slot_alloc *a);

/* The component's own allocator and shorthands (component runtime). */
extern struct slot_alloc component_slots;
cptr_t cap_slot_alloc(void);
void cap_slot_free(cptr_t slot);  /* deletes whatever is in the slot, then frees it */

#endif
