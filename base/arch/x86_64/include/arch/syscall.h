/*
 * Raw system call stubs for x86_64 (see abi.h for the register convention).
 * Every stub passes and returns all four register message words; the
 * kernel preserves every register except rcx and r11.
 */
#ifndef ARCH_SYSCALL_H
#define ARCH_SYSCALL_H

#include <argil/abi.h>

struct sys_msg {
	word_t info;   /* message info */
	word_t badge;  /* out: sender badge (receive operations) */
	word_t mr[ABI_MSG_REGS];
};

static inline void sys_raw(word_t nr, cptr_t cap, struct sys_msg *m)
{
	register word_t rax __asm__("rax") = nr;
	register word_t rdi __asm__("rdi") = cap;
	register word_t rsi __asm__("rsi") = m->info;
	register word_t rdx __asm__("rdx") = m->mr[0];
	register word_t r8 __asm__("r8") = m->mr[1];
	register word_t r9 __asm__("r9") = m->mr[2];
	register word_t r10 __asm__("r10") = m->mr[3];
	__asm__ volatile("syscall"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r8), "+r"(r9), "+r"(r10)
			 :
			 : "rcx", "r11", "memory");
	m->badge = rdi;
	m->info = rsi;
	m->mr[0] = rdx;
	m->mr[1] = r8;
	m->mr[2] = r9;
	m->mr[3] = r10;
}

static inline void sys_call(cptr_t cap, struct sys_msg *m) { sys_raw(SYS_CALL, cap, m); }
static inline void sys_send(cptr_t cap, struct sys_msg *m) { sys_raw(SYS_SEND, cap, m); }
static inline void sys_nbsend(cptr_t cap, struct sys_msg *m) { sys_raw(SYS_NBSEND, cap, m); }
static inline void sys_recv(cptr_t cap, struct sys_msg *m) { sys_raw(SYS_RECV, cap, m); }
static inline void sys_nbrecv(cptr_t cap, struct sys_msg *m) { sys_raw(SYS_NBRECV, cap, m); }
static inline void sys_reply(struct sys_msg *m) { sys_raw(SYS_REPLY, 0, m); }
static inline void sys_reply_recv(cptr_t cap, struct sys_msg *m) { sys_raw(SYS_REPLY_RECV, cap, m); }

static inline void sys_yield(void)
{
	struct sys_msg m = { 0 };
	sys_raw(SYS_YIELD, 0, &m);
}

static inline void sys_debug_putchar(char c)
{
	struct sys_msg m = { 0 };
	sys_raw(SYS_DEBUG_PUTCHAR, (word_t)(unsigned char)c, &m);
}

/* Type of the capability at cptr (an enum obj_type), 0 if none. */
static inline word_t sys_debug_cap_type(cptr_t cap)
{
	struct sys_msg m = { 0 };
	sys_raw(SYS_DEBUG_CAP_TYPE, cap, &m);
	return m.mr[0];
}

/* TSC ticks CPU cpu has spent halted in the kernel's idle loop since boot
 * (*halted) and the TSC when that was read (*tsc); E_RANGE for a CPU that
 * is not running. */
static inline abi_error_t sys_halted_time(word_t cpu, uint64_t *halted, uint64_t *tsc)
{
	struct sys_msg m = { 0 };
	sys_raw(SYS_HALTED_TIME, cpu, &m);
	if (mi_label(m.info) != E_OK)
		return (abi_error_t)mi_label(m.info);
	*halted = m.mr[0];
	*tsc = m.mr[1];
	return E_OK;
}

static inline void sys_debug_halt(word_t code)
{
	struct sys_msg m = { 0 };
	sys_raw(SYS_DEBUG_HALT, code, &m);
}

/* Notification operations are sends and receives on a notification cap. */
static inline void sys_signal(cptr_t ntfn)
{
	struct sys_msg m = { 0 };
	sys_raw(SYS_SEND, ntfn, &m);
}

/* Returns the accumulated badge word. */
static inline word_t sys_wait(cptr_t ntfn)
{
	struct sys_msg m = { 0 };
	sys_raw(SYS_RECV, ntfn, &m);
	return m.badge;
}

static inline word_t sys_poll(cptr_t ntfn)
{
	struct sys_msg m = { 0 };
	sys_raw(SYS_NBRECV, ntfn, &m);
	return m.badge;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#endif
