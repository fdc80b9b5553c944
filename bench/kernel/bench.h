/*
 * Shared declarations of the kernel benchmark root task (bench/README.md).
 *
 * Every figure is a number of guest instructions: under qemu -icount
 * shift=0 the TSC advances one tick per retired instruction.
 */
#ifndef BENCH_H
#define BENCH_H

#include <argil/env.h>
#include <argil/kernel.h>
#include <argil/printf.h>
#include <arch/syscall.h>

#define RUNS 201              /* timed repetitions per benchmark */
#define WARMUP 20             /* untimed repetitions before them */
#define ROOT_PRIO 100         /* the root task and every same-priority thread */
#define HIGH_PRIO 150         /* the woken waiter of signal_wake_higher */
#define PAGE 4096ul

extern struct env bench_env;
extern struct vspace bench_vs;   /* the other address space (a copy of this image) */

/*
 * A timestamp. The "memory" clobber keeps the compiler from moving loads
 * and stores across it, so what lies between two timestamps in the source
 * lies between them in the code.
 */
static inline word_t ts(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((word_t)hi << 32) | lo;
}

/*
 * A system call that carries no message words: only the number, the cap
 * and the message info go in, only the info comes back (rdx, r8, r9, r10
 * are left to the kernel). The timed paths use it so that no copying of
 * message registers to or from memory sits next to the SYSCALL.
 */
static inline word_t sys0(word_t nr, cptr_t cap, word_t info)
{
	register word_t rax __asm__("rax") = nr;
	register word_t rdi __asm__("rdi") = cap;
	register word_t rsi __asm__("rsi") = info;

	__asm__ volatile("syscall"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi)
			 :
			 : "rdx", "r8", "r9", "r10", "rcx", "r11", "memory");
	return rsi;
}

/* The same, also returning message register 1 (a fault's address). */
static inline word_t sys0_mr1(word_t nr, cptr_t cap, word_t info, word_t *mr1)
{
	register word_t rax __asm__("rax") = nr;
	register word_t rdi __asm__("rdi") = cap;
	register word_t rsi __asm__("rsi") = info;
	register word_t r8 __asm__("r8");

	__asm__ volatile("syscall"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "=r"(r8)
			 :
			 : "rdx", "r9", "r10", "rcx", "r11", "memory");
	*mr1 = r8;
	return rsi;
}

/*
 * FRAME_MAP as a bare SYS_CALL: the extra cap (the VSpace) must already be
 * in the caller's IPC buffer, caps[0]. Returns the reply's error label.
 */
static inline word_t frame_map_raw(cptr_t frame, word_t vaddr, word_t rights, word_t attrs)
{
	register word_t rax __asm__("rax") = SYS_CALL;
	register word_t rdi __asm__("rdi") = frame;
	register word_t rsi __asm__("rsi") = mi_make(FRAME_MAP, 0, 1, 3);
	register word_t rdx __asm__("rdx") = vaddr;
	register word_t r8 __asm__("r8") = rights;
	register word_t r9 __asm__("r9") = attrs;

	__asm__ volatile("syscall"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r8), "+r"(r9)
			 :
			 : "r10", "rcx", "r11", "memory");
	return mi_label(rsi);
}

/* The root task's IPC buffer. */
static inline struct ipc_buffer *root_ipc(void)
{
	return (struct ipc_buffer *)bench_env.bi->ipc_buffer;
}

/* Print "FAIL kernel_bench: ..." and stop the machine with exit code 1. */
void fail(const char *what, word_t value) __attribute__((noreturn));
/* fail() unless err is E_OK. */
void check(word_t err, const char *what);
/* Sort the n samples, print median and min (less the rdtsc overhead) as
 * an info line, and the median as the JSON result line. */
void report(const char *name, word_t *samples, int n);

/* A thread of the other address space running fn(a0, a1) at prio. */
cptr_t start_remote(void *fn, word_t a0, word_t a1, word_t prio, cptr_t fault_ep);
/* A zeroed page shared with the other address space: the root's view,
 * the other side's address in *remote. */
void *share_page(word_t *remote);

void bench_ipc(void);
void bench_yield(void);
void bench_signal(void);
void bench_map(void);
void bench_fault(void);

#endif
