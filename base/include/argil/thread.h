/*
 * Per-thread runtime data and thread creation.
 *
 * How a thread finds its IPC buffer: every thread made by this library (and
 * the initial thread, which crt0 moves onto stack 0 of the pool) runs on a
 * stack of BASE_STACK_SIZE bytes aligned to BASE_STACK_SIZE. The lowest
 * bytes of that stack hold its struct thread_info, so thread_self() is
 * "rsp rounded down". The info holds the IPC buffer address as the thread
 * sees it, its own TCB cptr (in its own CSpace) and the detail words of the
 * last failed invocation. A thread must not use more than
 * BASE_STACK_SIZE - sizeof(struct thread_info) bytes of stack.
 */
#ifndef ARGIL_THREAD_H
#define ARGIL_THREAD_H

#include <argil/abi.h>

#define BASE_STACK_BITS 16
#define BASE_STACK_SIZE (1ul << BASE_STACK_BITS)
#define BASE_STACK_POOL 24     /* stacks in the root image, stack 0 = initial thread */
#define THREAD_INFO_MAGIC 0x7468726561640a00ull

struct thread_info {
	word_t magic;
	struct ipc_buffer *ipc;    /* this thread's IPC buffer (its own address space) */
	cptr_t tcb;                /* own TCB in own CSpace, 0 if none */
	cptr_t exit_ntfn;          /* signalled when the thread function returns, 0 = none */
	word_t detail[2];          /* mr0, mr1 of the last invocation reply */
	volatile word_t exited;    /* 1 once the function returned */
	volatile word_t exit_value;
	word_t user[4];            /* free for the thread's creator */
	cptr_t recv_slot;          /* component runtime: slot ready for a received cap, 0 = none */
	cptr_t thread_cap;         /* component runtime: own thread capability at core, 0 = none */
};

static inline struct thread_info *thread_self(void)
{
	word_t sp;

	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
	return (struct thread_info *)(sp & ~(BASE_STACK_SIZE - 1));
}

static inline struct ipc_buffer *ipc_buffer(void)
{
	return thread_self()->ipc;
}

/* The stack pool (defined in thread.c, placed by user.ld). */
extern unsigned char base_stacks[BASE_STACK_POOL][BASE_STACK_SIZE];

/* Entry trampoline (crt0.S): rdi = function, rsi/rdx = its arguments. */
void __base_thread_start(void);
/* Called when a thread's function returns: records the value, signals
 * exit_ntfn, suspends the thread. */
void __base_thread_exit(word_t value) __attribute__((noreturn));

#endif
