/* CSpace addressing: resolving capability addresses through CNodes. */
#ifndef CSPACE_H
#define CSPACE_H

#include <cap.h>

struct lookup {
	struct cte *slot;
	abi_error_t err;
	unsigned fault;    /* enum lookup_fault */
};

/* Resolve depth bits of cptr from root; exact depth for slot lookups. */
struct lookup cspace_lookup_slot(struct cap *root, uint64_t cptr, unsigned depth);
/* Resolve a capability address at depth 64 (stops at a non-CNode cap). */
struct lookup cspace_lookup_cap(struct cap *root, uint64_t cptr);

static inline struct cte *cnode_slots(const struct cap *c) { return (struct cte *)cap_ptr(c); }
static inline unsigned cnode_radix(const struct cap *c) { return cap_bits(c); }

#endif
