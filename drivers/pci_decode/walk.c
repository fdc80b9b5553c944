/*
 * The walk over PCI configuration space (pci_walk.h): every function of
 * every bus reachable from bus 0 through bridges, its IDs, BARs (sized),
 * interrupt pin, MSI and MSI-X capabilities. Trusts config space for
 * nothing: every loop is bounded, every bus is visited once.
 */
#include "pci_walk.h"

#define MAX_CAPS 48        /* (256 - 64) / 4: more is a loop */

struct walker {
	struct pci_walk *w;
	const struct pci_access *acc;
	const struct pci_walk *prev;
	bool failed;
	uint8_t visited[32];   /* a bit per bus */
};

static uint32_t rd(struct walker *k, uint16_t bdf, unsigned off, unsigned width)
{
	uint32_t v = 0;

	if (k->failed)
		return ~0u;
	if (k->acc->read(k->acc->ctx, bdf, off, width, &v)) {
		k->failed = true;
		k->w->error = "config read failed";
		k->w->error_bdf = bdf;
		return ~0u;
	}
	return v;
}

static void wr(struct walker *k, uint16_t bdf, unsigned off, unsigned width, uint32_t v)
{
	if (k->failed)
		return;
	if (k->acc->write(k->acc->ctx, bdf, off, width, v)) {
		k->failed = true;
		k->w->error = "config write failed";
		k->w->error_bdf = bdf;
	}
}

static bool pow2(uint64_t v) { return v && !(v & (v - 1)); }

/* Size one BAR register pair: all-ones written, read back, restored. */
static uint32_t probe32(struct walker *k, uint16_t bdf, unsigned off, uint32_t orig)
{
	wr(k, bdf, off, 4, ~0u);
	uint32_t v = rd(k, bdf, off, 4);
	wr(k, bdf, off, 4, orig);
	return v;
}

/* A previous walk's BARs of the same function, if its BAR registers and
 * IDs are unchanged: re-walks must not disturb devices in use. */
static const struct pci_func *known(struct walker *k, const struct pci_func *f)
{
	if (!k->prev)
		return 0;
	for (unsigned i = 0; i < k->prev->n; i++) {
		const struct pci_func *p = &k->prev->funcs[i];
		if (p->bus == f->bus && p->dev == f->dev && p->fn == f->fn &&
		    p->vendor == f->vendor && p->product == f->product && p->layout == f->layout)
			return p;
	}
	return 0;
}

static bool bars_unchanged(struct walker *k, uint16_t bdf, const struct pci_func *p)
{
	for (unsigned i = 0; i < p->nbars; i++) {
		const struct pci_bar *b = &p->bars[i];
		unsigned off = PCI_BAR0 + 4u * b->index;
		uint32_t lo = rd(k, bdf, off, 4);
		uint64_t addr = b->type == PCI_BAR_IO ? (lo & ~3u) : (lo & ~0xfu);
		if (b->type == PCI_BAR_MEM64)
			addr |= (uint64_t)rd(k, bdf, off + 4, 4) << 32;
		if (addr != b->address)
			return false;
	}
	return !k->failed;
}

static void size_bars(struct walker *k, struct pci_func *f, unsigned nregs)
{
	uint16_t bdf = PCI_BDF(f->bus, f->dev, f->fn);
	const struct pci_func *p = known(k, f);

	if (p && bars_unchanged(k, bdf, p)) {
		f->nbars = p->nbars;
		for (unsigned i = 0; i < p->nbars; i++)
			f->bars[i] = p->bars[i];
		return;
	}
	uint32_t cmd = rd(k, bdf, PCI_COMMAND, 2);
	if (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEM))
		wr(k, bdf, PCI_COMMAND, 2, cmd & ~(uint32_t)(PCI_COMMAND_IO | PCI_COMMAND_MEM));
	for (unsigned i = 0; i < nregs && !k->failed; i++) {
		unsigned off = PCI_BAR0 + 4 * i;
		uint32_t orig = rd(k, bdf, off, 4);
		uint32_t mask = probe32(k, bdf, off, orig);
		struct pci_bar b = { .index = (uint8_t)i };

		if (orig & 1) {
			uint32_t m = mask & ~3u;
			if (!m)
				continue;
			if (!(m & 0xffff0000u))       /* 16-bit I/O decode */
				m |= 0xffff0000u;
			b.type = PCI_BAR_IO;
			b.address = orig & ~3u;
			b.size = (uint32_t)(~m + 1);
		} else if (((orig >> 1) & 3) == 2) {
			if (i + 1 >= nregs) {         /* a 64-bit BAR needs two registers */
				k->w->skipped++;
				continue;
			}
			uint32_t orig_hi = rd(k, bdf, off + 4, 4);
			uint32_t mask_hi = probe32(k, bdf, off + 4, orig_hi);
			uint64_t m = (uint64_t)mask_hi << 32 | (mask & ~0xfu);
			i++;
			if (!m)
				continue;
			b.type = PCI_BAR_MEM64;
			b.prefetchable = orig & 8;
			b.address = (uint64_t)orig_hi << 32 | (orig & ~0xfu);
			b.size = ~m + 1;
		} else {
			uint32_t m = mask & ~0xfu;
			if (!m)
				continue;
			b.type = PCI_BAR_MEM32;
			b.prefetchable = orig & 8;
			b.address = orig & ~0xfu;
			b.size = (uint32_t)(~m + 1);
		}
		if (!pow2(b.size)) {               /* no such device: a broken mask */
			k->w->skipped++;
			continue;
		}
		f->bars[f->nbars++] = b;
	}
	if (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEM))
		wr(k, bdf, PCI_COMMAND, 2, cmd);
}

static void read_caps(struct walker *k, struct pci_func *f)
{
	uint16_t bdf = PCI_BDF(f->bus, f->dev, f->fn);
	unsigned ptr, n = 0;

	if (!(rd(k, bdf, PCI_STATUS, 2) & PCI_STATUS_CAPS))
		return;
	ptr = rd(k, bdf, PCI_CAP_PTR, 1) & 0xfc;
	while (ptr && !k->failed) {
		if (ptr < 0x40 || ptr > 0xfc || ++n > MAX_CAPS) {
			k->w->skipped++;          /* a list into the header, or a loop */
			return;
		}
		unsigned id = rd(k, bdf, ptr, 1);
		unsigned next = rd(k, bdf, ptr + 1, 1) & 0xfc;
		if (id == PCI_CAP_MSI && !f->msi && ptr + 4 <= 0x100) {
			uint32_t ctrl = rd(k, bdf, ptr + PCI_MSI_CTRL, 2);
			unsigned mmc = (ctrl >> 1) & 7;   /* 6 and 7 are reserved */
			f->msi = true;
			f->msi_vectors = 1u << (mmc > 5 ? 5 : mmc);
			f->msi64 = ctrl & 0x80;
		} else if (id == PCI_CAP_MSIX && !f->msix && ptr + 12 <= 0x100) {
			uint32_t ctrl = rd(k, bdf, ptr + PCI_MSIX_CTRL, 2);
			uint32_t table = rd(k, bdf, ptr + PCI_MSIX_TABLE, 4);
			uint32_t pba = rd(k, bdf, ptr + PCI_MSIX_PBA, 4);
			f->msix = true;
			f->msix_vectors = (ctrl & 0x7ff) + 1;
			f->msix_table_bar = table & 7;
			f->msix_table_offset = table & ~7u;
			f->msix_pba_bar = pba & 7;
			f->msix_pba_offset = pba & ~7u;
		}
		ptr = next;
	}
}

static void walk_bus(struct walker *k, unsigned bus, int upstream, unsigned depth);

static void add_function(struct walker *k, unsigned bus, unsigned dev, unsigned fn,
			 uint32_t ids, int upstream, unsigned depth)
{
	uint16_t bdf = PCI_BDF(bus, dev, fn);
	struct pci_func f = {
		.bus = (uint8_t)bus, .dev = (uint8_t)dev, .fn = (uint8_t)fn,
		.vendor = ids & 0xffff, .product = ids >> 16, .upstream = upstream,
	};
	uint32_t rev = rd(k, bdf, PCI_REVISION, 4);

	f.revision = rev & 0xff;
	f.class_code = rev >> 8;
	f.layout = rd(k, bdf, PCI_HEADER_TYPE, 1) & PCI_HEADER_LAYOUT;
	f.pin = (uint8_t)rd(k, bdf, PCI_INT_PIN, 1);
	if (f.pin > 4)
		f.pin = 0;
	if (f.layout == PCI_HEADER_NORMAL) {
		f.subsystem_vendor = (uint16_t)rd(k, bdf, PCI_SUBSYS_VENDOR, 2);
		f.subsystem = (uint16_t)rd(k, bdf, PCI_SUBSYS, 2);
		size_bars(k, &f, 6);
	} else if (f.layout == PCI_HEADER_BRIDGE) {
		f.bridge = true;
		f.secondary = (uint8_t)rd(k, bdf, PCI_BRIDGE_SECONDARY, 1);
		f.subordinate = (uint8_t)rd(k, bdf, PCI_BRIDGE_SUBORDINATE, 1);
		size_bars(k, &f, 2);
	}
	if (f.layout <= PCI_HEADER_BRIDGE)
		read_caps(k, &f);
	if (k->failed)
		return;
	int self = -1;   /* not kept: there is no room (the bus behind is counted) */
	if (k->w->n == k->w->max)
		k->w->skipped++;
	else
		k->w->funcs[self = (int)k->w->n++] = f;
	/* a bridge the firmware gave a bus: walk it (bus 0 and buses seen
	 * before are a loop or an unassigned bridge) */
	if (f.bridge && f.secondary && f.secondary <= f.subordinate)
		walk_bus(k, f.secondary, self, depth + 1);
}

static void walk_bus(struct walker *k, unsigned bus, int upstream, unsigned depth)
{
	if (k->visited[bus / 8] & (1u << (bus % 8)) || depth > 255) {
		k->w->skipped++;
		return;
	}
	k->visited[bus / 8] |= (uint8_t)(1u << (bus % 8));
	for (unsigned dev = 0; dev < 32 && !k->failed; dev++) {
		uint32_t ids = rd(k, PCI_BDF(bus, dev, 0), PCI_VENDOR, 4);
		if ((ids & 0xffff) == 0xffff || (ids & 0xffff) == 0)
			continue;
		bool multi = rd(k, PCI_BDF(bus, dev, 0), PCI_HEADER_TYPE, 1) & PCI_HEADER_MULTI;
		for (unsigned fn = 0; fn < (multi ? 8u : 1u) && !k->failed; fn++) {
			if (fn)
				ids = rd(k, PCI_BDF(bus, dev, fn), PCI_VENDOR, 4);
			if ((ids & 0xffff) == 0xffff || (ids & 0xffff) == 0)
				continue;
			add_function(k, bus, dev, fn, ids, upstream, depth);
		}
	}
}

int pci_walk_again(struct pci_walk *walk, const struct pci_access *acc,
		   const struct pci_walk *prev)
{
	struct walker k = { .w = walk, .acc = acc, .prev = prev };

	walk->n = 0;
	walk->skipped = 0;
	walk->error = 0;
	walk->error_bdf = 0;
	walk_bus(&k, 0, -1, 0);
	return k.failed ? -1 : 0;
}

int pci_walk_all(struct pci_walk *walk, const struct pci_access *acc)
{
	return pci_walk_again(walk, acc, 0);
}
