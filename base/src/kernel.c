/*
 * Client side of the kernel invocations (argil/kernel.h): marshal the
 * arguments into registers and the IPC buffer, SYS_CALL, unmarshal.
 * Trusts nothing in the reply beyond its label and words.
 */
#include <argil/kernel.h>
#include <argil/thread.h>
#include <arch/syscall.h>

abi_error_t kernel_invoke(cptr_t cap, word_t label, word_t len, const word_t *args,
			  word_t ncaps, const cptr_t *caps, word_t nout, word_t *out)
{
	struct thread_info *ti = thread_self();
	struct ipc_buffer *ib = ti->ipc;
	struct sys_msg m = { 0 };

	for (word_t i = 0; i < len; i++) {
		if (i < ABI_MSG_REGS)
			m.mr[i] = args[i];
		else
			ib->msg[i] = args[i];
	}
	for (word_t i = 0; i < ncaps; i++)
		ib->caps[i] = caps[i];
	m.info = mi_make(label, 0, ncaps, len);
	sys_call(cap, &m);

	abi_error_t err = (abi_error_t)mi_label(m.info);
	ti->detail[0] = m.mr[0];
	ti->detail[1] = m.mr[1];
	if (err == E_OK) {
		for (word_t i = 0; i < nout; i++)
			out[i] = i < ABI_MSG_REGS ? m.mr[i] : ib->msg[i];
	}
	return err;
}

word_t kernel_last_detail(int i)
{
	return thread_self()->detail[i & 1];
}

#define ARGS(...) ((const word_t[]){ __VA_ARGS__ })
#define NARGS(...) (sizeof((const word_t[]){ __VA_ARGS__ }) / sizeof(word_t))
#define CAPS(...) ((const cptr_t[]){ __VA_ARGS__ })
#define NCAPS(...) (sizeof((const cptr_t[]){ __VA_ARGS__ }) / sizeof(cptr_t))

/* An invocation with argument words and no caps or results. */
#define INVOKE(cap, label, ...) \
	kernel_invoke(cap, label, NARGS(__VA_ARGS__), ARGS(__VA_ARGS__), 0, 0, 0, 0)
#define INVOKE0(cap, label) kernel_invoke(cap, label, 0, 0, 0, 0, 0, 0)

abi_error_t untyped_retype(cptr_t ut, word_t type, word_t size_bits, cptr_t root,
			   word_t node_index, word_t node_depth, word_t node_offset, word_t count)
{
	return kernel_invoke(ut, UNTYPED_RETYPE, 6,
			     ARGS(type, size_bits, node_index, node_depth, node_offset, count),
			     1, CAPS(root), 0, 0);
}

abi_error_t cnode_revoke(cptr_t root, word_t index, word_t depth)
{
	return INVOKE(root, CNODE_REVOKE, index, depth);
}

abi_error_t cnode_delete(cptr_t root, word_t index, word_t depth)
{
	return INVOKE(root, CNODE_DELETE, index, depth);
}

abi_error_t cnode_cancel_badged_sends(cptr_t root, word_t index, word_t depth)
{
	return INVOKE(root, CNODE_CANCEL_BADGED_SENDS, index, depth);
}

abi_error_t cnode_copy(cptr_t root, word_t dest_index, word_t dest_depth,
		       cptr_t src_root, word_t src_index, word_t src_depth, word_t rights)
{
	return kernel_invoke(root, CNODE_COPY, 5,
			     ARGS(dest_index, dest_depth, src_index, src_depth, rights),
			     1, CAPS(src_root), 0, 0);
}

abi_error_t cnode_mint(cptr_t root, word_t dest_index, word_t dest_depth,
		       cptr_t src_root, word_t src_index, word_t src_depth, word_t rights,
		       word_t badge)
{
	return kernel_invoke(root, CNODE_MINT, 6,
			     ARGS(dest_index, dest_depth, src_index, src_depth, rights, badge),
			     1, CAPS(src_root), 0, 0);
}

abi_error_t cnode_move(cptr_t root, word_t dest_index, word_t dest_depth,
		       cptr_t src_root, word_t src_index, word_t src_depth)
{
	return kernel_invoke(root, CNODE_MOVE, 4, ARGS(dest_index, dest_depth, src_index, src_depth),
			     1, CAPS(src_root), 0, 0);
}

abi_error_t cnode_mutate(cptr_t root, word_t dest_index, word_t dest_depth,
			 cptr_t src_root, word_t src_index, word_t src_depth, word_t badge)
{
	return kernel_invoke(root, CNODE_MUTATE, 5,
			     ARGS(dest_index, dest_depth, src_index, src_depth, badge),
			     1, CAPS(src_root), 0, 0);
}

abi_error_t cnode_rotate(cptr_t root, word_t dest_index, word_t dest_depth, word_t dest_badge,
			 cptr_t pivot_root, word_t pivot_index, word_t pivot_depth,
			 word_t pivot_badge, cptr_t src_root, word_t src_index, word_t src_depth)
{
	return kernel_invoke(root, CNODE_ROTATE, 8,
			     ARGS(dest_index, dest_depth, dest_badge, pivot_index, pivot_depth,
				  pivot_badge, src_index, src_depth),
			     2, CAPS(pivot_root, src_root), 0, 0);
}

abi_error_t cnode_save_caller(cptr_t root, word_t index, word_t depth)
{
	return INVOKE(root, CNODE_SAVE_CALLER, index, depth);
}

abi_error_t tcb_configure(cptr_t tcb, cptr_t fault_ep, cptr_t cspace, word_t cspace_guard,
			  cptr_t vspace, word_t ipc_buf_vaddr, cptr_t ipc_buf_frame)
{
	return kernel_invoke(tcb, TCB_CONFIGURE, 2, ARGS(cspace_guard, ipc_buf_vaddr),
			     4, CAPS(fault_ep, cspace, vspace, ipc_buf_frame), 0, 0);
}

abi_error_t tcb_set_priority(cptr_t tcb, cptr_t authority, word_t prio)
{
	return kernel_invoke(tcb, TCB_SET_PRIORITY, 1, ARGS(prio), 1, CAPS(authority), 0, 0);
}

abi_error_t tcb_set_mcp(cptr_t tcb, cptr_t authority, word_t mcp)
{
	return kernel_invoke(tcb, TCB_SET_MCP, 1, ARGS(mcp), 1, CAPS(authority), 0, 0);
}

abi_error_t tcb_read_registers(cptr_t tcb, word_t suspend, word_t count, word_t *regs)
{
	word_t n = count > REG_COUNT ? REG_COUNT : count;

	return kernel_invoke(tcb, TCB_READ_REGISTERS, 2, ARGS(suspend, count), 0, 0, n, regs);
}

abi_error_t tcb_write_registers(cptr_t tcb, word_t resume, word_t count, const word_t *regs)
{
	word_t args[2 + REG_COUNT];
	word_t n = count > REG_COUNT ? REG_COUNT : count;

	args[0] = resume;
	args[1] = count;
	for (word_t i = 0; i < n; i++)
		args[2 + i] = regs[i];
	return kernel_invoke(tcb, TCB_WRITE_REGISTERS, 2 + n, args, 0, 0, 0, 0);
}

abi_error_t tcb_suspend(cptr_t tcb)
{
	return INVOKE0(tcb, TCB_SUSPEND);
}

abi_error_t tcb_resume(cptr_t tcb)
{
	return INVOKE0(tcb, TCB_RESUME);
}

abi_error_t tcb_bind_notification(cptr_t tcb, cptr_t ntfn)
{
	return kernel_invoke(tcb, TCB_BIND_NOTIFICATION, 0, 0, 1, CAPS(ntfn), 0, 0);
}

abi_error_t tcb_unbind_notification(cptr_t tcb)
{
	return INVOKE0(tcb, TCB_UNBIND_NOTIFICATION);
}

abi_error_t tcb_set_affinity(cptr_t tcb, word_t cpu)
{
	return INVOKE(tcb, TCB_SET_AFFINITY, cpu);
}

abi_error_t tcb_set_tls_base(cptr_t tcb, word_t base)
{
	return INVOKE(tcb, TCB_SET_TLS_BASE, base);
}

abi_error_t tcb_set_fault_ep(cptr_t tcb, cptr_t ep)
{
	return kernel_invoke(tcb, TCB_SET_FAULT_EP, 0, 0, 1, CAPS(ep), 0, 0);
}

abi_error_t pdpt_map(cptr_t pdpt, cptr_t vspace, word_t vaddr)
{
	return kernel_invoke(pdpt, PDPT_MAP, 1, ARGS(vaddr), 1, CAPS(vspace), 0, 0);
}

abi_error_t pdpt_unmap(cptr_t pdpt)
{
	return INVOKE0(pdpt, PDPT_UNMAP);
}

abi_error_t pd_map(cptr_t pd, cptr_t vspace, word_t vaddr)
{
	return kernel_invoke(pd, PD_MAP, 1, ARGS(vaddr), 1, CAPS(vspace), 0, 0);
}

abi_error_t pd_unmap(cptr_t pd)
{
	return INVOKE0(pd, PD_UNMAP);
}

abi_error_t pt_map(cptr_t pt, cptr_t vspace, word_t vaddr)
{
	return kernel_invoke(pt, PT_MAP, 1, ARGS(vaddr), 1, CAPS(vspace), 0, 0);
}

abi_error_t pt_unmap(cptr_t pt)
{
	return INVOKE0(pt, PT_UNMAP);
}

abi_error_t frame_map(cptr_t frame, cptr_t vspace, word_t vaddr, word_t rights, word_t attrs)
{
	return kernel_invoke(frame, FRAME_MAP, 3, ARGS(vaddr, rights, attrs), 1, CAPS(vspace), 0, 0);
}

abi_error_t frame_unmap(cptr_t frame)
{
	return INVOKE0(frame, FRAME_UNMAP);
}

abi_error_t frame_get_address(cptr_t frame, word_t *paddr)
{
	return kernel_invoke(frame, FRAME_GET_ADDRESS, 0, 0, 0, 0, 1, paddr);
}

abi_error_t irq_control_get_ioapic(cptr_t ctl, cptr_t root, word_t index, word_t depth,
				   word_t gsi, word_t level, word_t active_low)
{
	return kernel_invoke(ctl, IRQ_CONTROL_GET_IOAPIC, 5, ARGS(index, depth, gsi, level, active_low),
			     1, CAPS(root), 0, 0);
}

abi_error_t irq_control_get_msi(cptr_t ctl, cptr_t root, word_t index, word_t depth,
				word_t msi_number, word_t *addr, word_t *data)
{
	word_t out[2] = { 0, 0 };
	abi_error_t err = kernel_invoke(ctl, IRQ_CONTROL_GET_MSI, 3, ARGS(index, depth, msi_number),
					1, CAPS(root), 2, out);

	if (err == E_OK) {
		if (addr)
			*addr = out[0];
		if (data)
			*data = out[1];
	}
	return err;
}

abi_error_t irq_handler_set_notification(cptr_t handler, cptr_t ntfn)
{
	if (!ntfn)
		return INVOKE0(handler, IRQ_HANDLER_SET_NOTIFICATION);
	return kernel_invoke(handler, IRQ_HANDLER_SET_NOTIFICATION, 0, 0, 1, CAPS(ntfn), 0, 0);
}

abi_error_t irq_handler_ack(cptr_t handler)
{
	return INVOKE0(handler, IRQ_HANDLER_ACK);
}

abi_error_t irq_handler_clear(cptr_t handler)
{
	return INVOKE0(handler, IRQ_HANDLER_CLEAR);
}

abi_error_t ioport_control_issue(cptr_t ctl, word_t first, word_t last, cptr_t root,
				 word_t index, word_t depth)
{
	return kernel_invoke(ctl, IOPORT_CONTROL_ISSUE, 4, ARGS(first, last, index, depth),
			     1, CAPS(root), 0, 0);
}

static abi_error_t port_in(cptr_t port_cap, word_t label, word_t port, word_t *value)
{
	return kernel_invoke(port_cap, label, 1, ARGS(port), 0, 0, 1, value);
}

abi_error_t ioport_in8(cptr_t port_cap, word_t port, word_t *value)
{
	return port_in(port_cap, IOPORT_IN8, port, value);
}

abi_error_t ioport_in16(cptr_t port_cap, word_t port, word_t *value)
{
	return port_in(port_cap, IOPORT_IN16, port, value);
}

abi_error_t ioport_in32(cptr_t port_cap, word_t port, word_t *value)
{
	return port_in(port_cap, IOPORT_IN32, port, value);
}

abi_error_t ioport_out8(cptr_t port_cap, word_t port, word_t value)
{
	return INVOKE(port_cap, IOPORT_OUT8, port, value);
}

abi_error_t ioport_out16(cptr_t port_cap, word_t port, word_t value)
{
	return INVOKE(port_cap, IOPORT_OUT16, port, value);
}

abi_error_t ioport_out32(cptr_t port_cap, word_t port, word_t value)
{
	return INVOKE(port_cap, IOPORT_OUT32, port, value);
}
