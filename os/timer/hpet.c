/*
 * The HPET (IA-PC HPET specification 1.0a): the main counter is the clock,
 * comparator 0 in one-shot mode gives the interrupt, routed by "legacy
 * replacement" to IOAPIC input 2 (where the PIT's IRQ 0 would be, edge
 * triggered, active high).
 *
 * Where the HPET is: the platform would say so in the ACPI HPET table, but
 * neither the kernel's boot info nor core passes it on (os/timer/README.md).
 * So the caller names the base (HPET_DEFAULT_BASE unless configured), and
 * the registers found there must look like an HPET: a revision, a counter
 * period of at most 100 ns, legacy-replacement capability. Unassigned
 * memory reads as zeros or ones and fails these checks.
 */
#include <argil/component.h>
#include <argil/io.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include "device.h"

/* Registers (byte offsets) and their bits. */
#define HPET_GCAP_ID 0x000
#define HPET_GEN_CONF 0x010
#define HPET_MAIN_COUNTER 0x0f0
#define HPET_T0_CONF 0x100
#define HPET_T0_COMP 0x108

#define GCAP_REV(v) ((v) & 0xff)
#define GCAP_COUNT_64 (1ull << 13)
#define GCAP_LEG_RT (1ull << 15)
#define GCAP_VENDOR(v) (((v) >> 16) & 0xffff)
#define GCAP_PERIOD(v) ((v) >> 32)
#define HPET_MAX_PERIOD_FS 100000000ull   /* 100 ns, the specification's limit */

#define CONF_ENABLE (1ull << 0)
#define CONF_LEG_RT (1ull << 1)

#define TN_INT_LEVEL (1ull << 1)
#define TN_INT_ENB (1ull << 2)
#define TN_PERIODIC (1ull << 3)
#define TN_SIZE_64 (1ull << 5)
#define TN_32MODE (1ull << 8)
#define TN_ROUTE_MASK (0x1full << 9)
#define TN_FSB_EN (1ull << 14)

#define FS_PER_US 1000000000ull
/* how far ahead a 32-bit counter may be armed: well within a wrap, so the
 * extension below sees every wrap */
#define NARROW_MAX_AHEAD (1ull << 30)

static uint64_t reg(struct device *d, unsigned off)
{
	return d->regs[off / 8];
}

static void set_reg(struct device *d, unsigned off, uint64_t v)
{
	d->regs[off / 8] = v;
}

/* The counter in extended 64-bit ticks (a 32-bit counter is extended in
 * software; it is read at least every NARROW_MAX_AHEAD ticks, see arm). */
static uint64_t ticks(struct device *d)
{
	uint64_t raw = reg(d, HPET_MAIN_COUNTER);

	if (d->wide)
		return raw;
	raw &= 0xffffffffull;
	if (raw < d->last_raw)
		d->high += 1ull << 32;
	d->last_raw = raw;
	return d->high | raw;
}

static uint64_t hpet_now(struct device *d)
{
	return (uint64_t)((unsigned __int128)(ticks(d) - d->start) * d->period_fs / FS_PER_US);
}

/* The first tick at which hpet_now() reads at least us. */
static uint64_t tick_of(struct device *d, uint64_t us)
{
	unsigned __int128 t = ((unsigned __int128)us * FS_PER_US + d->period_fs - 1) / d->period_fs;

	t += d->start;
	return t > UINT64_MAX ? UINT64_MAX : (uint64_t)t;
}

static bool hpet_arm(struct device *d, uint64_t deadline)
{
	uint64_t target = tick_of(d, deadline), now = ticks(d);
	uint64_t conf = reg(d, HPET_T0_CONF);

	if (now >= target)
		return false;
	if (!d->wide && target - now > NARROW_MAX_AHEAD)
		target = now + NARROW_MAX_AHEAD;   /* an early wake-up, to see the wrap */
	/* one-shot: an edge when the counter reaches the comparator */
	set_reg(d, HPET_T0_CONF, conf | TN_INT_ENB);
	set_reg(d, HPET_T0_COMP, d->wide ? target : (target & 0xffffffffull));
	/* reached while we wrote it? then the match may be gone */
	return ticks(d) < target;
}

static void hpet_disarm(struct device *d)
{
	if (d->wide) {
		set_reg(d, HPET_T0_CONF, reg(d, HPET_T0_CONF) & ~TN_INT_ENB);
		return;
	}
	/* a 32-bit counter must still be looked at before it wraps twice */
	hpet_arm(d, hpet_now(d) + 1000000);
}

rpc_status_t hpet_init(struct device *d, word_t base)
{
	char args[64];
	cptr_t ds = 0;
	word_t addr = 0;
	uint64_t cap, t0;
	rpc_status_t st;

	snprintf(args, sizeof(args), "base=0x%lx, size=0x1000", base);
	d->info[0] = 0;
	st = parent_conn_open(&d->io, "IO_MEM", "hpet", args, 8192, 4);
	if (st != RPC_OK)
		goto fail;
	st = io_mem_dataspace(d->io.cap, &ds, 0, 0);
	if (st == RPC_OK)
		st = pd_attach(COMPONENT_PD, ds, 0, 4096, 0, ATTACH_WRITE, &addr);
	cap_slot_free(ds);   /* the attachment lives on without our copy */
	if (st != RPC_OK)
		goto fail;
	d->regs = (volatile uint64_t *)addr;

	cap = reg(d, HPET_GCAP_ID);
	if (GCAP_REV(cap) == 0 || GCAP_VENDOR(cap) == 0 || GCAP_VENDOR(cap) == 0xffff ||
	    GCAP_PERIOD(cap) == 0 || GCAP_PERIOD(cap) > HPET_MAX_PERIOD_FS) {
		snprintf(d->info, sizeof(d->info), "no HPET at 0x%lx (id register 0x%lx)", base,
			 (word_t)cap);
		st = RPC_E_NOT_FOUND;
		goto fail;
	}
	if (!(cap & GCAP_LEG_RT)) {
		snprintf(d->info, sizeof(d->info), "HPET at 0x%lx cannot route legacy interrupts",
			 base);
		st = RPC_E_UNAVAILABLE;
		goto fail;
	}
	d->period_fs = GCAP_PERIOD(cap);
	d->wide = (cap & GCAP_COUNT_64) && (reg(d, HPET_T0_CONF) & TN_SIZE_64);

	st = parent_conn_open(&d->irq, "IRQ", "hpet", "irq=2, trigger=edge, polarity=high", 8192, 4);
	if (st != RPC_OK) {
		snprintf(d->info, sizeof(d->info), "HPET: no IRQ session for GSI 2 (%s)",
			 rpc_status_name(st));
		goto fail;
	}

	/* comparator 0: one-shot, edge, disabled until armed; FSB off */
	uint64_t conf = reg(d, HPET_T0_CONF);
	conf &= ~(TN_INT_LEVEL | TN_INT_ENB | TN_PERIODIC | TN_ROUTE_MASK | TN_FSB_EN | TN_32MODE);
	if (!d->wide)
		conf |= TN_32MODE;
	set_reg(d, HPET_T0_CONF, conf);
	/* run the counter (the kernel calibrated with it and left it running;
	 * it is never reset here, only read) with legacy replacement routing */
	set_reg(d, HPET_GEN_CONF, reg(d, HPET_GEN_CONF) | CONF_ENABLE | CONF_LEG_RT);

	d->high = 0;
	d->last_raw = 0;
	if (!d->wide)
		d->last_raw = reg(d, HPET_MAIN_COUNTER) & 0xffffffffull;
	d->start = ticks(d);
	/* the counter must move */
	t0 = d->start;
	for (int i = 0; i < 1000000 && ticks(d) == t0; i++)
		;
	if (ticks(d) == t0) {
		snprintf(d->info, sizeof(d->info), "HPET at 0x%lx: the counter does not run", base);
		st = RPC_E_UNAVAILABLE;
		goto fail;
	}
	d->name = "hpet";
	d->now = hpet_now;
	d->arm = hpet_arm;
	d->disarm = hpet_disarm;
	snprintf(d->info, sizeof(d->info), "HPET at 0x%lx, %lu fs per tick, %s counter, GSI 2",
		 base, (word_t)d->period_fs, d->wide ? "64-bit" : "32-bit");
	return RPC_OK;
fail:
	if (!d->info[0])
		snprintf(d->info, sizeof(d->info), "HPET at 0x%lx not usable: %s", base,
			 rpc_status_name(st));
	if (d->regs) {
		pd_detach(COMPONENT_PD, (word_t)d->regs);
		d->regs = 0;
	}
	parent_conn_close(&d->irq);
	parent_conn_close(&d->io);
	return st;
}

bool hpet_legacy_off(word_t base)
{
	struct device h;
	char args[64];
	cptr_t ds = 0;
	word_t addr = 0;
	bool done = false;

	memset(&h, 0, sizeof(h));
	snprintf(args, sizeof(args), "base=0x%lx, size=0x1000", base);
	if (parent_conn_open(&h.io, "IO_MEM", "hpet", args, 8192, 4) != RPC_OK)
		return false;
	if (io_mem_dataspace(h.io.cap, &ds, 0, 0) == RPC_OK &&
	    pd_attach(COMPONENT_PD, ds, 0, 4096, 0, ATTACH_WRITE, &addr) == RPC_OK) {
		h.regs = (volatile uint64_t *)addr;
		uint64_t cap = reg(&h, HPET_GCAP_ID);
		if (GCAP_REV(cap) && GCAP_VENDOR(cap) && GCAP_VENDOR(cap) != 0xffff &&
		    GCAP_PERIOD(cap) && GCAP_PERIOD(cap) <= HPET_MAX_PERIOD_FS &&
		    (reg(&h, HPET_GEN_CONF) & CONF_LEG_RT)) {
			set_reg(&h, HPET_T0_CONF, reg(&h, HPET_T0_CONF) & ~TN_INT_ENB);
			set_reg(&h, HPET_GEN_CONF, reg(&h, HPET_GEN_CONF) & ~CONF_LEG_RT);
			done = true;
		}
		pd_detach(COMPONENT_PD, addr);
	}
	cap_slot_free(ds);
	parent_conn_close(&h.io);
	return done;
}
