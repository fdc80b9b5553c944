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

static abi_error_t slot_arg(struct inv *iv, struct cap *root, unsigned idx_arg, bool source, struct cte **out)
{
	struct lookup l = cspace_lookup_slot(root, inv_arg(iv, idx_arg), inv_arg(iv, idx_arg + 1));
	if (l.err)
		return inv_err(iv, E_FAILED_LOOKUP, source, l.fault);
	*out = l.slot;
	return E_OK;
}

static abi_error_t extra_root(struct inv *iv, unsigned n, struct cap **out)
{
	if (iv->ncaps <= n || !iv->caps[n])
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	*out = &iv->caps[n]->cap;
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
	case OBJ_CNODE: {
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
	default:
		return E_OK;
	}
}

abi_error_t decode_cnode(struct inv *iv)
{
	struct cap *root = iv->cap;
	struct cte *dest, *src, *pivot;
	struct cap *sroot, *proot, nc, pc;
	abi_error_t e;

	switch (iv->label) {
	case CNODE_REVOKE:
	case CNODE_DELETE:
	case CNODE_CANCEL_BADGED_SENDS:
	case CNODE_SAVE_CALLER:
		if (iv->len < 2)
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		if ((e = slot_arg(iv, root, 0, false, &dest)))
			return e;
		if (iv->label == CNODE_REVOKE) {
			cte_revoke(dest);
		} else if (iv->label == CNODE_DELETE) {
			cte_delete(dest);
		} else if (iv->label == CNODE_CANCEL_BADGED_SENDS) {
			if (cap_type(&dest->cap) != OBJ_ENDPOINT)
				return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
			if (cap_badge(&dest->cap))
				ep_cancel_badged(cap_ptr(&dest->cap), cap_badge(&dest->cap));
		} else {
			if (!cap_is_null(&dest->cap))
				return inv_err(iv, E_DELETE_FIRST, 0, 0);
			struct tcb *caller = iv->t->reply_to;
			if (!caller)
				return inv_err(iv, E_NO_REPLY, 0, 0);
			iv->t->reply_to = NULL;
			caller->reply_holder = NULL;
			cte_insert_child(NULL, dest, cap_make(CAP_REPLY, RIGHTS_ALL, (uint64_t)caller, 0));
			caller->reply_slot = dest;
		}
		return E_OK;

	case CNODE_COPY:
	case CNODE_MINT:
	case CNODE_MOVE:
	case CNODE_MUTATE: {
		unsigned need = iv->label == CNODE_COPY ? 5 : iv->label == CNODE_MINT ? 6 :
				iv->label == CNODE_MOVE ? 4 : 5;
		if (iv->len < need)
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		if ((e = extra_root(iv, 0, &sroot)))
			return e;
		if ((e = slot_arg(iv, root, 0, false, &dest)))
			return e;
		if ((e = slot_arg(iv, sroot, 2, true, &src)))
			return e;
		if (!cap_is_null(&dest->cap))
			return inv_err(iv, E_DELETE_FIRST, 0, 0);
		if (cap_is_null(&src->cap))
			return inv_err(iv, E_FAILED_LOOKUP, 1, LF_MISSING_CAP);
		if (iv->label == CNODE_COPY || iv->label == CNODE_MINT) {
			if ((e = derive(iv, &src->cap, (unsigned)inv_arg(iv, 4), &nc)))
				return e;
			if (iv->label == CNODE_MINT && (e = update_data(iv, &nc, inv_arg(iv, 5), 5)))
				return e;
			cte_insert_child(src, dest, nc);
		} else {
			nc = src->cap;
			if (iv->label == CNODE_MUTATE && (e = update_data(iv, &nc, inv_arg(iv, 4), 4)))
				return e;
			cte_move(dest, src, nc);
		}
		return E_OK;
	}

	case CNODE_ROTATE:
		if (iv->len < 8)
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		if ((e = extra_root(iv, 0, &proot)) || (e = extra_root(iv, 1, &sroot)))
			return e;
		if ((e = slot_arg(iv, root, 0, false, &dest)))
			return e;
		if ((e = slot_arg(iv, proot, 3, true, &pivot)))
			return e;
		if ((e = slot_arg(iv, sroot, 6, true, &src)))
			return e;
		if (pivot == src || pivot == dest)
			return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
		if (cap_is_null(&src->cap) || cap_is_null(&pivot->cap))
			return inv_err(iv, E_FAILED_LOOKUP, 1, LF_MISSING_CAP);
		if (dest != src && !cap_is_null(&dest->cap))
			return inv_err(iv, E_DELETE_FIRST, 0, 0);
		nc = src->cap;
		pc = pivot->cap;
		if ((e = update_data(iv, &nc, inv_arg(iv, 5), 5)) || (e = update_data(iv, &pc, inv_arg(iv, 2), 2)))
			return e;
		if (dest == src) {
			src->cap = nc;
			pivot->cap = pc;
			mdb_swap(src, pivot);
		} else {
			cte_move(dest, pivot, pc);
			cte_move(pivot, src, nc);
		}
		return E_OK;
	}
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}
