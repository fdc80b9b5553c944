/*
 * Untyped memory: UNTYPED_RETYPE for every object type, its argument and
 * error checks, placement (alignment, the free pointer) and reuse.
 */
#include "test.h"

#define MB (1ul << 20)

static abi_error_t retype1(cptr_t ut, word_t type, word_t bits, cptr_t slot)
{
	return untyped_retype(ut, type, bits, R, 0, 0, slot, 1);
}

static cptr_t frame_from(struct env *env, cptr_t ut, word_t type)
{
	cptr_t s = mk_slot(env);

	CHECK_OK(retype1(ut, type, 0, s));
	return s;
}

TEST(UNTYPED_0001, "retype makes every object type, with the matching cap type")
{
	static const word_t types[] = { OBJ_TCB, OBJ_ENDPOINT, OBJ_NOTIFICATION, OBJ_CNODE,
					OBJ_PML4, OBJ_PDPT, OBJ_PD, OBJ_PT, OBJ_FRAME_4K,
					OBJ_FRAME_2M, OBJ_UNTYPED };

	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		word_t bits = types[i] == OBJ_CNODE ? 4 : types[i] == OBJ_UNTYPED ? 12 : 0;
		cptr_t c = mk(env, types[i], bits);
		CHECK_EQ(cap_type(c), types[i]);
	}
}

TEST(UNTYPED_0002, "retype with count 8 fills 8 consecutive slots")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t first = mk_slot(env);

	for (int i = 1; i < 8; i++)
		mk_slot(env);
	CHECK_OK(untyped_retype(ut, OBJ_ENDPOINT, 0, R, 0, 0, first, 8));
	for (int i = 0; i < 8; i++)
		CHECK_EQ(cap_type(first + i), OBJ_ENDPOINT);
}

TEST(UNTYPED_0003, "retype to an invalid type fails with E_INVALID_ARGUMENT, mr0 = 0")
{
	static const word_t bad[] = { OBJ_NULL, OBJ_RETYPABLE_COUNT, CAP_IRQ_CONTROL, CAP_REPLY, 1000 };
	cptr_t ut = mk_untyped(env, 12);
	cptr_t s = mk_slot(env);

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_ST(retype1(ut, bad[i], 0, s), E_INVALID_ARGUMENT);
		CHECK_EQ(kernel_last_detail(0), 0);
		CHECK_EQ(cap_type(s), 0);
	}
}

TEST(UNTYPED_0004, "untyped size_bits outside 4..47 fails with E_RANGE (mr0/mr1 = limits)")
{
	cptr_t ut = mk_untyped(env, 16);
	cptr_t s = mk_slot(env);

	CHECK_ST(retype1(ut, OBJ_UNTYPED, OBJ_UNTYPED_MIN_BITS - 1, s), E_RANGE);
	CHECK_EQ(kernel_last_detail(0), OBJ_UNTYPED_MIN_BITS);
	CHECK_EQ(kernel_last_detail(1), OBJ_UNTYPED_MAX_BITS);
	CHECK_ST(retype1(ut, OBJ_UNTYPED, OBJ_UNTYPED_MAX_BITS + 1, s), E_RANGE);
	CHECK_ST(retype1(ut, OBJ_UNTYPED, 64, s), E_RANGE);
	CHECK_EQ(cap_type(s), 0);
	CHECK_OK(retype1(ut, OBJ_UNTYPED, OBJ_UNTYPED_MIN_BITS, s));
	CHECK_EQ(cap_type(s), OBJ_UNTYPED);
}

TEST(UNTYPED_0005, "CNode radix above 20 fails with E_RANGE; radix 0 is allowed")
{
	cptr_t ut = mk_untyped(env, 16);
	cptr_t s = mk_slot(env);

	CHECK_ST(retype1(ut, OBJ_CNODE, OBJ_CNODE_MAX_RADIX + 1, s), E_RANGE);
	CHECK_ST(retype1(ut, OBJ_CNODE, 63, s), E_RANGE);
	CHECK_EQ(cap_type(s), 0);
	CHECK_OK(retype1(ut, OBJ_CNODE, 0, s));
	CHECK_EQ(cap_type(s), OBJ_CNODE);
}

TEST(UNTYPED_0006, "retype with count 0 fails with E_RANGE")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t s = mk_slot(env);

	CHECK_ST(untyped_retype(ut, OBJ_ENDPOINT, 0, R, 0, 0, s, 0), E_RANGE);
	CHECK_EQ(cap_type(s), 0);
}

TEST(UNTYPED_0007, "destination range beyond the CNode fails with E_RANGE")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t cn = mk(env, OBJ_CNODE, 3);

	CHECK_ST(untyped_retype(ut, OBJ_ENDPOINT, 0, R, cn, 64, 7, 2), E_RANGE);
	CHECK_ST(untyped_retype(ut, OBJ_ENDPOINT, 0, R, cn, 64, 8, 1), E_RANGE);
	CHECK_ST(untyped_retype(ut, OBJ_ENDPOINT, 0, R, cn, 64, 0, 9), E_RANGE);
	CHECK_ST(untyped_retype(ut, OBJ_ENDPOINT, 0, R, cn, 64, 0, 1ul << 40), E_RANGE);
	CHECK_OK(untyped_retype(ut, OBJ_ENDPOINT, 0, R, cn, 64, 0, 8));
}

TEST(UNTYPED_0008, "not enough space fails with E_NOT_ENOUGH_MEMORY, mr0 = bytes left")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t s = mk_slot(env);

	mk_slot(env);
	CHECK_ST(untyped_retype(ut, OBJ_FRAME_4K, 0, R, 0, 0, s, 2), E_NOT_ENOUGH_MEMORY);
	CHECK_EQ(kernel_last_detail(0), 4096);
	CHECK_EQ(cap_type(s), 0);
	CHECK_OK(retype1(ut, OBJ_FRAME_4K, 0, s));
	CHECK_ST(retype1(ut, OBJ_ENDPOINT, 0, s + 1), E_NOT_ENOUGH_MEMORY);
	CHECK_EQ(kernel_last_detail(0), 0);
	CHECK_ST(retype1(ut, OBJ_FRAME_2M, 0, s + 1), E_NOT_ENOUGH_MEMORY);
}

TEST(UNTYPED_0009, "retype into an occupied slot fails with E_DELETE_FIRST and uses no memory")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t s = mk_slot(env);

	CHECK_ST(retype1(ut, OBJ_NOTIFICATION, 0, ep), E_DELETE_FIRST);
	CHECK_EQ(cap_type(ep), OBJ_ENDPOINT);
	CHECK_ST(retype1(ut, OBJ_NOTIFICATION, 0, INIT_TCB), E_DELETE_FIRST);
	CHECK_EQ(cap_type(INIT_TCB), OBJ_TCB);
	/* the whole untyped is still free */
	CHECK_OK(retype1(ut, OBJ_FRAME_4K, 0, s));
}

TEST(UNTYPED_0010, "a partly occupied destination range fails and fills no slot")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t s = mk_slot(env);
	cptr_t s1 = mk_slot(env);
	cptr_t s2 = mk_slot(env);

	CHECK_EQ(s1, s + 1);
	CHECK_EQ(s2, s + 2);
	CHECK_OK(retype1(ut, OBJ_ENDPOINT, 0, s2));
	CHECK_ST(untyped_retype(ut, OBJ_ENDPOINT, 0, R, 0, 0, s, 3), E_DELETE_FIRST);
	CHECK_EQ(cap_type(s), 0);
	CHECK_EQ(cap_type(s1), 0);
	CHECK_OK(untyped_retype(ut, OBJ_ENDPOINT, 0, R, 0, 0, s, 2));
}

TEST(UNTYPED_0011, "device untyped cannot become a non-frame object (E_ILLEGAL_OPERATION)")
{
	int d = device_untyped();

	if (d < 0)
		test_skip("bootinfo lists no device untyped");
	cptr_t ut = test_bootinfo->untyped.start + (word_t)d;
	cptr_t s = mk_slot(env);
	CHECK_ST(retype1(ut, OBJ_TCB, 0, s), E_ILLEGAL_OPERATION);
	CHECK_ST(retype1(ut, OBJ_ENDPOINT, 0, s), E_ILLEGAL_OPERATION);
	CHECK_ST(retype1(ut, OBJ_CNODE, 2, s), E_ILLEGAL_OPERATION);
	CHECK_ST(retype1(ut, OBJ_PT, 0, s), E_ILLEGAL_OPERATION);
	CHECK_EQ(cap_type(s), 0);
}

TEST(UNTYPED_0012, "device untyped gives frames at its own physical addresses")
{
	int d = -1;

	for (word_t i = 0; i < test_bootinfo->num_untyped; i++) {
		const struct bootinfo_untyped *u = &test_bootinfo->untyped_list[i];
		if (u->is_device && u->size_bits >= OBJ_PAGE_BITS) {
			d = (int)i;
			break;
		}
	}
	if (d < 0)
		test_skip("bootinfo lists no device untyped of a page or more");
	const struct bootinfo_untyped *u = &test_bootinfo->untyped_list[d];
	cptr_t ut = test_bootinfo->untyped.start + (word_t)d;
	cptr_t f = mk_slot(env);
	CHECK_OK(retype1(ut, OBJ_FRAME_4K, 0, f));
	word_t pa = paddr_of(f);
	CHECK(pa >= u->paddr && pa < u->paddr + (1ul << u->size_bits));
	CHECK_EQ(pa, u->paddr);
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_EQ(cap_type(f), 0);
}

TEST(UNTYPED_0013, "UNTYPED_RETYPE on a TCB, CNode or frame cap is E_ILLEGAL_OPERATION")
{
	cptr_t tcb = mk(env, OBJ_TCB, 0);
	cptr_t cn = mk(env, OBJ_CNODE, 2);
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);
	cptr_t s = mk_slot(env);

	CHECK_ST(retype1(tcb, OBJ_ENDPOINT, 0, s), E_ILLEGAL_OPERATION);
	CHECK_ST(retype1(cn, OBJ_ENDPOINT, 0, s), E_ILLEGAL_OPERATION);
	CHECK_ST(retype1(f, OBJ_ENDPOINT, 0, s), E_ILLEGAL_OPERATION);
	CHECK_EQ(cap_type(s), 0);
}

TEST(UNTYPED_0014, "retype with a root that is not a CNode fails")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t s = mk_slot(env);

	CHECK_ST2(untyped_retype(ut, OBJ_ENDPOINT, 0, ep, 0, 0, s, 1), E_FAILED_LOOKUP,
		    E_INVALID_CAPABILITY);
	CHECK_ST2(untyped_retype(ut, OBJ_ENDPOINT, 0, s, 0, 0, s, 1), E_FAILED_LOOKUP,
		    E_INVALID_CAPABILITY);
	CHECK_EQ(cap_type(s), 0);
}

TEST(UNTYPED_0015, "retype without the root cap fails with E_TRUNCATED_MESSAGE")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t s = mk_slot(env);
	word_t args[6] = { OBJ_ENDPOINT, 0, 0, 0, s, 1 };

	CHECK_ST(kernel_invoke(ut, UNTYPED_RETYPE, 6, args, 0, 0, 0, 0), E_TRUNCATED_MESSAGE);
	CHECK_EQ(cap_type(s), 0);
}

TEST(UNTYPED_0016, "retype with 5 argument words fails with E_TRUNCATED_MESSAGE")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t s = mk_slot(env);
	word_t args[6] = { OBJ_ENDPOINT, 0, 0, 0, s, 1 };
	cptr_t caps[1] = { R };

	CHECK_ST(kernel_invoke(ut, UNTYPED_RETYPE, 5, args, 1, caps, 0, 0), E_TRUNCATED_MESSAGE);
	CHECK_ST(kernel_invoke(ut, UNTYPED_RETYPE, 0, args, 1, caps, 0, 0), E_TRUNCATED_MESSAGE);
	CHECK_EQ(cap_type(s), 0);
}

TEST(UNTYPED_0017, "objects are aligned to their size inside the untyped")
{
	cptr_t ut = mk_untyped(env, 22);
	cptr_t f1 = frame_from(env, ut, OBJ_FRAME_4K);
	cptr_t f2 = frame_from(env, ut, OBJ_FRAME_2M);
	word_t p1 = paddr_of(f1), p2 = paddr_of(f2);

	CHECK_EQ(p1 & ((4 * MB) - 1), 0);
	CHECK_EQ(p2 & (2 * MB - 1), 0);
	CHECK_EQ(p2, p1 + 2 * MB);
}

TEST(UNTYPED_0018, "the free pointer only grows: gaps before aligned objects stay unused")
{
	cptr_t ut = mk_untyped(env, 23);
	cptr_t f1 = frame_from(env, ut, OBJ_FRAME_4K);
	cptr_t f2 = frame_from(env, ut, OBJ_FRAME_2M);
	cptr_t f3 = frame_from(env, ut, OBJ_FRAME_4K);
	word_t base = paddr_of(f1);

	CHECK_EQ(paddr_of(f2), base + 2 * MB);
	CHECK_EQ(paddr_of(f3), base + 4 * MB);
}

TEST(UNTYPED_0019, "after revoke the untyped hands out memory from its start again")
{
	cptr_t ut = mk_untyped(env, 16);
	cptr_t f1 = frame_from(env, ut, OBJ_FRAME_4K);
	cptr_t f2 = frame_from(env, ut, OBJ_FRAME_4K);
	word_t base = paddr_of(f1);

	CHECK_EQ(paddr_of(f2), base + 4096);
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_EQ(cap_type(f1), 0);
	CHECK_EQ(cap_type(f2), 0);
	CHECK_EQ(cap_type(ut), OBJ_UNTYPED);
	cptr_t f3 = frame_from(env, ut, OBJ_FRAME_4K);
	CHECK_EQ(paddr_of(f3), base);
}

TEST(UNTYPED_0020, "once its last child is deleted the untyped starts from 0 again")
{
	cptr_t ut = mk_untyped(env, 16);
	cptr_t f1 = frame_from(env, ut, OBJ_FRAME_4K);
	cptr_t f2 = frame_from(env, ut, OBJ_FRAME_4K);
	word_t base = paddr_of(f1);

	CHECK_OK(cnode_delete(R, f1, 64));
	cptr_t f3 = frame_from(env, ut, OBJ_FRAME_4K);
	CHECK_EQ(paddr_of(f3), base + 2 * 4096);  /* f2 still there: no reuse */
	CHECK_OK(cnode_delete(R, f2, 64));
	CHECK_OK(cnode_delete(R, f3, 64));
	cptr_t f4 = frame_from(env, ut, OBJ_FRAME_4K);
	CHECK_EQ(paddr_of(f4), base);
}

TEST(UNTYPED_0021, "untyped caps cannot be copied or minted (E_ILLEGAL_OPERATION)")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t s = mk_slot(env);

	CHECK_ST(cnode_copy(R, s, 64, R, ut, 64, RIGHTS_ALL), E_ILLEGAL_OPERATION);
	CHECK_ST(cnode_mint(R, s, 64, R, ut, 64, RIGHTS_ALL, 0), E_ILLEGAL_OPERATION);
	CHECK_ST(cnode_mint(R, s, 64, R, ut, 64, RIGHTS_ALL, 5), E_ILLEGAL_OPERATION);
	CHECK_EQ(cap_type(s), 0);
}

TEST(UNTYPED_0022, "an untyped splits into smaller untypeds that each hold objects")
{
	cptr_t ut = mk_untyped(env, 14);
	cptr_t s = mk_slot(env);
	cptr_t extra;

	for (int i = 1; i < 4; i++)
		mk_slot(env);
	extra = mk_slot(env);
	CHECK_OK(untyped_retype(ut, OBJ_UNTYPED, 12, R, 0, 0, s, 4));
	CHECK_ST(retype1(ut, OBJ_UNTYPED, 12, extra), E_NOT_ENOUGH_MEMORY);
	CHECK_ST(retype1(ut, OBJ_ENDPOINT, 0, extra), E_NOT_ENOUGH_MEMORY);
	for (int i = 0; i < 4; i++) {
		cptr_t f = frame_from(env, s + i, OBJ_FRAME_4K);
		CHECK_EQ(cap_type(f), OBJ_FRAME_4K);
	}
}

TEST(UNTYPED_0023, "retype places objects at node_offset of a CNode named by index/depth")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t a = mk_slot(env), b = mk_slot(env), c = mk_slot(env);

	CHECK_OK(untyped_retype(ut, OBJ_ENDPOINT, 0, R, cn, 64, 3, 2));
	CHECK_OK(cnode_copy(R, a, 64, cn, 3, 4, RIGHTS_ALL));
	CHECK_OK(cnode_copy(R, b, 64, cn, 4, 4, RIGHTS_ALL));
	CHECK_EQ(cap_type(a), OBJ_ENDPOINT);
	CHECK_EQ(cap_type(b), OBJ_ENDPOINT);
	CHECK_ST(cnode_copy(R, c, 64, cn, 5, 4, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_ST(cnode_copy(R, c, 64, cn, 2, 4, RIGHTS_ALL), E_FAILED_LOOKUP);
}

TEST(UNTYPED_0024, "retype with a node_depth that does not resolve fails with E_FAILED_LOOKUP")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t s = mk_slot(env);

	CHECK_ST(untyped_retype(ut, OBJ_ENDPOINT, 0, R, cn, 32, 0, 1), E_FAILED_LOOKUP);
	CHECK_ST(untyped_retype(ut, OBJ_ENDPOINT, 0, R, cn, 65, 0, 1), E_FAILED_LOOKUP);
	CHECK_ST(untyped_retype(ut, OBJ_ENDPOINT, 0, R, 1ul << 63, 64, 0, 1), E_FAILED_LOOKUP);
	CHECK_EQ(cap_type(s), 0);
}

TEST(UNTYPED_0025, "retype with node_index naming a non-CNode cap fails")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t empty = mk_slot(env);

	CHECK_ST2(untyped_retype(ut, OBJ_ENDPOINT, 0, R, ep, 64, 0, 1), E_FAILED_LOOKUP,
		    E_INVALID_CAPABILITY);
	CHECK_ST2(untyped_retype(ut, OBJ_ENDPOINT, 0, R, empty, 64, 0, 1), E_FAILED_LOOKUP,
		    E_INVALID_CAPABILITY);
}

TEST(UNTYPED_0026, "memory is zeroed when retyped again after a revoke")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t f = frame_from(env, ut, OBJ_FRAME_4K);
	word_t pa = paddr_of(f);
	volatile word_t *p = env_map(env, f, RIGHT_READ | RIGHT_WRITE);

	CHECK(p);
	for (int i = 0; i < 512; i++)
		p[i] = 0xabababababababab;
	CHECK_OK(cnode_revoke(R, ut, 64));
	f = frame_from(env, ut, OBJ_FRAME_4K);
	CHECK_EQ(paddr_of(f), pa);
	p = env_map(env, f, RIGHT_READ | RIGHT_WRITE);
	CHECK(p);
	for (int i = 0; i < 512; i++)
		CHECK_EQ(p[i], 0);
}

TEST(UNTYPED_0027, "a retype that runs out of memory half way creates nothing")
{
	cptr_t ut = mk_untyped(env, 14);
	cptr_t s = mk_slot(env);

	for (int i = 1; i < 5; i++)
		mk_slot(env);
	CHECK_ST(untyped_retype(ut, OBJ_FRAME_4K, 0, R, 0, 0, s, 5), E_NOT_ENOUGH_MEMORY);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(cap_type(s + i), 0);
	CHECK_OK(untyped_retype(ut, OBJ_FRAME_4K, 0, R, 0, 0, s, 4));
}

TEST(UNTYPED_0028, "a 2^47 untyped from a small one fails with E_NOT_ENOUGH_MEMORY")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t s = mk_slot(env);

	CHECK_ST(retype1(ut, OBJ_UNTYPED, OBJ_UNTYPED_MAX_BITS, s), E_NOT_ENOUGH_MEMORY);
	CHECK_ST(retype1(ut, OBJ_UNTYPED, 13, s), E_NOT_ENOUGH_MEMORY);
	CHECK_OK(retype1(ut, OBJ_UNTYPED, 12, s));
}

TEST(UNTYPED_0029, "an EP then a 2 MiB frame: the frame is aligned, the untyped is then full")
{
	cptr_t ut = mk_untyped(env, 22);
	cptr_t ep = frame_from(env, ut, OBJ_ENDPOINT);
	cptr_t f = frame_from(env, ut, OBJ_FRAME_2M);
	cptr_t s = mk_slot(env);

	CHECK_EQ(cap_type(ep), OBJ_ENDPOINT);
	CHECK_EQ(paddr_of(f) & (2 * MB - 1), 0);
	CHECK_ST(retype1(ut, OBJ_FRAME_2M, 0, s), E_NOT_ENOUGH_MEMORY);
	CHECK_EQ(kernel_last_detail(0), 0);
}

TEST(UNTYPED_0030, "8 frames from one retype have consecutive physical addresses")
{
	cptr_t ut = mk_untyped(env, 15);
	cptr_t s = mk_slot(env);

	for (int i = 1; i < 8; i++)
		mk_slot(env);
	CHECK_OK(untyped_retype(ut, OBJ_FRAME_4K, 0, R, 0, 0, s, 8));
	word_t base = paddr_of(s);
	for (int i = 1; i < 8; i++)
		CHECK_EQ(paddr_of(s + i), base + (word_t)i * 4096);
}

TEST(UNTYPED_0031, "node_index naming the root CNode cap at depth 64 targets the root")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t s = mk_slot(env);

	CHECK_OK(untyped_retype(ut, OBJ_NOTIFICATION, 0, R, INIT_CNODE, 64, s, 1));
	CHECK_EQ(cap_type(s), OBJ_NOTIFICATION);
}

TEST(UNTYPED_0032, "revoking a parent untyped destroys the objects of its child untypeds")
{
	cptr_t ut = mk_untyped(env, 16);
	cptr_t child = mk_slot(env);
	cptr_t s = mk_slot(env);

	CHECK_OK(retype1(ut, OBJ_UNTYPED, 14, child));
	cptr_t ep = frame_from(env, child, OBJ_ENDPOINT);
	cptr_t f = frame_from(env, child, OBJ_FRAME_4K);
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_EQ(cap_type(child), 0);
	CHECK_EQ(cap_type(ep), 0);
	CHECK_EQ(cap_type(f), 0);
	CHECK_OK(retype1(ut, OBJ_UNTYPED, 16, s));
}

TEST(UNTYPED_0033, "an untyped cap can be moved and still retypes from its new slot")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t d = mk_slot(env);
	cptr_t s = mk_slot(env);

	CHECK_OK(cnode_move(R, d, 64, R, ut, 64));
	CHECK_EQ(cap_type(ut), 0);
	CHECK_EQ(cap_type(d), OBJ_UNTYPED);
	CHECK_OK(retype1(d, OBJ_FRAME_4K, 0, s));
}

TEST(UNTYPED_0034, "the largest CNode (radix 20, 64 MiB) can be made and destroyed")
{
	cptr_t s = mk_slot(env);
	int found = -1;

	for (int i = 0; i < env->n_ut; i++)
		if (env->ut[i].bits >= OBJ_CNODE_SLOT_BITS + OBJ_CNODE_MAX_RADIX)
			found = i;
	if (found < 0)
		test_skip("no untyped of 64 MiB or more");
	cptr_t ut = mk_untyped(env, OBJ_CNODE_SLOT_BITS + OBJ_CNODE_MAX_RADIX);
	CHECK_OK(retype1(ut, OBJ_CNODE, OBJ_CNODE_MAX_RADIX, s));
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	CHECK_OK(cnode_copy(s, (1ul << OBJ_CNODE_MAX_RADIX) - 1, OBJ_CNODE_MAX_RADIX, R, ep, 64, RIGHTS_ALL));
	CHECK_OK(cnode_delete(R, s, 64));
	CHECK_OK(cnode_revoke(R, ep, 64));
}

TEST(UNTYPED_0035, "an untyped of endpoint size holds exactly one endpoint")
{
	cptr_t ut = mk_untyped(env, OBJ_ENDPOINT_BITS);
	cptr_t s = mk_slot(env), t = mk_slot(env);

	if (OBJ_NOTIFICATION_BITS > OBJ_ENDPOINT_BITS)
		CHECK_ST(retype1(ut, OBJ_NOTIFICATION, 0, s), E_NOT_ENOUGH_MEMORY);
	CHECK_OK(retype1(ut, OBJ_ENDPOINT, 0, s));
	CHECK_ST(retype1(ut, OBJ_ENDPOINT, 0, t), E_NOT_ENOUGH_MEMORY);
	if (OBJ_ENDPOINT_BITS > OBJ_UNTYPED_MIN_BITS) {
		cptr_t small = mk_untyped(env, OBJ_UNTYPED_MIN_BITS);
		CHECK_ST(retype1(small, OBJ_ENDPOINT, 0, t), E_NOT_ENOUGH_MEMORY);
	}
}

TEST(UNTYPED_0036, "revoking an untyped whose cap lies in a CNode made from it ends cleanly; the rest of the tree stays")
{
	cptr_t p = mk_untyped(env, 16);
	cptr_t n = mk_slot(env), u = mk_slot(env), cn = mk_slot(env), ep = mk_slot(env);
	cptr_t big = mk_slot(env);

	/* P: a notification (with a badged copy), and an untyped U holding a
	 * CNode and an endpoint; U's own cap then moves into that CNode */
	CHECK_OK(retype1(p, OBJ_NOTIFICATION, 0, n));
	cptr_t n2 = mk_mint(env, n, RIGHTS_ALL, 5);
	CHECK_OK(retype1(p, OBJ_UNTYPED, 14, u));
	CHECK_OK(retype1(u, OBJ_CNODE, 4, cn));
	CHECK_OK(retype1(u, OBJ_ENDPOINT, 0, ep));
	CHECK_OK(cnode_move(cn, 3, 4, R, u, 64));
	CHECK_EQ(cap_type(u), 0);

	/* revoking U through its slot in the CNode destroys the CNode, and
	 * with it U's own cap: the revoke ends there */
	CHECK_OK(cnode_revoke(cn, 3, 4));
	CHECK_EQ(cap_type(cn), 0);
	word_t et = cap_type(ep);
	CHECK(et == 0 || et == OBJ_ENDPOINT);   /* not reached, or deleted */

	/* everything else P holds is intact and still linked right */
	CHECK_EQ(cap_type(p), OBJ_UNTYPED);
	CHECK_EQ(badge_via(n2, n), 5);
	CHECK_OK(cnode_revoke(R, n, 64));
	CHECK_EQ(cap_type(n2), 0);
	CHECK_EQ(cap_type(n), OBJ_NOTIFICATION);

	/* revoking P frees all of its memory */
	CHECK_OK(cnode_revoke(R, p, 64));
	CHECK_EQ(cap_type(n), 0);
	CHECK_EQ(cap_type(ep), 0);
	CHECK_OK(retype1(p, OBJ_CNODE, 16 - OBJ_CNODE_SLOT_BITS, big));   /* all 64 KiB */
	CHECK_ST(retype1(p, OBJ_ENDPOINT, 0, mk_slot(env)), E_NOT_ENOUGH_MEMORY);
	cptr_t e2 = mk(env, OBJ_ENDPOINT, 0);
	CHECK_OK(cnode_copy(big, 1000, 16 - OBJ_CNODE_SLOT_BITS, R, e2, 64, RIGHTS_ALL));
	CHECK_OK(cnode_revoke(R, e2, 64));
}
