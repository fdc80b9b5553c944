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

/* Load the address space whose root table is at physical address root. */
static inline __attribute__((always_inline)) void arch_vspace_load(struct pcpu *p, uint64_t root)
{
	if (root != p->cr3) {
		p->cr3 = root;
		write_cr3(root);
	}
}

/* Make this CPU ready to run next: its address space (the kernel's if it
 * has none), FPU state, TLS bases, and where its registers go on the next
 * kernel entry. */
static inline __attribute__((always_inline)) void arch_switch_user(struct pcpu *p, struct tcb *next)
{
	struct cap *vs = &next->slots[TCB_SLOT_VSPACE].cap;
	if (likely(cap_type(vs) == OBJ_PML4))
		arch_vspace_load(p, cap_vspace_root(vs));
	else
		arch_vspace_load(this_cpu(), boot_pml4_paddr);
	if (p->fpu_owner != next) {
		fpu_restore(next->fpu);
		p->fpu_owner = next;
	}
	if (p->fs_base != next->arch.fs_base) {
		wrmsr(MSR_FS_BASE, next->arch.fs_base);
		p->fs_base = next->arch.fs_base;
	}
	if (p->gs_base != next->arch.gs_base) {
		wrmsr(MSR_KERNEL_GS_BASE, next->arch.gs_base);
		p->gs_base = next->arch.gs_base;
	}
	pcpu_set_ctx_top(p, (uint64_t)(&next->ctx + 1));
}

/* Leave into next (after arch_switch_user, with the kernel lock dropped).
 * SYSRET needs a canonical rip: after a SYSCALL it is, since the last
 * user page cannot be mapped (see FRAME_MAP). */
static inline __attribute__((noreturn, always_inline)) void arch_exit_to_user(struct tcb *next)
{
	if (next->sysret_ok)
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
	uint64_t root = cap_vspace_root(&to->slots[TCB_SLOT_VSPACE].cap);
	if (root != p->cr3) {
		p->cr3 = root;
		write_cr3(root);
	}
	if (unlikely(p->fs_base != to->arch.fs_base)) {
		wrmsr(MSR_FS_BASE, to->arch.fs_base);
		p->fs_base = to->arch.fs_base;
	}
	if (unlikely(p->gs_base != to->arch.gs_base)) {
		wrmsr(MSR_KERNEL_GS_BASE, to->arch.gs_base);
		p->gs_base = to->arch.gs_base;
	}
	p->tss.rsp[0] = (uint64_t)(&to->ctx + 1);   /* where the next entry saves */
}

#endif
