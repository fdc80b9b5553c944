/*
 * The driver side of the multiplexer (mux.h): Block_driver sessions,
 * the disks they announce, and the request engine.
 *
 * A disk is known by its driver's session label and the driver's name for
 * it. Every request (a client's, or a read of the partition scan) stays
 * in the disk's queue, in order of submission, until the driver has
 * acknowledged all of it. It is cut into pieces of at most the driver's
 * largest request; each piece is a packet in the driver's stream,
 * remembered by its offset. When the driver's session ends (it died or
 * was restarted) the pieces it had are forgotten and every request of
 * the queue starts over: a new session for the same disk (same driver
 * label, name, block size and count) gets them all again, in order.
 *
 * Trusts its parent and core. Drivers are trusted to do the transfers
 * they are given (that is what they are for), not with the stream: an
 * acknowledgement that names no packet in flight is ignored and logged, a
 * read whose acknowledged size differs is a failed request, a corrupted
 * stream stops the disk until the driver comes again.
 */
#include <argil/args.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <block_connection.h>
#include "mux.h"

struct disk disks[DISKS_MAX];
static bool pumping[DISKS_MAX], again[DISKS_MAX];

static bool disk_name_ok(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		char ch = s[n];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return false;
	}
	return n > 0 && n < BLOCK_DISK_NAME_MAX;
}

struct disk *disk_named(const char *name)
{
	for (int i = 0; i < DISKS_MAX; i++)
		if (disks[i].used && !strcmp(disks[i].name, name))
			return &disks[i];
	return 0;
}

/* ---- the queue ---- */

static uint64_t units(const struct req *r)
{
	return r->count ? r->count : 1;   /* a SYNC is one unit */
}

static struct req *req_alloc(struct disk *d)
{
	for (int i = 0; i < REQS_MAX; i++) {
		struct req *r = &d->reqs[i];
		if (r->used)
			continue;
		memset(r, 0, sizeof(*r));
		r->used = true;
		if (d->tail)
			d->tail->next = r;
		else
			d->head = r;
		d->tail = r;
		d->nreqs++;
		return r;
	}
	return 0;
}

static void req_unlink(struct disk *d, struct req *r)
{
	struct req **pp = &d->head, *prev = 0;

	while (*pp && *pp != r) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (!*pp)
		return;
	*pp = r->next;
	if (d->tail == r)
		d->tail = prev;
	r->used = false;
	d->nreqs--;
}

static void scan_next(struct disk *d);

static void scan_report(struct disk *d)
{
	const struct part_table *t = &d->scan.table;

	log("disk %s (%s): %u x %lu blocks, %s, table %s%s, %u partition%s", d->name, d->driver,
	    d->block_size, (unsigned long)d->count, (d->flags & BLOCK_WRITABLE) ? "writable" :
	    "read-only", part_scheme_name(t->scheme), t->backup_used ? " (from the backup GPT)" : "",
	    t->count, t->count == 1 ? "" : "s");
	for (unsigned i = 0; i < t->nnotes; i++)
		log("disk %s: partition table: %s", d->name, t->notes[i]);
	for (unsigned i = 0; i < t->count; i++)
		log("disk %s: partition %u '%s': blocks %lu..%lu", d->name, t->part[i].number,
		    t->part[i].name, (unsigned long)t->part[i].start,
		    (unsigned long)(t->part[i].start + t->part[i].length - 1));
}

/* A request is done: off the queue, to its client or the scan. */
static void complete(struct disk *d, struct req *r)
{
	struct client *c = r->c;
	struct ps_desc cd = r->cd;
	uint16_t status = r->status;
	bool scan = r->scan;
	bool was_full = d->nreqs == REQS_MAX;

	req_unlink(d, r);
	if (c)
		client_done(c, &cd, status);
	if (scan) {
		part_scan_feed(&d->scan, status == PS_STATUS_OK ? d->scan_buf : 0);
		scan_next(d);
	}
	if (was_full)
		clients_resume(d);
}

static void scan_next(struct disk *d)
{
	uint64_t lba;
	uint32_t n;
	struct req *r;
	size_t bytes;

	if (!part_scan_need(&d->scan, &lba, &n)) {
		d->state = DISK_READY;
		scan_report(d);
		report_update();
		clients_disk_ready(d);
		return;
	}
	bytes = (size_t)n * d->block_size;
	if (bytes > d->scan_buf_size) {
		free(d->scan_buf);
		d->scan_buf = malloc(bytes);
		d->scan_buf_size = d->scan_buf ? bytes : 0;
	}
	r = d->scan_buf ? req_alloc(d) : 0;
	if (!r) {
		log("error: disk %s: no memory for the partition scan", d->name);
		part_scan_feed(&d->scan, 0);
		scan_next(d);
		return;
	}
	r->scan = true;
	r->op = BLOCK_OP_READ;
	r->start = lba;
	r->count = n;
	r->data = d->scan_buf;
}

bool disk_queue(struct disk *d, struct client *c, const struct ps_desc *cd, unsigned op,
		uint64_t start, uint64_t count, uint8_t *data)
{
	struct req *r = req_alloc(d);

	if (!r)
		return false;
	r->c = c;
	r->cd = *cd;
	r->op = op;
	r->start = start;
	r->count = count;
	r->data = data;
	return true;
}

void disk_forget_client(struct disk *d, struct client *c)
{
	struct req *r, *next;

	for (r = d->head; r; r = next) {
		next = r->next;
		if (r->c != c)
			continue;
		r->c = 0;
		r->data = 0;
		/* what the driver has comes back and is dropped; the rest is not sent */
		if (!r->inflight)
			req_unlink(d, r);
	}
}

/* ---- the driver's stream ---- */

static void take_acks(struct disk *d, struct drv_session *s)
{
	struct ps_desc a;
	ps_error_t e;

	for (;;) {
		e = ps_get_ack(&s->src, &a);
		if (e == PS_E_EMPTY)
			return;
		if (e == PS_E_BAD_DESC) {
			log("error: disk %s: the driver acknowledged a packet it does not have "
			    "(offset 0x%lx): ignored", d->name, (unsigned long)a.offset);
			continue;
		}
		if (e != PS_OK) {
			log("error: disk %s: driver stream broken (%s): waiting for the driver to "
			    "come again", d->name, ps_error_name(e));
			s->streaming = false;
			return;
		}
		uint32_t idx = (uint32_t)(a.offset / s->src.block_size);
		struct piece p = s->pieces[idx];
		struct req *r = p.r;
		s->pieces[idx].r = 0;
		if (r && a.status != PS_STATUS_OK) {
			if (r->status == PS_STATUS_OK)
				r->status = PS_STATUS_ERROR;
		} else if (r && r->op == BLOCK_OP_READ && a.size != p.bytes) {
			r->status = PS_STATUS_ERROR;
		} else if (r && r->op == BLOCK_OP_READ && r->data) {
			/* the client's payload was checked when it was taken, the
			 * piece's range is the one we allocated */
			memcpy_bulk(r->data + (p.block - r->start) * d->block_size,
				   s->src.e.payload + a.offset, p.bytes);
		}
		ps_free(&s->src, &a);
		if (!r)
			continue;
		r->inflight--;
		r->acked += r->op == BLOCK_OP_SYNC ? 1 : p.bytes / d->block_size;
		if (!r->inflight && (r->acked == units(r) || (!r->c && !r->scan)))
			complete(d, r);
	}
}

/* Submit pieces, oldest request first; false when the stream is full. */
static bool submit_pieces(struct disk *d, struct drv_session *s, struct req *r)
{
	while (r->sent < units(r)) {
		uint64_t left = units(r) - r->sent, n;
		uint32_t bytes;
		struct ps_desc p;

		if (!r->c && !r->scan)
			return true;   /* its client went: nothing more of it */
		if (r->op == BLOCK_OP_SYNC) {
			n = 1;
			bytes = 0;
		} else {
			n = d->max_piece / d->block_size;
			if (n > left)
				n = left;
			bytes = (uint32_t)(n * d->block_size);
		}
		if (!ps_submit_has_room(&s->src) || ps_alloc(&s->src, bytes ? bytes : 1, &p) != PS_OK)
			return false;
		uint64_t block = r->op == BLOCK_OP_SYNC ? 0 : r->start + r->sent;
		if (r->op == BLOCK_OP_WRITE)
			memcpy_bulk(s->src.e.payload + p.offset,
				  r->data + r->sent * d->block_size, bytes);
		p.size = bytes;
		p.opcode = (uint16_t)r->op;
		p.arg = block;
		p.tag = (uint64_t)(r - d->reqs);
		if (ps_submit(&s->src, &p) != PS_OK) {
			ps_free(&s->src, &p);
			return false;
		}
		s->pieces[p.offset / s->src.block_size] = (struct piece){ r, block, bytes };
		r->sent += n;
		r->inflight++;
	}
	return true;
}

void disk_pump(struct disk *d)
{
	int i = (int)(d - disks);

	if (pumping[i]) {
		again[i] = true;
		return;
	}
	pumping[i] = true;
	do {
		struct drv_session *s = d->drv;
		again[i] = false;
		if (!s || !s->streaming)
			break;
		take_acks(d, s);
		if (d->drv != s || !s->streaming)
			break;
		for (struct req *r = d->head; r; r = r->next)
			if (!submit_pieces(d, s, r))
				break;
	} while (again[i]);
	pumping[i] = false;
}

/* ---- Block_driver sessions ---- */

RPC_SERVER(blkdrv, BLKDRV_RPC)

static void on_driver_signal(void *arg)
{
	struct drv_session *s = arg;

	if (s->disk && s->disk->drv == s)
		disk_pump(s->disk);
}

static rpc_status_t do_announce(struct blkdrv_announce_call *c)
{
	struct drv_session *s = c->obj;
	word_t bs = c->in.block_size;

	if (s->announced || bs < 512 || bs > 65536 || (bs & (bs - 1)) || !c->in.count ||
	    c->in.count > (~0ull >> 17) || (c->in.flags & ~(word_t)(BLOCK_WRITABLE | BLOCK_TRIM)) ||
	    (c->in.max_request && c->in.max_request < bs))
		return RPC_E_INVALID_ARGUMENT;
	s->block_size = (uint32_t)bs;
	s->count = c->in.count;
	s->flags = c->in.flags;
	s->max_request = c->in.max_request > 0x80000000ul ? 0x80000000u : (uint32_t)c->in.max_request;
	s->announced = true;
	return RPC_OK;
}

/* Every request of the queue starts over (the pieces went with the driver). */
static void queue_restart(struct disk *d)
{
	struct req *r, *next;

	for (r = d->head; r; r = next) {
		next = r->next;
		if (!r->c && !r->scan) {
			req_unlink(d, r);   /* its client went */
			continue;
		}
		if (r->sent)
			d->replayed++;
		r->sent = r->acked = 0;
		r->inflight = 0;
		r->status = PS_STATUS_OK;
	}
}

/* The disk of a driver whose stream is ready: the known one again or a new one. */
static rpc_status_t attach_disk(struct drv_session *s)
{
	struct disk *d = disk_named(s->name);
	bool fresh = false;

	if (d && strcmp(d->driver, s->ss.label)) {
		log("error: driver '%s' announces disk %s, which is driver '%s''s", s->ss.label,
		    s->name, d->driver);
		return RPC_E_BUSY;
	}
	if (d && d->drv) {
		log("error: disk %s has a driver session already", s->name);
		return RPC_E_BUSY;
	}
	if (d && (d->block_size != s->block_size || d->count != s->count)) {
		log("disk %s changed (%u x %lu blocks, was %u x %lu): its requests fail, "
		    "the table is read again", s->name, s->block_size, (unsigned long)s->count,
		    d->block_size, (unsigned long)d->count);
		for (struct req *r = d->head, *next; r; r = next) {
			next = r->next;
			if (r->c)
				client_done(r->c, &r->cd, PS_STATUS_ERROR);
			req_unlink(d, r);
		}
		fresh = true;
	}
	if (!d) {
		for (int i = 0; i < DISKS_MAX && !d; i++)
			if (!disks[i].used)
				d = &disks[i];
		if (!d) {
			log("error: more than %d disks: %s refused", DISKS_MAX, s->name);
			return RPC_E_UNAVAILABLE;
		}
		memset(d, 0, sizeof(*d));
		d->used = true;
		memcpy(d->name, s->name, sizeof(d->name));
		memcpy(d->driver, s->ss.label, sizeof(d->driver));
		fresh = true;
	}
	d->block_size = s->block_size;
	d->count = s->count;
	d->flags = s->flags;
	/* a piece at most the largest power of two in half the payload area:
	 * two in flight, and large requests cut into equal pieces */
	uint64_t piece = 1ull << (63 - __builtin_clzll(s->src.e.payload_size / 2 | 1));
	if (s->max_request && piece > s->max_request)
		piece = s->max_request;
	piece &= ~(uint64_t)(d->block_size - 1);
	if (piece < d->block_size)
		piece = d->block_size;
	if (piece > s->src.e.payload_size)
		return RPC_E_INVALID_ARGUMENT;
	d->max_piece = (uint32_t)piece;
	d->drv = s;
	s->disk = d;
	d->drivers++;
	if (d->drivers > 1)
		log("disk %s: driver back (session %u): %u request%s submitted again", d->name,
		    d->drivers, d->nreqs, d->nreqs == 1 ? "" : "s");
	if (fresh) {
		d->state = DISK_SCANNING;
		part_scan_init(&d->scan, d->block_size, d->count);
		scan_next(d);
	}
	report_update();
	return RPC_OK;
}

static rpc_status_t do_stream(struct blkdrv_stream_call *c)
{
	struct drv_session *s = c->obj;
	struct rpc_msg *m = c->in.ds;
	word_t size = 0, at;
	rpc_status_t st;

	if (!s->announced || s->ds)
		return RPC_E_INVALID_ARGUMENT;
	if (m->cap_kind != RPC_CAP_PLACED)
		return RPC_E_INVALID_CAP;
	s->ds = m->cap;
	m->cap = 0;   /* ours now */
	st = ds_info(s->ds, &size, 0, 0);
	if (st == RPC_OK)
		st = pd_attach(COMPONENT_PD, s->ds, 0, 0, 0, ATTACH_WRITE, &at);
	if (st != RPC_OK) {
		cap_slot_free(s->ds);
		s->ds = 0;
		return RPC_E_INVALID_CAP;
	}
	s->mem = (uint8_t *)at;
	s->size = size;
	if (ps_source_init(&s->src, s->mem, size, ps_signal_caps, &s->peer) != PS_OK)
		return RPC_E_INVALID_ARGUMENT;
	st = attach_disk(s);
	if (st != RPC_OK)
		return st;
	s->streaming = true;
	disk_pump(s->disk);
	return RPC_OK;
}

static rpc_status_t do_sigh(struct blkdrv_sigh_call *c)
{
	struct drv_session *s = c->obj;
	cptr_t slot;
	rpc_status_t st;

	if (c->in.cond != PS_SUBMIT_READY && c->in.cond != PS_ACK_SLOT_FREE)
		return RPC_E_INVALID_ARGUMENT;
	slot = s->peer.cap[c->in.cond];
	st = rpc_take_sigh(c->in.ntfn, &slot, false);
	s->peer.cap[c->in.cond] = slot;
	return st;
}

static rpc_status_t do_cap(struct blkdrv_cap_call *c)
{
	struct drv_session *s = c->obj;

	if (c->in.cond == PS_ACK_READY)
		c->out.ntfn = s->ack_ready.cap;
	else if (c->in.cond == PS_SUBMIT_SLOT_FREE)
		c->out.ntfn = s->slot_free.cap;
	else
		return RPC_E_INVALID_ARGUMENT;
	return RPC_OK;
}

static const struct blkdrv_server ops = {
	.blkdrv_announce = do_announce,
	.blkdrv_stream = do_stream,
	.blkdrv_sigh = do_sigh,
	.blkdrv_cap = do_cap,
};

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	blkdrv_dispatch(&ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static void release(struct drv_session *s)
{
	struct disk *d = s->disk;

	if (d && d->drv == s) {
		d->drv = 0;
		queue_restart(d);
		log("disk %s: driver gone: %u request%s kept for its successor", d->name, d->nreqs,
		    d->nreqs == 1 ? "" : "s");
		report_update();
	}
	s->disk = 0;
	s->streaming = false;
	signal_handler_fini(&env->ep, &s->ack_ready);
	signal_handler_fini(&env->ep, &s->slot_free);
	for (int i = 0; i < PS_CONDS; i++)
		cap_slot_free((cptr_t)s->peer.cap[i]);
	/* the stream is the driver's: only detached, never touched again */
	if (s->mem)
		pd_detach(COMPONENT_PD, (word_t)s->mem);
	cap_slot_free(s->ds);
	free(s->pieces);
}

static rpc_status_t create(struct session_server *srv, struct server_session *ss, const char *args)
{
	struct drv_session *s = (struct drv_session *)ss;
	rpc_status_t st;

	(void)srv;
	s->ack_ready.bit = s->slot_free.bit = -1;
	if (!args_get(args, "disk", s->name, sizeof(s->name)) || !disk_name_ok(s->name))
		return RPC_E_INVALID_ARGUMENT;
	if (!budget_take(&ss->budget, BLKDRV_SESSION_RAM, BLKDRV_SESSION_CAPS))
		return RPC_E_NO_RAM_QUOTA;
	s->pieces = calloc(PS_MAX_BLOCKS, sizeof(struct piece));
	if (!s->pieces)
		return RPC_E_NO_RAM_QUOTA;
	st = signal_handler_init(&env->ep, &s->ack_ready, on_driver_signal, s);
	if (st == RPC_OK)
		st = signal_handler_init(&env->ep, &s->slot_free, on_driver_signal, s);
	if (st != RPC_OK)
		release(s);
	return st;
}

static void destroy(struct session_server *srv, struct server_session *ss)
{
	(void)srv;
	release((struct drv_session *)ss);
}

static struct session_server server = {
	.service = BLKDRV_SERVICE,
	.size = sizeof(struct drv_session),
	.ram = BLKDRV_SESSION_RAM,
	.caps = BLKDRV_SESSION_CAPS,
	.create = create,
	.destroy = destroy,
	.rpc = session_rpc,
};

rpc_status_t driver_serve(void)
{
	server.ep = &env->ep;
	return session_server_announce(&server);
}
