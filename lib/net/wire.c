/*
 * The in-memory wire (two links joined: what one end transmits, the other
 * receives) and the loopback (one end that receives what it transmits),
 * for stacks in one component: tests, and a component that talks to
 * itself. Each end has a queue of frame slots; a frame that finds its
 * receiver's queue full is dropped and counted, as on a real wire.
 */
#include <stdlib.h>
#include <string.h>
#include "net_private.h"

static net_err_t wire_transmit(struct net_link *l, const void *frame, size_t len)
{
	struct net_wire_end *e = (struct net_wire_end *)l, *to = e->peer;
	unsigned slot;

	if (len > NET_FRAME_MAX)
		return NET_E_INVALID;
	if (to->count == to->slots) {
		to->dropped++;
		return NET_E_AGAIN;
	}
	slot = (to->head + to->count++) % to->slots;
	memcpy(to->frames + (size_t)slot * NET_FRAME_MAX, frame, len);
	to->lens[slot] = (uint16_t)len;
	net_link_wakeup(&to->link);
	return NET_OK;
}

/* The frames queued now (a loopback's answers to them wait for the next poll). */
static unsigned wire_poll(struct net_link *l)
{
	struct net_wire_end *e = (struct net_wire_end *)l;
	unsigned n = e->count;

	for (unsigned i = 0; i < n; i++) {
		/* the slot stays taken while lwIP runs, so a transmit cannot reuse it */
		net_link_input(l, e->frames + (size_t)e->head * NET_FRAME_MAX, e->lens[e->head]);
		e->head = (e->head + 1) % e->slots;
		e->count--;
	}
	return n;
}

static const struct net_link_ops wire_ops = { wire_transmit, wire_poll };

static net_err_t end_init(struct net_wire_end *e, unsigned slots)
{
	static unsigned serial;

	memset(e, 0, sizeof(*e));
	if (!slots || slots > 4096)
		return NET_E_INVALID;
	e->frames = malloc((size_t)slots * NET_FRAME_MAX);
	e->lens = malloc(slots * sizeof(*e->lens));
	if (!e->frames || !e->lens) {
		free(e->frames);
		free(e->lens);
		return NET_E_NOMEM;
	}
	e->slots = slots;
	e->link.ops = &wire_ops;
	e->link.mtu = 1500;
	e->link.up = true;
	/* locally administered, unicast: 02:00:00:00:xx:xx */
	serial++;
	e->link.mac[0] = 0x02;
	e->link.mac[4] = (uint8_t)(serial >> 8);
	e->link.mac[5] = (uint8_t)serial;
	return NET_OK;
}

net_err_t net_wire_init(struct net_wire *w, unsigned slots)
{
	net_err_t st;

	if ((st = end_init(&w->end[0], slots)) != NET_OK)
		return st;
	if ((st = end_init(&w->end[1], slots)) != NET_OK) {
		net_wire_end_fini(&w->end[0]);
		return st;
	}
	w->end[0].peer = &w->end[1];
	w->end[1].peer = &w->end[0];
	return NET_OK;
}

net_err_t net_loopback_init(struct net_wire_end *e, unsigned slots)
{
	net_err_t st = end_init(e, slots);

	if (st == NET_OK)
		e->peer = e;
	return st;
}

void net_wire_end_fini(struct net_wire_end *e)
{
	free(e->frames);
	free(e->lens);
	e->frames = NULL;
	e->lens = NULL;
	e->slots = e->count = 0;
}
