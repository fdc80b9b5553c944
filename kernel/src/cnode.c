/*
 * CNode invocations: copy, mint, move, mutate, rotate, delete, revoke,
 * cancel badged sends, save caller. The invoked CNode is the root for the
 * destination or target slot; a source root comes as an extra cap.
 */
#include <types.h>
#include <cap.h>
#include <cspace.h>
#include <inv.h>
#include <tcb.h>
#include <endpoint.h>

static abi_error_t slot_at(struct inv *iv, struct cap *root, uint64_t index, uint64_t depth, bool source,
			   struct cte **out)
{
	struct lookup l = cspace_lookup_slot(root, index, depth);
	if (l.err)
		return inv_err(iv, E_FAILED_LOOKUP, source, l.fault);
	*out = l.slot;
	return E_OK;
}

/* An extra cap that must be a CNode (a source or pivot root). */
static abi_error_t extra_root(struct inv *iv, struct cte *c, struct cap **out)
{
	if (!c)
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	*out = &c->cap;
	if (cap_type(*out) != OBJ_CNODE)
		return inv_err(iv, E_FAILED_LOOKUP, 1, LF_INVALID_ROOT);
	return E_OK;
}

/* A derived copy of c: rights masked, mapping state dropped. */
static abi_error_t derive(struct inv *iv, const struct cap *src, unsigned rights, struct cap *out)
{
	*out = *src;
	if (!cap_derive(out))
		return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
	cap_set_rights(out, cap_rights(src) & rights);
	return E_OK;
}

abi_error_t cnode_set_guard_data(struct inv *iv, struct cap *c, uint64_t data, unsigned argi)
{
	unsigned gs = data & 63;
	uint64_t guard = data >> 6;
	if (gs + cnode_radix(c) > 64)
		return inv_err(iv, E_RANGE, 0, 64 - cnode_radix(c));
	if (gs < 64 && (guard >> gs))
		return inv_err(iv, E_INVALID_ARGUMENT, argi, 0);
	cap_set_guard_size(c, gs);
	cap_set_guard(c, guard);
	return E_OK;
}

/* Badge of an endpoint/notification cap, guard of a CNode cap. */
static abi_error_t update_data(struct inv *iv, struct cap *c, uint64_t data, unsigned argi)
{
	switch (cap_type(c)) {
	case OBJ_ENDPOINT:
	case OBJ_NOTIFICATION:
		if (data == 0)
			return E_OK;
		if (data >> ABI_BADGE_BITS)
			return inv_err(iv, E_INVALID_ARGUMENT, argi, 0);
		if (cap_badge(c) && cap_badge(c) != data)
			return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
		cap_set_badge(c, data);
		return E_OK;
	case OBJ_CNODE:
		return cnode_set_guard_data(iv, c, data, argi);
	default:
		return E_OK;
	}
}

/* ---- revoke, delete, cancel badged sends, save caller: one slot -------- */

struct cnode_slot_op {
	struct cte *slot;
	struct tcb *caller;        /* save caller: whose reply cap */
};

/* The slot (index, depth) in the invoked CNode: the same two words for
 * all four. */
static abi_error_t decode_cnode_slot(struct inv *iv, struct cnode_slot_op *op)
{
	struct cnode_revoke_args a;
	if (inv_get_cnode_revoke(iv, &a))
		return E_TRUNCATED_MESSAGE;
	op->caller = NULL;
	return slot_at(iv, iv->cap, a.index, a.depth, false, &op->slot);
}

static void invoke_cnode_revoke(struct inv *iv, const struct cnode_slot_op *op)
{
	(void)iv;
	cte_revoke(op->slot);
}

static void invoke_cnode_delete(struct inv *iv, const struct cnode_slot_op *op)
{
	(void)iv;
	cte_delete(op->slot);
}

static abi_error_t decode_cnode_cancel_badged_sends(struct inv *iv, struct cnode_slot_op *op)
{
	abi_error_t e;
	if ((e = decode_cnode_slot(iv, op)))
		return e;
	if (cap_type(&op->slot->cap) != OBJ_ENDPOINT)
		return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
	return E_OK;
}

static void invoke_cnode_cancel_badged_sends(struct inv *iv, const struct cnode_slot_op *op)
{
	struct cap *c = &op->slot->cap;
	(void)iv;
	if (cap_badge(c))
		ep_cancel_badged(cap_ptr(c), cap_badge(c));
}

static abi_error_t decode_cnode_save_caller(struct inv *iv, struct cnode_slot_op *op)
{
	abi_error_t e;
	if ((e = decode_cnode_slot(iv, op)))
		return e;
	if (!cap_is_null(&op->slot->cap))
		return inv_err(iv, E_DELETE_FIRST, 0, 0);
	op->caller = iv->t->reply_to;
	if (!op->caller)
		return inv_err(iv, E_NO_REPLY, 0, 0);
	return E_OK;
}

static void invoke_cnode_save_caller(struct inv *iv, const struct cnode_slot_op *op)
{
	iv->t->reply_to = NULL;
	op->caller->reply_holder = NULL;
	cte_insert_child(NULL, op->slot, cap_make(CAP_REPLY, RIGHTS_ALL, (uint64_t)op->caller, 0));
	op->caller->reply_slot = op->slot;
}

/* ---- copy, mint, move, mutate: a source slot to an empty one ----------- */

struct cnode_transfer_op {
	struct cte *dest, *src;
	struct cap cap;            /* what dest receives */
};

static abi_error_t transfer_slots(struct inv *iv, uint64_t dest_index, uint64_t dest_depth,
				  struct cte *src_root, uint64_t src_index, uint64_t src_depth,
				  struct cnode_transfer_op *op)
{
	struct cap *sroot;
	abi_error_t e;
	if ((e = extra_root(iv, src_root, &sroot)))
		return e;
	if ((e = slot_at(iv, iv->cap, dest_index, dest_depth, false, &op->dest)))
		return e;
	if ((e = slot_at(iv, sroot, src_index, src_depth, true, &op->src)))
		return e;
	if (!cap_is_null(&op->dest->cap))
		return inv_err(iv, E_DELETE_FIRST, 0, 0);
	if (cap_is_null(&op->src->cap))
		return inv_err(iv, E_FAILED_LOOKUP, 1, LF_MISSING_CAP);
	op->cap = op->src->cap;
	return E_OK;
}

static abi_error_t decode_cnode_copy(struct inv *iv, struct cnode_transfer_op *op)
{
	struct cnode_copy_args a;
	abi_error_t e;
	if (inv_get_cnode_copy(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if ((e = transfer_slots(iv, a.dest_index, a.dest_depth, a.src_root, a.src_index, a.src_depth, op)))
		return e;
	return derive(iv, &op->src->cap, (unsigned)a.rights, &op->cap);
}

static abi_error_t decode_cnode_mint(struct inv *iv, struct cnode_transfer_op *op)
{
	struct cnode_mint_args a;
	abi_error_t e;
	if (inv_get_cnode_mint(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if ((e = transfer_slots(iv, a.dest_index, a.dest_depth, a.src_root, a.src_index, a.src_depth, op)))
		return e;
	if ((e = derive(iv, &op->src->cap, (unsigned)a.rights, &op->cap)))
		return e;
	return update_data(iv, &op->cap, a.badge, 5);
}

/* copy and mint: dest becomes a child of src */
static void invoke_cnode_derive(struct inv *iv, const struct cnode_transfer_op *op)
{
	(void)iv;
	cte_insert_child(op->src, op->dest, op->cap);
}

static abi_error_t decode_cnode_move(struct inv *iv, struct cnode_transfer_op *op)
{
	struct cnode_move_args a;
	if (inv_get_cnode_move(iv, &a))
		return E_TRUNCATED_MESSAGE;
	return transfer_slots(iv, a.dest_index, a.dest_depth, a.src_root, a.src_index, a.src_depth, op);
}

static abi_error_t decode_cnode_mutate(struct inv *iv, struct cnode_transfer_op *op)
{
	struct cnode_mutate_args a;
	abi_error_t e;
	if (inv_get_cnode_mutate(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if ((e = transfer_slots(iv, a.dest_index, a.dest_depth, a.src_root, a.src_index, a.src_depth, op)))
		return e;
	return update_data(iv, &op->cap, a.badge, 4);
}

/* move and mutate: dest takes src's place in the derivation tree */
static void invoke_cnode_move(struct inv *iv, const struct cnode_transfer_op *op)
{
	(void)iv;
	cte_move(op->dest, op->src, op->cap);
}

/* ---- rotate: src -> pivot, pivot -> dest (dest may be src) --------------- */

struct cnode_rotate_op {
	struct cte *dest, *pivot, *src;
	struct cap src_cap, pivot_cap;   /* with their new badges */
};

static abi_error_t decode_cnode_rotate(struct inv *iv, struct cnode_rotate_op *op)
{
	struct cnode_rotate_args a;
	struct cap *proot, *sroot;
	abi_error_t e;
	if (inv_get_cnode_rotate(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if ((e = extra_root(iv, a.pivot_root, &proot)) || (e = extra_root(iv, a.src_root, &sroot)))
		return e;
	if ((e = slot_at(iv, iv->cap, a.dest_index, a.dest_depth, false, &op->dest)))
		return e;
	if ((e = slot_at(iv, proot, a.pivot_index, a.pivot_depth, true, &op->pivot)))
		return e;
	if ((e = slot_at(iv, sroot, a.src_index, a.src_depth, true, &op->src)))
		return e;
	if (op->pivot == op->src || op->pivot == op->dest)
		return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
	if (cap_is_null(&op->src->cap) || cap_is_null(&op->pivot->cap))
		return inv_err(iv, E_FAILED_LOOKUP, 1, LF_MISSING_CAP);
	if (op->dest != op->src && !cap_is_null(&op->dest->cap))
		return inv_err(iv, E_DELETE_FIRST, 0, 0);
	op->src_cap = op->src->cap;
	op->pivot_cap = op->pivot->cap;
	if ((e = update_data(iv, &op->src_cap, a.pivot_badge, 5)) ||
	    (e = update_data(iv, &op->pivot_cap, a.dest_badge, 2)))
		return e;
	return E_OK;
}

static void invoke_cnode_rotate(struct inv *iv, const struct cnode_rotate_op *op)
{
	(void)iv;
	if (op->dest == op->src) {
		op->src->cap = op->src_cap;
		op->pivot->cap = op->pivot_cap;
		mdb_swap(op->src, op->pivot);
	} else {
		cte_move(op->dest, op->pivot, op->pivot_cap);
		cte_move(op->pivot, op->src, op->src_cap);
	}
}

abi_error_t decode_cnode(struct inv *iv)
{
	switch (iv->label) {
	case CNODE_REVOKE:
		DECODE_INVOKE_AS(cnode_slot_op, decode_cnode_slot, invoke_cnode_revoke, iv);
	case CNODE_DELETE:
		DECODE_INVOKE_AS(cnode_slot_op, decode_cnode_slot, invoke_cnode_delete, iv);
	case CNODE_CANCEL_BADGED_SENDS:
		DECODE_INVOKE_AS(cnode_slot_op, decode_cnode_cancel_badged_sends, invoke_cnode_cancel_badged_sends, iv);
	case CNODE_SAVE_CALLER:
		DECODE_INVOKE_AS(cnode_slot_op, decode_cnode_save_caller, invoke_cnode_save_caller, iv);
	case CNODE_COPY:
		DECODE_INVOKE_AS(cnode_transfer_op, decode_cnode_copy, invoke_cnode_derive, iv);
	case CNODE_MINT:
		DECODE_INVOKE_AS(cnode_transfer_op, decode_cnode_mint, invoke_cnode_derive, iv);
	case CNODE_MOVE:
		DECODE_INVOKE_AS(cnode_transfer_op, decode_cnode_move, invoke_cnode_move, iv);
	case CNODE_MUTATE:
		DECODE_INVOKE_AS(cnode_transfer_op, decode_cnode_mutate, invoke_cnode_move, iv);
	case CNODE_ROTATE:
		DECODE_INVOKE(cnode_rotate, iv);
	}
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}
