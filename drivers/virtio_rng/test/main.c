/*
 * entropy_test: a client of virtio_rng's Entropy sessions
 * (run/virtio_rng_test): bytes arrive, look random (every byte value in
 * 64 KiB, no long runs), two sessions get different bytes, bad counts are
 * refused. Prints "entropy_test: N passed, N failed" and exits.
 */
#include <argil/component.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <entropy_session.h>

#define BIG (64 * 1024)

static int passed, failed;
static const char *current;
static uint8_t a[BIG], b[BIG];
static struct entropy_connection s1, s2;

#define CHECK(e)                                                                    \
	do {                                                                        \
		if (!(e)) {                                                         \
			log("FAIL %s: line %d: %s", current, __LINE__, #e);         \
			return false;                                               \
		}                                                                   \
	} while (0)

/* the longest run of one byte value */
static unsigned longest_run(const uint8_t *p, size_t n)
{
	unsigned best = 0, run = 0;

	for (size_t i = 0; i < n; i++) {
		run = i && p[i] == p[i - 1] ? run + 1 : 1;
		if (run > best)
			best = run;
	}
	return best;
}

static bool ent_0001(void)
{
	unsigned seen[256] = { 0 }, values = 0;

	CHECK(entropy_read(&s1, a, BIG) == RPC_OK);
	for (size_t i = 0; i < BIG; i++)
		seen[a[i]]++;
	for (int v = 0; v < 256; v++)
		values += seen[v] != 0;
	/* 64 KiB of random bytes miss a value with probability ~ 256 e^-256 */
	CHECK(values == 256);
	/* a run of 8 equal bytes: probability ~ 2^-50 in 64 KiB */
	CHECK(longest_run(a, BIG) < 8);
	return true;
}

static bool ent_0002(void)
{
	size_t same = 0;

	CHECK(entropy_read(&s2, b, BIG) == RPC_OK);
	CHECK(entropy_read(&s1, a, 4096) == RPC_OK);
	for (size_t i = 0; i < 4096; i++)
		same += a[i] == b[i];
	/* independent bytes agree about 16 times in 4096 */
	CHECK(same < 100);
	CHECK(memcmp(a, b, 32) != 0);
	return true;
}

static bool ent_0003(void)
{
	word_t got = 1;

	CHECK(entropy_get(s1.session, 0, &got) == RPC_E_INVALID_ARGUMENT);
	CHECK(entropy_get(s1.session, ENTROPY_MAX + 1, &got) == RPC_E_INVALID_ARGUMENT);
	CHECK(entropy_get(s1.session, 1, &got) == RPC_OK);
	CHECK(got == 1);
	CHECK(entropy_get(s1.session, ENTROPY_MAX, &got) == RPC_OK);
	CHECK(got == ENTROPY_MAX);
	return true;
}

static bool ent_0004(void)
{
	struct entropy_connection s3;
	uint8_t x[64], y[64];

	/* a session closed and a new one opened: fresh bytes, not a replay */
	CHECK(entropy_connect(&s3, "third") == RPC_OK);
	CHECK(entropy_read(&s3, x, sizeof(x)) == RPC_OK);
	entropy_disconnect(&s3);
	CHECK(entropy_connect(&s3, "third") == RPC_OK);
	CHECK(entropy_read(&s3, y, sizeof(y)) == RPC_OK);
	CHECK(memcmp(x, y, sizeof(x)) != 0);
	entropy_disconnect(&s3);
	return true;
}

static const struct {
	const char *id, *desc;
	bool (*fn)(void);
} cases[] = {
	{ "ENT_0001", "64 KiB arrive with every byte value and no long runs", ent_0001 },
	{ "ENT_0002", "two sessions get different bytes", ent_0002 },
	{ "ENT_0003", "counts of 0 and beyond ENTROPY_MAX are refused, the limits work", ent_0003 },
	{ "ENT_0004", "a new session after a closed one gets fresh bytes", ent_0004 },
};

void component_construct(struct component_env *env)
{
	(void)env;
	if (entropy_connect(&s1, "one") != RPC_OK || entropy_connect(&s2, "two") != RPC_OK) {
		log("entropy_test: no Entropy session");
		log("entropy_test: 0 passed, 1 failed");
		component_exit(1);
	}
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		current = cases[i].id;
		if (cases[i].fn()) {
			log("ok %s %s", cases[i].id, cases[i].desc);
			passed++;
		} else {
			failed++;
		}
	}
	log("entropy_test: %d passed, %d failed", passed, failed);
	component_exit(failed ? 1 : 0);
}
