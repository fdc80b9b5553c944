/*
 * Kernel objects for accounts: each object is retyped from a buddy block
 * of exactly its size into a slot of the paying account, and freed by
 * revoking that block (which also deletes every cap derived from the
 * object, e.g. copies handed to clients or held in TCBs).
 */
#include "core.h"

rpc_status_t kobj_new(struct account *a, word_t type, word_t size_bits, struct kobj *o)
{
	word_t bits = abi_object_bits(type, size_bits);
	rpc_status_t st = acct_charge(a, 1ul << bits, 0);

	o->blk = 0;
	o->cap = 0;
	if (st != RPC_OK)
		return st;
	st = slot_get(a, &o->cap);
	if (st != RPC_OK)
		goto fail;
	o->blk = ut_alloc(bits, false);
	if (!o->blk) {
		st = RPC_E_UNAVAILABLE;
		goto fail;
	}
	abi_error_t e = core_retype(o->blk->cap, type, size_bits, o->cap, 1);
	if (e != E_OK) {
		printf("[core] retype of type %lu failed: %d\n", type, e);
		st = e == E_NOT_ENOUGH_MEMORY ? RPC_E_UNAVAILABLE : RPC_E_INVALID_ARGUMENT;
		goto fail;
	}
	return RPC_OK;
fail:
	if (o->blk)
		ut_free(o->blk);
	if (o->cap)
		slot_put(a, o->cap);
	acct_release(a, 1ul << bits, 0);
	o->blk = 0;
	o->cap = 0;
	return st;
}

void kobj_free(struct account *a, struct kobj *o)
{
	if (!o->blk)
		return;
	word_t bits = o->blk->bits;
	ut_free(o->blk);      /* the object and o->cap (its child) go */
	slot_put(a, o->cap);
	acct_release(a, 1ul << bits, 0);
	o->blk = 0;
	o->cap = 0;
}

rpc_status_t kobj_frames(struct account *a, word_t k, word_t limit, struct ublock **blk,
			 cptr_t *first)
{
	word_t n = 1ul << k, bytes = n * PAGE;
	rpc_status_t st = acct_charge(a, bytes, 0);

	*blk = 0;
	*first = 0;
	if (st != RPC_OK)
		return st;
	/* the block first: when there is none, nothing else was made */
	*blk = ut_alloc_below(k + PAGE_BITS, limit);
	if (!*blk) {
		acct_release(a, bytes, 0);
		return RPC_E_UNAVAILABLE;
	}
	st = slot_run(a, n, first);
	if (st != RPC_OK) {
		ut_free(*blk);
		acct_release(a, bytes, 0);
		*blk = 0;
		*first = 0;
		return st;
	}
	if (core_retype((*blk)->cap, OBJ_FRAME_4K, 0, *first, n) != E_OK) {
		ut_free(*blk);
		slot_put_run(a, *first, n);
		acct_release(a, bytes, 0);
		*blk = 0;
		*first = 0;
		return RPC_E_UNAVAILABLE;
	}
	return RPC_OK;
}

void kobj_free_frames(struct account *a, struct ublock *blk, cptr_t first, word_t k)
{
	ut_free(blk);
	slot_put_run(a, first, 1ul << k);
	acct_release(a, (1ul << k) * PAGE, 0);
}
