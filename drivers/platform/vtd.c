/*
 * The IOMMU: Intel VT-d DMA remapping (the DMAR unit the acpi report
 * names; QEMU `-device intel-iommu` on q35), with register-based
 * invalidation. One domain per Platform session: a second-level page
 * table that maps exactly the session's DMA buffers at the device
 * addresses platform gave out; a device's context entry points at its
 * holder's domain while it is held and is not present otherwise, so a
 * device nobody holds cannot reach memory at all. Buffers are mapped on
 * allocation and unmapped (with an IOTLB invalidation of the domain) when
 * freed. Reserved regions (RMRR) of a device are mapped 1:1 into the
 * domain of its holder. Faults come as an MSI (core's IRQ type=msi
 * programmed into the fault-event registers); the fault-recording
 * registers are read then, and each fault is logged and reported with the
 * device (bb:dd.f), the address and the reason. Interrupt remapping is not
 * used. Without a DMAR unit every function here does nothing and DMA is
 * unprotected (the platform report says so).
 *
 * Register layout and table formats: Intel VT-d specification, chapters
 * 9 (translation structures) and 10 (registers).
 */
#include <argil/component.h>
#include <argil/entrypoint.h>
#include <argil/heap.h>
#include <argil/io.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include "platform.h"

/* registers */
#define R_VER 0x00
#define R_CAP 0x08
#define R_ECAP 0x10
#define R_GCMD 0x18
#define R_GSTS 0x1c
#define R_RTADDR 0x20
#define R_CCMD 0x28
#define R_FSTS 0x34
#define R_FECTL 0x38
#define R_FEDATA 0x3c
#define R_FEADDR 0x40
#define R_FEUADDR 0x44
#define GCMD_TE (1u << 31)
#define GCMD_SRTP (1u << 30)
#define GCMD_WBF (1u << 27)
#define GSTS_TES (1u << 31)
#define GSTS_RTPS (1u << 30)
#define GSTS_WBFS (1u << 27)
#define GSTS_ONE_SHOT 0x96ffffffu   /* bits that are not persistent commands */
#define CCMD_ICC (1ull << 63)
#define CCMD_GLOBAL (1ull << 61)
#define CCMD_DEVICE (3ull << 61)
#define IOTLB_IVT (1ull << 63)
#define IOTLB_GLOBAL (1ull << 60)
#define IOTLB_DOMAIN (2ull << 60)
#define IOTLB_DRAIN (3ull << 48)
#define FSTS_PFO 0x1u
#define FSTS_PPF 0x2u
#define POLLS 10000000ul

#define MAX_FAULTS 16
#define MAX_DOMAINS 256
#define MAX_RESERVED 8

struct table {
	uint64_t phys;
	volatile uint64_t *va;
	cptr_t ds;
	struct table *next;
};

struct domain {
	unsigned did;
	struct table *top;
	struct table *tables;       /* all of them, top included */
	word_t cost;                /* taken from the session's budget for tables */
};

struct fault {
	unsigned bdf;
	uint64_t addr;
	unsigned reason;
	bool write;
};

static struct {
	bool present;
	volatile uint8_t *regs;
	struct parent_conn io;
	struct parent_conn irq;
	struct signal_handler sig;
	struct entrypoint *ep;
	uint64_t cap, ecap;
	unsigned levels, aw;        /* second-level page-table levels, context AW */
	unsigned fro, nfr, iro;
	struct table *root;
	struct table *context[256];
	uint8_t dids[MAX_DOMAINS / 8];
	struct fault faults[MAX_FAULTS];
	unsigned nfaults;           /* recorded in total */
	struct { uint64_t base, size; unsigned bdf; } reserved[MAX_RESERVED];
	unsigned nreserved;
} vtd;

bool iommu_present(void)
{
	return vtd.present;
}

static uint32_t rd32(unsigned off) { return *(volatile uint32_t *)(vtd.regs + off); }
static uint64_t rd64(unsigned off) { return *(volatile uint64_t *)(vtd.regs + off); }
static void wr32(unsigned off, uint32_t v) { *(volatile uint32_t *)(vtd.regs + off) = v; }
static void wr64(unsigned off, uint64_t v) { *(volatile uint64_t *)(vtd.regs + off) = v; }

/* A zeroed page for translation structures, with its physical address. */
static struct table *table_new(void)
{
	struct table *t = calloc(1, sizeof(*t));
	uint64_t phys = 0;
	word_t at;

	if (!t)
		return 0;
	if (pd_alloc_ram(COMPONENT_PD, 4096, &t->ds) != RPC_OK) {
		free(t);
		return 0;
	}
	if (dma_phys_of(t->ds, 4096, &phys) != RPC_OK ||
	    pd_attach(COMPONENT_PD, t->ds, 0, 0, 0, ATTACH_WRITE, &at) != RPC_OK) {
		pd_free_ram(COMPONENT_PD, t->ds);
		cap_slot_free(t->ds);
		free(t);
		return 0;
	}
	t->phys = phys;
	t->va = (volatile uint64_t *)at;
	return t;
}

static void table_free(struct table *t)
{
	pd_detach(COMPONENT_PD, (word_t)t->va);
	pd_free_ram(COMPONENT_PD, t->ds);
	cap_slot_free(t->ds);
	free(t);
}

/* What a table page costs a session: the page and core's bookkeeping. */
#define TABLE_COST (DS_COST(1) + sizeof(struct table) + 64)

word_t iommu_domain_cost(void)
{
	return vtd.present ? TABLE_COST + sizeof(struct domain) + 64 : 0;
}

/* ---- invalidation ---- */

static bool wait_clear64(unsigned off, uint64_t bit)
{
	for (unsigned long i = 0; i < POLLS; i++)
		if (!(rd64(off) & bit))
			return true;
	log("error: VT-d: register 0x%x did not complete", off);
	return false;
}

static void flush_write_buffer(void)
{
	if (!(vtd.cap & (1u << 4)))      /* RWBF: required write-buffer flushing */
		return;
	wr32(R_GCMD, (rd32(R_GSTS) & GSTS_ONE_SHOT & ~GSTS_WBFS) | GCMD_WBF);
	for (unsigned long i = 0; i < POLLS && (rd32(R_GSTS) & GSTS_WBFS); i++)
		;
}

static void context_invalidate(unsigned bdf, unsigned did, bool global)
{
	flush_write_buffer();
	wr64(R_CCMD, CCMD_ICC | (global ? CCMD_GLOBAL
				 : CCMD_DEVICE | (uint64_t)bdf << 16 | did));
	wait_clear64(R_CCMD, CCMD_ICC);
}

static void iotlb_invalidate(unsigned did, bool global)
{
	flush_write_buffer();
	wr64(vtd.iro + 8, IOTLB_IVT | IOTLB_DRAIN | (global ? IOTLB_GLOBAL
			 : IOTLB_DOMAIN | (uint64_t)did << 32));
	wait_clear64(vtd.iro + 8, IOTLB_IVT);
}

/* ---- faults ---- */

static void fault_irq(void *arg)
{
	(void)arg;
	uint32_t fsts = rd32(R_FSTS);
	bool any = false;

	for (unsigned i = 0; i < vtd.nfr; i++) {
		unsigned off = vtd.fro + 16 * i;
		uint64_t hi = rd64(off + 8);
		if (!(hi >> 63))
			continue;
		uint64_t lo = rd64(off);
		struct fault *f = &vtd.faults[vtd.nfaults % MAX_FAULTS];
		f->bdf = hi & 0xffff;
		f->reason = (hi >> 32) & 0xff;
		f->write = !((hi >> 62) & 1);
		f->addr = lo & ~0xfffull;
		vtd.nfaults++;
		wr32(off + 12, 1u << 31);        /* F: write 1 to clear */
		struct pdev *d = device_by_bdf(f->bdf);
		if (d)
			d->faults++;
		log("DMA fault: %02x:%02x.%x %s 0x%lx blocked (reason 0x%x)%s%s", f->bdf >> 8,
		    (f->bdf >> 3) & 31, f->bdf & 7, f->write ? "write to" : "read from",
		    (unsigned long)f->addr, f->reason, d && d->holder ? ", held by " : "",
		    d && d->holder ? d->holder->ss.label : "");
		any = true;
	}
	if (fsts & FSTS_PFO)
		log("DMA faults: the recording registers overflowed (some faults not recorded)");
	wr32(R_FSTS, fsts & (FSTS_PFO | 0x70));  /* clear overflow and the error bits */
	irq_ack(vtd.irq.cap);
	if (any || (fsts & FSTS_PFO))
		platform_report();
}

void iommu_report(struct cfg_writer *w)
{
	char b[24];

	if (!vtd.present)
		return;
	cfg_node_begin(w, "iommu");
	cfg_node_attr(w, "type", "vt-d");
	cfg_node_attr_u64(w, "faults", vtd.nfaults);
	cfg_node_end(w);
	for (unsigned i = 0; i < vtd.nreserved; i++) {
		unsigned bdf = vtd.reserved[i].bdf;
		cfg_node_begin(w, "reserved");
		snprintf(b, sizeof(b), "0x%lx", (unsigned long)vtd.reserved[i].base);
		cfg_node_attr(w, "base", b);
		snprintf(b, sizeof(b), "0x%lx", (unsigned long)vtd.reserved[i].size);
		cfg_node_attr(w, "size", b);
		snprintf(b, sizeof(b), "%02x:%02x.%x", bdf >> 8, (bdf >> 3) & 31, bdf & 7);
		cfg_node_attr(w, "device", b);
		cfg_node_end(w);
	}
	unsigned n = vtd.nfaults < MAX_FAULTS ? vtd.nfaults : MAX_FAULTS;
	for (unsigned k = 0; k < n; k++) {
		struct fault *f = &vtd.faults[(vtd.nfaults - n + k) % MAX_FAULTS];
		cfg_node_begin(w, "fault");
		snprintf(b, sizeof(b), "%02x:%02x.%x", f->bdf >> 8, (f->bdf >> 3) & 31, f->bdf & 7);
		cfg_node_attr(w, "device", b);
		snprintf(b, sizeof(b), "0x%lx", (unsigned long)f->addr);
		cfg_node_attr(w, "address", b);
		cfg_node_attr(w, "access", f->write ? "write" : "read");
		snprintf(b, sizeof(b), "0x%x", f->reason);
		cfg_node_attr(w, "reason", b);
		cfg_node_end(w);
	}
}

/* ---- domains and page tables ---- */

static struct table *table_of(struct domain *dom, uint64_t phys)
{
	for (struct table *t = dom->tables; t; t = t->next)
		if (t->phys == phys)
			return t;
	return 0;
}

/* The last-level entry for iova, making tables on the way if make (paid
 * from the session's budget unless platform pays); NULL if absent or not
 * payable. */
static volatile uint64_t *pte(struct session *s, uint64_t iova, bool make, bool platform_pays)
{
	struct domain *dom = s->dom;
	struct table *t = dom->top;

	for (unsigned level = vtd.levels; level > 1; level--) {
		unsigned idx = (iova >> (12 + 9 * (level - 1))) & 511;
		uint64_t e = t->va[idx];
		if (e & 3) {
			t = table_of(dom, e & 0x000ffffffffff000ull);
			if (!t)
				return 0;
			continue;
		}
		if (!make)
			return 0;
		if (!platform_pays && !budget_take(&s->ss.budget, TABLE_COST, 1))
			return 0;
		struct table *n = table_new();
		if (!n) {
			if (!platform_pays)
				budget_give(&s->ss.budget, TABLE_COST, 1);
			return 0;
		}
		if (!platform_pays)
			dom->cost += TABLE_COST;
		n->next = dom->tables;
		dom->tables = n;
		t->va[idx] = n->phys | 3;
		t = n;
	}
	return &t->va[(iova >> 12) & 511];
}

static rpc_status_t map(struct session *s, uint64_t iova, uint64_t phys, word_t size,
		       bool platform_pays)
{
	if (!s->dom)
		return RPC_E_UNAVAILABLE;
	for (word_t off = 0; off < size; off += 4096) {
		volatile uint64_t *e = pte(s, iova + off, true, platform_pays);
		if (!e) {
			iommu_unmap(s, iova, off);
			return RPC_E_NO_RAM_QUOTA;
		}
		*e = ((phys + off) & 0x000ffffffffff000ull) | 3;   /* read, write */
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vtd.cap & (1u << 7))            /* CM: not-present entries may be cached */
		iotlb_invalidate(s->dom->did, false);
	return RPC_OK;
}

rpc_status_t iommu_map(struct session *s, uint64_t iova, uint64_t phys, word_t size)
{
	return map(s, iova, phys, size, false);
}

void iommu_unmap(struct session *s, uint64_t iova, word_t size)
{
	if (!s->dom)
		return;
	for (word_t off = 0; off < size; off += 4096) {
		volatile uint64_t *e = pte(s, iova + off, false, false);
		if (e)
			*e = 0;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	iotlb_invalidate(s->dom->did, false);
}

rpc_status_t iommu_domain_create(struct session *s)
{
	unsigned did = 0;

	s->dom = 0;
	if (!vtd.present)
		return RPC_OK;
	for (unsigned i = 1; i < MAX_DOMAINS && !did; i++)
		if (!(vtd.dids[i / 8] & (1u << (i % 8))))
			did = i;
	if (!did)
		return RPC_E_UNAVAILABLE;
	struct domain *dom = calloc(1, sizeof(*dom));
	if (!dom)
		return RPC_E_UNAVAILABLE;
	dom->top = table_new();
	if (!dom->top) {
		free(dom);
		return RPC_E_UNAVAILABLE;
	}
	dom->tables = dom->top;
	dom->did = did;
	vtd.dids[did / 8] |= 1u << (did % 8);
	s->dom = dom;
	return RPC_OK;
}

void iommu_domain_destroy(struct session *s)
{
	struct domain *dom = s->dom;

	if (!dom)
		return;
	/* its devices are detached already (released before) */
	iotlb_invalidate(dom->did, false);
	while (dom->tables) {
		struct table *t = dom->tables;
		dom->tables = t->next;
		table_free(t);
	}
	budget_give(&s->ss.budget, dom->cost, dom->cost / TABLE_COST);
	vtd.dids[dom->did / 8] &= ~(1u << (dom->did % 8));
	free(dom);
	s->dom = 0;
}

static volatile uint64_t *context_entry(unsigned bdf, bool make)
{
	unsigned bus = bdf >> 8;

	if (!vtd.context[bus]) {
		if (!make)
			return 0;
		vtd.context[bus] = table_new();
		if (!vtd.context[bus])
			return 0;
		vtd.root->va[2 * bus] = vtd.context[bus]->phys | 1;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	return &vtd.context[bus]->va[2 * (bdf & 0xff)];
}

void iommu_attach(struct session *s, struct pdev *d)
{
	if (!vtd.present || !d->pci)
		return;
	if (!s->dom) {
		log("error: %s: its holder has no DMA domain: its DMA stays blocked", d->name);
		return;
	}
	volatile uint64_t *ce = context_entry(d->bdf, true);
	if (!ce) {
		log("error: %s: no context table: its DMA stays blocked", d->name);
		return;
	}
	/* reserved regions of the device, 1:1, their tables paid by platform
	 * (a property of the machine, not of the driver) */
	for (unsigned i = 0; i < vtd.nreserved; i++)
		if (vtd.reserved[i].bdf == d->bdf &&
		    map(s, vtd.reserved[i].base, vtd.reserved[i].base, vtd.reserved[i].size,
			true) != RPC_OK)
			log("error: %s: reserved region 0x%lx not mapped", d->name,
			    (unsigned long)vtd.reserved[i].base);
	ce[1] = (uint64_t)s->dom->did << 8 | vtd.aw;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ce[0] = s->dom->top->phys | 1;          /* present, translation type 0 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	context_invalidate(d->bdf, s->dom->did, false);
	iotlb_invalidate(s->dom->did, false);
}

void iommu_detach(struct pdev *d)
{
	if (!vtd.present || !d->pci)
		return;
	volatile uint64_t *ce = context_entry(d->bdf, false);
	if (!ce || !(ce[0] & 1))
		return;
	unsigned did = (ce[1] >> 8) & 0xffff;
	ce[0] = 0;
	ce[1] = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	context_invalidate(d->bdf, did, false);
	iotlb_invalidate(did, false);
}

void iommu_reserved(uint64_t base, uint64_t size, unsigned bdf)
{
	for (unsigned i = 0; i < vtd.nreserved; i++)
		if (vtd.reserved[i].base == base && vtd.reserved[i].size == size &&
		    vtd.reserved[i].bdf == bdf)
			return;   /* known (the tables and the acpi report both say it) */
	if (vtd.nreserved >= MAX_RESERVED || (base | size) & 0xfff || !size ||
	    base + size < base) {
		log("error: reserved region 0x%lx+0x%lx ignored", (unsigned long)base,
		    (unsigned long)size);
		return;
	}
	vtd.reserved[vtd.nreserved].base = base;
	vtd.reserved[vtd.nreserved].size = size;
	vtd.reserved[vtd.nreserved].bdf = bdf;
	vtd.nreserved++;
}

uint64_t iommu_reserved_end(uint64_t a, uint64_t size)
{
	for (unsigned i = 0; i < vtd.nreserved; i++)
		if (a < vtd.reserved[i].base + vtd.reserved[i].size && vtd.reserved[i].base < a + size)
			return vtd.reserved[i].base + vtd.reserved[i].size;
	return 0;
}

/* ---- bring-up ---- */

static bool gsts_wait(uint32_t bit, bool set)
{
	for (unsigned long i = 0; i < POLLS; i++)
		if (!!(rd32(R_GSTS) & bit) == set)
			return true;
	return false;
}

/* Sessions that exist already get a domain in which their buffers keep
 * the device addresses they have (1:1); their devices are attached. */
static void adopt_sessions(void)
{
	for (struct session *s = sessions_first(); s; s = sessions_next(s)) {
		if (iommu_domain_create(s) != RPC_OK) {
			log("error: no DMA domain for \"%s\": its DMA stays blocked", s->ss.label);
			continue;
		}
		for (struct dma_buf *b = s->bufs; b; b = b->next)
			if (iommu_map(s, b->addr, b->phys, b->size) != RPC_OK)
				log("error: \"%s\": buffer 0x%lx not mapped", s->ss.label,
				    (unsigned long)b->addr);
		for (int i = 0; i < MAX_HELD; i++)
			if (s->held[i])
				iommu_attach(s, s->held[i]);
	}
}

void iommu_init(struct entrypoint *ep, uint64_t base)
{
	char args[64];
	word_t at, type, number, addr, data;
	cptr_t ds;
	rpc_status_t st;

	if (vtd.present)
		return;
	if (!ep)
		ep = vtd.ep;
	vtd.ep = ep;
	if (!ep || base & 0xfff)
		return;
	if (!dma_available()) {
		log("VT-d at 0x%lx not used: without the DMA service no tables: DMA unprotected",
		    (unsigned long)base);
		return;
	}
	snprintf(args, sizeof(args), "base=0x%lx, size=0x1000", (unsigned long)base);
	st = parent_conn_open(&vtd.io, "IO_MEM", "vt-d", args, 32768, 24);
	if (st == RPC_OK)
		st = io_mem_dataspace(vtd.io.cap, &ds, 0, 0);
	if (st == RPC_OK) {
		st = pd_attach(COMPONENT_PD, ds, 0, 0, 0, ATTACH_WRITE, &at);
		cap_slot_free(ds);
	}
	if (st != RPC_OK) {
		log("error: VT-d at 0x%lx: %s: DMA unprotected", (unsigned long)base,
		    rpc_status_name(st));
		dev_session_close(&vtd.io);
		return;
	}
	vtd.regs = (volatile uint8_t *)at;
	vtd.cap = rd64(R_CAP);
	vtd.ecap = rd64(R_ECAP);
	unsigned sagaw = (vtd.cap >> 8) & 0x1f;
	if (sagaw & 2) {
		vtd.levels = 3;
		vtd.aw = 1;
	} else if (sagaw & 4) {
		vtd.levels = 4;
		vtd.aw = 2;
	} else {
		log("error: VT-d: no 3- or 4-level page tables (SAGAW 0x%x): DMA unprotected", sagaw);
		goto fail;
	}
	vtd.fro = ((vtd.cap >> 24) & 0x3ff) * 16;
	vtd.nfr = ((vtd.cap >> 40) & 0xff) + 1;
	vtd.iro = ((vtd.ecap >> 8) & 0x3ff) * 16;
	if (vtd.fro + 16 * vtd.nfr > 4096 || vtd.iro + 16 > 4096) {
		log("error: VT-d: registers beyond its page: DMA unprotected");
		goto fail;
	}
	if (rd32(R_GSTS) & GSTS_TES) {
		log("VT-d: translation was on: switching it off to take over");
		wr32(R_GCMD, rd32(R_GSTS) & GSTS_ONE_SHOT & ~GSTS_TES);
		gsts_wait(GSTS_TES, false);
	}
	/* faults by MSI */
	st = parent_conn_open(&vtd.irq, "IRQ", "vt-d", "type=msi", 8192, 4);
	if (st == RPC_OK)
		st = irq_info(vtd.irq.cap, &type, &number, &addr, &data);
	if (st == RPC_OK)
		st = signal_handler_init(ep, &vtd.sig, fault_irq, 0);
	if (st == RPC_OK)
		st = irq_sigh(vtd.irq.cap, vtd.sig.cap);
	if (st != RPC_OK) {
		log("error: VT-d: no fault interrupt (%s): DMA unprotected", rpc_status_name(st));
		goto fail;
	}
	vtd.root = table_new();
	if (!vtd.root) {
		log("error: VT-d: no root table: DMA unprotected");
		goto fail;
	}
	wr32(R_FECTL, 1u << 31);
	wr32(R_FEDATA, (uint32_t)data);
	wr32(R_FEADDR, (uint32_t)addr);
	wr32(R_FEUADDR, (uint32_t)(addr >> 32));
	wr32(R_FECTL, 0);
	wr64(R_RTADDR, vtd.root->phys);
	wr32(R_GCMD, (rd32(R_GSTS) & GSTS_ONE_SHOT) | GCMD_SRTP);
	if (!gsts_wait(GSTS_RTPS, true)) {
		log("error: VT-d: root table not taken: DMA unprotected");
		goto fail;
	}
	vtd.present = true;
	context_invalidate(0, 0, true);
	iotlb_invalidate(0, true);
	adopt_sessions();
	wr32(R_GCMD, (rd32(R_GSTS) & GSTS_ONE_SHOT) | GCMD_TE);
	if (!gsts_wait(GSTS_TES, true)) {
		log("error: VT-d: translation does not switch on: DMA unprotected");
		vtd.present = false;
		goto fail;
	}
	log("IOMMU: VT-d at 0x%lx (version %u.%u, %u-level tables, %u fault records): DMA "
	    "remapped per session", (unsigned long)base, (rd32(R_VER) >> 4) & 0xf,
	    rd32(R_VER) & 0xf, vtd.levels, vtd.nfr);
	return;
fail:
	for (struct session *s = sessions_first(); s; s = sessions_next(s))
		s->dom = 0;   /* (nothing was made for them unless present) */
	if (vtd.root)
		table_free(vtd.root);
	vtd.root = 0;
	if (vtd.sig.cap)
		signal_handler_fini(ep, &vtd.sig);
	dev_session_close(&vtd.irq);
	pd_detach(COMPONENT_PD, (word_t)vtd.regs);
	dev_session_close(&vtd.io);
	vtd.regs = 0;
}
