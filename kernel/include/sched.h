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
#include <arch/switch.h>

/* Leave the kernel into next (lock held until just before the return). */
static inline __attribute__((noreturn, always_inline)) void exit_to(struct pcpu *p, struct tcb *next)
{
	if (next == p->idle) {
		kernel_unlock();
		switch_to_kstack(idle_loop, p->kstack_top);
	}
	arch_switch_user(p, next);
	kernel_unlock();
	arch_exit_to_user(next);
}

#endif
