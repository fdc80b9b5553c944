/*
 * Busy time for benchmarks that wait (on a timer, a device): under QEMU's
 * -icount shift=0 the TSC counts one tick per guest instruction while a
 * CPU runs, but follows host time while it is halted, so the elapsed TSC
 * of a wait is no guest figure. The kernel counts the ticks each CPU
 * spends halted in its idle loop (SYS_HALTED_TIME, docs/kernel.md 1.2);
 * busy = elapsed minus halted is the instructions the machine executed.
 *
 *   struct busy_clock c;
 *   busy_start(&c);
 *   ... wait for something ...
 *   uint64_t busy = busy_instructions(&c, &elapsed);
 *
 * With several CPUs the figures are summed over all of them: elapsed is
 * the TSC difference times the number of CPUs, busy that minus the ticks
 * all CPUs spent halted.
 */
#ifndef ARGIL_BUSY_H
#define ARGIL_BUSY_H

#include <stdint.h>

struct busy_clock {
	uint64_t tsc;        /* the TSC at busy_start */
	uint64_t halted;     /* halted ticks of all CPUs then */
	unsigned cpus;
};

void busy_start(struct busy_clock *c);
/* Busy ticks (instructions under -icount shift=0) since busy_start; the
 * elapsed ticks (all CPUs) in *elapsed unless NULL. */
uint64_t busy_instructions(const struct busy_clock *c, uint64_t *elapsed);

#endif
