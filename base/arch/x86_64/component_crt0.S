/*
 * Entry of a component's main thread and the start trampoline of its
 * further threads (base/src/component.c). The creator set rsp to the top
 * of the thread's 64 KiB window (component.h), so thread_self() finds the
 * thread_info in the window's UTCB page.
 */
	.section .text.entry, "ax"
	.global _component_start
	.type _component_start, @function
/* rdi = the info page */
_component_start:
	xor	%ebp, %ebp
	and	$-16, %rsp
	call	__component_main
	ud2
	.size _component_start, . - _component_start

/* Further threads: rdi = function, rsi = its argument. */
	.text
	.global __component_thread_start
	.type __component_thread_start, @function
__component_thread_start:
	xor	%ebp, %ebp
	and	$-16, %rsp
	mov	%rdi, %rax
	mov	%rsi, %rdi
	call	*%rax
	mov	%rax, %rdi
	call	__component_thread_exit
	ud2
	.size __component_thread_start, . - __component_thread_start

	.section .note.GNU-stack, "", @progbits
