/*
 * Additional threads of a component, made through its CPU session: core
 * gives each a window in the stack area (its UTCB page with the IPC buffer
 * at the bottom), the creator attaches a stack at the window's top.
 */
#ifndef ARGIL_CTHREAD_H
#define ARGIL_CTHREAD_H

#include <argil/rpc.h>

struct cthread {
	cptr_t cap;              /* thread capability at core */
	cptr_t stack_ds;         /* stack dataspace */
	word_t window;
	word_t stack_addr;
	cptr_t ntfn;             /* slot of its bound notification, 0 if none */
};

/* Create and start fn(arg) on a new thread with the given priority and CPU
 * (index within the CPU session's range) and stack size (rounded to pages,
 * at most 60 KiB). With want_ntfn the thread gets a bound notification
 * (its slot in t->ntfn), e.g. for a second entrypoint. */
rpc_status_t cthread_create(struct cthread *t, void (*fn)(void *), void *arg, word_t prio,
			    word_t cpu, size_t stack, int want_ntfn);
/* Destroy the thread (whatever it does) and free its stack. */
rpc_status_t cthread_destroy(struct cthread *t);
/* Whether the thread's function has returned. */
int cthread_exited(const struct cthread *t);

#endif
