// sources: drivers/virtio_net/vnet_hdr.c servers/nic_router/proto/proto.c
// cflags: -Idrivers/virtio_net -Iservers/nic_router/proto/include
/*
 * Host unit tests of the virtio-net receive header (drivers/virtio_net/
 * vnet_hdr.c): what DATA_VALID and NEEDS_CSUM make of a frame for the
 * router; partial checksums completed (checked with nic_router's own
 * parsers), ranges outside the frame and GSO refused.
 *
 * Area: VNETHDR.
 */
#include <harness.h>
#include <nic_proto.h>
#include <string.h>
#include "vnet_hdr.h"

#define SRC 0x0a000202u
#define DST 0x0a00020fu

/* An Ethernet frame with IPv4 and a TCP (proto 6) or UDP (17) segment of
 * n data bytes whose checksum field holds the pseudo header's sum only, as
 * a sender that leaves the rest to the NIC writes it; the header says
 * NEEDS_CSUM with csum_start at the transport header. */
static size_t partial(uint8_t *f, uint8_t *hdr, uint8_t proto, size_t n)
{
	size_t l4 = proto == IP_PROTO_TCP ? 20 : 8, len = 14 + 20 + l4 + n;
	unsigned off = proto == IP_PROTO_TCP ? 16 : 6;
	uint8_t *ip = f + 14, *t = ip + 20;
	uint32_t s;

	memset(f, 0, len);
	memset(hdr, 0, VNET_HDR_LEN);
	put16(f + 12, ETH_TYPE_IPV4);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + l4 + n));
	ip[8] = 64;
	ip[9] = proto;
	put32(ip + 12, SRC);
	put32(ip + 16, DST);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	put16(t, 40000);
	put16(t + 2, 80);
	if (proto == IP_PROTO_TCP)
		t[12] = 5 << 4;
	else
		put16(t + 4, (uint16_t)(8 + n));
	for (size_t i = 0; i < n; i++)
		t[l4 + i] = (uint8_t)(i * 7 + 3);
	s = csum_pseudo(SRC, DST, proto, (uint16_t)(l4 + n));
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	put16(t + off, (uint16_t)s);   /* folded, not complemented */
	hdr[VNET_HDR_FLAGS] = VNET_HDR_F_NEEDS_CSUM;
	hdr[VNET_HDR_CSUM_START] = 34;
	hdr[VNET_HDR_CSUM_OFFSET] = (uint8_t)off;
	return len;
}

TEST(VNETHDR_0001, "without GUEST_CSUM the header says nothing; DATA_VALID flags, no flag passes as it is")
{
	uint8_t hdr[VNET_HDR_LEN] = { 0 }, f[64] = { 0 }, g[64];

	memset(f, 0x5a, sizeof(f));
	memcpy(g, f, sizeof(f));
	hdr[VNET_HDR_FLAGS] = VNET_HDR_F_DATA_VALID;
	CHECK_EQ(vnet_rx_flags(hdr, f, sizeof(f), false), 0);
	CHECK_EQ(vnet_rx_flags(hdr, f, sizeof(f), true), 1);
	hdr[VNET_HDR_FLAGS] = 0;
	CHECK_EQ(vnet_rx_flags(hdr, f, sizeof(f), true), 0);
	hdr[VNET_HDR_FLAGS] = 0x80;    /* a flag not defined: nothing */
	CHECK_EQ(vnet_rx_flags(hdr, f, sizeof(f), true), 0);
	CHECK(!memcmp(f, g, sizeof(f)));
}

TEST(VNETHDR_0002, "NEEDS_CSUM: TCP and UDP checksums completed, even and odd lengths, then valid")
{
	uint8_t f[1600], hdr[VNET_HDR_LEN];
	struct ipv4_view ip;
	struct tcp_view t;
	struct udp_view u;
	static const size_t sizes[] = { 0, 1, 2, 33, 1460 };

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = partial(f, hdr, IP_PROTO_TCP, sizes[i]);
		CHECK_EQ(ipv4_parse(f + 14, n - 14, &ip), PROTO_OK);
		CHECK_EQ(tcp_parse(ip.payload, ip.payload_len, SRC, DST, &t), PROTO_E_CHECKSUM);
		CHECK_EQ(vnet_rx_flags(hdr, f, n, true), 1);
		CHECK_EQ(tcp_parse(ip.payload, ip.payload_len, SRC, DST, &t), PROTO_OK);
		CHECK_EQ(t.payload_len, sizes[i]);
		n = partial(f, hdr, IP_PROTO_UDP, sizes[i] > 1472 ? 1472 : sizes[i]);
		CHECK_EQ(ipv4_parse(f + 14, n - 14, &ip), PROTO_OK);
		CHECK_EQ(vnet_rx_flags(hdr, f, n, true), 1);
		CHECK_EQ(udp_parse(ip.payload, ip.payload_len, SRC, DST, &u), PROTO_OK);
		CHECK(u.has_checksum);
	}
	/* DATA_VALID beside NEEDS_CSUM: completed all the same */
	size_t n = partial(f, hdr, IP_PROTO_UDP, 10);
	hdr[VNET_HDR_FLAGS] |= VNET_HDR_F_DATA_VALID;
	CHECK_EQ(vnet_rx_flags(hdr, f, n, true), 1);
	CHECK_EQ(ipv4_parse(f + 14, n - 14, &ip), PROTO_OK);
	CHECK_EQ(udp_parse(ip.payload, ip.payload_len, SRC, DST, &u), PROTO_OK);
}

TEST(VNETHDR_0003, "a UDP checksum that comes out 0 is stored as 0xffff (0 would mean none)")
{
	uint8_t f[128], hdr[VNET_HDR_LEN];
	struct ipv4_view ip;
	struct udp_view u;
	size_t n = partial(f, hdr, IP_PROTO_UDP, 2);
	uint8_t *t = f + 34;
	uint32_t s;

	/* choose the two data bytes so that the whole sum is 0xffff */
	put16(t + 8, 0);
	s = csum_add(0, t, 10);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	put16(t + 8, (uint16_t)(0xffff - s));
	CHECK_EQ(vnet_rx_flags(hdr, f, n, true), 1);
	CHECK_EQ(get16(t + 6), 0xffffu);
	CHECK_EQ(ipv4_parse(f + 14, n - 14, &ip), PROTO_OK);
	CHECK_EQ(udp_parse(ip.payload, ip.payload_len, SRC, DST, &u), PROTO_OK);
}

TEST(VNETHDR_0004, "refused: a gso_type, csum_start or the checksum field outside the frame")
{
	uint8_t f[128], g[128], hdr[VNET_HDR_LEN];
	size_t n = partial(f, hdr, IP_PROTO_TCP, 4);

	memcpy(g, f, sizeof(g));
	hdr[VNET_HDR_GSO_TYPE] = 1;    /* TCPv4 */
	CHECK_EQ(vnet_rx_flags(hdr, f, n, true), -1);
	hdr[VNET_HDR_GSO_TYPE] = 0;
	hdr[VNET_HDR_CSUM_START] = (uint8_t)n;    /* at the end */
	CHECK_EQ(vnet_rx_flags(hdr, f, n, true), -1);
	hdr[VNET_HDR_CSUM_START] = 0xff;
	hdr[VNET_HDR_CSUM_START + 1] = 0xff;
	CHECK_EQ(vnet_rx_flags(hdr, f, n, true), -1);
	hdr[VNET_HDR_CSUM_START] = 34;
	hdr[VNET_HDR_CSUM_START + 1] = 0;
	hdr[VNET_HDR_CSUM_OFFSET] = (uint8_t)(n - 34 - 1);   /* the field's second byte past the end */
	CHECK_EQ(vnet_rx_flags(hdr, f, n, true), -1);
	hdr[VNET_HDR_CSUM_OFFSET] = 0xff;
	hdr[VNET_HDR_CSUM_OFFSET + 1] = 0xff;
	CHECK_EQ(vnet_rx_flags(hdr, f, n, true), -1);
	CHECK(!memcmp(f, g, sizeof(g)));               /* nothing written */
	/* the last two bytes are the field: fine */
	hdr[VNET_HDR_CSUM_OFFSET] = (uint8_t)(n - 34 - 2);
	hdr[VNET_HDR_CSUM_OFFSET + 1] = 0;
	CHECK_EQ(vnet_rx_flags(hdr, f, n, true), 1);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
