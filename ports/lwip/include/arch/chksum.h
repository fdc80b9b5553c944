/*
 * lwIP's Internet checksum (LWIP_CHKSUM in lwipopts.h): the one's-complement
 * sum of len bytes, not complemented, as lwIP wants it: the sum of the
 * 16-bit words as the CPU reads them from the start of the data (stored
 * back, it gives the checksum's bytes in network order), an odd last byte
 * padded with zero. 64-bit loads (unaligned: any start address) into a
 * 64-bit sum, each carry added back (an add and an adc a word), then
 * folded: a third of the instructions of lwIP's own fastest algorithm
 * (32-bit words, LWIP_CHKSUM_ALGORITHM 3).
 * Here, inline, because lwIP's archive is linked after lib/net's. Host
 * tests in tests/host/net_chksum.c. x86_64: little-endian.
 */
#ifndef ARGIL_LWIP_CHKSUM_H
#define ARGIL_LWIP_CHKSUM_H

#include <stddef.h>
#include <stdint.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "argil_lwip_chksum assumes little-endian");

static inline uint64_t argil_chksum_load64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, 8);
	return v;
}

static inline uint64_t argil_chksum_add(uint64_t s, uint64_t v)
{
	/* gcc makes this an add and an adc of zero */
	if (__builtin_add_overflow(s, v, &s))
		s++;
	return s;
}

static inline uint16_t argil_lwip_chksum(const void *data, int len)
{
	const uint8_t *p = data;
	size_t n = len > 0 ? (size_t)len : 0;
	uint64_t s = 0, t = 0;

	for (; n >= 64; p += 64, n -= 64) {
		s = argil_chksum_add(s, argil_chksum_load64(p));
		s = argil_chksum_add(s, argil_chksum_load64(p + 8));
		s = argil_chksum_add(s, argil_chksum_load64(p + 16));
		s = argil_chksum_add(s, argil_chksum_load64(p + 24));
		s = argil_chksum_add(s, argil_chksum_load64(p + 32));
		s = argil_chksum_add(s, argil_chksum_load64(p + 40));
		s = argil_chksum_add(s, argil_chksum_load64(p + 48));
		s = argil_chksum_add(s, argil_chksum_load64(p + 56));
	}
	for (; n >= 8; p += 8, n -= 8)
		s = argil_chksum_add(s, argil_chksum_load64(p));
	for (size_t i = 0; i < n; i++)
		t |= (uint64_t)p[i] << (8 * i);
	s = argil_chksum_add(s, t);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

#endif
