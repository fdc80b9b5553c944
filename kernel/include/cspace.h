/* CSpace addressing: resolving capability addresses through CNodes. */
#ifndef CSPACE_H
#define CSPACE_H

#include <cap.h>

struct lookup {
	struct cte *slot;
	abi_error_t err;
	unsigned fault;    /* enum lookup_fault */
};

/* Resolve depth bits of cptr from root; exact depth for slot lookups.
 * depth is the word user space gave: anything outside 1..64 fails with
 * LF_DEPTH_MISMATCH. */
struct lookup cspace_lookup_slot(struct cap *root, uint64_t cptr, uint64_t depth);
/* Resolve a capability address at depth 64 (stops at a non-CNode cap). */
struct lookup cspace_lookup_cap(struct cap *root, uint64_t cptr);

static inline struct cte *cnode_slots(const struct cap *c) { return (struct cte *)cap_ptr(c); }
static inline unsigned cnode_radix(const struct cap *c) { return cap_bits(c); }

#endif
