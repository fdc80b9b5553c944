/*
 * libFuzzer harness for nic_router's frame parsers (servers/nic_router/
 * proto; `make fuzz/nic_router`). For every input, an exact-size heap copy
 * (ASan sees any read past it) is parsed as the router does: Ethernet, then
 * ARP or IPv4, then ICMP, UDP (DHCP on ports 67/68) or TCP; the input is
 * also given to each parser directly. Checks on success: every pointer a
 * view holds and every length lies inside the input, the layers' lengths
 * add up, a reported checksum really verifies, and an incremental checksum
 * update after rewriting the addresses (as NAT does) equals recomputing it.
 * Then the input goes through a router (uplink, two NAT domains, a port
 * forward, learned neighbours) from the port its first byte picks: every
 * frame the router sends must parse again as Ethernet + ARP or IPv4 with
 * valid checksums, and fit a frame. Then the DHCP paths: the input as the
 * BOOTP payload of valid UDP datagrams to a client domain's DHCP server and
 * to the uplink's DHCP client (with the client's transaction id and MAC in
 * it), time passing in between; what they send must parse as DHCP.
 * A failed check aborts, which libFuzzer reports as a crash.
 */
#include <nic_proto.h>
#include <nic_route.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(c)                                                                   \
	do {                                                                         \
		if (!(c)) {                                                          \
			fprintf(stderr, "nic_router_fuzz: %s:%d: check failed: %s\n", \
				__FILE__, __LINE__, #c);                             \
			abort();                                                     \
		}                                                                    \
	} while (0)

static const uint8_t *lo, *hi;

static void inside(const uint8_t *p, size_t n)
{
	REQUIRE(p >= lo && p <= hi && n <= (size_t)(hi - p));
}

static void check_dhcp(const uint8_t *p, size_t n)
{
	struct dhcp_view d;

	if (dhcp_parse(p, n, &d) != PROTO_OK)
		return;
	inside(d.chaddr, 6);
	REQUIRE(d.msg_type >= DHCPDISCOVER && d.msg_type <= DHCPINFORM);
	REQUIRE(d.op == DHCP_BOOTREQUEST || d.op == DHCP_BOOTREPLY);
	REQUIRE(n >= DHCP_FIXED + 5);
}

static void check_l4(const struct ipv4_view *ip)
{
	const uint8_t *p = ip->payload;
	size_t n = ip->payload_len;

	if (ipv4_is_fragment(ip) && ip->frag_offset)
		return;
	if (ip->proto == IP_PROTO_ICMP) {
		struct icmp_view ic;
		if (icmp_parse(p, n, &ic) == PROTO_OK) {
			inside(ic.payload, ic.payload_len);
			REQUIRE(ic.payload_len + 8 == n);
			REQUIRE(csum_fold(csum_add(0, p, n)) == 0);
		}
	} else if (ip->proto == IP_PROTO_UDP) {
		struct udp_view u;
		if (udp_parse(p, n, ip->src, ip->dst, &u) == PROTO_OK) {
			inside(u.payload, u.payload_len);
			REQUIRE(u.payload_len + 8 == u.len && u.len <= n);
			if (u.dport == DHCP_SERVER_PORT || u.dport == DHCP_CLIENT_PORT)
				check_dhcp(u.payload, u.payload_len);
		}
	} else if (ip->proto == IP_PROTO_TCP) {
		struct tcp_view t;
		if (tcp_parse(p, n, ip->src, ip->dst, &t) == PROTO_OK) {
			inside(t.payload, t.payload_len);
			REQUIRE(t.hdr_len >= 20 && t.hdr_len <= 60 && t.hdr_len + t.payload_len == n);
			REQUIRE(t.sport && t.dport);
		}
	}
}

static void check_nat_update(const struct ipv4_view *ip)
{
	/* rewrite the source address as NAT does: incremental equals full */
	uint8_t h[60];
	uint32_t new_src = ip->src ^ 0x0a0b0c0du;
	uint16_t check;

	memcpy(h, ip->hdr, ip->hdr_len);
	check = csum_update32(get16(h + 10), ip->src, new_src);
	put32(h + 12, new_src);
	put16(h + 10, check);
	REQUIRE(csum_fold(csum_add(0, h, ip->hdr_len)) == 0);
}

static const uint8_t R_MACS[6] = { 2, 0x52, 0, 0, 0, 0x22 };   /* the uplink's NIC */
/* the frame in the router came with RT_IN_CSUM_VALID: its TCP/UDP checksum
 * is taken as it is (and stays as wrong as it came, through NAT too) */
static bool csum_trusted;

static void sent_cb(void *arg, unsigned port, const uint8_t *frame, size_t len)
{
	struct eth_view e;
	struct ipv4_view ip;
	struct arp_view a;

	(void)arg;
	REQUIRE(port < 3 && len >= ETH_HDR && len <= ETH_FRAME_MAX);
	/* the router sends only frames it made or parsed */
	REQUIRE(eth_parse(frame, len, &e) == PROTO_OK);
	if (e.type == ETH_TYPE_ARP)
		REQUIRE(arp_parse(e.payload, e.len, &a) == PROTO_OK);
	if (e.type == ETH_TYPE_IPV4 && ipv4_parse(e.payload, e.len, &ip) == PROTO_OK && !ipv4_is_fragment(&ip)) {
		if (ip.proto == IP_PROTO_TCP) {
			struct tcp_view t;
			REQUIRE(tcp_parse_csum(ip.payload, ip.payload_len, ip.src, ip.dst, csum_trusted,
					       &t) == PROTO_OK);
		}
		if (ip.proto == IP_PROTO_UDP) {
			struct udp_view u;
			struct dhcp_view d;
			REQUIRE(udp_parse_csum(ip.payload, ip.payload_len, ip.src, ip.dst, csum_trusted,
					       &u) == PROTO_OK);
			/* what the DHCP server and client send parses as DHCP */
			if ((u.sport == DHCP_SERVER_PORT && u.dport == DHCP_CLIENT_PORT) ||
			    (u.sport == DHCP_CLIENT_PORT && u.dport == DHCP_SERVER_PORT &&
			     !memcmp(e.src, R_MACS, 6))) {
				REQUIRE(u.has_checksum);
				REQUIRE(dhcp_parse(u.payload, u.payload_len, &d) == PROTO_OK);
			}
		}
	}
}

static struct router R;

/* The input's bytes as the BOOTP payload of a UDP datagram (valid
 * Ethernet, IPv4 and UDP around it) from port to the router. */
static void dhcp_wrapped(unsigned port, const uint8_t *eth_dst, const uint8_t *src_mac,
			 uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
			 const uint8_t *b, size_t n)
{
	static uint8_t f[ETH_FRAME_MAX];
	uint8_t *ip = f + ETH_HDR, *u = ip + 20;

	if (n > ETH_FRAME_MAX - ETH_HDR - 28)
		n = ETH_FRAME_MAX - ETH_HDR - 28;
	memcpy(f, eth_dst, 6);
	memcpy(f + 6, src_mac, 6);
	put16(f + 12, ETH_TYPE_IPV4);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(28 + n));
	ip[8] = 64;
	ip[9] = IP_PROTO_UDP;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(8 + n));
	put16(u + 6, 0);
	memcpy(u + 8, b, n);
	put16(u + 6, csum_fold(csum_add(csum_pseudo(src, dst, IP_PROTO_UDP, (uint16_t)(8 + n)), u,
					8 + n)));
	rt_input(&R, port, f, ETH_HDR + 28 + n);
}

/* The DHCP paths: domain a's server and the uplink's client get the input
 * as a DHCP message (the client's with its transaction id and MAC put in,
 * so that it reaches the states), with time passing in between. */
static void dhcp_run(const uint8_t *f, size_t size)
{
	static const uint8_t rmac[6] = { 2, 0x52, 0, 0, 0, 1 }, host[6] = { 2, 0, 0, 0, 0, 0x0a },
			     srv[6] = { 2, 0, 0, 0, 0, 0x99 };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static uint8_t b[ETH_FRAME_MAX];
	size_t n = size > sizeof(b) ? sizeof(b) : size;
	uint64_t now = 1000;

	rt_init(&R, rmac, sent_cb, 0);
	rt_domain(&R, "uplink", true, false, 0, 0, 0);
	rt_domain(&R, "a", false, true, 0x0a000101, 0xffffff00u, 0);
	rt_domain(&R, "b", false, true, 0x0a000301, 0xffffff00u, 0);
	rt_domain_mac(&R, 0, R_MACS);
	for (unsigned d = 0; d < 3; d++)
		rt_port_add(&R, d);
	REQUIRE(rt_dhcp_server(&R, 1, 0x0a000164, 0x0a000166, 60, 0x0a000203, false) == 0);
	REQUIRE(rt_dhcp_server(&R, 2, 0x0a000364, 0x0a0003c7, 600, 0, true) == 0);
	rt_dhcp_client(&R, 0, true);
	rt_tick(&R, now);
	memcpy(b, f, n);
	for (int round = 0; round < 4; round++) {
		/* the server: from the host of domain a, its MAC as chaddr */
		if (n >= 34)
			memcpy(b + 28, host, 6);
		dhcp_wrapped(1, bcast, host, round & 1 ? 0x0a000164 : 0, round & 1 ? 0x0a000101
										   : 0xffffffffu,
			     DHCP_CLIENT_PORT, DHCP_SERVER_PORT, b, n);
		/* the client: what the server on the uplink answers */
		if (n >= 34) {
			put32(b + 4, R.dom[0].cli.xid);
			memcpy(b + 28, R_MACS, 6);
		}
		dhcp_wrapped(0, round & 1 ? R_MACS : bcast, srv, 0x0a000202, 0xffffffffu,
			     DHCP_SERVER_PORT, DHCP_CLIENT_PORT, b, n);
		/* NAT needs the uplink's address: dropped or sent */
		rt_input(&R, 1, f, size);
		now += 1000u * (1u + (n > (size_t)round ? b[round] : 0u));
		rt_tick(&R, now);
		REQUIRE(rt_next_event(&R) > now);
	}
}

static void router_run(const uint8_t *f, size_t size)
{
	static const uint8_t rmac[6] = { 2, 0x52, 0, 0, 0, 1 }, gw[6] = { 2, 0, 0, 0, 0, 0x99 };
	uint8_t arp[60] = { 0 };
	unsigned from;

	if (!size)
		return;
	rt_init(&R, rmac, sent_cb, 0);
	rt_domain(&R, "uplink", true, false, 0x0a00020f, 0xffffff00u, 0x0a000202);
	rt_domain(&R, "a", false, true, 0x0a000101, 0xffffff00u, 0);
	rt_domain(&R, "b", false, true, 0x0a000301, 0xffffff00u, 0);
	for (unsigned d = 0; d < 3; d++)
		rt_port_add(&R, d);
	rt_forward_add(&R, 8080, 2, 0x0a000302);
	/* the gateway known on the uplink */
	memset(arp, 0xff, 6);
	memcpy(arp + 6, gw, 6);
	put16(arp + 12, ETH_TYPE_ARP);
	put16(arp + 14, 1);
	put16(arp + 16, ETH_TYPE_IPV4);
	arp[18] = 6;
	arp[19] = 4;
	put16(arp + 20, ARP_REQUEST);
	memcpy(arp + 22, gw, 6);
	put32(arp + 28, 0x0a000202);
	put32(arp + 38, 0x0a00020f);
	rt_input(&R, 0, arp, 60);
	from = f[0] % 3;
	/* a frame from the uplink may come with its checksum verified by the NIC */
	csum_trusted = from == 0 && (f[0] & 0x80);
	rt_input_flags(&R, from, f + 1, size - 1, csum_trusted ? RT_IN_CSUM_VALID : 0);
	/* and again: mappings made by the first pass are used */
	rt_input_flags(&R, from, f + 1, size - 1, csum_trusted ? RT_IN_CSUM_VALID : 0);
	csum_trusted = false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *f = malloc(size ? size : 1);
	struct eth_view e;
	struct arp_view a;
	struct ipv4_view ip;

	REQUIRE(f != NULL);
	memcpy(f, data, size);
	lo = f;
	hi = f + size;

	if (eth_parse(f, size, &e) == PROTO_OK) {
		inside(e.payload, e.len);
		REQUIRE(e.len + ETH_HDR == size && size <= ETH_FRAME_MAX);
		REQUIRE(!(e.src[0] & 1));
		if (e.type == ETH_TYPE_ARP && arp_parse(e.payload, e.len, &a) == PROTO_OK) {
			inside(a.sha, 6);
			inside(a.tha, 6);
			REQUIRE(a.op == ARP_REQUEST || a.op == ARP_REPLY);
		}
		if (e.type == ETH_TYPE_IPV4 && ipv4_parse(e.payload, e.len, &ip) == PROTO_OK) {
			inside(ip.hdr, ip.hdr_len);
			inside(ip.payload, ip.payload_len);
			REQUIRE(ip.hdr_len >= 20 && ip.hdr_len + ip.payload_len == ip.total_len);
			REQUIRE(ip.total_len <= e.len);
			REQUIRE(csum_fold(csum_add(0, ip.hdr, ip.hdr_len)) == 0);
			check_nat_update(&ip);
			check_l4(&ip);
		}
	}
	/* each parser on the raw bytes too */
	if (ipv4_parse(f, size, &ip) == PROTO_OK) {
		inside(ip.payload, ip.payload_len);
		check_l4(&ip);
	}
	check_dhcp(f, size);
	if (arp_parse(f, size, &a) == PROTO_OK)
		inside(a.tha, 6);
	router_run(f, size);
	dhcp_run(f, size);

	free(f);
	return 0;
}
