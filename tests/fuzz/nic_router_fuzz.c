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
 * valid checksums, and fit a frame.
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
	}
}

static struct router R;

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

	free(f);
	return 0;
}
