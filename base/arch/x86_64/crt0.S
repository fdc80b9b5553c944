/*
 * Program entry for root tasks and the start trampoline for threads made
 * by base/src/thread.c. Trusts the kernel to pass rdi = struct bootinfo *.
 *
 * The runtime finds a thread's private data (struct thread_info, which
 * holds its IPC buffer address) at the lowest address of its stack, so
 * every thread, the initial one included, runs on a BASE_STACK_SIZE stack
 * aligned to its size. _start therefore switches from the kernel-provided
 * stack to stack 0 of the pool.
 */

#define SYS_DEBUG_HALT 11      /* enum sys_number in abi.h */
#define BASE_STACK_SIZE 65536  /* base/include/argil/thread.h */

	.section .text.entry, "ax"
	.global _start
	.type _start, @function
_start:
	xor	%ebp, %ebp
	mov	%rdi, %rbx                      /* bootinfo, callee-saved */
	mov	$(base_stacks + BASE_STACK_SIZE), %rsp
	call	__base_init
	mov	%rbx, %rdi
	call	main
	movslq	%eax, %rdi
	mov	$SYS_DEBUG_HALT, %eax
	syscall
1:	jmp	1b
	.size _start, . - _start

/* Threads start here: rdi = function, rsi, rdx = its two arguments. */
	.text
	.global __base_thread_start
	.type __base_thread_start, @function
__base_thread_start:
	xor	%ebp, %ebp
	and	$-16, %rsp
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	call	*%rax
	mov	%rax, %rdi
	call	__base_thread_exit
	ud2
	.size __base_thread_start, . - __base_thread_start

	.section .note.GNU-stack, "", @progbits
