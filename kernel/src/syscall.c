/*
 * System call dispatch. Runs with the kernel lock held, on the invoking
 * thread's saved registers (see abi.h for the convention). IPC objects are
 * sent to and received from; every other cap is invoked: decoded, checked,
 * acted on, and answered with an error label and result words.
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
#include <irq.h>
#include <smp.h>
#include <arch/pcpu.h>
#include <arch/cpu.h>
#include <fastpath.h>

uint64_t inv_arg(struct inv *iv, unsigned i)
{
	if (i < ABI_MSG_REGS)
		return arch_ctx_mr(&iv->t->ctx, i);
	if (i < iv->len && iv->buf)
		return iv->buf->msg[i];
	return 0;
}

void inv_set_result(struct inv *iv, unsigned i, uint64_t v)
{
	if (i < ABI_MSG_REGS)
		arch_ctx_set_mr(&iv->t->ctx, i, v);
	else if (iv->buf && i < ABI_MSG_MAX)
		iv->buf->msg[i] = v;
	else
		return;
	if (i + 1 > iv->rlen)
		iv->rlen = i + 1;
}

abi_error_t inv_empty_slot(struct inv *iv, struct cte *root, uint64_t index, uint64_t depth, struct cte **out)
{
	if (!root)
		return inv_err(iv, E_TRUNCATED_MESSAGE, 0, 0);
	struct lookup l = cspace_lookup_slot(&root->cap, index, depth);
	if (l.err)
		return inv_err(iv, E_FAILED_LOOKUP, 0, l.fault);
	if (!cap_is_null(&l.slot->cap))
		return inv_err(iv, E_DELETE_FIRST, 0, 0);
	*out = l.slot;
	return E_OK;
}

static void set_error(struct tcb *t, abi_error_t e, uint64_t d0, uint64_t d1)
{
	arch_ctx_set_info(&t->ctx, mi_make(e, 0, 0, 2));
	arch_ctx_set_mr(&t->ctx, 0, d0);
	arch_ctx_set_mr(&t->ctx, 1, d1);
}

static void invoke(struct tcb *t, struct cte *slot, uint64_t info)
{
	struct inv iv;
	memset(&iv, 0, sizeof(iv));
	iv.t = t;
	iv.slot = slot;
	iv.cap = &slot->cap;
	iv.label = mi_label(info);
	iv.len = mi_len(info);
	iv.ncaps = mi_caps(info);
	iv.buf = tcb_ipc_buffer(t);
	if (iv.len > ABI_MSG_MAX)
		iv.len = ABI_MSG_MAX;
	if (iv.ncaps > ABI_MSG_EXTRA_CAPS)
		iv.ncaps = ABI_MSG_EXTRA_CAPS;
	if (!iv.buf) {
		if (iv.len > ABI_MSG_REGS)
			iv.len = ABI_MSG_REGS;
		iv.ncaps = 0;
	}
	struct cap *root = &t->slots[TCB_SLOT_CSPACE].cap;
	for (unsigned i = 0; i < iv.ncaps; i++) {
		struct lookup l = cspace_lookup_cap(root, iv.buf->caps[i]);
		if (l.err == E_OK)
			iv.caps[i] = l.slot;
		else if (l.fault == LF_MISSING_CAP)
			iv.caps[i] = cspace_lookup_slot(root, iv.buf->caps[i], 64).slot;
	}

	abi_error_t e;
	switch (cap_type(iv.cap)) {
	case OBJ_UNTYPED: e = decode_untyped(&iv); break;
	case OBJ_CNODE: e = decode_cnode(&iv); break;
	case OBJ_TCB: e = decode_tcb(&iv); break;
	case OBJ_PDPT: case OBJ_PD: case OBJ_PT:
	case OBJ_FRAME_4K: case OBJ_FRAME_2M: e = decode_paging(&iv); break;
	case CAP_IRQ_CONTROL: e = decode_irq_control(&iv); break;
	case CAP_IRQ_HANDLER: e = decode_irq_handler(&iv); break;
	case CAP_IOPORT_CONTROL: e = decode_ioport_control(&iv); break;
	case CAP_IOPORT: e = decode_ioport(&iv); break;
	default: e = inv_err(&iv, E_ILLEGAL_OPERATION, 0, 0); break;
	}
	if (e != E_OK)
		set_error(t, e, iv.detail[0], iv.detail[1]);
	else
		arch_ctx_set_info(&t->ctx, mi_make(E_OK, 0, 0, iv.rlen));
}

static bool lookup(struct tcb *t, uint64_t cptr, struct cte **slot)
{
	struct lookup l = cspace_lookup_cap(&t->slots[TCB_SLOT_CSPACE].cap, cptr);
	if (l.err) {
		set_error(t, E_INVALID_CAPABILITY, 0, l.fault);
		return false;
	}
	*slot = l.slot;
	return true;
}

static void do_reply(struct tcb *t)
{
	struct tcb *caller = t->reply_to;
	if (!caller)
		return;
	t->reply_to = NULL;
	ipc_do_reply(t, caller, arch_ctx_info(&t->ctx));
}

static void do_send(struct tcb *t, uint64_t cptr, bool call, bool blocking)
{
	struct cte *slot;
	if (!lookup(t, cptr, &slot))
		return;
	struct cap *c = &slot->cap;
	switch (cap_type(c)) {
	case OBJ_ENDPOINT:
		if (!(cap_rights(c) & RIGHT_WRITE)) {
			set_error(t, E_NO_RIGHTS, 0, 0);
			return;
		}
		ep_send(cap_ptr(c), t, c, blocking, call);
		return;
	case OBJ_NOTIFICATION:
		if (!(cap_rights(c) & RIGHT_WRITE)) {
			set_error(t, E_NO_RIGHTS, 0, 0);
			return;
		}
		ntfn_signal(cap_ptr(c), cap_badge(c));
		arch_ctx_set_info(&t->ctx, 0);
		return;
	case CAP_REPLY: {
		if (call) {
			set_error(t, E_ILLEGAL_OPERATION, 0, 0);
			return;
		}
		struct tcb *caller = cap_ptr(c);
		caller->reply_slot = NULL;
		mdb_remove(slot);
		slot->cap = cap_null();
		ipc_do_reply(t, caller, arch_ctx_info(&t->ctx));
		arch_ctx_set_info(&t->ctx, 0);
		return;
	}
	default:
		invoke(t, slot, arch_ctx_info(&t->ctx));
	}
}

static void do_recv(struct tcb *t, uint64_t cptr, bool blocking)
{
	struct cte *slot;
	if (!lookup(t, cptr, &slot))
		return;
	struct cap *c = &slot->cap;
	switch (cap_type(c)) {
	case OBJ_ENDPOINT:
		if (!(cap_rights(c) & RIGHT_READ)) {
			set_error(t, E_NO_RIGHTS, 0, 0);
			return;
		}
		ep_recv(cap_ptr(c), t, c, blocking);
		return;
	case OBJ_NOTIFICATION:
		if (!(cap_rights(c) & RIGHT_READ)) {
			set_error(t, E_NO_RIGHTS, 0, 0);
			return;
		}
		ntfn_wait(cap_ptr(c), t, blocking);
		return;
	default:
		set_error(t, E_INVALID_CAPABILITY, 0, 0);
	}
}


/* Entered from entry.S on the kernel stack, registers saved in the TCB
 * (no frame to point at: this never returns). */
__attribute__((optimize("omit-frame-pointer"))) void c_handle_syscall(void)
{
	struct pcpu *p = this_cpu();
	if (unlikely(!kernel_trylock())) {
		/* Another CPU may stop this thread while we wait (it needs its
		 * registers in memory). The call has not happened then, and
		 * remote_process sets the thread back onto its SYSCALL
		 * instruction so that it makes the call when it runs again. */
		p->entering_syscall = p->cur;
		kernel_lock_slow();
		p->entering_syscall = NULL;
	}
	syscall_slow(p);
}

void syscall_slow(struct pcpu *p)
{
	struct tcb *t = p->cur;
	if (unlikely(t == p->idle))
		schedule_and_exit();   /* stalled while we waited for the lock */
	t->fast_exit_ok = true;
	uint64_t nr = arch_ctx_syscall(&t->ctx), cptr = arch_ctx_cptr(&t->ctx);

	switch (nr) {
	case SYS_CALL:
		do_send(t, cptr, true, true);
		break;
	case SYS_SEND:
		do_send(t, cptr, false, true);
		break;
	case SYS_NBSEND:
		do_send(t, cptr, false, false);
		break;
	case SYS_RECV:
		do_recv(t, cptr, true);
		break;
	case SYS_NBRECV:
		do_recv(t, cptr, false);
		break;
	case SYS_REPLY:
		do_reply(t);
		arch_ctx_set_info(&t->ctx, 0);
		break;
	case SYS_REPLY_RECV:
		do_reply(t);
		do_recv(t, cptr, true);
		break;
	case SYS_YIELD:
		sched_yield();
		break;
	case SYS_DEBUG_PUTCHAR:
		console_putc((char)cptr);
		break;
	case SYS_DEBUG_CAP_TYPE: {
		struct lookup l = cspace_lookup_cap(&t->slots[TCB_SLOT_CSPACE].cap, cptr);
		arch_ctx_set_mr(&t->ctx, 0, l.err ? 0 : cap_type(&l.slot->cap));
		break;
	}
	case SYS_HALTED_TIME: {
		uint64_t now;
		if (cptr >= num_cpus) {
			arch_ctx_set_info(&t->ctx, mi_make(E_RANGE, 0, 0, 2));
			arch_ctx_set_mr(&t->ctx, 0, 0);
			arch_ctx_set_mr(&t->ctx, 1, num_cpus - 1);
			break;
		}
		arch_ctx_set_info(&t->ctx, mi_make(E_OK, 0, 0, 2));
		arch_ctx_set_mr(&t->ctx, 0, halted_time(&pcpus[cptr], &now));
		arch_ctx_set_mr(&t->ctx, 1, now);
		break;
	}
	case SYS_DEBUG_HALT:
		/* Only a thread with the highest MCP (the root task, and
		 * threads it trusts with it) may stop the machine; for any
		 * other it is an unknown system call (a fault to its handler). */
		if (t->mcp == ABI_PRIO_MAX) {
			kprintf("argil: stopped by the root task, exit code %lu\n", cptr);
			machine_halt((unsigned)cptr);
		}
		/* fall through */
	default:
		t->fault_label = FAULT_UNKNOWN_SYSCALL;
		t->fault_word[0] = arch_ctx_pc(&t->ctx);
		t->fault_word[1] = nr;
		t->fault_word[2] = arch_ctx_sp(&t->ctx);
		t->fault_word[3] = 0;
		t->fault_len = 3;
		ipc_send_fault(t);
		break;
	}
	schedule_and_exit();
}
