/*
 * The PIT (Intel 8254) for machines without a usable HPET. The PIT has no
 * free-running counter that could serve as a clock without counting its
 * interrupts (which an edge-triggered, masked-until-acknowledged line may
 * lose), so the clock is the TSC, calibrated here against PIT channel 0;
 * channel 0 in mode 0 ("interrupt on terminal count", at most 65535 ticks
 * of 1/1193182 s, about 55 ms) gives the wake-ups. Every deadline is
 * decided on the TSC clock, so a calibration error makes wake-ups a little
 * early or late against the PIT, never an expiry early against the clock
 * that clients read.
 */
#include <argil/component.h>
#include <argil/io.h>
#include <argil/kernel.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <arch/syscall.h>
#include "device.h"

#define PIT_HZ 1193182ull
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_CH0_MODE0 0x30      /* channel 0, low then high byte, mode 0, binary */
#define PIT_READBACK_CH0 0xe2   /* read-back: status only, channel 0 */
#define PIT_STATUS_OUT 0x80
#define CAL_TICKS 11932u        /* 10 ms */
#define CAL_ROUNDS 3

static void out8(struct device *d, word_t port, word_t v)
{
	ioport_out8(d->port, port, v);
}

static word_t in8(struct device *d, word_t port)
{
	word_t v = 0;

	ioport_in8(d->port, port, &v);
	return v;
}

static void start_count(struct device *d, unsigned count)
{
	out8(d, PIT_CMD, PIT_CH0_MODE0);
	out8(d, PIT_CH0, count & 0xff);
	out8(d, PIT_CH0, (count >> 8) & 0xff);
}

static bool out_high(struct device *d)
{
	out8(d, PIT_CMD, PIT_READBACK_CH0);
	return in8(d, PIT_CH0) & PIT_STATUS_OUT;
}

/* TSC ticks during CAL_TICKS PIT ticks (the smallest of a few rounds: a
 * round can only be lengthened by being preempted), 0 if OUT never rose. */
static uint64_t calibrate(struct device *d)
{
	uint64_t best = 0;

	for (int r = 0; r < CAL_ROUNDS; r++) {
		start_count(d, CAL_TICKS);
		uint64_t t0 = rdtsc(), t1;
		unsigned long i;
		for (i = 0; i < 100000000ul && !out_high(d); i++)
			;
		t1 = rdtsc();
		if (i == 100000000ul)
			return 0;
		if (!best || t1 - t0 < best)
			best = t1 - t0;
	}
	return best;
}

static uint64_t pit_now(struct device *d)
{
	return (uint64_t)((unsigned __int128)(rdtsc() - d->tsc_start) * 1000000u / d->tsc_hz);
}

static bool pit_arm(struct device *d, uint64_t deadline)
{
	uint64_t now = pit_now(d);

	if (now >= deadline)
		return false;
	unsigned __int128 t = ((unsigned __int128)(deadline - now) * PIT_HZ + 999999) / 1000000;
	start_count(d, t > 0xffff ? 0xffff : t < 1 ? 1 : (unsigned)t);
	return true;
}

static void pit_disarm(struct device *d)
{
	out8(d, PIT_CMD, PIT_CH0_MODE0);   /* OUT low, waits for a count that never comes */
}

rpc_status_t pit_init(struct device *d, word_t hpet_base)
{
	rpc_status_t st;
	uint64_t cal;
	bool legacy_was_on;

	d->info[0] = 0;
	/* an earlier timer may have left the HPET routing over the PIT */
	legacy_was_on = hpet_legacy_off(hpet_base);
	st = parent_conn_open(&d->io, "IO_PORT", "pit", "base=0x40, size=4", 8192, 4);
	if (st != RPC_OK) {
		snprintf(d->info, sizeof(d->info), "PIT: no IO_PORT session (%s)", rpc_status_name(st));
		return st;
	}
	st = io_port_cap(d->io.cap, &d->port);
	if (st != RPC_OK) {
		snprintf(d->info, sizeof(d->info), "PIT: no I/O port capability (%s)",
			 rpc_status_name(st));
		goto fail;
	}
	st = parent_conn_open(&d->irq, "IRQ", "pit", "irq=2, trigger=edge, polarity=high", 8192, 4);
	if (st != RPC_OK) {
		snprintf(d->info, sizeof(d->info), "PIT: no IRQ session for GSI 2 (%s)",
			 rpc_status_name(st));
		goto fail;
	}
	cal = calibrate(d);
	pit_disarm(d);
	d->tsc_hz = cal * PIT_HZ / CAL_TICKS;
	if (!cal || d->tsc_hz < 10000000ull || d->tsc_hz > 100000000000ull) {
		snprintf(d->info, sizeof(d->info), "PIT: TSC calibration failed (%lu TSC ticks in 10 ms)",
			 (word_t)cal);
		st = RPC_E_UNAVAILABLE;
		goto fail;
	}
	d->tsc_start = rdtsc();
	d->name = "pit";
	d->now = pit_now;
	d->arm = pit_arm;
	d->disarm = pit_disarm;
	snprintf(d->info, sizeof(d->info), "PIT (GSI 2) with the TSC as clock, %lu kHz%s",
		 (word_t)(d->tsc_hz / 1000),
		 legacy_was_on ? " (HPET legacy routing turned off)" : "");
	return RPC_OK;
fail:
	if (d->port) {
		cap_slot_free(d->port);
		d->port = 0;
	}
	parent_conn_close(&d->irq);
	parent_conn_close(&d->io);
	return st;
}
