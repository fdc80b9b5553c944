/*
 * Device sessions: IO_MEM (device memory as a dataspace), IO_PORT (an
 * I/O port range: the kernel cap, or in/out done by core) and IRQ (an
 * IOAPIC line or an MSI, signalled to the client's notification). Each
 * resource belongs to at most one session at a time: overlapping requests
 * get RPC_E_BUSY. Ranges that core cannot hand out (RAM, memory the kernel
 * kept, COM1) are refused.
 */
#include "core.h"
#include <argil/args.h>
#include <argil/io.h>
#include <argil/pd.h>

#define IOMEM_CHUNK_BITS 22   /* device blocks of at most 4 MiB (1024 frames) */

/* ---- IO_MEM ---- */

struct iomem_block {
	struct ublock *blk;
	cptr_t first;
	word_t pages;
};

struct iomem_session {
	struct session s;
	word_t base, size;
	bool wc;
	struct ds *ds;
	cptr_t *frames;
	struct iomem_block *blocks;
	word_t nblocks, maxblocks;
	struct iomem_session *next_all;
};

static struct iomem_session *iomem_all;

static word_t block_bits(word_t addr, word_t left)
{
	word_t bits = addr ? (word_t)__builtin_ctzll(addr) : 63;

	if (bits > IOMEM_CHUNK_BITS)
		bits = IOMEM_CHUNK_BITS;
	while ((1ul << bits) > left)
		bits--;
	return bits;
}

static void iomem_destroy(struct session *s)
{
	struct iomem_session *io = (struct iomem_session *)s;
	struct account *a = &s->acct;

	if (io->ds)
		ds_destroy(io->ds);
	for (word_t i = 0; i < io->nblocks; i++) {
		ut_free(io->blocks[i].blk);
		slot_put_run(a, io->blocks[i].first, io->blocks[i].pages);
	}
	acct_free(a, io->blocks, io->maxblocks * sizeof(struct iomem_block));
	acct_free(a, io->frames, (io->size / PAGE) * sizeof(cptr_t));
	struct iomem_session **pp = &iomem_all;
	while (*pp && *pp != io)
		pp = &(*pp)->next_all;
	if (*pp)
		*pp = io->next_all;
}

rpc_status_t iomem_session_create(struct pd *payer, const char *args, word_t ram, word_t caps,
				  struct session **out)
{
	uint64_t base, size;
	char wc[8] = "no";
	struct session *s;
	rpc_status_t st;

	if (args_u64(args, "base", 0, &base) != 1 || args_u64(args, "size", 0, &size) != 1 ||
	    size == 0 || base % PAGE || size % PAGE || base + size < base || base + size > (1ul << 47))
		return RPC_E_INVALID_ARGUMENT;
	args_get(args, "wc", wc, sizeof(wc));
	for (struct iomem_session *o = iomem_all; o; o = o->next_all)
		if (base < o->base + o->size && o->base < base + size)
			return RPC_E_BUSY;
	st = session_new(sizeof(struct iomem_session), payer, ram, caps, K_IOMEM, "", &s);
	if (st != RPC_OK)
		return st;
	struct iomem_session *io = (struct iomem_session *)s;
	struct account *a = &s->acct;
	s->destroy = iomem_destroy;
	io->base = base;
	io->size = size;
	io->wc = !strcmp(wc, "yes");
	io->next_all = iomem_all;
	iomem_all = io;
	word_t n = 0;
	for (word_t p = base, left = size; left;) {
		word_t b = block_bits(p, left);
		p += 1ul << b;
		left -= 1ul << b;
		n++;
	}
	io->maxblocks = n;
	io->blocks = acct_alloc(a, n * sizeof(struct iomem_block), &st);
	if (io->blocks)
		io->frames = acct_alloc(a, (size / PAGE) * sizeof(cptr_t), &st);
	if (!io->blocks || !io->frames)
		goto fail;
	word_t page = 0;
	for (word_t p = base, left = size; left;) {
		word_t b = block_bits(p, left);
		struct iomem_block *ib = &io->blocks[io->nblocks];
		ib->pages = 1ul << (b - PAGE_BITS);
		ib->blk = ut_alloc_at(p, b);
		if (!ib->blk) {
			st = RPC_E_NOT_FOUND;  /* not device memory core has (RAM, or kept by the kernel) */
			goto fail;
		}
		if (!ib->blk->device) {
			ut_free(ib->blk);
			st = RPC_E_DENIED;     /* RAM is not handed out as I/O memory */
			goto fail;
		}
		st = slot_run(a, ib->pages, &ib->first);
		if (st != RPC_OK) {
			ut_free(ib->blk);
			goto fail;
		}
		if (core_retype(ib->blk->cap, OBJ_FRAME_4K, 0, ib->first, ib->pages) != E_OK) {
			ut_free(ib->blk);
			slot_put_run(a, ib->first, ib->pages);
			st = RPC_E_UNAVAILABLE;
			goto fail;
		}
		io->nblocks++;
		for (word_t i = 0; i < ib->pages; i++)
			io->frames[page++] = ib->first + i;
		p += 1ul << b;
		left -= 1ul << b;
	}
	st = ds_new_shared(a, DS_T_IOMEM, size / PAGE, io->frames,
			   DS_IO_MEM | DS_WRITABLE | (io->wc ? DS_WRITE_COMBINED : DS_UNCACHED), base, &io->ds);
	if (st != RPC_OK)
		goto fail;
	io->ds->map_attrs = io->wc ? MAP_WRITE_COMBINING : MAP_UNCACHED;
	*out = s;
	return RPC_OK;
fail:
	session_close(s);
	return st;
}

static rpc_status_t do_iomem_dataspace(struct io_mem_dataspace_call *c)
{
	struct iomem_session *io = c->obj;

	c->out.size = io->size;
	c->out.base = io->base;
	return obj_cap(&io->ds->obj, &io->s.acct, &c->out.ds);
}

RPC_SERVER(io_mem, IO_MEM_RPC)

static const struct io_mem_server iomem_ops = { .io_mem_dataspace = do_iomem_dataspace };

rpc_status_t iomem_serve(struct session *s, struct request *q)
{
	io_mem_dispatch(&iomem_ops, s, q->msg, q->reply, RPC_E_ILLEGAL_OPERATION);
	return q->reply->label;
}

/* ---- IO_PORT ---- */

struct ioport_session {
	struct session s;
	word_t first, last;
	cptr_t cap;
	struct ioport_session *next_all;
};

static struct ioport_session *ioport_all;

static void ioport_destroy(struct session *s)
{
	struct ioport_session *p = (struct ioport_session *)s;

	if (p->cap) {
		c_revoke(p->cap);   /* the copies clients got */
		acct_drop_cap(&s->acct, &p->cap);
	}
	struct ioport_session **pp = &ioport_all;
	while (*pp && *pp != p)
		pp = &(*pp)->next_all;
	if (*pp)
		*pp = p->next_all;
}

rpc_status_t ioport_session_create(struct pd *payer, const char *args, word_t ram, word_t caps,
				   struct session **out)
{
	uint64_t base, size;
	struct session *s;
	rpc_status_t st;

	if (args_u64(args, "base", 0, &base) != 1 || args_u64(args, "size", 0, &size) != 1 ||
	    size == 0 || base > 0xffff || size > 0x10000 - base)
		return RPC_E_INVALID_ARGUMENT;
	word_t first = base, last = base + size - 1;
	if (first <= 0x3ff && last >= 0x3f8)
		return RPC_E_DENIED;   /* COM1 is the kernel's console */
	for (struct ioport_session *o = ioport_all; o; o = o->next_all)
		if (first <= o->last && o->first <= last)
			return RPC_E_BUSY;
	st = session_new(sizeof(struct ioport_session), payer, ram, caps, K_IOPORT, "", &s);
	if (st != RPC_OK)
		return st;
	struct ioport_session *p = (struct ioport_session *)s;
	s->destroy = ioport_destroy;
	p->first = first;
	p->last = last;
	p->next_all = ioport_all;
	ioport_all = p;
	if ((st = acct_charge(&s->acct, 0, 1)) != RPC_OK)
		goto fail;
	if ((st = slot_get(&s->acct, &p->cap)) != RPC_OK) {
		acct_release(&s->acct, 0, 1);
		p->cap = 0;
		goto fail;
	}
	if (ioport_control_issue(INIT_IOPORT_CONTROL, first, last, core_root, p->cap, 64) != E_OK) {
		slot_put(&s->acct, p->cap);
		acct_release(&s->acct, 0, 1);
		p->cap = 0;
		st = RPC_E_UNAVAILABLE;
		goto fail;
	}
	*out = s;
	return RPC_OK;
fail:
	session_close(s);
	return st;
}

static rpc_status_t do_ioport_cap(struct io_port_cap_call *c)
{
	c->out.cap = ((struct ioport_session *)c->obj)->cap;
	return RPC_OK;
}

/* A port access of width bytes that lies within the session's range. */
static bool port_ok(struct ioport_session *p, word_t port, word_t width)
{
	return (width == 1 || width == 2 || width == 4) && port >= p->first && port <= p->last &&
	       port + width - 1 <= p->last;
}

static rpc_status_t do_ioport_in(struct io_port_in_call *c)
{
	struct ioport_session *p = c->obj;
	word_t port = c->in.port, width = c->in.width, *v = &c->out.value;
	abi_error_t e;

	if (!port_ok(p, port, width))
		return RPC_E_INVALID_ARGUMENT;
	e = width == 1 ? ioport_in8(p->cap, port, v)
	  : width == 2 ? ioport_in16(p->cap, port, v) : ioport_in32(p->cap, port, v);
	return e != E_OK ? RPC_E_INVALID_ARGUMENT : RPC_OK;
}

static rpc_status_t do_ioport_out(struct io_port_out_call *c)
{
	struct ioport_session *p = c->obj;
	word_t port = c->in.port, width = c->in.width, v = c->in.value;
	abi_error_t e;

	if (!port_ok(p, port, width))
		return RPC_E_INVALID_ARGUMENT;
	e = width == 1 ? ioport_out8(p->cap, port, v)
	  : width == 2 ? ioport_out16(p->cap, port, v) : ioport_out32(p->cap, port, v);
	return e != E_OK ? RPC_E_INVALID_ARGUMENT : RPC_OK;
}

RPC_SERVER(io_port, IO_PORT_RPC)

static const struct io_port_server ioport_ops = {
	.io_port_cap = do_ioport_cap,
	.io_port_in = do_ioport_in,
	.io_port_out = do_ioport_out,
};

rpc_status_t ioport_serve(struct session *s, struct request *q)
{
	io_port_dispatch(&ioport_ops, s, q->msg, q->reply, RPC_E_ILLEGAL_OPERATION);
	return q->reply->label;
}

/* ---- IRQ ---- */

struct irq_session {
	struct session s;
	word_t msi, number, addr, data;
	cptr_t handler, sigh;
};

static uint64_t msi_used;

static void irq_destroy(struct session *s)
{
	struct irq_session *q = (struct irq_session *)s;

	if (q->handler) {
		acct_drop_cap(&s->acct, &q->handler);  /* masks the line, frees the IRQ */
		if (q->msi)
			msi_used &= ~(1ull << q->number);
	}
	acct_drop_cap(&s->acct, &q->sigh);
}

rpc_status_t irq_session_create(struct pd *payer, const char *args, word_t ram, word_t caps,
				struct session **out)
{
	char type[8] = "ioapic", trigger[8] = "edge", polarity[8] = "high";
	uint64_t irq = 0;
	struct session *s;
	rpc_status_t st;

	args_get(args, "type", type, sizeof(type));
	args_get(args, "trigger", trigger, sizeof(trigger));
	args_get(args, "polarity", polarity, sizeof(polarity));
	bool msi = !strcmp(type, "msi");
	if (!msi && strcmp(type, "ioapic"))
		return RPC_E_INVALID_ARGUMENT;
	if (!msi && (args_u64(args, "irq", 0, &irq) != 1 || irq > 63))
		return RPC_E_INVALID_ARGUMENT;
	if ((strcmp(trigger, "edge") && strcmp(trigger, "level")) ||
	    (strcmp(polarity, "high") && strcmp(polarity, "low")))
		return RPC_E_INVALID_ARGUMENT;
	st = session_new(sizeof(struct irq_session), payer, ram, caps, K_IRQ, "", &s);
	if (st != RPC_OK)
		return st;
	struct irq_session *q = (struct irq_session *)s;
	s->destroy = irq_destroy;
	q->msi = msi;
	if ((st = acct_charge(&s->acct, 0, 1)) != RPC_OK)
		goto fail;
	if ((st = slot_get(&s->acct, &q->handler)) != RPC_OK) {
		acct_release(&s->acct, 0, 1);
		q->handler = 0;
		goto fail;
	}
	abi_error_t e = E_BUSY;
	if (msi) {
		for (word_t n = 0; n < 64 && e != E_OK; n++) {
			if (msi_used & (1ull << n))
				continue;
			e = irq_control_get_msi(INIT_IRQ_CONTROL, core_root, q->handler, 64, n, &q->addr, &q->data);
			if (e == E_OK) {
				q->number = n;
				msi_used |= 1ull << n;
			}
		}
	} else {
		q->number = irq;
		e = irq_control_get_ioapic(INIT_IRQ_CONTROL, core_root, q->handler, 64, irq,
					   !strcmp(trigger, "level"), !strcmp(polarity, "low"));
	}
	if (e != E_OK) {
		slot_put(&s->acct, q->handler);
		acct_release(&s->acct, 0, 1);
		q->handler = 0;
		st = e == E_BUSY ? RPC_E_BUSY : e == E_RANGE ? RPC_E_INVALID_ARGUMENT : RPC_E_UNAVAILABLE;
		goto fail;
	}
	*out = s;
	return RPC_OK;
fail:
	session_close(s);
	return st;
}

static rpc_status_t do_irq_sigh(struct irq_sigh_call *c)
{
	struct irq_session *q = c->obj;
	struct account *a = &q->s.acct;
	rpc_status_t st;

	irq_handler_clear(q->handler);
	acct_drop_cap(a, &q->sigh);
	st = acct_keep_sigh(a, c->in.ntfn, &q->sigh);
	if (st == RPC_OK && q->sigh && irq_handler_set_notification(q->handler, q->sigh) != E_OK) {
		acct_drop_cap(a, &q->sigh);
		st = RPC_E_INVALID_CAP;   /* not a notification, or without WRITE */
	}
	return st;
}

static rpc_status_t do_irq_ack(struct irq_ack_call *c)
{
	irq_handler_ack(((struct irq_session *)c->obj)->handler);
	return RPC_OK;
}

static rpc_status_t do_irq_info(struct irq_info_call *c)
{
	struct irq_session *q = c->obj;

	c->out.type = q->msi;
	c->out.number = q->number;
	c->out.msi_addr = q->addr;
	c->out.msi_data = q->data;
	return RPC_OK;
}

RPC_SERVER(irq, IRQ_RPC)

static const struct irq_server irq_ops = {
	.irq_sigh = do_irq_sigh,
	.irq_ack = do_irq_ack,
	.irq_info = do_irq_info,
};

rpc_status_t irq_serve(struct session *s, struct request *r)
{
	irq_dispatch(&irq_ops, s, r->msg, r->reply, RPC_E_ILLEGAL_OPERATION);
	return r->reply->label;
}
