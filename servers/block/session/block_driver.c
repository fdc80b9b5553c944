/*
 * The driver side of a Block_driver session (block_connection.h): a disk
 * driver announces its disk, hands over the stream it allocated and
 * formatted (normally a DMA buffer, so that the device moves the payload
 * itself), and takes the multiplexer's requests.
 *
 * Trusts nothing the multiplexer writes into the stream: each descriptor
 * is checked here (range in the payload area by the packet stream; opcode,
 * whole blocks, blocks on the disk, at most max_request here) before the
 * driver sees it, so a driver never programs its device with a transfer
 * outside its buffer or its disk.
 */
#include <argil/component.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <block_connection.h>

RPC_CLIENT(blkdrv, BLKDRV_RPC)

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

rpc_status_t blkdrv_open(struct blkdrv_connection *c, const char *label, const char *disk)
{
	char args[64];

	memset(c, 0, sizeof(*c));
	if (!disk || !disk_name_ok(disk))
		return RPC_E_INVALID_ARGUMENT;
	snprintf(args, sizeof(args), "disk=%s", disk);
	return parent_conn_open(&c->pc, BLKDRV_SERVICE, label ? label : "", args,
				BLKDRV_SESSION_RAM, BLKDRV_SESSION_CAPS);
}

rpc_status_t blkdrv_start(struct blkdrv_connection *c, const struct blkdrv_args *a)
{
	rpc_status_t st;

	if (!c->pc.cap || a->block_size < 512 || a->block_size > 65536 ||
	    (a->block_size & (a->block_size - 1)) || !a->count || !a->mem || !a->ds || !a->sigh)
		return RPC_E_INVALID_ARGUMENT;
	if (ps_format(a->mem, a->size, a->slots) != PS_OK ||
	    ps_sink_init(&c->sink, a->mem, a->size, ps_signal_caps, &c->peer) != PS_OK)
		return RPC_E_INVALID_ARGUMENT;
	c->mem = a->mem;
	c->dev = a->dev;
	c->block_size = a->block_size;
	c->count = a->count;
	c->flags = a->flags;
	c->max_request = a->max_request;
	if (!c->max_request || c->max_request > c->sink.e.payload_size)
		c->max_request = (uint32_t)(c->sink.e.payload_size < 0x80000000u
						    ? c->sink.e.payload_size : 0x80000000u);
	c->max_request &= ~(c->block_size - 1);
	if (c->max_request < c->block_size)
		return RPC_E_INVALID_ARGUMENT;
	st = blkdrv_announce(c->pc.cap, c->block_size, c->count, c->flags, c->max_request);
	if (st == RPC_OK)
		st = blkdrv_sigh(c->pc.cap, PS_SUBMIT_READY, a->sigh);
	if (st == RPC_OK)
		st = blkdrv_sigh(c->pc.cap, PS_ACK_SLOT_FREE, a->sigh);
	if (st == RPC_OK)
		st = blkdrv_cap(c->pc.cap, PS_ACK_READY, &c->peer.cap[PS_ACK_READY]);
	if (st == RPC_OK)
		st = blkdrv_cap(c->pc.cap, PS_SUBMIT_SLOT_FREE, &c->peer.cap[PS_SUBMIT_SLOT_FREE]);
	/* the stream last: the multiplexer submits as soon as it has it */
	if (st == RPC_OK)
		st = blkdrv_stream(c->pc.cap, a->ds);
	return st;
}

rpc_status_t blkdrv_connect(struct blkdrv_connection *c, const struct blkdrv_args *a)
{
	rpc_status_t st = blkdrv_open(c, a->label, a->disk);

	if (st == RPC_OK)
		st = blkdrv_start(c, a);
	if (st != RPC_OK)
		blkdrv_disconnect(c);
	return st;
}

void blkdrv_disconnect(struct blkdrv_connection *c)
{
	for (int i = 0; i < PS_CONDS; i++)
		cap_slot_free((cptr_t)c->peer.cap[i]);
	parent_conn_close(&c->pc);
	memset(c, 0, sizeof(*c));
}

static void put_ack(struct blkdrv_connection *c, const struct ps_desc *d)
{
	/* in order: nothing overtakes an ack that waits */
	if (!c->npending) {
		ps_error_t e = ps_ack(&c->sink, d);
		if (e == PS_OK)
			return;
		if (e != PS_E_FULL) {
			c->dead = true;
			return;
		}
	}
	/* cannot overflow: blkdrv_next hands out no more than fit */
	c->pending[(c->phead + c->npending) % BLKDRV_PENDING] = *d;
	c->npending++;
}

void blkdrv_flush(struct blkdrv_connection *c)
{
	while (c->npending) {
		ps_error_t e = ps_ack(&c->sink, &c->pending[c->phead]);
		if (e == PS_E_FULL)
			return;
		if (e != PS_OK) {
			c->dead = true;
			return;
		}
		c->phead = (c->phead + 1) % BLKDRV_PENDING;
		c->npending--;
	}
}

/* Why d cannot be done (0: it can). */
static unsigned check(struct blkdrv_connection *c, const struct ps_desc *d)
{
	uint64_t n;

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
	if (!d->size || d->size % c->block_size || d->size > c->max_request)
		return BLOCK_STATUS_RANGE;
	n = d->size / c->block_size;
	if (d->arg >= c->count || n > c->count - d->arg)
		return BLOCK_STATUS_RANGE;
	if (d->opcode != BLOCK_OP_READ && !(c->flags & BLOCK_WRITABLE))
		return BLOCK_STATUS_READONLY;
	if (d->opcode == BLOCK_OP_TRIM && !(c->flags & BLOCK_TRIM))
		return PS_STATUS_BAD_OPCODE;
	return 0;
}

bool blkdrv_next(struct blkdrv_connection *c, struct blkdrv_request *r)
{
	struct ps_desc d;

	blkdrv_flush(c);
	for (;;) {
		unsigned bad;
		ps_error_t e;

		if (c->dead || c->taken + c->npending >= BLKDRV_PENDING)
			return false;
		e = ps_get_packet(&c->sink, &d);
		if (e == PS_E_EMPTY)
			return false;
		if (e == PS_E_BAD_DESC) {
			d.size = 0;
			d.status = PS_STATUS_BAD_DESC;
			put_ack(c, &d);
			continue;
		}
		if (e != PS_OK) {
			c->dead = true;
			return false;
		}
		bad = check(c, &d);
		if (bad) {
			d.status = (uint16_t)bad;
			put_ack(c, &d);
			continue;
		}
		memset(r, 0, sizeof(*r));
		r->d = d;
		r->op = d.opcode;
		if (d.opcode != BLOCK_OP_SYNC) {
			r->block = d.arg;
			r->count = d.size / c->block_size;
		}
		if (d.opcode == BLOCK_OP_READ || d.opcode == BLOCK_OP_WRITE) {
			r->payload = ps_payload(&c->sink.e, &d);
			r->dev = c->dev + (uint64_t)((uint8_t *)r->payload - c->mem);
		}
		c->taken++;
		return true;
	}
}

void blkdrv_ack(struct blkdrv_connection *c, const struct blkdrv_request *r, unsigned status)
{
	struct ps_desc d = r->d;

	d.status = (uint16_t)status;
	if (c->taken)
		c->taken--;
	put_ack(c, &d);
}

unsigned blkdrv_serve(struct blkdrv_connection *c, blkdrv_fn fn, void *arg)
{
	struct blkdrv_request r;
	unsigned n = 0;

	while (blkdrv_next(c, &r)) {
		blkdrv_ack(c, &r, fn(arg, &r));
		n++;
	}
	return n;
}
