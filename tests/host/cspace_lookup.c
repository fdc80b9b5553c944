// hosttest-sources: kernel/src/cspace.c
// hosttest-cflags: -Ikernel/arch/x86_64/include
/*
 * Host unit tests of kernel/src/cspace.c: resolving capability addresses
 * through CNodes with guards and radices; slot lookups to an exact depth
 * versus depth-64 cap lookups that stop at a non-CNode cap; every lookup
 * failure kind; radix-0 CNodes and the zero-bit CNode loop protection.
 *
 * CSpaces here are plain CNode memory (aligned_alloc) with caps written
 * straight into the slots: lookups do not look at the derivation list.
 */
#include <harness.h>

#include <types.h>
#include <cspace.h>

static struct cte *new_cnode(unsigned radix)
{
	size_t bytes = (size_t)1 << (OBJ_CNODE_SLOT_BITS + radix);
	return test_alloc(bytes, bytes);
}

static struct cap cn_cap(struct cte *slots, unsigned radix, unsigned guard_size, uint64_t guard)
{
	struct cap c = cap_make(OBJ_CNODE, RIGHTS_ALL, (uint64_t)slots, guard);
	cap_set_bits(&c, radix);
	cap_set_guard_size(&c, guard_size);
	return c;
}

/* An endpoint cap whose object pointer is only a tag. */
static struct cap ep(uint64_t tag) { return cap_make(OBJ_ENDPOINT, RIGHTS_ALL, tag, 0); }

#define CHECK_SLOT(l, s)                                                      \
	do {                                                                  \
		struct lookup l_ = (l);                                       \
		CHECK_EQ(l_.err, E_OK);                                       \
		CHECK_EQ(l_.fault, LF_NONE);                                  \
		CHECK_EQ(l_.slot, (s));                                       \
	} while (0)

#define CHECK_FAULT(l, f)                                                     \
	do {                                                                  \
		struct lookup l_ = (l);                                       \
		CHECK_EQ(l_.err, E_FAILED_LOOKUP);                            \
		CHECK_EQ(l_.fault, (f));                                      \
		CHECK_EQ(l_.slot, NULL);                                      \
	} while (0)

/* ---- root-task style: one CNode, guard makes up 64 bits ----------------- */

TEST(CSPACE_0001, "root-task CSpace (radix 12, guard size 52): a cptr is the slot index at depth 64")
{
	struct cte *cn = new_cnode(12);
	struct cap root = cn_cap(cn, 12, 52, 0);
	static const uint64_t idx[] = { 0, 1, 2, 7, 8, 100, 2048, 4095 };
	for (unsigned i = 0; i < ARRAY_SIZE(idx); i++) {
		cn[idx[i]].cap = ep(0x1000 + idx[i]);
		CHECK_SLOT(cspace_lookup_slot(&root, idx[i], 64), &cn[idx[i]]);
		CHECK_SLOT(cspace_lookup_cap(&root, idx[i]), &cn[idx[i]]);
	}
}

TEST(CSPACE_0002, "root-task CSpace: any bit above the radix is a guard mismatch")
{
	struct cte *cn = new_cnode(12);
	struct cap root = cn_cap(cn, 12, 52, 0);
	cn[5].cap = ep(1);
	for (unsigned bit = 12; bit < 64; bit++) {
		uint64_t cptr = 5 | (1ull << bit);
		CHECK_MSG(cspace_lookup_cap(&root, cptr).fault == LF_GUARD_MISMATCH, "bit %u", bit);
		CHECK_FAULT(cspace_lookup_slot(&root, cptr, 64), LF_GUARD_MISMATCH);
	}
	CHECK_FAULT(cspace_lookup_cap(&root, ~0ull), LF_GUARD_MISMATCH);
}

TEST(CSPACE_0003, "root-task style CSpaces of every radix 1..16: last slot found, bit 'radix' is a guard mismatch")
{
	for (unsigned r = 1; r <= 16; r++) {
		struct cte *cn = new_cnode(r);
		struct cap root = cn_cap(cn, r, 64 - r, 0);
		uint64_t last = (1ull << r) - 1;
		cn[last].cap = ep(r);
		CHECK_MSG(cspace_lookup_cap(&root, last).slot == &cn[last], "radix %u", r);
		CHECK_MSG(cspace_lookup_slot(&root, 0, 64).slot == &cn[0], "radix %u", r);
		CHECK_MSG(cspace_lookup_cap(&root, 0).fault == LF_MISSING_CAP, "radix %u", r);
		CHECK_MSG(cspace_lookup_cap(&root, last + 1).fault == LF_GUARD_MISMATCH, "radix %u", r);
	}
}

/* ---- guards --------------------------------------------------------------- */

TEST(CSPACE_0004, "a non-zero guard matches only its exact value")
{
	struct cte *cn = new_cnode(4);
	struct cap root = cn_cap(cn, 4, 8, 0xa5);
	cn[3].cap = ep(3);
	CHECK_SLOT(cspace_lookup_slot(&root, 0xa53, 12), &cn[3]);
	CHECK_SLOT(cspace_lookup_cap(&root, 0xa53ull << 52), &cn[3]);
	CHECK_FAULT(cspace_lookup_slot(&root, 0xa43, 12), LF_GUARD_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&root, 0x253, 12), LF_GUARD_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&root, 0xa52 ^ 0x010, 12), LF_GUARD_MISMATCH);
	CHECK_FAULT(cspace_lookup_cap(&root, 0xa53), LF_GUARD_MISMATCH);   /* guard read from the top */
}

TEST(CSPACE_0005, "guard bits stored above the guard size are not compared")
{
	struct cte *cn = new_cnode(4);
	struct cap root = cn_cap(cn, 4, 4, 0xf0 | 0x6);
	cn[1].cap = ep(1);
	CHECK_SLOT(cspace_lookup_slot(&root, 0x61, 8), &cn[1]);
}

TEST(CSPACE_0006, "a 64-bit guard on a radix-0 CNode: only that exact cptr resolves")
{
	struct cte *cn = new_cnode(0);
	const uint64_t g = 0xdeadbeefcafef00dull;
	struct cap root = cn_cap(cn, 0, 64, g);
	cn[0].cap = ep(9);
	CHECK_SLOT(cspace_lookup_cap(&root, g), &cn[0]);
	CHECK_SLOT(cspace_lookup_slot(&root, g, 64), &cn[0]);
	for (unsigned bit = 0; bit < 64; bit++)
		CHECK_MSG(cspace_lookup_cap(&root, g ^ (1ull << bit)).fault == LF_GUARD_MISMATCH, "bit %u", bit);
}

TEST(CSPACE_0007, "radix-0 CNode with a guard: its single slot at the guard, anything else a guard mismatch")
{
	struct cte *cn = new_cnode(0);
	struct cap root = cn_cap(cn, 0, 8, 0x5a);
	cn[0].cap = ep(1);
	CHECK_SLOT(cspace_lookup_slot(&root, 0x5a, 8), &cn[0]);
	CHECK_FAULT(cspace_lookup_slot(&root, 0x5b, 8), LF_GUARD_MISMATCH);
	CHECK_SLOT(cspace_lookup_cap(&root, 0x5aull << 56), &cn[0]);   /* stops: the slot is no CNode */
	CHECK_FAULT(cspace_lookup_slot(&root, 0x5aull << 56, 64), LF_DEPTH_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&root, 0x5, 4), LF_DEPTH_MISMATCH);   /* 4 bits < 8 guard bits */
}

/* ---- several levels ------------------------------------------------------ */

/* root: radix 4, guard 0xa (4 bits); root[3] -> l2: radix 8, guard 48 bits of 0 */
struct two {
	struct cte *root_slots, *l2;
	struct cap root;
};
static struct two two_level(void)
{
	struct two t;
	t.root_slots = new_cnode(4);
	t.l2 = new_cnode(8);
	t.root = cn_cap(t.root_slots, 4, 4, 0xa);
	t.root_slots[3].cap = cn_cap(t.l2, 8, 48, 0);
	t.root_slots[4].cap = ep(4);
	t.l2[0x7f].cap = ep(0x7f);
	return t;
}

TEST(CSPACE_0008, "two levels with guards: depth-64 slot and cap lookups reach the second level")
{
	struct two t = two_level();
	uint64_t cptr = (0xa3ull << 56) | 0x7f;
	CHECK_SLOT(cspace_lookup_slot(&t.root, cptr, 64), &t.l2[0x7f]);
	CHECK_SLOT(cspace_lookup_cap(&t.root, cptr), &t.l2[0x7f]);
	CHECK_SLOT(cspace_lookup_slot(&t.root, (0xa3ull << 56) | 0xff, 64), &t.l2[0xff]);
	CHECK_FAULT(cspace_lookup_cap(&t.root, (0xa3ull << 56) | 0xff), LF_MISSING_CAP);
}

TEST(CSPACE_0009, "two levels: a guard mismatch at the second level")
{
	struct two t = two_level();
	for (unsigned bit = 8; bit < 56; bit += 5)
		CHECK_MSG(cspace_lookup_cap(&t.root, (0xa3ull << 56) | (1ull << bit) | 0x7f).fault == LF_GUARD_MISMATCH,
			  "bit %u", bit);
	CHECK_FAULT(cspace_lookup_cap(&t.root, (0xb3ull << 56) | 0x7f), LF_GUARD_MISMATCH);   /* first level */
}

TEST(CSPACE_0010, "slot lookup to an exact depth ending at a CNode cap returns that slot, not the CNode's contents")
{
	struct two t = two_level();
	CHECK_SLOT(cspace_lookup_slot(&t.root, 0xa3, 8), &t.root_slots[3]);
	struct cte *a = new_cnode(8), *b = new_cnode(8);
	struct cap r = cn_cap(a, 8, 0, 0);
	a[0x12].cap = cn_cap(b, 8, 0, 0);
	b[0x34].cap = ep(1);
	CHECK_SLOT(cspace_lookup_slot(&r, 0x12, 8), &a[0x12]);
	CHECK_SLOT(cspace_lookup_slot(&r, 0x1234, 16), &b[0x34]);
	CHECK_SLOT(cspace_lookup_slot(&r, 0x1233, 16), &b[0x33]);   /* empty: fine for a slot */
}

TEST(CSPACE_0011, "too few bits: a depth that ends inside a level is a depth mismatch")
{
	struct two t = two_level();
	CHECK_FAULT(cspace_lookup_slot(&t.root, 0x53, 7), LF_DEPTH_MISMATCH);          /* 7 bits < 8 */
	CHECK_FAULT(cspace_lookup_slot(&t.root, 0xa3f, 12), LF_DEPTH_MISMATCH);        /* 4 left, l2 needs 56 */
	CHECK_FAULT(cspace_lookup_slot(&t.root, (0xa3ull << 48) | 0x7f, 56), LF_DEPTH_MISMATCH);
	struct cte *a = new_cnode(8), *b = new_cnode(8);
	struct cap r = cn_cap(a, 8, 0, 0);
	a[0x12].cap = cn_cap(b, 8, 0, 0);
	CHECK_FAULT(cspace_lookup_slot(&r, 0x123, 12), LF_DEPTH_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&r, 0x1, 4), LF_DEPTH_MISMATCH);
	struct cte *b2 = new_cnode(8);
	a[0x13].cap = cn_cap(b2, 8, 50, 0);                                   /* needs 58 bits */
	CHECK_FAULT(cspace_lookup_cap(&r, 0x13ull << 56), LF_DEPTH_MISMATCH);   /* 56 left */
	CHECK_FAULT(cspace_lookup_slot(&r, 0x13ull << 56, 64), LF_DEPTH_MISMATCH);
}

TEST(CSPACE_0012, "too many bits: an exact lookup passing a non-CNode or empty slot is a depth mismatch")
{
	struct cte *a = new_cnode(8), *b = new_cnode(8);
	struct cap r = cn_cap(a, 8, 0, 0);
	a[0x12].cap = cn_cap(b, 8, 0, 0);
	a[0x13].cap = ep(1);
	b[0x34].cap = ep(2);
	CHECK_FAULT(cspace_lookup_slot(&r, 0x1300, 16), LF_DEPTH_MISMATCH);     /* endpoint */
	CHECK_FAULT(cspace_lookup_slot(&r, 0x1400, 16), LF_DEPTH_MISMATCH);     /* empty */
	CHECK_FAULT(cspace_lookup_slot(&r, 0x123400, 24), LF_DEPTH_MISMATCH);   /* past the second level */
	CHECK_FAULT(cspace_lookup_slot(&r, 0x13ull << 56, 64), LF_DEPTH_MISMATCH);
}

TEST(CSPACE_0013, "a cap lookup stops at the first non-CNode cap and ignores the bits left")
{
	struct cte *a = new_cnode(8), *b = new_cnode(8);
	struct cap r = cn_cap(a, 8, 0, 0);
	a[0x12].cap = cn_cap(b, 8, 48, 0);
	a[0x13].cap = ep(1);
	b[0x34].cap = ep(2);
	CHECK_SLOT(cspace_lookup_cap(&r, 0x13ull << 56), &a[0x13]);
	CHECK_SLOT(cspace_lookup_cap(&r, (0x13ull << 56) | 0x00ffffffffffffull), &a[0x13]);
	CHECK_SLOT(cspace_lookup_cap(&r, (0x12ull << 56) | 0x34), &b[0x34]);
	/* a frame, an untyped, a TCB: anything but a CNode stops the walk */
	a[0x20].cap = cap_make(OBJ_FRAME_4K, RIGHT_READ, 0x1000, 0);
	a[0x21].cap = cap_make(OBJ_UNTYPED, RIGHTS_ALL, 0x100000, 0);
	a[0x22].cap = cap_make(OBJ_TCB, RIGHTS_ALL, 0x2000, 0);
	for (uint64_t s = 0x20; s <= 0x22; s++)
		CHECK_SLOT(cspace_lookup_cap(&r, (s << 56) | 0x5555), &a[s]);
}

TEST(CSPACE_0014, "a depth-64 cap lookup whose bits run out exactly at a CNode cap returns that slot")
{
	struct cte *a = new_cnode(8), *b = new_cnode(4);
	struct cap r = cn_cap(a, 8, 56, 0);
	a[9].cap = cn_cap(b, 4, 60, 0);
	CHECK_SLOT(cspace_lookup_cap(&r, 9), &a[9]);
	CHECK_SLOT(cspace_lookup_slot(&r, 9, 64), &a[9]);
}

TEST(CSPACE_0015, "three levels of different radices: every slot of the last level is reached")
{
	/* 3 bits guard 5, radix 2 | guard 0 bits, radix 3 | guard 2 bits = 1, radix 5 => 15 bits */
	struct cte *l1 = new_cnode(2), *l2 = new_cnode(3), *l3 = new_cnode(5);
	struct cap r = cn_cap(l1, 2, 3, 5);
	l1[2].cap = cn_cap(l2, 3, 0, 0);
	l2[6].cap = cn_cap(l3, 5, 2, 1);
	for (uint64_t i = 0; i < 32; i++) {
		uint64_t cptr = (5ull << 12) | (2ull << 10) | (6ull << 7) | (1ull << 5) | i;
		CHECK_MSG(cspace_lookup_slot(&r, cptr, 15).slot == &l3[i], "slot %llu", (unsigned long long)i);
		l3[i].cap = ep(i);
		CHECK_MSG(cspace_lookup_cap(&r, cptr << 49).slot == &l3[i], "slot %llu", (unsigned long long)i);
	}
	CHECK_SLOT(cspace_lookup_slot(&r, (5ull << 2) | 2, 5), &l1[2]);
	CHECK_SLOT(cspace_lookup_slot(&r, (5ull << 5) | (2ull << 3) | 6, 8), &l2[6]);
}

TEST(CSPACE_0016, "a large root (radix 16, guard 48): first and last slots")
{
	struct cte *cn = new_cnode(16);
	struct cap root = cn_cap(cn, 16, 48, 0);
	cn[0].cap = ep(1);
	cn[0xffff].cap = ep(2);
	CHECK_SLOT(cspace_lookup_cap(&root, 0), &cn[0]);
	CHECK_SLOT(cspace_lookup_cap(&root, 0xffff), &cn[0xffff]);
	CHECK_FAULT(cspace_lookup_cap(&root, 0x10000), LF_GUARD_MISMATCH);
}

/* ---- failures ------------------------------------------------------------ */

TEST(CSPACE_0017, "an empty slot: LF_MISSING_CAP for cap lookups (at the end or with bits left), fine for slot lookups")
{
	struct cte *a = new_cnode(8);
	struct cap r = cn_cap(a, 8, 56, 0);
	CHECK_FAULT(cspace_lookup_cap(&r, 7), LF_MISSING_CAP);
	CHECK_SLOT(cspace_lookup_slot(&r, 7, 64), &a[7]);
	struct cap r2 = cn_cap(a, 8, 0, 0);
	CHECK_FAULT(cspace_lookup_cap(&r2, (7ull << 56) | 0x1234), LF_MISSING_CAP);
	CHECK_SLOT(cspace_lookup_slot(&r2, 7, 8), &a[7]);
}

TEST(CSPACE_0018, "a root that is not a CNode: LF_INVALID_ROOT for both lookups, before any depth check")
{
	struct cap roots[] = {
		cap_null(),
		ep(0x1000),
		cap_make(OBJ_UNTYPED, RIGHTS_ALL, 0x100000, 0),
		cap_make(OBJ_TCB, RIGHTS_ALL, 0x2000, 0),
		cap_make(CAP_ZOMBIE, 0, (uint64_t)new_cnode(0), 0),
	};
	for (unsigned i = 0; i < ARRAY_SIZE(roots); i++) {
		CHECK_MSG(cspace_lookup_cap(&roots[i], 0).fault == LF_INVALID_ROOT, "root %u", i);
		CHECK_MSG(cspace_lookup_slot(&roots[i], 0, 64).fault == LF_INVALID_ROOT, "root %u", i);
		CHECK_MSG(cspace_lookup_slot(&roots[i], 0, 0).fault == LF_INVALID_ROOT, "root %u", i);
		CHECK_FAULT(cspace_lookup_cap(&roots[i], 5), LF_INVALID_ROOT);
	}
}

TEST(CSPACE_0019, "depth 0 and depths above 64 are depth mismatches")
{
	struct cte *a = new_cnode(8);
	struct cap r = cn_cap(a, 8, 0, 0);
	CHECK_FAULT(cspace_lookup_slot(&r, 0, 0), LF_DEPTH_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&r, 0, 65), LF_DEPTH_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&r, 0, 128), LF_DEPTH_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&r, 0, ~0u), LF_DEPTH_MISMATCH);
}

TEST(CSPACE_0020, "bits set above the depth are a depth mismatch")
{
	struct cte *a = new_cnode(8);
	struct cap r = cn_cap(a, 8, 0, 0);
	CHECK_SLOT(cspace_lookup_slot(&r, 0xff, 8), &a[0xff]);
	CHECK_FAULT(cspace_lookup_slot(&r, 0x100, 8), LF_DEPTH_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&r, 1ull << 63, 8), LF_DEPTH_MISMATCH);
	struct cap r63 = cn_cap(a, 8, 55, 0);
	CHECK_SLOT(cspace_lookup_slot(&r63, 0x42, 63), &a[0x42]);
	CHECK_FAULT(cspace_lookup_slot(&r63, (1ull << 63) | 0x42, 63), LF_DEPTH_MISMATCH);
}

TEST(CSPACE_0021, "a root whose guard and radix need more bits than the depth: depth mismatch")
{
	struct cte *a = new_cnode(8);
	struct cap r = cn_cap(a, 8, 0, 0);
	CHECK_FAULT(cspace_lookup_slot(&r, 1, 4), LF_DEPTH_MISMATCH);
	struct cap big = cn_cap(a, 8, 60, 0);     /* 68 bits: never resolvable */
	CHECK_FAULT(cspace_lookup_cap(&big, 1), LF_DEPTH_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&big, 1, 64), LF_DEPTH_MISMATCH);
	struct cap huge = cn_cap(a, 8, 127, 0);   /* the largest guard size the field holds */
	CHECK_FAULT(cspace_lookup_cap(&huge, 1), LF_DEPTH_MISMATCH);
}

/* ---- radix-0 CNodes and loops --------------------------------------------- */

TEST(CSPACE_0022, "a radix-0 CNode with a guard in the middle of a path")
{
	/* root radix 4 | radix-0 node guard 4 bits = 9 | radix 8, guard 48 bits */
	struct cte *a = new_cnode(4), *z = new_cnode(0), *c = new_cnode(8);
	struct cap r = cn_cap(a, 4, 0, 0);
	a[2].cap = cn_cap(z, 0, 4, 9);
	z[0].cap = cn_cap(c, 8, 48, 0);
	c[0xab].cap = ep(1);
	uint64_t cptr = (0x29ull << 56) | 0xab;
	CHECK_SLOT(cspace_lookup_cap(&r, cptr), &c[0xab]);
	CHECK_SLOT(cspace_lookup_slot(&r, cptr, 64), &c[0xab]);
	CHECK_SLOT(cspace_lookup_slot(&r, 0x29, 8), &z[0]);
	CHECK_FAULT(cspace_lookup_cap(&r, (0x28ull << 56) | 0xab), LF_GUARD_MISMATCH);
}

TEST(CSPACE_0023, "a radix-0 CNode without a guard as the root resolves nothing and does not loop")
{
	struct cte *z = new_cnode(0);
	struct cap r = cn_cap(z, 0, 0, 0);
	z[0].cap = r;                      /* a cap to itself */
	CHECK_FAULT(cspace_lookup_cap(&r, 0), LF_DEPTH_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&r, 0, 64), LF_DEPTH_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&r, 1, 1), LF_DEPTH_MISMATCH);
}

TEST(CSPACE_0024, "a zero-bit CNode holding a cap to itself in the middle of a path stops the walk")
{
	struct cte *a = new_cnode(8), *z = new_cnode(0);
	struct cap r = cn_cap(a, 8, 0, 0);
	a[1].cap = cn_cap(z, 0, 0, 0);
	z[0].cap = a[1].cap;
	CHECK_FAULT(cspace_lookup_cap(&r, 1ull << 56), LF_DEPTH_MISMATCH);
	CHECK_FAULT(cspace_lookup_slot(&r, 0x100, 16), LF_DEPTH_MISMATCH);
	CHECK_SLOT(cspace_lookup_slot(&r, 1, 8), &a[1]);   /* the slot itself is fine */
}

TEST(CSPACE_0025, "a radix-1 CNode holding a cap to itself: 64 one-bit levels, every prefix resolves right")
{
	struct cte *s = new_cnode(1);
	struct cap r = cn_cap(s, 1, 0, 0);
	s[0].cap = r;                      /* 0 bits: go round again */
	s[1].cap = ep(1);                  /* a 1 bit: stop here */
	CHECK_SLOT(cspace_lookup_cap(&r, 0), &s[0]);   /* 64 levels, ends at the self cap */
	CHECK_SLOT(cspace_lookup_slot(&r, 0, 64), &s[0]);
	for (unsigned d = 1; d <= 64; d++) {
		CHECK_MSG(cspace_lookup_slot(&r, 0, d).slot == &s[0], "depth %u", d);
		CHECK_MSG(cspace_lookup_slot(&r, 1, d).slot == &s[1], "depth %u", d);
	}
	for (unsigned bit = 0; bit < 64; bit++) {
		CHECK_MSG(cspace_lookup_cap(&r, 1ull << bit).slot == &s[1], "bit %u", bit);
		if (bit)
			CHECK_MSG(cspace_lookup_slot(&r, 1ull << bit, 64).fault == LF_DEPTH_MISMATCH, "bit %u", bit);
	}
}

/* ---- against a bit-at-a-time model ------------------------------------------ */

static struct lookup model_fail(unsigned f)
{
	struct lookup l = { NULL, E_FAILED_LOOKUP, f };
	return l;
}

/* Resolve by reading the address one bit at a time, most significant first. */
static struct lookup model(const struct cap *root, uint64_t cptr, unsigned depth, bool exact)
{
	unsigned char bits[64];
	if (cap_type(root) != OBJ_CNODE)
		return model_fail(LF_INVALID_ROOT);
	if (depth < 1 || depth > 64)
		return model_fail(LF_DEPTH_MISMATCH);
	for (unsigned i = depth; i < 64; i++)
		if ((cptr >> i) & 1)
			return model_fail(LF_DEPTH_MISMATCH);
	for (unsigned i = 0; i < depth; i++)
		bits[i] = (cptr >> (depth - 1 - i)) & 1;
	unsigned pos = 0;
	const struct cap *c = root;
	for (;;) {
		unsigned gs = cap_guard_size(c), radix = cap_bits(c);
		if (gs + radix == 0 || pos + gs + radix > depth)
			return model_fail(LF_DEPTH_MISMATCH);
		for (unsigned j = 0; j < gs; j++)
			if (bits[pos + j] != ((cap_guard(c) >> (gs - 1 - j)) & 1))
				return model_fail(LF_GUARD_MISMATCH);
		pos += gs;
		uint64_t index = 0;
		for (unsigned j = 0; j < radix; j++)
			index = 2 * index + bits[pos + j];
		pos += radix;
		struct cte *slot = &((struct cte *)cap_ptr(c))[index];
		bool cnode = cap_type(&slot->cap) == OBJ_CNODE;
		if (pos == depth || (!cnode && !exact)) {
			if (!exact && cap_is_null(&slot->cap))
				return model_fail(LF_MISSING_CAP);
			struct lookup l = { slot, E_OK, LF_NONE };
			return l;
		}
		if (!cnode)
			return model_fail(LF_DEPTH_MISMATCH);
		c = &slot->cap;
	}
}

static bool same_result(struct lookup a, struct lookup b)
{
	return a.slot == b.slot && a.err == b.err && a.fault == b.fault;
}

TEST(CSPACE_0026, "every cptr below 2^12 at every depth 1..13, and 4096 depth-64 cptrs, agree with a bit-at-a-time model")
{
	/* root: guard 1 bit = 1, radix 2
	 *   [0] -> A: guard 2 bits = 2, radix 1
	 *            [0] endpoint, [1] -> B: guard 0, radix 2 ([3] endpoint, [1] -> root)
	 *   [1] endpoint
	 *   [2] empty
	 *   [3] -> Z: radix 0, guard 3 bits = 5 -> [0] -> C: radix 3, no guard (half full)
	 * and a second root, D: radix 4, guard 0, [5] -> Z0: radix 0, no guard (a loop) */
	struct cte *rs = new_cnode(2), *a = new_cnode(1), *b = new_cnode(2), *z = new_cnode(0), *c = new_cnode(3);
	struct cte *d = new_cnode(4), *z0 = new_cnode(0);
	struct cap root = cn_cap(rs, 2, 1, 1);
	rs[0].cap = cn_cap(a, 1, 2, 2);
	rs[1].cap = ep(1);
	rs[3].cap = cn_cap(z, 0, 3, 5);
	a[0].cap = ep(2);
	a[1].cap = cn_cap(b, 2, 0, 0);
	b[3].cap = ep(3);
	b[1].cap = root;
	z[0].cap = cn_cap(c, 3, 0, 0);
	for (unsigned i = 0; i < 8; i += 2)
		c[i].cap = ep(10 + i);
	struct cap droot = cn_cap(d, 4, 0, 0);
	d[5].cap = cn_cap(z0, 0, 0, 0);
	z0[0].cap = d[5].cap;
	d[6].cap = root;

	struct cap *roots[] = { &root, &droot };
	unsigned long checked = 0;
	for (unsigned ri = 0; ri < 2; ri++) {
		struct cap *rt = roots[ri];
		for (unsigned depth = 0; depth <= 13; depth++)
			for (uint64_t cptr = 0; cptr < 4096; cptr++) {
				struct lookup got = cspace_lookup_slot(rt, cptr, depth);
				struct lookup want = model(rt, cptr, depth, true);
				CHECK_MSG(same_result(got, want), "root %u cptr %#llx depth %u: slot %p/%u, model %p/%u", ri,
					  (unsigned long long)cptr, depth, (void *)got.slot, got.fault, (void *)want.slot, want.fault);
				checked++;
			}
		for (uint64_t x = 0; x < 4096; x++) {
			uint64_t cptr = (x << 52) | (x * 0x9e3779b97f4a7ull & 0xfffffffffffffull);
			struct lookup got = cspace_lookup_cap(rt, cptr);
			struct lookup want = model(rt, cptr, 64, false);
			CHECK_MSG(same_result(got, want), "root %u cap cptr %#llx: slot %p/%u, model %p/%u", ri,
				  (unsigned long long)cptr, (void *)got.slot, got.fault, (void *)want.slot, want.fault);
			got = cspace_lookup_slot(rt, cptr, 64);
			want = model(rt, cptr, 64, true);
			CHECK_MSG(same_result(got, want), "root %u slot cptr %#llx: slot %p/%u, model %p/%u", ri,
				  (unsigned long long)cptr, (void *)got.slot, got.fault, (void *)want.slot, want.fault);
			checked += 2;
		}
	}
	CHECK(checked > 100000);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
