/*
 * The entrypoint (argil/entrypoint.h): object table, badged capabilities,
 * signal handlers, the receive loop and deferred replies. Trusts its
 * clients for nothing: requests through unknown or stale badges are
 * answered with RPC_E_INVALID_CAP, requests with label 0 (which could be
 * mistaken for signals) with RPC_E_ILLEGAL_OPERATION, and capabilities a
 * client sends along are deleted unless the handler keeps them.
 */
#include <argil/entrypoint.h>
#include <argil/heap.h>
#include <argil/kernel.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <argil/thread.h>
#include <arch/syscall.h>

#define IDX_BITS 24
#define IDX_MASK ((1ull << IDX_BITS) - 1)
#define GEN_MASK ((1ull << (61 - IDX_BITS)) - 1)

static word_t make_badge(word_t idx, word_t gen)
{
	return RPC_BADGE_FLAG | ((gen & GEN_MASK) << IDX_BITS) | idx;
}

void ep_init(struct entrypoint *e, cptr_t ep, cptr_t ntfn, cptr_t cnode)
{
	memset(e, 0, sizeof(*e));
	e->ep = ep;
	e->ntfn = ntfn;
	e->cnode = cnode;
}

rpc_status_t ep_manage(struct entrypoint *e, struct rpc_object *obj, rpc_handler_t h, void *data)
{
	word_t i;

	lock_acquire(&e->lock);
	for (i = e->free_hint; i < e->nobjs; i++)
		if (!e->objs[i].obj)
			break;
	if (i == e->nobjs) {
		if (e->nobjs == e->cap_objs) {
			word_t n = e->cap_objs ? e->cap_objs * 2 : 16;
			struct ep_slot *t = n > IDX_MASK ? 0 : realloc(e->objs, n * sizeof(*t));
			if (!t) {
				lock_release(&e->lock);
				return RPC_E_OUT_OF_MEMORY;
			}
			memset(t + e->cap_objs, 0, (n - e->cap_objs) * sizeof(*t));
			e->objs = t;
			e->cap_objs = n;
		}
		e->nobjs++;
	}
	e->objs[i].obj = obj;
	e->free_hint = i + 1;
	obj->handler = h;
	obj->data = data;
	obj->cap = 0;
	obj->badge = make_badge(i, e->objs[i].gen);
	lock_release(&e->lock);
	return RPC_OK;
}

struct rpc_object *ep_lookup(struct entrypoint *e, word_t badge)
{
	word_t i = badge & IDX_MASK;
	struct rpc_object *o = 0;

	lock_acquire(&e->lock);
	if ((badge & RPC_BADGE_FLAG) && i < e->nobjs && e->objs[i].obj &&
	    e->objs[i].obj->badge == badge)
		o = e->objs[i].obj;
	lock_release(&e->lock);
	return o;
}

cptr_t ep_cap(struct entrypoint *e, struct rpc_object *obj)
{
	if (obj->cap)
		return obj->cap;
	cptr_t s = cap_slot_alloc();
	if (!s)
		return 0;
	/* clients may call and pass capabilities, never receive */
	if (cnode_mint(e->cnode, s, 64, e->cnode, e->ep, 64,
		       RIGHT_WRITE | RIGHT_GRANT | RIGHT_GRANT_REPLY, obj->badge) != E_OK) {
		cap_slot_free(s);
		return 0;
	}
	obj->cap = s;
	return s;
}

void ep_dissolve(struct entrypoint *e, struct rpc_object *obj)
{
	word_t i = obj->badge & IDX_MASK;

	if (obj->cap) {
		cnode_cancel_badged_sends(e->cnode, obj->cap, 64);
		cnode_revoke(e->cnode, obj->cap, 64);
		cap_slot_free(obj->cap);
		obj->cap = 0;
	}
	lock_acquire(&e->lock);
	if (i < e->nobjs && e->objs[i].obj == obj) {
		e->objs[i].obj = 0;
		e->objs[i].gen++;
		if (i < e->free_hint)
			e->free_hint = i;
	}
	obj->badge = 0;
	lock_release(&e->lock);
}

rpc_status_t signal_handler_init(struct entrypoint *e, struct signal_handler *h, signal_fn_t fn,
				 void *arg)
{
	int bit = -1;

	h->bit = -1;
	h->cap = 0;
	if (!e->ntfn)
		return RPC_E_UNAVAILABLE;
	cptr_t s = cap_slot_alloc();
	if (!s)
		return RPC_E_OUT_OF_SLOTS;
	lock_acquire(&e->lock);
	for (int b = 0; b < RPC_SIGNAL_BITS; b++) {
		if (!e->sig[b]) {
			bit = b;
			break;
		}
	}
	if (bit >= 0 && cnode_mint(e->cnode, s, 64, e->cnode, e->ntfn, 64, RIGHT_WRITE, 1ull << bit) == E_OK) {
		h->fn = fn;
		h->arg = arg;
		h->bit = bit;
		h->cap = s;
		e->sig[bit] = h;
		__atomic_and_fetch(&e->sig_pending, ~(1ull << bit), __ATOMIC_RELAXED);
		lock_release(&e->lock);
		return RPC_OK;
	}
	lock_release(&e->lock);
	cap_slot_free(s);
	return bit < 0 ? RPC_E_OUT_OF_MEMORY : RPC_E_INVALID_CAP;
}

void signal_handler_fini(struct entrypoint *e, struct signal_handler *h)
{
	if (h->bit < 0)
		return;
	cnode_revoke(e->cnode, h->cap, 64);
	cap_slot_free(h->cap);
	lock_acquire(&e->lock);
	e->sig[h->bit] = 0;
	__atomic_and_fetch(&e->sig_pending, ~(1ull << h->bit), __ATOMIC_RELAXED);
	lock_release(&e->lock);
	h->bit = -1;
	h->cap = 0;
}

void signal_submit(cptr_t ntfn)
{
	sys_signal(ntfn);
}

static void dispatch_signals(struct entrypoint *e)
{
	while (e->sig_pending) {
		int b = __builtin_ctzll(e->sig_pending);
		__atomic_and_fetch(&e->sig_pending, ~(1ull << b), __ATOMIC_RELAXED);
		lock_acquire(&e->lock);
		struct signal_handler *h = b < RPC_SIGNAL_BITS ? e->sig[b] : 0;
		signal_fn_t fn = h ? h->fn : 0;
		void *arg = h ? h->arg : 0;
		lock_release(&e->lock);
		if (fn)
			fn(arg);
	}
}

/* One receive (with the reply of the previous request, if any) and its
 * dispatch. Returns 1 if a reply to the handled request is due. */
static int serve_one(struct entrypoint *e, struct rpc_msg *req, struct rpc_msg *rep, int reply_due)
{
	struct thread_info *ti = thread_self();
	struct ipc_buffer *ib = ti->ipc;
	struct sys_msg s;

	if (!ti->recv_slot)
		ti->recv_slot = cap_slot_alloc();
	if (reply_due) {
		rpc_msg_to_sys(rep, &s, ib);
	} else {
		s.info = 0;
		for (int i = 0; i < ABI_MSG_REGS; i++)
			s.mr[i] = 0;
	}
	ib->recv_cnode = ti->recv_slot ? rpc_runtime.recv_cnode : 0;
	ib->recv_index = ti->recv_slot;
	ib->recv_depth = rpc_runtime.recv_depth;
	if (reply_due)
		sys_reply_recv(e->ep, &s);
	else
		sys_recv(e->ep, &s);
	if (e->release_after_reply) {
		cap_slot_free(e->release_after_reply);
		e->release_after_reply = 0;
	}

	/* a signal: label 0, length 0, and a word without the RPC flag */
	if (s.info == 0 && !(s.badge & RPC_BADGE_FLAG)) {
		__atomic_or_fetch(&e->sig_pending, s.badge, __ATOMIC_RELAXED);
		dispatch_signals(e);
		return 0;
	}
	rpc_msg_from_sys(req, &s, ib, ti->recv_slot);
	if (req->cap_kind == RPC_CAP_PLACED)
		ti->recv_slot = 0;
	if (!(s.badge & RPC_BADGE_FLAG)) {
		/* through an unbadged capability, or an aborted receive: nobody to serve */
		if (req->cap_kind == RPC_CAP_PLACED)
			cap_slot_free(req->cap);
		return 0;
	}
	rpc_init(rep, RPC_OK);
	struct rpc_object *obj = ep_lookup(e, s.badge);
	if (!obj)
		rep->label = RPC_E_INVALID_CAP;
	else if (req->label == 0)
		rep->label = RPC_E_ILLEGAL_OPERATION;
	else {
		e->deferred = 0;
		e->current = req;
		obj->handler(obj, req, rep);
		e->current = 0;
	}
	if (req->cap_kind == RPC_CAP_PLACED && req->cap)
		cap_slot_free(req->cap);
	if (e->deferred) {
		e->deferred = 0;
		return 0;
	}
	return 1;
}

void ep_run(struct entrypoint *e)
{
	struct rpc_msg req, rep;
	int reply_due = 0;

	for (;;) {
		if (!reply_due)
			dispatch_signals(e);
		reply_due = serve_one(e, &req, &rep, reply_due);
	}
}

void ep_dispatch_one(struct entrypoint *e)
{
	struct rpc_msg req, rep;

	if (serve_one(e, &req, &rep, 0)) {
		/* reply at once: this thread may owe nothing else now */
		struct sys_msg s;
		rpc_msg_to_sys(&rep, &s, thread_self()->ipc);
		sys_reply(&s);
		if (e->release_after_reply) {
			cap_slot_free(e->release_after_reply);
			e->release_after_reply = 0;
		}
	}
}

void ep_wait_signal(struct entrypoint *e, struct signal_handler *h)
{
	word_t bit = 1ull << h->bit;

	while (!(e->sig_pending & bit))
		__atomic_or_fetch(&e->sig_pending, sys_wait(e->ntfn), __ATOMIC_RELAXED);
	__atomic_and_fetch(&e->sig_pending, ~bit, __ATOMIC_RELAXED);
}

rpc_status_t rpc_defer(struct entrypoint *e, struct rpc_reply_cap *rc)
{
	cptr_t s = cap_slot_alloc();

	rc->slot = 0;
	if (!s)
		return RPC_E_OUT_OF_SLOTS;
	if (cnode_save_caller(e->cnode, s, 64) != E_OK) {
		cap_slot_free(s);
		return RPC_E_ILLEGAL_OPERATION;
	}
	rc->slot = s;
	e->deferred = 1;
	return RPC_OK;
}

void rpc_reply_deferred(struct rpc_reply_cap *rc, const struct rpc_msg *reply)
{
	struct sys_msg s;

	if (!rc->slot)
		return;
	rpc_msg_to_sys(reply, &s, thread_self()->ipc);
	sys_send(rc->slot, &s);
	cap_slot_free(rc->slot);
	rc->slot = 0;
}
