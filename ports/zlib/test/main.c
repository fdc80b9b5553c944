/*
 * zlib_test: checks the zlib port (ports/zlib) inside a component. The
 * boot module "sample.gz" is a file gzipped on the host; "sample.sha256"
 * is the line sha256sum printed for the original. The component inflates
 * the module as a stream, hashes what comes out (lib/sha256) and compares;
 * corrupted and truncated copies must fail with zlib's error, and data
 * deflated here must inflate back. run/zlib_test starts it as init.
 * Trusts the two modules for nothing: both are checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <sha256.h>
#include <argil/component.h>
#include <harness.h>
#include <argil/rom.h>

struct result {
	int status;          /* Z_STREAM_END if the whole stream inflated */
	const char *msg;     /* zlib's message, if any */
	size_t in, out;      /* bytes consumed and produced */
	char hex[SHA256_HEX];
};

/* Inflate a gzip stream of n bytes in pieces of 16 KiB, hashing what comes out. */
static struct result gunzip_sha256(const unsigned char *data, size_t n)
{
	static unsigned char out[16384];
	struct result r = { Z_OK, NULL, 0, 0, "" };
	struct sha256 sha;
	uint8_t digest[SHA256_DIGEST];
	z_stream z;

	memset(&z, 0, sizeof(z));
	if ((r.status = inflateInit2(&z, 16 + MAX_WBITS)) != Z_OK)   /* 16: a gzip header */
		return r;
	sha256_init(&sha);
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)n;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		r.status = inflate(&z, Z_NO_FLUSH);
		sha256_update(&sha, out, sizeof(out) - z.avail_out);
	} while (r.status == Z_OK);
	if (r.status == Z_BUF_ERROR && z.avail_in == 0)
		r.msg = "the stream ends early";
	else
		r.msg = z.msg;
	r.in = z.total_in;
	r.out = z.total_out;
	sha256_final(&sha, digest);
	sha256_hex(digest, r.hex);
	inflateEnd(&z);
	return r;
}

/* The digest on the first line of sha256sum's output, or NULL. */
static const char *expected_digest(const struct attached_rom *rom)
{
	static char hex[SHA256_HEX];

	if (rom->size < 64)
		return NULL;
	for (int i = 0; i < 64; i++) {
		char c = rom->data[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return NULL;
		hex[i] = c;
	}
	if (rom->size > 64 && rom->data[64] != ' ')
		return NULL;
	hex[64] = 0;
	return hex;
}

static void test_round_trip(void)
{
	size_t n = 64 * 1024, used = 0;
	char *text = malloc(n);
	uLongf packed_len = compressBound(n), back_len = n;
	unsigned char *packed = malloc(packed_len), *back = malloc(n);

	if (!text || !packed || !back) {
		CHECK_CASE("ZLIB_0005", "memory for the round trip", 0);
		goto out;
	}
	for (int i = 0; used + 64 < n; i++)
		used += (size_t)snprintf(text + used, n - used, "line %d: %x %o\n", i, i * 7919u, i * 31u);
	int st = compress2(packed, &packed_len, (unsigned char *)text, used, Z_BEST_COMPRESSION);
	CHECK_CASE("ZLIB_0005", "compress2 deflates and shrinks text", st == Z_OK && packed_len < used / 2);
	st = uncompress(back, &back_len, packed, packed_len);
	CHECK_CASE("ZLIB_0006", "uncompress gives the text back", st == Z_OK && back_len == used &&
	      !memcmp(back, text, used));
	back_len = n;
	st = uncompress(back, &back_len, packed, packed_len / 2);
	CHECK_CASE("ZLIB_0007", "half a zlib stream is refused", st != Z_OK);
out:
	free(text);
	free(packed);
	free(back);
}

void component_construct(struct component_env *env)
{
	struct attached_rom gz, sum;
	rpc_status_t st;
	const char *want;
	struct result r;

	(void)env;
	if ((st = attached_rom_open(&sum, "sample.sha256")) != RPC_OK ||
	    (st = attached_rom_open(&gz, "sample.gz")) != RPC_OK) {
		printf("zlib_test: ROM sample.sha256 or sample.gz: %s\n", rpc_status_name(st));
		exit(2);
	}
	if (!(want = expected_digest(&sum))) {
		printf("zlib_test: sample.sha256 is not a line of sha256sum\n");
		exit(2);
	}
	printf("zlib_test: zlib %s, sample.gz %lu bytes\n", zlibVersion(), (unsigned long)gz.size);

	r = gunzip_sha256((const unsigned char *)gz.data, gz.size);
	if (r.status != Z_STREAM_END)
		printf("zlib_test: sample.gz: error %d (%s)\n", r.status, r.msg ? r.msg : "?");
	CHECK_CASE("ZLIB_0001", "the sample inflates to its end, every byte consumed",
	      r.status == Z_STREAM_END && r.in == gz.size);
	CHECK_CASE("ZLIB_0002", "the inflated sample has sha256sum's digest", !strcmp(r.hex, want));
	if (r.status == Z_STREAM_END && !strcmp(r.hex, want))
		printf("zlib_test: sample.gz: %lu bytes inflated to %lu, sha256 %s as expected\n",
		       (unsigned long)r.in, (unsigned long)r.out, r.hex);

	/* a copy with one bit flipped in the middle of the deflate data */
	unsigned char *bad = malloc(gz.size);
	if (bad) {
		memcpy(bad, gz.data, gz.size);
		bad[gz.size / 2] ^= 0x10;
		r = gunzip_sha256(bad, gz.size);
		printf("zlib_test: one bit flipped: error %d (%s)\n", r.status, r.msg ? r.msg : "?");
		CHECK_CASE("ZLIB_0003", "a flipped bit is an error", r.status != Z_STREAM_END && r.msg);
		free(bad);
	} else {
		CHECK_CASE("ZLIB_0003", "memory for a corrupted copy", 0);
	}
	r = gunzip_sha256((const unsigned char *)gz.data, gz.size - 9);
	CHECK_CASE("ZLIB_0004", "a truncated stream is an error", r.status != Z_STREAM_END && r.msg);

	test_round_trip();
	exit(test_done("zlib_test") ? 1 : 0);
}
