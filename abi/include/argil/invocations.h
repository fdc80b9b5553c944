/*
 * Every kernel invocation, described once. From this table come the label
 * numbers (enum inv_label), the user-space stubs (base/src/kernel_inv.c,
 * declared in argil/kernel.h) and the kernel's argument unpacking
 * (kernel/include/inv.h: struct <stub>_args with named fields, filled by
 * inv_get_<stub>, and inv_reply_<stub> for the result words).
 *
 * ABI_INVOCATIONS(X) calls X(LABEL, number, stub, object, PARAMS) once per
 * invocation: 'stub' is the user function's name, 'object' the name of its
 * first parameter (the invoked capability), and PARAMS(P) lists the other
 * parameters in the stub's order, each as P(kind, name[, count, max]):
 *   W   an argument word; the words go out in the order listed
 *   C   an extra capability (a cptr from user space; in the kernel the
 *       slot it names, or NULL), in the order listed
 *   CO  an optional extra capability: sent only when the cptr is not 0
 *   WA  after the W words: as many words from an array as the argument
 *       'count' says, at most 'max'
 *   R   a result word (user space: an out-parameter, NULL to ignore it)
 *   RA  result words into an array: as many as 'count', at most 'max'
 * A "slot" is an (index, depth) pair resolved in a root CNode: the invoked
 * CNode or an extra cap; depth 0 is allowed only where it says so.
 * docs/kernel.md describes what each invocation does and its errors.
 */
#ifndef ARGIL_INVOCATIONS_H
#define ARGIL_INVOCATIONS_H

/* ---- Untyped ------------------------------------------------------------ */
/* Objects of type (size_bits: untyped size or CNode radix) go to slots
 * node_offset .. node_offset + count - 1 of the CNode found at
 * (root, node_index, node_depth); node_depth 0 means root itself. */
#define INV_UNTYPED_RETYPE(P) P(W, type) P(W, size_bits) P(C, root) P(W, node_index) \
	P(W, node_depth) P(W, node_offset) P(W, count)

/* ---- CNode: the invoked CNode is the root of the (first) slot ----------- */
#define INV_CNODE_SLOT(P) P(W, index) P(W, depth)
#define INV_CNODE_COPY(P) P(W, dest_index) P(W, dest_depth) P(C, src_root) P(W, src_index) \
	P(W, src_depth) P(W, rights)
#define INV_CNODE_MINT(P) P(W, dest_index) P(W, dest_depth) P(C, src_root) P(W, src_index) \
	P(W, src_depth) P(W, rights) P(W, badge)
#define INV_CNODE_MOVE(P) P(W, dest_index) P(W, dest_depth) P(C, src_root) P(W, src_index) \
	P(W, src_depth)
#define INV_CNODE_MUTATE(P) P(W, dest_index) P(W, dest_depth) P(C, src_root) P(W, src_index) \
	P(W, src_depth) P(W, badge)
/* src -> pivot (with pivot_badge), pivot -> dest (with dest_badge) */
#define INV_CNODE_ROTATE(P) P(W, dest_index) P(W, dest_depth) P(W, dest_badge) P(C, pivot_root) \
	P(W, pivot_index) P(W, pivot_depth) P(W, pivot_badge) P(C, src_root) P(W, src_index) \
	P(W, src_depth)

/* ---- TCB ------------------------------------------------------------------
 * TCB_CONFIGURE: a null cap (cptr 0) clears that setting. */
#define INV_TCB_CONFIGURE(P) P(C, fault_ep) P(C, cspace) P(W, cspace_guard) P(C, vspace) \
	P(W, ipc_buf_vaddr) P(C, ipc_buf_frame)
/* the authority TCB's MCP bounds the value */
#define INV_TCB_SET_PRIORITY(P) P(C, authority) P(W, prio)
#define INV_TCB_SET_MCP(P) P(C, authority) P(W, mcp)
#define INV_TCB_READ_REGISTERS(P) P(W, suspend) P(W, count) P(RA, regs, count, REG_COUNT)
#define INV_TCB_WRITE_REGISTERS(P) P(W, resume) P(W, count) P(WA, regs, count, REG_COUNT)
#define INV_NONE(P)
#define INV_TCB_BIND_NOTIFICATION(P) P(C, ntfn)
#define INV_TCB_SET_AFFINITY(P) P(W, cpu)
#define INV_TCB_SET_TLS_BASE(P) P(W, base)
#define INV_TCB_SET_FAULT_EP(P) P(C, ep)

/* ---- Paging structures and frames: vspace is the PML4 to map into ------- */
#define INV_TABLE_MAP(P) P(C, vspace) P(W, vaddr)
/* same vaddr and vspace again: remap with the new rights and attributes */
#define INV_FRAME_MAP(P) P(C, vspace) P(W, vaddr) P(W, rights) P(W, attrs)
#define INV_FRAME_GET_ADDRESS(P) P(R, paddr)

/* ---- Interrupts: the new handler cap goes to slot (root, index, depth) -- */
#define INV_IRQ_CONTROL_GET_IOAPIC(P) P(C, root) P(W, index) P(W, depth) P(W, gsi) P(W, level) \
	P(W, active_low)
/* results: the address and data word the device must write */
#define INV_IRQ_CONTROL_GET_MSI(P) P(C, root) P(W, index) P(W, depth) P(W, msi_number) \
	P(R, addr) P(R, data)
/* no notification (cptr 0): stop delivering */
#define INV_IRQ_HANDLER_SET_NOTIFICATION(P) P(CO, ntfn)

/* ---- I/O ports ------------------------------------------------------------ */
#define INV_IOPORT_CONTROL_ISSUE(P) P(W, first) P(W, last) P(C, root) P(W, index) P(W, depth)
#define INV_IOPORT_IN(P) P(W, port) P(R, value)
#define INV_IOPORT_OUT(P) P(W, port) P(W, value)

#define ABI_INVOCATIONS(X) \
	X(UNTYPED_RETYPE, 1, untyped_retype, ut, INV_UNTYPED_RETYPE) \
	X(CNODE_REVOKE, 10, cnode_revoke, root, INV_CNODE_SLOT) \
	X(CNODE_DELETE, 11, cnode_delete, root, INV_CNODE_SLOT) \
	X(CNODE_CANCEL_BADGED_SENDS, 12, cnode_cancel_badged_sends, root, INV_CNODE_SLOT) \
	X(CNODE_COPY, 13, cnode_copy, root, INV_CNODE_COPY) \
	X(CNODE_MINT, 14, cnode_mint, root, INV_CNODE_MINT) \
	X(CNODE_MOVE, 15, cnode_move, root, INV_CNODE_MOVE) \
	X(CNODE_MUTATE, 16, cnode_mutate, root, INV_CNODE_MUTATE) \
	X(CNODE_ROTATE, 17, cnode_rotate, root, INV_CNODE_ROTATE) \
	X(CNODE_SAVE_CALLER, 18, cnode_save_caller, root, INV_CNODE_SLOT) \
	X(TCB_CONFIGURE, 30, tcb_configure, tcb, INV_TCB_CONFIGURE) \
	X(TCB_SET_PRIORITY, 31, tcb_set_priority, tcb, INV_TCB_SET_PRIORITY) \
	X(TCB_SET_MCP, 32, tcb_set_mcp, tcb, INV_TCB_SET_MCP) \
	X(TCB_READ_REGISTERS, 33, tcb_read_registers, tcb, INV_TCB_READ_REGISTERS) \
	X(TCB_WRITE_REGISTERS, 34, tcb_write_registers, tcb, INV_TCB_WRITE_REGISTERS) \
	X(TCB_SUSPEND, 35, tcb_suspend, tcb, INV_NONE) \
	X(TCB_RESUME, 36, tcb_resume, tcb, INV_NONE) \
	X(TCB_BIND_NOTIFICATION, 37, tcb_bind_notification, tcb, INV_TCB_BIND_NOTIFICATION) \
	X(TCB_UNBIND_NOTIFICATION, 38, tcb_unbind_notification, tcb, INV_NONE) \
	X(TCB_SET_AFFINITY, 39, tcb_set_affinity, tcb, INV_TCB_SET_AFFINITY) \
	X(TCB_SET_TLS_BASE, 40, tcb_set_tls_base, tcb, INV_TCB_SET_TLS_BASE) \
	X(TCB_SET_FAULT_EP, 41, tcb_set_fault_ep, tcb, INV_TCB_SET_FAULT_EP) \
	X(PDPT_MAP, 50, pdpt_map, pdpt, INV_TABLE_MAP) \
	X(PDPT_UNMAP, 51, pdpt_unmap, pdpt, INV_NONE) \
	X(PD_MAP, 52, pd_map, pd, INV_TABLE_MAP) \
	X(PD_UNMAP, 53, pd_unmap, pd, INV_NONE) \
	X(PT_MAP, 54, pt_map, pt, INV_TABLE_MAP) \
	X(PT_UNMAP, 55, pt_unmap, pt, INV_NONE) \
	X(FRAME_MAP, 56, frame_map, frame, INV_FRAME_MAP) \
	X(FRAME_UNMAP, 57, frame_unmap, frame, INV_NONE) \
	X(FRAME_GET_ADDRESS, 58, frame_get_address, frame, INV_FRAME_GET_ADDRESS) \
	X(IRQ_CONTROL_GET_IOAPIC, 70, irq_control_get_ioapic, ctl, INV_IRQ_CONTROL_GET_IOAPIC) \
	X(IRQ_CONTROL_GET_MSI, 71, irq_control_get_msi, ctl, INV_IRQ_CONTROL_GET_MSI) \
	X(IRQ_HANDLER_SET_NOTIFICATION, 72, irq_handler_set_notification, handler, \
	  INV_IRQ_HANDLER_SET_NOTIFICATION) \
	X(IRQ_HANDLER_ACK, 73, irq_handler_ack, handler, INV_NONE) \
	X(IRQ_HANDLER_CLEAR, 74, irq_handler_clear, handler, INV_NONE) \
	X(IOPORT_CONTROL_ISSUE, 80, ioport_control_issue, ctl, INV_IOPORT_CONTROL_ISSUE) \
	X(IOPORT_IN8, 81, ioport_in8, port_cap, INV_IOPORT_IN) \
	X(IOPORT_IN16, 82, ioport_in16, port_cap, INV_IOPORT_IN) \
	X(IOPORT_IN32, 83, ioport_in32, port_cap, INV_IOPORT_IN) \
	X(IOPORT_OUT8, 84, ioport_out8, port_cap, INV_IOPORT_OUT) \
	X(IOPORT_OUT16, 85, ioport_out16, port_cap, INV_IOPORT_OUT) \
	X(IOPORT_OUT32, 86, ioport_out32, port_cap, INV_IOPORT_OUT)

/* Invocation labels (the label of the message info word). */
#define INV_LABEL_ENUM(label, number, stub, object, params) label = number,
enum inv_label {
	INV_INVALID = 0,
	ABI_INVOCATIONS(INV_LABEL_ENUM)
};

#endif
