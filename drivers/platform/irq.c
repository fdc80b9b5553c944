/*
 * Interrupts of held devices (platform.h). Platform picks MSI-X, then
 * MSI, then the routed legacy line. An MSI or MSI-X vector is an IRQ
 * session at core (type=msi) that signals the client's notification
 * directly; platform writes core's address and data into the device (the
 * MSI capability, or the MSI-X table through its own mapping of the table
 * BAR). A legacy line (PCI INTx as the devices report routes it, or an
 * ISA interrupt) is one IRQ session per GSI at platform, shared by every
 * device on it: each interrupt signals every holder on the line, and the
 * line is unmasked when each of them has acknowledged.
 */
#include <argil/component.h>
#include <argil/entrypoint.h>
#include <argil/heap.h>
#include <argil/io.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <arch/syscall.h>
#include "pci.h"
#include "platform.h"

struct shared_line {
	unsigned gsi;
	bool level, low;
	struct parent_conn irq;
	struct signal_handler sig;
	struct vector *vectors;
	unsigned outstanding;        /* holders signalled that have not acked */
	uint64_t count;
	struct shared_line *next;
};

static struct entrypoint *ep;
static struct shared_line *lines;

void irq_init(struct entrypoint *e)
{
	ep = e;
}

static void line_fired(void *arg)
{
	struct shared_line *l = arg;

	l->count++;
	for (struct vector *v = l->vectors; v; v = v->line_next) {
		if (v->pending)
			continue;
		v->pending = true;
		v->count++;
		l->outstanding++;
		sys_signal(v->ntfn);
	}
	if (!l->outstanding)
		irq_ack(l->irq.cap);
}

static rpc_status_t line_join(struct vector *v, const struct irq_line *src)
{
	struct shared_line *l;
	char args[64];
	rpc_status_t st;

	for (l = lines; l; l = l->next)
		if (l->gsi == src->gsi)
			break;
	if (l && (l->level != src->level || l->low != src->low))
		return RPC_E_BUSY;   /* the line is used with another trigger mode */
	if (!l) {
		l = calloc(1, sizeof(*l));
		if (!l)
			return RPC_E_UNAVAILABLE;
		l->gsi = src->gsi;
		l->level = src->level;
		l->low = src->low;
		snprintf(args, sizeof(args), "irq=%u, trigger=%s, polarity=%s", src->gsi,
			 src->level ? "level" : "edge", src->low ? "low" : "high");
		st = parent_conn_open(&l->irq, "IRQ", "legacy", args, 8192, 4);
		if (st == RPC_OK)
			st = signal_handler_init(ep, &l->sig, line_fired, l);
		if (st == RPC_OK)
			st = irq_sigh(l->irq.cap, l->sig.cap);
		if (st != RPC_OK) {
			log("error: IRQ %s: %s", args, rpc_status_name(st));
			if (l->sig.cap)
				signal_handler_fini(ep, &l->sig);
			dev_session_close(&l->irq);
			free(l);
			return st == RPC_E_BUSY ? RPC_E_BUSY : RPC_E_UNAVAILABLE;
		}
		l->next = lines;
		lines = l;
	}
	v->line = l;
	v->line_next = l->vectors;
	l->vectors = v;
	return RPC_OK;
}

static void line_ack(struct vector *v)
{
	struct shared_line *l = v->line;

	if (!v->pending)
		return;
	v->pending = false;
	if (--l->outstanding == 0)
		irq_ack(l->irq.cap);
}

static void line_leave(struct vector *v)
{
	struct shared_line *l = v->line, **pp;

	line_ack(v);
	for (struct vector **vp = &l->vectors; *vp; vp = &(*vp)->line_next)
		if (*vp == v) {
			*vp = v->line_next;
			break;
		}
	v->line = 0;
	if (l->vectors)
		return;
	dev_session_close(&l->irq);
	signal_handler_fini(ep, &l->sig);
	for (pp = &lines; *pp; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	free(l);
}

/* ---- MSI and MSI-X ---- */

static rpc_status_t msi_vector(struct pdev *d, struct vector *v, word_t *addr, word_t *data)
{
	word_t type = 0, number = 0;
	rpc_status_t st = parent_conn_open(&v->irq, "IRQ", d->name, "type=msi", 8192, 4);

	if (st == RPC_OK)
		st = irq_info(v->irq.cap, &type, &number, addr, data);
	if (st == RPC_OK && type != 1)
		st = RPC_E_UNAVAILABLE;
	if (st != RPC_OK) {
		log("error: %s: MSI vector: %s", d->name, rpc_status_name(st));
		dev_session_close(&v->irq);
		return st == RPC_E_BUSY ? RPC_E_BUSY : RPC_E_UNAVAILABLE;
	}
	return RPC_OK;
}

static volatile uint32_t *msix_entry(struct pdev *d, word_t index)
{
	volatile uint8_t *bar = device_map(d, d->msix_table_bar);

	if (!bar)
		return 0;
	return (volatile uint32_t *)(bar + d->msix_table_offset + 16 * index);
}

static void intx(struct pdev *d, bool on)
{
	uint32_t cmd = pci_rd(d->bdf, PCI_COMMAND, 2);

	cmd = on ? cmd & ~PCI_CMD_INTX_DISABLE : cmd | PCI_CMD_INTX_DISABLE;
	pci_wr(d->bdf, PCI_COMMAND, 2, cmd);
}

static rpc_status_t msix_program(struct pdev *d, struct vector *v, word_t index)
{
	word_t addr, data;
	rpc_status_t st;
	volatile uint32_t *e = msix_entry(d, index);

	if (!e)
		return RPC_E_UNAVAILABLE;
	st = msi_vector(d, v, &addr, &data);
	if (st != RPC_OK)
		return st;
	unsigned ctl = pci_rd(d->bdf, d->cap_msix + 2, 2);
	e[3] = 1;                            /* masked while it changes */
	e[0] = (uint32_t)addr;
	e[1] = (uint32_t)(addr >> 32);
	e[2] = (uint32_t)data;
	intx(d, false);
	pci_wr(d->bdf, d->cap_msix + 2, 2, (ctl | 0x8000) & ~0x4000u);  /* enable, unmask all */
	e[3] = 0;
	return RPC_OK;
}

static rpc_status_t msi_program(struct pdev *d, struct vector *v)
{
	word_t addr, data;
	rpc_status_t st = msi_vector(d, v, &addr, &data);
	unsigned c = d->cap_msi;

	if (st != RPC_OK)
		return st;
	unsigned ctl = pci_rd(d->bdf, c + 2, 2);
	bool wide = ctl & 0x80, masking = ctl & 0x100;
	pci_wr(d->bdf, c + 2, 2, ctl & ~0x71u);  /* off, one message */
	pci_wr(d->bdf, c + 4, 4, (uint32_t)addr);
	if (wide) {
		pci_wr(d->bdf, c + 8, 4, (uint32_t)(addr >> 32));
		pci_wr(d->bdf, c + 12, 2, (uint32_t)data & 0xffff);
	} else {
		pci_wr(d->bdf, c + 8, 2, (uint32_t)data & 0xffff);
	}
	if (masking)
		pci_wr(d->bdf, c + (wide ? 0x10 : 0x0c), 4, 0);
	intx(d, false);
	pci_wr(d->bdf, c + 2, 2, (ctl & ~0x70u) | 1);
	return RPC_OK;
}

/* ---- the session's view ---- */

/* How many interrupts of the kind the device has for a holder. */
static unsigned vectors_of(struct pdev *d)
{
	unsigned n = 0;

	switch (d->irq_kind) {
	case PLATFORM_IRQ_MSIX: n = d->msix_vectors; break;
	case PLATFORM_IRQ_MSI: n = 1; break;
	case PLATFORM_IRQ_LEGACY:
		if (d->pci)
			n = d->legacy.present;
		else
			while (n < MAX_ISA && d->isa_irq[n].present)
				n++;
		break;
	}
	return n > MAX_VECTORS ? MAX_VECTORS : n;
}

static void choose_kind(struct pdev *d)
{
	if (d->irq_kind >= 0)
		return;
	if (d->pci && d->cap_msix && d->msix_vectors)
		d->irq_kind = PLATFORM_IRQ_MSIX;
	else if (d->pci && d->cap_msi)
		d->irq_kind = PLATFORM_IRQ_MSI;
	else
		d->irq_kind = PLATFORM_IRQ_LEGACY;
}

/* Interrupt index of d signalled to ntfn; own: the capability is
 * platform's (kept on close and on failure), else the vector takes it. */
rpc_status_t irq_open_ntfn(struct pdev *d, word_t index, cptr_t ntfn, bool own, word_t *kind)
{
	rpc_status_t st;

	choose_kind(d);
	if (index >= vectors_of(d)) {
		if (!own)
			cap_slot_free(ntfn);
		return RPC_E_INVALID_ARGUMENT;
	}
	struct vector *v = &d->vec[index];
	*kind = (word_t)d->irq_kind;
	if (v->used) {
		/* a new notification for the same interrupt */
		if (v->kind != PLATFORM_IRQ_LEGACY && irq_sigh(v->irq.cap, ntfn) != RPC_OK) {
			if (!own)
				cap_slot_free(ntfn);
			return RPC_E_UNAVAILABLE;
		}
		if (!v->own_ntfn)
			cap_slot_free(v->ntfn);
		v->ntfn = ntfn;
		v->own_ntfn = own;
		return RPC_OK;
	}
	memset(v, 0, sizeof(*v));
	v->dev = d;
	v->kind = d->irq_kind;
	v->ntfn = ntfn;
	v->own_ntfn = own;
	switch (v->kind) {
	case PLATFORM_IRQ_MSIX: st = msix_program(d, v, index); break;
	case PLATFORM_IRQ_MSI: st = msi_program(d, v); break;
	default:
		st = line_join(v, d->pci ? &d->legacy : &d->isa_irq[index]);
		if (st == RPC_OK && d->pci)
			intx(d, true);
		break;
	}
	if (st == RPC_OK && v->kind != PLATFORM_IRQ_LEGACY)
		st = irq_sigh(v->irq.cap, ntfn);
	if (st != RPC_OK) {
		if (v->line)
			line_leave(v);
		dev_session_close(&v->irq);
		if (!own)
			cap_slot_free(ntfn);
		memset(v, 0, sizeof(*v));
		return st;
	}
	v->used = true;
	if (verbose)
		log("%s: interrupt %lu as %s", d->name, index, v->kind == PLATFORM_IRQ_MSIX ? "MSI-X"
		    : v->kind == PLATFORM_IRQ_MSI ? "MSI" : "legacy");
	return RPC_OK;
}

rpc_status_t irq_open(struct pdev *d, word_t index, struct rpc_msg *req, word_t *kind)
{
	cptr_t ntfn = 0;
	rpc_status_t st;

	choose_kind(d);
	if (index >= vectors_of(d))
		return RPC_E_INVALID_ARGUMENT;
	st = rpc_take_sigh(req, &ntfn, false);
	if (st != RPC_OK)
		return st;
	return irq_open_ntfn(d, index, ntfn, false, kind);
}

rpc_status_t irq_ack_vector(struct pdev *d, word_t index)
{
	if (index >= MAX_VECTORS || !d->vec[index].used)
		return RPC_E_INVALID_ARGUMENT;
	struct vector *v = &d->vec[index];
	if (v->kind == PLATFORM_IRQ_LEGACY)
		line_ack(v);
	else
		irq_ack(v->irq.cap);
	return RPC_OK;
}

void irq_close_all(struct pdev *d)
{
	for (unsigned i = 0; i < MAX_VECTORS; i++) {
		struct vector *v = &d->vec[i];
		if (!v->used)
			continue;
		if (v->kind == PLATFORM_IRQ_MSIX) {
			volatile uint32_t *e = msix_entry(d, i);
			if (e)
				e[3] = 1;
		}
		if (v->line)
			line_leave(v);
		dev_session_close(&v->irq);
		if (!v->own_ntfn)
			cap_slot_free(v->ntfn);
		memset(v, 0, sizeof(*v));
	}
	if (d->pci && d->cap_msix)
		pci_wr(d->bdf, d->cap_msix + 2, 2, pci_rd(d->bdf, d->cap_msix + 2, 2) & ~0x8000u);
	if (d->pci && d->cap_msi)
		pci_wr(d->bdf, d->cap_msi + 2, 2, pci_rd(d->bdf, d->cap_msi + 2, 2) & ~1u);
	if (d->pci)
		intx(d, false);
}
