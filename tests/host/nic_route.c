// sources: servers/nic_router/proto/proto.c servers/nic_router/proto/route.c
// cflags: -Iservers/nic_router/proto/include
/*
 * Host unit tests of nic_router's routing engine (servers/nic_router/proto/
 * route.c): an uplink domain (10.0.2.15/24, gateway 10.0.2.2) and client
 * domains "a" (10.0.1.1/24) and "b" (10.0.3.1/24) with NAT, one port each;
 * frames built here go in, what comes out is parsed again and checked
 * (addresses, ports, TTL, MACs, every checksum).
 *
 * Area: NICROUTE.
 */
#include <harness.h>
#include <nic_route.h>
#include <string.h>

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static const uint8_t RMAC[6] = { 0x02, 0x52, 0x54, 0, 0, 1 };
static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0xa }, MAC_B[6] = { 0x02, 0, 0, 0, 0, 0xb },
		     MAC_GW[6] = { 0x02, 0, 0, 0, 0, 0x99 };
static const uint32_t HOST_A = IP(10, 0, 1, 2), HOST_B = IP(10, 0, 3, 2), OUT = IP(192, 0, 2, 7),
		      UP = IP(10, 0, 2, 15), GW = IP(10, 0, 2, 2);

struct sent {
	unsigned port;
	size_t len;
	uint8_t f[ETH_FRAME_MAX];
};
static struct sent sent[16];
static unsigned nsent;

static void send_cb(void *arg, unsigned port, const uint8_t *frame, size_t len)
{
	(void)arg;
	if (nsent < 16) {
		sent[nsent].port = port;
		sent[nsent].len = len;
		memcpy(sent[nsent].f, frame, len);
	}
	nsent++;
}

static struct router R;
static int PU, PA, PB, DU, DA, DB;

static void setup(void)
{
	rt_init(&R, RMAC, send_cb, 0);
	DU = rt_domain(&R, "uplink", true, false, UP, 0xffffff00u, GW);
	DA = rt_domain(&R, "a", false, true, IP(10, 0, 1, 1), 0xffffff00u, 0);
	DB = rt_domain(&R, "b", false, true, IP(10, 0, 3, 1), 0xffffff00u, 0);
	PU = rt_port_add(&R, (unsigned)DU);
	PA = rt_port_add(&R, (unsigned)DA);
	PB = rt_port_add(&R, (unsigned)DB);
	nsent = 0;
}

static size_t arp_frame(uint8_t *f, uint16_t op, const uint8_t *smac, uint32_t spa, uint32_t tpa)
{
	memset(f, 0, 60);
	memcpy(f, op == ARP_REQUEST ? (const uint8_t *)"\xff\xff\xff\xff\xff\xff" : RMAC, 6);
	memcpy(f + 6, smac, 6);
	put16(f + 12, ETH_TYPE_ARP);
	put16(f + 14, 1);
	put16(f + 16, ETH_TYPE_IPV4);
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, op);
	memcpy(f + 22, smac, 6);
	put32(f + 28, spa);
	put32(f + 38, tpa);
	return 60;
}

/* An Ethernet frame to the router with an IPv4 packet: proto, addresses,
 * and a transport header + data of n bytes at l4 (its checksum computed here). */
static size_t ip_frame(uint8_t *f, const uint8_t *smac, uint8_t proto, uint32_t src, uint32_t dst,
		       const uint8_t *l4, size_t n, uint8_t ttl)
{
	uint8_t *p = f + 14;

	memcpy(f, RMAC, 6);
	memcpy(f + 6, smac, 6);
	put16(f + 12, ETH_TYPE_IPV4);
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)(20 + n));
	p[8] = ttl;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, dst);
	put16(p + 10, csum_fold(csum_add(0, p, 20)));
	memcpy(p + 20, l4, n);
	unsigned co = proto == IP_PROTO_TCP ? 16 : proto == IP_PROTO_UDP ? 6 : 2;
	put16(p + 20 + co, 0);
	uint32_t s = proto == IP_PROTO_ICMP ? 0 : csum_pseudo(src, dst, proto, (uint16_t)n);
	put16(p + 20 + co, csum_fold(csum_add(s, p + 20, n)));
	return 14 + 20 + n;
}

static size_t tcp_seg(uint8_t *t, uint16_t sport, uint16_t dport, uint8_t flags)
{
	memset(t, 0, 24);
	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, 77);
	t[12] = 5 << 4;
	t[13] = flags;
	put16(t + 14, 1000);
	memcpy(t + 20, "data", 4);
	return 24;
}

/* Parse a sent frame down to TCP; everything must check. */
static int parse_tcp(const struct sent *s, struct ipv4_view *ip, struct tcp_view *t)
{
	struct eth_view e;
	int err = eth_parse(s->f, s->len, &e);
	if (!err)
		err = e.type == ETH_TYPE_IPV4 ? ipv4_parse(e.payload, e.len, ip) : -1;
	if (!err)
		err = tcp_parse(ip->payload, ip->payload_len, ip->src, ip->dst, t);
	return err;
}

static void learn(int port, const uint8_t *mac, uint32_t ip, uint32_t router)
{
	uint8_t f[60];
	arp_frame(f, ARP_REQUEST, mac, ip, router);
	rt_input(&R, (unsigned)port, f, 60);
}

TEST(NICROUTE_0001, "ARP: a request for the router's address in a domain is answered on its port")
{
	uint8_t f[60];
	struct eth_view e;
	struct arp_view a;

	setup();
	CHECK(DU >= 0 && DA >= 0 && DB >= 0 && PU >= 0 && PA >= 0 && PB >= 0);
	rt_input(&R, (unsigned)PA, f, arp_frame(f, ARP_REQUEST, MAC_A, HOST_A, IP(10, 0, 1, 1)));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(sent[0].port, (unsigned)PA);
	CHECK_EQ(eth_parse(sent[0].f, sent[0].len, &e), PROTO_OK);
	CHECK_EQ(arp_parse(e.payload, e.len, &a), PROTO_OK);
	CHECK_EQ(a.op, ARP_REPLY);
	CHECK(!memcmp(a.sha, RMAC, 6) && !memcmp(a.tha, MAC_A, 6) && !memcmp(e.dst, MAC_A, 6));
	CHECK_EQ(a.spa, IP(10, 0, 1, 1));
	CHECK_EQ(a.tpa, HOST_A);
	/* a request for another domain's address is not answered there */
	nsent = 0;
	rt_input(&R, (unsigned)PA, f, arp_frame(f, ARP_REQUEST, MAC_A, HOST_A, IP(10, 0, 3, 1)));
	CHECK_EQ(nsent, 0u);
}

TEST(NICROUTE_0002, "ICMP echo to the router's address is answered with a valid reply")
{
	uint8_t f[128], m[12] = { ICMP_ECHO_REQUEST, 0, 0, 0, 0, 5, 0, 1, 'a', 'b', 'c', 'd' };
	struct eth_view e;
	struct ipv4_view ip;
	struct icmp_view ic;

	setup();
	rt_input(&R, (unsigned)PA, f, ip_frame(f, MAC_A, IP_PROTO_ICMP, HOST_A, IP(10, 0, 1, 1), m, 12, 64));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(eth_parse(sent[0].f, sent[0].len, &e), PROTO_OK);
	CHECK_EQ(ipv4_parse(e.payload, e.len, &ip), PROTO_OK);
	CHECK_EQ(icmp_parse(ip.payload, ip.payload_len, &ic), PROTO_OK);
	CHECK_EQ(ic.type, ICMP_ECHO_REPLY);
	CHECK_EQ(ic.id, 5u);
	CHECK_EQ(ic.seq, 1u);
	CHECK_EQ(ip.dst, HOST_A);
	CHECK(!memcmp(ic.payload, "abcd", 4));
	CHECK_EQ(R.dom[DA].cnt.echo, 1u);
}

TEST(NICROUTE_0003, "TCP between client domains: ARP miss asks and drops, then routed with TTL-1 and valid checksums")
{
	uint8_t f[128], t[24];
	struct ipv4_view ip;
	struct tcp_view tv;
	struct eth_view e;
	struct arp_view a;

	setup();
	tcp_seg(t, 40000, 80, TCP_SYN);
	size_t n = ip_frame(f, MAC_A, IP_PROTO_TCP, HOST_A, HOST_B, t, 24, 64);
	rt_input(&R, (unsigned)PA, f, n);
	CHECK_EQ(nsent, 1u);   /* the ARP request into b */
	CHECK_EQ(sent[0].port, (unsigned)PB);
	CHECK_EQ(eth_parse(sent[0].f, sent[0].len, &e), PROTO_OK);
	CHECK_EQ(arp_parse(e.payload, e.len, &a), PROTO_OK);
	CHECK_EQ(a.op, ARP_REQUEST);
	CHECK_EQ(a.tpa, HOST_B);
	CHECK_EQ(R.dom[DB].cnt.arp_miss, 1u);
	/* b answers, a retransmits */
	arp_frame(f, ARP_REPLY, MAC_B, HOST_B, IP(10, 0, 3, 1));
	rt_input(&R, (unsigned)PB, f, 60);
	nsent = 0;
	n = ip_frame(f, MAC_A, IP_PROTO_TCP, HOST_A, HOST_B, t, 24, 64);
	rt_input(&R, (unsigned)PA, f, n);
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(sent[0].port, (unsigned)PB);
	CHECK_EQ(parse_tcp(&sent[0], &ip, &tv), PROTO_OK);
	CHECK(!memcmp(sent[0].f, MAC_B, 6) && !memcmp(sent[0].f + 6, RMAC, 6));
	CHECK_EQ(ip.ttl, 63u);
	CHECK_EQ(ip.src, HOST_A);
	CHECK_EQ(ip.dst, HOST_B);
	CHECK_EQ(tv.sport, 40000u);
	CHECK_EQ(tv.dport, 80u);
	CHECK_EQ(R.dom[DA].cnt.routed, 1u);
	/* TTL 1 dies */
	nsent = 0;
	rt_input(&R, (unsigned)PA, f, ip_frame(f, MAC_A, IP_PROTO_TCP, HOST_A, HOST_B, t, 24, 1));
	CHECK_EQ(nsent, 0u);
}

TEST(NICROUTE_0004, "NAT: TCP from a client domain leaves with the uplink's address and a port of its own, the answer comes back")
{
	uint8_t f[128], t[24];
	struct ipv4_view ip;
	struct tcp_view tv;

	setup();
	learn(PU, MAC_GW, GW, UP);
	learn(PA, MAC_A, HOST_A, IP(10, 0, 1, 1));
	nsent = 0;
	tcp_seg(t, 40000, 80, TCP_SYN);
	rt_input(&R, (unsigned)PA, f, ip_frame(f, MAC_A, IP_PROTO_TCP, HOST_A, OUT, t, 24, 64));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(sent[0].port, (unsigned)PU);
	CHECK(!memcmp(sent[0].f, MAC_GW, 6));
	CHECK_EQ(parse_tcp(&sent[0], &ip, &tv), PROTO_OK);
	CHECK_EQ(ip.src, UP);
	CHECK_EQ(ip.dst, OUT);
	CHECK(tv.sport >= RT_NAT_FIRST);
	uint16_t mapped = tv.sport;
	CHECK_EQ(R.dom[DA].cnt.nat_out, 1u);
	/* the same connection keeps its port */
	nsent = 0;
	tcp_seg(t, 40000, 80, TCP_ACK);
	rt_input(&R, (unsigned)PA, f, ip_frame(f, MAC_A, IP_PROTO_TCP, HOST_A, OUT, t, 24, 64));
	CHECK_EQ(parse_tcp(&sent[0], &ip, &tv), PROTO_OK);
	CHECK_EQ(tv.sport, mapped);
	/* the answer */
	nsent = 0;
	tcp_seg(t, 80, mapped, TCP_SYN | TCP_ACK);
	rt_input(&R, (unsigned)PU, f, ip_frame(f, MAC_GW, IP_PROTO_TCP, OUT, UP, t, 24, 64));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(sent[0].port, (unsigned)PA);
	CHECK_EQ(parse_tcp(&sent[0], &ip, &tv), PROTO_OK);
	CHECK_EQ(ip.dst, HOST_A);
	CHECK_EQ(ip.src, OUT);
	CHECK_EQ(tv.dport, 40000u);
	CHECK_EQ(tv.sport, 80u);
	CHECK_EQ(R.dom[DU].cnt.nat_in, 1u);
	/* an unmapped port on the uplink is dropped */
	nsent = 0;
	tcp_seg(t, 80, (uint16_t)(mapped + 1), TCP_ACK);
	rt_input(&R, (unsigned)PU, f, ip_frame(f, MAC_GW, IP_PROTO_TCP, OUT, UP, t, 24, 64));
	CHECK_EQ(nsent, 0u);
	CHECK_EQ(R.dom[DU].cnt.dropped, 1u);
}

TEST(NICROUTE_0005, "NAT: UDP and ICMP echo out and back with valid checksums")
{
	uint8_t f[128], u[12] = { 0x13, 0x88, 0, 53, 0, 12, 0, 0, 'q', 'u', 'e', 'r' };
	uint8_t m[12] = { ICMP_ECHO_REQUEST, 0, 0, 0, 0, 9, 0, 3, 'p', 'i', 'n', 'g' };
	struct eth_view e;
	struct ipv4_view ip;
	struct udp_view uv;
	struct icmp_view ic;

	setup();
	learn(PU, MAC_GW, GW, UP);
	learn(PB, MAC_B, HOST_B, IP(10, 0, 3, 1));
	nsent = 0;
	rt_input(&R, (unsigned)PB, f, ip_frame(f, MAC_B, IP_PROTO_UDP, HOST_B, OUT, u, 12, 64));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(eth_parse(sent[0].f, sent[0].len, &e), PROTO_OK);
	CHECK_EQ(ipv4_parse(e.payload, e.len, &ip), PROTO_OK);
	CHECK_EQ(udp_parse(ip.payload, ip.payload_len, ip.src, ip.dst, &uv), PROTO_OK);
	CHECK(uv.has_checksum);
	CHECK_EQ(ip.src, UP);
	CHECK(uv.sport >= RT_NAT_FIRST);
	uint16_t mapped = uv.sport;
	/* the answer back */
	nsent = 0;
	put16(u, 53);
	put16(u + 2, mapped);
	rt_input(&R, (unsigned)PU, f, ip_frame(f, MAC_GW, IP_PROTO_UDP, OUT, UP, u, 12, 64));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(eth_parse(sent[0].f, sent[0].len, &e), PROTO_OK);
	CHECK_EQ(ipv4_parse(e.payload, e.len, &ip), PROTO_OK);
	CHECK_EQ(udp_parse(ip.payload, ip.payload_len, ip.src, ip.dst, &uv), PROTO_OK);
	CHECK_EQ(ip.dst, HOST_B);
	CHECK_EQ(uv.dport, 5000u);
	/* ICMP echo: the id is the port */
	nsent = 0;
	rt_input(&R, (unsigned)PB, f, ip_frame(f, MAC_B, IP_PROTO_ICMP, HOST_B, OUT, m, 12, 64));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(eth_parse(sent[0].f, sent[0].len, &e), PROTO_OK);
	CHECK_EQ(ipv4_parse(e.payload, e.len, &ip), PROTO_OK);
	CHECK_EQ(icmp_parse(ip.payload, ip.payload_len, &ic), PROTO_OK);
	CHECK_EQ(ip.src, UP);
	uint16_t id = ic.id;
	CHECK(id >= RT_NAT_FIRST);
	nsent = 0;
	m[0] = ICMP_ECHO_REPLY;
	put16(m + 4, id);
	rt_input(&R, (unsigned)PU, f, ip_frame(f, MAC_GW, IP_PROTO_ICMP, OUT, UP, m, 12, 64));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(eth_parse(sent[0].f, sent[0].len, &e), PROTO_OK);
	CHECK_EQ(ipv4_parse(e.payload, e.len, &ip), PROTO_OK);
	CHECK_EQ(icmp_parse(ip.payload, ip.payload_len, &ic), PROTO_OK);
	CHECK_EQ(ic.type, ICMP_ECHO_REPLY);
	CHECK_EQ(ic.id, 9u);
	CHECK_EQ(ip.dst, HOST_B);
}

TEST(NICROUTE_0006, "a TCP port forward: in to the domain's host, its answers leave from the forwarded port")
{
	uint8_t f[128], t[24];
	struct ipv4_view ip;
	struct tcp_view tv;

	setup();
	learn(PU, MAC_GW, GW, UP);
	learn(PB, MAC_B, HOST_B, IP(10, 0, 3, 1));
	CHECK(rt_forward_add(&R, 8080, (unsigned)DB, HOST_B) >= 0);
	nsent = 0;
	tcp_seg(t, 51000, 8080, TCP_SYN);
	rt_input(&R, (unsigned)PU, f, ip_frame(f, MAC_GW, IP_PROTO_TCP, OUT, UP, t, 24, 64));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(sent[0].port, (unsigned)PB);
	CHECK_EQ(parse_tcp(&sent[0], &ip, &tv), PROTO_OK);
	CHECK_EQ(ip.dst, HOST_B);
	CHECK_EQ(tv.dport, 8080u);
	nsent = 0;
	tcp_seg(t, 8080, 51000, TCP_SYN | TCP_ACK);
	rt_input(&R, (unsigned)PB, f, ip_frame(f, MAC_B, IP_PROTO_TCP, HOST_B, OUT, t, 24, 64));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(sent[0].port, (unsigned)PU);
	CHECK_EQ(parse_tcp(&sent[0], &ip, &tv), PROTO_OK);
	CHECK_EQ(ip.src, UP);
	CHECK_EQ(tv.sport, 8080u);
	/* an unforwarded port is dropped */
	nsent = 0;
	tcp_seg(t, 51000, 8081, TCP_SYN);
	rt_input(&R, (unsigned)PU, f, ip_frame(f, MAC_GW, IP_PROTO_TCP, OUT, UP, t, 24, 64));
	CHECK_EQ(nsent, 0u);
}

TEST(NICROUTE_0007, "bad frames are dropped and counted in their domain; the next good one passes")
{
	uint8_t f[128], t[24];
	size_t n;

	setup();
	learn(PU, MAC_GW, GW, UP);
	nsent = 0;
	tcp_seg(t, 40000, 80, TCP_SYN);
	n = ip_frame(f, MAC_A, IP_PROTO_TCP, HOST_A, OUT, t, 24, 64);
	f[14 + 10] ^= 0x40;   /* IP header checksum */
	rt_input(&R, (unsigned)PA, f, n);
	f[14 + 10] ^= 0x40;
	f[14 + 20 + 16] ^= 1; /* TCP checksum */
	rt_input(&R, (unsigned)PA, f, n);
	f[14 + 20 + 16] ^= 1;
	rt_input(&R, (unsigned)PA, f, 10);   /* no Ethernet header */
	rt_input(&R, (unsigned)PA, f, 14 + 19);   /* IP cut */
	CHECK_EQ(nsent, 0u);
	CHECK_EQ(R.dom[DA].cnt.bad, 4u);
	CHECK_EQ(R.dom[DB].cnt.bad, 0u);
	rt_input(&R, (unsigned)PA, f, n);
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(R.dom[DA].cnt.nat_out, 1u);
}

TEST(NICROUTE_0009, "RT_IN_CSUM_VALID: a TCP or UDP checksum the NIC verified is not compared again; every other check stays")
{
	uint8_t f[128], t[24], u[16];
	struct ipv4_view ip;
	struct tcp_view tv;
	uint16_t mapped;
	size_t n;

	setup();
	learn(PU, MAC_GW, GW, UP);
	learn(PA, MAC_A, HOST_A, IP(10, 0, 1, 1));
	nsent = 0;
	tcp_seg(t, 40000, 80, TCP_SYN);
	rt_input(&R, (unsigned)PA, f, ip_frame(f, MAC_A, IP_PROTO_TCP, HOST_A, OUT, t, 24, 64));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(parse_tcp(&sent[0], &ip, &tv), PROTO_OK);
	mapped = tv.sport;
	/* the answer with a wrong TCP checksum: refused without the flag ... */
	tcp_seg(t, 80, mapped, TCP_SYN | TCP_ACK);
	n = ip_frame(f, MAC_GW, IP_PROTO_TCP, OUT, UP, t, 24, 64);
	f[14 + 20 + 16] ^= 1;
	nsent = 0;
	rt_input(&R, (unsigned)PU, f, n);
	CHECK_EQ(nsent, 0u);
	CHECK_EQ(R.dom[DU].cnt.bad, 1u);
	/* ... passed with it, translated, and as wrong as it came (the host's
	 * own stack verifies it again) */
	rt_input_flags(&R, (unsigned)PU, f, n, RT_IN_CSUM_VALID);
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(sent[0].port, (unsigned)PA);
	CHECK_EQ(R.dom[DU].cnt.nat_in, 1u);
	CHECK_EQ(parse_tcp(&sent[0], &ip, &tv), PROTO_E_CHECKSUM);
	CHECK_EQ(tcp_parse_csum(ip.payload, ip.payload_len, ip.src, ip.dst, true, &tv), PROTO_OK);
	CHECK_EQ(tv.dport, 40000u);
	/* with the flag: a wrong IPv4 header checksum, a data offset past the
	 * segment, a bad option, a cut UDP length and an ICMP checksum are
	 * still refused */
	nsent = 0;
	f[14 + 10] ^= 0x40;
	rt_input_flags(&R, (unsigned)PU, f, n, RT_IN_CSUM_VALID);
	f[14 + 10] ^= 0x40;
	f[14 + 20 + 12] = 15 << 4;
	rt_input_flags(&R, (unsigned)PU, f, n, RT_IN_CSUM_VALID);
	f[14 + 20 + 12] = 6 << 4;
	f[14 + 20 + 20] = 2;        /* MSS of length 3 */
	f[14 + 20 + 21] = 3;
	rt_input_flags(&R, (unsigned)PU, f, n, RT_IN_CSUM_VALID);
	memset(u, 0, sizeof(u));
	put16(u, 53);
	put16(u + 2, 53);
	put16(u + 4, 40);           /* longer than the datagram */
	rt_input_flags(&R, (unsigned)PU, f,
		       ip_frame(f, MAC_GW, IP_PROTO_UDP, OUT, UP, u, sizeof(u), 64), RT_IN_CSUM_VALID);
	memset(u, 0, sizeof(u));
	u[0] = ICMP_ECHO_REQUEST;
	n = ip_frame(f, MAC_GW, IP_PROTO_ICMP, OUT, UP, u, sizeof(u), 64);
	f[14 + 20 + 2] ^= 1;
	rt_input_flags(&R, (unsigned)PU, f, n, RT_IN_CSUM_VALID);
	CHECK_EQ(nsent, 0u);
	CHECK_EQ(R.dom[DU].cnt.bad, 6u);
	/* a UDP datagram with a wrong checksum, flagged, is answered by nobody
	 * but no longer refused: dropped (no mapping) */
	memset(u, 0, sizeof(u));
	put16(u, 53);
	put16(u + 2, 9);
	put16(u + 4, sizeof(u));
	n = ip_frame(f, MAC_GW, IP_PROTO_UDP, OUT, UP, u, sizeof(u), 64);
	f[14 + 20 + 6] ^= 1;
	rt_input(&R, (unsigned)PU, f, n);
	CHECK_EQ(R.dom[DU].cnt.bad, 7u);
	rt_input_flags(&R, (unsigned)PU, f, n, RT_IN_CSUM_VALID);
	CHECK_EQ(R.dom[DU].cnt.bad, 7u);
	CHECK_EQ(R.dom[DU].cnt.dropped, 1u);
}

TEST(NICROUTE_0008, "a domain added later: existing NAT mappings keep working; a removed domain's go")
{
	uint8_t f[128], t[24];
	struct ipv4_view ip;
	struct tcp_view tv;

	setup();
	learn(PU, MAC_GW, GW, UP);
	learn(PA, MAC_A, HOST_A, IP(10, 0, 1, 1));
	nsent = 0;
	tcp_seg(t, 40000, 80, TCP_SYN);
	rt_input(&R, (unsigned)PA, f, ip_frame(f, MAC_A, IP_PROTO_TCP, HOST_A, OUT, t, 24, 64));
	CHECK_EQ(parse_tcp(&sent[0], &ip, &tv), PROTO_OK);
	uint16_t mapped = tv.sport;
	int dc = rt_domain(&R, "c", false, true, IP(10, 0, 4, 1), 0xffffff00u, 0);
	CHECK(dc >= 0 && dc != DA && dc != DB && dc != DU);
	CHECK(rt_port_add(&R, (unsigned)dc) >= 0);
	CHECK_EQ(rt_domain(&R, "a", false, true, IP(10, 0, 1, 1), 0xffffff00u, 0), DA);
	nsent = 0;
	tcp_seg(t, 80, mapped, TCP_ACK);
	rt_input(&R, (unsigned)PU, f, ip_frame(f, MAC_GW, IP_PROTO_TCP, OUT, UP, t, 24, 64));
	CHECK_EQ(nsent, 1u);
	CHECK_EQ(sent[0].port, (unsigned)PA);
	rt_domain_remove(&R, (unsigned)DA);
	nsent = 0;
	rt_input(&R, (unsigned)PU, f, ip_frame(f, MAC_GW, IP_PROTO_TCP, OUT, UP, t, 24, 64));
	CHECK_EQ(nsent, 0u);
	CHECK_EQ(rt_domain(&R, "", false, false, 0, 0, 0), -1);
	CHECK_EQ(rt_domain(&R, "x", false, false, IP(10, 0, 5, 1), 0xff00ff00u, 0), -1);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
