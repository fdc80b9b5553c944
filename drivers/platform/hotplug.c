/*
 * PCIe native hot-plug (platform.h; docs/devices.md, "Hot-plug"). platform
 * owns configuration space, so it is the hot-plug controller's driver:
 * every PCIe root or downstream port of the devices report whose slot
 * says Hot-Plug Capable becomes platform's own (no session may acquire
 * it): its interrupt (MSI-X, MSI or its routed legacy line, through
 * irq.c) is signalled to platform, and the slot's events are enabled:
 * presence detect changed, data link layer state changed, attention
 * button pressed.
 *
 *  - A card arrives (presence detect set or the attention button pressed
 *    while the slot is powered off with a card in it): platform
 *    powers the slot on (Power Controller Control on, power indicator on),
 *    waits for the link where the port reports it, gives the new
 *    functions' BARs addresses from the port's windows (the firmware saw
 *    no card there) and turns their decoding on. Then it signals every
 *    session that asked for hot-plug signals (PLATFORM_HOTPLUG_SIGH,
 *    pci_config sessions: pci_decode), which walks again; the new devices
 *    report makes driver_manager start the driver.
 *  - The attention button on a powered slot (QEMU's device_del presses
 *    it: a removal request): platform releases every device below the port from its
 *    holder (interrupts closed, bus mastering off, register capabilities
 *    revoked), hides them from every session, and powers the slot off
 *    (power indicator off, Power Controller Control off), which is the
 *    acknowledgement the port waits for before it lets the card go. Then
 *    the hot-plug signal: pci_decode walks, the devices are gone from its
 *    report, driver_manager stops their driver. A driver still using the
 *    device meanwhile finds its registers gone (it faults or waits) and
 *    touches nothing else.
 *  - A card that goes without a request (presence detect cleared): the
 *    same, the slot powered off.
 */
#include <argil/component.h>
#include <argil/entrypoint.h>
#include <argil/log.h>
#include <argil/string.h>
#include "pci.h"
#include "platform.h"

#define MAX_PORTS 32

/* PCI Express capability registers (offsets from the capability) */
#define PCIE_CAPS 0x02
#define PCIE_LINK_CAPS 0x0c
#define PCIE_LINK_STATUS 0x12
#define PCIE_SLOT_CAPS 0x14
#define PCIE_SLOT_CTL 0x18
#define PCIE_SLOT_STATUS 0x1a

#define PCIE_CAPS_SLOT (1u << 8)
#define PCIE_TYPE_ROOT_PORT 4
#define PCIE_TYPE_DOWNSTREAM 6
#define LINK_CAPS_DLLLARC (1u << 20)
#define LINK_STATUS_DLLLA (1u << 13)
#define SLOT_CAPS_ABP (1u << 0)
#define SLOT_CAPS_PCP (1u << 1)
#define SLOT_CAPS_HPC (1u << 6)
/* Slot Control */
#define CTL_ABPE (1u << 0)
#define CTL_PDCE (1u << 3)
#define CTL_HPIE (1u << 5)
#define CTL_AIC_MASK (3u << 6)
#define CTL_AIC_OFF (3u << 6)
#define CTL_PIC_MASK (3u << 8)
#define CTL_PIC_ON (1u << 8)
#define CTL_PIC_OFF (3u << 8)
#define CTL_PCC (1u << 10)           /* 1: power off */
#define CTL_DLLSCE (1u << 12)
/* Slot Status */
#define ST_ABP (1u << 0)
#define ST_PFD (1u << 1)
#define ST_MRLSC (1u << 2)
#define ST_PDC (1u << 3)
#define ST_CC (1u << 4)
#define ST_PDS (1u << 6)
#define ST_DLLSC (1u << 8)
#define ST_EVENTS (ST_ABP | ST_PFD | ST_MRLSC | ST_PDC | ST_CC | ST_DLLSC)

struct hp_port {
	struct pdev *d;
	unsigned cap;                /* the PCI Express capability */
	uint32_t slot_caps;
	bool dllla;                  /* link active reporting */
	struct signal_handler sig;
};

static struct entrypoint *ep;
static struct hp_port ports[MAX_PORTS];
static unsigned nports;

static unsigned rd16(struct hp_port *p, unsigned reg) { return pci_rd(p->d->bdf, p->cap + reg, 2); }
static void wr16(struct hp_port *p, unsigned reg, unsigned v) { pci_wr(p->d->bdf, p->cap + reg, 2, v); }

static unsigned secondary(struct hp_port *p) { return pci_rd(p->d->bdf, 0x19, 1); }
static unsigned subordinate(struct hp_port *p) { return pci_rd(p->d->bdf, 0x1a, 1); }

static bool below(struct hp_port *p, const struct pdev *d)
{
	unsigned bus = d->bdf >> 8, sec = secondary(p), sub = subordinate(p);
	return d->pci && sec && bus >= sec && bus <= sub;
}

/* ---- BARs of a card the firmware never saw ---- */

struct window {
	uint64_t next, limit;        /* next free address, last address */
	bool ok;
};

static struct window mem_window(unsigned bdf)
{
	unsigned b = pci_rd(bdf, 0x20, 2), l = pci_rd(bdf, 0x22, 2);
	uint64_t base = (uint64_t)(b & 0xfff0) << 16, lim = ((uint64_t)(l & 0xfff0) << 16) | 0xfffff;
	return (struct window){ base, lim, base && base < lim };
}

static struct window pref_window(unsigned bdf)
{
	unsigned b = pci_rd(bdf, 0x24, 2), l = pci_rd(bdf, 0x26, 2);
	uint64_t base = (uint64_t)(b & 0xfff0) << 16, lim = ((uint64_t)(l & 0xfff0) << 16) | 0xfffff;
	if ((b & 0xf) == 1) {
		base |= (uint64_t)pci_rd(bdf, 0x28, 4) << 32;
		lim |= (uint64_t)pci_rd(bdf, 0x2c, 4) << 32;
	}
	return (struct window){ base, lim, base && base < lim };
}

static struct window io_window(unsigned bdf)
{
	unsigned b = pci_rd(bdf, 0x1c, 1), l = pci_rd(bdf, 0x1d, 1);
	uint64_t base = (uint64_t)(b & 0xf0) << 8, lim = ((uint64_t)(l & 0xf0) << 8) | 0xfff;
	if ((b & 0xf) == 1) {
		base |= (uint64_t)pci_rd(bdf, 0x30, 2) << 16;
		lim |= (uint64_t)pci_rd(bdf, 0x32, 2) << 16;
	}
	return (struct window){ base, lim, base && base < lim };
}

static bool take(struct window *w, uint64_t size, uint64_t *addr)
{
	uint64_t a = (w->next + size - 1) & ~(size - 1);
	if (!w->ok || a < w->next || a + size - 1 > w->limit || a + size - 1 < a)
		return false;
	*addr = a;
	w->next = a + size;
	return true;
}

struct bar { unsigned index; uint64_t size; bool io, wide, pref; };

/* Size the BARs of function bdf (decoding off meanwhile), give each an
 * address from the port's windows, largest first, and turn decoding on. */
static void assign_bars(struct hp_port *p, unsigned bdf, struct window *mem,
			struct window *pref, struct window *io)
{
	struct bar bars[6];
	unsigned n = 0, cmd = pci_rd(bdf, PCI_COMMAND, 2), on = 0;

	pci_wr(bdf, PCI_COMMAND, 2, cmd & ~(PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER));
	for (unsigned i = 0; i < 6; i++) {
		unsigned reg = PCI_BAR0 + 4 * i;
		uint32_t old = pci_rd(bdf, reg, 4);
		pci_wr(bdf, reg, 4, 0xffffffffu);
		uint32_t v = pci_rd(bdf, reg, 4);
		pci_wr(bdf, reg, 4, old);
		if (!v || v == 0xffffffffu)
			continue;
		struct bar b = { .index = i };
		if (v & 1) {
			b.io = true;
			b.size = (~(v & ~3u) + 1) & 0xffff;
		} else {
			uint64_t mask = v & ~0xfull;
			b.pref = v & 8;
			if (((v >> 1) & 3) == 2 && i < 5) {
				uint32_t oh = pci_rd(bdf, reg + 4, 4);
				pci_wr(bdf, reg + 4, 4, 0xffffffffu);
				mask |= (uint64_t)pci_rd(bdf, reg + 4, 4) << 32;
				pci_wr(bdf, reg + 4, 4, oh);
				b.wide = true;
				i++;
			} else {
				mask |= 0xffffffff00000000ull;
			}
			b.size = ~mask + 1;
		}
		if (!b.size || (b.size & (b.size - 1))) {
			log("error: hot-plug %02x:%02x.%x: BAR %u sizes to 0x%lx: left unassigned",
			    bdf >> 8, (bdf >> 3) & 31, bdf & 7, b.index, (unsigned long)b.size);
			continue;
		}
		bars[n++] = b;
	}
	/* largest first: each takes the next naturally aligned place */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && bars[j - 1].size < bars[j].size; j--) {
			struct bar t = bars[j];
			bars[j] = bars[j - 1];
			bars[j - 1] = t;
		}
	for (unsigned i = 0; i < n; i++) {
		struct bar *b = &bars[i];
		uint64_t a = 0;
		bool got = b->io ? take(io, b->size, &a)
			 : (b->pref && b->wide && take(pref, b->size, &a)) || take(mem, b->size, &a) ||
			   (b->wide && take(pref, b->size, &a));
		if (!got) {
			log("error: hot-plug %02x:%02x.%x: BAR %u (0x%lx bytes) does not fit the "
			    "windows of port %s: left unassigned", bdf >> 8, (bdf >> 3) & 31, bdf & 7,
			    b->index, (unsigned long)b->size, p->d->name);
			continue;
		}
		unsigned reg = PCI_BAR0 + 4 * b->index;
		pci_wr(bdf, reg, 4, (uint32_t)a | (pci_rd(bdf, reg, 4) & (b->io ? 3u : 0xfu)));
		if (b->wide)
			pci_wr(bdf, reg + 4, 4, (uint32_t)(a >> 32));
		on |= b->io ? PCI_CMD_IO : PCI_CMD_MEM;
	}
	pci_wr(bdf, PCI_COMMAND, 2, (cmd & ~PCI_CMD_MASTER) | on);
}

static void assign_all(struct hp_port *p)
{
	struct window mem = mem_window(p->d->bdf), pref = pref_window(p->d->bdf),
		      io = io_window(p->d->bdf);
	unsigned bus = secondary(p);

	if (!bus)
		return;
	for (unsigned fn = 0; fn < 8; fn++) {
		unsigned bdf = bus << 8 | fn;
		uint32_t id = pci_rd(bdf, PCI_VENDOR, 4);
		if ((id & 0xffff) == 0xffff || !(id & 0xffff)) {
			if (!fn)
				return;
			continue;
		}
		assign_bars(p, bdf, &mem, &pref, &io);
		if (!fn && !(pci_rd(bdf, PCI_HEADER_TYPE, 1) & 0x80))
			return;   /* not multi-function */
	}
}

/* ---- slot events ---- */

static void power(struct hp_port *p, bool on)
{
	if (!(p->slot_caps & SLOT_CAPS_PCP))
		return;
	unsigned ctl = rd16(p, PCIE_SLOT_CTL) & ~(CTL_PIC_MASK | CTL_PCC | CTL_AIC_MASK);
	wr16(p, PCIE_SLOT_CTL, ctl | CTL_AIC_OFF | (on ? CTL_PIC_ON : CTL_PIC_OFF | CTL_PCC));
}

static bool powered(struct hp_port *p)
{
	return !(p->slot_caps & SLOT_CAPS_PCP) || !(rd16(p, PCIE_SLOT_CTL) & CTL_PCC);
}

/* The devices below the port go: released from their holders, hidden
 * from every session until a devices report says otherwise. */
static unsigned release_below(struct hp_port *p)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ndevices; i++) {
		struct pdev *d = &devices[i];
		if (!d->present || !below(p, d) || d->hp_port)
			continue;
		if (d->holder) {
			log("hot-plug: %s leaves its slot: released by \"%s\"", d->name,
			    d->holder->ss.label);
			device_release(d);
		}
		d->present = false;
		n++;
	}
	if (n) {
		devices_version++;
		sessions_changed();
		platform_report();
	}
	return n;
}

static void card_in(struct hp_port *p)
{
	if (!powered(p)) {
		power(p, true);
		log("hot-plug: slot of %s: card present, powered on", p->d->name);
	}
	if (p->dllla) {
		/* the link comes up within 100 ms of power (PCIe base spec) */
		for (int i = 0; i < 10 && !(rd16(p, PCIE_LINK_STATUS) & LINK_STATUS_DLLLA); i++)
			platform_delay_ms(10);
	}
	assign_all(p);
}

static void card_out(struct hp_port *p, const char *why)
{
	unsigned n = release_below(p);
	bool was = powered(p) && (p->slot_caps & SLOT_CAPS_PCP);

	power(p, false);
	if (n || was)
		log("hot-plug: slot of %s: %s: %u devices gone%s", p->d->name, why, n,
		    was ? ", powered off" : "");
}

/*
 * The attention button asks for the other state (PCIe base spec, slot
 * power control): a powered slot is to be emptied, an unpowered one with
 * a card in it to be powered (QEMU presses it with every device_add and
 * device_del). A presence change without it: a card pushed in or pulled.
 */
static void port_fired(void *arg)
{
	struct hp_port *p = arg;
	bool changed = false;

	for (int round = 0; round < 8; round++) {
		unsigned st = rd16(p, PCIE_SLOT_STATUS);
		if (st == 0xffff || !(st & ST_EVENTS))
			break;
		wr16(p, PCIE_SLOT_STATUS, st & ST_EVENTS);   /* write 1 to clear */
		if (verbose)
			log("hot-plug: slot of %s: status 0x%x", p->d->name, st);
		bool present = rd16(p, PCIE_SLOT_STATUS) & ST_PDS, on = powered(p);
		bool arrived = (st & ST_PDC) && present;
		if ((st & ST_ABP) && on && !arrived && (p->slot_caps & SLOT_CAPS_PCP)) {
			card_out(p, "attention button (removal request)");
			changed = true;
		} else if ((st & (ST_ABP | ST_PDC | ST_DLLSC)) && present && !on) {
			card_in(p);
			changed = true;
		} else if ((st & (ST_PDC | ST_DLLSC)) && !present) {
			card_out(p, "card removed");
			changed = true;
		} else if (arrived) {
			/* a card in a slot that had power (or has no power control) */
			assign_all(p);
			changed = true;
		}
	}
	irq_ack_vector(p->d, 0);
	if (changed)
		hotplug_notify_sessions();
}

static struct hp_port *port_of(const struct pdev *d)
{
	for (unsigned i = 0; i < nports; i++)
		if (ports[i].d == d)
			return &ports[i];
	return 0;
}

/* Take d as a hot-plug port if it is one. */
static void take_port(struct pdev *d)
{
	word_t kind;

	if (nports == MAX_PORTS) {
		log("error: more than %u hot-plug ports: %s left alone", MAX_PORTS, d->name);
		return;
	}
	device_find_caps(d);
	if (!d->cap_pcie)
		return;
	unsigned caps = pci_rd(d->bdf, d->cap_pcie + PCIE_CAPS, 2), type = (caps >> 4) & 0xf;
	if (!(caps & PCIE_CAPS_SLOT) || (type != PCIE_TYPE_ROOT_PORT && type != PCIE_TYPE_DOWNSTREAM))
		return;
	uint32_t slot_caps = pci_rd(d->bdf, d->cap_pcie + PCIE_SLOT_CAPS, 4);
	if (!(slot_caps & SLOT_CAPS_HPC))
		return;
	/* a slot that says empty with devices below it is not in native
	 * hot-plug's hands (QEMU's q35 signals hot-plug through ACPI by
	 * default and then never sets presence detect): left alone */
	bool present = pci_rd(d->bdf, d->cap_pcie + PCIE_SLOT_STATUS, 2) & ST_PDS;
	unsigned sec = pci_rd(d->bdf, 0x19, 1), sub = pci_rd(d->bdf, 0x1a, 1);
	for (unsigned i = 0; i < ndevices && !present; i++) {
		unsigned bus = devices[i].bdf >> 8;
		if (devices[i].present && devices[i].pci && sec && bus >= sec && bus <= sub) {
			log("hot-plug port %s: presence detect says empty, but %s is below it: "
			    "native hot-plug is not in charge (ACPI hot-plug?), port left alone",
			    d->name, devices[i].name);
			return;
		}
	}
	struct hp_port *p = &ports[nports];
	*p = (struct hp_port){ .d = d, .cap = d->cap_pcie, .slot_caps = slot_caps };
	p->dllla = pci_rd(d->bdf, d->cap_pcie + PCIE_LINK_CAPS, 4) & LINK_CAPS_DLLLARC;
	d->hp_port = true;
	d->irq_kind = -1;
	/* the port's own MSI/MSI-X is a memory write upstream: bus mastering
	 * (and decoding of its MSI-X table's BAR) on */
	pci_wr(d->bdf, PCI_COMMAND, 2, pci_rd(d->bdf, PCI_COMMAND, 2) | PCI_CMD_MASTER | PCI_CMD_MEM);
	rpc_status_t st = signal_handler_init(ep, &p->sig, port_fired, p);
	if (st == RPC_OK)
		st = irq_open_ntfn(d, 0, p->sig.cap, true, &kind);
	if (st != RPC_OK) {
		log("error: hot-plug port %s: no interrupt (%s): its slot is not watched", d->name,
		    rpc_status_name(st));
		if (p->sig.cap)
			signal_handler_fini(ep, &p->sig);
		d->hp_port = false;
		return;
	}
	nports++;
	/* events seen before are stale; then the ones we handle, enabled */
	wr16(p, PCIE_SLOT_STATUS, ST_EVENTS);
	unsigned ctl = rd16(p, PCIE_SLOT_CTL);
	ctl |= CTL_PDCE | CTL_HPIE | (slot_caps & SLOT_CAPS_ABP ? CTL_ABPE : 0) |
	       (p->dllla ? CTL_DLLSCE : 0);
	wr16(p, PCIE_SLOT_CTL, ctl);
	log("hot-plug port %s: slot %u %s, %s interrupt", d->name, slot_caps >> 19,
	    present ? "occupied" : "empty", kind == PLATFORM_IRQ_MSIX ? "MSI-X"
	    : kind == PLATFORM_IRQ_MSI ? "MSI" : "legacy");
	if (present && !powered(p)) {
		/* a card that came while nobody watched */
		card_in(p);
		hotplug_notify_sessions();
	}
}

void hotplug_scan(void)
{
	for (unsigned i = 0; i < ndevices; i++) {
		struct pdev *d = &devices[i];
		if (d->present && d->pci && !d->hp_port && !d->holder &&
		    (d->class >> 8) == 0x0604 && !port_of(d))
			take_port(d);
	}
}

void hotplug_init(struct entrypoint *e)
{
	ep = e;
}
