// sources: base/src/string.c
/*
 * Host unit tests of base's memory functions (base/src/string.c): memcpy,
 * memmove and memset against plain byte loops for every length up to a
 * few hundred bytes (and some larger) at every alignment of source and
 * destination, with guard bytes around the destination that must stay;
 * memmove for overlaps in both directions.
 *
 * Area: BASESTR.
 */
#include <harness.h>
#include <argil/string.h>
#include <stdint.h>

#define GUARD 32
#define MAXN 4200

static uint8_t src_buf[MAXN + 2 * GUARD], dst_buf[MAXN + 2 * GUARD], ref_buf[MAXN + 2 * GUARD];
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint8_t next_byte(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)(rng >> 24);
}

/* the references: byte by byte, through volatile so that the compiler
 * does not turn them into calls of the functions under test */
static void ref_copy(volatile uint8_t *d, const volatile uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
}

static void fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = next_byte();
}

static int same(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static const size_t large[] = { 511, 512, 513, 1460, 1514, 1518, 4095, 4096, 4097, MAXN - 16 };

static size_t length(unsigned i)
{
	return i <= 300 ? i : large[i - 301];
}

#define LENGTHS (301 + sizeof(large) / sizeof(large[0]))

TEST(BASESTR_0001, "memcpy equals a byte copy for lengths 0..300 and up to 4 KiB, every alignment")
{
	for (unsigned li = 0; li < LENGTHS; li++) {
		size_t n = length(li);
		for (unsigned so = 0; so < 16; so++)
			for (unsigned dof = 0; dof < 16; dof++) {
				/* the large lengths at fewer alignments */
				if (n > 300 && (so % 3 || dof % 5))
					continue;
				fill(src_buf, sizeof(src_buf));
				fill(dst_buf, sizeof(dst_buf));
				ref_copy(ref_buf, dst_buf, sizeof(dst_buf));
				ref_copy(ref_buf + GUARD + dof, src_buf + GUARD + so, n);
				CHECK(memcpy(dst_buf + GUARD + dof, src_buf + GUARD + so, n) ==
				      dst_buf + GUARD + dof);
				if (!same(dst_buf, ref_buf, sizeof(dst_buf)))
					CHECK_EQ(n * 256 + so * 16 + dof, 0);
			}
	}
}

TEST(BASESTR_0002, "memcpy_bulk equals a byte copy at every alignment")
{
	for (unsigned li = 0; li < LENGTHS; li += 7) {
		size_t n = length(li);
		for (unsigned so = 0; so < 16; so++)
			for (unsigned dof = 0; dof < 16; dof++) {
				fill(src_buf, sizeof(src_buf));
				fill(dst_buf, sizeof(dst_buf));
				ref_copy(ref_buf, dst_buf, sizeof(dst_buf));
				ref_copy(ref_buf + GUARD + dof, src_buf + GUARD + so, n);
				CHECK(memcpy_bulk(dst_buf + GUARD + dof, src_buf + GUARD + so, n) ==
				      dst_buf + GUARD + dof);
				if (!same(dst_buf, ref_buf, sizeof(dst_buf)))
					CHECK_EQ(n * 256 + so * 16 + dof, 0);
			}
	}
}

TEST(BASESTR_0003, "memmove equals a copy through a temporary for overlaps both ways and apart")
{
	static uint8_t tmp[MAXN];

	for (unsigned li = 0; li < LENGTHS; li++) {
		size_t n = length(li);
		if (n > 2000)
			continue;
		for (unsigned a = 0; a < 24; a++)
			for (unsigned b = 0; b < 24; b++) {
				/* both inside one buffer: b > a moves up over itself,
				 * b < a down; a distance of 0 leaves it as it is */
				fill(dst_buf, sizeof(dst_buf));
				ref_copy(ref_buf, dst_buf, sizeof(dst_buf));
				ref_copy(tmp, ref_buf + GUARD + a, n);
				ref_copy(ref_buf + GUARD + b, tmp, n);
				CHECK(memmove(dst_buf + GUARD + b, dst_buf + GUARD + a, n) ==
				      dst_buf + GUARD + b);
				if (!same(dst_buf, ref_buf, sizeof(dst_buf)))
					CHECK_EQ(n * 256 + a * 16 + b, 0);
			}
	}
	/* far apart: a plain copy */
	fill(src_buf, sizeof(src_buf));
	fill(dst_buf, sizeof(dst_buf));
	ref_copy(ref_buf, dst_buf, sizeof(dst_buf));
	ref_copy(ref_buf + GUARD + 3, src_buf + GUARD + 5, 1000);
	memmove(dst_buf + GUARD + 3, src_buf + GUARD + 5, 1000);
	CHECK(same(dst_buf, ref_buf, sizeof(dst_buf)));
}

TEST(BASESTR_0004, "memset equals a byte loop for every length, alignment and byte value class")
{
	static const int values[] = { 0, 1, 0x5a, 0x80, 0xff, -1, 0x1ab };

	for (unsigned li = 0; li < LENGTHS; li++) {
		size_t n = length(li);
		for (unsigned off = 0; off < 16; off++)
			for (unsigned v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
				volatile uint8_t *r = ref_buf;
				fill(dst_buf, sizeof(dst_buf));
				ref_copy(ref_buf, dst_buf, sizeof(dst_buf));
				for (size_t i = 0; i < n; i++)
					r[GUARD + off + i] = (uint8_t)values[v];
				CHECK(memset(dst_buf + GUARD + off, values[v], n) == dst_buf + GUARD + off);
				if (!same(dst_buf, ref_buf, sizeof(dst_buf)))
					CHECK_EQ(n * 256 + off * 16 + v, 0);
			}
	}
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
