/*
 * Block sessions of the multiplexer (mux.h): each client sees what the
 * policy for its label grants, a whole disk or one partition (by number
 * or GPT label), writable or not, as blocks 0..count-1, and never a
 * block outside it.
 *
 *   <policy label="fs -> data" disk="vd0" partition="2" writable="yes"/>
 *   <policy label_prefix="backup" disk="vd1" partition_label="backup"/>
 *   <policy label="tool" disk="vd0"/>                 (the whole disk)
 *
 * BLOCK_INFO waits (a deferred reply) until the disk is there and its
 * partition table read, so a client may start before its disk's driver.
 *
 * Trusts its parent and core. Clients are trusted for nothing: each
 * descriptor's range in the payload area is checked by the packet stream,
 * its opcode, size (whole blocks), blocks (inside the granted range, the
 * sum checked against overflow) and the write permission here, before a
 * request reaches a disk; a corrupted stream ends that client's stream
 * and nothing else.
 */
#include <argil/args.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <rom_server.h>
#include "mux.h"

#define CLIENT_PENDING 256

struct client {
	struct server_session ss;
	struct client *next;
	char disk_name[BLOCK_DISK_NAME_MAX];
	unsigned partno;                  /* 0: by label or the whole disk */
	char part_label[PART_NAME_MAX];
	bool want_writable;
	struct disk *disk;
	bool resolved, failed;
	uint64_t offset, count;           /* the granted range, absolute blocks */
	uint32_t block_size;
	bool writable, trim;
	struct ram_buf mem;
	struct ps_sink sink;
	struct ps_caps peer;              /* the client's: ack ready, submit slot free */
	struct signal_handler submit_ready, ack_slot_free;
	struct rpc_reply_cap info_rc;
	bool info_waiting;
	struct ps_desc pending[CLIENT_PENDING];
	unsigned phead, npending, inflight;
	bool dead_logged;
};

static struct client *clients;

RPC_SERVER(block, BLOCK_RPC)

static void put_ack(struct client *c, const struct ps_desc *d)
{
	if (!c->npending) {
		ps_error_t e = ps_ack(&c->sink, d);
		if (e == PS_OK)
			return;
		if (e != PS_E_FULL)
			return;   /* dead stream: the client gets nothing more */
	}
	if (c->npending == CLIENT_PENDING)
		return;   /* cannot happen: we take no more than fit */
	c->pending[(c->phead + c->npending) % CLIENT_PENDING] = *d;
	c->npending++;
}

static void flush(struct client *c)
{
	while (c->npending) {
		if (ps_ack(&c->sink, &c->pending[c->phead]) != PS_OK)
			return;
		c->phead = (c->phead + 1) % CLIENT_PENDING;
		c->npending--;
	}
}

/* Why the client's request d cannot be done (0: it can). */
static unsigned check(struct client *c, const struct ps_desc *d, uint64_t *n)
{
	*n = 0;
	switch (d->opcode) {
	case BLOCK_OP_SYNC:
		return 0;
	case BLOCK_OP_READ:
	case BLOCK_OP_WRITE:
	case BLOCK_OP_TRIM:
		break;
	default:
		return PS_STATUS_BAD_OPCODE;
	}
	if (d->opcode == BLOCK_OP_TRIM && !c->trim)
		return PS_STATUS_BAD_OPCODE;
	if (!d->size || d->size % c->block_size)
		return BLOCK_STATUS_RANGE;
	*n = d->size / c->block_size;
	if (d->arg >= c->count || *n > c->count - d->arg)
		return BLOCK_STATUS_RANGE;
	if (d->opcode != BLOCK_OP_READ && !c->writable)
		return BLOCK_STATUS_READONLY;
	return 0;
}

/* Take the client's requests while its disk has room. */
static void take(struct client *c)
{
	struct disk *d = c->disk;
	struct ps_desc p;
	ps_error_t e;
	bool queued = false;

	flush(c);
	while (c->resolved && d && d->nreqs < REQS_MAX &&
	       c->inflight + c->npending < CLIENT_PENDING) {
		uint64_t n;
		unsigned bad;

		e = ps_get_packet(&c->sink, &p);
		if (e == PS_E_EMPTY)
			break;
		if (e == PS_E_BAD_DESC) {
			p.size = 0;
			p.status = PS_STATUS_BAD_DESC;
			put_ack(c, &p);
			continue;
		}
		if (e != PS_OK) {
			if (!c->dead_logged)
				log("session '%s': stream dead: %s", c->ss.label, ps_error_name(e));
			c->dead_logged = true;
			break;
		}
		bad = check(c, &p, &n);
		if (bad) {
			p.status = (uint16_t)bad;
			put_ack(c, &p);
			continue;
		}
		uint8_t *data = p.opcode == BLOCK_OP_SYNC || p.opcode == BLOCK_OP_TRIM
				? 0 : ps_payload(&c->sink.e, &p);
		if (!disk_queue(d, c, &p, p.opcode, p.opcode == BLOCK_OP_SYNC ? 0 : c->offset + p.arg,
				n, data))
			break;   /* cannot be: room was checked */
		c->inflight++;
		queued = true;
	}
	if (queued && d)
		disk_pump(d);
}

void client_done(struct client *c, const struct ps_desc *cd, uint16_t status)
{
	struct ps_desc a = *cd;

	a.status = status;
	if (status != PS_STATUS_OK && a.opcode == BLOCK_OP_READ)
		a.size = cd->size;   /* the range stays the client's to free */
	c->inflight--;
	put_ack(c, &a);
}

static bool resolve(struct client *c)
{
	struct disk *d = disk_named(c->disk_name);
	const struct part_table *t;

	if (c->resolved || c->failed)
		return true;
	if (!d || d->state != DISK_READY)
		return false;
	t = &d->scan.table;
	c->disk = d;
	c->block_size = d->block_size;
	if (!c->partno && !c->part_label[0]) {
		c->offset = 0;
		c->count = d->count;
	} else {
		const struct part *p = 0;
		for (unsigned i = 0; i < t->count && !p; i++)
			if (c->partno ? t->part[i].number == c->partno
				      : !strcmp(t->part[i].name, c->part_label))
				p = &t->part[i];
		if (!p) {
			if (c->partno)
				log("error: session '%s': disk %s has no partition %u", c->ss.label,
				    d->name, c->partno);
			else
				log("error: session '%s': disk %s has no partition labelled '%s'",
				    c->ss.label, d->name, c->part_label);
			c->failed = true;
			c->disk = 0;
			return true;
		}
		c->offset = p->start;
		c->count = p->length;
	}
	c->writable = c->want_writable && (d->flags & BLOCK_WRITABLE);
	c->trim = c->writable && (d->flags & BLOCK_TRIM);
	c->resolved = true;
	log("session '%s': disk %s blocks %lu..%lu (%lu), %s", c->ss.label, d->name,
	    (unsigned long)c->offset, (unsigned long)(c->offset + c->count - 1),
	    (unsigned long)c->count, c->writable ? "writable" : "read-only");
	return true;
}

static rpc_status_t info_out(struct client *c, struct block_info_out *o)
{
	if (c->failed)
		return RPC_E_NOT_FOUND;
	o->block_size = c->block_size;
	o->count = c->count;
	o->flags = (c->writable ? BLOCK_WRITABLE : 0) | (c->trim ? BLOCK_TRIM : 0);
	return RPC_OK;
}

static void answer_info(struct client *c)
{
	struct block_info_out o;
	struct rpc_msg rep;

	if (!c->info_waiting)
		return;
	c->info_waiting = false;
	rpc_init(&rep, info_out(c, &o));
	if (rep.label == RPC_OK)
		block_info_reply(&rep, &o);
	rpc_reply_deferred(&c->info_rc, &rep);
}

void clients_disk_ready(struct disk *d)
{
	for (struct client *c = clients; c; c = c->next) {
		if (strcmp(c->disk_name, d->name))
			continue;
		if (resolve(c)) {
			answer_info(c);
			take(c);
		}
	}
}

void clients_resume(struct disk *d)
{
	for (struct client *c = clients; c; c = c->next)
		if (c->disk == d)
			take(c);
}

/* ---- RPC ---- */

static void on_client_signal(void *arg)
{
	take(arg);
}

static rpc_status_t do_info(struct block_info_call *call)
{
	struct client *c = call->obj;

	if (resolve(c))
		return info_out(c, &call->out);
	if (c->info_waiting)
		return RPC_E_BUSY;
	if (rpc_defer(&env->ep, &c->info_rc) != RPC_OK)
		return RPC_E_UNAVAILABLE;
	c->info_waiting = true;
	return RPC_OK;
}

static rpc_status_t do_stream(struct block_stream_call *call)
{
	struct client *c = call->obj;

	call->out.ds = c->mem.ds;
	call->out.size = c->mem.size;
	return RPC_OK;
}

static rpc_status_t do_sigh(struct block_sigh_call *call)
{
	struct client *c = call->obj;
	cptr_t slot;
	rpc_status_t st;

	if (call->in.cond != PS_ACK_READY && call->in.cond != PS_SUBMIT_SLOT_FREE)
		return RPC_E_INVALID_ARGUMENT;
	slot = c->peer.cap[call->in.cond];
	st = rpc_take_sigh(call->in.ntfn, &slot, false);
	c->peer.cap[call->in.cond] = slot;
	return st;
}

static rpc_status_t do_cap(struct block_cap_call *call)
{
	struct client *c = call->obj;

	if (call->in.cond == PS_SUBMIT_READY)
		call->out.ntfn = c->submit_ready.cap;
	else if (call->in.cond == PS_ACK_SLOT_FREE)
		call->out.ntfn = c->ack_slot_free.cap;
	else
		return RPC_E_INVALID_ARGUMENT;
	return RPC_OK;
}

static const struct block_server ops = {
	.block_info = do_info,
	.block_stream = do_stream,
	.block_sigh = do_sigh,
	.block_cap = do_cap,
};

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	block_dispatch(&ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

/* ---- sessions ---- */

static const struct cfg_node *policy_for(const char *label)
{
	const struct cfg_node *cfg = config_policies();

	for (const struct cfg_node *p = cfg ? cfg_child(cfg, "policy") : 0; p;
	     p = cfg_next(p, "policy"))
		if (policy_matches(p, label))
			return p;
	return 0;
}

static void release(struct client *c)
{
	struct client **pp = &clients;

	while (*pp && *pp != c)
		pp = &(*pp)->next;
	if (*pp)
		*pp = c->next;
	if (c->disk)
		disk_forget_client(c->disk, c);
	if (c->info_waiting) {
		struct rpc_msg rep;
		rpc_init(&rep, RPC_E_UNAVAILABLE);
		c->info_waiting = false;
		rpc_reply_deferred(&c->info_rc, &rep);
	}
	signal_handler_fini(&env->ep, &c->submit_ready);
	signal_handler_fini(&env->ep, &c->ack_slot_free);
	for (int i = 0; i < PS_CONDS; i++)
		cap_slot_free((cptr_t)c->peer.cap[i]);
	ram_buf_free(&c->mem);
}

static rpc_status_t create(struct session_server *srv, struct server_session *ss, const char *args)
{
	struct client *c = (struct client *)ss;
	const struct cfg_node *p = policy_for(ss->label);
	uint64_t size, slots, partno = 0;
	const char *v;
	rpc_status_t st;

	(void)srv;
	c->submit_ready.bit = c->ack_slot_free.bit = -1;
	if (!p) {
		log("session '%s' denied: no policy for its label", ss->label);
		return RPC_E_DENIED;
	}
	v = cfg_attr(p, "disk");
	if (!v || strlen(v) >= sizeof(c->disk_name) ||
	    cfg_attr_u64(p, "partition", 0, &partno) < 0 || partno > 0xffff ||
	    cfg_attr_bool(p, "writable", false, &c->want_writable) < 0 ||
	    (cfg_has_attr(p, "partition") && cfg_has_attr(p, "partition_label")) ||
	    (cfg_has_attr(p, "partition") && !partno)) {
		log("error: policy for '%s' is malformed (disk=NAME, partition=N or "
		    "partition_label=L, writable=yes|no)", ss->label);
		return RPC_E_DENIED;
	}
	memcpy(c->disk_name, v, strlen(v) + 1);
	c->partno = (unsigned)partno;
	v = cfg_attr(p, "partition_label");
	if (v) {
		if (!*v || strlen(v) >= sizeof(c->part_label)) {
			log("error: policy for '%s': partition_label empty or too long", ss->label);
			return RPC_E_DENIED;
		}
		memcpy(c->part_label, v, strlen(v) + 1);
	}
	if (args_u64(args, "size", BLOCK_STREAM_DEFAULT, &size) < 0 || size < 8192 ||
	    size > BLOCK_STREAM_MAX || args_u64(args, "slots", 64, &slots) < 0 ||
	    slots > PS_MAX_SLOTS)
		return RPC_E_INVALID_ARGUMENT;
	size = PAGES(size) * 4096;
	if (!budget_take(&ss->budget, BLOCK_SESSION_RAM(size), BLOCK_SESSION_CAPS))
		return RPC_E_NO_RAM_QUOTA;
	st = ram_buf_alloc(&c->mem, size);
	if (st != RPC_OK)
		return st;
	if (ps_format(c->mem.va, size, (uint32_t)slots) != PS_OK ||
	    ps_sink_init(&c->sink, c->mem.va, size, ps_signal_caps, &c->peer) != PS_OK) {
		release(c);
		return RPC_E_INVALID_ARGUMENT;
	}
	st = signal_handler_init(&env->ep, &c->submit_ready, on_client_signal, c);
	if (st == RPC_OK)
		st = signal_handler_init(&env->ep, &c->ack_slot_free, on_client_signal, c);
	if (st != RPC_OK) {
		release(c);
		return st;
	}
	c->next = clients;
	clients = c;
	return RPC_OK;
}

static void destroy(struct session_server *srv, struct server_session *ss)
{
	(void)srv;
	release((struct client *)ss);
}

static struct session_server server = {
	.service = BLOCK_SERVICE,
	.size = sizeof(struct client),
	.ram = BLOCK_SESSION_BASE_RAM,
	.caps = BLOCK_SESSION_CAPS,
	.create = create,
	.destroy = destroy,
	.rpc = session_rpc,
};

rpc_status_t client_serve(void)
{
	server.ep = &env->ep;
	return session_server_announce(&server);
}
