/*
 * nic_drivers_test (run/nic_drivers_test): serves Uplink sessions in
 * nic_router's place (nic_session.h) and checks, one driver after the
 * other in the order of its config, what each NIC driver does with QEMU's
 * user-mode network (slirp, restrict=on: nothing but slirp itself answers):
 *
 *   NIC_0001  the announce: the MAC QEMU was given, MTU 1500
 *   NIC_0002  the link comes up
 *   NIC_0003  an ARP request for 10.0.2.2 answered by slirp
 *   NIC_0004  a DHCP discover answered with an offer of 10.0.2.15 from 10.0.2.2
 *   NIC_0005  the link goes down (QMP set_link off on the scenario's cue)
 *   NIC_0006  the link comes back (set_link on), and ARP works again
 *
 * <config> <uplink label="e1000" netdev="n0" mac="52:54:00:12:34:01"/> ... </config>
 *
 * Trusts the drivers for nothing in the streams (the packet stream checks
 * them, frames.c checks every frame).
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/rpc.h>
#include <argil/session_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <nic_session.h>
#include "frames.h"

#define UPLINKS_MAX 4
#define XID 0x41726731u

enum step {
	S_WAIT,          /* for the session, its streams and the link */
	S_ARP,
	S_DHCP,
	S_DOWN,
	S_UP,
	S_ARP2,
	S_DONE,
};

struct uplink {
	const char *label, *netdev;
	uint8_t want_mac[6];
	struct session *s;
	enum step step;
};

struct session {
	struct server_session ss;
	struct uplink *u;
	bool announced, link;
	uint8_t mac[6];
	word_t mtu;
	cptr_t ds[NIC_STREAMS];
	uint8_t *mem[NIC_STREAMS];
	struct ps_sink up;               /* frames from the wire */
	struct ps_source down;           /* frames to send */
	bool up_ok, down_ok;
	struct ps_caps peer[NIC_STREAMS];
	struct signal_handler sig;
};

static struct component_env *env;
static struct uplink uplinks[UPLINKS_MAX];
static unsigned nuplinks, current;
static unsigned passed, failed;

static void check(bool ok, const char *id, const struct uplink *u, const char *what)
{
	log("%s %s %s: %s", ok ? "PASS" : "FAIL", id, u->label, what);
	if (ok)
		passed++;
	else
		failed++;
}

static bool send_frame(struct session *s, const uint8_t *f, size_t n)
{
	struct ps_desc d;

	if (ps_alloc(&s->down, (uint32_t)n, &d) != PS_OK)
		return false;
	memcpy(ps_payload(&s->down.e, &d), f, n);
	d.opcode = NIC_OP_FRAME;
	if (ps_submit(&s->down, &d) != PS_OK) {
		ps_free(&s->down, &d);
		return false;
	}
	return true;
}

static void send_arp(struct session *s)
{
	uint8_t f[64];
	size_t n = frame_arp_request(f, s->mac, SLIRP_GUEST, SLIRP_GATEWAY);

	if (!send_frame(s, f, n))
		check(false, "NIC_0003", s->u, "ARP request not sent");
}

static void finish(void)
{
	log("nic_drivers_test: %u passed, %u failed", passed, failed);
}

static void advance(void);

static void set_step(struct uplink *u, enum step st)
{
	u->step = st;
	struct session *s = u->s;
	switch (st) {
	case S_ARP:
		send_arp(s);
		break;
	case S_DHCP: {
		uint8_t f[400];
		size_t n = frame_dhcp_discover(f, s->mac, XID);
		if (!send_frame(s, f, n))
			check(false, "NIC_0004", u, "DHCP discover not sent");
		break;
	}
	case S_DOWN:
		/* the scenario's cue for QMP set_link */
		log("%s: set link of %s down", u->label, u->netdev);
		break;
	case S_UP:
		log("%s: set link of %s up", u->label, u->netdev);
		break;
	case S_ARP2:
		send_arp(s);
		break;
	case S_DONE:
		current++;
		advance();
		break;
	default:
		break;
	}
}

/* Start the current uplink's checks when its driver is there. */
static void advance(void)
{
	if (current >= nuplinks) {
		if (current == nuplinks) {
			finish();
			current++;
		}
		return;
	}
	struct uplink *u = &uplinks[current];
	struct session *s = u->s;
	if (u->step != S_WAIT || !s || !s->announced || !s->up_ok || !s->down_ok)
		return;
	if (!s->link)
		return;   /* NIC_0002 comes with the link */
	char what[96];
	snprintf(what, sizeof(what), "MAC %02x:%02x:%02x:%02x:%02x:%02x, MTU %lu", s->mac[0],
		 s->mac[1], s->mac[2], s->mac[3], s->mac[4], s->mac[5], (unsigned long)s->mtu);
	check(!memcmp(s->mac, u->want_mac, 6) && s->mtu == 1500, "NIC_0001", u, what);
	check(true, "NIC_0002", u, "link up");
	set_step(u, S_ARP);
}

static void on_frame(struct session *s, const uint8_t *f, size_t n)
{
	struct uplink *u = s->u;
	uint8_t mac[6];
	uint32_t yi, srv;
	char what[96];

	if (!u || u != &uplinks[current])
		return;
	if ((u->step == S_ARP || u->step == S_ARP2) &&
	    frame_is_arp_reply(f, n, s->mac, SLIRP_GATEWAY, mac)) {
		snprintf(what, sizeof(what), "ARP reply: 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x%s",
			 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
			 u->step == S_ARP2 ? " (after the link came back)" : "");
		check(true, u->step == S_ARP ? "NIC_0003" : "NIC_0006", u, what);
		set_step(u, u->step == S_ARP ? S_DHCP : S_DONE);
	} else if (u->step == S_DHCP && frame_is_dhcp_offer(f, n, XID, &yi, &srv)) {
		snprintf(what, sizeof(what), "DHCP offer of %u.%u.%u.%u from %u.%u.%u.%u", yi >> 24,
			 (yi >> 16) & 255, (yi >> 8) & 255, yi & 255, srv >> 24, (srv >> 16) & 255,
			 (srv >> 8) & 255, srv & 255);
		check(yi == SLIRP_GUEST && srv == SLIRP_GATEWAY, "NIC_0004", u, what);
		set_step(u, S_DOWN);
	}
}

static void pump(void *arg)
{
	struct session *s = arg;
	struct ps_desc d;
	ps_error_t e;

	if (s->down_ok)
		while ((e = ps_get_ack(&s->down, &d)) != PS_E_EMPTY) {
			if (e != PS_OK) {
				check(false, "NIC_0000", s->u ? s->u : &uplinks[0], "bad acknowledgement");
				break;
			}
			ps_free(&s->down, &d);
		}
	if (s->up_ok)
		while ((e = ps_get_packet(&s->up, &d)) != PS_E_EMPTY) {
			if (e != PS_OK) {
				if (e == PS_E_BAD_DESC)
					ps_reject(&s->up, &d);
				break;
			}
			on_frame(s, ps_payload(&s->up.e, &d), d.size);
			d.status = PS_STATUS_OK;
			ps_ack(&s->up, &d);
		}
	advance();
}

/* ---- the Uplink service ---- */

static rpc_status_t do_announce(struct uplink_announce_call *c)
{
	struct session *s = c->obj;

	if (s->announced)
		return RPC_E_INVALID_ARGUMENT;
	nic_mac_bytes(c->in.mac, s->mac);
	s->mtu = c->in.mtu;
	s->link = c->in.link == NIC_LINK_UP;
	s->announced = true;
	log("%s: announced, link %s", s->ss.label, s->link ? "up" : "down");
	advance();
	return RPC_OK;
}

static rpc_status_t do_link(struct uplink_link_call *c)
{
	struct session *s = c->obj;
	struct uplink *u = s->u;

	s->link = c->in.link == NIC_LINK_UP;
	if (u && u == &uplinks[current]) {
		if (u->step == S_DOWN && !s->link) {
			check(true, "NIC_0005", u, "link down reported");
			set_step(u, S_UP);
		} else if (u->step == S_UP && s->link) {
			set_step(u, S_ARP2);
		}
	}
	advance();
	return RPC_OK;
}

static rpc_status_t do_stream(struct uplink_stream_call *c)
{
	struct session *s = c->obj;
	struct rpc_msg *m = c->in.ds;
	word_t k = c->in.stream, size = 0, at;

	if (k >= NIC_STREAMS || s->ds[k] || m->cap_kind != RPC_CAP_PLACED)
		return RPC_E_INVALID_ARGUMENT;
	s->ds[k] = m->cap;
	m->cap = 0;
	if (ds_info(s->ds[k], &size, 0, 0) != RPC_OK ||
	    pd_attach(COMPONENT_PD, s->ds[k], 0, 0, 0, ATTACH_WRITE, &at) != RPC_OK)
		return RPC_E_INVALID_CAP;
	s->mem[k] = (uint8_t *)at;
	if (k == NIC_UP)
		s->up_ok = ps_sink_init(&s->up, s->mem[k], size, ps_signal_caps, &s->peer[NIC_UP]) == PS_OK;
	else
		s->down_ok = ps_source_init(&s->down, s->mem[k], size, ps_signal_caps,
					    &s->peer[NIC_DOWN]) == PS_OK;
	if (!(k == NIC_UP ? s->up_ok : s->down_ok))
		return RPC_E_INVALID_ARGUMENT;
	pump(s);
	return RPC_OK;
}

static rpc_status_t do_sigh(struct uplink_sigh_call *c)
{
	struct session *s = c->obj;
	cptr_t slot;
	rpc_status_t st;

	if (c->in.stream >= NIC_STREAMS || c->in.cond >= PS_CONDS)
		return RPC_E_INVALID_ARGUMENT;
	slot = (cptr_t)s->peer[c->in.stream].cap[c->in.cond];
	st = rpc_take_sigh(c->in.ntfn, &slot, false);
	s->peer[c->in.stream].cap[c->in.cond] = slot;
	return st;
}

static rpc_status_t do_cap(struct uplink_cap_call *c)
{
	struct session *s = c->obj;

	if (c->in.stream >= NIC_STREAMS || c->in.cond >= PS_CONDS)
		return RPC_E_INVALID_ARGUMENT;
	c->out.ntfn = s->sig.cap;
	return RPC_OK;
}

RPC_SERVER(uplink, UPLINK_RPC)

static const struct uplink_server ops = {
	.uplink_announce = do_announce,
	.uplink_link = do_link,
	.uplink_stream = do_stream,
	.uplink_sigh = do_sigh,
	.uplink_cap = do_cap,
};

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	uplink_dispatch(&ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t create(struct session_server *srv, struct server_session *ss, const char *args)
{
	struct session *s = (struct session *)ss;

	(void)srv;
	(void)args;
	for (unsigned i = 0; i < nuplinks; i++)
		if (!strcmp(uplinks[i].label, ss->label) && !uplinks[i].s) {
			s->u = &uplinks[i];
			uplinks[i].s = s;
		}
	if (!s->u) {
		log("error: no uplink configured for '%s'", ss->label);
		return RPC_E_DENIED;
	}
	return signal_handler_init(&env->ep, &s->sig, pump, s);
}

static struct session_server server = {
	.service = UPLINK_SERVICE,
	.size = sizeof(struct session),
	.ram = UPLINK_SESSION_RAM,
	.caps = UPLINK_SESSION_CAPS,
	.create = create,
	.rpc = session_rpc,
};

static bool parse_mac(const char *t, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned v = 0;
		for (int j = 0; j < 2; j++, t++) {
			char ch = *t;
			unsigned d = ch >= '0' && ch <= '9' ? (unsigned)(ch - '0')
				     : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
							      : 16;
			if (d > 15)
				return false;
			v = v * 16 + d;
		}
		mac[i] = (uint8_t)v;
		if (i < 5 && *t++ != ':')
			return false;
	}
	return !*t;
}

void component_construct(struct component_env *e)
{
	static struct config_rom cfg;
	rpc_status_t st;

	env = e;
	st = config_rom_open(&cfg, "config", 0, 0, 0);
	if (st != RPC_OK || !cfg.node) {
		log("FAIL no config");
		component_exit(1);
	}
	for (const struct cfg_node *n = cfg_child(cfg.node, "uplink"); n && nuplinks < UPLINKS_MAX;
	     n = cfg_next(n, "uplink")) {
		struct uplink *u = &uplinks[nuplinks];
		const char *mac = cfg_attr(n, "mac");
		u->label = cfg_attr(n, "label");
		u->netdev = cfg_attr(n, "netdev");
		if (!u->label || !u->netdev || !mac || !parse_mac(mac, u->want_mac)) {
			log("FAIL config: <uplink> needs label, netdev and mac (aa:bb:cc:dd:ee:ff)");
			component_exit(1);
		}
		nuplinks++;
	}
	server.ep = &env->ep;
	st = session_server_announce(&server);
	if (st != RPC_OK) {
		log("FAIL cannot serve Uplink: %s", rpc_status_name(st));
		component_exit(1);
	}
	log("nic_drivers_test: %u uplinks", nuplinks);
}
