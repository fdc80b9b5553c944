/*
 * Calibration of the TSC and the LAPIC timer (divide by 16) over 10 ms
 * measured by the HPET main counter, or by PIT channel 2 without one.
 * Under -icount the TSC counts instructions; the ratio still holds.
 */
#include <types.h>
#include <kprintf.h>
#include <arch/cpu.h>
#include <arch/mm.h>
#include <arch/apic.h>
#include <arch/platform.h>
#include <arch/timer.h>

uint64_t tsc_per_ms = 1000000;
uint32_t lapic_ticks_per_ms = 62500;

#define HPET_CAP 0x00
#define HPET_CONFIG 0x10
#define HPET_COUNTER 0xf0

static bool calibrate_hpet(uint64_t *tsc, uint32_t *apic)
{
	volatile uint64_t *h = (volatile uint64_t *)kmap_mmio(platform.hpet_paddr, 1024);
	uint64_t period_fs = h[HPET_CAP / 8] >> 32;
	if (period_fs == 0 || period_fs > 100000000)
		return false;
	h[HPET_CONFIG / 8] = h[HPET_CONFIG / 8] & ~3ull;   /* stop, no legacy routing */
	h[HPET_COUNTER / 8] = 0;
	h[HPET_CONFIG / 8] = h[HPET_CONFIG / 8] | 1;       /* run */
	uint64_t ticks = 10000000000000ull / period_fs;     /* 10 ms in fs / period */
	uint64_t start = h[HPET_COUNTER / 8];
	lapic_timer_start_raw(0xffffffffu);
	uint64_t t0 = rdtsc();
	while (h[HPET_COUNTER / 8] - start < ticks)
		cpu_relax();
	uint64_t t1 = rdtsc();
	uint32_t left = lapic_timer_current();
	*tsc = (t1 - t0) / 10;
	*apic = (0xffffffffu - left) / 10;
	return true;
}

static bool calibrate_pit(uint64_t *tsc, uint32_t *apic)
{
	const uint16_t count = 11932;   /* 10 ms at 1.193182 MHz */
	outb(0x61, (inb(0x61) & ~0x02) | 0x01);   /* gate on, speaker off */
	outb(0x43, 0xb0);                          /* channel 2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	lapic_timer_start_raw(0xffffffffu);
	uint64_t t0 = rdtsc();
	for (uint64_t i = 0; !(inb(0x61) & 0x20); i++)
		if (i > 100000000ull)
			return false;
	uint64_t t1 = rdtsc();
	uint32_t left = lapic_timer_current();
	*tsc = (t1 - t0) / 10;
	*apic = (0xffffffffu - left) / 10;
	return true;
}

void timer_init(void)
{
	uint64_t tsc;
	uint32_t apic;
	const char *src = "hpet";
	bool ok = platform.hpet_paddr && calibrate_hpet(&tsc, &apic);
	if (!ok) {
		src = "pit";
		ok = calibrate_pit(&tsc, &apic);
	}
	lapic_timer_stop();
	if (ok && tsc && apic) {
		tsc_per_ms = tsc;
		lapic_ticks_per_ms = apic;
	} else {
		src = "defaults";
	}
	kprintf("timer: %s, tsc %lu kHz, lapic %u ticks/ms\n", src, tsc_per_ms, lapic_ticks_per_ms);
}

uint64_t timer_ns(void)
{
	return (uint64_t)((unsigned __int128)rdtsc() * 1000000 / tsc_per_ms);
}

void timer_udelay(uint64_t us)
{
	uint64_t end = rdtsc() + tsc_per_ms * us / 1000;
	while (rdtsc() < end)
		cpu_relax();
}
