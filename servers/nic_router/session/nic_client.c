/*
 * The client side of a Nic session (nic_connection.h): the session through
 * the parent, both streams the router allocated attached with their real
 * sizes, signals exchanged, frames copied in and out.
 *
 * Trusts the router for the frames' content (the stack above checks them),
 * not for the streams: descriptors and indices are checked by the packet
 * stream, sizes here.
 */
#include <argil/component.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <nic_connection.h>

RPC_CLIENT(nic, NIC_RPC)

static void nop(void *arg)
{
	(void)arg;
}

static rpc_status_t attach(struct nic_connection *c, int s)
{
	word_t size = 0, dsize = 0, at;
	rpc_status_t st = nic_stream(c->pc.cap, (word_t)s, &c->ds[s], &size);

	/* the dataspace's own size counts, not what the server says */
	if (st == RPC_OK)
		st = ds_attach_checked(c->ds[s], size, 0, ATTACH_WRITE, &at, &dsize);
	if (st != RPC_OK)
		return st;
	c->mem[s] = (uint8_t *)at;
	if (s == NIC_UP)
		return ps_source_init(&c->up, c->mem[s], dsize, ps_signal_caps, &c->peer_up) == PS_OK
			       ? RPC_OK : RPC_E_INVALID_ARGUMENT;
	return ps_sink_init(&c->down, c->mem[s], dsize, ps_signal_caps, &c->peer_down) == PS_OK
		       ? RPC_OK : RPC_E_INVALID_ARGUMENT;
}

bool nic_link_update(struct nic_connection *c)
{
	word_t mac = 0, mtu = 0, link = 0;
	uint8_t m[6];
	bool changed;

	if (nic_info(c->pc.cap, &mac, &mtu, &link) != RPC_OK)
		return false;
	nic_mac_bytes(mac, m);
	changed = memcmp(m, c->mac, 6) || c->link != (link == NIC_LINK_UP);
	memcpy(c->mac, m, 6);
	c->mtu = (uint16_t)(mtu >= 576 && mtu <= 1500 ? mtu : 1500);
	c->link = link == NIC_LINK_UP;
	return changed;
}

rpc_status_t nic_open(struct nic_connection *c, const char *label, word_t up_size,
		      word_t down_size, word_t slots)
{
	char args[96];
	rpc_status_t st;

	memset(c, 0, sizeof(*c));
	c->sig.bit = -1;
	if (!up_size)
		up_size = NIC_STREAM_DEFAULT;
	if (!down_size)
		down_size = NIC_STREAM_DEFAULT;
	if (up_size > NIC_STREAM_MAX || down_size > NIC_STREAM_MAX)
		return RPC_E_INVALID_ARGUMENT;
	if (slots)
		snprintf(args, sizeof(args), "up_size=%lu, down_size=%lu, slots=%lu", up_size,
			 down_size, slots);
	else
		snprintf(args, sizeof(args), "up_size=%lu, down_size=%lu", up_size, down_size);
	st = parent_conn_open(&c->pc, NIC_SERVICE, label ? label : "", args,
			      NIC_SESSION_RAM(up_size, down_size), NIC_SESSION_CAPS);
	if (st != RPC_OK)
		memset(c, 0, sizeof(*c));
	return st;
}

rpc_status_t nic_attach(struct nic_connection *c, cptr_t sigh, cptr_t link_sigh)
{
	rpc_status_t st = RPC_OK;

	if (!c->pc.cap)
		return RPC_E_INVALID_ARGUMENT;
	if (!sigh) {
		st = signal_handler_init(&component_env()->ep, &c->sig, nop, c);
		if (st != RPC_OK)
			goto fail;
		c->own_sig = true;
		sigh = c->sig.cap;
	}
	for (int s = 0; s < NIC_STREAMS && st == RPC_OK; s++)
		st = attach(c, s);
	if (st == RPC_OK)
		st = nic_sigh(c->pc.cap, NIC_UP, PS_ACK_READY, sigh);
	if (st == RPC_OK)
		st = nic_sigh(c->pc.cap, NIC_UP, PS_SUBMIT_SLOT_FREE, sigh);
	if (st == RPC_OK)
		st = nic_sigh(c->pc.cap, NIC_DOWN, PS_SUBMIT_READY, sigh);
	if (st == RPC_OK)
		st = nic_sigh(c->pc.cap, NIC_DOWN, PS_ACK_SLOT_FREE, sigh);
	if (st == RPC_OK)
		st = nic_cap(c->pc.cap, NIC_UP, PS_SUBMIT_READY, &c->peer_up.cap[PS_SUBMIT_READY]);
	if (st == RPC_OK)
		st = nic_cap(c->pc.cap, NIC_UP, PS_ACK_SLOT_FREE, &c->peer_up.cap[PS_ACK_SLOT_FREE]);
	if (st == RPC_OK)
		st = nic_cap(c->pc.cap, NIC_DOWN, PS_ACK_READY, &c->peer_down.cap[PS_ACK_READY]);
	if (st == RPC_OK)
		st = nic_cap(c->pc.cap, NIC_DOWN, PS_SUBMIT_SLOT_FREE,
			     &c->peer_down.cap[PS_SUBMIT_SLOT_FREE]);
	if (st == RPC_OK && link_sigh)
		st = nic_link_sigh(c->pc.cap, link_sigh);
	if (st != RPC_OK)
		goto fail;
	nic_link_update(c);
	return RPC_OK;
fail:
	nic_disconnect(c);
	return st;
}

rpc_status_t nic_connect(struct nic_connection *c, const char *label, word_t up_size,
			 word_t down_size, word_t slots, cptr_t sigh, cptr_t link_sigh)
{
	rpc_status_t st = nic_open(c, label, up_size, down_size, slots);

	return st == RPC_OK ? nic_attach(c, sigh, link_sigh) : st;
}

void nic_disconnect(struct nic_connection *c)
{
	for (int s = 0; s < NIC_STREAMS; s++) {
		if (c->mem[s])
			pd_detach(COMPONENT_PD, (word_t)c->mem[s]);
		cap_slot_free(c->ds[s]);
	}
	for (int i = 0; i < PS_CONDS; i++) {
		cap_slot_free((cptr_t)c->peer_up.cap[i]);
		cap_slot_free((cptr_t)c->peer_down.cap[i]);
	}
	if (c->own_sig)
		signal_handler_fini(&component_env()->ep, &c->sig);
	parent_conn_close(&c->pc);
	memset(c, 0, sizeof(*c));
}

void nic_reclaim(struct nic_connection *c)
{
	struct ps_desc d;

	for (;;) {
		ps_error_t e = ps_get_ack(&c->up, &d);
		if (e == PS_E_EMPTY)
			return;
		if (e == PS_E_BAD_DESC) {
			c->cnt.acks_bad++;
			continue;
		}
		if (e != PS_OK) {
			c->dead = true;
			return;
		}
		ps_free(&c->up, &d);
	}
}

ps_error_t nic_send(struct nic_connection *c, const void *frame, size_t len)
{
	struct ps_desc d;
	ps_error_t e;

	if (len < NIC_FRAME_MIN || len > NIC_FRAME_MAX)
		return PS_E_INVALID;
	if (c->dead)
		return PS_E_CORRUPT;
	nic_reclaim(c);
	e = ps_alloc(&c->up, (uint32_t)len, &d);
	if (e == PS_OK) {
		memcpy(ps_payload(&c->up.e, &d), frame, len);
		d.opcode = NIC_OP_FRAME;
		e = ps_submit(&c->up, &d);
		if (e != PS_OK)
			ps_free(&c->up, &d);
	}
	if (e == PS_OK) {
		c->cnt.tx_frames++;
		c->cnt.tx_bytes += len;
	} else if (e == PS_E_FULL || e == PS_E_NO_SPACE) {
		c->cnt.tx_dropped++;
	} else if (e == PS_E_CORRUPT) {
		c->dead = true;
	}
	return e;
}

static void ack(struct nic_connection *c, struct ps_desc *d, unsigned status)
{
	d->status = (uint16_t)status;
	/* the router only submits when the ack ring has room for it (slots
	 * per ring are equal): a full ring is the router's mistake */
	if (ps_ack(&c->down, d) == PS_E_CORRUPT)
		c->dead = true;
}

/* The next well-formed frame of at most max bytes, its descriptor in d:
 * its payload, 0 when there is none. Bad ones are acknowledged with their
 * error, counted and skipped. */
static const void *next_frame(struct nic_connection *c, struct ps_desc *d, size_t max)
{
	while (!c->dead && ps_ack_has_room(&c->down)) {
		ps_error_t e = ps_get_packet(&c->down, d);
		if (e == PS_E_EMPTY)
			return 0;
		if (e == PS_E_BAD_DESC) {
			c->cnt.rx_bad++;
			ps_reject(&c->down, d);
			continue;
		}
		if (e != PS_OK) {
			c->dead = true;
			return 0;
		}
		if (d->opcode != NIC_OP_FRAME) {
			c->cnt.rx_bad++;
			ack(c, d, PS_STATUS_BAD_OPCODE);
			continue;
		}
		if (d->size < NIC_FRAME_MIN || d->size > NIC_FRAME_MAX || d->size > max) {
			c->cnt.rx_bad++;
			ack(c, d, NIC_STATUS_BAD_FRAME);
			continue;
		}
		c->cnt.rx_frames++;
		c->cnt.rx_bytes += d->size;
		return ps_payload(&c->down.e, d);
	}
	return 0;
}

size_t nic_recv(struct nic_connection *c, void *buf, size_t max)
{
	struct ps_desc d;
	const void *frame = next_frame(c, &d, max);

	if (!frame)
		return 0;
	memcpy(buf, frame, d.size);
	ack(c, &d, PS_STATUS_OK);
	return d.size;
}

size_t nic_recv_in_place(struct nic_connection *c, nic_frame_fn fn, void *arg)
{
	struct ps_desc d;
	const void *frame = next_frame(c, &d, NIC_FRAME_MAX);

	if (!frame)
		return 0;
	fn(arg, frame, d.size);
	ack(c, &d, PS_STATUS_OK);
	return d.size;
}

void nic_wait(struct nic_connection *c)
{
	if (c->own_sig)
		ep_wait_signal(&component_env()->ep, &c->sig);
}
