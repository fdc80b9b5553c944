/*
 * System call entry points in C, jumped to from syscall_entry (entry.S)
 * on the kernel stack with the caller's registers saved in its TCB. None
 * of them returns.
 */
#ifndef FASTPATH_H
#define FASTPATH_H

#include <types.h>
#include <arch/pcpu.h>

/* The IPC fastpath (fastpath.c) for SYS_CALL and SYS_REPLY_RECV. Its
 * arguments are the caller's cptr, info, mr0, a slot the entry code
 * leaves unused, mr1 and mr2, still in the registers they came in (the
 * architecture's entry code arranges them so). */
void c_fastpath_call(uint64_t cptr, uint64_t info, uint64_t mr0, uint64_t unused,
		     uint64_t mr1, uint64_t mr2) __attribute__((noreturn));
void c_fastpath_reply_recv(uint64_t cptr, uint64_t info, uint64_t mr0, uint64_t unused,
			   uint64_t mr1, uint64_t mr2) __attribute__((noreturn));

/* Every other system call, and those the fastpath leaves (syscall.c):
 * takes the kernel lock, waiting for it as needed. */
void c_handle_syscall(void) __attribute__((noreturn));
/* The same with the lock held and p->cur the calling thread. */
void syscall_slow(struct pcpu *p) __attribute__((noreturn));

#endif
