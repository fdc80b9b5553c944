/*
 * Untyped memory and Retype: the only way kernel objects come to exist.
 * Objects are aligned to their size; the untyped's free index grows until
 * the untyped has no children left, when it starts again from zero.
 */
#include <types.h>
#include <kprintf.h>
#include <cap.h>
#include <cspace.h>
#include <inv.h>
#include <tcb.h>
#include <vspace.h>
#include <arch/mm.h>

static struct cap create_object(unsigned type, uint64_t paddr, uint64_t size_bits, bool device)
{
	void *p = phys_to_virt(paddr);
	unsigned bits = (unsigned)abi_object_bits(type, size_bits);
	struct cap c;

	if (type != OBJ_UNTYPED && !device)
		memset(p, 0, 1ull << bits);
	switch (type) {
	case OBJ_UNTYPED:
		c = cap_make(OBJ_UNTYPED, RIGHTS_ALL, paddr, 0);
		cap_set_bits(&c, (unsigned)size_bits);
		cap_set_device(&c, device);
		return c;
	case OBJ_FRAME_4K:
	case OBJ_FRAME_2M:
		c = cap_make(type, RIGHT_READ | RIGHT_WRITE, paddr, 0);
		cap_set_device(&c, device);
		return c;
	case OBJ_TCB:
		tcb_init(p);
		return cap_make(type, RIGHTS_ALL, (uint64_t)p, 0);
	case OBJ_CNODE:
		c = cap_make(type, RIGHTS_ALL, (uint64_t)p, 0);
		cap_set_bits(&c, (unsigned)size_bits);
		return c;
	case OBJ_PML4: {
		pml4_init(p);
		unsigned asid = asid_alloc(p);
		c = cap_make(type, RIGHTS_ALL, (uint64_t)p, 0);
		cap_set_asid(&c, asid);
		cap_set_vspace_root(&c, paddr);
		return c;
	}
	default:
		return cap_make(type, RIGHTS_ALL, (uint64_t)p, 0);
	}
}

abi_error_t decode_untyped(struct inv *iv)
{
	struct cap *ut = iv->cap;
	if (iv->label != UNTYPED_RETYPE)
		return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
	if (iv->len < 6 || iv->ncaps < 1)
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	uint64_t type = inv_arg(iv, 0), size_bits = inv_arg(iv, 1);
	uint64_t node_index = inv_arg(iv, 2), node_depth = inv_arg(iv, 3);
	uint64_t offset = inv_arg(iv, 4), count = inv_arg(iv, 5);

	if (type < OBJ_UNTYPED || type >= OBJ_RETYPABLE_COUNT)
		return inv_err(iv, E_INVALID_ARGUMENT, 0, 0);
	if (type == OBJ_UNTYPED && (size_bits < OBJ_UNTYPED_MIN_BITS || size_bits > OBJ_UNTYPED_MAX_BITS))
		return inv_err(iv, E_RANGE, OBJ_UNTYPED_MIN_BITS, OBJ_UNTYPED_MAX_BITS);
	if (type == OBJ_CNODE && size_bits > OBJ_CNODE_MAX_RADIX)
		return inv_err(iv, E_RANGE, 0, OBJ_CNODE_MAX_RADIX);
	bool device = cap_is_device(ut);
	if (device && type != OBJ_UNTYPED && type != OBJ_FRAME_4K && type != OBJ_FRAME_2M)
		return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);

	/* destination CNode */
	if (!iv->caps[0])
		return inv_err(iv, E_INVALID_CAPABILITY, 1, 0);
	struct cap *root = &iv->caps[0]->cap;
	struct cap *dest;
	if (node_depth == 0) {
		dest = root;
	} else {
		struct lookup l = cspace_lookup_slot(root, node_index, node_depth);
		if (l.err)
			return inv_err(iv, E_FAILED_LOOKUP, 0, l.fault);
		dest = &l.slot->cap;
	}
	if (cap_type(dest) != OBJ_CNODE)
		return inv_err(iv, E_FAILED_LOOKUP, 0, LF_INVALID_ROOT);
	uint64_t nslots = 1ull << cnode_radix(dest);
	if (count == 0 || count > nslots)
		return inv_err(iv, E_RANGE, 1, nslots);
	if (offset >= nslots || offset + count > nslots)
		return inv_err(iv, E_RANGE, 0, nslots - 1);
	struct cte *slots = cnode_slots(dest);
	for (uint64_t i = 0; i < count; i++)
		if (!cap_is_null(&slots[offset + i].cap))
			return inv_err(iv, E_DELETE_FIRST, 0, 0);

	unsigned bits = (unsigned)abi_object_bits(type, size_bits);
	uint64_t ut_bits = cap_bits(ut), base = cap_paddr(ut);
	uint64_t ut_size = 1ull << ut_bits;
	uint64_t free = mdb_has_children(iv->slot) ? cap_ut_free(ut) : 0;
	if (bits > ut_bits)
		return inv_err(iv, E_NOT_ENOUGH_MEMORY, ut_size - free, 0);
	uint64_t obj = 1ull << bits;
	uint64_t start = ALIGN_UP(base + free, obj);
	if (start - base > ut_size || count > (ut_size - (start - base)) >> bits)
		return inv_err(iv, E_NOT_ENOUGH_MEMORY, start - base > ut_size ? 0 : ut_size - (start - base), 0);
	if (type == OBJ_PML4 && count > asid_free_count())
		return inv_err(iv, E_NOT_ENOUGH_MEMORY, 0, 0);

	/* invoke: cannot fail from here */
	for (uint64_t i = 0; i < count; i++) {
		struct cap c = create_object((unsigned)type, start + i * obj, size_bits, device);
		cte_insert_child(iv->slot, &slots[offset + i], c);
	}
	cap_set_ut_free(ut, start + count * obj - base);
	return E_OK;
}
