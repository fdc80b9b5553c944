/* Per-CPU priority scheduler: 256 levels, round robin within a level. */
#ifndef SCHED_H
#define SCHED_H

#include <tcb.h>

#define TIME_SLICE_TICKS 5
#define TICK_US 1000

#include <runqueue.h>
#include <arch/pcpu.h>

static inline struct runqueue *cpu_rq(unsigned cpu) { return &pcpus[cpu].rq; }

void sched_enqueue(struct tcb *t);        /* append */
void sched_enqueue_front(struct tcb *t);  /* prepend (preempted) */
void sched_dequeue(struct tcb *t);
void sched_make_runnable(struct tcb *t);  /* state RUNNING and enqueued (or IPI) */
void sched_block(struct tcb *t, unsigned state);
void sched_switch_to(struct tcb *t);      /* current thread hands over directly */
void sched_tick(void);
void sched_yield(void);
void sched_need_resched(void);
unsigned sched_highest_prio(unsigned cpu, bool *any);
void schedule_and_exit(void) __attribute__((noreturn));  /* leave the kernel */
void idle_loop(void) __attribute__((noreturn));



#include <smp.h>
#include <vspace.h>
#include <arch/mm.h>

/* Load the address space whose PML4 is at physical address cr3. */
static inline __attribute__((always_inline)) void vspace_switch(struct pcpu *p, uint64_t cr3)
{
	if (cr3 != p->cr3) {
		p->cr3 = cr3;
		write_cr3(cr3);
	}
}

/* Leave the kernel into next (lock held until just before the return). */
static inline __attribute__((noreturn, always_inline)) void exit_to(struct pcpu *p, struct tcb *next)
{
	if (next == p->idle) {
		kernel_unlock();
		switch_to_kstack(idle_loop, p->kstack_top);
	}
	struct cap *vs = &next->slots[TCB_SLOT_VSPACE].cap;
	if (likely(cap_type(vs) == OBJ_PML4))
		vspace_switch(p, cap_vspace_root(vs));
	else
		vspace_activate(boot_pml4_paddr);
	if (p->fpu_owner != next) {
		fpu_restore(next->fpu);
		p->fpu_owner = next;
	}
	if (p->fs_base != next->fs_base) {
		wrmsr(MSR_FS_BASE, next->fs_base);
		p->fs_base = next->fs_base;
	}
	if (p->gs_base != next->gs_base) {
		wrmsr(MSR_KERNEL_GS_BASE, next->gs_base);
		p->gs_base = next->gs_base;
	}
	pcpu_set_ctx_top(p, (uint64_t)(&next->ctx + 1));
	kernel_unlock();
	/* sysret needs a canonical rip: after a SYSCALL it is, since the
	 * last user page cannot be mapped (see FRAME_MAP) */
	if (next->sysret_ok)
		restore_user_sysret(&next->ctx);
	restore_user_iret(&next->ctx);
}

#endif
