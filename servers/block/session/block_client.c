/*
 * The client side of a Block session (block_connection.h): the session
 * through the parent, the stream the server allocated attached with its
 * real size, the signal capabilities exchanged, and helpers that move any
 * number of blocks through the payload area in requests that fit.
 *
 * Trusts the multiplexer for the data it returns; its acknowledgements
 * and indices are checked by the packet stream (a wrong one is a failed
 * request, not a crash).
 */
#include <argil/component.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <block_connection.h>

RPC_CLIENT(block, BLOCK_RPC)

const char *block_status_name(unsigned status)
{
	switch (status) {
	case PS_STATUS_OK: return "ok";
	case PS_STATUS_BAD_DESC: return "bad descriptor";
	case PS_STATUS_BAD_OPCODE: return "bad opcode";
	case PS_STATUS_ERROR: return "device error";
	case BLOCK_STATUS_RANGE: return "out of range";
	case BLOCK_STATUS_READONLY: return "read-only";
	case BLOCK_STATUS_STREAM: return "stream broken";
	case BLOCK_STATUS_INVALID: return "invalid request";
	}
	return "unknown status";
}

static void nop(void *arg)
{
	(void)arg;
}

rpc_status_t block_connect(struct block_connection *c, const char *label, word_t size,
			   word_t slots, cptr_t sigh)
{
	char args[64];
	word_t bs = 0, count = 0, flags = 0, dsize = 0, at;
	rpc_status_t st;

	memset(c, 0, sizeof(*c));
	c->sig.bit = -1;
	if (!size)
		size = BLOCK_STREAM_DEFAULT;
	if (size > BLOCK_STREAM_MAX)
		return RPC_E_INVALID_ARGUMENT;
	if (slots)
		snprintf(args, sizeof(args), "size=%lu, slots=%lu", size, slots);
	else
		snprintf(args, sizeof(args), "size=%lu", size);
	st = parent_conn_open(&c->pc, BLOCK_SERVICE, label, args, BLOCK_SESSION_RAM(size),
			      BLOCK_SESSION_CAPS);
	if (st != RPC_OK)
		return st;
	if (!sigh) {
		st = signal_handler_init(&component_env()->ep, &c->sig, nop, c);
		if (st != RPC_OK)
			goto fail;
		c->own_sig = true;
		sigh = c->sig.cap;
	}
	st = block_stream(c->pc.cap, &c->ds, &c->size);
	/* the dataspace's own size counts, not what the server says */
	if (st == RPC_OK)
		st = ds_attach_checked(c->ds, c->size, 0, ATTACH_WRITE, &at, &dsize);
	if (st != RPC_OK)
		goto fail;
	c->mem = (uint8_t *)at;
	if (ps_source_init(&c->src, c->mem, dsize, ps_signal_caps, &c->peer) != PS_OK) {
		st = RPC_E_INVALID_ARGUMENT;
		goto fail;
	}
	st = block_sigh(c->pc.cap, PS_ACK_READY, sigh);
	if (st == RPC_OK)
		st = block_sigh(c->pc.cap, PS_SUBMIT_SLOT_FREE, sigh);
	if (st == RPC_OK)
		st = block_cap(c->pc.cap, PS_SUBMIT_READY, &c->peer.cap[PS_SUBMIT_READY]);
	if (st == RPC_OK)
		st = block_cap(c->pc.cap, PS_ACK_SLOT_FREE, &c->peer.cap[PS_ACK_SLOT_FREE]);
	if (st == RPC_OK)
		st = block_info(c->pc.cap, &bs, &count, &flags);
	if (st != RPC_OK)
		goto fail;
	if (bs < 512 || bs > 65536 || (bs & (bs - 1))) {
		st = RPC_E_INVALID_ARGUMENT;
		goto fail;
	}
	c->block_size = (uint32_t)bs;
	c->count = count;
	c->flags = flags;
	/* half the payload area a request, whole blocks: two in flight fit */
	c->max_io = (uint32_t)((c->src.e.payload_size / 2) & ~(uint64_t)(bs - 1));
	if (c->max_io < bs)
		c->max_io = (uint32_t)bs;
	if (c->max_io > c->src.e.payload_size) {
		st = RPC_E_INVALID_ARGUMENT;
		goto fail;
	}
	return RPC_OK;
fail:
	block_disconnect(c);
	return st;
}

void block_disconnect(struct block_connection *c)
{
	if (c->mem)
		pd_detach(COMPONENT_PD, (word_t)c->mem);
	cap_slot_free(c->ds);
	for (int i = 0; i < PS_CONDS; i++)
		cap_slot_free((cptr_t)c->peer.cap[i]);
	if (c->own_sig)
		signal_handler_fini(&component_env()->ep, &c->sig);
	parent_conn_close(&c->pc);
	memset(c, 0, sizeof(*c));
}

ps_error_t block_alloc(struct block_connection *c, uint32_t nblocks, struct ps_desc *d)
{
	uint64_t bytes = (uint64_t)nblocks * c->block_size;

	if (!nblocks || bytes > c->src.e.payload_size)
		return PS_E_INVALID;
	return ps_alloc(&c->src, (uint32_t)bytes, d);
}

ps_error_t block_submit(struct block_connection *c, struct ps_desc *d, unsigned op,
			uint64_t block)
{
	d->opcode = (uint16_t)op;
	d->arg = block;
	d->status = 0;
	if (op == BLOCK_OP_SYNC) {
		d->size = 0;
		d->arg = 0;
	}
	return ps_submit(&c->src, d);
}

ps_error_t block_get_ack(struct block_connection *c, struct ps_desc *d)
{
	return ps_get_ack(&c->src, d);
}

void *block_payload(struct block_connection *c, const struct ps_desc *d)
{
	return ps_payload(&c->src.e, d);
}

void block_free(struct block_connection *c, const struct ps_desc *d)
{
	ps_free(&c->src, d);
}

void block_wait(struct block_connection *c)
{
	ep_wait_signal(&component_env()->ep, &c->sig);
}

/* One request, waited for: alloc (room for bytes), fill, submit, ack. */
static unsigned one(struct block_connection *c, unsigned op, uint64_t block, uint32_t bytes,
		    const void *out, void *in)
{
	struct ps_desc d, a;
	ps_error_t e;
	unsigned status;

	if (!c->own_sig)
		return BLOCK_STATUS_INVALID;
	while ((e = ps_alloc(&c->src, bytes ? bytes : 1, &d)) == PS_E_NO_SPACE)
		block_wait(c);
	if (e != PS_OK)
		return BLOCK_STATUS_STREAM;
	if (op == BLOCK_OP_TRIM)
		d.size = bytes;
	if (out)
		memcpy_bulk(ps_payload(&c->src.e, &d), out, bytes);
	d.tag = ++c->tag;
	while ((e = block_submit(c, &d, op, block)) == PS_E_FULL)
		block_wait(c);
	if (e != PS_OK) {
		ps_free(&c->src, &d);
		return BLOCK_STATUS_STREAM;
	}
	for (;;) {
		e = ps_get_ack(&c->src, &a);
		if (e == PS_E_EMPTY) {
			block_wait(c);
			continue;
		}
		if (e != PS_OK)
			return BLOCK_STATUS_STREAM;
		/* one request in flight: the ack must be ours */
		if (a.offset != d.offset || a.tag != d.tag)
			return BLOCK_STATUS_STREAM;
		break;
	}
	status = a.status;
	if (status == PS_STATUS_OK && in) {
		if (a.size != bytes)
			status = BLOCK_STATUS_STREAM;
		else
			memcpy_bulk(in, ps_payload(&c->src.e, &a), bytes);
	}
	ps_free(&c->src, &a);
	return status;
}

static unsigned blocks(struct block_connection *c, unsigned op, uint64_t block, uint64_t n,
		       const uint8_t *out, uint8_t *in)
{
	uint64_t per = c->max_io / c->block_size;

	if (!c->block_size)
		return BLOCK_STATUS_INVALID;
	while (n) {
		uint64_t k = n < per ? n : per;
		uint32_t bytes = (uint32_t)(k * c->block_size);
		unsigned st = one(c, op, block, bytes, out, in);
		if (st != PS_STATUS_OK)
			return st;
		block += k;
		n -= k;
		if (out)
			out += bytes;
		if (in)
			in += bytes;
	}
	return PS_STATUS_OK;
}

unsigned block_read(struct block_connection *c, uint64_t block, uint64_t nblocks, void *buf)
{
	return blocks(c, BLOCK_OP_READ, block, nblocks, 0, buf);
}

unsigned block_write(struct block_connection *c, uint64_t block, uint64_t nblocks,
		     const void *buf)
{
	return blocks(c, BLOCK_OP_WRITE, block, nblocks, buf, 0);
}

unsigned block_trim(struct block_connection *c, uint64_t block, uint64_t nblocks)
{
	return blocks(c, BLOCK_OP_TRIM, block, nblocks, 0, 0);
}

unsigned block_sync(struct block_connection *c)
{
	return one(c, BLOCK_OP_SYNC, 0, 0, 0, 0);
}
