/*
 * RPC client call and message packing (argil/rpc.h). Trusts nothing in a
 * reply: lengths are clamped, strings are checked, and a reply that did
 * not come from a server (the kernel's own answer to a bad capability or an
 * aborted call) is told apart by the badge register, which a real reply
 * sets to 0.
 */
#include <argil/rpc.h>
#include <argil/string.h>
#include <argil/thread.h>
#include <argil/kernel.h>
#include <arch/syscall.h>

struct rpc_runtime rpc_runtime;

void rpc_msg_to_sys(const struct rpc_msg *m, struct sys_msg *s, struct ipc_buffer *ib)
{
	word_t len = m->len > RPC_MAX_WORDS ? RPC_MAX_WORDS : m->len;
	word_t ncaps = m->cap ? 1 : 0;

	for (word_t i = 0; i < ABI_MSG_REGS; i++)
		s->mr[i] = i < len ? m->w[i] : 0;
	for (word_t i = ABI_MSG_REGS; i < len; i++)
		ib->msg[i] = m->w[i];
	if (ncaps)
		ib->caps[0] = m->cap;
	s->info = mi_make(m->label, 0, ncaps, len);
}

void rpc_msg_from_sys(struct rpc_msg *m, const struct sys_msg *s, const struct ipc_buffer *ib,
		      cptr_t recv_slot)
{
	word_t len = mi_len(s->info);

	if (len > RPC_MAX_WORDS)
		len = RPC_MAX_WORDS;
	m->label = mi_label(s->info);
	m->len = len;
	m->badge = s->badge;
	for (word_t i = 0; i < len; i++)
		m->w[i] = i < ABI_MSG_REGS ? s->mr[i] : ib->msg[i];
	m->cap = 0;
	m->cap_badge = 0;
	m->cap_kind = RPC_CAP_NONE;
	if (mi_caps(s->info) >= 1) {
		if (mi_unwrapped(s->info) & 1) {
			m->cap_kind = RPC_CAP_UNWRAPPED;
			m->cap_badge = ib->caps[0];
		} else if (recv_slot) {
			m->cap_kind = RPC_CAP_PLACED;
			m->cap = recv_slot;
		}
	}
}

/* The calling thread's receive slot, allocated on demand. */
static cptr_t recv_slot(struct thread_info *ti)
{
	if (!ti->recv_slot && rpc_runtime.slot_alloc)
		ti->recv_slot = rpc_runtime.slot_alloc();
	return ti->recv_slot;
}

rpc_status_t rpc_call(cptr_t cap, struct rpc_msg *m)
{
	struct thread_info *ti = thread_self();
	struct ipc_buffer *ib = ti->ipc;
	struct sys_msg s;
	cptr_t rs;

	if (!cap) {
		m->len = 0;
		m->cap = 0;
		m->cap_kind = RPC_CAP_NONE;
		return m->label = RPC_E_INVALID_CAP;
	}
	rs = recv_slot(ti);
	if (!rs) {
		m->len = 0;
		m->cap = 0;
		m->cap_kind = RPC_CAP_NONE;
		return m->label = RPC_E_OUT_OF_SLOTS;
	}
	rpc_msg_to_sys(m, &s, ib);
	ib->recv_cnode = rpc_runtime.recv_cnode;
	ib->recv_index = rs;
	ib->recv_depth = rpc_runtime.recv_depth;
	s.badge = 0;
	sys_call(cap, &s);
	if (s.badge != 0) {
		/* not a server's reply: the kernel refused or aborted the call */
		rpc_status_t st = mi_label(s.info) == E_DELETED ? RPC_E_DELETED : RPC_E_INVALID_CAP;
		m->len = 0;
		m->cap = 0;
		m->cap_kind = RPC_CAP_NONE;
		return m->label = st;
	}
	rpc_msg_from_sys(m, &s, ib, rs);
	if (m->cap_kind == RPC_CAP_PLACED)
		ti->recv_slot = 0;  /* the caller owns it now */
	if (m->label >= RPC_E_COUNT)
		m->label = RPC_E_ILLEGAL_OPERATION;
	return (rpc_status_t)m->label;
}

void rpc_send(cptr_t cap, const struct rpc_msg *m)
{
	struct sys_msg s;

	rpc_msg_to_sys(m, &s, thread_self()->ipc);
	sys_send(cap, &s);
}

void rpc_slot_release(cptr_t slot)
{
	if (!slot)
		return;
	if (rpc_runtime.slot_free)
		rpc_runtime.slot_free(slot);
}

bool cap_is_notification(cptr_t cap)
{
	return cap && sys_debug_cap_type(cap) == OBJ_NOTIFICATION;
}

rpc_status_t rpc_take_sigh(struct rpc_msg *req, cptr_t *slot, bool optional)
{
	bool placed = req->cap_kind == RPC_CAP_PLACED;
	if (placed ? !cap_is_notification(req->cap) : !(optional && req->cap_kind == RPC_CAP_NONE))
		return RPC_E_INVALID_CAP;
	rpc_slot_release(*slot);
	*slot = placed ? req->cap : 0;
	if (placed)
		req->cap = 0;   /* ours now */
	return RPC_OK;
}

rpc_status_t rpc_call_expect(cptr_t cap, struct rpc_msg *m, word_t min_words, bool want_cap)
{
	rpc_status_t st = rpc_call(cap, m);

	if (st == RPC_OK && (m->len < min_words || (want_cap && m->cap_kind != RPC_CAP_PLACED)))
		st = RPC_E_TRUNCATED;
	if (st != RPC_OK && m->cap_kind == RPC_CAP_PLACED) {
		rpc_slot_release(m->cap);
		m->cap = 0;
		m->cap_kind = RPC_CAP_NONE;
	}
	return st;
}
