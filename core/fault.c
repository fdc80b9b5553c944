/*
 * Faults of client threads. Every thread's fault endpoint is core's
 * endpoint badged with K_FAULT and the thread's index, so core is the
 * pager of every thread: a page fault inside an attached region is
 * resolved by mapping (region.c); anything else stops the thread (its
 * caller is saved in the slot reserved at creation), is recorded and is
 * signalled to the PD's fault handler. Nobody else is affected.
 */
#include "core.h"
#include <argil/cpu.h>

word_t fault_badge(struct thread *t)
{
	return ((word_t)K_FAULT << OBJ_KIND_SHIFT) | (t->obj.id & ((1ul << OBJ_KIND_SHIFT) - 1));
}

/* Let a thread stopped on a fault retry (reply to its fault). */
void fault_release(struct thread *t)
{
	struct sys_msg m = { 0 };

	if (t->reply > 1) {
		sys_send(t->reply, &m);   /* consumes the reply cap */
		slot_put(&t->cpu->s.acct, t->reply);
		t->reply = slot_reserve(&t->cpu->s.acct, 1) == RPC_OK ? 1 : 0;
	} else {
		tcb_resume(t->tcb.cap);  /* it was suspended instead */
	}
}

static const char *fault_name(word_t label)
{
	switch (label) {
	case FAULT_PAGE: return "page fault";
	case FAULT_EXCEPTION: return "exception";
	case FAULT_UNKNOWN_SYSCALL: return "unknown system call";
	default: return "fault";
	}
}

bool fault_handle(word_t badge, struct rpc_msg *m)
{
	word_t id = ((word_t)K_THREAD << OBJ_KIND_SHIFT) | (badge & ((1ul << OBJ_KIND_SHIFT) - 1));
	struct thread *t = (struct thread *)obj_lookup(id, K_THREAD);
	word_t w0 = rpc_word(m, 0), w1 = rpc_word(m, 1), w2 = rpc_word(m, 2);

	if (!t)
		return true;   /* a thread that is gone; the reply goes nowhere */
	if (m->label == FAULT_PAGE) {
		struct region *r = region_find(t->pd, w1);
		if (r && region_resolve(r, w1, (w2 & FAULT_PF_WRITE) != 0, (w2 & FAULT_PF_FETCH) != 0))
			return true;
	}
	/* unresolvable: stop the thread, keep its caller, tell the PD's handler */
	t->fault_label = m->label;
	t->fault_addr = w1;   /* page faults: the address; exceptions: the vector */
	t->fault_ip = w0;
	t->faults++;
	t->state = THREAD_FAULTED;
	cptr_t slot;
	if (t->reply == 1 && slot_take_reserved(&t->cpu->s.acct, &slot) == RPC_OK) {
		if (cnode_save_caller(core_root, slot, 64) == E_OK) {
			t->reply = slot;
		} else {
			slot_put(&t->cpu->s.acct, slot);
			t->reply = slot_reserve(&t->cpu->s.acct, 1) == RPC_OK ? 1 : 0;
			tcb_suspend(t->tcb.cap);
		}
	} else {
		tcb_suspend(t->tcb.cap);
	}
	if (m->label == FAULT_PAGE)
		printf("[core] %s: %s at %lx (%s%s) ip %lx: %s\n", t->pd->s.label, fault_name(m->label), w1,
		       (w2 & FAULT_PF_WRITE) ? "write" : (w2 & FAULT_PF_FETCH) ? "execute" : "read",
		       (w2 & FAULT_PF_PRESENT) ? ", present" : "",
		       w0, region_find(t->pd, w1) ? "access not permitted" : "no region");
	else
		printf("[core] %s: %s %lx at ip %lx: thread stopped\n", t->pd->s.label, fault_name(m->label),
		       w1, w0);
	pd_fault_notify(t->pd);
	return false;
}
