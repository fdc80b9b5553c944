// sources: servers/nic_router/proto/proto.c
// cflags: -Iservers/nic_router/proto/include
/*
 * Host unit tests of nic_router's frame parsers (servers/nic_router/proto):
 * checksums against known values and incremental updates against a full
 * recomputation; each parser accepts a well-formed packet built here with
 * the right fields, and refuses each kind of damage with its reason.
 *
 * Area: NICPROTO.
 */
#include <harness.h>
#include <nic_proto.h>
#include <string.h>

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static const uint32_t SRC = IP(10, 0, 1, 2), DST = IP(10, 0, 2, 3);

/* An IPv4 header of 20 bytes with payload n bytes after it, checksummed. */
static size_t build_ip(uint8_t *p, uint8_t proto, size_t n)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)(20 + n));
	put16(p + 4, 0x1234);
	put16(p + 6, 0x4000);
	p[8] = 64;
	p[9] = proto;
	put32(p + 12, SRC);
	put32(p + 16, DST);
	put16(p + 10, csum_fold(csum_add(0, p, 20)));
	return 20 + n;
}

static void tcp_checksum(uint8_t *t, size_t len)
{
	put16(t + 16, 0);
	put16(t + 16, csum_fold(csum_add(csum_pseudo(SRC, DST, IP_PROTO_TCP, (uint16_t)len), t, len)));
}

/* A TCP segment: header 24 bytes with an MSS option, 5 bytes of data. */
static size_t build_tcp(uint8_t *t)
{
	memset(t, 0, 29);
	put16(t, 40000);
	put16(t + 2, 80);
	put32(t + 4, 1000);
	put32(t + 8, 2000);
	t[12] = 6 << 4;
	t[13] = TCP_SYN;
	put16(t + 14, 8192);
	t[20] = 2;
	t[21] = 4;
	put16(t + 22, 1460);
	memcpy(t + 24, "hello", 5);
	tcp_checksum(t, 29);
	return 29;
}

static size_t build_udp(uint8_t *u, const void *data, size_t n)
{
	put16(u, 5353);
	put16(u + 2, 53);
	put16(u + 4, (uint16_t)(8 + n));
	put16(u + 6, 0);
	memcpy(u + 8, data, n);
	put16(u + 6, csum_fold(csum_add(csum_pseudo(SRC, DST, IP_PROTO_UDP, (uint16_t)(8 + n)), u, 8 + n)));
	return 8 + n;
}

/* A DHCP message with options opts (ending with END) of n bytes. */
static size_t build_dhcp(uint8_t *d, const uint8_t *opts, size_t n)
{
	memset(d, 0, DHCP_FIXED + 4);
	d[0] = DHCP_BOOTREQUEST;
	d[1] = 1;
	d[2] = 6;
	put32(d + 4, 0xcafe0001);
	put16(d + 10, 0x8000);
	memcpy(d + 28, "\x02\x00\x00\x00\x00\x07", 6);
	put32(d + DHCP_FIXED, DHCP_MAGIC);
	memcpy(d + DHCP_FIXED + 4, opts, n);
	return DHCP_FIXED + 4 + n;
}

TEST(NICPROTO_0001, "checksums: RFC 1071's example sum, a known IPv4 header verifies")
{
	static const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	static const uint8_t hdr[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
				       0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
	CHECK_EQ(csum_add(0, rfc, sizeof(rfc)), 0xddf2u);
	CHECK_EQ(csum_fold(0xddf2), 0x220du);
	CHECK_EQ(csum_fold(csum_add(0, hdr, sizeof(hdr))), 0);
	/* an odd length pads with a zero byte */
	CHECK_EQ(csum_add(0, (const uint8_t *)"\x12", 1), 0x1200u);
}

TEST(NICPROTO_0002, "incremental checksum updates equal a full recomputation (NAT rewrites)")
{
	uint8_t p[64];
	uint16_t old_check;
	uint32_t seed = 12345;

	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < 20; i++) {
			seed = seed * 1103515245u + 12345u;
			p[i] = (uint8_t)(seed >> 16);
		}
		put16(p + 10, 0);
		put16(p + 10, csum_fold(csum_add(0, p, 20)));
		old_check = get16(p + 10);
		uint32_t old_addr = get32(p + 12), new_addr = seed ^ 0x5a5a5a5au;
		uint16_t old_port = get16(p + 4), new_port = (uint16_t)(seed >> 7);
		put32(p + 12, new_addr);
		put16(p + 4, new_port);
		uint16_t inc = csum_update16(csum_update32(old_check, old_addr, new_addr), old_port, new_port);
		put16(p + 10, inc);
		CHECK_MSG(csum_fold(csum_add(0, p, 20)) == 0, "round %d", round);
	}
}

TEST(NICPROTO_0003, "Ethernet: a frame parses; short, long, 802.3 lengths, VLAN tags and group sources are refused")
{
	uint8_t f[1600] = { 0 };
	struct eth_view e;

	memcpy(f, "\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x01\x08\x06", 14);
	CHECK_EQ(eth_parse(f, 60, &e), PROTO_OK);
	CHECK_EQ(e.type, ETH_TYPE_ARP);
	CHECK_EQ(e.len, 46u);
	CHECK(e.payload == f + 14);
	CHECK_EQ(eth_parse(f, 13, &e), PROTO_E_SHORT);
	CHECK_EQ(eth_parse(f, 14, &e), PROTO_OK);
	CHECK_EQ(eth_parse(f, 1514, &e), PROTO_OK);
	CHECK_EQ(eth_parse(f, 1515, &e), PROTO_E_LONG);
	put16(f + 12, 0x05dc);
	CHECK_EQ(eth_parse(f, 60, &e), PROTO_E_VERSION);
	put16(f + 12, 0x8100);
	CHECK_EQ(eth_parse(f, 60, &e), PROTO_E_VERSION);
	put16(f + 12, ETH_TYPE_IPV4);
	f[6] = 0x01;
	CHECK_EQ(eth_parse(f, 60, &e), PROTO_E_FIELD);
}

TEST(NICPROTO_0004, "ARP: a request parses with its fields; wrong hardware/protocol, op and group sender refused")
{
	uint8_t a[42] = { 0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 9, 10, 0, 1, 2,
			  0, 0, 0, 0, 0, 0, 10, 0, 1, 1 };
	struct arp_view v;

	CHECK_EQ(arp_parse(a, 28, &v), PROTO_OK);
	CHECK_EQ(v.op, ARP_REQUEST);
	CHECK_EQ(v.spa, IP(10, 0, 1, 2));
	CHECK_EQ(v.tpa, IP(10, 0, 1, 1));
	CHECK_EQ(v.sha[5], 9);
	CHECK_EQ(arp_parse(a, 42, &v), PROTO_OK);   /* padding */
	CHECK_EQ(arp_parse(a, 27, &v), PROTO_E_SHORT);
	a[1] = 6;
	CHECK_EQ(arp_parse(a, 28, &v), PROTO_E_VERSION);
	a[1] = 1;
	a[5] = 16;
	CHECK_EQ(arp_parse(a, 28, &v), PROTO_E_VERSION);
	a[5] = 4;
	a[7] = 3;
	CHECK_EQ(arp_parse(a, 28, &v), PROTO_E_FIELD);
	a[7] = 2;
	a[8] = 0xff;
	CHECK_EQ(arp_parse(a, 28, &v), PROTO_E_FIELD);
}

TEST(NICPROTO_0005, "IPv4: a header parses with its fields; version, lengths, checksum, flags, source checked")
{
	uint8_t p[80] = { 0 };
	struct ipv4_view ip;
	size_t n = build_ip(p, IP_PROTO_UDP, 10);

	CHECK_EQ(ipv4_parse(p, n, &ip), PROTO_OK);
	CHECK_EQ(ip.src, SRC);
	CHECK_EQ(ip.dst, DST);
	CHECK_EQ(ip.proto, IP_PROTO_UDP);
	CHECK_EQ(ip.payload_len, 10u);
	CHECK(ip.df && !ipv4_is_fragment(&ip));
	CHECK_EQ(ipv4_parse(p, n + 16, &ip), PROTO_OK);   /* Ethernet padding after it */
	CHECK_EQ(ip.payload_len, 10u);
	CHECK_EQ(ipv4_parse(p, 19, &ip), PROTO_E_SHORT);
	CHECK_EQ(ipv4_parse(p, n - 1, &ip), PROTO_E_SHORT);   /* total length beyond the bytes */
	p[11] ^= 1;
	CHECK_EQ(ipv4_parse(p, n, &ip), PROTO_E_CHECKSUM);
	p[11] ^= 1;
	p[0] = 0x65;
	CHECK_EQ(ipv4_parse(p, n, &ip), PROTO_E_VERSION);
	p[0] = 0x44;
	CHECK_EQ(ipv4_parse(p, n, &ip), PROTO_E_LENGTH);
	p[0] = 0x4f;   /* 60 bytes of header in 30 */
	CHECK_EQ(ipv4_parse(p, n, &ip), PROTO_E_SHORT);
}

/* Set a field of the header at p and fix its checksum. */
static void ip_set16(uint8_t *p, unsigned off, uint16_t v)
{
	put16(p + off, v);
	put16(p + 10, 0);
	put16(p + 10, csum_fold(csum_add(0, p, 20)));
}

TEST(NICPROTO_0006, "IPv4: total length below the header, reserved flag, DF with MF, offset past 64 KiB, multicast source")
{
	uint8_t p[80] = { 0 };
	struct ipv4_view ip;
	size_t n = build_ip(p, IP_PROTO_UDP, 10);

	ip_set16(p, 2, 19);
	CHECK_EQ(ipv4_parse(p, n, &ip), PROTO_E_LENGTH);
	ip_set16(p, 2, (uint16_t)n);
	ip_set16(p, 6, 0x8000);
	CHECK_EQ(ipv4_parse(p, n, &ip), PROTO_E_FIELD);
	ip_set16(p, 6, 0x6000);
	CHECK_EQ(ipv4_parse(p, n, &ip), PROTO_E_FIELD);
	ip_set16(p, 6, 0x1fff);
	CHECK_EQ(ipv4_parse(p, n, &ip), PROTO_E_LENGTH);
	ip_set16(p, 6, 0x2000);
	CHECK_EQ(ipv4_parse(p, n, &ip), PROTO_OK);
	CHECK(ipv4_is_fragment(&ip));
	ip_set16(p, 6, 0);
	ip_set16(p, 12, 0xe000);
	CHECK_EQ(ipv4_parse(p, n, &ip), PROTO_E_FIELD);
}

TEST(NICPROTO_0007, "ICMP: an echo request parses with id and seq; short, checksum, echo code refused")
{
	uint8_t m[16] = { ICMP_ECHO_REQUEST, 0, 0, 0, 0x12, 0x34, 0, 7, 'p', 'i', 'n', 'g' };
	struct icmp_view ic;

	put16(m + 2, csum_fold(csum_add(0, m, 12)));
	CHECK_EQ(icmp_parse(m, 12, &ic), PROTO_OK);
	CHECK_EQ(ic.id, 0x1234u);
	CHECK_EQ(ic.seq, 7u);
	CHECK_EQ(ic.payload_len, 4u);
	CHECK_EQ(icmp_parse(m, 7, &ic), PROTO_E_SHORT);
	CHECK_EQ(icmp_parse(m, 11, &ic), PROTO_E_CHECKSUM);
	m[1] = 1;
	put16(m + 2, 0);
	put16(m + 2, csum_fold(csum_add(0, m, 12)));
	CHECK_EQ(icmp_parse(m, 12, &ic), PROTO_E_FIELD);
}

TEST(NICPROTO_0008, "UDP: a datagram parses; length field, checksum, port 0, no checksum accepted")
{
	uint8_t u[64];
	struct udp_view v;
	size_t n = build_udp(u, "abcdefg", 7);

	CHECK_EQ(udp_parse(u, n, SRC, DST, &v), PROTO_OK);
	CHECK_EQ(v.sport, 5353u);
	CHECK_EQ(v.dport, 53u);
	CHECK_EQ(v.payload_len, 7u);
	CHECK(v.has_checksum);
	CHECK_EQ(udp_parse(u, n, SRC, DST + 1, &v), PROTO_E_CHECKSUM);
	CHECK_EQ(udp_parse(u, 7, SRC, DST, &v), PROTO_E_SHORT);
	CHECK_EQ(udp_parse(u, n - 1, SRC, DST, &v), PROTO_E_SHORT);
	put16(u + 4, 7);
	CHECK_EQ(udp_parse(u, n, SRC, DST, &v), PROTO_E_LENGTH);
	put16(u + 4, (uint16_t)n);
	put16(u + 6, 0);
	CHECK_EQ(udp_parse(u, n, SRC, DST, &v), PROTO_OK);
	CHECK(!v.has_checksum);
	put16(u + 2, 0);
	CHECK_EQ(udp_parse(u, n, SRC, DST, &v), PROTO_E_FIELD);
}

TEST(NICPROTO_0009, "TCP: a SYN with MSS parses; checksum, data offset, options, ports, SYN+RST refused")
{
	uint8_t t[64];
	struct tcp_view v;
	size_t n = build_tcp(t);

	CHECK_EQ(tcp_parse(t, n, SRC, DST, &v), PROTO_OK);
	CHECK_EQ(v.sport, 40000u);
	CHECK_EQ(v.dport, 80u);
	CHECK_EQ(v.seq, 1000u);
	CHECK_EQ(v.ack, 2000u);
	CHECK_EQ(v.flags, TCP_SYN);
	CHECK_EQ(v.hdr_len, 24u);
	CHECK_EQ(v.payload_len, 5u);
	CHECK(!memcmp(v.payload, "hello", 5));
	CHECK_EQ(tcp_parse(t, n, SRC + 1, DST, &v), PROTO_E_CHECKSUM);
	CHECK_EQ(tcp_parse(t, 19, SRC, DST, &v), PROTO_E_SHORT);
	t[12] = 4 << 4;
	tcp_checksum(t, n);
	CHECK_EQ(tcp_parse(t, n, SRC, DST, &v), PROTO_E_LENGTH);
	t[12] = 15 << 4;
	tcp_checksum(t, n);
	CHECK_EQ(tcp_parse(t, n, SRC, DST, &v), PROTO_E_SHORT);
	t[12] = 6 << 4;
	t[21] = 9;   /* MSS option longer than the header */
	tcp_checksum(t, n);
	CHECK_EQ(tcp_parse(t, n, SRC, DST, &v), PROTO_E_OPTION);
	t[21] = 3;   /* MSS of the wrong length */
	tcp_checksum(t, n);
	CHECK_EQ(tcp_parse(t, n, SRC, DST, &v), PROTO_E_OPTION);
	t[21] = 4;
	t[13] = TCP_SYN | TCP_RST;
	tcp_checksum(t, n);
	CHECK_EQ(tcp_parse(t, n, SRC, DST, &v), PROTO_E_FIELD);
	t[13] = TCP_ACK;
	put16(t + 2, 0);
	tcp_checksum(t, n);
	CHECK_EQ(tcp_parse(t, n, SRC, DST, &v), PROTO_E_FIELD);
}

TEST(NICPROTO_0010, "DHCP: a request with its options parses into the view")
{
	static const uint8_t opts[] = { 53, 1, DHCPREQUEST, 0, 50, 4, 10, 0, 1, 9, 54, 4, 10, 0, 1, 1,
					55, 3, 1, 3, 6, 255 };
	uint8_t d[400];
	struct dhcp_view v;
	size_t n = build_dhcp(d, opts, sizeof(opts));

	CHECK_EQ(dhcp_parse(d, n, &v), PROTO_OK);
	CHECK_EQ(v.op, DHCP_BOOTREQUEST);
	CHECK_EQ(v.xid, 0xcafe0001u);
	CHECK_EQ(v.msg_type, DHCPREQUEST);
	CHECK_EQ(v.has, DHCP_HAS_REQUESTED | DHCP_HAS_SERVER_ID);
	CHECK_EQ(v.requested, IP(10, 0, 1, 9));
	CHECK_EQ(v.server_id, IP(10, 0, 1, 1));
	CHECK_EQ(v.chaddr[5], 7);
	CHECK_EQ(v.flags, 0x8000u);
}

struct dhcp_row {
	TEST_ROW;
	uint8_t opts[24];
	size_t n;
	int want;
};

static const struct dhcp_row dhcp_rows[] = {
	{ "NICPROTO_0011", "no END option", { 53, 1, 1 }, 3, PROTO_E_OPTION },
	{ "NICPROTO_0012", "an option past the end", { 53, 1, 1, 12, 200, 'x', 255 }, 7, PROTO_E_OPTION },
	{ "NICPROTO_0013", "no message type", { 12, 1, 'x', 255 }, 4, PROTO_E_FIELD },
	{ "NICPROTO_0014", "two message types", { 53, 1, 1, 53, 1, 3, 255 }, 7, PROTO_E_OPTION },
	{ "NICPROTO_0015", "message type 9", { 53, 1, 9, 255 }, 4, PROTO_E_OPTION },
	{ "NICPROTO_0016", "message type of 2 bytes", { 53, 2, 1, 1, 255 }, 5, PROTO_E_OPTION },
	{ "NICPROTO_0017", "a subnet mask of 3 bytes", { 53, 1, 2, 1, 3, 255, 255, 0, 255 }, 9, PROTO_E_OPTION },
	{ "NICPROTO_0018", "option overload", { 53, 1, 1, 52, 1, 3, 255 }, 7, PROTO_E_OPTION },
	{ "NICPROTO_0019", "a code without its length byte", { 53, 1, 1, 12 }, 4, PROTO_E_OPTION },
	{ "NICPROTO_0020", "routers: two addresses, first used; pads skipped", { 0, 53, 1, 2, 3, 8, 10, 0, 0, 1, 10, 0, 0, 2, 0, 255 }, 16, PROTO_OK },
};

TEST_TABLE(NICPROTO_0011, dhcp_rows, row)
{
	uint8_t d[400];
	struct dhcp_view v;
	size_t n = build_dhcp(d, row->opts, row->n);

	CHECK_EQ(dhcp_parse(d, n, &v), row->want);
	if (row->want == PROTO_OK) {
		CHECK_EQ(v.router, IP(10, 0, 0, 1));
		CHECK_EQ(v.has, DHCP_HAS_ROUTER);
	}
}

TEST(NICPROTO_0021, "DHCP: short, wrong op, hardware type, magic cookie refused")
{
	static const uint8_t opts[] = { 53, 1, 1, 255 };
	uint8_t d[400];
	struct dhcp_view v;
	size_t n = build_dhcp(d, opts, sizeof(opts));

	CHECK_EQ(dhcp_parse(d, DHCP_FIXED + 3, &v), PROTO_E_SHORT);
	d[0] = 3;
	CHECK_EQ(dhcp_parse(d, n, &v), PROTO_E_FIELD);
	d[0] = 2;
	d[1] = 6;
	CHECK_EQ(dhcp_parse(d, n, &v), PROTO_E_VERSION);
	d[1] = 1;
	d[DHCP_FIXED] = 0x64;
	CHECK_EQ(dhcp_parse(d, n, &v), PROTO_E_VERSION);
	d[DHCP_FIXED] = 0x63;
	CHECK_EQ(dhcp_parse(d, n, &v), PROTO_OK);
	CHECK_EQ(v.op, DHCP_BOOTREPLY);
	CHECK(!strcmp(proto_error_name(PROTO_E_OPTION), "malformed option"));
	CHECK(!strcmp(proto_error_name(99), "unknown error"));
}

/* RFC 1071's sum the plain way, a big-endian byte pair at a time: what
 * csum_add computed before it added 64-bit words. */
static uint32_t ref_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (i < len)
		s += (uint32_t)p[i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

TEST(NICPROTO_0022, "csum_add equals the byte-pair sum for random data of every length 0..2000 at every start offset")
{
	static uint8_t buf[2000 + 16];
	static const uint32_t sums[] = { 0, 1, 0xffff, 0x10000, 0xfffffffe, 0xffffffff };
	uint64_t x = 0x243f6a8885a308d3ull;

	for (size_t len = 0; len <= 2000; len++) {
		for (unsigned off = 0; off < 16; off++) {
			uint32_t sum;
			for (size_t i = 0; i < sizeof(buf); i++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				buf[i] = (uint8_t)(x >> 32);
			}
			sum = off < 6 ? sums[off] : (uint32_t)(x >> 11);
			if (csum_add(sum, buf + off, len) != ref_csum_add(sum, buf + off, len))
				CHECK_EQ(len * 16 + off, 0);
		}
	}
	/* the carries: all ones, all zeros, runs of 0xff that overflow a
	 * 64-bit sum many times, and ones' complement zero (0xffff) */
	for (size_t len = 0; len <= 2000; len += 7) {
		for (int v = 0; v < 3; v++) {
			memset(buf, v == 0 ? 0xff : v == 1 ? 0 : 0x80, sizeof(buf));
			for (unsigned off = 0; off < 8; off++)
				if (csum_add(v, buf + off, len) != ref_csum_add(v, buf + off, len))
					CHECK_EQ(len * 16 + off, 0);
		}
	}
	/* a checksum written by csum_add verifies with the reference and back */
	for (size_t len = 20; len <= 1500; len += 37) {
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)(i * 7 + len);
		put16(buf + 10, 0);
		put16(buf + 10, csum_fold(csum_add(0, buf, len)));
		CHECK_EQ(csum_fold(ref_csum_add(0, buf, len)), 0);
		CHECK_EQ(csum_fold(csum_add(0, buf, len)), 0);
	}
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
