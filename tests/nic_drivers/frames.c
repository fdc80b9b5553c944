/*
 * Frames for the NIC drivers' test (frames.h). Everything received is
 * checked against the length first: a frame from the wire is trusted for
 * nothing.
 */
#include <argil/string.h>
#include "frames.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static size_t eth(uint8_t *b, const uint8_t *dst, const uint8_t src[6], uint16_t type)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	memcpy(b, dst ? dst : bcast, 6);
	memcpy(b + 6, src, 6);
	put16(b + 12, type);
	return 14;
}

size_t frame_arp_request(uint8_t *b, const uint8_t mac[6], uint32_t from, uint32_t ask)
{
	size_t n = eth(b, 0, mac, 0x0806);

	memset(b + n, 0, 46);
	put16(b + n, 1);            /* Ethernet */
	put16(b + n + 2, 0x0800);   /* IPv4 */
	b[n + 4] = 6;
	b[n + 5] = 4;
	put16(b + n + 6, 1);        /* request */
	memcpy(b + n + 8, mac, 6);
	put32(b + n + 14, from);
	put32(b + n + 24, ask);
	return 60;
}

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += get16(p + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

size_t frame_dhcp_discover(uint8_t *b, const uint8_t mac[6], uint32_t xid)
{
	size_t n = eth(b, 0, mac, 0x0800);
	uint8_t *ip = b + n, *udp = ip + 20, *bp = udp + 8;
	size_t bootp = 240 + 4;  /* fixed part, magic, options 53 and end */

	memset(ip, 0, 20 + 8 + 300);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + 8 + 300));
	ip[8] = 64;
	ip[9] = 17;
	put32(ip + 12, 0);
	put32(ip + 16, 0xffffffffu);
	put16(ip + 10, ip_checksum(ip, 20));
	put16(udp, 68);
	put16(udp + 2, 67);
	put16(udp + 4, 8 + 300);
	bp[0] = 1;                  /* BOOTREQUEST */
	bp[1] = 1;
	bp[2] = 6;
	put32(bp + 4, xid);
	put16(bp + 10, 0x8000);     /* answer by broadcast */
	memcpy(bp + 28, mac, 6);
	put32(bp + 236, 0x63825363);
	bp[240] = 53;               /* DHCP message type: discover */
	bp[241] = 1;
	bp[242] = 1;
	bp[243] = 255;
	(void)bootp;
	return n + 20 + 8 + 300;
}

bool frame_is_arp_reply(const uint8_t *f, size_t n, const uint8_t our[6], uint32_t ip,
			uint8_t mac[6])
{
	const uint8_t *a = f + 14;

	if (n < 42 || get16(f + 12) != 0x0806 || memcmp(f, our, 6))
		return false;
	if (get16(a) != 1 || get16(a + 2) != 0x0800 || a[4] != 6 || a[5] != 4 || get16(a + 6) != 2)
		return false;
	if (get32(a + 14) != ip || memcmp(a + 18, our, 6))
		return false;
	memcpy(mac, a + 8, 6);
	return true;
}

bool frame_is_dhcp_offer(const uint8_t *f, size_t n, uint32_t xid, uint32_t *yiaddr,
			 uint32_t *server)
{
	const uint8_t *ip = f + 14, *udp, *bp;
	size_t ihl, left;

	if (n < 14 + 20 || get16(f + 12) != 0x0800 || (ip[0] >> 4) != 4 || ip[9] != 17)
		return false;
	ihl = (size_t)(ip[0] & 0xf) * 4;
	if (ihl < 20 || n < 14 + ihl + 8 + 240)
		return false;
	udp = ip + ihl;
	bp = udp + 8;
	if (get16(udp) != 67 || get16(udp + 2) != 68 || bp[0] != 2 || get32(bp + 4) != xid ||
	    get32(bp + 236) != 0x63825363)
		return false;
	left = n - (size_t)(bp - f) - 240;
	for (const uint8_t *o = bp + 240; left >= 1 && *o != 255;) {
		if (*o == 0) {
			o++;
			left--;
			continue;
		}
		if (left < 2 || left < 2u + o[1])
			return false;
		if (o[0] == 53 && o[1] == 1) {
			if (o[2] != 2)
				return false;
			*yiaddr = get32(bp + 16);
			*server = get32(ip + 12);
			return true;
		}
		left -= 2u + o[1];
		o += 2 + o[1];
	}
	return false;
}
