// sources: base/src/args.c base/src/rpc_msg.c base/src/slot.c
// cflags: -Ibase/arch/x86_64/include
/*
 * Host unit tests of base's portable parts: session argument strings
 * (base/src/args.c), RPC string packing (base/src/rpc_msg.c) and the slot
 * allocator (base/src/slot.c).
 *
 * Areas: ARGS, PACK, SLOT.
 */
#include <harness.h>
#include <argil/args.h>
#include <argil/rpc.h>
#include <argil/slot.h>

TEST(ARGS_0001, "values: plain, quoted, blanks trimmed, first match wins")
{
	char b[32];

	CHECK(args_get("label=abc", "label", b, sizeof(b)) && !strcmp(b, "abc"));
	CHECK(args_get(" a = 1 , b=2 ", "b", b, sizeof(b)) && !strcmp(b, "2"));
	CHECK(args_get(" a = 1 , b=2 ", "a", b, sizeof(b)) && !strcmp(b, "1"));
	CHECK(args_get("l=\"x, y=z\", k=v", "k", b, sizeof(b)) && !strcmp(b, "v"));
	CHECK(args_get("l=\"x, y=z\", k=v", "l", b, sizeof(b)) && !strcmp(b, "x, y=z"));
	CHECK(args_get("x=1, x=2", "x", b, sizeof(b)) && !strcmp(b, "1"));
	CHECK(args_get("x=", "x", b, sizeof(b)) && !strcmp(b, ""));
}

TEST(ARGS_0002, "absent, prefix of another key, without '=', too long, unterminated")
{
	char b[4];

	CHECK(!args_get("", "x", b, sizeof(b)));
	CHECK(!args_get(NULL, "x", b, sizeof(b)));
	CHECK(!args_get("xx=1", "x", b, sizeof(b)));
	CHECK(!args_get("x", "x", b, sizeof(b)));
	CHECK(!args_get("x=1234", "x", b, sizeof(b)));
	CHECK(!args_get("x=\"12", "x", b, sizeof(b)));
	CHECK(!args_get("=1, ,,", "x", b, sizeof(b)));
}

TEST(ARGS_0003, "numbers: decimal, hex, K/M/G, overflow and junk are malformed")
{
	uint64_t v;

	CHECK_EQ(args_u64("n=42", "n", 0, &v), 1);
	CHECK_EQ(v, 42);
	CHECK_EQ(args_u64("n=0x2A", "n", 0, &v), 1);
	CHECK_EQ(v, 42);
	CHECK_EQ(args_u64("n=3K", "n", 0, &v), 1);
	CHECK_EQ(v, 3072);
	CHECK_EQ(args_u64("n=2G", "n", 0, &v), 1);
	CHECK_EQ(v, 2ull << 30);
	CHECK_EQ(args_u64("n=18446744073709551615", "n", 0, &v), 1);
	CHECK_EQ(v, ~0ull);
	CHECK_EQ(args_u64("n=18446744073709551616", "n", 7, &v), -1);
	CHECK_EQ(v, 7);
	CHECK_EQ(args_u64("n=0x", "n", 7, &v), -1);
	CHECK_EQ(args_u64("n=", "n", 7, &v), -1);
	CHECK_EQ(args_u64("n=1KB", "n", 7, &v), -1);
	CHECK_EQ(args_u64("n=-1", "n", 7, &v), -1);
	CHECK_EQ(args_u64("n=17179869184G", "n", 7, &v), -1);
	CHECK_EQ(args_u64("m=1", "n", 7, &v), 0);
	CHECK_EQ(v, 7);
	CHECK(args_parse_u64("0x10", &v) && v == 16);
	CHECK(!args_parse_u64("1 ", &v));
}

TEST(PACK_0001, "strings round-trip at every length up to RPC_STR_MAX")
{
	static struct rpc_msg m;
	char s[RPC_STR_MAX + 1], out[RPC_STR_MAX + 1];

	for (size_t n = 0; n <= RPC_STR_MAX; n++) {
		for (size_t i = 0; i < n; i++)
			s[i] = (char)('a' + (i * 7 + n) % 26);
		s[n] = 0;
		rpc_init(&m, 1);
		CHECK(rpc_put_str(&m, s));
		CHECK_EQ(m.len, 1 + (n + 7) / 8);
		word_t pos = 0;
		CHECK_EQ(rpc_get_str(&m, &pos, out, sizeof(out)), RPC_OK);
		CHECK_EQ(pos, m.len);
		CHECK(!strcmp(out, s));
	}
}

TEST(PACK_0002, "malformed strings: length beyond the message or buffer, NUL inside")
{
	static struct rpc_msg m;
	char out[16];
	word_t pos;

	rpc_init(&m, 1);
	rpc_put(&m, 9);
	rpc_put(&m, 0x4141414141414141ull);
	pos = 0;
	CHECK_EQ(rpc_get_str(&m, &pos, out, sizeof(out)), RPC_E_INVALID_ARGUMENT);
	CHECK_EQ(pos, 0);
	rpc_init(&m, 1);
	rpc_put(&m, ~0ull);
	pos = 0;
	CHECK_EQ(rpc_get_str(&m, &pos, out, sizeof(out)), RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, 1);
	CHECK(rpc_put_str(&m, "0123456789abcdef"));
	pos = 0;
	CHECK_EQ(rpc_get_str(&m, &pos, out, 16), RPC_E_INVALID_ARGUMENT);
	pos = 0;
	CHECK_EQ(rpc_get_str(&m, &pos, out, 0), RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, 1);
	rpc_put(&m, 2);
	rpc_put(&m, 0x4100);
	pos = 0;
	CHECK_EQ(rpc_get_str(&m, &pos, out, sizeof(out)), RPC_E_INVALID_ARGUMENT);
	pos = 5;
	CHECK_EQ(rpc_get_str(&m, &pos, out, sizeof(out)), RPC_E_INVALID_ARGUMENT);
}

TEST(PACK_0003, "a full message refuses more words and strings")
{
	static struct rpc_msg m;

	rpc_init(&m, 1);
	for (int i = 0; i < RPC_MAX_WORDS - 1; i++)
		CHECK(rpc_put(&m, 1));
	CHECK(!rpc_put_str(&m, "x"));   /* needs two words */
	CHECK(rpc_put_str(&m, ""));     /* one word */
	CHECK(!rpc_put(&m, 1));
	CHECK_EQ(rpc_word(&m, RPC_MAX_WORDS), 0);
	CHECK(rpc_status_name(RPC_E_DELETED) && !strcmp(rpc_status_name(RPC_E_DELETED), "RPC_E_DELETED"));
	CHECK(!strcmp(rpc_status_name((rpc_status_t)1000), "RPC_E_<unknown>"));
}

TEST(PACK_0004, "every status has words for people, an unknown one too")
{
	for (int s = 0; s < RPC_E_COUNT; s++)
		CHECK(rpc_status_text((rpc_status_t)s) && rpc_status_text((rpc_status_t)s)[0]);
	CHECK(!strcmp(rpc_status_text(RPC_E_NOT_FOUND), "not found"));
	CHECK(!strcmp(rpc_status_text(RPC_E_NO_RAM_QUOTA), "not enough RAM quota"));
	CHECK(!strcmp(rpc_status_text((rpc_status_t)1000), "unknown error"));
}

TEST(SLOT_0001, "the slot allocator: lowest free first, free and reuse, exhaustion")
{
	static struct slot_alloc a;

	slot_alloc_init(&a, 16, 200);
	CHECK_EQ(slot_free_count(&a), 184);
	for (word_t i = 16; i < 200; i++)
		CHECK_EQ(slot_alloc(&a), i);
	CHECK_EQ(slot_alloc(&a), 0);
	CHECK_EQ(slot_free_count(&a), 0);
	slot_free(&a, 100);
	slot_free(&a, 50);
	CHECK_EQ(slot_alloc(&a), 50);
	CHECK_EQ(slot_alloc(&a), 100);
	slot_free(&a, 7);     /* outside: ignored */
	slot_free(&a, 4000);
	slot_free(&a, 60);
	slot_free(&a, 60);    /* twice: counted once */
	CHECK_EQ(slot_free_count(&a), 1);
	CHECK(!slot_is_used(&a, 60));
	CHECK(slot_is_used(&a, 61));
}

TEST(SLOT_0002, "a range larger than the bitmap is clamped")
{
	static struct slot_alloc a;

	slot_alloc_init(&a, 16, 1u << 20);
	CHECK_EQ(a.end, 1u << SLOT_ALLOC_MAX_BITS);
	word_t n = 0;
	while (slot_alloc(&a))
		n++;
	CHECK_EQ(n, (1u << SLOT_ALLOC_MAX_BITS) - 16);
}

TEST(SLOT_0003, "added ranges: used once the first is full, freed and reused, counted, exhausted")
{
	static struct slot_alloc a;
	static struct slot_chunk c1, c2;

	slot_alloc_init(&a, 16, 20);
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(slot_alloc(&a), 16 + i);
	CHECK_EQ(slot_alloc(&a), 0);
	slot_alloc_add(&a, &c1, 4096, 3);
	CHECK_EQ(slot_free_count(&a), 3);
	CHECK_EQ(slot_alloc(&a), 4096);
	CHECK_EQ(slot_alloc(&a), 4097);
	CHECK(slot_is_used(&a, 4097) && !slot_is_used(&a, 4098) && !slot_is_used(&a, 4099));
	slot_alloc_add(&a, &c2, 8192, SLOT_CHUNK_MAX + 5);   /* clamped */
	CHECK_EQ(slot_free_count(&a), 1 + SLOT_CHUNK_MAX);
	slot_free(&a, 4096);
	slot_free(&a, 4096);                                  /* twice: nothing */
	slot_free(&a, 5000);                                  /* not in any range: nothing */
	CHECK_EQ(slot_free_count(&a), 2 + SLOT_CHUNK_MAX);
	slot_free(&a, 17);
	CHECK_EQ(slot_alloc(&a), 17);                         /* the first range first */
	cptr_t got = slot_alloc(&a);
	CHECK(got == 4096 || got == 8192);
	unsigned n = 1;
	while (slot_alloc(&a))
		n++;
	CHECK_EQ(n, 2 + SLOT_CHUNK_MAX);
	CHECK_EQ(slot_free_count(&a), 0);
	CHECK(slot_is_used(&a, 8192 + SLOT_CHUNK_MAX - 1) && !slot_is_used(&a, 8192 + SLOT_CHUNK_MAX));
}

int main(int argc, char **argv) { return test_main(argc, argv); }
