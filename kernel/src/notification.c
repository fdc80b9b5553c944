/*
 * Notifications: Signal ORs a badge into the word or wakes one waiter;
 * Wait takes the word or blocks; a bound thread is also woken from an
 * endpoint Recv.
 */
#include <types.h>
#include <tcb.h>
#include <sched.h>
#include <endpoint.h>
#include <notification.h>
#include <irq.h>

void ntfn_remove(struct notification *n, struct tcb *t)
{
	tcbq_remove(&n->q, t);
	if (!n->q.head && n->state == NTFN_WAITING)
		n->state = NTFN_IDLE;
}

static void deliver(struct tcb *t, uint64_t word)
{
	arch_ctx_set_badge(&t->ctx, word);
	arch_ctx_set_info(&t->ctx, 0);
	sched_make_runnable(t);
}

void ntfn_signal(struct notification *n, uint64_t badge)
{
	if (n->state == NTFN_WAITING && n->q.head) {
		struct tcb *t = n->q.head;
		ntfn_remove(n, t);
		deliver(t, badge);
		return;
	}
	struct tcb *b = n->bound;
	if (b && b->state == TS_BLOCKED_RECV && n->state != NTFN_ACTIVE) {
		ep_remove(b->blocked_on, b);
		deliver(b, badge);
		return;
	}
	n->word |= badge;
	n->state = NTFN_ACTIVE;
}

void ntfn_wait(struct notification *n, struct tcb *t, bool blocking)
{
	if (n->state == NTFN_ACTIVE) {
		arch_ctx_set_badge(&t->ctx, n->word);
		arch_ctx_set_info(&t->ctx, 0);
		n->word = 0;
		n->state = NTFN_IDLE;
		return;
	}
	if (!blocking) {
		arch_ctx_set_badge(&t->ctx, 0);
		arch_ctx_set_info(&t->ctx, 0);
		return;
	}
	if (t->queued)
		sched_dequeue(t);
	t->state = TS_BLOCKED_NTFN;
	t->blocked_on = n;
	tcbq_append(&n->q, t);
	n->state = NTFN_WAITING;
}

void ntfn_bind(struct notification *n, struct tcb *t)
{
	n->bound = t;
	t->bound_ntfn = n;
}

void ntfn_unbind(struct tcb *t)
{
	if (t->bound_ntfn) {
		t->bound_ntfn->bound = NULL;
		t->bound_ntfn = NULL;
	}
}

void ntfn_finalise(struct notification *n)
{
	while (n->q.head) {
		struct tcb *t = n->q.head;
		ntfn_remove(n, t);
		tcb_set_mr_result(t, mi_make(E_DELETED, 0, 0, 0));
		arch_ctx_set_badge(&t->ctx, 0);
		sched_make_runnable(t);
	}
	if (n->bound)
		ntfn_unbind(n->bound);
	irq_forget_ntfn(n);
}
