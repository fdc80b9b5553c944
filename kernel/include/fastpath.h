/*
 * The IPC fastpath: Call to a waiting receiver, and ReplyRecv to a caller,
 * with a short message in registers and no capabilities, when the partner
 * is on this CPU and would be the scheduler's choice anyway. Anything else
 * falls through to the general path in syscall.c, which gives the same
 * result more slowly. Inlined into c_handle_syscall.
 */
#ifndef FASTPATH_H
#define FASTPATH_H

#include <types.h>
#include <cap.h>
#include <cspace.h>
#include <tcb.h>
#include <sched.h>
#include <endpoint.h>
#include <notification.h>
#include <arch/pcpu.h>

/* A one-level CSpace lookup (the common case), or NULL. */
static inline __attribute__((always_inline)) struct cte *fast_lookup(struct tcb *t, uint64_t cptr)
{
	struct cap *root = &t->slots[TCB_SLOT_CSPACE].cap;
	uint64_t w0 = root->w[0];
	unsigned radix = (w0 >> 16) & 0xff, gs = (w0 >> 24) & 0x7f;
	if (unlikely((w0 & 0x1f) != OBJ_CNODE || gs + radix != 64 || radix == 0))
		return NULL;
	if (unlikely((cptr >> radix) != root->w[2]))
		return NULL;
	return &((struct cte *)root->w[1])[cptr & ((1ull << radix) - 1)];
}

/* The partner may run now if nothing queued here outranks it. */
static inline __attribute__((always_inline)) bool partner_runs_next(struct pcpu *p, struct tcb *partner)
{
	return partner->cpu == p->index && !sched_queue_outranks(p->rq, partner->prio);
}

static inline __attribute__((always_inline)) bool fastpath_call(struct pcpu *p, struct tcb *t)
{
	uint64_t info = t->ctx.rsi;
	if (unlikely((info & (0x7full << MI_LEN_BITS)) || mi_len(info) > ABI_MSG_REGS))
		return false;
	struct cte *s = fast_lookup(t, t->ctx.rdi);
	if (unlikely(!s || cap_type(&s->cap) != OBJ_ENDPOINT || !(cap_rights(&s->cap) & RIGHT_WRITE)))
		return false;
	struct endpoint *ep = cap_ptr(&s->cap);
	if (unlikely(ep->state != EP_RECV))
		return false;
	struct tcb *r = ep->q.head;
	if (unlikely(r->reply_to || r->prio < t->prio || !partner_runs_next(p, r)))
		return false;

	/* dequeue the receiver */
	tcbq_remove(&ep->q, r);
	if (!ep->q.head)
		ep->state = EP_IDLE;

	/* message */
	r->ctx.rdx = t->ctx.rdx;
	r->ctx.r8 = t->ctx.r8;
	r->ctx.r9 = t->ctx.r9;
	r->ctx.r10 = t->ctx.r10;
	r->ctx.rdi = cap_badge(&s->cap);
	r->ctx.rsi = info;

	/* the caller waits for the reply the receiver now owes */
	t->state = TS_BLOCKED_REPLY;
	t->ipc_grant_reply = cap_rights(&s->cap) & (RIGHT_GRANT | RIGHT_GRANT_REPLY);
	t->reply_holder = r;
	t->reply_slot = NULL;
	r->reply_to = t;
	r->state = TS_RUNNING;
	sched_switch_direct(p, t, r);
}

static inline __attribute__((always_inline)) bool fastpath_reply_recv(struct pcpu *p, struct tcb *t)
{
	uint64_t info = t->ctx.rsi;
	if (unlikely((info & (0x7full << MI_LEN_BITS)) || mi_len(info) > ABI_MSG_REGS))
		return false;
	struct tcb *c = t->reply_to;
	if (unlikely(!c || c->fault_pending || c->reply_slot || !partner_runs_next(p, c)))
		return false;
	struct cte *s = fast_lookup(t, t->ctx.rdi);
	if (unlikely(!s || cap_type(&s->cap) != OBJ_ENDPOINT || !(cap_rights(&s->cap) & RIGHT_READ)))
		return false;
	struct endpoint *ep = cap_ptr(&s->cap);
	if (unlikely(ep->state == EP_SEND || (t->bound_ntfn && t->bound_ntfn->state == NTFN_ACTIVE)))
		return false;

	/* reply */
	t->reply_to = NULL;
	c->reply_holder = NULL;
	c->ctx.rdx = t->ctx.rdx;
	c->ctx.r8 = t->ctx.r8;
	c->ctx.r9 = t->ctx.r9;
	c->ctx.r10 = t->ctx.r10;
	c->ctx.rdi = 0;
	c->ctx.rsi = info;
	c->state = TS_RUNNING;

	/* block the server on the endpoint */
	t->state = TS_BLOCKED_RECV;
	t->blocked_on = ep;
	tcbq_append(&ep->q, t);
	ep->state = EP_RECV;
	sched_switch_direct(p, t, c);
}

#endif
