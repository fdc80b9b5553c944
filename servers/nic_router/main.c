/*
 * nic_router (docs/network.md, "nic_router"): serves Nic sessions
 * (applications, each in the domain its policy names) and Uplink sessions
 * (NIC drivers, in the domain named "uplink"), and moves every frame
 * through the routing engine (proto/route.c): ARP, ICMP echo, routing
 * between domains, NAT to the uplink, TCP port forwards, DHCP (a client
 * on the uplink, a server per client domain; their timers from a Timer
 * session opened when the config asks for DHCP).
 *
 *   <config report="yes">
 *     <domain name="uplink" interface="10.0.2.15/24" gateway="10.0.2.2"/>
 *        (or <domain name="uplink" dhcp="yes"/>)
 *     <domain name="a" interface="10.0.1.1/24" nat="yes">
 *       <dhcp-server first="10.0.1.100" last="10.0.1.199" lease_sec="3600" dns="uplink"/>
 *     </domain>
 *     <policy label="client_a" domain="a"/>
 *     <tcp-forward port="80" domain="a" to="10.0.1.2"/>
 *   </config>
 *
 * A changed config is applied while the router runs: new domains and
 * forwards are added, changed addresses taken; sessions, ARP caches and
 * NAT mappings of domains that stay are kept. A restarted NIC driver's new
 * Uplink session joins the uplink domain as the old one left it.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/ram_buf.h>
#include <argil/args.h>
#include <argil/session_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <nic_route.h>
#include <nic_session.h>
#include <report_session.h>
#include <rom_server.h>
#include <timer_session.h>
#include <arch/syscall.h>

#define REPORT_SIZE 16384
#define UPLINK_DOMAIN "uplink"

static struct component_env *env;
static struct config_rom cfg;
static struct reporter rep;
static bool reporting;
static char report_buf[REPORT_SIZE];
static struct router R;

/* The router's clock (milliseconds, rt_tick) from a Timer session, opened
 * when the config first asks for DHCP; read when the TSC says that a
 * millisecond may have passed (as lib/net does), so frames do not cost
 * an RPC each. */
static struct timer_connection timer;
static struct signal_handler timer_sig = { .bit = -1 };
static bool have_timer;
static uint64_t clock_tsc, armed_at = UINT64_MAX;
#define CLOCK_TICKS 1000000ull

static void clock_update(bool force)
{
	uint64_t t = rdtsc();

	if (!have_timer || (!force && clock_tsc && t - clock_tsc < CLOCK_TICKS))
		return;
	clock_tsc = t;
	rt_tick(&R, elapsed_us(&timer) / 1000);
}

static void report_update(void);

/* The one-shot timeout at the engine's next event. */
static void timer_arm(void)
{
	uint64_t next = rt_next_event(&R);

	if (!have_timer || next == UINT64_MAX || next == armed_at)
		return;
	armed_at = next;
	timer_trigger_once(timer.session, next > R.clock ? (next - R.clock) * 1000 : 0);
}

static int last_dhcpc_state = -1;
static uint32_t last_uplink_ip;
static uint64_t last_dhcp_changes;

/* After the engine ran: the timeout follows its next event; a change of
 * the uplink's lease is logged and reported. */
static void after_engine(void)
{
	for (unsigned d = 0; d < RT_DOMAINS; d++) {
		struct rt_domain *dm = &R.dom[d];
		char a[16], g[16];
		if (!dm->used || !dm->uplink || dm->cli.state == DHCPC_OFF)
			continue;
		if (dm->ip != last_uplink_ip) {
			if (dm->ip) {
				snprintf(a, sizeof(a), "%u.%u.%u.%u", dm->ip >> 24, (dm->ip >> 16) & 255,
					 (dm->ip >> 8) & 255, dm->ip & 255);
				snprintf(g, sizeof(g), "%u.%u.%u.%u", dm->gateway >> 24,
					 (dm->gateway >> 16) & 255, (dm->gateway >> 8) & 255,
					 dm->gateway & 255);
				log("uplink: DHCP lease %s gateway %s for %u s", a, g, dm->cli.lease_sec);
			} else {
				log("uplink: address dropped (lease ended or refused)");
			}
			last_uplink_ip = dm->ip;
			report_update();
		}
		if (dm->cli.state != last_dhcpc_state) {
			last_dhcpc_state = dm->cli.state;
			report_update();
		}
	}
	/* leases given, renewed, released, expired */
	if (R.dhcp_changes != last_dhcp_changes) {
		last_dhcp_changes = R.dhcp_changes;
		report_update();
	}
	timer_arm();
}

static void on_timer(void *arg)
{
	(void)arg;
	armed_at = UINT64_MAX;
	clock_update(true);
	after_engine();
}

static bool timer_open(void)
{
	if (have_timer)
		return true;
	if (timer_connect(&timer, "nic_router") != RPC_OK) {
		log("error: no Timer session: DHCP needs one");
		return false;
	}
	if (signal_handler_init(&env->ep, &timer_sig, on_timer, 0) != RPC_OK ||
	    timer_connection_sigh(&timer, timer_sig.cap) != RPC_OK) {
		log("error: no signal handler for the Timer session");
		timer_disconnect(&timer);
		return false;
	}
	have_timer = true;
	clock_update(true);
	return true;
}

/* A session of either kind: a port of the router. */
struct port {
	struct server_session ss;        /* first */
	bool uplink;
	int port;                        /* the router's, -1: none (yet) */
	struct ps_sink in;               /* frames to the router (NIC_UP) */
	struct ps_source out;            /* frames from the router (NIC_DOWN) */
	struct ps_caps peer_in, peer_out;
	struct signal_handler sig;       /* every condition the router waits for */
	bool streaming;
	/* Nic: the router's dataspaces */
	struct ram_buf mem[NIC_STREAMS];
	cptr_t link_sigh;
	/* Uplink: the driver's */
	cptr_t ds[NIC_STREAMS];
	uint8_t *dmem[NIC_STREAMS];
	word_t dsize[NIC_STREAMS];
	bool announced, link;
	uint8_t mac[6];
	uint64_t dropped_out;            /* no room towards the session */
	char domain[RT_NAME];
};

static struct port *ports[RT_PORTS];
static struct session_server nic_server;
static void port_join(struct port *s);

/* ---- frames ---- */

static void reclaim(struct port *s)
{
	struct ps_desc d;

	for (;;) {
		ps_error_t e = ps_get_ack(&s->out, &d);
		if (e == PS_E_EMPTY || e == PS_E_CORRUPT)
			return;
		if (e == PS_OK)
			ps_free(&s->out, &d);
	}
}

static void send_frame(void *arg, unsigned p, const uint8_t *frame, size_t len)
{
	struct port *s = p < RT_PORTS ? ports[p] : 0;
	struct ps_desc d;

	(void)arg;
	if (!s || !s->streaming || len < NIC_FRAME_MIN || len > NIC_FRAME_MAX)
		return;
	reclaim(s);
	if (ps_alloc(&s->out, (uint32_t)len, &d) != PS_OK) {
		s->dropped_out++;
		return;
	}
	memcpy(ps_payload(&s->out.e, &d), frame, len);
	d.opcode = NIC_OP_FRAME;
	if (ps_submit(&s->out, &d) != PS_OK) {
		ps_free(&s->out, &d);
		s->dropped_out++;
	}
}

static unsigned frames_unreported;

static void pump(void *arg)
{
	struct port *s = arg;
	struct ps_desc d;
	unsigned n = 0;

	if (!s->streaming)
		return;
	clock_update(false);
	reclaim(s);
	while (ps_ack_has_room(&s->in)) {
		ps_error_t e = ps_get_packet(&s->in, &d);
		if (e == PS_E_EMPTY || e == PS_E_CORRUPT)
			break;
		if (e == PS_E_BAD_DESC) {
			ps_reject(&s->in, &d);
			if (s->port >= 0)
				R.dom[R.port[s->port].domain].cnt.bad++;
			continue;
		}
		if (d.opcode != NIC_OP_FRAME || d.size < NIC_FRAME_MIN || d.size > NIC_FRAME_MAX) {
			d.status = d.opcode != NIC_OP_FRAME ? PS_STATUS_BAD_OPCODE
							    : NIC_STATUS_BAD_FRAME;
			if (s->port >= 0)
				R.dom[R.port[s->port].domain].cnt.bad++;
			ps_ack(&s->in, &d);
			continue;
		}
		/* the driver's word that the NIC verified the TCP/UDP checksum
		 * (NIC_ARG_CSUM_VALID) counts on the uplink only */
		if (s->port >= 0)
			rt_input_flags(&R, (unsigned)s->port, ps_payload(&s->in.e, &d), d.size,
				       s->uplink && (d.arg & NIC_ARG_CSUM_VALID) ? RT_IN_CSUM_VALID : 0);
		d.status = PS_STATUS_OK;
		ps_ack(&s->in, &d);
		n++;
	}
	/* the counters in the report follow the traffic every 1024 frames
	 * (state changes are reported at once) */
	if (have_timer && n)
		after_engine();
	frames_unreported += n;
	if (frames_unreported >= 1024) {
		frames_unreported = 0;
		report_update();
	}
}

/* ---- config ---- */

static bool parse_ip(const char *s, uint32_t *ip, const char **end)
{
	uint32_t v = 0;

	for (int part = 0; part < 4; part++) {
		unsigned x = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			x = x * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || digits > 3 || x > 255)
			return false;
		v = v << 8 | x;
		if (part < 3 && *s++ != '.')
			return false;
	}
	*ip = v;
	*end = s;
	return true;
}

/* "a.b.c.d/len" */
static bool parse_iface(const char *s, uint32_t *ip, uint32_t *mask)
{
	const char *e;
	unsigned len = 0, digits = 0;

	if (!s || !parse_ip(s, ip, &e) || *e++ != '/')
		return false;
	while (*e >= '0' && *e <= '9' && digits < 3) {
		len = len * 10 + (unsigned)(*e++ - '0');
		digits++;
	}
	if (!digits || *e || len < 1 || len > 30)
		return false;
	*mask = 0xffffffffu << (32 - len);
	return true;
}

static bool parse_addr(const char *s, uint32_t *ip)
{
	const char *e;

	return s && parse_ip(s, ip, &e) && !*e;
}

static const char *ip_text(uint32_t ip, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
	return buf;
}

/* <dhcp-server first last lease_sec dns/> of client domain d. */
static void apply_dhcp_server(const char *name, unsigned d, const struct cfg_node *n)
{
	uint32_t first = 0, last = 0, dns = 0;
	uint64_t lease = 3600;
	const char *dns_text = cfg_attr(n, "dns");
	bool dns_uplink = dns_text && !strcmp(dns_text, "uplink");

	if (!parse_addr(cfg_attr(n, "first"), &first) || !parse_addr(cfg_attr(n, "last"), &last) ||
	    cfg_attr_u64(n, "lease_sec", 3600, &lease) < 0 || lease < 60 || lease > 0x0fffffff ||
	    (dns_text && !dns_uplink && !parse_addr(dns_text, &dns))) {
		log("error: config: domain %s: <dhcp-server first=\"a.b.c.d\" last=\"a.b.c.d\" "
		    "lease_sec=\"60..\" dns=\"a.b.c.d|uplink\"/> malformed", name);
		rt_dhcp_server_off(&R, d);
		return;
	}
	if (!timer_open()) {
		rt_dhcp_server_off(&R, d);
		return;
	}
	if (rt_dhcp_server(&R, d, first, last, (uint32_t)lease, dns, dns_uplink) < 0) {
		log("error: config: domain %s: <dhcp-server> range not inside the domain's subnet "
		    "(hosts only) or first after last", name);
		rt_dhcp_server_off(&R, d);
	}
}

static void apply_config(void)
{
	const struct cfg_node *n;

	if (!cfg.node)
		return;
	for (n = cfg_child(cfg.node, "domain"); n; n = cfg_next(n, "domain")) {
		const char *name = cfg_attr(n, "name");
		uint32_t ip = 0, mask = 0, gw = 0;
		bool nat = false, up, dhcp = false;
		const struct cfg_node *ds = cfg_child(n, "dhcp-server");
		int d;

		if (!name || !*name || strlen(name) >= RT_NAME) {
			log("error: config: a <domain> needs a name of 1..%d characters", RT_NAME - 1);
			continue;
		}
		up = !strcmp(name, UPLINK_DOMAIN);
		if (cfg_attr_bool(n, "dhcp", false, &dhcp) < 0) {
			log("error: config: domain %s: dhcp is yes or no", name);
			continue;
		}
		if (dhcp && !up) {
			log("error: config: domain %s: dhcp=\"yes\" is for the domain \"%s\" only "
			    "(a client domain serves DHCP with <dhcp-server>)", name, UPLINK_DOMAIN);
			continue;
		}
		if (dhcp && (cfg_attr(n, "interface") || cfg_attr(n, "gateway"))) {
			log("error: config: domain %s: dhcp=\"yes\" and interface=/gateway= exclude "
			    "each other (the lease gives address and gateway)", name);
			continue;
		}
		if (ds && up) {
			log("error: config: domain %s: <dhcp-server> is for client domains", name);
			continue;
		}
		if (dhcp) {
			/* a lease the client has stays */
			d = rt_domain_find(&R, name);
			if (d >= 0 && R.dom[d].cli.state != DHCPC_OFF) {
				ip = R.dom[d].ip;
				mask = R.dom[d].mask;
				gw = R.dom[d].gateway;
			}
		} else if (!parse_iface(cfg_attr(n, "interface"), &ip, &mask)) {
			log("error: config: domain %s: interface=\"a.b.c.d/len\" missing or malformed"
			    "%s", name, up ? " (or dhcp=\"yes\")" : "");
			continue;
		}
		if (cfg_attr(n, "gateway") && !parse_addr(cfg_attr(n, "gateway"), &gw)) {
			log("error: config: domain %s: gateway is no address", name);
			continue;
		}
		if (cfg_attr_bool(n, "nat", false, &nat) < 0) {
			log("error: config: domain %s: nat is yes or no", name);
			continue;
		}
		d = rt_domain(&R, name, up, nat && !up, ip, mask, gw);
		if (d < 0) {
			log("error: config: domain %s refused (at most %d domains)", name, RT_DOMAINS);
			continue;
		}
		if (up) {
			if (!dhcp)
				rt_dhcp_client(&R, (unsigned)d, false);
			else if (timer_open())
				rt_dhcp_client(&R, (unsigned)d, true);
		} else if (ds) {
			apply_dhcp_server(name, (unsigned)d, ds);
		} else {
			rt_dhcp_server_off(&R, (unsigned)d);
		}
	}
	rt_forwards_clear(&R);
	for (n = cfg_child(cfg.node, "tcp-forward"); n; n = cfg_next(n, "tcp-forward")) {
		uint64_t port = 0;
		uint32_t to = 0;
		int d = cfg_attr(n, "domain") ? rt_domain_find(&R, cfg_attr(n, "domain")) : -1;

		if (cfg_attr_u64(n, "port", 0, &port) < 0 || !port || port > 65535 || d < 0 ||
		    !parse_addr(cfg_attr(n, "to"), &to)) {
			log("error: config: <tcp-forward port=\"1..65535\" domain=\"known\" "
			    "to=\"a.b.c.d\"/> malformed");
			continue;
		}
		rt_forward_add(&R, (uint16_t)port, (unsigned)d, to);
	}
	/* sessions waiting for a domain that now exists join it */
	for (struct server_session *ss = nic_server.sessions; ss; ss = ss->next) {
		struct port *s = (struct port *)ss;
		if (s->port < 0 && s->streaming) {
			port_join(s);
			if (s->port >= 0 && s->link_sigh)
				signal_submit(s->link_sigh);
		}
	}
}

static void on_config(void *arg)
{
	(void)arg;
	config_rom_update(&cfg);
	if (!cfg.node && cfg.err.msg)
		log("error: config: %s (line %u)", cfg.err.msg, cfg.err.line);
	clock_update(true);
	apply_config();
	after_engine();
	log("config applied");
	report_update();
}

/* ---- report ---- */

static void report_update(void)
{
	struct cfg_writer w;
	char buf[16];

	if (!reporting)
		return;
	cfg_writer_init(&w, report_buf, sizeof(report_buf));
	cfg_node_begin(&w, "nic_router");
	for (unsigned d = 0; d < RT_DOMAINS; d++) {
		struct rt_domain *dm = &R.dom[d];
		unsigned nports = 0, narp = 0;
		if (!dm->used)
			continue;
		for (unsigned p = 0; p < RT_PORTS; p++)
			if (R.port[p].used && R.port[p].domain == d)
				nports++;
		for (unsigned i = 0; i < RT_ARP; i++)
			narp += dm->arp[i].used;
		cfg_node_begin(&w, "domain");
		cfg_node_attr(&w, "name", dm->name);
		cfg_node_attr(&w, "address", ip_text(dm->ip, buf));
		cfg_node_attr_u64(&w, "sessions", nports);
		if (dm->uplink) {
			bool link = false;
			for (unsigned p = 0; p < RT_PORTS; p++)
				if (ports[p] && ports[p]->uplink && ports[p]->streaming)
					link = ports[p]->link;
			cfg_node_attr(&w, "link", link ? "up" : "down");
		}
		cfg_node_attr_u64(&w, "arp", narp);
		cfg_node_attr_u64(&w, "rx", dm->cnt.rx);
		cfg_node_attr_u64(&w, "tx", dm->cnt.tx);
		cfg_node_attr_u64(&w, "bad", dm->cnt.bad);
		cfg_node_attr_u64(&w, "dropped", dm->cnt.dropped);
		cfg_node_attr_u64(&w, "routed", dm->cnt.routed);
		cfg_node_attr_u64(&w, "nat_out", dm->cnt.nat_out);
		cfg_node_attr_u64(&w, "nat_in", dm->cnt.nat_in);
		cfg_node_attr_u64(&w, "forwarded", dm->cnt.forwarded);
		cfg_node_attr_u64(&w, "echo", dm->cnt.echo);
		cfg_node_attr_u64(&w, "no_address", dm->cnt.no_address);
		if (dm->uplink && dm->cli.state != DHCPC_OFF) {
			cfg_node_attr(&w, "dhcp", rt_dhcpc_state_name(dm->cli.state));
			cfg_node_attr(&w, "gateway", ip_text(dm->gateway, buf));
			cfg_node_attr(&w, "dns", ip_text(dm->cli.dns, buf));
			cfg_node_attr_u64(&w, "lease_sec", dm->ip ? dm->cli.lease_sec : 0);
			cfg_node_attr_u64(&w, "lease_left_sec",
					  dm->ip && dm->cli.expires > R.clock
						  ? (dm->cli.expires - R.clock) / 1000 : 0);
			cfg_node_attr_u64(&w, "dhcp_in", dm->cnt.dhcp_in);
			cfg_node_attr_u64(&w, "dhcp_out", dm->cnt.dhcp_out);
		}
		if (!dm->uplink && dm->srv.on) {
			cfg_node_attr_u64(&w, "dhcp_in", dm->cnt.dhcp_in);
			cfg_node_attr_u64(&w, "dhcp_out", dm->cnt.dhcp_out);
			for (unsigned i = 0; i < RT_LEASES; i++) {
				const struct rt_lease *l = &dm->srv.lease[i];
				char mac[18];
				if (!l->used)
					continue;
				snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", l->mac[0],
					 l->mac[1], l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
				cfg_node_begin(&w, "lease");
				cfg_node_attr(&w, "mac", mac);
				cfg_node_attr(&w, "address", ip_text(l->ip, buf));
				cfg_node_attr(&w, "state", l->bound ? "bound" : l->declined ? "declined"
									      : "offered");
				cfg_node_attr_u64(&w, "expires_sec",
						  l->expires > R.clock ? (l->expires - R.clock) / 1000 : 0);
				cfg_node_end(&w);
			}
		}
		cfg_node_end(&w);
	}
	cfg_node_end(&w);
	if (cfg_writer_ok(&w))
		reporter_submit(&rep, report_buf, w.len);
}

/* ---- sessions ---- */

static void port_join(struct port *s)
{
	int d = rt_domain_find(&R, s->domain);

	if (s->port >= 0 || d < 0)
		return;
	s->port = rt_port_add(&R, (unsigned)d);
	if (s->port < 0) {
		log("error: no port left for session '%s'", s->ss.label);
		return;
	}
	ports[s->port] = s;
	if (s->uplink) {
		/* a new NIC (or a restarted driver): DHCP asks again */
		rt_domain_mac(&R, (unsigned)d, s->mac);
		clock_update(true);
		rt_dhcp_client_restart(&R, (unsigned)d);
		after_engine();
	}
	report_update();
}

static void release(struct port *s)
{
	if (s->port >= 0) {
		rt_port_remove(&R, (unsigned)s->port);
		ports[s->port] = 0;
		s->port = -1;
	}
	s->streaming = false;
	signal_handler_fini(&env->ep, &s->sig);
	for (int i = 0; i < PS_CONDS; i++) {
		cap_slot_free((cptr_t)s->peer_in.cap[i]);
		cap_slot_free((cptr_t)s->peer_out.cap[i]);
	}
	cap_slot_free(s->link_sigh);
	for (int i = 0; i < NIC_STREAMS; i++) {
		ram_buf_free(&s->mem[i]);
		if (s->dmem[i])
			pd_detach(COMPONENT_PD, (word_t)s->dmem[i]);
		cap_slot_free(s->ds[i]);
	}
	report_update();
}

/* The conditions: who waits for which (nic_session.h). The router waits
 * on NIC_UP for SUBMIT_READY and ACK_SLOT_FREE, on NIC_DOWN for ACK_READY
 * and SUBMIT_SLOT_FREE; the client the other two of each. */
static bool client_cond(word_t stream, word_t cond)
{
	return stream == NIC_UP ? (cond == PS_ACK_READY || cond == PS_SUBMIT_SLOT_FREE)
				: (cond == PS_SUBMIT_READY || cond == PS_ACK_SLOT_FREE);
}

static rpc_status_t take_sigh(struct port *s, word_t stream, word_t cond, struct rpc_msg *m)
{
	struct ps_caps *pc = stream == NIC_UP ? &s->peer_in : &s->peer_out;
	cptr_t slot;
	rpc_status_t st;

	if (stream >= NIC_STREAMS || cond >= PS_CONDS || !client_cond(stream, cond))
		return RPC_E_INVALID_ARGUMENT;
	slot = pc->cap[cond];
	st = rpc_take_sigh(m, &slot, false);
	pc->cap[cond] = slot;
	/* A Nic client attaches both streams before it registers its
	 * notifications (nic_session.h): only now may frames go to it. Before,
	 * a frame for it (a broadcast in its domain, an ARP request of the
	 * router) moved the indices of a stream the client had not attached
	 * yet, and its attach refused the stream (ps: "indices that disagree"),
	 * so a second client opening beside a busy first one failed. */
	if (st == RPC_OK && !s->uplink && !s->streaming && stream == NIC_DOWN &&
	    cond == PS_SUBMIT_READY) {
		s->streaming = true;
		port_join(s);
		if (s->port < 0)
			log("session '%s': domain %s not (yet) in the config: link down",
			    s->ss.label, s->domain);
	}
	return st;
}

static rpc_status_t give_cap(struct port *s, word_t stream, word_t cond, cptr_t *out)
{
	if (stream >= NIC_STREAMS || cond >= PS_CONDS || client_cond(stream, cond))
		return RPC_E_INVALID_ARGUMENT;
	*out = s->sig.cap;
	return RPC_OK;
}

/* Nic */

RPC_SERVER(nic, NIC_RPC)

static rpc_status_t nic_do_info(struct nic_info_call *c)
{
	struct port *s = c->obj;
	int d = rt_domain_find(&R, s->domain);

	c->out.mac = nic_mac_word(d >= 0 ? R.dom[d].mac : R.mac);
	c->out.mtu = 1500;
	c->out.link = s->port >= 0 ? NIC_LINK_UP : 0;
	return RPC_OK;
}

static rpc_status_t nic_do_stream(struct nic_stream_call *c)
{
	struct port *s = c->obj;

	if (c->in.stream >= NIC_STREAMS)
		return RPC_E_INVALID_ARGUMENT;
	c->out.ds = s->mem[c->in.stream].ds;
	c->out.size = s->mem[c->in.stream].size;
	return RPC_OK;
}

static rpc_status_t nic_do_sigh(struct nic_sigh_call *c)
{
	return take_sigh(c->obj, c->in.stream, c->in.cond, c->in.ntfn);
}

static rpc_status_t nic_do_cap(struct nic_cap_call *c)
{
	return give_cap(c->obj, c->in.stream, c->in.cond, &c->out.ntfn);
}

static rpc_status_t nic_do_link_sigh(struct nic_link_sigh_call *c)
{
	struct port *s = c->obj;

	return rpc_take_sigh(c->in.ntfn, &s->link_sigh, false);
}

static const struct nic_server nic_ops = {
	.nic_info = nic_do_info,
	.nic_stream = nic_do_stream,
	.nic_sigh = nic_do_sigh,
	.nic_cap = nic_do_cap,
	.nic_link_sigh = nic_do_link_sigh,
};

static void nic_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	nic_dispatch(&nic_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t nic_create(struct session_server *srv, struct server_session *ss,
			       const char *args)
{
	struct port *s = (struct port *)ss;
	const struct cfg_node *p = 0;
	uint64_t up, down, slots;
	const char *dom;
	rpc_status_t st;

	(void)srv;
	s->sig.bit = -1;
	s->port = -1;
	for (const struct cfg_node *n = cfg.node ? cfg_child(cfg.node, "policy") : 0; n && !p;
	     n = cfg_next(n, "policy"))
		if (policy_matches(n, ss->label))
			p = n;
	dom = p ? cfg_attr(p, "domain") : 0;
	if (!dom || !*dom || strlen(dom) >= RT_NAME || !strcmp(dom, UPLINK_DOMAIN)) {
		log("session '%s' denied: no policy with a client domain for its label", ss->label);
		return RPC_E_DENIED;
	}
	memcpy(s->domain, dom, strlen(dom) + 1);
	if (args_u64(args, "up_size", NIC_STREAM_DEFAULT, &up) < 0 ||
	    args_u64(args, "down_size", NIC_STREAM_DEFAULT, &down) < 0 ||
	    args_u64(args, "slots", 128, &slots) < 0 || up < 16384 || down < 16384 ||
	    up > NIC_STREAM_MAX || down > NIC_STREAM_MAX || slots < PS_MIN_SLOTS ||
	    slots > PS_MAX_SLOTS || (slots & (slots - 1)))
		return RPC_E_INVALID_ARGUMENT;
	up = PAGES(up) * 4096;
	down = PAGES(down) * 4096;
	if (!budget_take(&ss->budget, NIC_SESSION_RAM(up, down), NIC_SESSION_CAPS))
		return RPC_E_NO_RAM_QUOTA;
	st = ram_buf_alloc(&s->mem[NIC_UP], up);
	if (st == RPC_OK)
		st = ram_buf_alloc(&s->mem[NIC_DOWN], down);
	if (st == RPC_OK)
		st = signal_handler_init(&env->ep, &s->sig, pump, s);
	if (st != RPC_OK) {
		release(s);
		return st;
	}
	if (ps_format(s->mem[NIC_UP].va, up, (uint32_t)slots) != PS_OK ||
	    ps_format(s->mem[NIC_DOWN].va, down, (uint32_t)slots) != PS_OK ||
	    ps_sink_init(&s->in, s->mem[NIC_UP].va, up, ps_signal_caps, &s->peer_in) != PS_OK ||
	    ps_source_init(&s->out, s->mem[NIC_DOWN].va, down, ps_signal_caps, &s->peer_out) != PS_OK) {
		release(s);
		return RPC_E_INVALID_ARGUMENT;
	}
	/* frames flow once the client registered its notification for
	 * NIC_DOWN's SUBMIT_READY (take_sigh) */
	return RPC_OK;
}

static void port_destroy(struct session_server *srv, struct server_session *ss)
{
	(void)srv;
	release((struct port *)ss);
}

static struct session_server nic_server = {
	.service = NIC_SERVICE,
	.size = sizeof(struct port),
	.ram = NIC_SESSION_BASE_RAM,
	.caps = NIC_SESSION_CAPS,
	.create = nic_create,
	.destroy = port_destroy,
	.rpc = nic_rpc,
};

/* Uplink */

RPC_SERVER(uplink, UPLINK_RPC)

static rpc_status_t up_announce(struct uplink_announce_call *c)
{
	struct port *s = c->obj;

	nic_mac_bytes(c->in.mac, s->mac);
	if (s->announced || (s->mac[0] & 1) || !c->in.mac || c->in.mtu < 576 || c->in.mtu > 1500)
		return RPC_E_INVALID_ARGUMENT;
	s->announced = true;
	s->link = c->in.link == NIC_LINK_UP;
	return RPC_OK;
}

static rpc_status_t up_link(struct uplink_link_call *c)
{
	struct port *s = c->obj;

	bool was = s->link;

	s->link = c->in.link == NIC_LINK_UP;
	log("uplink '%s': link %s", s->ss.label, s->link ? "up" : "down");
	if (s->link && !was && s->port >= 0) {
		/* the link came back: maybe another network, DHCP asks again */
		clock_update(true);
		rt_dhcp_client_restart(&R, R.port[s->port].domain);
		after_engine();
	}
	report_update();
	return RPC_OK;
}

static rpc_status_t up_stream(struct uplink_stream_call *c)
{
	struct port *s = c->obj;
	struct rpc_msg *m = c->in.ds;
	word_t i = c->in.stream, size = 0, at;
	rpc_status_t st;

	if (!s->announced || i >= NIC_STREAMS || s->ds[i])
		return RPC_E_INVALID_ARGUMENT;
	if (m->cap_kind != RPC_CAP_PLACED)
		return RPC_E_INVALID_CAP;
	s->ds[i] = m->cap;
	m->cap = 0;
	st = ds_info(s->ds[i], &size, 0, 0);
	if (st == RPC_OK)
		st = pd_attach(COMPONENT_PD, s->ds[i], 0, 0, 0, ATTACH_WRITE, &at);
	if (st != RPC_OK) {
		cap_slot_free(s->ds[i]);
		s->ds[i] = 0;
		return RPC_E_INVALID_CAP;
	}
	s->dmem[i] = (uint8_t *)at;
	s->dsize[i] = size;
	if (i == NIC_UP ? ps_sink_init(&s->in, s->dmem[i], size, ps_signal_caps, &s->peer_in) != PS_OK
			: ps_source_init(&s->out, s->dmem[i], size, ps_signal_caps, &s->peer_out) != PS_OK)
		return RPC_E_INVALID_ARGUMENT;
	if (s->dmem[NIC_UP] && s->dmem[NIC_DOWN]) {
		s->streaming = true;
		port_join(s);
		log("uplink '%s': streams ready", s->ss.label);
		pump(s);
	}
	return RPC_OK;
}

static rpc_status_t up_sigh(struct uplink_sigh_call *c)
{
	return take_sigh(c->obj, c->in.stream, c->in.cond, c->in.ntfn);
}

static rpc_status_t up_cap(struct uplink_cap_call *c)
{
	return give_cap(c->obj, c->in.stream, c->in.cond, &c->out.ntfn);
}

static const struct uplink_server uplink_ops = {
	.uplink_announce = up_announce,
	.uplink_link = up_link,
	.uplink_stream = up_stream,
	.uplink_sigh = up_sigh,
	.uplink_cap = up_cap,
};

static void uplink_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	uplink_dispatch(&uplink_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t uplink_create(struct session_server *srv, struct server_session *ss,
				  const char *args)
{
	struct port *s = (struct port *)ss;

	(void)srv;
	(void)args;
	s->sig.bit = -1;
	s->port = -1;
	s->uplink = true;
	memcpy(s->domain, UPLINK_DOMAIN, sizeof(UPLINK_DOMAIN));
	if (rt_domain_find(&R, UPLINK_DOMAIN) < 0) {
		log("uplink '%s' denied: no domain \"%s\" in the config", ss->label, UPLINK_DOMAIN);
		return RPC_E_DENIED;
	}
	for (unsigned p = 0; p < RT_PORTS; p++)
		if (ports[p] && ports[p]->uplink) {
			log("uplink '%s' denied: the uplink is '%s''s", ss->label, ports[p]->ss.label);
			return RPC_E_BUSY;
		}
	if (!budget_take(&ss->budget, UPLINK_SESSION_RAM, UPLINK_SESSION_CAPS))
		return RPC_E_NO_RAM_QUOTA;
	return signal_handler_init(&env->ep, &s->sig, pump, s);
}

static struct session_server uplink_server = {
	.service = UPLINK_SERVICE,
	.size = sizeof(struct port),
	.ram = UPLINK_SESSION_RAM,
	.caps = UPLINK_SESSION_CAPS,
	.create = uplink_create,
	.destroy = port_destroy,
	.rpc = uplink_rpc,
};

void component_construct(struct component_env *e)
{
	static const uint8_t mac[6] = { 0x02, 0x52, 0x54, 0x00, 0x00, 0x01 };
	bool want_report = true;
	rpc_status_t st;

	env = e;
	rt_init(&R, mac, send_frame, 0);
	st = config_rom_open(&cfg, "config", &env->ep, on_config, 0);
	if (st != RPC_OK)
		log("error: no config ROM (%s): every session is refused", rpc_status_name(st));
	if (cfg.node && cfg_attr_bool(cfg.node, "report", true, &want_report) < 0)
		log("error: config: report must be yes or no");
	apply_config();
	if (want_report) {
		st = reporter_open(&rep, "nic_router", REPORT_SIZE);
		if (st == RPC_OK)
			reporting = true;
		else
			log("error: no Report session 'nic_router' (%s)", rpc_status_name(st));
	}
	report_update();
	nic_server.ep = uplink_server.ep = &env->ep;
	st = session_server_announce(&uplink_server);
	if (st == RPC_OK)
		st = session_server_announce(&nic_server);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(1);
	}
}
