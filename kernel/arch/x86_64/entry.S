/*
 * Kernel entry and exit. A user thread's registers are saved straight into
 * its TCB: for interrupts and exceptions the TSS's rsp0 points at the top of
 * the current thread's user_context, so the CPU pushes the interrupt frame
 * there; SYSCALL stores the registers it must keep into the same layout.
 * Then we switch to the per-CPU kernel stack and jump to C, which never
 * returns here: it leaves through restore_user_iret/sysret or
 * arch_fastpath_exit (arch/cpu.h) with the next thread's context.
 * Per-CPU data is at %gs (see include/arch/pcpu.h and arch/offsets.h).
 */
#include <arch/offsets.h>

.macro ISR_ADDR num
	.quad isr_\num
.endm

.macro PUSH_GPRS
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro POP_GPRS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
.endm

/*
 * SYSCALL: rip in rcx, rflags in r11, interrupts off (FMASK). The user
 * registers are stored into the current thread's user_context, whose top
 * is this CPU's TSS rsp0. Stored are the registers a system call must
 * preserve or reads: not rcx and r11 (clobbered by SYSCALL by definition),
 * nor vector, error, cs and ss (see cpu.h). SYS_CALL and SYS_REPLY_RECV go
 * to the IPC fastpath (fastpath.c) with the message still in registers:
 * rdi, rsi, rdx, (rcx unused), r8, r9 are its first six arguments.
 */
	.text
	.globl syscall_entry
	.align 16
syscall_entry:
	swapgs
	mov %rsp, %gs:PCPU_SCRATCH
	mov %gs:PCPU_TSS_RSP0, %rsp
	mov %rcx, CTX_RIP-CTX_SIZE(%rsp)
	mov %r11, CTX_RFLAGS-CTX_SIZE(%rsp)
	mov %gs:PCPU_SCRATCH, %rcx
	mov %rcx, CTX_RSP-CTX_SIZE(%rsp)
	mov %rax, CTX_RAX-CTX_SIZE(%rsp)
	mov %rbx, CTX_RBX-CTX_SIZE(%rsp)
	mov %rdx, CTX_RDX-CTX_SIZE(%rsp)
	mov %rsi, CTX_RSI-CTX_SIZE(%rsp)
	mov %rdi, CTX_RDI-CTX_SIZE(%rsp)
	mov %rbp, CTX_RBP-CTX_SIZE(%rsp)
	mov %r8, CTX_R8-CTX_SIZE(%rsp)
	mov %r9, CTX_R9-CTX_SIZE(%rsp)
	mov %r10, CTX_R10-CTX_SIZE(%rsp)
	mov %r12, CTX_R12-CTX_SIZE(%rsp)
	mov %r13, CTX_R13-CTX_SIZE(%rsp)
	mov %r14, CTX_R14-CTX_SIZE(%rsp)
	mov %r15, CTX_R15-CTX_SIZE(%rsp)
	mov %gs:PCPU_KSTACK_TOP, %rsp
	cmp $1, %rax                  /* SYS_CALL */
	je c_fastpath_call
	cmp $2, %rax                  /* SYS_REPLY_RECV */
	je c_fastpath_reply_recv
	jmp c_handle_syscall

/* Interrupt stubs: push a dummy error code where the CPU pushes none. */
.macro ISR num
	.align 16
isr_\num:
	.if (\num == 8) || (\num == 10) || (\num == 11) || (\num == 12) || (\num == 13) || (\num == 14) || (\num == 17) || (\num == 21) || (\num == 29) || (\num == 30)
	.else
	push $0
	.endif
	push $\num
	jmp isr_common
.endm

	.align 16
isr_stubs_start:
.altmacro
.set i, 0
.rept 256
	ISR %i
	.set i, i + 1
.endr

isr_common:
	testb $3, 24(%rsp)            /* cs of the interrupted context */
	jz from_kernel
	PUSH_GPRS
	swapgs
	mov %gs:PCPU_KSTACK_TOP, %rsp
	jmp c_handle_interrupt
from_kernel:
	PUSH_GPRS
	mov %rsp, %rdi
	cld
	call c_handle_kernel_interrupt
	POP_GPRS
	add $16, %rsp
	iretq

/* The address of each stub, for the IDT. */
	.section .rodata
	.globl isr_table
	.align 8
isr_table:
.set i, 0
.rept 256
	ISR_ADDR %i
	.set i, i + 1
.endr

	.text
/* void restore_user_iret(struct user_context *ctx) */
	.globl restore_user_iret
restore_user_iret:
	mov %rdi, %rsp
	POP_GPRS
	add $16, %rsp
	swapgs
	iretq

/* void restore_user_sysret(struct user_context *ctx): rip and rflags come
 * back through rcx and r11 as SYSCALL defines; the caller checked that rip
 * is canonical. rcx and r11 themselves are not restored. */
	.globl restore_user_sysret
restore_user_sysret:
	mov CTX_R15(%rdi), %r15
	mov CTX_R14(%rdi), %r14
	mov CTX_R13(%rdi), %r13
	mov CTX_R12(%rdi), %r12
	mov CTX_R10(%rdi), %r10
	mov CTX_R9(%rdi), %r9
	mov CTX_R8(%rdi), %r8
	mov CTX_RBP(%rdi), %rbp
	mov CTX_RSI(%rdi), %rsi
	mov CTX_RDX(%rdi), %rdx
	mov CTX_RBX(%rdi), %rbx
	mov CTX_RAX(%rdi), %rax
	mov CTX_RIP(%rdi), %rcx
	mov CTX_RFLAGS(%rdi), %r11
	mov CTX_RSP(%rdi), %rsp
	mov CTX_RDI(%rdi), %rdi
	swapgs
	sysretq

/* void switch_to_kstack(void (*fn)(void), uint64_t top) */
	.globl switch_to_kstack
switch_to_kstack:
	mov %rsi, %rsp
	xor %rbp, %rbp
	call *%rdi
1:	hlt
	jmp 1b
	.section .note.GNU-stack, "", @progbits
