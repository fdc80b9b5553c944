/*
 * The driver side of a NIC's frame streams and its Uplink session
 * (nic_port.h). Trusts the router for nothing it writes into the streams
 * (the packet stream checks descriptors and indices; frame sizes are
 * checked here), the driver for the descriptors it hands back.
 */
#include <argil/component.h>
#include <argil/log.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <nic_port.h>

RPC_CLIENT(uplink, UPLINK_RPC)

static rpc_status_t stream_alloc(struct nic_port *p, struct dma_buf *b, size_t size,
				 uint32_t slots)
{
	rpc_status_t st = dma_buf_alloc(p->plat, size, 0, b);

	if (st != RPC_OK)
		return st;
	if (ps_format(b->virt, b->size, slots) != PS_OK)
		return RPC_E_INVALID_ARGUMENT;
	return RPC_OK;
}

rpc_status_t nic_port_init(struct nic_port *p, struct platform_connection *plat,
			   const struct nic_port_args *a)
{
	rpc_status_t st;

	memset(p, 0, sizeof(*p));
	p->plat = plat;
	p->rx_buf = a->rx_buf;
	if (!a->rx_count || a->rx_count > NIC_PORT_RX_MAX || a->rx_buf < NIC_FRAME_MAX)
		return RPC_E_INVALID_ARGUMENT;
	st = stream_alloc(p, &p->up, a->up_size, a->slots);
	if (st == RPC_OK)
		st = stream_alloc(p, &p->down, a->down_size, a->slots);
	if (st != RPC_OK)
		return st;
	if (ps_source_init(&p->rx, p->up.virt, p->up.size, ps_signal_caps, &p->peer) != PS_OK ||
	    ps_sink_init(&p->tx, p->down.virt, p->down.size, ps_signal_caps, &p->peer) != PS_OK)
		return RPC_E_INVALID_ARGUMENT;
	p->up_payload_dev = p->up.dev + (uint64_t)(p->rx.e.payload - p->rx.e.base);
	p->down_payload_dev = p->down.dev + (uint64_t)(p->tx.e.payload - p->tx.e.base);
	for (uint32_t i = 0; i < a->rx_count; i++) {
		if (ps_alloc(&p->rx, a->rx_buf, &p->free_rx[p->nfree]) != PS_OK)
			return RPC_E_INVALID_ARGUMENT;   /* the stream is too small for them */
		p->nfree++;
	}
	return RPC_OK;
}

rpc_status_t nic_port_connect(struct nic_port *p, const char *label, const uint8_t mac[6],
			      bool link, cptr_t sigh)
{
	static const struct {
		enum nic_stream s;
		enum ps_cond c;
	} mine[] = {
		{ NIC_UP, PS_ACK_READY }, { NIC_UP, PS_SUBMIT_SLOT_FREE },
		{ NIC_DOWN, PS_SUBMIT_READY }, { NIC_DOWN, PS_ACK_SLOT_FREE },
	};
	rpc_status_t st;

	st = parent_conn_open(&p->pc, UPLINK_SERVICE, label ? label : "", "", UPLINK_SESSION_RAM,
			      UPLINK_SESSION_CAPS);
	if (st != RPC_OK)
		return st;
	st = uplink_announce(p->pc.cap, nic_mac_word(mac), 1500, link ? NIC_LINK_UP : 0);
	for (unsigned i = 0; st == RPC_OK && i < sizeof(mine) / sizeof(mine[0]); i++)
		st = uplink_sigh(p->pc.cap, mine[i].s, mine[i].c, sigh);
	/* the router's notifications: NIC_UP's sink waits for SUBMIT_READY and
	 * ACK_SLOT_FREE, NIC_DOWN's source for ACK_READY and SUBMIT_SLOT_FREE;
	 * one ps_caps serves both streams since each condition is one side's */
	if (st == RPC_OK)
		st = uplink_cap(p->pc.cap, NIC_UP, PS_SUBMIT_READY, (cptr_t *)&p->peer.cap[PS_SUBMIT_READY]);
	if (st == RPC_OK)
		st = uplink_cap(p->pc.cap, NIC_UP, PS_ACK_SLOT_FREE, (cptr_t *)&p->peer.cap[PS_ACK_SLOT_FREE]);
	if (st == RPC_OK)
		st = uplink_cap(p->pc.cap, NIC_DOWN, PS_ACK_READY, (cptr_t *)&p->peer.cap[PS_ACK_READY]);
	if (st == RPC_OK)
		st = uplink_cap(p->pc.cap, NIC_DOWN, PS_SUBMIT_SLOT_FREE,
				(cptr_t *)&p->peer.cap[PS_SUBMIT_SLOT_FREE]);
	/* the streams last: the router uses them as soon as it has them */
	if (st == RPC_OK)
		st = uplink_stream(p->pc.cap, NIC_DOWN, p->down.ds);
	if (st == RPC_OK)
		st = uplink_stream(p->pc.cap, NIC_UP, p->up.ds);
	return st;
}

rpc_status_t nic_port_link(struct nic_port *p, bool up)
{
	if (!p->pc.cap)
		return RPC_E_INVALID_ARGUMENT;
	return uplink_link(p->pc.cap, up ? NIC_LINK_UP : 0);
}

/* ---- receive ---- */

bool nic_port_rx_get(struct nic_port *p, struct ps_desc *d, uint64_t *dev)
{
	if (!p->nfree)
		return false;
	*d = p->free_rx[--p->nfree];
	d->size = p->rx_buf;
	*dev = p->up_payload_dev + d->offset;
	return true;
}

void *nic_port_rx_data(struct nic_port *p, const struct ps_desc *d)
{
	return ps_payload(&p->rx.e, d);
}

static void rx_recycle(struct nic_port *p, const struct ps_desc *d)
{
	if (p->nfree < NIC_PORT_RX_MAX)
		p->free_rx[p->nfree++] = *d;
}

void nic_port_rx_done(struct nic_port *p, struct ps_desc *d, uint32_t len, bool good)
{
	if (!good || len < NIC_FRAME_MIN || len > NIC_FRAME_MAX || p->dead || !p->pc.cap) {
		p->rx_dropped++;
		rx_recycle(p, d);
		return;
	}
	d->size = len;
	d->opcode = NIC_OP_FRAME;
	d->status = 0;
	d->arg = 0;
	ps_error_t e = ps_submit(&p->rx, d);
	if (e != PS_OK) {
		/* the router is behind: the frame is lost, the buffer is not */
		if (e != PS_E_FULL)
			p->dead = true;
		p->rx_dropped++;
		rx_recycle(p, d);
		return;
	}
	p->rx_frames++;
}

/* ---- transmit ---- */

static void put_ack(struct nic_port *p, const struct ps_desc *d)
{
	if (!p->npending) {
		ps_error_t e = ps_ack(&p->tx, d);
		if (e == PS_OK)
			return;
		if (e != PS_E_FULL) {
			p->dead = true;
			return;
		}
	}
	if (p->npending == NIC_PORT_PENDING)
		return;   /* cannot be: frames are taken only while acks fit */
	p->pending[(p->phead + p->npending) % NIC_PORT_PENDING] = *d;
	p->npending++;
}

bool nic_port_tx_next(struct nic_port *p, struct ps_desc *d, uint64_t *dev)
{
	for (;;) {
		if (p->dead || p->npending + p->tx_taken >= NIC_PORT_PENDING)
			return false;
		ps_error_t e = ps_get_packet(&p->tx, d);
		if (e == PS_E_EMPTY)
			return false;
		if (e == PS_E_BAD_DESC) {
			if (ps_reject(&p->tx, d) != PS_OK)
				put_ack(p, d);
			p->tx_bad++;
			continue;
		}
		if (e != PS_OK) {
			p->dead = true;
			return false;
		}
		if (d->opcode != NIC_OP_FRAME || d->size < NIC_FRAME_MIN || d->size > NIC_FRAME_MAX) {
			d->status = d->opcode != NIC_OP_FRAME ? PS_STATUS_BAD_OPCODE
							      : NIC_STATUS_BAD_FRAME;
			put_ack(p, d);
			p->tx_bad++;
			continue;
		}
		*dev = p->down_payload_dev + d->offset;
		p->tx_taken++;
		return true;
	}
}

void *nic_port_tx_data(struct nic_port *p, const struct ps_desc *d)
{
	return ps_payload(&p->tx.e, d);
}

void nic_port_tx_done(struct nic_port *p, const struct ps_desc *d, unsigned status)
{
	struct ps_desc a = *d;

	a.status = (uint16_t)status;
	if (p->tx_taken)
		p->tx_taken--;
	if (status == PS_STATUS_OK)
		p->tx_frames++;
	put_ack(p, &a);
}

void nic_port_collect(struct nic_port *p)
{
	struct ps_desc d;
	ps_error_t e;

	while (p->npending) {
		e = ps_ack(&p->tx, &p->pending[p->phead]);
		if (e == PS_E_FULL)
			break;
		if (e != PS_OK) {
			p->dead = true;
			break;
		}
		p->phead = (p->phead + 1) % NIC_PORT_PENDING;
		p->npending--;
	}
	while ((e = ps_get_ack(&p->rx, &d)) != PS_E_EMPTY) {
		if (e == PS_E_BAD_DESC)
			continue;   /* names no buffer of ours in flight: nothing to give back */
		if (e != PS_OK) {
			p->dead = true;
			break;
		}
		d.size = p->rx_buf;
		rx_recycle(p, &d);
	}
}
