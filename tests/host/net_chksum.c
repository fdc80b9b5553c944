// cflags: -Iports/lwip/include
/*
 * Host unit tests of lwIP's checksum routine (ports/lwip/include/arch/
 * chksum.h, LWIP_CHKSUM): against the plain sum of 16-bit words as the CPU
 * reads them for random data of every length 0..2000 at every start
 * offset, for carries (all ones, all zeros) and for RFC 1071's example.
 *
 * Area: NETCSUM.
 */
#include <harness.h>
#include <arch/chksum.h>
#include <string.h>

/* the reference: little-endian 16-bit words from the start of the data,
 * an odd last byte as the low byte, end-around carries */
static uint16_t ref_chksum(const uint8_t *p, int len)
{
	uint32_t s = 0;
	int i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] | p[i + 1] << 8);
	if (i < len)
		s += p[i];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

TEST(NETCSUM_0001, "argil_lwip_chksum equals the plain sum for random data of every length 0..2000 at every start offset")
{
	static uint8_t buf[2000 + 16];
	uint64_t x = 0x13198a2e03707344ull;

	for (int len = 0; len <= 2000; len++) {
		for (unsigned off = 0; off < 16; off++) {
			for (size_t i = 0; i < sizeof(buf); i++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				buf[i] = (uint8_t)(x >> 32);
			}
			if (argil_lwip_chksum(buf + off, len) != ref_chksum(buf + off, len))
				CHECK_EQ((unsigned)len * 16 + off, 0);
		}
	}
}

TEST(NETCSUM_0002, "carries: all ones, all zeros, 0x80 runs; RFC 1071's example; a negative length sums nothing")
{
	static uint8_t buf[2000 + 8];
	static const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	for (int v = 0; v < 3; v++) {
		memset(buf, v == 0 ? 0xff : v == 1 ? 0 : 0x80, sizeof(buf));
		for (int len = 0; len <= 2000; len += 3)
			for (unsigned off = 0; off < 8; off++)
				if (argil_lwip_chksum(buf + off, len) != ref_chksum(buf + off, len))
					CHECK_EQ((unsigned)len * 16 + off, 0);
	}
	/* RFC 1071 4.1: the sum is ddf2 in network order, f2dd as read here */
	CHECK_EQ(argil_lwip_chksum(rfc, sizeof(rfc)), 0xf2ddu);
	CHECK_EQ(argil_lwip_chksum(rfc, -1), 0);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
