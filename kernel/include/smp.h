/* The big kernel lock and requests between CPUs. */
#ifndef SMP_H
#define SMP_H

#include <types.h>
#include <arch/cpu.h>
#include <arch/pcpu.h>

extern volatile uint32_t bkl;
void kernel_lock_slow(void);

static inline void kernel_lock(void)
{
	/* Requests from other CPUs only wait for an answer while their sender
	 * holds the lock, so a free lock means none is waiting for us. */
	if (unlikely(!atomic_try_set_bit0(&bkl)))
		kernel_lock_slow();
}

/* Take the lock if it is free; the fastpath leaves waiting to the
 * general path. */
static inline bool kernel_trylock(void)
{
	return atomic_try_set_bit0(&bkl);
}

static inline void kernel_unlock(void)
{
	__atomic_store_n(&bkl, 0, __ATOMIC_RELEASE);
}
void remote_process(struct pcpu *p);
void remote_request(unsigned cpu, uint32_t req, uint64_t vspace, bool wait);
void remote_resched(unsigned cpu);
extern volatile unsigned cpus_online;

#endif
