/*
 * Per-CPU kernel state, reached through %gs while in the kernel. The first
 * fields have fixed offsets that entry.S uses (arch/offsets.h). The CPU's
 * TSS lives here too, so that the entry code and the exit path reach its
 * rsp0 field (the top of the current thread's saved registers) directly.
 */
#ifndef ARCH_PCPU_H
#define ARCH_PCPU_H

#include <stdint.h>
#include <stddef.h>
#include <argil/abi.h>
#include <arch/offsets.h>
#include <runqueue.h>

struct tcb;

/* The 64-bit task state segment: only rsp0 and the IST are used. */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct pcpu {
	struct pcpu *self;        /* 0 */
	struct tcb *cur;          /* 8: the thread this CPU runs (or its idle thread) */
	uint64_t kstack_top;      /* 16 */
	uint64_t scratch;         /* 24: the user rsp during syscall entry */
	uint32_t pad;             /* 32: puts tss.rsp[0] on an 8-byte boundary */
	struct tss tss;           /* 36: rsp[0] at 40 = top of cur's user_context */
	unsigned index;
	uint32_t apic_id;
	struct tcb *idle;
	struct tcb *fpu_owner;    /* whose FPU state is in the registers */
	struct tcb *entering_syscall; /* cur, while its system call waits for the lock */
	uint64_t cr3;             /* loaded page-table root (physical), | CR3_STALE */
	uint64_t fs_base, gs_base;/* user values currently loaded */
	volatile uint32_t remote_req; /* REMOTE_* bits, set by another CPU */
	volatile uint32_t remote_ack;
	uint64_t remote_cr3;      /* with REMOTE_RELOAD_CR3: reload if equal */
	uint64_t ticks;
	/* halted-time accounting (cpu.c): TSC ticks spent halted in the idle
	 * loop, the TSC when the current halt began (0: not halted), and a
	 * sequence count, odd while they change, for readers on other CPUs */
	uint64_t halted, halt_start;
	uint32_t halt_seq;
	unsigned slice_left;
	volatile int online;
	struct runqueue rq;       /* this CPU's threads ready to run */
};

/* In pcpu->cr3, set by the lock holder on an idle CPU (tlb_shootdown):
 * the space is loaded but its TLB entries may be stale, and since no
 * space's root equals this value, the CPU reloads CR3 when it next leaves
 * the kernel to a thread. */
#define CR3_STALE 1ull

#define REMOTE_STALL      (1u << 0)  /* stop running pcpu->cur, switch to idle */
#define REMOTE_FLUSH_TLB  (1u << 1)  /* flush the whole TLB */
#define REMOTE_RELOAD_CR3 (1u << 2)  /* if remote_cr3 is loaded, load the kernel's */
#define REMOTE_RESCHED    (1u << 3)  /* look at the run queue again */
/* the requests whose sender waits for remote_ack */
#define REMOTE_ACKED (REMOTE_STALL | REMOTE_FLUSH_TLB | REMOTE_RELOAD_CR3)

extern struct pcpu pcpus[ABI_MAX_CPUS];
extern unsigned num_cpus;

static inline struct pcpu *this_cpu(void)
{
	struct pcpu *p;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/* The same struct addressed through %gs: every access is one instruction
 * and no register holds the pointer (used by the IPC fastpath). Between
 * kernel entry and exit a thread does not change CPUs, so this always
 * means this CPU's struct pcpu. */
typedef __seg_gs struct pcpu pcpu_gs_t;
static inline pcpu_gs_t *this_cpu_gs(void) { return (pcpu_gs_t *)0; }

/* Where the CPU pushes (and syscall_entry stores) the registers of the
 * thread that enters the kernel next. */
static inline void pcpu_set_ctx_top(struct pcpu *p, uint64_t top)
{
	p->tss.rsp[0] = top;
}

_Static_assert(offsetof(struct pcpu, cur) == PCPU_CUR, "entry.S offset");
_Static_assert(offsetof(struct pcpu, kstack_top) == PCPU_KSTACK_TOP, "entry.S offset");
_Static_assert(offsetof(struct pcpu, scratch) == PCPU_SCRATCH, "entry.S offset");
_Static_assert(offsetof(struct pcpu, tss) + 4 == PCPU_TSS_RSP0, "entry.S offset");

#endif
