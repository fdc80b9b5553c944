/*
 * The Internet checksum's sum (RFC 1071), one copy for lwIP's port
 * (ports/lwip/include/arch/chksum.h) and nic_router (proto.c): the
 * one's-complement sum of the 16-bit words of data[0..len) as the CPU
 * reads them from the start (little-endian: each word byte-swapped, which
 * one's-complement addition does not mind, "Byte Order Independence"),
 * an odd last byte padded with zero, folded to 16 bits, not complemented.
 * Stored back, it gives the sum's bytes in network order. 64-bit loads
 * (unaligned: any start address) into a 64-bit sum, each carry added back
 * (an add and an adc a word). Inline: lwIP's archive is linked after the
 * libraries that use it. Host tests: tests/host/net_chksum.c and
 * nic_proto.c (NICPROTO_0022).
 */
#ifndef ARGIL_INET_CSUM_H
#define ARGIL_INET_CSUM_H

#include <stddef.h>
#include <stdint.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "inet_csum assumes little-endian");

static inline uint64_t inet_csum_load64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, 8);
	return v;
}

static inline uint64_t inet_csum_add(uint64_t s, uint64_t v)
{
	/* gcc makes this an add and an adc of zero */
	if (__builtin_add_overflow(s, v, &s))
		s++;
	return s;
}

static inline uint16_t inet_csum_words(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t s = 0, t = 0;

	for (; len >= 64; p += 64, len -= 64) {
		s = inet_csum_add(s, inet_csum_load64(p));
		s = inet_csum_add(s, inet_csum_load64(p + 8));
		s = inet_csum_add(s, inet_csum_load64(p + 16));
		s = inet_csum_add(s, inet_csum_load64(p + 24));
		s = inet_csum_add(s, inet_csum_load64(p + 32));
		s = inet_csum_add(s, inet_csum_load64(p + 40));
		s = inet_csum_add(s, inet_csum_load64(p + 48));
		s = inet_csum_add(s, inet_csum_load64(p + 56));
	}
	for (; len >= 8; p += 8, len -= 8)
		s = inet_csum_add(s, inet_csum_load64(p));
	/* the last 0..7 bytes as one word, zero above them */
	for (size_t i = 0; i < len; i++)
		t |= (uint64_t)p[i] << (8 * i);
	s = inet_csum_add(s, t);
	/* 64 -> 16 bits, end-around carries */
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

#endif
