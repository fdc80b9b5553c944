/*
 * The AHCI controller (ahci.h): taken from the firmware (BIOS/OS handoff
 * where the HBA offers it), reset (GHC.HR), switched to AHCI mode
 * (GHC.AE), every implemented port stopped and given its memory, the MSI
 * interrupt opened, and then each port with a device started (AHCI 1.3.1
 * section 10.1.2). The interrupt handler walks IS and hands each port
 * its share.
 */
#include <argil/log.h>
#include <argil/string.h>
#include "ahci.h"

static uint32_t hba_read(struct ahci_hba *h, unsigned off)
{
	return (uint32_t)reg_io_read(&h->abar.io, off, 4);
}

/* Wait up to us microseconds for (reg & mask) == want in the HBA block. */
static bool hba_wait(struct ahci_hba *h, unsigned off, uint32_t mask, uint32_t want, uint64_t us)
{
	uint64_t t0 = elapsed_us(h->timer);

	for (;;) {
		if ((hba_read(h, off) & mask) == want)
			return true;
		if (elapsed_us(h->timer) - t0 > us)
			return (hba_read(h, off) & mask) == want;
		sleep_us(h->timer, 100);
	}
}

/* BIOS/OS handoff (10.6): ask for ownership, give the BIOS 25 ms to let
 * go and, if it says it is busy, two seconds more. */
static void handoff(struct ahci_hba *h)
{
	if (!FIELD_GET(HBA_CAP2, BOH, REG_READ(&h->abar.io, HBA_CAP2)))
		return;
	REG_UPDATE(&h->abar.io, HBA_BOHC, OOS, 1);
	uint32_t bos = FIELD_SET(HBA_BOHC, BOS, 1);
	if (hba_wait(h, HBA_BOHC_OFF, bos, 0, 25000))
		return;
	if (FIELD_GET(HBA_BOHC, BB, REG_READ(&h->abar.io, HBA_BOHC)) &&
	    hba_wait(h, HBA_BOHC_OFF, bos, 0, 2000000))
		return;
	log("warning: the BIOS did not hand the HBA over (BOHC 0x%x); taking it anyway",
	    REG_READ(&h->abar.io, HBA_BOHC));
}

const char *ahci_hba_init(struct ahci_hba *h, struct platform_connection *p,
			  struct timer_connection *t, const char *name, cptr_t irq_sigh)
{
	rpc_status_t st;

	h->plat = p;
	h->timer = t;
	st = drv_device_acquire(&h->dev, p, name);
	if (st != RPC_OK)
		return "cannot acquire the controller";
	st = drv_mmio_map(&h->dev, AHCI_ABAR, 0, &h->abar);
	if (st != RPC_OK)
		return "cannot map ABAR (BAR 5)";
	if (h->abar.size < AHCI_PORT_BASE(1))
		return "ABAR is too small for one port";
	handoff(h);

	/* AE first (some HBAs take the reset only in AHCI mode), then the
	 * reset, which clears AE again */
	REG_UPDATE(&h->abar.io, HBA_GHC, AE, 1);
	REG_UPDATE(&h->abar.io, HBA_GHC, HR, 1);
	if (!hba_wait(h, HBA_GHC_OFF, FIELD_SET(HBA_GHC, HR, 1), 0, 1000000))
		return "the HBA reset did not finish within a second";
	REG_UPDATE(&h->abar.io, HBA_GHC, AE, 1);
	if (!FIELD_GET(HBA_GHC, AE, REG_READ(&h->abar.io, HBA_GHC)))
		return "GHC.AE does not stay set";

	h->cap = REG_READ(&h->abar.io, HBA_CAP);
	h->pi = REG_READ(&h->abar.io, HBA_PI);
	h->nslots = FIELD_GET(HBA_CAP, NCS, h->cap) + 1u;
	h->s64a = FIELD_GET(HBA_CAP, S64A, h->cap);
	uint32_t vs = REG_READ(&h->abar.io, HBA_VS);
	HBA_LOG(h, "%s: AHCI %x.%x, %u ports (implemented 0x%x), %u slots%s%s", name,
		FIELD_GET(HBA_VS, MJR, vs), FIELD_GET(HBA_VS, MNR, vs),
		FIELD_GET(HBA_CAP, NP, h->cap) + 1u, h->pi, h->nslots,
		FIELD_GET(HBA_CAP, SNCQ, h->cap) ? ", NCQ" : "", h->s64a ? ", 64-bit" : "");

	/* every implemented port idle and with its memory, interrupts off */
	REG_UPDATE(&h->abar.io, HBA_GHC, IE, 0);
	for (unsigned i = 0; i < AHCI_PORTS_MAX; i++) {
		struct ahci_port *port = &h->port[i];
		port->hba = h;
		port->index = i;
		port->state = PORT_EMPTY;
		if (!(h->pi & (1u << i)))
			continue;
		if (AHCI_PORT_BASE(i) + 0x80u > h->abar.size) {
			log("port %u: outside ABAR, ignored", i);
			h->pi &= ~(1u << i);
			continue;
		}
		const char *why = ahci_port_init(port);
		if (why) {
			log("error: port %u: %s", i, why);
			h->pi &= ~(1u << i);
		}
	}

	st = drv_irq_open(&h->irq, &h->dev, 0, irq_sigh);
	if (st != RPC_OK)
		return "cannot open the interrupt";
	REG_WRITE(&h->abar.io, HBA_IS, 0xffffffffu);
	REG_UPDATE(&h->abar.io, HBA_GHC, IE, 1);

	/* the reset's COMRESET and spin-up: links are up within 10 ms
	 * (SATA: COMINIT answers COMRESET within 10 ms) */
	sleep_us(h->timer, 10000);
	for (unsigned i = 0; i < AHCI_PORTS_MAX; i++) {
		if (!(h->pi & (1u << i)))
			continue;
		const char *why = ahci_port_start(&h->port[i]);
		if (why)
			HBA_LOG(h, "port %u: %s", i, why);
	}
	return 0;
}

void ahci_hba_irq(struct ahci_hba *h)
{
	/* each port's status is cleared before IS (10.7.2); a port that
	 * raises its bit again meanwhile is seen in the next round */
	for (int round = 0; round < 8; round++) {
		uint32_t is = REG_READ(&h->abar.io, HBA_IS);
		if (!is)
			break;
		for (unsigned i = 0; i < AHCI_PORTS_MAX; i++) {
			if (!(is & (1u << i)))
				continue;
			if (h->pi & (1u << i))
				ahci_port_interrupt(&h->port[i]);
			else
				reg_io_write(&h->abar.io, AHCI_PORT_BASE(i) + PX_IS_OFF, 4, 0xffffffffu);
		}
		REG_WRITE(&h->abar.io, HBA_IS, is);
	}
	drv_irq_ack(&h->irq);
}

void ahci_hba_tick(struct ahci_hba *h)
{
	for (unsigned i = 0; i < AHCI_PORTS_MAX; i++) {
		struct ahci_port *p = &h->port[i];
		if (p->state != PORT_READY || !p->in_flight) {
			p->stuck = 0;
			p->progress = 0;
			continue;
		}
		if (p->progress) {
			p->stuck = 0;
			p->progress = 0;
			continue;
		}
		if (++p->stuck >= AHCI_STUCK_TICKS) {
			p->stuck = 0;
			ahci_port_recover(p, "commands made no progress for 10 s");
		}
	}
}

void ahci_hba_fini(struct ahci_hba *h)
{
	for (unsigned i = 0; i < AHCI_PORTS_MAX; i++) {
		struct ahci_port *p = &h->port[i];
		if (p->state == PORT_READY) {
			reg_io_write(&p->io, PX_CMD_OFF, 4,
				     reg_io_read(&p->io, PX_CMD_OFF, 4) & ~(uint32_t)FIELD_SET(PX_CMD, ST, 1));
		}
		if (p->mem.ds)
			dma_buf_free(h->plat, &p->mem);
	}
	if (h->abar.attached) {
		REG_UPDATE(&h->abar.io, HBA_GHC, IE, 0);
		drv_mmio_unmap(&h->abar);
	}
	drv_irq_close(&h->irq);
	drv_device_release(&h->dev);
	memset(h, 0, sizeof(*h));
}
