/* The big kernel lock and requests between CPUs. */
#ifndef SMP_H
#define SMP_H

#include <types.h>
#include <arch/pcpu.h>

void kernel_lock(void);
void kernel_unlock(void);
void remote_process(struct pcpu *p);
void remote_request(unsigned cpu, uint32_t req, uint64_t cr3, bool wait);
void remote_resched(unsigned cpu);
extern volatile unsigned cpus_online;

#endif
