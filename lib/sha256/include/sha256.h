/*
 * SHA-256 (FIPS 180-4): a digest of a byte stream fed in pieces of any
 * size. Portable C without the C library: components link it (LIBS :=
 * sha256) and tests/host/sha256.c checks it against sha256sum.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST 32   /* bytes of a digest */
#define SHA256_HEX 65      /* a digest in lowercase hex, with the NUL */

struct sha256 {
	uint32_t h[8];      /* the hash value so far */
	uint64_t bytes;     /* message length so far */
	uint8_t block[64];  /* the block being filled */
	size_t fill;        /* bytes in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* Pads the message and writes its digest; s must be initialised again
 * before further use. */
void sha256_final(struct sha256 *s, uint8_t digest[SHA256_DIGEST]);
/* digest in lowercase hex, as sha256sum prints it */
void sha256_hex(const uint8_t digest[SHA256_DIGEST], char hex[SHA256_HEX]);

#endif
