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

struct untyped_retype_op {
	struct cte *ut;            /* the invoked untyped's slot */
	unsigned type;
	uint64_t size_bits;
	bool device;
	uint64_t start, obj;       /* first object's address, object size */
	uint64_t count;
	struct cte *slots;         /* destination slots, all empty */
};

static abi_error_t decode_untyped_retype(struct inv *iv, struct untyped_retype_op *op)
{
	struct untyped_retype_args a;
	struct cap *ut = iv->cap;
	if (inv_get_untyped_retype(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if (iv->ncaps < 1)
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);

	if (a.type < OBJ_UNTYPED || a.type >= OBJ_RETYPABLE_COUNT)
		return inv_err(iv, E_INVALID_ARGUMENT, 0, 0);
	if (a.type == OBJ_UNTYPED && (a.size_bits < OBJ_UNTYPED_MIN_BITS || a.size_bits > OBJ_UNTYPED_MAX_BITS))
		return inv_err(iv, E_RANGE, OBJ_UNTYPED_MIN_BITS, OBJ_UNTYPED_MAX_BITS);
	if (a.type == OBJ_CNODE && a.size_bits > OBJ_CNODE_MAX_RADIX)
		return inv_err(iv, E_RANGE, 0, OBJ_CNODE_MAX_RADIX);
	bool device = cap_is_device(ut);
	if (device && a.type != OBJ_UNTYPED && a.type != OBJ_FRAME_4K && a.type != OBJ_FRAME_2M)
		return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);

	/* destination CNode */
	if (!a.root)
		return inv_err(iv, E_INVALID_CAPABILITY, 1, 0);
	struct cap *root = &a.root->cap;
	struct cap *dest;
	if (a.node_depth == 0) {
		dest = root;
	} else {
		struct lookup l = cspace_lookup_slot(root, a.node_index, a.node_depth);
		if (l.err)
			return inv_err(iv, E_FAILED_LOOKUP, 0, l.fault);
		dest = &l.slot->cap;
	}
	if (cap_type(dest) != OBJ_CNODE)
		return inv_err(iv, E_FAILED_LOOKUP, 0, LF_INVALID_ROOT);
	uint64_t nslots = 1ull << cnode_radix(dest);
	if (a.count == 0 || a.count > nslots)
		return inv_err(iv, E_RANGE, 1, nslots);
	if (a.node_offset >= nslots || a.node_offset + a.count > nslots)
		return inv_err(iv, E_RANGE, 0, nslots - 1);
	struct cte *slots = cnode_slots(dest) + a.node_offset;
	for (uint64_t i = 0; i < a.count; i++)
		if (!cap_is_null(&slots[i].cap))
			return inv_err(iv, E_DELETE_FIRST, 0, 0);

	unsigned bits = (unsigned)abi_object_bits(a.type, a.size_bits);
	uint64_t ut_bits = cap_bits(ut), base = cap_paddr(ut);
	uint64_t ut_size = 1ull << ut_bits;
	uint64_t free = mdb_has_children(iv->slot) ? cap_ut_free(ut) : 0;
	if (bits > ut_bits)
		return inv_err(iv, E_NOT_ENOUGH_MEMORY, ut_size - free, 0);
	uint64_t obj = 1ull << bits;
	uint64_t start = ALIGN_UP(base + free, obj);
	if (start - base > ut_size || a.count > (ut_size - (start - base)) >> bits)
		return inv_err(iv, E_NOT_ENOUGH_MEMORY, start - base > ut_size ? 0 : ut_size - (start - base), 0);
	if (a.type == OBJ_PML4 && a.count > asid_free_count())
		return inv_err(iv, E_NOT_ENOUGH_MEMORY, 0, 0);

	*op = (struct untyped_retype_op){ iv->slot, (unsigned)a.type, a.size_bits, device, start, obj,
					  a.count, slots };
	return E_OK;
}

static void invoke_untyped_retype(struct inv *iv, const struct untyped_retype_op *op)
{
	(void)iv;
	for (uint64_t i = 0; i < op->count; i++) {
		struct cap c = create_object(op->type, op->start + i * op->obj, op->size_bits, op->device);
		cte_insert_child(op->ut, &op->slots[i], c);
	}
	cap_set_ut_free(&op->ut->cap, op->start + op->count * op->obj - cap_paddr(&op->ut->cap));
}

abi_error_t decode_untyped(struct inv *iv)
{
	if (iv->label == UNTYPED_RETYPE)
		DECODE_INVOKE(untyped_retype, iv);
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}
