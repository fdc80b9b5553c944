/*
 * Capability addressing. Bits of the address are consumed from the most
 * significant end of the given depth: at each CNode its guard, then radix
 * bits to pick a slot; a CNode cap in that slot continues the walk.
 */
#include <types.h>
#include <cspace.h>

static struct lookup fail(unsigned kind)
{
	struct lookup l = { NULL, E_FAILED_LOOKUP, kind };
	return l;
}

static struct lookup resolve(struct cap *root, uint64_t cptr, uint64_t depth, bool exact)
{
	struct cap *c = root;

	if (cap_type(c) != OBJ_CNODE)
		return fail(LF_INVALID_ROOT);
	if (depth < 1 || depth > 64)
		return fail(LF_DEPTH_MISMATCH);
	unsigned remaining = (unsigned)depth;
	if (depth < 64 && (cptr >> depth))
		return fail(LF_DEPTH_MISMATCH);   /* bits above the depth: a mistake */
	for (;;) {
		unsigned radix = cnode_radix(c), gs = cap_guard_size(c);
		if (gs + radix > remaining || gs + radix == 0)
			return fail(LF_DEPTH_MISMATCH);
		if (gs) {
			uint64_t g = (cptr >> (remaining - gs)) & MASK(gs);
			if (g != (cap_guard(c) & MASK(gs)))
				return fail(LF_GUARD_MISMATCH);
		}
		remaining -= gs;
		uint64_t index = radix ? (cptr >> (remaining - radix)) & MASK(radix) : 0;
		remaining -= radix;
		struct cte *slot = &cnode_slots(c)[index];
		if (remaining == 0) {
			struct lookup l = { slot, E_OK, LF_NONE };
			return l;
		}
		if (cap_type(&slot->cap) != OBJ_CNODE) {
			if (exact)
				return fail(LF_DEPTH_MISMATCH);
			struct lookup l = { slot, E_OK, LF_NONE };
			return l;
		}
		c = &slot->cap;
	}
}

struct lookup cspace_lookup_slot(struct cap *root, uint64_t cptr, uint64_t depth)
{
	return resolve(root, cptr, depth, true);
}

struct lookup cspace_lookup_cap(struct cap *root, uint64_t cptr)
{
	struct lookup l = resolve(root, cptr, 64, false);
	if (l.err == E_OK && cap_is_null(&l.slot->cap))
		return fail(LF_MISSING_CAP);
	return l;
}
