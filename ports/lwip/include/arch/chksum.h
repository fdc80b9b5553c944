/*
 * lwIP's Internet checksum (LWIP_CHKSUM in lwipopts.h): the one's-complement
 * sum of len bytes, not complemented, as lwIP wants it: the sum of the
 * 16-bit words as the CPU reads them from the start of the data (stored
 * back, it gives the checksum's bytes in network order), an odd last byte
 * padded with zero: base's inet_csum_words (argil/inet_csum.h, shared
 * with nic_router), a third of the instructions of lwIP's own fastest
 * algorithm (32-bit words, LWIP_CHKSUM_ALGORITHM 3). Host tests in
 * tests/host/net_chksum.c.
 */
#ifndef ARGIL_LWIP_CHKSUM_H
#define ARGIL_LWIP_CHKSUM_H

#include <argil/inet_csum.h>

static inline uint16_t argil_lwip_chksum(const void *data, int len)
{
	return inet_csum_words(data, len > 0 ? (size_t)len : 0);
}

#endif
