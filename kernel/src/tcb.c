/*
 * Threads: creation state, suspension and resumption, and the TCB
 * invocations. A thread's CSpace root, VSpace root, IPC buffer frame and
 * fault endpoint are capabilities held in slots inside the TCB, so none of
 * those objects can vanish while the thread refers to them.
 */
#include <types.h>
#include <kprintf.h>
#include <cap.h>
#include <cspace.h>
#include <inv.h>
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

/* Re-run t's scheduling after a change that a running thread must see. */
static void reschedule_thread(struct tcb *t)
{
	bool running_elsewhere = false;
	for (unsigned c = 0; c < num_cpus; c++)
		if (pcpus[c].cur == t && &pcpus[c] != this_cpu())
			running_elsewhere = true;
	if (t->queued)
		sched_dequeue(t);
	if (running_elsewhere)
		tcb_detach_running(t);
	if (t->state == TS_RUNNING && this_cpu()->cur != t)
		sched_enqueue(t);
	else if (this_cpu()->cur == t)
		sched_need_resched();
}

static bool cap_valid_for_slot(unsigned slot, const struct cap *c)
{
	unsigned t = cap_type(c);
	if (t == OBJ_NULL)
		return true;
	switch (slot) {
	case TCB_SLOT_FAULT_EP: return t == OBJ_ENDPOINT;
	case TCB_SLOT_CSPACE: return t == OBJ_CNODE;
	case TCB_SLOT_VSPACE: return t == OBJ_PML4;
	case TCB_SLOT_IPCBUF: return t == OBJ_FRAME_4K || t == OBJ_FRAME_2M;
	}
	return false;
}

/* Replace slot i of t with a copy of src (whose cap, adjusted, is nc). */
static void set_slot(struct inv *iv, struct tcb *t, unsigned i, struct cte *src, struct cap nc)
{
	struct cap before = iv->slot->cap;
	cte_delete(&t->slots[i]);
	/* the deletion may have destroyed the TCB or the source: check again */
	if (!cap_same_object(&iv->slot->cap, &before) && cap_ptr(&iv->slot->cap) != t)
		return;
	if (!src || cap_is_null(&nc) || cap_is_null(&src->cap) || !cap_same_object(&src->cap, &nc))
		return;
	if (!cap_derive(&nc))
		return;
	cte_insert_child(src, &t->slots[i], nc);
}

static abi_error_t check_guard(struct inv *iv, struct cap *c, uint64_t data, unsigned argi)
{
	unsigned gs = data & 63;
	if (gs + cnode_radix(c) > 64)
		return inv_err(iv, E_RANGE, 0, 64 - cnode_radix(c));
	if (gs < 64 && ((data >> 6) >> gs))
		return inv_err(iv, E_INVALID_ARGUMENT, argi, 0);
	cap_set_guard_size(c, gs);
	cap_set_guard(c, data >> 6);
	return E_OK;
}

static abi_error_t decode_configure(struct inv *iv, struct tcb *t)
{
	static const unsigned order[4] = { TCB_SLOT_FAULT_EP, TCB_SLOT_CSPACE, TCB_SLOT_VSPACE, TCB_SLOT_IPCBUF };
	struct cap nc[4];
	struct cte *src[4];
	abi_error_t e;

	if (iv->len < 2 || iv->ncaps < 4)
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	uint64_t guard = inv_arg(iv, 0), bufva = inv_arg(iv, 1);
	for (int i = 0; i < 4; i++) {
		src[i] = iv->caps[i];
		if (!src[i])
			return inv_err(iv, E_INVALID_CAPABILITY, i + 1, 0);
		nc[i] = src[i]->cap;
		if (!cap_valid_for_slot(order[i], &nc[i]))
			return inv_err(iv, E_INVALID_CAPABILITY, i + 1, 0);
	}
	if (!cap_is_null(&nc[1]) && guard && (e = check_guard(iv, &nc[1], guard, 0)))
		return e;
	if (cap_type(&nc[2]) == OBJ_PML4) {
		unsigned a = cap_asid(&nc[2]);
		if (!a || a >= ASID_MAX || asid_table[a].pml4 != cap_ptr(&nc[2]))
			return inv_err(iv, E_INVALID_CAPABILITY, 3, 0);
	}
	if (!cap_is_null(&nc[3])) {
		if (!(cap_rights(&nc[3]) & RIGHT_WRITE))
			return inv_err(iv, E_NO_RIGHTS, 4, 0);
		/* the kernel reaches the buffer through its direct map of RAM */
		if (cap_is_device(&nc[3]))
			return inv_err(iv, E_INVALID_CAPABILITY, 4, 0);
		if (!IS_ALIGNED(bufva, ABI_IPC_BUFFER_SIZE) || bufva >= ABI_USER_TOP)
			return inv_err(iv, E_ALIGNMENT, 1, 0);
	}
	for (int i = 0; i < 4; i++)
		set_slot(iv, t, order[i], src[i], nc[i]);
	t->ipc_buffer_vaddr = cap_is_null(&nc[3]) ? 0 : bufva;
	reschedule_thread(t);
	return E_OK;
}

static abi_error_t get_authority(struct inv *iv, struct tcb **auth)
{
	if (iv->ncaps < 1 || !iv->caps[0])
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	if (cap_type(&iv->caps[0]->cap) != OBJ_TCB)
		return inv_err(iv, E_INVALID_CAPABILITY, 1, 0);
	*auth = cap_ptr(&iv->caps[0]->cap);
	return E_OK;
}

/* Write registers (already validated) into t. */
void tcb_write_regs(struct tcb *t, const uint64_t *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		arch_reg_write(&t->ctx, &t->arch, i, r[i]);
	t->sysret_ok = false;
}

abi_error_t decode_tcb(struct inv *iv)
{
	struct tcb *t = cap_ptr(iv->cap), *auth = NULL;
	abi_error_t e;
	uint64_t a0 = inv_arg(iv, 0);

	switch (iv->label) {
	case TCB_CONFIGURE:
		return decode_configure(iv, t);
	case TCB_SET_PRIORITY:
	case TCB_SET_MCP:
		if (iv->len < 1)
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		if ((e = get_authority(iv, &auth)))
			return e;
		if (a0 > auth->mcp)
			return inv_err(iv, E_RANGE, 0, auth->mcp);
		if (iv->label == TCB_SET_MCP) {
			t->mcp = (uint8_t)a0;
			return E_OK;
		}
		if (t->queued) {
			sched_dequeue(t);
			t->prio = (uint8_t)a0;
			sched_enqueue(t);
		} else {
			t->prio = (uint8_t)a0;
		}
		sched_need_resched();
		return E_OK;
	case TCB_READ_REGISTERS: {
		if (iv->len < 2)
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		uint64_t n = inv_arg(iv, 1);
		if (n > REG_COUNT)
			return inv_err(iv, E_RANGE, 0, REG_COUNT);
		if (t == iv->t)
			return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
		if (a0)
			tcb_suspend(t);
		else
			reschedule_thread(t);   /* registers must be in memory */
		for (unsigned i = 0; i < n; i++)
			inv_set_result(iv, i, arch_reg_read(&t->ctx, &t->arch, i));
		return E_OK;
	}
	case TCB_WRITE_REGISTERS: {
		uint64_t regs[REG_COUNT];
		if (iv->len < 2)
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		uint64_t n = inv_arg(iv, 1);
		if (n > REG_COUNT)
			return inv_err(iv, E_RANGE, 0, REG_COUNT);
		if (iv->len < 2 + n)
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		if (t == iv->t)
			return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
		for (unsigned i = 0; i < n; i++)
			regs[i] = inv_arg(iv, 2 + i);
		if (!arch_regs_valid(regs, (unsigned)n))
			return inv_err(iv, E_INVALID_ARGUMENT, 2, 0);
		reschedule_thread(t);
		tcb_write_regs(t, regs, (unsigned)n);
		if (a0)
			tcb_resume(t);
		return E_OK;
	}
	case TCB_SUSPEND:
		tcb_suspend(t);
		return E_OK;
	case TCB_RESUME:
		tcb_resume(t);
		return E_OK;
	case TCB_BIND_NOTIFICATION: {
		if (iv->ncaps < 1 || !iv->caps[0])
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		struct cap *nc = &iv->caps[0]->cap;
		if (cap_type(nc) != OBJ_NOTIFICATION)
			return inv_err(iv, E_INVALID_CAPABILITY, 1, 0);
		struct notification *n = cap_ptr(nc);
		if (t->bound_ntfn || n->bound)
			return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
		ntfn_bind(n, t);
		return E_OK;
	}
	case TCB_UNBIND_NOTIFICATION:
		if (!t->bound_ntfn)
			return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
		ntfn_unbind(t);
		return E_OK;
	case TCB_SET_AFFINITY:
		if (iv->len < 1)
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		if (a0 >= num_cpus)
			return inv_err(iv, E_RANGE, 0, num_cpus - 1);
		if (t->queued)
			sched_dequeue(t);
		tcb_detach_running(t);
		t->cpu = (uint8_t)a0;
		if (t->state == TS_RUNNING)
			sched_enqueue(t);
		return E_OK;
	case TCB_SET_TLS_BASE:
		if (iv->len < 1)
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		if (a0 >= ABI_USER_TOP)
			return inv_err(iv, E_INVALID_ARGUMENT, 0, 0);
		reschedule_thread(t);
		arch_set_tls_base(&t->arch, a0);
		return E_OK;
	case TCB_SET_FAULT_EP: {
		if (iv->ncaps < 1 || !iv->caps[0])
			return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
		struct cte *s = iv->caps[0];
		if (!cap_valid_for_slot(TCB_SLOT_FAULT_EP, &s->cap))
			return inv_err(iv, E_INVALID_CAPABILITY, 1, 0);
		set_slot(iv, t, TCB_SLOT_FAULT_EP, s, s->cap);
		return E_OK;
	}
	}
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}
