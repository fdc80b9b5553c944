// sources: lib/sha256/sha256.c
// cflags: -Ilib/sha256/include
/*
 * Host unit tests of SHA-256 (lib/sha256): the examples of FIPS 180-4's
 * companion document, and for every length that meets a padding boundary
 * and some long ones, the digest that the host's sha256sum computes of the
 * same bytes; the digest does not depend on how the input is split.
 *
 * Area: SHA.
 */
#include <harness.h>
#include <unistd.h>
#include <sha256.h>

static void digest_hex(const void *data, size_t n, char hex[SHA256_HEX])
{
	struct sha256 s;
	uint8_t d[SHA256_DIGEST];

	sha256_init(&s);
	sha256_update(&s, data, n);
	sha256_final(&s, d);
	sha256_hex(d, hex);
}

/* sha256sum's digest of data, through a temporary file */
static int sha256sum_hex(const void *data, size_t n, char hex[SHA256_HEX])
{
	char path[] = "/tmp/argil-sha256-XXXXXX", cmd[64];
	int fd = mkstemp(path), ok = 0;
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;

	if (!f)
		return 0;
	ok = fwrite(data, 1, n, f) == n;
	fclose(f);
	snprintf(cmd, sizeof(cmd), "sha256sum %s", path);
	FILE *p = ok ? popen(cmd, "r") : NULL;
	ok = p && fscanf(p, "%64s", hex) == 1 && strlen(hex) == 64;
	if (p)
		pclose(p);
	unlink(path);
	return ok;
}

/* bytes that are not a repeating pattern (a 32-bit LCG's high bytes) */
static uint8_t *pseudo_random(size_t n, uint32_t seed)
{
	uint8_t *p = test_alloc(16, n ? n : 1);

	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 24);
	}
	return p;
}

TEST(SHA_0001, "FIPS 180-4 examples: \"abc\", the empty message, the 448-bit message")
{
	char hex[SHA256_HEX];

	digest_hex("abc", 3, hex);
	CHECK(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
	digest_hex("", 0, hex);
	CHECK(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	digest_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	CHECK(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
}

TEST(SHA_0002, "FIPS 180-4 example: one million 'a', fed in pieces of 1000")
{
	struct sha256 s;
	uint8_t d[SHA256_DIGEST];
	char a[1000], hex[SHA256_HEX];

	memset(a, 'a', sizeof(a));
	sha256_init(&s);
	for (int i = 0; i < 1000; i++)
		sha256_update(&s, a, sizeof(a));
	sha256_final(&s, d);
	sha256_hex(d, hex);
	CHECK(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

TEST(SHA_0003, "every length 0-200 (all padding cases) agrees with sha256sum")
{
	uint8_t *data = pseudo_random(200, 1);
	char mine[SHA256_HEX], theirs[SHA256_HEX];

	for (size_t n = 0; n <= 200; n++) {
		digest_hex(data, n, mine);
		CHECK_MSG(sha256sum_hex(data, n, theirs), "sha256sum did not run");
		CHECK_MSG(!strcmp(mine, theirs), "length %zu: %s, sha256sum %s", n, mine, theirs);
	}
}

TEST(SHA_0004, "long inputs (1 MiB + 7, 65536, 4095 bytes) agree with sha256sum")
{
	static const size_t lengths[] = { (1 << 20) + 7, 65536, 4095 };
	char mine[SHA256_HEX], theirs[SHA256_HEX];

	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		uint8_t *data = pseudo_random(lengths[i], (uint32_t)i + 7);
		digest_hex(data, lengths[i], mine);
		CHECK_MSG(sha256sum_hex(data, lengths[i], theirs), "sha256sum did not run");
		CHECK_MSG(!strcmp(mine, theirs), "length %zu: %s, sha256sum %s", lengths[i], mine, theirs);
	}
}

TEST(SHA_0005, "the digest does not depend on how the input is split")
{
	uint8_t *data = pseudo_random(3000, 99);
	uint8_t d[SHA256_DIGEST];
	char whole[SHA256_HEX], split[SHA256_HEX];
	static const size_t steps[] = { 1, 3, 63, 64, 65, 127, 1000 };

	digest_hex(data, 3000, whole);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct sha256 s;

		sha256_init(&s);
		for (size_t off = 0; off < 3000; off += steps[i])
			sha256_update(&s, data + off, 3000 - off < steps[i] ? 3000 - off : steps[i]);
		sha256_final(&s, d);
		sha256_hex(d, split);
		CHECK_MSG(!strcmp(whole, split), "pieces of %zu: %s, whole %s", steps[i], split, whole);
	}
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
