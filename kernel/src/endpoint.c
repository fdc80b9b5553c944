/*
 * Endpoint IPC: rendezvous of a sender and a receiver, message transfer,
 * capability transfer, replies and fault messages.
 */
#include <types.h>
#include <kprintf.h>
#include <cap.h>
#include <cspace.h>
#include <tcb.h>
#include <sched.h>
#include <endpoint.h>
#include <notification.h>

void ep_remove(struct endpoint *ep, struct tcb *t)
{
	tcbq_remove(&ep->q, t);
	if (!ep->q.head)
		ep->state = EP_IDLE;
}

static struct tcb *q_pop(struct endpoint *ep)
{
	struct tcb *t = ep->q.head;
	ep_remove(ep, t);
	return t;
}

/* Give the receiver one capability from the sender. */
static bool transfer_cap(struct tcb *r, struct ipc_buffer *rbuf, struct cte *src)
{
	struct cap *rroot = &r->slots[TCB_SLOT_CSPACE].cap;
	if (!rbuf || cap_type(rroot) != OBJ_CNODE)
		return false;
	struct lookup l = cspace_lookup_cap(rroot, rbuf->recv_cnode);
	if (l.err || cap_type(&l.slot->cap) != OBJ_CNODE)
		return false;
	l = cspace_lookup_slot(&l.slot->cap, rbuf->recv_index, rbuf->recv_depth);
	if (l.err || !cap_is_null(&l.slot->cap))
		return false;
	struct cap nc = src->cap;
	if (!cap_derive(&nc))
		return false;
	cte_insert_child(src, l.slot, nc);
	return true;
}

/* Copy a message from s to r. For a fault sender the kernel-made fault
 * message is sent instead of s's registers. */
static void transfer(struct tcb *s, struct tcb *r, uint64_t badge, bool can_grant, struct endpoint *ep)
{
	uint64_t info, label;
	unsigned len, ncaps = 0, unwrapped = 0, sent = 0;

	if (s->fault_pending) {
		arch_ctx_set_mrs(&r->ctx, s->fault_word);
		arch_ctx_set_badge(&r->ctx, badge);
		arch_ctx_set_info(&r->ctx, mi_make(s->fault_label, 0, 0, s->fault_len));
		return;
	}
	info = arch_ctx_info(&s->ctx);
	label = mi_label(info);
	len = mi_len(info);
	if (len > ABI_MSG_MAX)
		len = ABI_MSG_MAX;
	arch_ctx_copy_mrs(&r->ctx, &s->ctx);
	struct ipc_buffer *sbuf = tcb_ipc_buffer(s), *rbuf = tcb_ipc_buffer(r);
	if (len > ABI_MSG_REGS) {
		if (sbuf && rbuf)
			memcpy(&rbuf->msg[ABI_MSG_REGS], &sbuf->msg[ABI_MSG_REGS], (len - ABI_MSG_REGS) * 8);
		else
			len = ABI_MSG_REGS;
	}
	ncaps = mi_caps(info);
	if (ncaps > ABI_MSG_EXTRA_CAPS)
		ncaps = ABI_MSG_EXTRA_CAPS;
	if (ncaps && can_grant && sbuf) {
		struct cap *sroot = &s->slots[TCB_SLOT_CSPACE].cap;
		bool placed = false;
		for (unsigned i = 0; i < ncaps; i++) {
			if (cap_type(sroot) != OBJ_CNODE)
				break;
			struct lookup l = cspace_lookup_cap(sroot, sbuf->caps[i]);
			if (l.err)
				break;
			struct cap *c = &l.slot->cap;
			if (cap_type(c) == OBJ_ENDPOINT && cap_ptr(c) == ep && rbuf) {
				rbuf->caps[i] = cap_badge(c);
				unwrapped |= 1u << i;
			} else {
				if (placed || !transfer_cap(r, rbuf, l.slot))
					break;
				placed = true;
			}
			sent++;
		}
	}
	arch_ctx_set_badge(&r->ctx, badge);
	arch_ctx_set_info(&r->ctx, mi_make(label, unwrapped, sent, len));
}

static void owe_reply(struct tcb *server, struct tcb *caller)
{
	if (server->reply_to && server->reply_to != caller) {
		struct tcb *old = server->reply_to;
		old->reply_holder = NULL;
		tcb_set_reply_error(old, E_DELETED);
	}
	server->reply_to = caller;
	caller->reply_holder = server;
	caller->reply_slot = NULL;
	caller->state = TS_BLOCKED_REPLY;
}

void ep_send(struct endpoint *ep, struct tcb *s, const struct cap *epcap, bool blocking, bool call)
{
	uint64_t badge = cap_badge(epcap);
	unsigned rights = cap_rights(epcap);
	bool grant = rights & RIGHT_GRANT;

	if (ep->state == EP_RECV) {
		struct tcb *r = q_pop(ep);
		transfer(s, r, badge, grant, ep);
		if (call || s->fault_pending) {
			if (s->queued)
				sched_dequeue(s);
			s->ipc_grant_reply = grant || (rights & RIGHT_GRANT_REPLY);
			owe_reply(r, s);
		} else {
			arch_ctx_set_info(&s->ctx, 0);
		}
		sched_make_runnable(r);
		return;
	}
	if (!blocking) {
		if (!s->fault_pending)
			arch_ctx_set_info(&s->ctx, 0);
		return;
	}
	if (s->queued)
		sched_dequeue(s);
	s->state = TS_BLOCKED_SEND;
	s->blocked_on = ep;
	s->ipc_badge = badge;
	s->ipc_call = call;
	s->ipc_grant = grant;
	s->ipc_grant_reply = grant || (rights & RIGHT_GRANT_REPLY);
	tcbq_append(&ep->q, s);
	ep->state = EP_SEND;
}

void ep_recv(struct endpoint *ep, struct tcb *r, const struct cap *epcap, bool blocking)
{
	(void)epcap;
	if (r->reply_to) {
		struct tcb *old = r->reply_to;
		r->reply_to = NULL;
		old->reply_holder = NULL;
		tcb_set_reply_error(old, E_DELETED);
	}
	struct notification *n = r->bound_ntfn;
	if (n && n->state == NTFN_ACTIVE) {
		arch_ctx_set_badge(&r->ctx, n->word);
		arch_ctx_set_info(&r->ctx, 0);
		n->word = 0;
		n->state = NTFN_IDLE;
		return;
	}
	if (ep->state == EP_SEND) {
		struct tcb *s = q_pop(ep);
		transfer(s, r, s->ipc_badge, s->ipc_grant, ep);
		if (s->ipc_call || s->fault_pending) {
			owe_reply(r, s);
		} else {
			arch_ctx_set_info(&s->ctx, 0);
			sched_make_runnable(s);
		}
		return;
	}
	if (!blocking) {
		arch_ctx_set_badge(&r->ctx, 0);
		arch_ctx_set_info(&r->ctx, 0);
		return;
	}
	if (r->queued)
		sched_dequeue(r);
	r->state = TS_BLOCKED_RECV;
	r->blocked_on = ep;
	tcbq_append(&ep->q, r);
	ep->state = EP_RECV;
}

void ipc_do_reply(struct tcb *replier, struct tcb *caller, uint64_t info)
{
	(void)info;
	if (caller->fault_pending) {
		uint64_t rinfo = arch_ctx_info(&replier->ctx);
		if (mi_label(rinfo) == FAULT_REPLY_SET_REGS && mi_len(rinfo) >= REG_COUNT) {
			uint64_t regs[REG_COUNT];
			struct ipc_buffer *b = tcb_ipc_buffer(replier);
			for (unsigned i = 0; i < REG_COUNT; i++)
				regs[i] = i < ABI_MSG_REGS ? arch_ctx_mr(&replier->ctx, i) : b ? b->msg[i] : 0;
			if (arch_regs_valid(regs, REG_COUNT))
				tcb_write_regs(caller, regs, REG_COUNT);
		}
		caller->fault_pending = false;
	} else {
		transfer(replier, caller, 0, caller->ipc_grant_reply, NULL);
	}
	caller->reply_holder = NULL;
	caller->reply_slot = NULL;
	sched_make_runnable(caller);
}

/* Send t's pending fault to its fault endpoint, or suspend it. */
void ipc_send_fault(struct tcb *t)
{
	struct cap *fc = &t->slots[TCB_SLOT_FAULT_EP].cap;
	if (cap_type(fc) != OBJ_ENDPOINT || !(cap_rights(fc) & RIGHT_WRITE)) {
		kprintf("argil: thread %p faulted (label %lu, rip %lx, addr/vector %lx, error %lx) with no fault handler: suspended\n",
			(void *)t, t->fault_label, t->fault_word[0], t->fault_word[1], t->fault_word[2]);
		tcb_suspend(t);
		return;
	}
	t->fault_pending = true;
	ep_send(cap_ptr(fc), t, fc, true, true);
}

void ep_finalise(struct endpoint *ep)
{
	while (ep->q.head) {
		struct tcb *t = q_pop(ep);
		if (!t->fault_pending)
			tcb_set_mr_result(t, mi_make(E_DELETED, 0, 0, 0));
		t->fault_pending = false;
		sched_make_runnable(t);
	}
}

void ep_cancel_badged(struct endpoint *ep, uint64_t badge)
{
	if (ep->state != EP_SEND)
		return;
	struct tcb *t = ep->q.head;
	while (t) {
		struct tcb *next = t->q_next;
		if (t->ipc_badge == badge) {
			ep_remove(ep, t);
			if (!t->fault_pending)
				tcb_set_mr_result(t, mi_make(E_DELETED, 0, 0, 0));
			t->fault_pending = false;
			sched_make_runnable(t);
		}
		t = next;
	}
}
