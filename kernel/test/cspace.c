/*
 * CSpace addressing: the initial CSpace, guards, depths, multi-level
 * lookups from invocations and from threads with CSpaces of their own.
 */
#include "test.h"

TEST(CSPACE_0001, "the initial caps are in their fixed slots with the right types")
{
	CHECK_EQ(cap_type(INIT_NULL), 0);
	CHECK_EQ(cap_type(INIT_TCB), OBJ_TCB);
	CHECK_EQ(cap_type(INIT_CNODE), OBJ_CNODE);
	CHECK_EQ(cap_type(INIT_VSPACE), OBJ_PML4);
	CHECK_EQ(cap_type(INIT_IRQ_CONTROL), CAP_IRQ_CONTROL);
	CHECK_EQ(cap_type(INIT_IOPORT_CONTROL), CAP_IOPORT_CONTROL);
	CHECK_EQ(cap_type(INIT_BOOTINFO_FRAME), OBJ_FRAME_4K);
	CHECK_EQ(cap_type(INIT_IPC_BUFFER), OBJ_FRAME_4K);
}

TEST(CSPACE_0002, "bootinfo is consistent: ranges, untyped caps, CPUs, IPC buffer")
{
	struct bootinfo *bi = test_bootinfo;
	word_t slots = 1ul << bi->cnode_radix;

	CHECK_EQ(bi->magic, BOOTINFO_MAGIC);
	CHECK(bi->num_cpus >= 1 && bi->num_cpus <= ABI_MAX_CPUS);
	CHECK(bi->cnode_radix >= 8 && bi->cnode_radix <= OBJ_CNODE_MAX_RADIX);
	CHECK_EQ(bi->ipc_buffer, ROOT_IPC_BUFFER_VADDR);
	CHECK(bi->empty.start >= INIT_FIRST_FREE_FIXED);
	CHECK(bi->empty.start < bi->empty.end && bi->empty.end <= slots);
	CHECK(bi->untyped.end - bi->untyped.start == bi->num_untyped);
	CHECK(bi->num_untyped > 0 && bi->num_untyped <= BOOTINFO_MAX_UNTYPED);
	CHECK(bi->untyped.end <= bi->empty.start || bi->untyped.start >= bi->empty.end);
	for (word_t i = 0; i < bi->num_untyped; i++) {
		const struct bootinfo_untyped *u = &bi->untyped_list[i];
		CHECK_EQ(cap_type(bi->untyped.start + i), OBJ_UNTYPED);
		CHECK(u->size_bits >= OBJ_UNTYPED_MIN_BITS && u->size_bits <= OBJ_UNTYPED_MAX_BITS);
		CHECK_EQ(u->paddr & ((1ul << u->size_bits) - 1), 0);
	}
	CHECK(bi->total_ram > 0);
	CHECK(bi->tsc_per_ms > 0);
	CHECK(bi->num_modules <= BOOTINFO_MAX_MODULES);
}

TEST(CSPACE_0003, "cptrs with bits above the root radix resolve to nothing")
{
	word_t radix = test_bootinfo->cnode_radix;

	CHECK_EQ(cap_type((1ul << radix) | INIT_TCB), 0);
	CHECK_EQ(cap_type((1ul << 63) | INIT_TCB), 0);
	CHECK_EQ(cap_type(~0ul), 0);
	CHECK_EQ(ipc_label(SYS_NBSEND, (1ul << radix) | INIT_TCB), E_INVALID_CAPABILITY);
}

TEST(CSPACE_0004, "a slot in a second-level CNode is addressed by (cnode, index, radix)")
{
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t back = mk_slot(env);

	CHECK_OK(cnode_copy(cn, 5, 4, R, ep, 64, RIGHTS_ALL));
	CHECK_ST(cnode_copy(cn, 5, 4, R, ep, 64, RIGHTS_ALL), E_DELETE_FIRST);
	CHECK_OK(cnode_move(R, back, 64, cn, 5, 4));
	CHECK_EQ(cap_type(back), OBJ_ENDPOINT);
	CHECK_OK(cnode_copy(cn, 15, 4, R, ep, 64, RIGHTS_ALL));
	CHECK_ST(cnode_copy(cn, 16, 4, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
}

TEST(CSPACE_0005, "too few or too many bits for a sub-CNode: LF_DEPTH_MISMATCH")
{
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	CHECK_ST(cnode_copy(cn, 5, 3, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_EQ(kernel_last_detail(1), LF_DEPTH_MISMATCH);
	CHECK_OK(cnode_copy(cn, 5, 4, R, ep, 64, RIGHTS_ALL));
	/* 8 bits: slot 5 holds an endpoint, 4 bits are left over */
	CHECK_ST(cnode_copy(cn, 0x55, 8, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_EQ(kernel_last_detail(1), LF_DEPTH_MISMATCH);
}

TEST(CSPACE_0006, "a CNode cap minted with a guard needs the guard bits in the index")
{
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t cg = mk_mint(env, cn, RIGHTS_ALL, cnode_guard(3, 2));
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t back = mk_slot(env);

	CHECK_OK(cnode_copy(cg, (3 << 4) | 5, 6, R, ep, 64, RIGHTS_ALL));
	CHECK_OK(cnode_move(R, back, 64, cn, 5, 4));
	CHECK_EQ(cap_type(back), OBJ_ENDPOINT);
	CHECK_ST(cnode_copy(cg, (2 << 4) | 6, 6, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_EQ(kernel_last_detail(1), LF_GUARD_MISMATCH);
	CHECK_ST(cnode_copy(cg, 6, 4, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
}

TEST(CSPACE_0007, "lookups continue through a CNode cap into a third level")
{
	cptr_t a = mk(env, OBJ_CNODE, 4);
	cptr_t b = mk(env, OBJ_CNODE, 4);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t back = mk_slot(env);

	CHECK_OK(cnode_copy(a, 1, 4, R, b, 64, RIGHTS_ALL));
	CHECK_OK(cnode_copy(a, (1 << 4) | 7, 8, R, ep, 64, RIGHTS_ALL));
	CHECK_OK(cnode_move(R, back, 64, b, 7, 4));
	CHECK_EQ(cap_type(back), OBJ_ENDPOINT);
	/* depth 4 stops at the CNode cap in a's slot 1 itself */
	CHECK_ST(cnode_copy(a, 1, 4, R, ep, 64, RIGHTS_ALL), E_DELETE_FIRST);
}

TEST(CSPACE_0008, "mutate of a CNode cap sets its guard")
{
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t c = mk_copy(env, cn, RIGHTS_ALL);
	cptr_t d = mk_slot(env);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	CHECK_OK(cnode_mutate(R, d, 64, R, c, 64, cnode_guard(1, 3)));
	CHECK_OK(cnode_copy(d, (1 << 4) | 2, 7, R, ep, 64, RIGHTS_ALL));
	CHECK_ST(cnode_copy(cn, 2, 4, R, ep, 64, RIGHTS_ALL), E_DELETE_FIRST);
}

TEST(CSPACE_0009, "the root CNode reached through a guarded copy of its cap")
{
	word_t radix = test_bootinfo->cnode_radix;
	/* a root copy with a guard of 64 - radix - 0 bits is what the root has: a mint
	 * with guard 0 of size 64 - radix reproduces it */
	cptr_t rc = mk_mint(env, INIT_CNODE, RIGHTS_ALL, cnode_guard(0, 64 - radix));
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t d = mk_slot(env);

	CHECK_OK(cnode_mint(rc, d, 64, R, n, 64, RIGHTS_ALL, 6));
	CHECK_EQ(badge_via(d, n), 6);
}

static volatile word_t thread_result[4];

static word_t signal_cptr(word_t cptr, word_t unused)
{
	(void)unused;
	sys_signal(cptr);
	return 0;
}

/* Signal `bad` (record the label), then signal `good`. */
static word_t signal_bad_then_good(word_t bad, word_t good)
{
	thread_result[0] = ipc_label(SYS_SEND, bad);
	sys_signal(good);
	return 0;
}

TEST(CSPACE_0010, "a thread with a one-level CSpace of its own uses slot numbers as cptrs")
{
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	CHECK_OK(cnode_mint(cn, 3, 4, R, n, 64, RIGHTS_ALL, 1));
	CHECK_OK(thread_create(env, &t, 0));
	CHECK_OK(cnode_copy(cn, 1, 4, R, t.tcb, 64, RIGHTS_ALL));
	CHECK_OK(tcb_configure(t.tcb, 0, cn, cnode_guard(0, 60), INIT_VSPACE, t.ipc_vaddr, t.ipc_frame));
	t.info->tcb = 1;
	CHECK_OK(thread_start(&t, signal_cptr, 3, 0, 100, 0));
	CHECK_EQ(sys_wait(n), 1);
}

TEST(CSPACE_0011, "a thread with a two-level CSpace resolves cptrs through both levels")
{
	cptr_t l1 = mk(env, OBJ_CNODE, 2);
	cptr_t l2 = mk(env, OBJ_CNODE, 4);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	CHECK_OK(cnode_copy(l1, 1, 2, R, l2, 64, RIGHTS_ALL));
	CHECK_OK(cnode_mint(l2, 3, 4, R, n, 64, RIGHTS_ALL, 2));
	spawn_cspace(env, &t, l1, cnode_guard(0, 58), l2, 1, 4, (1 << 4) | 1, signal_cptr, (1 << 4) | 3, 0, 100);
	CHECK_EQ(sys_wait(n), 2);
}

TEST(CSPACE_0012, "a cptr failing the thread's guard gives E_INVALID_CAPABILITY, no fault")
{
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	CHECK_OK(cnode_mint(cn, 3, 4, R, n, 64, RIGHTS_ALL, 4));
	thread_result[0] = 99;
	spawn_cspace(env, &t, cn, cnode_guard(0, 60), cn, 1, 4, 1, signal_bad_then_good, (1ul << 62) | 3, 3, 100);
	CHECK_EQ(sys_wait(n), 4);
	CHECK_EQ(thread_result[0], E_INVALID_CAPABILITY);
}

TEST(CSPACE_0013, "TCB_CONFIGURE cspace_guard with a non-zero guard value is applied")
{
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	CHECK_OK(cnode_mint(cn, 3, 4, R, n, 64, RIGHTS_ALL, 8));
	thread_result[0] = 99;
	spawn_cspace(env, &t, cn, cnode_guard(5, 60), cn, 1, 4, (5 << 4) | 1, signal_bad_then_good, 3, (5 << 4) | 3, 100);
	CHECK_EQ(sys_wait(n), 8);
	CHECK_EQ(thread_result[0], E_INVALID_CAPABILITY);
}

TEST(CSPACE_0014, "an empty slot in a thread's own CSpace gives E_INVALID_CAPABILITY")
{
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	CHECK_OK(cnode_mint(cn, 3, 4, R, n, 64, RIGHTS_ALL, 16));
	thread_result[0] = 99;
	spawn_cspace(env, &t, cn, cnode_guard(0, 60), cn, 1, 4, 1, signal_bad_then_good, 9, 3, 100);
	CHECK_EQ(sys_wait(n), 16);
	CHECK_EQ(thread_result[0], E_INVALID_CAPABILITY);
}

TEST(CSPACE_0015, "a CNode of radix 0 has one slot, addressed with depth 0 bits of index")
{
	cptr_t cn = mk(env, OBJ_CNODE, 0);
	cptr_t cg = mk_mint(env, cn, RIGHTS_ALL, cnode_guard(0, 1));
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t back = mk_slot(env);

	/* with a 1-bit guard, index 0 at depth 1 names the only slot */
	CHECK_OK(cnode_copy(cg, 0, 1, R, ep, 64, RIGHTS_ALL));
	CHECK_ST(cnode_copy(cg, 1, 1, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_OK(cnode_move(R, back, 64, cg, 0, 1));
	CHECK_EQ(cap_type(back), OBJ_ENDPOINT);
}

TEST(CSPACE_0016, "a CNode guard longer than 64 - radix bits is refused or just fails lookups")
{
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t big = mk_slot(env);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	abi_error_t err = cnode_mint(R, big, 64, R, cn, 64, RIGHTS_ALL, cnode_guard(0, 63));

	if (err == E_OK) {
		CHECK_ST(cnode_copy(big, 1, 64, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
		CHECK_ST(cnode_copy(big, 1, 63, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
		CHECK_ST(cnode_copy(big, ~0ul, 64, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
	} else {
		CHECK_ST(err, E_RANGE);
		CHECK_EQ(kernel_last_detail(1), 60);
		CHECK_EQ(cap_type(big), 0);
		CHECK_OK(cnode_mint(R, big, 64, R, cn, 64, RIGHTS_ALL, cnode_guard(0, 60)));
		CHECK_OK(cnode_copy(big, 1, 64, R, ep, 64, RIGHTS_ALL));
	}
	CHECK_OK(cnode_copy(cn, 2, 4, R, ep, 64, RIGHTS_ALL));
}
