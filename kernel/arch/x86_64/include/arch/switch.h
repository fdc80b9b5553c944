/*
 * Leaving the kernel into a user thread on x86_64: what changes on this
 * CPU besides the registers (address space, FPU owner, fs/gs bases, the
 * TSS's rsp0 where the next entry saves registers), and the way out
 * (SYSRET for a thread that entered with SYSCALL, IRET otherwise). The
 * portable scheduler (sched.h) and IPC fastpath call these, always
 * inlined: they are on the hot path.
 */
#ifndef ARCH_SWITCH_H
#define ARCH_SWITCH_H

#include <tcb.h>
#include <arch/cpu.h>
#include <arch/mm.h>
#include <arch/pcpu.h>

/* What a switch to thread t changes on this CPU besides the FPU: the
 * address space (root: its top-level table's physical address), the fs
 * and gs bases, and where t's registers go on the next kernel entry. p is
 * this CPU's struct pcpu, through a pointer or through %gs (the fastpath):
 * a macro, so that both compile to direct accesses. */
#define ARCH_LOAD_USER(p, t, root) \
	do { \
		uint64_t root_ = (root); \
		if (root_ != (p)->cr3) { \
			(p)->cr3 = root_; \
			write_cr3(root_); \
		} \
		if (unlikely((p)->fs_base != (t)->arch.fs_base)) { \
			wrmsr(MSR_FS_BASE, (t)->arch.fs_base); \
			(p)->fs_base = (t)->arch.fs_base; \
		} \
		if (unlikely((p)->gs_base != (t)->arch.gs_base)) { \
			wrmsr(MSR_KERNEL_GS_BASE, (t)->arch.gs_base); \
			(p)->gs_base = (t)->arch.gs_base; \
		} \
		(p)->tss.rsp[0] = (uint64_t)(&(t)->ctx + 1); \
	} while (0)

/* Make this CPU ready to run next: its FPU state, its address space (the
 * kernel's if it has none), TLS bases, and where its registers go on the
 * next kernel entry. */
static inline __attribute__((always_inline)) void arch_switch_user(struct pcpu *p, struct tcb *next)
{
	struct cap *vs = &next->slots[TCB_SLOT_VSPACE].cap;
	if (p->fpu_owner != next) {
		fpu_restore(next->fpu);
		p->fpu_owner = next;
	}
	ARCH_LOAD_USER(p, next, likely(cap_type(vs) == OBJ_PML4) ? cap_vspace_root(vs) : boot_pml4_paddr);
}

/* Leave into next (after arch_switch_user, with the kernel lock dropped).
 * SYSRET needs a canonical rip: after a SYSCALL it is, since the last
 * user page cannot be mapped (see FRAME_MAP). */
static inline __attribute__((noreturn, always_inline)) void arch_exit_to_user(struct tcb *next)
{
	if (next->fast_exit_ok)
		restore_user_sysret(&next->ctx);
	restore_user_iret(&next->ctx);
}

/* The IPC fastpath's switch from 'from' (which blocks) to 'to', which has
 * an address space (fastpath.c checks): the same as arch_switch_user,
 * with from's FPU state known to be loaded, through %gs. */
static inline __attribute__((always_inline)) void arch_fast_switch_user(pcpu_gs_t *p, struct tcb *from, struct tcb *to)
{
	fpu_save(from->fpu);
	fpu_restore(to->fpu);
	p->fpu_owner = to;
	ARCH_LOAD_USER(p, to, cap_vspace_root(&to->slots[TCB_SLOT_VSPACE].cap));
}

#endif
