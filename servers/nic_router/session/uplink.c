/*
 * The driver side of an Uplink session (nic_connection.h): a NIC driver
 * announces its MAC and link, hands over the two streams it allocated and
 * formatted (normally DMA buffers: the device receives into and sends from
 * their payload areas), submits received frames and takes frames to send.
 *
 * Trusts nothing the router writes into the streams: each frame to send is
 * checked here (range in the payload area by the packet stream; opcode and
 * size here) before the driver sees it, so a driver never programs its
 * device with a transfer outside its buffer.
 */
#include <argil/component.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <nic_connection.h>

RPC_CLIENT(uplink, UPLINK_RPC)

rpc_status_t uplink_open(struct uplink_connection *c, const char *label)
{
	memset(c, 0, sizeof(*c));
	return parent_conn_open(&c->pc, UPLINK_SERVICE, label ? label : "", "",
				UPLINK_SESSION_RAM, UPLINK_SESSION_CAPS);
}

static bool mac_ok(const uint8_t mac[6])
{
	/* a unicast address that is not all zeros */
	return !(mac[0] & 1) && (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

rpc_status_t uplink_start(struct uplink_connection *c, const struct uplink_args *a)
{
	rpc_status_t st;
	uint16_t mtu = a->mtu ? a->mtu : 1500;

	if (!c->pc.cap || !mac_ok(a->mac) || mtu < 576 || mtu > 1500 || !a->sigh)
		return RPC_E_INVALID_ARGUMENT;
	for (int i = 0; i < NIC_STREAMS; i++)
		if (!a->ds[i] || !a->mem[i] || ps_format(a->mem[i], a->size[i], a->slots) != PS_OK)
			return RPC_E_INVALID_ARGUMENT;
	if (ps_source_init(&c->rx, a->mem[NIC_UP], a->size[NIC_UP], ps_signal_caps,
			   &c->peer_rx) != PS_OK ||
	    ps_sink_init(&c->tx, a->mem[NIC_DOWN], a->size[NIC_DOWN], ps_signal_caps,
			 &c->peer_tx) != PS_OK)
		return RPC_E_INVALID_ARGUMENT;
	/* a receive buffer must fit one frame */
	if (c->rx.e.payload_size < NIC_FRAME_MAX)
		return RPC_E_INVALID_ARGUMENT;
	for (int i = 0; i < NIC_STREAMS; i++) {
		c->mem[i] = a->mem[i];
		c->dev[i] = a->dev[i];
	}
	c->link = a->link;
	st = uplink_announce(c->pc.cap, nic_mac_word(a->mac), mtu, a->link ? NIC_LINK_UP : 0);
	/* the conditions the driver waits for */
	if (st == RPC_OK)
		st = uplink_sigh(c->pc.cap, NIC_UP, PS_ACK_READY, a->sigh);
	if (st == RPC_OK)
		st = uplink_sigh(c->pc.cap, NIC_UP, PS_SUBMIT_SLOT_FREE, a->sigh);
	if (st == RPC_OK)
		st = uplink_sigh(c->pc.cap, NIC_DOWN, PS_SUBMIT_READY, a->sigh);
	if (st == RPC_OK)
		st = uplink_sigh(c->pc.cap, NIC_DOWN, PS_ACK_SLOT_FREE, a->sigh);
	/* the conditions the router waits for */
	if (st == RPC_OK)
		st = uplink_cap(c->pc.cap, NIC_UP, PS_SUBMIT_READY, &c->peer_rx.cap[PS_SUBMIT_READY]);
	if (st == RPC_OK)
		st = uplink_cap(c->pc.cap, NIC_UP, PS_ACK_SLOT_FREE,
				&c->peer_rx.cap[PS_ACK_SLOT_FREE]);
	if (st == RPC_OK)
		st = uplink_cap(c->pc.cap, NIC_DOWN, PS_ACK_READY, &c->peer_tx.cap[PS_ACK_READY]);
	if (st == RPC_OK)
		st = uplink_cap(c->pc.cap, NIC_DOWN, PS_SUBMIT_SLOT_FREE,
				&c->peer_tx.cap[PS_SUBMIT_SLOT_FREE]);
	/* the streams last: the router uses them as soon as it has both */
	if (st == RPC_OK)
		st = uplink_stream(c->pc.cap, NIC_UP, a->ds[NIC_UP]);
	if (st == RPC_OK)
		st = uplink_stream(c->pc.cap, NIC_DOWN, a->ds[NIC_DOWN]);
	return st;
}

rpc_status_t uplink_connect(struct uplink_connection *c, const char *label,
			    const struct uplink_args *a)
{
	rpc_status_t st = uplink_open(c, label);

	if (st == RPC_OK)
		st = uplink_start(c, a);
	if (st != RPC_OK)
		uplink_disconnect(c);
	return st;
}

void uplink_disconnect(struct uplink_connection *c)
{
	for (int i = 0; i < PS_CONDS; i++) {
		cap_slot_free((cptr_t)c->peer_rx.cap[i]);
		cap_slot_free((cptr_t)c->peer_tx.cap[i]);
	}
	parent_conn_close(&c->pc);
	memset(c, 0, sizeof(*c));
}

rpc_status_t uplink_set_link(struct uplink_connection *c, bool up)
{
	c->link = up;
	return uplink_link(c->pc.cap, up ? NIC_LINK_UP : 0);
}

/* ---- receive ---- */

ps_error_t uplink_rx_alloc(struct uplink_connection *c, struct uplink_buf *b)
{
	ps_error_t e;

	memset(b, 0, sizeof(*b));
	if (c->dead)
		return PS_E_CORRUPT;
	e = ps_alloc(&c->rx, NIC_FRAME_MAX, &b->d);
	if (e != PS_OK)
		return e;
	b->data = ps_payload(&c->rx.e, &b->d);
	b->dev = c->dev[NIC_UP] + (uint64_t)((uint8_t *)b->data - c->mem[NIC_UP]);
	b->len = NIC_FRAME_MAX;
	return PS_OK;
}

ps_error_t uplink_rx_submit(struct uplink_connection *c, struct uplink_buf *b, size_t len)
{
	return uplink_rx_submit_flags(c, b, len, 0);
}

ps_error_t uplink_rx_submit_flags(struct uplink_connection *c, struct uplink_buf *b, size_t len,
				  unsigned flags)
{
	ps_error_t e;
	struct ps_desc d = b->d;

	if (c->dead)
		return PS_E_CORRUPT;
	if (len < NIC_FRAME_MIN || len > NIC_FRAME_MAX || len > b->d.size) {
		c->cnt.rx_bad++;
		return PS_E_INVALID;
	}
	d.size = (uint32_t)len;
	d.opcode = NIC_OP_FRAME;
	d.status = 0;
	d.arg = flags & NIC_ARG_CSUM_VALID;
	e = ps_submit(&c->rx, &d);
	if (e == PS_OK) {
		c->cnt.tx_frames++;
		c->cnt.tx_bytes += len;
	} else if (e == PS_E_FULL) {
		c->cnt.tx_dropped++;
	} else if (e == PS_E_CORRUPT) {
		c->dead = true;
	}
	return e;
}

void uplink_rx_drop(struct uplink_connection *c, const struct uplink_buf *b)
{
	ps_free(&c->rx, &b->d);
}

unsigned uplink_rx_reclaim(struct uplink_connection *c)
{
	struct ps_desc d;
	unsigned n = 0;

	for (;;) {
		ps_error_t e = ps_get_ack(&c->rx, &d);
		if (e == PS_E_EMPTY)
			break;
		if (e == PS_E_BAD_DESC) {
			c->cnt.acks_bad++;
			continue;
		}
		if (e != PS_OK) {
			c->dead = true;
			break;
		}
		ps_free(&c->rx, &d);
		n++;
	}
	return n;
}

ps_error_t uplink_rx_frame(struct uplink_connection *c, const void *frame, size_t len)
{
	struct uplink_buf b;
	ps_error_t e;

	if (len < NIC_FRAME_MIN || len > NIC_FRAME_MAX) {
		c->cnt.rx_bad++;
		return PS_E_INVALID;
	}
	uplink_rx_reclaim(c);
	e = uplink_rx_alloc(c, &b);
	if (e != PS_OK) {
		if (e == PS_E_NO_SPACE)
			c->cnt.tx_dropped++;
		return e;
	}
	memcpy(b.data, frame, len);
	e = uplink_rx_submit(c, &b, len);
	if (e != PS_OK)
		uplink_rx_drop(c, &b);
	return e;
}

/* ---- transmit ---- */

static void put_ack(struct uplink_connection *c, const struct ps_desc *d)
{
	/* in order: nothing overtakes an ack that waits */
	if (!c->npending) {
		ps_error_t e = ps_ack(&c->tx, d);
		if (e == PS_OK)
			return;
		if (e != PS_E_FULL) {
			c->dead = true;
			return;
		}
	}
	/* cannot overflow: uplink_tx_next hands out no more than fit */
	c->pending[(c->phead + c->npending) % UPLINK_PENDING] = *d;
	c->npending++;
}

void uplink_tx_flush(struct uplink_connection *c)
{
	while (c->npending) {
		ps_error_t e = ps_ack(&c->tx, &c->pending[c->phead]);
		if (e == PS_E_FULL)
			return;
		if (e != PS_OK) {
			c->dead = true;
			return;
		}
		c->phead = (c->phead + 1) % UPLINK_PENDING;
		c->npending--;
	}
}

bool uplink_tx_next(struct uplink_connection *c, struct uplink_buf *b)
{
	struct ps_desc d;

	uplink_tx_flush(c);
	for (;;) {
		ps_error_t e;

		if (c->dead || c->taken + c->npending >= UPLINK_PENDING)
			return false;
		e = ps_get_packet(&c->tx, &d);
		if (e == PS_E_EMPTY)
			return false;
		if (e == PS_E_BAD_DESC) {
			d.size = 0;
			d.status = PS_STATUS_BAD_DESC;
			c->cnt.rx_bad++;
			put_ack(c, &d);
			continue;
		}
		if (e != PS_OK) {
			c->dead = true;
			return false;
		}
		if (d.opcode != NIC_OP_FRAME || d.size < NIC_FRAME_MIN || d.size > NIC_FRAME_MAX) {
			d.status = d.opcode != NIC_OP_FRAME ? PS_STATUS_BAD_OPCODE
							    : NIC_STATUS_BAD_FRAME;
			c->cnt.rx_bad++;
			put_ack(c, &d);
			continue;
		}
		memset(b, 0, sizeof(*b));
		b->d = d;
		b->data = ps_payload(&c->tx.e, &d);
		b->dev = c->dev[NIC_DOWN] + (uint64_t)((uint8_t *)b->data - c->mem[NIC_DOWN]);
		b->len = d.size;
		c->taken++;
		c->cnt.rx_frames++;
		c->cnt.rx_bytes += d.size;
		return true;
	}
}

void uplink_tx_done(struct uplink_connection *c, const struct uplink_buf *b, bool ok)
{
	struct ps_desc d = b->d;

	d.status = ok ? PS_STATUS_OK : PS_STATUS_ERROR;
	if (c->taken)
		c->taken--;
	put_ack(c, &d);
}
