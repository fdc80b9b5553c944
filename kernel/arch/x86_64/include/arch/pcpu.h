/*
 * Per-CPU kernel state, reached through %gs while in the kernel. The first
 * fields have fixed offsets that entry.S uses.
 */
#ifndef ARCH_PCPU_H
#define ARCH_PCPU_H

#include <stdint.h>
#include <stddef.h>
#include <argil/abi.h>

struct tcb;
struct runqueue;

struct pcpu {
	struct pcpu *self;        /* 0 */
	uint64_t ctx_top;         /* 8: top of the current thread's user_context */
	uint64_t kstack_top;      /* 16 */
	uint64_t scratch;         /* 24 */
	unsigned index;
	uint32_t apic_id;
	struct tcb *cur;          /* the thread this CPU runs (or its idle thread) */
	struct tcb *idle;
	struct tcb *fpu_owner;    /* whose FPU state is in the registers */
	uint64_t cr3;             /* loaded page-table root (physical) */
	unsigned asid;            /* its ASID, 0 for the kernel's */
	uint64_t fs_base, gs_base;/* user values currently loaded */
	volatile uint32_t remote_req; /* REMOTE_* bits, set by another CPU */
	volatile uint32_t remote_ack;
	uint64_t remote_cr3;      /* with REMOTE_RELOAD_CR3: reload if equal */
	uint64_t *tss_rsp0;       /* this CPU's TSS rsp0 field */
	struct runqueue *rq;      /* this CPU's run queue */
	uint64_t ticks;
	unsigned slice_left;
	volatile int online;
};

#define REMOTE_STALL      (1u << 0)  /* stop running pcpu->cur, switch to idle */
#define REMOTE_FLUSH_TLB  (1u << 1)  /* flush the whole TLB */
#define REMOTE_RELOAD_CR3 (1u << 2)  /* if remote_cr3 is loaded, load the kernel's */
#define REMOTE_RESCHED    (1u << 3)  /* look at the run queue again */

extern struct pcpu pcpus[ABI_MAX_CPUS];
extern unsigned num_cpus;

static inline struct pcpu *this_cpu(void)
{
	struct pcpu *p;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

_Static_assert(offsetof(struct pcpu, ctx_top) == 8, "entry.S offset");
_Static_assert(offsetof(struct pcpu, kstack_top) == 16, "entry.S offset");
_Static_assert(offsetof(struct pcpu, scratch) == 24, "entry.S offset");

#endif
