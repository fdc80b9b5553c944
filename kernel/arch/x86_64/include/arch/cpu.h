/*
 * x86_64 CPU primitives: port I/O, MSRs, control registers, TSC, the
 * interrupt flag, FPU state, and the ways out of the kernel. Port I/O, MSRs
 * and control registers are for kernel/arch only; the portable kernel uses
 * the FPU functions, cpu_relax and the atomic helpers, and reaches a
 * thread's registers through arch/context.h.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <arch/offsets.h>
#include <arch/context.h>

#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA 0x1b   /* 0x18 | 3 */
#define GDT_UCODE 0x23   /* 0x20 | 3 */
#define GDT_TSS   0x28

#define RFLAGS_IF (1ull << 9)
#define RFLAGS_USER_MASK 0x0cd5ull   /* CF PF AF ZF SF DF OF settable by users (not TF) */

#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_PAT 0x277

static inline void outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(p)); }
static inline void outw(uint16_t p, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(p)); }
static inline void outl(uint16_t p, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint16_t inw(uint16_t p) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint32_t inl(uint16_t p) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
/* Set bit 0 of *lock atomically; true if it was clear (one instruction
 * and a branch, where an exchange needs a register set up and a test). */
static inline bool atomic_try_set_bit0(volatile uint32_t *lock)
{
	__asm__ goto("lock btsl $0, %0\n\tjc %l[busy]" : : "m"(*lock) : "memory", "cc" : busy);
	return true;
busy:
	return false;
}
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void halt(void) { __asm__ volatile("hlt" ::: "memory"); }

struct pcpu;
/* Halted-time accounting: the idle loop marks the start of each halt,
 * the first interrupt entry after it (or the loop itself) adds the time
 * up; halted_time reads any CPU's total, a halt in progress included,
 * and the timestamp *now it is taken at (cpu.c). TSC ticks. */
void halt_begin(struct pcpu *p);
void halt_end(struct pcpu *p);
uint64_t halted_time(const struct pcpu *p, uint64_t *now);
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }

static inline bool is_canonical_user(uint64_t va) { return va < 0x0000800000000000ull; }

/* cpu.c */
void cpu_init(unsigned cpu);            /* GDT, TSS, IDT, syscall MSRs, PAT, FPU */
/* FXSAVE areas: 512 bytes, 16-byte aligned */
static inline void fpu_save(void *area) { __asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t (*)[512])area)); }
static inline void fpu_restore(const void *area) { __asm__ volatile("fxrstor64 %0" :: "m"(*(const uint8_t (*)[512])area)); }
void fpu_init_state(void *area);

/* entry.S */
void restore_user_iret(struct user_context *ctx) __attribute__((noreturn));
void restore_user_sysret(struct user_context *ctx) __attribute__((noreturn));

/* Leave the kernel with SYSRET into the thread whose saved context is ctx
 * (it entered with SYSCALL), with the given values in rdi, rsi, rdx, r8,
 * r9 and r10 and the rest of its registers from ctx; rcx and r11 get rip
 * and rflags. The IPC fastpath's exit: the message goes register to
 * register. The caller has dropped the kernel lock and set up everything
 * else (address space, FPU, TSS). */
static inline __attribute__((noreturn, always_inline)) void arch_fastpath_exit(const struct user_context *ctx,
	uint64_t rdi, uint64_t rsi, uint64_t rdx, uint64_t r8, uint64_t r9, uint64_t r10)
{
	register const struct user_context *c __asm__("r11") = ctx;
	register uint64_t a0 __asm__("rdi") = rdi;
	register uint64_t a1 __asm__("rsi") = rsi;
	register uint64_t a2 __asm__("rdx") = rdx;
	register uint64_t a3 __asm__("r8") = r8;
	register uint64_t a4 __asm__("r9") = r9;
	register uint64_t a5 __asm__("r10") = r10;
	__asm__ volatile(
		"mov %c[r15](%%r11), %%r15\n\t"
		"mov %c[r14](%%r11), %%r14\n\t"
		"mov %c[r13](%%r11), %%r13\n\t"
		"mov %c[r12](%%r11), %%r12\n\t"
		"mov %c[rbp](%%r11), %%rbp\n\t"
		"mov %c[rbx](%%r11), %%rbx\n\t"
		"mov %c[rax](%%r11), %%rax\n\t"
		"mov %c[rip](%%r11), %%rcx\n\t"
		"mov %c[rsp](%%r11), %%rsp\n\t"
		"mov %c[rfl](%%r11), %%r11\n\t"
		"swapgs\n\t"
		"sysretq"
		:: "r"(c), "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5),
		   [r15] "i"(CTX_R15), [r14] "i"(CTX_R14), [r13] "i"(CTX_R13), [r12] "i"(CTX_R12),
		   [rbp] "i"(CTX_RBP), [rbx] "i"(CTX_RBX), [rax] "i"(CTX_RAX), [rip] "i"(CTX_RIP),
		   [rsp] "i"(CTX_RSP), [rfl] "i"(CTX_RFLAGS)
		: "memory");
	__builtin_unreachable();
}
void switch_to_kstack(void (*fn)(void), uint64_t stack_top) __attribute__((noreturn));

#endif
