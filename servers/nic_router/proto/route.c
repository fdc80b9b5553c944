/*
 * nic_router's routing engine (nic_route.h).
 */
#include <nic_route.h>

static void copy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;

	while (n--)
		*dp++ = *sp++;
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

void rt_tick(struct router *r, uint64_t now)
{
	r->clock = now;
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
static bool l4_ports(const struct ipv4_view *ip, uint16_t *sport, uint16_t *dport, int *bad)
{
	*bad = 0;
	if (ipv4_is_fragment(ip))
		return false;
	if (ip->proto == IP_PROTO_TCP) {
		struct tcp_view t;
		if ((*bad = tcp_parse(ip->payload, ip->payload_len, ip->src, ip->dst, &t)))
			return false;
		*sport = t.sport;
		*dport = t.dport;
		return true;
	}
	if (ip->proto == IP_PROTO_UDP) {
		struct udp_view u;
		if ((*bad = udp_parse(ip->payload, ip->payload_len, ip->src, ip->dst, &u)))
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

static void ip_input(struct router *r, unsigned p, const struct eth_view *e)
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
	ports = l4_ports(&ip, &sport, &dport, &err);
	if (err) {
		dm->cnt.bad++;
		return;
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

void rt_input(struct router *r, unsigned p, const uint8_t *frame, size_t len)
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
		ip_input(r, p, &e);
	else
		dm->cnt.dropped++;
}
