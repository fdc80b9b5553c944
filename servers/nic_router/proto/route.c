/*
 * nic_router's routing engine (nic_route.h).
 */
#include <nic_route.h>

/* The C library's memmove (base's in the component: 8-byte words; a byte
 * loop here cost four instructions a byte of every forwarded packet). */
static void copy(void *d, const void *s, size_t n)
{
	__builtin_memmove(d, s, n);
}

static bool mac_eq(const uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < 6; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

void rt_init(struct router *r, const uint8_t mac[6], rt_send_fn send, void *arg)
{
	uint8_t *p = (uint8_t *)r;

	for (size_t i = 0; i < sizeof(*r); i++)
		p[i] = 0;
	copy(r->mac, mac, 6);
	r->send = send;
	r->arg = arg;
}

int rt_domain_find(const struct router *r, const char *name)
{
	for (int d = 0; d < RT_DOMAINS; d++) {
		if (!r->dom[d].used)
			continue;
		int i = 0;
		while (i < RT_NAME && name[i] && name[i] == r->dom[d].name[i])
			i++;
		if (i < RT_NAME && !name[i] && !r->dom[d].name[i])
			return d;
	}
	return -1;
}

int rt_domain(struct router *r, const char *name, bool uplink, bool nat, uint32_t ip,
	      uint32_t mask, uint32_t gateway)
{
	int d = rt_domain_find(r, name);
	size_t n = 0;

	while (name[n])
		n++;
	if (!n || n >= RT_NAME)
		return -1;
	if (mask && (~mask & (~mask + 1)))   /* not a contiguous prefix */
		return -1;
	if (d < 0) {
		for (d = 0; d < RT_DOMAINS && r->dom[d].used; d++)
			;
		if (d == RT_DOMAINS)
			return -1;
		struct rt_domain *dm = &r->dom[d];
		uint8_t *p = (uint8_t *)dm;
		for (size_t i = 0; i < sizeof(*dm); i++)
			p[i] = 0;
		copy(dm->name, name, n + 1);
		copy(dm->mac, r->mac, 6);
		dm->used = true;
	}
	r->dom[d].uplink = uplink;
	r->dom[d].nat = nat;
	r->dom[d].ip = ip;
	r->dom[d].mask = mask;
	r->dom[d].gateway = gateway;
	return d;
}

void rt_domain_mac(struct router *r, unsigned d, const uint8_t mac[6])
{
	if (d < RT_DOMAINS)
		copy(r->dom[d].mac, mac, 6);
}

void rt_domain_remove(struct router *r, unsigned d)
{
	if (d >= RT_DOMAINS)
		return;
	for (unsigned p = 0; p < RT_PORTS; p++)
		if (r->port[p].used && r->port[p].domain == d)
			r->port[p].used = false;
	for (unsigned i = 0; i < RT_NAT; i++)
		if (r->nat[i].used && r->nat[i].domain == d)
			r->nat[i].used = false;
	for (unsigned i = 0; i < RT_FORWARDS; i++)
		if (r->fwd[i].used && r->fwd[i].domain == d)
			r->fwd[i].used = false;
	r->dom[d].used = false;
}

int rt_port_add(struct router *r, unsigned d)
{
	if (d >= RT_DOMAINS || !r->dom[d].used)
		return -1;
	for (int p = 0; p < RT_PORTS; p++) {
		if (!r->port[p].used) {
			r->port[p].used = true;
			r->port[p].domain = d;
			r->port[p].mac_known = false;
			return p;
		}
	}
	return -1;
}

void rt_port_remove(struct router *r, unsigned p)
{
	if (p >= RT_PORTS)
		return;
	r->port[p].used = false;
	for (unsigned d = 0; d < RT_DOMAINS; d++)
		for (unsigned i = 0; i < RT_ARP; i++)
			if (r->dom[d].arp[i].used && r->dom[d].arp[i].port == p)
				r->dom[d].arp[i].used = false;
}

int rt_forward_add(struct router *r, uint16_t port, unsigned d, uint32_t to)
{
	if (!port || d >= RT_DOMAINS)
		return -1;
	for (int i = 0; i < RT_FORWARDS; i++) {
		if (!r->fwd[i].used || r->fwd[i].port == port) {
			r->fwd[i].used = true;
			r->fwd[i].port = port;
			r->fwd[i].domain = d;
			r->fwd[i].to = to;
			return i;
		}
	}
	return -1;
}

void rt_forwards_clear(struct router *r)
{
	for (int i = 0; i < RT_FORWARDS; i++)
		r->fwd[i].used = false;
}


/* ---- ARP ---- */

static bool in_subnet(const struct rt_domain *dm, uint32_t ip)
{
	return dm->ip && dm->mask && (ip & dm->mask) == (dm->ip & dm->mask);
}

static struct rt_arp *arp_find(struct rt_domain *dm, uint32_t ip)
{
	for (unsigned i = 0; i < RT_ARP; i++)
		if (dm->arp[i].used && dm->arp[i].ip == ip)
			return &dm->arp[i];
	return 0;
}

static void arp_learn(struct rt_domain *dm, uint32_t ip, const uint8_t *mac, unsigned port)
{
	struct rt_arp *a = arp_find(dm, ip);

	if (!in_subnet(dm, ip) || ip == dm->ip)
		return;
	if (!a) {
		a = &dm->arp[dm->arp_next];
		dm->arp_next = (dm->arp_next + 1) % RT_ARP;
	}
	a->used = true;
	a->ip = ip;
	copy(a->mac, mac, 6);
	a->port = (uint8_t)port;
}

static void out_port(struct router *r, unsigned p, size_t len)
{
	r->dom[r->port[p].domain].cnt.tx++;
	r->send(r->arg, p, r->out, len);
}

/* r->out to every port of domain d but skip. */
static void out_domain(struct router *r, unsigned d, int skip, size_t len)
{
	for (unsigned p = 0; p < RT_PORTS; p++)
		if (r->port[p].used && r->port[p].domain == d && (int)p != skip)
			out_port(r, p, len);
}

static size_t eth_head(struct router *r, unsigned d, const uint8_t *dst, uint16_t type)
{
	copy(r->out, dst, 6);
	copy(r->out + 6, r->dom[d].mac, 6);
	put16(r->out + 12, type);
	return ETH_HDR;
}

static void arp_send(struct router *r, unsigned d, int port, uint16_t op, const uint8_t *tha,
		     uint32_t tpa)
{
	uint8_t *a = r->out + ETH_HDR;
	static const uint8_t zero[6];

	eth_head(r, d, op == ARP_REQUEST ? bcast : tha, ETH_TYPE_ARP);
	put16(a, 1);
	put16(a + 2, ETH_TYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	copy(a + 8, r->dom[d].mac, 6);
	put32(a + 14, r->dom[d].ip);
	copy(a + 18, op == ARP_REQUEST ? zero : tha, 6);
	put32(a + 24, tpa);
	for (int i = ETH_HDR + ARP_LEN; i < 60; i++)
		r->out[i] = 0;
	if (port >= 0)
		out_port(r, (unsigned)port, 60);
	else
		out_domain(r, d, -1, 60);
}

static void arp_input(struct router *r, unsigned p, const struct eth_view *e)
{
	unsigned d = r->port[p].domain;
	struct rt_domain *dm = &r->dom[d];
	struct arp_view a;
	int err = arp_parse(e->payload, e->len, &a);

	if (err) {
		dm->cnt.bad++;
		return;
	}
	arp_learn(dm, a.spa, a.sha, p);
	if (a.op == ARP_REQUEST && dm->ip && a.tpa == dm->ip)
		arp_send(r, d, (int)p, ARP_REPLY, a.sha, a.spa);
}

/* ---- IPv4 ---- */

/* Send the IPv4 packet at r->out + ETH_HDR (len bytes) in domain d to
 * next hop nh. */
static bool ip_send(struct router *r, unsigned d, uint32_t nh, size_t len)
{
	struct rt_arp *a = arp_find(&r->dom[d], nh);

	if (!a || !r->port[a->port].used) {
		r->dom[d].cnt.arp_miss++;
		arp_send(r, d, -1, ARP_REQUEST, 0, nh);
		return false;
	}
	eth_head(r, d, a->mac, ETH_TYPE_IPV4);
	out_port(r, a->port, ETH_HDR + len);
	return true;
}

static uint32_t next_hop(const struct rt_domain *dm, uint32_t dst)
{
	return in_subnet(dm, dst) ? dst : dm->gateway;
}

static void echo_reply(struct router *r, unsigned p, const struct ipv4_view *ip,
		       const struct icmp_view *ic, const struct eth_view *e)
{
	uint8_t *o = r->out + ETH_HDR;
	size_t n = ip->payload_len;
	unsigned d = r->port[p].domain;

	if (20 + n > ETH_FRAME_MAX - ETH_HDR)
		return;
	(void)ic;
	for (int i = 0; i < 20; i++)
		o[i] = 0;
	o[0] = 0x45;
	put16(o + 2, (uint16_t)(20 + n));
	o[8] = 64;
	o[9] = IP_PROTO_ICMP;
	put32(o + 12, ip->dst);
	put32(o + 16, ip->src);
	put16(o + 10, csum_fold(csum_add(0, o, 20)));
	copy(o + 20, ip->payload, n);
	o[20] = ICMP_ECHO_REPLY;
	put16(o + 22, 0);
	put16(o + 22, csum_fold(csum_add(0, o + 20, n)));
	r->dom[d].cnt.echo++;
	/* straight back to the sender */
	eth_head(r, d, e->src, ETH_TYPE_IPV4);
	out_port(r, p, ETH_HDR + 20 + n);
}

/* Where the ports are in a transport header: the offset of the checksum
 * field (0: none to update) for proto. */
static unsigned l4_check_off(uint8_t proto)
{
	return proto == IP_PROTO_TCP ? 16 : proto == IP_PROTO_UDP ? 6 : 2;
}

/* The L4 view the NAT needs: proto's "source port" and "destination port"
 * (ICMP echo: the id both). false: not translatable. */
static bool l4_ports(const struct ipv4_view *ip, bool csum_valid, uint16_t *sport,
		     uint16_t *dport, int *bad)
{
	*bad = 0;
	if (ipv4_is_fragment(ip))
		return false;
	if (ip->proto == IP_PROTO_TCP) {
		struct tcp_view t;
		if ((*bad = tcp_parse_csum(ip->payload, ip->payload_len, ip->src, ip->dst,
					   csum_valid, &t)))
			return false;
		*sport = t.sport;
		*dport = t.dport;
		return true;
	}
	if (ip->proto == IP_PROTO_UDP) {
		struct udp_view u;
		if ((*bad = udp_parse_csum(ip->payload, ip->payload_len, ip->src, ip->dst,
					   csum_valid, &u)))
			return false;
		*sport = u.sport;
		*dport = u.dport;
		return true;
	}
	if (ip->proto == IP_PROTO_ICMP) {
		struct icmp_view ic;
		if ((*bad = icmp_parse(ip->payload, ip->payload_len, &ic)))
			return false;
		if (ic.type != ICMP_ECHO_REQUEST && ic.type != ICMP_ECHO_REPLY)
			return false;
		*sport = *dport = ic.id;
		return true;
	}
	return false;
}

/* Rewrite the copy at o (IPv4 header hl bytes): source or destination
 * address and port, checksums updated incrementally. */
static void rewrite(uint8_t *o, size_t hl, uint8_t proto, bool source, uint32_t addr,
		    uint16_t port)
{
	unsigned aoff = source ? 12 : 16;
	uint32_t old_addr = get32(o + aoff);
	uint8_t *l4 = o + hl;
	unsigned coff = l4_check_off(proto);
	unsigned poff = proto == IP_PROTO_ICMP ? 4 : source ? 0 : 2;
	uint16_t old_port = get16(l4 + poff);
	uint16_t c;

	put16(o + 10, csum_update32(get16(o + 10), old_addr, addr));
	put32(o + aoff, addr);
	c = get16(l4 + coff);
	/* a UDP datagram without a checksum stays without one */
	if (!(proto == IP_PROTO_UDP && c == 0)) {
		if (proto != IP_PROTO_ICMP)
			c = csum_update32(c, old_addr, addr);
		c = csum_update16(c, old_port, port);
		if (proto == IP_PROTO_UDP && c == 0)
			c = 0xffff;
		put16(l4 + coff, c);
	}
	put16(l4 + poff, port);
}

/* Copy the IP packet into r->out with TTL decremented; false if it dies. */
static bool forward_copy(struct router *r, const struct ipv4_view *ip)
{
	uint8_t *o = r->out + ETH_HDR;

	if (ip->ttl <= 1)
		return false;
	copy(o, ip->hdr, ip->total_len);
	o[8] = (uint8_t)(ip->ttl - 1);
	put16(o + 10, csum_update16(get16(o + 10), (uint16_t)(ip->ttl << 8 | ip->proto),
				    (uint16_t)((ip->ttl - 1) << 8 | ip->proto)));
	return true;
}

static int uplink_domain(const struct router *r)
{
	for (int d = 0; d < RT_DOMAINS; d++)
		if (r->dom[d].used && r->dom[d].uplink)
			return d;
	return -1;
}

static struct rt_nat *nat_out(struct router *r, unsigned d, uint8_t proto, uint32_t src,
			      uint16_t sport)
{
	struct rt_nat *free_ = 0, *oldest = &r->nat[0];

	for (unsigned i = 0; i < RT_NAT; i++) {
		struct rt_nat *n = &r->nat[i];
		if (!n->used) {
			if (!free_)
				free_ = n;
			continue;
		}
		if (n->proto == proto && n->in_ip == src && n->in_port == sport && n->domain == d) {
			n->last = r->clock;
			return n;
		}
		if (n->last < oldest->last)
			oldest = n;
	}
	if (!free_)
		free_ = oldest;   /* the least recently used mapping goes */
	/* a port no mapping of proto uses */
	for (unsigned tries = 0; tries < 65536 - RT_NAT_FIRST; tries++) {
		uint16_t port = (uint16_t)(RT_NAT_FIRST + r->nat_hint++ % (65536 - RT_NAT_FIRST));
		bool taken = false;
		for (unsigned i = 0; i < RT_NAT && !taken; i++)
			taken = r->nat[i].used && &r->nat[i] != free_ && r->nat[i].proto == proto &&
				r->nat[i].out_port == port;
		if (!taken) {
			free_->used = true;
			free_->proto = proto;
			free_->in_ip = src;
			free_->in_port = sport;
			free_->out_port = port;
			free_->domain = d;
			free_->last = r->clock;
			return free_;
		}
	}
	return 0;
}

static struct rt_nat *nat_in(struct router *r, uint8_t proto, uint16_t port)
{
	for (unsigned i = 0; i < RT_NAT; i++)
		if (r->nat[i].used && r->nat[i].proto == proto && r->nat[i].out_port == port) {
			r->nat[i].last = r->clock;
			return &r->nat[i];
		}
	return 0;
}

/* The domain whose subnet holds dst, other than from (-1: none). */
static int route(const struct router *r, unsigned from, uint32_t dst)
{
	for (unsigned d = 0; d < RT_DOMAINS; d++)
		if (d != from && r->dom[d].used && in_subnet(&r->dom[d], dst))
			return (int)d;
	return -1;
}

/* ---- DHCP (RFC 2131, 2132): the server of client domains, the client of
 * the uplink ---- */

#define DHCPO_T1 58u
#define DHCPO_T2 59u
#define DHCP_BROADCAST_FLAG 0x8000u
#define DHCP_MIN_LEN 300u                /* BOOTP's minimum (RFC 1542) */
#define DHCPC_BACKOFF_MS 1000u           /* first retransmission, doubled ... */
#define DHCPC_BACKOFF_MAX_MS 32000u      /* ... up to this */
#define DHCPC_REQUEST_TRIES 4u           /* REQUESTING/REBOOTING before giving up */

const char *rt_dhcpc_state_name(int state)
{
	static const char *const names[] = { "off", "init", "selecting", "requesting", "bound",
					      "renewing", "rebinding", "rebooting" };
	return state >= 0 && state <= DHCPC_REBOOTING ? names[state] : "?";
}

static uint32_t rt_random(struct router *r)
{
	uint32_t x = r->rand;

	if (!x)
		x = (uint32_t)(r->mac[5] << 24 | r->mac[4] << 16) ^ (uint32_t)r->clock ^ 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return r->rand = x;
}

/* A DHCP message into r->out: Ethernet, IPv4 (src -> dst), UDP (sport ->
 * dport), BOOTP with the options opts[0..nopt); its frame length. */
static size_t dhcp_frame(struct router *r, unsigned d, const uint8_t *eth_dst, uint32_t src,
			 uint32_t dst, uint16_t sport, uint16_t dport, const uint8_t *bootp,
			 const uint8_t *opts, size_t nopt)
{
	uint8_t *ip = r->out + ETH_HDR, *udp = ip + 20, *b = udp + 8;
	size_t blen = DHCP_FIXED + 4 + nopt + 1, ulen;

	if (blen < DHCP_MIN_LEN)
		blen = DHCP_MIN_LEN;
	for (size_t i = 0; i < blen; i++)
		b[i] = 0;
	copy(b, bootp, DHCP_FIXED);
	put32(b + DHCP_FIXED, DHCP_MAGIC);
	copy(b + DHCP_FIXED + 4, opts, nopt);
	b[DHCP_FIXED + 4 + nopt] = DHCPO_END;
	ulen = 8 + blen;
	put16(udp, sport);
	put16(udp + 2, dport);
	put16(udp + 4, (uint16_t)ulen);
	put16(udp + 6, 0);
	{
		uint16_t c = csum_fold(csum_add(csum_pseudo(src, dst, IP_PROTO_UDP, (uint16_t)ulen),
						udp, ulen));
		put16(udp + 6, c ? c : 0xffff);
	}
	for (int i = 0; i < 20; i++)
		ip[i] = 0;
	ip[0] = 0x45;
	ip[1] = 0x10;
	put16(ip + 2, (uint16_t)(20 + ulen));
	ip[8] = 64;
	ip[9] = IP_PROTO_UDP;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	if (eth_dst)
		eth_head(r, d, eth_dst, ETH_TYPE_IPV4);
	r->dom[d].cnt.dhcp_out++;
	return ETH_HDR + 20 + ulen;
}

static size_t opt_byte(uint8_t *o, size_t n, uint8_t code, uint8_t v)
{
	o[n] = code;
	o[n + 1] = 1;
	o[n + 2] = v;
	return n + 3;
}

static size_t opt_u32(uint8_t *o, size_t n, uint8_t code, uint32_t v)
{
	o[n] = code;
	o[n + 1] = 4;
	put32(o + n + 2, v);
	return n + 6;
}

/* -- the server -- */

static struct rt_lease *lease_of(struct rt_dhcp_server *s, const uint8_t *mac)
{
	for (unsigned i = 0; i < RT_LEASES; i++)
		if (s->lease[i].used && !s->lease[i].declined && mac_eq(s->lease[i].mac, mac))
			return &s->lease[i];
	return 0;
}

static struct rt_lease *lease_at(struct rt_dhcp_server *s, uint32_t ip)
{
	for (unsigned i = 0; i < RT_LEASES; i++)
		if (s->lease[i].used && s->lease[i].ip == ip)
			return &s->lease[i];
	return 0;
}

static bool in_pool(const struct rt_domain *dm, uint32_t ip)
{
	return ip >= dm->srv.first && ip <= dm->srv.last && ip != dm->ip;
}

/* A lease record for mac at ip (want if it is free and in the pool, else
 * the first free address); 0: the pool or the table is spent. */
static struct rt_lease *lease_new(struct router *r, struct rt_domain *dm, const uint8_t *mac,
				  uint32_t want)
{
	struct rt_dhcp_server *s = &dm->srv;
	struct rt_lease *l = 0;
	uint32_t ip = 0;

	if (want && in_pool(dm, want) && !lease_at(s, want))
		ip = want;
	for (uint32_t a = s->first; !ip && a <= s->last && a >= s->first; a++)
		if (in_pool(dm, a) && !lease_at(s, a))
			ip = a;
	if (!ip)
		return 0;
	for (unsigned i = 0; i < RT_LEASES && !l; i++)
		if (!s->lease[i].used)
			l = &s->lease[i];
	/* the table is full: an offer nobody took goes first */
	for (unsigned i = 0; i < RT_LEASES && !l; i++)
		if (!s->lease[i].bound && !s->lease[i].declined && s->lease[i].expires <= r->clock + RT_OFFER_HOLD_MS)
			l = &s->lease[i];
	if (!l)
		return 0;
	l->used = true;
	l->bound = l->declined = false;
	copy(l->mac, mac, 6);
	l->ip = ip;
	l->expires = r->clock + RT_OFFER_HOLD_MS;
	r->dhcp_changes++;
	return l;
}

static uint32_t server_dns(const struct router *r, const struct rt_domain *dm)
{
	int u = uplink_domain(r);

	if (dm->srv.dns_uplink)
		return u >= 0 ? r->dom[u].cli.dns : 0;
	return dm->srv.dns;
}

/* Answer the request q (from port p) with type: yiaddr (0 for NAK and
 * INFORM's ACK), lease options unless inform. */
static void server_reply(struct router *r, unsigned p, const struct dhcp_view *q,
			 const uint8_t *req, uint8_t type, uint32_t yiaddr, bool inform)
{
	unsigned d = r->port[p].domain;
	struct rt_domain *dm = &r->dom[d];
	uint8_t bootp[DHCP_FIXED], opts[64];
	size_t n = 0, len;
	uint32_t dns = server_dns(r, dm), dst;
	const uint8_t *eth_dst;

	for (unsigned i = 0; i < DHCP_FIXED; i++)
		bootp[i] = 0;
	bootp[0] = DHCP_BOOTREPLY;
	bootp[1] = 1;
	bootp[2] = 6;
	put32(bootp + 4, q->xid);
	put16(bootp + 10, q->flags & DHCP_BROADCAST_FLAG);
	if (inform)
		put32(bootp + 12, q->ciaddr);
	put32(bootp + 16, yiaddr);
	copy(bootp + 28, req + 28, 16);          /* chaddr as it came */
	n = opt_byte(opts, n, DHCPO_MSG_TYPE, type);
	n = opt_u32(opts, n, DHCPO_SERVER_ID, dm->ip);
	if (type != DHCPNAK) {
		if (!inform) {
			n = opt_u32(opts, n, DHCPO_LEASE, dm->srv.lease_sec);
			n = opt_u32(opts, n, DHCPO_T1, dm->srv.lease_sec / 2);
			n = opt_u32(opts, n, DHCPO_T2, (uint32_t)((uint64_t)dm->srv.lease_sec * 7 / 8));
		}
		n = opt_u32(opts, n, DHCPO_SUBNET, dm->mask);
		n = opt_u32(opts, n, DHCPO_ROUTER, dm->ip);
		if (dns)
			n = opt_u32(opts, n, DHCPO_DNS, dns);
	}
	/* RFC 2131 4.1: to ciaddr if the client has one; NAKs and requests
	 * with the broadcast flag broadcast; otherwise to yiaddr and chaddr */
	if (q->ciaddr && type != DHCPNAK) {
		dst = q->ciaddr;
		eth_dst = q->chaddr;
	} else if (type == DHCPNAK || (q->flags & DHCP_BROADCAST_FLAG)) {
		dst = 0xffffffffu;
		eth_dst = bcast;
	} else {
		dst = yiaddr;
		eth_dst = q->chaddr;
	}
	len = dhcp_frame(r, d, eth_dst, dm->ip, dst, DHCP_SERVER_PORT, DHCP_CLIENT_PORT, bootp,
			 opts, n);
	out_port(r, p, len);
}

static void server_input(struct router *r, unsigned p, const struct ipv4_view *ip,
			 const struct udp_view *u)
{
	struct rt_domain *dm = &r->dom[r->port[p].domain];
	struct rt_dhcp_server *s = &dm->srv;
	struct dhcp_view q;
	struct rt_lease *l;

	if (dhcp_parse(u->payload, u->payload_len, &q) != PROTO_OK) {
		dm->cnt.bad++;
		return;
	}
	/* replies, relayed requests (giaddr) and requests for another
	 * hardware address than the sender's are not ours to answer */
	if (q.op != DHCP_BOOTREQUEST || q.giaddr || !r->port[p].mac_known ||
	    !mac_eq(q.chaddr, r->port[p].mac)) {
		dm->cnt.dropped++;
		return;
	}
	dm->cnt.dhcp_in++;
	(void)ip;
	l = lease_of(s, q.chaddr);
	switch (q.msg_type) {
	case DHCPDISCOVER:
		if (!l || (!l->bound && l->ip != q.requested && q.requested && in_pool(dm, q.requested) &&
			   !lease_at(s, q.requested))) {
			if (l)
				l->used = false;
			l = lease_new(r, dm, q.chaddr, (q.has & DHCP_HAS_REQUESTED) ? q.requested : 0);
		}
		if (!l) {
			dm->cnt.dropped++;       /* the pool is spent */
			return;
		}
		if (!l->bound)
			l->expires = r->clock + RT_OFFER_HOLD_MS;
		server_reply(r, p, &q, u->payload, DHCPOFFER, l->ip, false);
		return;
	case DHCPREQUEST: {
		uint32_t want = 0;
		if (q.has & DHCP_HAS_SERVER_ID) {
			/* SELECTING: the client chose an offer */
			if (q.server_id != dm->ip) {
				if (l && !l->bound)
					l->used = false;   /* another server's offer won */
				return;
			}
			want = (q.has & DHCP_HAS_REQUESTED) ? q.requested : 0;
			if (!l || !want || l->ip != want) {
				server_reply(r, p, &q, u->payload, DHCPNAK, 0, false);
				return;
			}
		} else if (q.has & DHCP_HAS_REQUESTED) {
			/* INIT-REBOOT: the address it had */
			want = q.requested;
			if (!l && in_pool(dm, want) && !lease_at(s, want))
				l = lease_new(r, dm, q.chaddr, want);
			if (!l || l->ip != want) {
				server_reply(r, p, &q, u->payload, DHCPNAK, 0, false);
				return;
			}
		} else if (q.ciaddr) {
			/* RENEWING / REBINDING: the lease it has */
			want = q.ciaddr;
			if (!l || !l->bound || l->ip != want) {
				server_reply(r, p, &q, u->payload, DHCPNAK, 0, false);
				return;
			}
		} else {
			server_reply(r, p, &q, u->payload, DHCPNAK, 0, false);
			return;
		}
		l->bound = true;
		l->expires = r->clock + (uint64_t)s->lease_sec * 1000;
		r->dhcp_changes++;
		server_reply(r, p, &q, u->payload, DHCPACK, l->ip, false);
		return;
	}
	case DHCPDECLINE:
		/* the address is in use by someone else: not given out for a
		 * lease time */
		if (l && (q.has & DHCP_HAS_REQUESTED) && l->ip == q.requested) {
			for (int i = 0; i < 6; i++)
				l->mac[i] = 0;
			l->bound = false;
			l->declined = true;
			l->expires = r->clock + (uint64_t)s->lease_sec * 1000;
			r->dhcp_changes++;
		} else {
			dm->cnt.dropped++;
		}
		return;
	case DHCPRELEASE:
		if (l && l->ip == q.ciaddr) {
			l->used = false;
			r->dhcp_changes++;
		} else
			dm->cnt.dropped++;
		return;
	case DHCPINFORM:
		/* configuration without an address: to the address it has */
		if (q.ciaddr && in_subnet(dm, q.ciaddr) && q.ciaddr != dm->ip)
			server_reply(r, p, &q, u->payload, DHCPACK, 0, true);
		else
			dm->cnt.dropped++;
		return;
	default:
		/* OFFER, ACK, NAK from a client */
		dm->cnt.dropped++;
		return;
	}
}

int rt_dhcp_server(struct router *r, unsigned d, uint32_t first, uint32_t last,
		   uint32_t lease_sec, uint32_t dns, bool dns_uplink)
{
	struct rt_domain *dm;

	if (d >= RT_DOMAINS || !r->dom[d].used || r->dom[d].uplink)
		return -1;
	dm = &r->dom[d];
	if (!dm->ip || !in_subnet(dm, first) || !in_subnet(dm, last) || first > last ||
	    lease_sec < 60 || lease_sec > 0x7fffffffu / 8)
		return -1;
	/* the subnet's own and its broadcast address are no hosts' */
	if ((first & ~dm->mask) == 0 || (last | dm->mask) == 0xffffffffu)
		return -1;
	dm->srv.on = true;
	dm->srv.first = first;
	dm->srv.last = last;
	dm->srv.lease_sec = lease_sec;
	dm->srv.dns = dns;
	dm->srv.dns_uplink = dns_uplink;
	for (unsigned i = 0; i < RT_LEASES; i++)
		if (dm->srv.lease[i].used && !in_pool(dm, dm->srv.lease[i].ip))
			dm->srv.lease[i].used = false;
	return 0;
}

void rt_dhcp_server_off(struct router *r, unsigned d)
{
	if (d >= RT_DOMAINS)
		return;
	r->dom[d].srv.on = false;
	for (unsigned i = 0; i < RT_LEASES; i++)
		r->dom[d].srv.lease[i].used = false;
}

/* -- the client -- */

static uint64_t backoff(unsigned tries)
{
	uint64_t ms = DHCPC_BACKOFF_MS;

	while (tries-- > 1 && ms < DHCPC_BACKOFF_MAX_MS)
		ms *= 2;
	return ms < DHCPC_BACKOFF_MAX_MS ? ms : DHCPC_BACKOFF_MAX_MS;
}

/* Send the client's message of its state. */
static void client_send(struct router *r, unsigned d)
{
	struct rt_domain *dm = &r->dom[d];
	struct rt_dhcp_client *c = &dm->cli;
	uint8_t bootp[DHCP_FIXED], opts[64];
	size_t n = 0, len;
	bool renewing = c->state == DHCPC_RENEWING, bound = renewing || c->state == DHCPC_REBINDING;
	uint8_t type = c->state == DHCPC_SELECTING ? DHCPDISCOVER : DHCPREQUEST;
	static const uint8_t params[] = { DHCPO_PARAMS, 3, DHCPO_SUBNET, DHCPO_ROUTER, DHCPO_DNS };

	for (unsigned i = 0; i < DHCP_FIXED; i++)
		bootp[i] = 0;
	bootp[0] = DHCP_BOOTREQUEST;
	bootp[1] = 1;
	bootp[2] = 6;
	put32(bootp + 4, c->xid);
	if (bound)
		put32(bootp + 12, dm->ip);
	copy(bootp + 28, dm->mac, 6);
	n = opt_byte(opts, n, DHCPO_MSG_TYPE, type);
	if (c->state == DHCPC_REQUESTING) {
		n = opt_u32(opts, n, DHCPO_REQUESTED_IP, c->offered);
		n = opt_u32(opts, n, DHCPO_SERVER_ID, c->server);
	} else if (c->state == DHCPC_REBOOTING) {
		n = opt_u32(opts, n, DHCPO_REQUESTED_IP, dm->ip);
	}
	copy(opts + n, params, sizeof(params));
	n += sizeof(params);
	if (renewing) {
		/* to the server that gave the lease */
		len = dhcp_frame(r, d, 0, dm->ip, c->server, DHCP_CLIENT_PORT, DHCP_SERVER_PORT,
				 bootp, opts, n);
		ip_send(r, d, next_hop(dm, c->server), len - ETH_HDR);
		return;
	}
	len = dhcp_frame(r, d, bcast, bound ? dm->ip : 0, 0xffffffffu, DHCP_CLIENT_PORT,
			 DHCP_SERVER_PORT, bootp, opts, n);
	out_domain(r, d, -1, len);
}

/* Enter state, (re)transmitting at once. */
static void client_enter(struct router *r, unsigned d, int state)
{
	struct rt_dhcp_client *c = &r->dom[d].cli;

	c->state = state;
	c->tries = 0;
	c->next = r->clock;
	r->dhcp_changes++;
	if (state == DHCPC_SELECTING || state == DHCPC_REBOOTING)
		c->xid = rt_random(r);
}

void rt_uplink_address_lost(struct router *r, unsigned d)
{
	if (d >= RT_DOMAINS)
		return;
	r->dom[d].ip = 0;
	r->dom[d].gateway = 0;
	r->dom[d].cli.dns = 0;
	/* the mappings were of the old address: answers to it never come */
	for (unsigned i = 0; i < RT_NAT; i++)
		r->nat[i].used = false;
	for (unsigned i = 0; i < RT_ARP; i++)
		r->dom[d].arp[i].used = false;
}

void rt_dhcp_client(struct router *r, unsigned d, bool on)
{
	if (d >= RT_DOMAINS || !r->dom[d].used || !r->dom[d].uplink)
		return;
	if (!on) {
		r->dom[d].cli.state = DHCPC_OFF;
		return;
	}
	if (r->dom[d].cli.state == DHCPC_OFF) {
		rt_uplink_address_lost(r, d);
		r->dom[d].mask = 0;
		client_enter(r, d, DHCPC_SELECTING);
	}
}

void rt_dhcp_client_restart(struct router *r, unsigned d)
{
	struct rt_dhcp_client *c;

	if (d >= RT_DOMAINS || !r->dom[d].used || r->dom[d].cli.state == DHCPC_OFF)
		return;
	c = &r->dom[d].cli;
	if (r->dom[d].ip && c->expires > r->clock)
		client_enter(r, d, DHCPC_REBOOTING);
	else
		client_enter(r, d, DHCPC_SELECTING);
}

static void client_bind(struct router *r, unsigned d, const struct dhcp_view *a)
{
	struct rt_domain *dm = &r->dom[d];
	struct rt_dhcp_client *c = &dm->cli;
	uint32_t lease = (a->has & DHCP_HAS_LEASE) ? a->lease : 3600;
	uint32_t mask = (a->has & DHCP_HAS_SUBNET) ? a->subnet : 0xffffff00u;

	if (lease < 10)
		lease = 10;
	if (dm->ip && dm->ip != a->yiaddr)
		rt_uplink_address_lost(r, d);
	dm->ip = a->yiaddr;
	dm->mask = (~mask & (~mask + 1)) || mask == 0xffffffffu ? 0xffffff00u : mask;
	dm->gateway = (a->has & DHCP_HAS_ROUTER) ? a->router : 0;
	c->dns = (a->has & DHCP_HAS_DNS) ? a->dns : 0;
	if (a->has & DHCP_HAS_SERVER_ID)
		c->server = a->server_id;
	c->lease_sec = lease;
	c->t1 = r->clock + (uint64_t)lease * 500;
	c->t2 = r->clock + (uint64_t)lease * 875;
	c->expires = r->clock + (uint64_t)lease * 1000;
	c->state = DHCPC_BOUND;
	c->tries = 0;
	c->next = c->t1;
	c->leases++;
	r->dhcp_changes++;
}

static void client_input(struct router *r, unsigned d, const struct udp_view *u)
{
	struct rt_domain *dm = &r->dom[d];
	struct rt_dhcp_client *c = &dm->cli;
	struct dhcp_view a;

	if (dhcp_parse(u->payload, u->payload_len, &a) != PROTO_OK) {
		dm->cnt.bad++;
		return;
	}
	if (a.op != DHCP_BOOTREPLY || a.xid != c->xid || !mac_eq(a.chaddr, dm->mac)) {
		dm->cnt.dropped++;
		return;
	}
	dm->cnt.dhcp_in++;
	switch (a.msg_type) {
	case DHCPOFFER:
		/* the first usable offer is taken */
		if (c->state != DHCPC_SELECTING || !(a.has & DHCP_HAS_SERVER_ID) || !a.yiaddr ||
		    a.yiaddr >= 0xe0000000u || !a.server_id)
			break;
		c->offered = a.yiaddr;
		c->server = a.server_id;
		c->state = DHCPC_REQUESTING;
		c->tries = 0;
		c->next = r->clock;
		return;
	case DHCPACK:
		if (c->state == DHCPC_SELECTING || c->state == DHCPC_BOUND || !a.yiaddr ||
		    a.yiaddr >= 0xe0000000u)
			break;
		if (c->state == DHCPC_REQUESTING && a.yiaddr != c->offered)
			break;
		if ((c->state == DHCPC_RENEWING || c->state == DHCPC_REBINDING ||
		     c->state == DHCPC_REBOOTING) && a.yiaddr != dm->ip)
			break;
		client_bind(r, d, &a);
		return;
	case DHCPNAK:
		if (c->state == DHCPC_SELECTING || c->state == DHCPC_BOUND)
			break;
		/* the address is no more ours: start over */
		rt_uplink_address_lost(r, d);
		client_enter(r, d, DHCPC_SELECTING);
		c->next = r->clock + DHCPC_BACKOFF_MS;   /* a NAK per DISCOVER must not spin */
		return;
	default:
		break;
	}
	dm->cnt.dropped++;
}

static void client_tick(struct router *r, unsigned d)
{
	struct rt_domain *dm = &r->dom[d];
	struct rt_dhcp_client *c = &dm->cli;
	bool has_port = false;

	if (c->state == DHCPC_OFF)
		return;
	/* the lease's end comes first in any state */
	if (dm->ip && c->expires <= r->clock) {
		rt_uplink_address_lost(r, d);
		client_enter(r, d, DHCPC_SELECTING);
	}
	if (c->state == DHCPC_BOUND && r->clock >= c->t1) {
		c->state = DHCPC_RENEWING;
		c->tries = 0;
		c->xid = rt_random(r);
		c->next = r->clock;
	}
	if (c->state == DHCPC_RENEWING && r->clock >= c->t2) {
		c->state = DHCPC_REBINDING;
		c->tries = 0;
		c->next = r->clock;
	}
	if (c->state == DHCPC_BOUND || r->clock < c->next)
		return;
	for (unsigned p = 0; p < RT_PORTS; p++)
		has_port = has_port || (r->port[p].used && r->port[p].domain == d);
	if (!has_port) {
		/* no NIC yet: a new Uplink session restarts the client */
		c->next = r->clock + DHCPC_BACKOFF_MAX_MS;
		return;
	}
	if ((c->state == DHCPC_REQUESTING || c->state == DHCPC_REBOOTING) &&
	    c->tries >= DHCPC_REQUEST_TRIES) {
		if (c->state == DHCPC_REBOOTING && dm->ip) {
			/* nobody answered: the lease holds until its time */
			c->state = DHCPC_BOUND;
			c->next = c->t1;
			if (r->clock >= c->t1)
				client_tick(r, d);
			return;
		}
		client_enter(r, d, DHCPC_SELECTING);
	}
	c->tries++;
	client_send(r, d);
	c->next = r->clock + backoff(c->tries);
	/* renewing and rebinding retransmit at most until the next step */
	if (c->state == DHCPC_RENEWING && c->next > c->t2)
		c->next = c->t2;
	if (c->state == DHCPC_REBINDING && c->next > c->expires)
		c->next = c->expires;
}

uint64_t rt_next_event(const struct router *r)
{
	uint64_t next = UINT64_MAX;

	for (unsigned d = 0; d < RT_DOMAINS; d++) {
		const struct rt_domain *dm = &r->dom[d];
		if (!dm->used)
			continue;
		if (dm->cli.state != DHCPC_OFF) {
			uint64_t t = dm->cli.state == DHCPC_BOUND ? dm->cli.t1 : dm->cli.next;
			if (dm->ip && dm->cli.expires < t)
				t = dm->cli.expires;
			if (t < next)
				next = t;
		}
		if (dm->srv.on)
			for (unsigned i = 0; i < RT_LEASES; i++)
				if (dm->srv.lease[i].used && dm->srv.lease[i].expires < next)
					next = dm->srv.lease[i].expires;
	}
	return next;
}

static void dhcp_tick(struct router *r)
{
	for (unsigned d = 0; d < RT_DOMAINS; d++) {
		struct rt_domain *dm = &r->dom[d];
		if (!dm->used)
			continue;
		client_tick(r, d);
		for (unsigned i = 0; i < RT_LEASES; i++)
			if (dm->srv.lease[i].used && dm->srv.lease[i].expires <= r->clock) {
				dm->srv.lease[i].used = false;
				r->dhcp_changes++;
			}
	}
}

static void ip_input(struct router *r, unsigned p, const struct eth_view *e, bool csum_valid)
{
	unsigned d = r->port[p].domain;
	struct rt_domain *dm = &r->dom[d];
	struct ipv4_view ip;
	int err = ipv4_parse(e->payload, e->len, &ip), to;
	uint16_t sport = 0, dport = 0;
	bool ports;

	if (err) {
		dm->cnt.bad++;
		return;
	}
	ports = l4_ports(&ip, csum_valid, &sport, &dport, &err);
	if (err) {
		dm->cnt.bad++;
		return;
	}
	/* DHCP: the uplink's client, a client domain's server */
	if (ports && ip.proto == IP_PROTO_UDP && !ipv4_is_fragment(&ip)) {
		struct udp_view u;
		bool mine = dm->uplink ? dm->cli.state != DHCPC_OFF && dport == DHCP_CLIENT_PORT &&
						 sport == DHCP_SERVER_PORT
				       : dm->srv.on && dport == DHCP_SERVER_PORT &&
						 (ip.dst == 0xffffffffu || ip.dst == dm->ip);
		if (mine && udp_parse_csum(ip.payload, ip.payload_len, ip.src, ip.dst, csum_valid,
					   &u) == PROTO_OK) {
			if (dm->uplink)
				client_input(r, d, &u);
			else
				server_input(r, p, &ip, &u);
			return;
		}
	}
	/* learn the sender if it is on the subnet (ARP did, normally) */
	if (in_subnet(dm, ip.src) && !arp_find(dm, ip.src))
		arp_learn(dm, ip.src, e->src, p);

	if (dm->ip && ip.dst == dm->ip) {
		if (ip.proto == IP_PROTO_ICMP) {
			struct icmp_view ic;
			if (!ipv4_is_fragment(&ip) && !icmp_parse(ip.payload, ip.payload_len, &ic) &&
			    ic.type == ICMP_ECHO_REQUEST) {
				echo_reply(r, p, &ip, &ic, e);
				return;
			}
		}
		if (dm->uplink && ports) {
			/* a reply to a NAT mapping, or a port forward */
			struct rt_nat *n = nat_in(r, ip.proto, dport);
			uint32_t to_ip = 0;
			uint16_t to_port = 0;
			unsigned td = 0;
			if (n && !(ip.proto == IP_PROTO_ICMP && ip.payload[0] != ICMP_ECHO_REPLY)) {
				to_ip = n->in_ip;
				to_port = n->in_port;
				td = n->domain;
				dm->cnt.nat_in++;
			} else if (ip.proto == IP_PROTO_TCP) {
				for (unsigned i = 0; i < RT_FORWARDS; i++)
					if (r->fwd[i].used && r->fwd[i].port == dport) {
						to_ip = r->fwd[i].to;
						to_port = dport;
						td = r->fwd[i].domain;
						dm->cnt.forwarded++;
					}
			}
			if (to_ip && r->dom[td].used && forward_copy(r, &ip)) {
				rewrite(r->out + ETH_HDR, ip.hdr_len, ip.proto, false, to_ip, to_port);
				ip_send(r, td, to_ip, ip.total_len);
				return;
			}
		}
		dm->cnt.dropped++;
		return;
	}
	to = route(r, d, ip.dst);
	if (to >= 0 && !r->dom[to].uplink) {
		/* between client domains (or uplink to client): routed as it is */
		if (!forward_copy(r, &ip)) {
			dm->cnt.dropped++;
			return;
		}
		if (ip_send(r, (unsigned)to, ip.dst, ip.total_len))
			dm->cnt.routed++;
		return;
	}
	if (!dm->uplink && ports) {
		int u = uplink_domain(r);
		struct rt_nat *n;
		/* an answer from a port forward's target leaves with its port
		 * (whether or not its domain has NAT) */
		if (u >= 0 && r->dom[u].ip && ip.proto == IP_PROTO_TCP) {
			for (unsigned i = 0; i < RT_FORWARDS; i++) {
				if (r->fwd[i].used && r->fwd[i].domain == d && r->fwd[i].to == ip.src &&
				    r->fwd[i].port == sport && forward_copy(r, &ip)) {
					rewrite(r->out + ETH_HDR, ip.hdr_len, ip.proto, true,
						r->dom[u].ip, sport);
					dm->cnt.forwarded++;
					ip_send(r, (unsigned)u, next_hop(&r->dom[u], ip.dst),
						ip.total_len);
					return;
				}
			}
		}
		if (dm->nat && u >= 0 && !r->dom[u].ip) {
			/* the uplink has no address (yet): DHCP */
			dm->cnt.no_address++;
			dm->cnt.dropped++;
			return;
		}
		if (dm->nat && u >= 0 && r->dom[u].ip && (n = nat_out(r, d, ip.proto, ip.src, sport)) &&
		    forward_copy(r, &ip)) {
			rewrite(r->out + ETH_HDR, ip.hdr_len, ip.proto, true, r->dom[u].ip,
				n->out_port);
			dm->cnt.nat_out++;
			ip_send(r, (unsigned)u, next_hop(&r->dom[u], ip.dst), ip.total_len);
			return;
		}
	}
	dm->cnt.dropped++;
}

void rt_tick(struct router *r, uint64_t now)
{
	r->clock = now;
	dhcp_tick(r);
}

void rt_input(struct router *r, unsigned p, const uint8_t *frame, size_t len)
{
	rt_input_flags(r, p, frame, len, 0);
}

void rt_input_flags(struct router *r, unsigned p, const uint8_t *frame, size_t len,
		    unsigned flags)
{
	struct eth_view e;
	struct rt_domain *dm;
	bool broadcast, ours;
	int err;

	if (p >= RT_PORTS || !r->port[p].used)
		return;
	dm = &r->dom[r->port[p].domain];
	dm->cnt.rx++;
	err = eth_parse(frame, len, &e);
	if (err) {
		dm->cnt.bad++;
		return;
	}
	copy(r->port[p].mac, e.src, 6);
	r->port[p].mac_known = true;
	broadcast = mac_eq(e.dst, bcast);
	ours = mac_eq(e.dst, dm->mac);
	if (!ours) {
		/* switched within the domain: to the port of that MAC, or all */
		for (unsigned q = 0; q < RT_PORTS; q++) {
			if (q == p || !r->port[q].used || r->port[q].domain != r->port[p].domain)
				continue;
			if (broadcast || (e.dst[0] & 1) ||
			    (r->port[q].mac_known && mac_eq(r->port[q].mac, e.dst))) {
				copy(r->out, frame, len);
				out_port(r, q, len);
			}
		}
		if (!broadcast)
			return;
	}
	if (e.type == ETH_TYPE_ARP)
		arp_input(r, p, &e);
	else if (e.type == ETH_TYPE_IPV4)
		ip_input(r, p, &e, flags & RT_IN_CSUM_VALID);
	else
		dm->cnt.dropped++;
}
