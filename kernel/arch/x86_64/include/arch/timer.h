/* Time: the TSC and LAPIC timer, calibrated against the HPET or the PIT. */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <stdint.h>

extern uint64_t tsc_per_ms;
extern uint32_t lapic_ticks_per_ms;

void timer_init(void);
uint64_t timer_ns(void);
void timer_udelay(uint64_t us);

#endif
