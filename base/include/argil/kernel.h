/*
 * Typed wrappers for every kernel invocation in abi.h. Each returns the
 * abi_error_t of the reply (E_OK on success); results come back through
 * the out-parameters, which are always last. After a failure the reply's
 * detail words (mr0, mr1: which argument, allowed range, lookup failure)
 * are kept per thread: kernel_last_detail(0/1).
 *
 * Protocol: SYS_CALL on the object's cptr; label = invocation, length =
 * argument words (0..3 in registers, 4.. in the IPC buffer), extra caps
 * from ipc_buffer()->caps[]. The calling thread's IPC buffer is found via
 * thread_self() (argil/thread.h).
 */
#ifndef ARGIL_KERNEL_H
#define ARGIL_KERNEL_H

#include <argil/abi.h>

/* Generic invocation: args[0..len) out, caps[0..ncaps) as extra caps,
 * reply words [0..nout) into out. */
abi_error_t kernel_invoke(cptr_t cap, word_t label, word_t len, const word_t *args,
			  word_t ncaps, const cptr_t *caps, word_t nout, word_t *out);
word_t kernel_last_detail(int i);

/* Untyped */
abi_error_t untyped_retype(cptr_t ut, word_t type, word_t size_bits, cptr_t root,
			   word_t node_index, word_t node_depth, word_t node_offset, word_t count);

/* CNode: (root, index, depth) names a slot; root is the invoked CNode */
abi_error_t cnode_revoke(cptr_t root, word_t index, word_t depth);
abi_error_t cnode_delete(cptr_t root, word_t index, word_t depth);
abi_error_t cnode_cancel_badged_sends(cptr_t root, word_t index, word_t depth);
abi_error_t cnode_copy(cptr_t root, word_t dest_index, word_t dest_depth,
		       cptr_t src_root, word_t src_index, word_t src_depth, word_t rights);
abi_error_t cnode_mint(cptr_t root, word_t dest_index, word_t dest_depth,
		       cptr_t src_root, word_t src_index, word_t src_depth, word_t rights,
		       word_t badge);
abi_error_t cnode_move(cptr_t root, word_t dest_index, word_t dest_depth,
		       cptr_t src_root, word_t src_index, word_t src_depth);
abi_error_t cnode_mutate(cptr_t root, word_t dest_index, word_t dest_depth,
			 cptr_t src_root, word_t src_index, word_t src_depth, word_t badge);
/* src -> pivot (with pivot_badge), pivot -> dest (with dest_badge) */
abi_error_t cnode_rotate(cptr_t root, word_t dest_index, word_t dest_depth, word_t dest_badge,
			 cptr_t pivot_root, word_t pivot_index, word_t pivot_depth,
			 word_t pivot_badge, cptr_t src_root, word_t src_index, word_t src_depth);
abi_error_t cnode_save_caller(cptr_t root, word_t index, word_t depth);

/* Guard data for CNODE_MINT/MUTATE of a CNode cap and TCB_CONFIGURE. */
static inline word_t cnode_guard(word_t guard_value, word_t guard_size)
{
	return (guard_value << 6) | (guard_size & 0x3f);
}

/* TCB (a cptr of 0 names the null cap: it clears that setting) */
abi_error_t tcb_configure(cptr_t tcb, cptr_t fault_ep, cptr_t cspace, word_t cspace_guard,
			  cptr_t vspace, word_t ipc_buf_vaddr, cptr_t ipc_buf_frame);
abi_error_t tcb_set_priority(cptr_t tcb, cptr_t authority, word_t prio);
abi_error_t tcb_set_mcp(cptr_t tcb, cptr_t authority, word_t mcp);
abi_error_t tcb_read_registers(cptr_t tcb, word_t suspend, word_t count, word_t *regs);
abi_error_t tcb_write_registers(cptr_t tcb, word_t resume, word_t count, const word_t *regs);
abi_error_t tcb_suspend(cptr_t tcb);
abi_error_t tcb_resume(cptr_t tcb);
abi_error_t tcb_bind_notification(cptr_t tcb, cptr_t ntfn);
abi_error_t tcb_unbind_notification(cptr_t tcb);
abi_error_t tcb_set_affinity(cptr_t tcb, word_t cpu);
abi_error_t tcb_set_tls_base(cptr_t tcb, word_t base);
abi_error_t tcb_set_fault_ep(cptr_t tcb, cptr_t ep);

/* Paging structures and frames; vspace is the PML4 cap */
abi_error_t pdpt_map(cptr_t pdpt, cptr_t vspace, word_t vaddr);
abi_error_t pdpt_unmap(cptr_t pdpt);
abi_error_t pd_map(cptr_t pd, cptr_t vspace, word_t vaddr);
abi_error_t pd_unmap(cptr_t pd);
abi_error_t pt_map(cptr_t pt, cptr_t vspace, word_t vaddr);
abi_error_t pt_unmap(cptr_t pt);
abi_error_t frame_map(cptr_t frame, cptr_t vspace, word_t vaddr, word_t rights, word_t attrs);
abi_error_t frame_unmap(cptr_t frame);
abi_error_t frame_get_address(cptr_t frame, word_t *paddr);

/* Interrupts */
abi_error_t irq_control_get_ioapic(cptr_t ctl, cptr_t root, word_t index, word_t depth,
				   word_t gsi, word_t level, word_t active_low);
abi_error_t irq_control_get_msi(cptr_t ctl, cptr_t root, word_t index, word_t depth,
				word_t msi_number, word_t *addr, word_t *data);
/* ntfn 0: clear (the invocation carries no cap) */
abi_error_t irq_handler_set_notification(cptr_t handler, cptr_t ntfn);
abi_error_t irq_handler_ack(cptr_t handler);
abi_error_t irq_handler_clear(cptr_t handler);

/* I/O ports */
abi_error_t ioport_control_issue(cptr_t ctl, word_t first, word_t last, cptr_t root,
				 word_t index, word_t depth);
abi_error_t ioport_in8(cptr_t port_cap, word_t port, word_t *value);
abi_error_t ioport_in16(cptr_t port_cap, word_t port, word_t *value);
abi_error_t ioport_in32(cptr_t port_cap, word_t port, word_t *value);
abi_error_t ioport_out8(cptr_t port_cap, word_t port, word_t value);
abi_error_t ioport_out16(cptr_t port_cap, word_t port, word_t value);
abi_error_t ioport_out32(cptr_t port_cap, word_t port, word_t value);

#endif
