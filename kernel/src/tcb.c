/*
 * Threads: creation state, suspension and resumption (the TCB
 * invocations are in tcb_inv.c). A thread's CSpace root, VSpace root, IPC buffer frame and
 * fault endpoint are capabilities held in slots inside the TCB, so none of
 * those objects can vanish while the thread refers to them.
 */
#include <types.h>
#include <kprintf.h>
#include <cap.h>
#include <cspace.h>
#include <tcb.h>
#include <sched.h>
#include <endpoint.h>
#include <notification.h>
#include <vspace.h>
#include <smp.h>
#include <arch/mm.h>
#include <arch/pcpu.h>

void tcb_init(struct tcb *t)
{
	arch_ctx_init(&t->ctx);
	fpu_init_state(t->fpu);
	t->state = TS_INACTIVE;
	t->slice = TIME_SLICE_TICKS;
}

struct ipc_buffer *tcb_ipc_buffer(struct tcb *t)
{
	struct cap *c = &t->slots[TCB_SLOT_IPCBUF].cap;
	unsigned type = cap_type(c);
	if (type == OBJ_FRAME_4K)
		return phys_to_virt(cap_paddr(c) + (t->ipc_buffer_vaddr & 0xfff));
	if (type == OBJ_FRAME_2M)
		return phys_to_virt(cap_paddr(c) + (t->ipc_buffer_vaddr & 0x1fffff));
	return NULL;
}

/* Stop t running on any CPU (it stays in whatever state it is in). */
void tcb_detach_running(struct tcb *t)
{
	struct pcpu *me = this_cpu();
	for (unsigned c = 0; c < num_cpus; c++) {
		struct pcpu *p = &pcpus[c];
		if (p->cur != t)
			continue;
		if (p == me) {
			if (me->fpu_owner == t) {
				fpu_save(t->fpu);
				me->fpu_owner = NULL;
			}
			me->cur = me->idle;
		} else {
			remote_request(c, REMOTE_STALL, 0, true);
		}
	}
}

void tcb_set_mr_result(struct tcb *t, uint64_t info)
{
	arch_ctx_set_info(&t->ctx, info);
}

void tcb_set_reply_error(struct tcb *t, abi_error_t e)
{
	if (t->state != TS_BLOCKED_REPLY)
		return;
	if (t->reply_holder)
		t->reply_holder->reply_to = NULL;
	t->reply_holder = NULL;
	t->reply_slot = NULL;
	if (!t->fault_pending)
		tcb_set_mr_result(t, mi_make(e, 0, 0, 0));
	t->fault_pending = false;
	sched_make_runnable(t);
}

void tcb_cancel_ipc(struct tcb *t)
{
	switch (t->state) {
	case TS_BLOCKED_SEND:
	case TS_BLOCKED_RECV:
		ep_remove(t->blocked_on, t);
		break;
	case TS_BLOCKED_NTFN:
		ntfn_remove(t->blocked_on, t);
		break;
	case TS_BLOCKED_REPLY:
		if (t->reply_holder)
			t->reply_holder->reply_to = NULL;
		t->reply_holder = NULL;
		if (t->reply_slot) {
			struct cte *s = t->reply_slot;
			t->reply_slot = NULL;
			t->state = TS_INACTIVE;
			cte_delete(s);
		}
		break;
	}
	/* a thread stopped by a fault has its own registers in its context:
	 * it gets no error word, it takes the fault again when it runs */
	bool fault = t->fault_pending;
	t->blocked_on = NULL;
	t->fault_pending = false;
	if (!fault && t->state != TS_RUNNING && t->state != TS_INACTIVE)
		tcb_set_mr_result(t, mi_make(E_DELETED, 0, 0, 0));
}

void tcb_suspend(struct tcb *t)
{
	tcb_cancel_ipc(t);
	if (t->queued)
		sched_dequeue(t);
	tcb_detach_running(t);
	t->state = TS_INACTIVE;
}

void tcb_resume(struct tcb *t)
{
	if (t->state != TS_INACTIVE)
		return;
	sched_make_runnable(t);
}

void tcb_finalise(struct tcb *t)
{
	tcb_suspend(t);
	if (t->reply_to) {
		struct tcb *caller = t->reply_to;
		t->reply_to = NULL;
		caller->reply_holder = NULL;
		tcb_set_reply_error(caller, E_DELETED);
	}
	ntfn_unbind(t);
	for (unsigned c = 0; c < num_cpus; c++)
		if (pcpus[c].fpu_owner == t)
			pcpus[c].fpu_owner = NULL;
}

/* Write registers (already validated) into t. */
void tcb_write_regs(struct tcb *t, const uint64_t *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		arch_reg_write(&t->ctx, &t->arch, i, r[i]);
	t->fast_exit_ok = false;
}
