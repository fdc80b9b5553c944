/*
 * The TCB invocations, each a decode_* that checks every argument and cap
 * and changes nothing, and an invoke_* that cannot fail. A thread's CSpace
 * root, VSpace root, IPC buffer frame and fault endpoint are copies of
 * caps held in the TCB's own slots (set_slot).
 */
#include <types.h>
#include <cap.h>
#include <cspace.h>
#include <inv.h>
#include <tcb.h>
#include <sched.h>
#include <notification.h>
#include <vspace.h>
#include <smp.h>
#include <arch/pcpu.h>

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

/* ---- configure -------------------------------------------------------- */

/* The order of TCB_CONFIGURE's caps. */
static const unsigned config_slot[4] = { TCB_SLOT_FAULT_EP, TCB_SLOT_CSPACE, TCB_SLOT_VSPACE, TCB_SLOT_IPCBUF };

struct tcb_configure_op {
	struct tcb *t;
	struct cte *src[4];
	struct cap cap[4];          /* what each slot receives */
	uint64_t ipc_buffer_vaddr;
};

static abi_error_t decode_tcb_configure(struct inv *iv, struct tcb_configure_op *op)
{
	struct tcb_configure_args a;
	abi_error_t e;

	if (inv_get_tcb_configure(iv, &a) || iv->ncaps < 4)
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	struct cte *src[4] = { a.fault_ep, a.cspace, a.vspace, a.ipc_buf_frame };
	struct cap *nc = op->cap;
	for (int i = 0; i < 4; i++) {
		op->src[i] = src[i];
		if (!src[i])
			return inv_err(iv, E_INVALID_CAPABILITY, i + 1, 0);
		nc[i] = src[i]->cap;
		if (!cap_valid_for_slot(config_slot[i], &nc[i]))
			return inv_err(iv, E_INVALID_CAPABILITY, i + 1, 0);
	}
	if (!cap_is_null(&nc[1]) && a.cspace_guard && (e = cnode_set_guard_data(iv, &nc[1], a.cspace_guard, 0)))
		return e;
	if (cap_type(&nc[2]) == OBJ_PML4 && !vspace_cap_live(&nc[2]))
		return inv_err(iv, E_INVALID_CAPABILITY, 3, 0);
	if (!cap_is_null(&nc[3])) {
		if (!(cap_rights(&nc[3]) & RIGHT_WRITE))
			return inv_err(iv, E_NO_RIGHTS, 4, 0);
		/* the kernel reaches the buffer through its direct map of RAM */
		if (cap_is_device(&nc[3]))
			return inv_err(iv, E_INVALID_CAPABILITY, 4, 0);
		if (!IS_ALIGNED(a.ipc_buf_vaddr, ABI_IPC_BUFFER_SIZE) || a.ipc_buf_vaddr >= ABI_USER_TOP)
			return inv_err(iv, E_ALIGNMENT, 1, 0);
	}
	op->t = cap_ptr(iv->cap);
	op->ipc_buffer_vaddr = cap_is_null(&nc[3]) ? 0 : a.ipc_buf_vaddr;
	return E_OK;
}

static void invoke_tcb_configure(struct inv *iv, const struct tcb_configure_op *op)
{
	for (int i = 0; i < 4; i++)
		set_slot(iv, op->t, config_slot[i], op->src[i], op->cap[i]);
	op->t->ipc_buffer_vaddr = op->ipc_buffer_vaddr;
	reschedule_thread(op->t);
}

/* ---- priority and MCP ---------------------------------------------------- */

struct tcb_prio_op {
	struct tcb *t;
	uint8_t value;
};

static abi_error_t decode_tcb_prio(struct inv *iv, struct tcb_prio_op *op)
{
	struct tcb_set_priority_args a;   /* TCB_SET_MCP: the same (authority, value) */
	if (inv_get_tcb_set_priority(iv, &a) || !a.authority)
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	if (cap_type(&a.authority->cap) != OBJ_TCB)
		return inv_err(iv, E_INVALID_CAPABILITY, 1, 0);
	struct tcb *auth = cap_ptr(&a.authority->cap);
	if (a.prio > auth->mcp)
		return inv_err(iv, E_RANGE, 0, auth->mcp);
	op->t = cap_ptr(iv->cap);
	op->value = (uint8_t)a.prio;
	return E_OK;
}

static void invoke_tcb_set_mcp(struct inv *iv, const struct tcb_prio_op *op)
{
	(void)iv;
	op->t->mcp = op->value;
}

static void invoke_tcb_set_priority(struct inv *iv, const struct tcb_prio_op *op)
{
	struct tcb *t = op->t;
	(void)iv;
	if (t->queued) {
		sched_dequeue(t);
		t->prio = op->value;
		sched_enqueue(t);
	} else {
		t->prio = op->value;
	}
	sched_need_resched();
}

/* ---- registers ------------------------------------------------------------ */

struct tcb_read_registers_op {
	struct tcb *t;
	bool suspend;
	unsigned count;
};

static abi_error_t decode_tcb_read_registers(struct inv *iv, struct tcb_read_registers_op *op)
{
	struct tcb_read_registers_args a;
	if (inv_get_tcb_read_registers(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if (a.count > REG_COUNT)
		return inv_err(iv, E_RANGE, 0, REG_COUNT);
	op->t = cap_ptr(iv->cap);
	if (op->t == iv->t)
		return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
	op->suspend = a.suspend != 0;
	op->count = (unsigned)a.count;
	return E_OK;
}

static void invoke_tcb_read_registers(struct inv *iv, const struct tcb_read_registers_op *op)
{
	if (op->suspend)
		tcb_suspend(op->t);
	else
		reschedule_thread(op->t);   /* registers must be in memory */
	for (unsigned i = 0; i < op->count; i++)
		inv_set_result(iv, i, arch_reg_read(&op->t->ctx, &op->t->arch, i));
}

struct tcb_write_registers_op {
	struct tcb *t;
	bool resume;
	unsigned count;
	uint64_t regs[REG_COUNT];
};

static abi_error_t decode_tcb_write_registers(struct inv *iv, struct tcb_write_registers_op *op)
{
	struct tcb_write_registers_args a;
	if (inv_get_tcb_write_registers(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if (a.count > REG_COUNT)
		return inv_err(iv, E_RANGE, 0, REG_COUNT);
	if (inv_need_words(iv, a.regs_at + (unsigned)a.count))
		return E_TRUNCATED_MESSAGE;
	op->t = cap_ptr(iv->cap);
	if (op->t == iv->t)
		return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
	for (unsigned i = 0; i < a.count; i++)
		op->regs[i] = inv_arg(iv, a.regs_at + i);
	if (!arch_regs_valid(op->regs, (unsigned)a.count))
		return inv_err(iv, E_INVALID_ARGUMENT, a.regs_at, 0);
	op->resume = a.resume != 0;
	op->count = (unsigned)a.count;
	return E_OK;
}

static void invoke_tcb_write_registers(struct inv *iv, const struct tcb_write_registers_op *op)
{
	(void)iv;
	reschedule_thread(op->t);
	tcb_write_regs(op->t, op->regs, op->count);
	if (op->resume)
		tcb_resume(op->t);
}

/* ---- notification binding, affinity, TLS base, fault endpoint ----------
 * (suspend and resume have nothing to decode) */

struct tcb_op {
	struct tcb *t;
	uint64_t value;              /* cpu, TLS base */
	struct cte *cap;             /* notification, fault endpoint */
};

static abi_error_t decode_tcb_bind_notification(struct inv *iv, struct tcb_op *op)
{
	struct tcb_bind_notification_args a;
	inv_get_tcb_bind_notification(iv, &a);
	if (!a.ntfn)
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	if (cap_type(&a.ntfn->cap) != OBJ_NOTIFICATION)
		return inv_err(iv, E_INVALID_CAPABILITY, 1, 0);
	struct notification *n = cap_ptr(&a.ntfn->cap);
	op->t = cap_ptr(iv->cap);
	if (op->t->bound_ntfn || n->bound)
		return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
	op->cap = a.ntfn;
	return E_OK;
}

static void invoke_tcb_bind_notification(struct inv *iv, const struct tcb_op *op)
{
	(void)iv;
	ntfn_bind(cap_ptr(&op->cap->cap), op->t);
}

static abi_error_t decode_tcb_unbind_notification(struct inv *iv, struct tcb_op *op)
{
	op->t = cap_ptr(iv->cap);
	if (!op->t->bound_ntfn)
		return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
	return E_OK;
}

static void invoke_tcb_unbind_notification(struct inv *iv, const struct tcb_op *op)
{
	(void)iv;
	ntfn_unbind(op->t);
}

static abi_error_t decode_tcb_set_affinity(struct inv *iv, struct tcb_op *op)
{
	struct tcb_set_affinity_args a;
	if (inv_get_tcb_set_affinity(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if (a.cpu >= num_cpus)
		return inv_err(iv, E_RANGE, 0, num_cpus - 1);
	op->t = cap_ptr(iv->cap);
	op->value = a.cpu;
	return E_OK;
}

static void invoke_tcb_set_affinity(struct inv *iv, const struct tcb_op *op)
{
	struct tcb *t = op->t;
	(void)iv;
	if (t->queued)
		sched_dequeue(t);
	tcb_detach_running(t);
	t->cpu = (uint8_t)op->value;
	if (t->state == TS_RUNNING)
		sched_enqueue(t);
}

static abi_error_t decode_tcb_set_tls_base(struct inv *iv, struct tcb_op *op)
{
	struct tcb_set_tls_base_args a;
	if (inv_get_tcb_set_tls_base(iv, &a))
		return E_TRUNCATED_MESSAGE;
	if (a.base >= ABI_USER_TOP)
		return inv_err(iv, E_INVALID_ARGUMENT, 0, 0);
	op->t = cap_ptr(iv->cap);
	op->value = a.base;
	return E_OK;
}

static void invoke_tcb_set_tls_base(struct inv *iv, const struct tcb_op *op)
{
	(void)iv;
	reschedule_thread(op->t);
	arch_set_tls_base(&op->t->arch, op->value);
}

static abi_error_t decode_tcb_set_fault_ep(struct inv *iv, struct tcb_op *op)
{
	struct tcb_set_fault_ep_args a;
	inv_get_tcb_set_fault_ep(iv, &a);
	if (!a.ep)
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	if (!cap_valid_for_slot(TCB_SLOT_FAULT_EP, &a.ep->cap))
		return inv_err(iv, E_INVALID_CAPABILITY, 1, 0);
	op->t = cap_ptr(iv->cap);
	op->cap = a.ep;
	return E_OK;
}

static void invoke_tcb_set_fault_ep(struct inv *iv, const struct tcb_op *op)
{
	set_slot(iv, op->t, TCB_SLOT_FAULT_EP, op->cap, op->cap->cap);
}

abi_error_t decode_tcb(struct inv *iv)
{
	switch (iv->label) {
	case TCB_CONFIGURE:
		DECODE_INVOKE(tcb_configure, iv);
	case TCB_SET_PRIORITY:
		DECODE_INVOKE_AS(tcb_prio_op, decode_tcb_prio, invoke_tcb_set_priority, iv);
	case TCB_SET_MCP:
		DECODE_INVOKE_AS(tcb_prio_op, decode_tcb_prio, invoke_tcb_set_mcp, iv);
	case TCB_READ_REGISTERS:
		DECODE_INVOKE(tcb_read_registers, iv);
	case TCB_WRITE_REGISTERS:
		DECODE_INVOKE(tcb_write_registers, iv);
	case TCB_SUSPEND:
		tcb_suspend(cap_ptr(iv->cap));
		return E_OK;
	case TCB_RESUME:
		tcb_resume(cap_ptr(iv->cap));
		return E_OK;
	case TCB_BIND_NOTIFICATION:
		DECODE_INVOKE_AS(tcb_op, decode_tcb_bind_notification, invoke_tcb_bind_notification, iv);
	case TCB_UNBIND_NOTIFICATION:
		DECODE_INVOKE_AS(tcb_op, decode_tcb_unbind_notification, invoke_tcb_unbind_notification, iv);
	case TCB_SET_AFFINITY:
		DECODE_INVOKE_AS(tcb_op, decode_tcb_set_affinity, invoke_tcb_set_affinity, iv);
	case TCB_SET_TLS_BASE:
		DECODE_INVOKE_AS(tcb_op, decode_tcb_set_tls_base, invoke_tcb_set_tls_base, iv);
	case TCB_SET_FAULT_EP:
		DECODE_INVOKE_AS(tcb_op, decode_tcb_set_fault_ep, invoke_tcb_set_fault_ep, iv);
	}
	return inv_err(iv, E_ILLEGAL_OPERATION, 0, 0);
}
