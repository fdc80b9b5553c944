/*
 * setjmp/longjmp for one thread's own stack (the test runner uses them to
 * abort a failed case). Saves the callee-saved registers, rsp and rip.
 */
	.text
	.global base_setjmp
	.type base_setjmp, @function
base_setjmp:
	mov	%rbx, 0(%rdi)
	mov	%rbp, 8(%rdi)
	mov	%r12, 16(%rdi)
	mov	%r13, 24(%rdi)
	mov	%r14, 32(%rdi)
	mov	%r15, 40(%rdi)
	lea	8(%rsp), %rax
	mov	%rax, 48(%rdi)
	mov	(%rsp), %rax
	mov	%rax, 56(%rdi)
	xor	%eax, %eax
	ret
	.size base_setjmp, . - base_setjmp

	.global base_longjmp
	.type base_longjmp, @function
base_longjmp:
	mov	%esi, %eax
	test	%eax, %eax
	jnz	1f
	inc	%eax
1:	mov	0(%rdi), %rbx
	mov	8(%rdi), %rbp
	mov	16(%rdi), %r12
	mov	24(%rdi), %r13
	mov	32(%rdi), %r14
	mov	40(%rdi), %r15
	mov	48(%rdi), %rsp
	jmp	*56(%rdi)
	.size base_longjmp, . - base_longjmp

	.section .note.GNU-stack, "", @progbits
