/*
 * A small lock for the threads of one component: test-and-set, yielding
 * while it is held. Not for use across components.
 */
#ifndef ARGIL_LOCK_H
#define ARGIL_LOCK_H

#include <arch/syscall.h>

struct lock {
	volatile int held;
};

static inline void lock_acquire(struct lock *l)
{
	while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
		sys_yield();
}

static inline void lock_release(struct lock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

#endif
