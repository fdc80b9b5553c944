/*
 * A device in a session's hands (platform.h): acquire (checked against
 * configuration space, decoding and bus mastering on), its register
 * ranges as I/O-memory dataspaces and I/O port capabilities from core
 * (platform holds the sessions, the holder gets capabilities that stop
 * working when the device is released), its configuration space with
 * platform's registers protected, and release (interrupts closed, bus
 * mastering and decoding off, FLR where the PCIe capability offers it,
 * the configuration header restored for the next holder).
 */
#include <argil/component.h>
#include <argil/heap.h>
#include <argil/io.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include "pci.h"
#include "platform.h"

#define FLR_POLLS 100000
/* What an IO_MEM session of n pages needs at core (its frame table, the
 * frames' capability slots and their share of CSpace leaves). */
#define IOMEM_RAM(n) (32768ul + (n) * 96)
#define IOMEM_CAPS(n) (16ul + (n))

/*
 * Closes held back. A release may run while the parent waits in a call to
 * platform (ROOT_CLOSE: init ends a dead driver's session and blocks until
 * platform replies); closing one of platform's own sessions at that parent
 * then would wait for a parent that waits for us. So a release does
 * everything local at once (interrupts, bus mastering, FLR, mappings,
 * holder) and queues the closes of its IO_PORT, IO_MEM and IRQ sessions;
 * the queue is worked off by a signal platform sends itself (it arrives
 * once the reply to the call in progress has gone out), at the start
 * of every Platform request and at the end of RELEASE (the client's
 * capabilities are dead when its release returns), so no device is acquired again and no line
 * reopened while an old session of it is still open at the parent.
 */
struct closing {
	struct parent_conn s;
	struct closing *next;
};

static struct closing *closing, **closing_tail = &closing;
static int defer_closes;   /* > 0: dev_session_close queues */
static struct signal_handler closing_sig;

void dev_closes_flush(void)
{
	while (closing) {
		struct closing *c = closing;
		closing = c->next;
		if (!closing)
			closing_tail = &closing;
		parent_conn_close(&c->s);
		free(c);
	}
}

static void closing_fired(void *arg)
{
	(void)arg;
	dev_closes_flush();
}

rpc_status_t dev_closes_init(struct entrypoint *ep)
{
	return signal_handler_init(ep, &closing_sig, closing_fired, 0);
}

void dev_session_close(struct parent_conn *s)
{
	if (!s->cap)
		return;
	if (defer_closes > 0 && closing_sig.cap) {
		struct closing *c = malloc(sizeof(*c));
		if (c) {
			c->s = *s;
			c->next = 0;
			*closing_tail = c;
			closing_tail = &c->next;
			s->cap = 0;
			signal_submit(closing_sig.cap);
			return;
		}
		log("error: no heap to defer the close of session %lu at the parent: closed now",
		    s->id);
	}
	parent_conn_close(s);
}

struct pdev *held_device(struct session *s, word_t handle)
{
	if (handle < 1 || handle > MAX_HELD)
		return 0;
	struct pdev *d = s->held[handle - 1];
	return d && d->holder == s ? d : 0;
}

/* The capability list: MSI, MSI-X and PCIe offsets (bounded walk). */
void device_find_caps(struct pdev *d)
{
	d->cap_msi = d->cap_msix = d->cap_pcie = 0;
	d->flr = false;
	if (!(pci_rd(d->bdf, PCI_STATUS, 2) & PCI_STATUS_CAPS))
		return;
	unsigned p = pci_rd(d->bdf, PCI_CAP_PTR, 1) & 0xfc;
	for (int i = 0; i < 48 && p >= 0x40; i++) {
		unsigned id = pci_rd(d->bdf, p, 1);
		if (id == PCI_CAP_MSI && !d->cap_msi)
			d->cap_msi = p;
		else if (id == PCI_CAP_MSIX && !d->cap_msix)
			d->cap_msix = p;
		else if (id == PCI_CAP_PCIE && !d->cap_pcie)
			d->cap_pcie = p;
		p = pci_rd(d->bdf, p + 1, 1) & 0xfc;
	}
	if (d->cap_pcie)
		d->flr = pci_rd(d->bdf, d->cap_pcie + 4, 4) & (1u << 28);
}

/* Does the BAR register hold what the report says? */
static bool bar_matches(struct pdev *d, unsigned i)
{
	struct range *r = &d->bar[i];
	uint32_t lo = pci_rd(d->bdf, PCI_BAR0 + 4 * i, 4);

	if (r->type == R_IO)
		return (lo & 1) && (lo & ~3u) == r->base;
	if (lo & 1)
		return false;
	uint64_t a = lo & ~0xfull;
	if (r->type == R_MEM64) {
		if (i + 1 >= MAX_BARS)
			return false;
		a |= (uint64_t)pci_rd(d->bdf, PCI_BAR0 + 4 * (i + 1), 4) << 32;
	}
	return a == r->base;
}

rpc_status_t device_acquire(struct session *s, struct pdev *d)
{
	int slot = -1;

	for (int i = 0; i < MAX_HELD; i++) {
		if (s->held[i] == d && d->holder == s)
			return RPC_OK;   /* caller finds the handle */
		if (!s->held[i] && slot < 0)
			slot = i;
	}
	if (d->holder || d->hp_port)
		return RPC_E_BUSY;   /* held, or a hot-plug port platform drives */
	if (slot < 0)
		return RPC_E_UNAVAILABLE;
	if (d->pci) {
		uint32_t id = pci_rd(d->bdf, PCI_VENDOR, 4);
		if ((id & 0xffff) != d->vendor || (id >> 16) != d->product) {
			log("error: %s: configuration space says %04x:%04x, the report %04x:%04x",
			    d->name, id & 0xffff, id >> 16, d->vendor, d->product);
			return RPC_E_UNAVAILABLE;
		}
		device_find_caps(d);
		uint32_t cmd = pci_rd(d->bdf, PCI_COMMAND, 2);
		cmd |= PCI_CMD_MASTER;
		for (unsigned i = 0; i < MAX_BARS; i++) {
			if (d->bar[i].type == R_NONE)
				continue;
			if (!bar_matches(d, i)) {
				log("error: %s: BAR %u does not hold the reported address 0x%lx", d->name,
				    i, (unsigned long)d->bar[i].base);
				return RPC_E_UNAVAILABLE;
			}
			cmd |= d->bar[i].type == R_IO ? PCI_CMD_IO : PCI_CMD_MEM;
		}
		pci_wr(d->bdf, PCI_COMMAND, 2, cmd);
	}
	d->holder = s;
	d->irq_kind = -1;
	s->held[slot] = d;
	iommu_attach(s, d);
	if (verbose)
		log("%s acquired by \"%s\"", d->name, s->ss.label);
	platform_report();
	return RPC_OK;
}

word_t device_handle(struct session *s, struct pdev *d)
{
	for (int i = 0; i < MAX_HELD; i++)
		if (s->held[i] == d)
			return (word_t)i + 1;
	return 0;
}

static void close_ranges(struct pdev *d)
{
	for (unsigned i = 0; i < MAX_BARS; i++) {
		if (d->iomem_va[i])
			pd_detach(COMPONENT_PD, (word_t)d->iomem_va[i]);
		d->iomem_va[i] = 0;
		if (d->iomem_ds[i])
			cap_slot_free(d->iomem_ds[i]);
		d->iomem_ds[i] = 0;
		dev_session_close(&d->iomem[i]);
		if (d->ioport_cap[i])
			cap_slot_free(d->ioport_cap[i]);
		d->ioport_cap[i] = 0;
		dev_session_close(&d->ioport[i]);
	}
}

static void flr(struct pdev *d)
{
	uint32_t hdr[16];

	for (unsigned i = 0; i < 16; i++)
		hdr[i] = pci_rd(d->bdf, 4 * i, 4);
	/* no transactions pending (device status bit 5), then initiate */
	for (int i = 0; i < FLR_POLLS && (pci_rd(d->bdf, d->cap_pcie + 0xa, 2) & 0x20); i++)
		;
	uint32_t ctl = pci_rd(d->bdf, d->cap_pcie + 8, 2);
	pci_wr(d->bdf, d->cap_pcie + 8, 2, ctl | 0x8000);
	platform_delay_ms(100);
	for (int i = 0; i < FLR_POLLS && pci_rd(d->bdf, PCI_VENDOR, 2) == 0xffff; i++)
		;
	/* the BARs and the rest of the header as they were, decoding off */
	for (unsigned i = 1; i < 16; i++)
		if (i != 1 && i != 2)
			pci_wr(d->bdf, 4 * i, 4, hdr[i]);
	pci_wr(d->bdf, PCI_COMMAND, 2, (hdr[1] & 0xffff & ~(PCI_CMD_MASTER | PCI_CMD_MEM |
							    PCI_CMD_IO)) | PCI_CMD_INTX_DISABLE);
}

void device_release(struct pdev *d)
{
	struct session *s = d->holder;

	if (!s)
		return;
	defer_closes++;
	irq_close_all(d);
	if (d->pci) {
		uint32_t cmd = pci_rd(d->bdf, PCI_COMMAND, 2);
		cmd &= ~(PCI_CMD_MASTER | PCI_CMD_MEM | PCI_CMD_IO);
		pci_wr(d->bdf, PCI_COMMAND, 2, cmd | PCI_CMD_INTX_DISABLE);
		if (d->flr && d->cap_pcie)
			flr(d);
	}
	close_ranges(d);
	iommu_detach(d);
	for (int i = 0; i < MAX_HELD; i++)
		if (s->held[i] == d)
			s->held[i] = 0;
	d->holder = 0;
	d->irq_kind = -1;
	defer_closes--;
	if (verbose)
		log("%s released by \"%s\"%s", d->name, s->ss.label, d->flr ? " (FLR)" : "");
	platform_report();
}

/* ---- register ranges ---- */

rpc_status_t device_iomem(struct pdev *d, word_t index, bool wc)
{
	char args[96];
	rpc_status_t st;

	if (index >= MAX_BARS || (d->bar[index].type != R_MEM32 && d->bar[index].type != R_MEM64))
		return RPC_E_INVALID_ARGUMENT;
	if (d->iomem_ds[index])
		return d->iomem_wc[index] == wc ? RPC_OK : RPC_E_BUSY;
	struct range *r = &d->bar[index];
	uint64_t base = r->base & ~0xfffull;
	uint64_t end = (r->base + r->size + 0xfff) & ~0xfffull;
	word_t pages = (word_t)((end - base) >> 12);
	snprintf(args, sizeof(args), "base=0x%lx, size=0x%lx%s", (unsigned long)base,
		 (unsigned long)(end - base), wc ? ", wc=yes" : "");
	st = parent_conn_open(&d->iomem[index], "IO_MEM", d->name, args, IOMEM_RAM(pages),
			      IOMEM_CAPS(pages));
	if (st != RPC_OK) {
		log("error: %s: IO_MEM %s: %s", d->name, args, rpc_status_name(st));
		return st == RPC_E_BUSY ? RPC_E_BUSY : RPC_E_UNAVAILABLE;
	}
	st = io_mem_dataspace(d->iomem[index].cap, &d->iomem_ds[index], 0, 0);
	if (st != RPC_OK) {
		d->iomem_ds[index] = 0;
		dev_session_close(&d->iomem[index]);
		return RPC_E_UNAVAILABLE;
	}
	d->iomem_wc[index] = wc;
	return RPC_OK;
}

/* Platform's own mapping of a memory BAR (MSI-X tables): the register
 * block's first byte, NULL if it cannot be had. */
volatile uint8_t *device_map(struct pdev *d, word_t index)
{
	word_t at;

	if (d->iomem_va[index])
		return d->iomem_va[index] + (d->bar[index].base & 0xfff);
	if (device_iomem(d, index, d->iomem_ds[index] ? d->iomem_wc[index] : false) != RPC_OK)
		return 0;
	if (pd_attach(COMPONENT_PD, d->iomem_ds[index], 0, 0, 0, ATTACH_WRITE, &at) != RPC_OK)
		return 0;
	d->iomem_va[index] = (volatile uint8_t *)at;
	return d->iomem_va[index] + (d->bar[index].base & 0xfff);
}

rpc_status_t device_ioport(struct pdev *d, word_t index, struct range **out)
{
	char args[64];
	rpc_status_t st;
	struct range *r;

	if (index >= MAX_BARS)
		return RPC_E_INVALID_ARGUMENT;
	r = d->pci ? &d->bar[index] : index < MAX_ISA ? &d->io[index] : 0;
	if (!r || r->type != R_IO || r->base + r->size > 0x10000)
		return RPC_E_INVALID_ARGUMENT;
	*out = r;
	if (d->ioport_cap[index])
		return RPC_OK;
	snprintf(args, sizeof(args), "base=0x%lx, size=%lu", (unsigned long)r->base,
		 (unsigned long)r->size);
	st = parent_conn_open(&d->ioport[index], "IO_PORT", d->name, args, 8192, 4);
	if (st != RPC_OK) {
		log("error: %s: IO_PORT %s: %s", d->name, args, rpc_status_name(st));
		return st == RPC_E_BUSY ? RPC_E_BUSY : RPC_E_UNAVAILABLE;
	}
	st = io_port_cap(d->ioport[index].cap, &d->ioport_cap[index]);
	if (st != RPC_OK) {
		d->ioport_cap[index] = 0;
		dev_session_close(&d->ioport[index]);
		return RPC_E_UNAVAILABLE;
	}
	return RPC_OK;
}

/* ---- configuration space of a held device ---- */

static bool overlaps(unsigned off, unsigned width, unsigned start, unsigned len)
{
	return off < start + len && start < off + width;
}

rpc_status_t device_config_write(struct pdev *d, unsigned off, unsigned width, uint32_t value)
{
	if (!d->pci)
		return RPC_E_INVALID_ARGUMENT;
	if ((width != 1 && width != 2 && width != 4) || off % width || off >= pci_cfg_limit() ||
	    (width < 4 && value >> (8 * width)))
		return RPC_E_INVALID_ARGUMENT;
	bool bridge = (pci_rd(d->bdf, PCI_HEADER_TYPE, 1) & 0x7f) == 1;
	/* the command register: only bits platform does not own may change */
	if (overlaps(off, width, PCI_COMMAND, 2)) {
		uint32_t owned = PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER | PCI_CMD_INTX_DISABLE;
		uint32_t cur = pci_rd(d->bdf, PCI_COMMAND, 2), next = cur;
		for (unsigned j = 0; j < width; j++) {
			unsigned k = off + j;
			uint32_t byte = (value >> 8 * j) & 0xff;
			if (k == PCI_COMMAND)
				next = (next & 0xff00) | byte;
			else if (k == PCI_COMMAND + 1)
				next = (next & 0x00ff) | byte << 8;
		}
		if ((next ^ cur) & owned)
			return RPC_E_DENIED;
	}
	if (overlaps(off, width, PCI_BAR0, bridge ? 0x2c : 0x18) ||
	    overlaps(off, width, bridge ? PCI_ROM_BAR1 : PCI_ROM_BAR0, 4) ||
	    overlaps(off, width, PCI_CAP_PTR, 1) ||
	    (d->cap_msi && overlaps(off, width, d->cap_msi, 24)) ||
	    (d->cap_msix && overlaps(off, width, d->cap_msix, 12)) ||
	    (d->cap_pcie && overlaps(off, width, d->cap_pcie + 8, 2)))
		return RPC_E_DENIED;
	pci_wr(d->bdf, off, width, value);
	return RPC_OK;
}

rpc_status_t device_config_read(struct pdev *d, unsigned off, unsigned width, uint32_t *value)
{
	if (!d->pci)
		return RPC_E_INVALID_ARGUMENT;
	return pci_read(d->bdf, off, width, value);
}
