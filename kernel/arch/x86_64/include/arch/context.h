/*
 * A user thread's saved registers (struct user_context) and the system
 * call convention of abi.h on them: which register carries the capability
 * address, the message info, the badge and message words 0..3. Portable
 * code reads and writes a thread's registers only through the arch_ctx_*
 * functions here, never by register name.
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <argil/abi.h>
#include <arch/offsets.h>

/* Register context of a user thread, saved by the entry code into the
 * thread's TCB. The order is fixed by entry.S (the interrupt stubs push it
 * from the top down). SYSCALL entry stores only what a system call must
 * preserve or reads: not rcx and r11 (SYSCALL clobbers them; their slots
 * keep older values), not vector and error, and not cs and ss, which are
 * always the user selectors here (set by tcb_init, pushed by the CPU). */
struct user_context {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;   /* interrupt frame, CPU-pushed */
};
_Static_assert(sizeof(struct user_context) == CTX_SIZE, "entry.S layout");
_Static_assert(offsetof(struct user_context, r15) == CTX_R15, "entry.S layout");
_Static_assert(offsetof(struct user_context, r10) == CTX_R10, "entry.S layout");
_Static_assert(offsetof(struct user_context, rbp) == CTX_RBP, "entry.S layout");
_Static_assert(offsetof(struct user_context, rdi) == CTX_RDI, "entry.S layout");
_Static_assert(offsetof(struct user_context, rbx) == CTX_RBX, "entry.S layout");
_Static_assert(offsetof(struct user_context, rax) == CTX_RAX, "entry.S layout");
_Static_assert(offsetof(struct user_context, rip) == CTX_RIP, "entry.S layout");
_Static_assert(offsetof(struct user_context, rflags) == CTX_RFLAGS, "entry.S layout");
_Static_assert(offsetof(struct user_context, rsp) == CTX_RSP, "entry.S layout");

/* Per-thread state of this architecture kept beside the context: the
 * user's fs and gs bases (its TLS pointer is fs). */
struct arch_thread {
	uint64_t fs_base, gs_base;
};

/* A new thread: user code and stack selectors, interrupts enabled. */
void arch_ctx_init(struct user_context *c);
/* Where a thread starts: program counter, stack, first argument. */
static inline void arch_ctx_set_entry(struct user_context *c, uint64_t pc, uint64_t sp, uint64_t arg)
{
	c->rip = pc;
	c->rsp = sp;
	c->rdi = arg;
}

/* System call number, capability address, message info, badge. */
static inline uint64_t arch_ctx_syscall(const struct user_context *c) { return c->rax; }
static inline uint64_t arch_ctx_cptr(const struct user_context *c) { return c->rdi; }
static inline uint64_t arch_ctx_info(const struct user_context *c) { return c->rsi; }
static inline void arch_ctx_set_info(struct user_context *c, uint64_t v) { c->rsi = v; }
static inline void arch_ctx_set_badge(struct user_context *c, uint64_t v) { c->rdi = v; }

/* Message word i (< ABI_MSG_REGS) as it travels in registers. */
static inline uint64_t arch_ctx_mr(const struct user_context *c, unsigned i)
{
	switch (i) {
	case 0: return c->rdx;
	case 1: return c->r8;
	case 2: return c->r9;
	default: return c->r10;
	}
}
static inline void arch_ctx_set_mr(struct user_context *c, unsigned i, uint64_t v)
{
	switch (i) {
	case 0: c->rdx = v; break;
	case 1: c->r8 = v; break;
	case 2: c->r9 = v; break;
	default: c->r10 = v; break;
	}
}
/* Message words 0..3 from w[0..3] (a kernel-made message). */
static inline void arch_ctx_set_mrs(struct user_context *c, const uint64_t *w)
{
	c->rdx = w[0];
	c->r8 = w[1];
	c->r9 = w[2];
	c->r10 = w[3];
}
/* Message words 0..3 from one thread's registers to another's. */
static inline void arch_ctx_copy_mrs(struct user_context *to, const struct user_context *from)
{
	to->rdx = from->rdx;
	to->r8 = from->r8;
	to->r9 = from->r9;
	to->r10 = from->r10;
}

/* The program counter and stack pointer (fault messages). */
static inline uint64_t arch_ctx_pc(const struct user_context *c) { return c->rip; }
static inline uint64_t arch_ctx_sp(const struct user_context *c) { return c->rsp; }
/* A thread stopped before its system call began makes it again when it
 * next runs: SYSCALL is 2 bytes, and the saved rip follows it. */
static inline void arch_ctx_restart_syscall(struct user_context *c) { c->rip -= 2; }

/* TCB_READ/WRITE_REGISTERS (enum tcb_reg). arch_regs_valid: whether
 * n values, in enum tcb_reg order, may be written to a thread (addresses
 * in the user half); arch_reg_write sanitises what users may not set. */
bool arch_regs_valid(const uint64_t *r, unsigned n);
uint64_t arch_reg_read(const struct user_context *c, const struct arch_thread *a, unsigned r);
void arch_reg_write(struct user_context *c, struct arch_thread *a, unsigned r, uint64_t v);
static inline void arch_set_tls_base(struct arch_thread *a, uint64_t v) { a->fs_base = v; }

#endif
