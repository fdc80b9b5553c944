/*
 * The timer's hardware: a clock that counts microseconds since the device
 * was set up, and an interrupt that can be asked for at a point of that
 * clock. Two implementations: the HPET (hpet.c) and the PIT with the TSC
 * as its clock (pit.c). Both take their resources as sessions from the
 * parent (IO_MEM, IO_PORT, IRQ) and trust nothing they read back from the
 * hardware without a plausibility check.
 */
#ifndef OS_TIMER_DEVICE_H
#define OS_TIMER_DEVICE_H

#include <argil/parent.h>
#include <argil/rpc.h>
#include <stdbool.h>
#include <stdint.h>

struct device {
	const char *name;
	struct parent_conn irq;           /* the IRQ session (GSI 2) */
	/* microseconds since set-up; never decreases */
	uint64_t (*now)(struct device *d);
	/* Ask for an interrupt at the clock value 'deadline' or soon after.
	 * Returns false if the clock has already reached it (no interrupt is
	 * then certain: the caller handles the deadline itself). The device
	 * may interrupt earlier than asked (the PIT cannot wait long), never
	 * without need later. */
	bool (*arm)(struct device *d, uint64_t deadline);
	/* No interrupt needed any more (a spurious one does no harm). */
	void (*disarm)(struct device *d);
	char info[96];                    /* what was found, for the log */
	/* device state */
	struct parent_conn io;            /* IO_MEM (HPET) or IO_PORT (PIT) */
	cptr_t port;                      /* PIT: kernel I/O port cap 0x40..0x43 */
	volatile uint64_t *regs;          /* HPET: mapped registers */
	uint64_t period_fs;               /* HPET: counter period */
	bool wide;                        /* HPET: 64-bit counter */
	uint64_t start, last_raw, high;   /* HPET ticks at set-up; 32-bit extension */
	uint64_t tsc_hz, tsc_start;       /* PIT: TSC rate and TSC at set-up */
};

/* "base=.." of the HPET when the platform does not say where it is. */
#define HPET_DEFAULT_BASE 0xfed00000ul

/* Set up the device; RPC_OK, or why it is not usable (everything taken
 * is released again). */
rpc_status_t hpet_init(struct device *d, word_t base);
rpc_status_t pit_init(struct device *d, word_t hpet_base);
/* An HPET in legacy replacement mode hides the PIT's interrupt: turn that
 * off if there is an HPET at base (true if it was on). */
bool hpet_legacy_off(word_t base);

#endif
