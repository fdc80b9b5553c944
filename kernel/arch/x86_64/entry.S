/*
 * Kernel entry and exit. A user thread's registers are saved straight into
 * its TCB: for interrupts and exceptions the TSS's rsp0 points at the top of
 * the current thread's user_context, so the CPU pushes the interrupt frame
 * there; SYSCALL builds the same frame by hand. Then we switch to the
 * per-CPU kernel stack and call C, which never returns here: it leaves
 * through restore_user_iret/sysret with the next thread's context.
 * Per-CPU data is at %gs (see include/arch/pcpu.h for the offsets).
 */
#define PCPU_CTX_TOP 8
#define PCPU_KSTACK_TOP 16
#define PCPU_SCRATCH 24
#define GDT_UDATA 0x1b
#define GDT_UCODE 0x23

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

	.text
	.globl syscall_entry
	.align 16
syscall_entry:
	swapgs
	mov %rsp, %gs:PCPU_SCRATCH
	mov %gs:PCPU_CTX_TOP, %rsp
	push $GDT_UDATA               /* ss */
	push %gs:PCPU_SCRATCH         /* rsp */
	push %r11                     /* rflags */
	push $GDT_UCODE               /* cs */
	push %rcx                     /* rip */
	push $0                       /* error */
	push $-1                      /* vector: -1 marks a syscall */
	/* only the registers the ABI defines as inputs and the preserved ones */
	PUSH_GPRS
	mov %gs:PCPU_KSTACK_TOP, %rsp
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
 * is canonical. */
	.globl restore_user_sysret
restore_user_sysret:
	mov %rdi, %rsp
	POP_GPRS
	mov 16(%rsp), %rcx            /* rip */
	mov 32(%rsp), %r11            /* rflags */
	mov 40(%rsp), %rsp            /* user rsp */
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
