/*
 * Object lifetime under load: a 10,000-deep derivation chain, wide
 * fan-out, revoking untypeds that hold whole address spaces, running
 * threads and CNode cycles, and reusing the memory afterwards.
 */
#include "test.h"

#define RW (RIGHT_READ | RIGHT_WRITE)

static abi_error_t retype_at(cptr_t ut, word_t type, word_t bits, cptr_t slot)
{
	return untyped_retype(ut, type, bits, R, 0, 0, slot, 1);
}

static cptr_t from(struct env *env, cptr_t ut, word_t type, word_t bits)
{
	cptr_t s = mk_slot(env);

	CHECK_OK(retype_at(ut, type, bits, s));
	return s;
}

/* Number of empty slots among (cn, first..first+n) at depth `depth`. */
static word_t count_empty(struct env *env, cptr_t cn, word_t first, word_t n, word_t depth)
{
	cptr_t tmp = mk_slot(env);
	word_t empty = 0;

	for (word_t i = first; i < first + n; i++) {
		abi_error_t err = cnode_copy(R, tmp, 64, cn, i, depth, RIGHTS_ALL);
		if (err == E_OK)
			CHECK_OK(cnode_delete(R, tmp, 64));
		else if (err == E_FAILED_LOOKUP)
			empty++;
		else
			CHECK_OK(err);
	}
	return empty;
}

TEST(STRESS_0001, "a chain of 10,000 copies of copies is removed by one revoke")
{
	const word_t depth = 10000;
	cptr_t cn = mk(env, OBJ_CNODE, 14);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	CHECK_OK(cnode_copy(cn, 0, 14, R, ep, 64, RIGHTS_ALL));
	for (word_t i = 0; i < depth; i++) {
		abi_error_t err = cnode_copy(cn, i + 1, 14, cn, i, 14, RIGHTS_ALL);
		if (err != E_OK)
			test_fail(__FILE__, __LINE__, "copy %lu: %s", i, error_name(err));
	}
	CHECK_EQ(count_empty(env, cn, 0, depth + 1, 14), 0);
	CHECK_OK(cnode_revoke(R, ep, 64));
	CHECK_EQ(count_empty(env, cn, 0, depth + 1, 14), depth + 1);
	CHECK_EQ(cap_type(ep), OBJ_ENDPOINT);
}

TEST(STRESS_0002, "4000 sibling copies of one cap are removed by one revoke")
{
	cptr_t cn = mk(env, OBJ_CNODE, 12);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	for (word_t i = 0; i < 4000; i++)
		CHECK_OK(cnode_mint(cn, i, 12, R, n, 64, RIGHTS_ALL, i + 1));
	CHECK_OK(cnode_revoke(R, n, 64));
	CHECK_EQ(count_empty(env, cn, 0, 4000, 12), 4000);
	CHECK_EQ(badge_via(n, n), 0);
}

TEST(STRESS_0003, "revoking an untyped destroys an address space and its mappings")
{
	cptr_t ut = mk_untyped(env, 20);
	cptr_t pml4 = from(env, ut, OBJ_PML4, 0), pdpt = from(env, ut, OBJ_PDPT, 0);
	cptr_t pd = from(env, ut, OBJ_PD, 0), pt = from(env, ut, OBJ_PT, 0);
	cptr_t f = from(env, ut, OBJ_FRAME_4K, 0);
	cptr_t alias = mk_copy(env, f, RIGHTS_ALL);
	cptr_t s = mk_slot(env);

	CHECK_OK(pdpt_map(pdpt, pml4, 0x40000000));
	CHECK_OK(pd_map(pd, pml4, 0x40000000));
	CHECK_OK(pt_map(pt, pml4, 0x40000000));
	CHECK_OK(frame_map(f, pml4, 0x40000000, RW, 0));
	map_tables(env, INIT_VSPACE, TEST_VA(0));
	CHECK_OK(frame_map(alias, INIT_VSPACE, TEST_VA(0), RW, 0));
	*(volatile word_t *)TEST_VA(0) = 77;
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_EQ(cap_type(pml4), 0);
	CHECK_EQ(cap_type(pt), 0);
	CHECK_EQ(cap_type(f), 0);
	CHECK_EQ(cap_type(alias), 0);
	CHECK_EQ(probe(env, TEST_VA(0), PROBE_READ, 0), FAULT_PAGE);
	CHECK_OK(retype_at(ut, OBJ_UNTYPED, 20, s));
}

static volatile word_t counter;

TEST(STRESS_0004, "revoking an untyped stops a running thread made from it")
{
	cptr_t ut = mk_untyped(env, 16);
	struct thread t;
	cptr_t s = mk_slot(env);

	counter = 0;
	CHECK_OK(thread_create_tcb(env, &t, from(env, ut, OBJ_TCB, 0), 0));
	CHECK_OK(thread_start(&t, worker_count, (word_t)&counter, 0, PRIO_TICKER, 0));
	settle(env);
	settle(env);
	CHECK(counter > 0);
	CHECK_OK(cnode_revoke(R, ut, 64));
	word_t c = counter;
	settle(env);
	settle(env);
	CHECK_EQ(counter, c);
	CHECK_OK(retype_at(ut, OBJ_UNTYPED, 16, s));
}

TEST(STRESS_0005, "retype and revoke 50 times: the same memory comes back each time")
{
	cptr_t ut = mk_untyped(env, 16);
	cptr_t first = mk_slot(env);
	word_t pa = 0;

	for (int i = 1; i < 16; i++)
		mk_slot(env);
	for (int round = 0; round < 50; round++) {
		CHECK_OK(untyped_retype(ut, OBJ_FRAME_4K, 0, R, 0, 0, first, 16));
		if (round == 0)
			pa = paddr_of(first);
		CHECK_EQ(paddr_of(first), pa);
		CHECK_EQ(paddr_of(first + 15), pa + 15 * 4096);
		CHECK_OK(cnode_revoke(R, ut, 64));
		CHECK_EQ(cap_type(first), 0);
	}
}

TEST(STRESS_0006, "1000 endpoints made and deleted one by one in a 4 KiB untyped")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t s = mk_slot(env);

	for (int i = 0; i < 1000; i++) {
		abi_error_t err = retype_at(ut, OBJ_ENDPOINT, 0, s);
		if (err != E_OK)
			test_fail(__FILE__, __LINE__, "round %d: %s", i, error_name(err));
		CHECK_OK(cnode_delete(R, s, 64));
	}
}

static word_t recv_loop(word_t ep, word_t done)
{
	struct sys_msg m;

	for (;;) {
		memset(&m, 0, sizeof(m));
		sys_recv(ep, &m);
		sys_signal(done);
	}
	return 0;
}

TEST(STRESS_0007, "revoking the untyped of a thread blocked on another untyped's endpoint")
{
	cptr_t ua = mk_untyped(env, 16), ub = mk_untyped(env, 16);
	cptr_t ep = from(env, ub, OBJ_ENDPOINT, 0);
	cptr_t n = from(env, ub, OBJ_NOTIFICATION, 0);
	cptr_t nb = mk_mint(env, n, RIGHTS_ALL, 1);
	struct thread a, b;
	struct sys_msg m = { 0 };

	CHECK_OK(thread_create_tcb(env, &a, from(env, ua, OBJ_TCB, 0), 0));
	CHECK_OK(thread_start(&a, recv_loop, ep, nb, 100, 0));
	settle(env);
	CHECK_OK(cnode_revoke(R, ua, 64));
	spawn(env, &b, recv_loop, ep, nb, 100);
	settle(env);
	sys_send(ep, &m);
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(cap_type(ep), OBJ_ENDPOINT);
}

TEST(STRESS_0008, "revoking a CNode's untyped leaves the objects its caps named")
{
	cptr_t ua = mk_untyped(env, 16), ub = mk_untyped(env, 16);
	cptr_t cn = from(env, ua, OBJ_CNODE, 4);
	cptr_t n = from(env, ub, OBJ_NOTIFICATION, 0);

	for (word_t i = 0; i < 16; i++)
		CHECK_OK(cnode_mint(cn, i, 4, R, n, 64, RIGHTS_ALL, i + 1));
	CHECK_OK(cnode_revoke(R, ua, 64));
	CHECK_EQ(cap_type(cn), 0);
	CHECK_EQ(badge_via(mk_mint(env, n, RIGHTS_ALL, 0x40), n), 0x40);
}

TEST(STRESS_0009, "CNodes nested 10 deep and a CNode holding its own cap are destroyed")
{
	cptr_t ut = mk_untyped(env, 16);
	cptr_t c[10];
	cptr_t s = mk_slot(env);

	for (int i = 0; i < 10; i++)
		c[i] = from(env, ut, OBJ_CNODE, 2);
	for (int i = 0; i < 9; i++)
		CHECK_OK(cnode_copy(c[i], 0, 2, R, c[i + 1], 64, RIGHTS_ALL));
	CHECK_OK(cnode_copy(c[9], 1, 2, R, c[9], 64, RIGHTS_ALL));
	CHECK_OK(cnode_copy(c[9], 2, 2, R, c[0], 64, RIGHTS_ALL));
	for (int i = 0; i < 10; i++)
		CHECK_OK(cnode_delete(R, c[i], 64));
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_OK(retype_at(ut, OBJ_UNTYPED, 16, s));
}

TEST(STRESS_0010, "up to 4096 frames from one retype fill an untyped (16 MiB, or the largest free below); revoke frees it all")
{
	/* the largest untyped up to 16 MiB that the machine still has free:
	 * a small machine may have no 16 MiB block left */
	word_t bits = 24, n;
	cptr_t ut = 0, cn, s;

	while (bits >= 16 && env_new(env, OBJ_UNTYPED, bits, &ut) == E_NOT_ENOUGH_MEMORY)
		bits--;
	CHECK(bits >= 16 && ut != 0);
	n = 1ul << (bits - OBJ_PAGE_BITS);
	cn = mk(env, OBJ_CNODE, 12);
	s = mk_slot(env);
	CHECK_OK(untyped_retype(ut, OBJ_FRAME_4K, 0, R, cn, 64, 0, n));
	CHECK_ST(retype_at(ut, OBJ_ENDPOINT, 0, s), E_NOT_ENOUGH_MEMORY);
	CHECK_EQ(count_empty(env, cn, n - 96, 96, 12), 0);
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_EQ(count_empty(env, cn, 0, 4096, 12), 4096);
	CHECK_OK(retype_at(ut, OBJ_UNTYPED, bits, s));
}

TEST(STRESS_0011, "revoking an untyped destroys a whole running address space made from it")
{
	cptr_t ut = mk_untyped(env, 22);
	struct vspace vs;
	struct thread t;
	word_t rva;
	volatile word_t *shared;
	cptr_t s = mk_slot(env);

	env->only_ut = ut;
	CHECK_OK(vspace_clone(env, &vs));
	shared = vspace_share(env, &vs, &rva);
	CHECK(shared);
	CHECK_OK(thread_create_in(env, &t, &vs, INIT_CNODE, 0, 0, THREAD_SELF));
	env->only_ut = 0;
	CHECK_OK(thread_start(&t, worker_count, rva, 0, PRIO_TICKER, 0));
	settle(env);
	settle(env);
	CHECK(*shared > 0);
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_EQ(cap_type(vs.pml4), 0);
	CHECK_EQ(cap_type(t.tcb), 0);
	CHECK_EQ(probe(env, (word_t)shared, PROBE_READ, 0), FAULT_PAGE);
	CHECK_OK(retype_at(ut, OBJ_UNTYPED, 22, s));
}

TEST(STRESS_0012, "revoking an untyped wakes nobody wrongly: its blocked threads just vanish")
{
	cptr_t ut = mk_untyped(env, 16);
	cptr_t ep = from(env, ut, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t[4];
	cptr_t s = mk_slot(env);

	for (int i = 0; i < 4; i++) {
		CHECK_OK(thread_create_tcb(env, &t[i], from(env, ut, OBJ_TCB, 0), 0));
		CHECK_OK(thread_start(&t[i], recv_loop, ep, mk_mint(env, n, RIGHTS_ALL, 1), 100, 0));
	}
	settle(env);
	CHECK_OK(cnode_revoke(R, ut, 64));
	settle(env);
	CHECK_EQ(sys_poll(n), 0);
	CHECK_OK(retype_at(ut, OBJ_UNTYPED, 16, s));
}

TEST(STRESS_0013, "a 3-level CNode tree with 3000 caps is torn down by deleting its root")
{
	cptr_t ut = mk_untyped(env, 20);
	cptr_t top = from(env, ut, OBJ_CNODE, 2);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t s = mk_slot(env);

	for (word_t i = 0; i < 3; i++) {
		cptr_t mid = from(env, ut, OBJ_CNODE, 10);
		for (word_t j = 0; j < 1000; j++)
			CHECK_OK(cnode_mint(mid, j, 10, R, ep, 64, RIGHTS_ALL, i * 1000 + j + 1));
		CHECK_OK(cnode_move(top, i, 2, R, mid, 64));
	}
	CHECK_OK(cnode_delete(R, top, 64));
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_OK(cnode_revoke(R, ep, 64));
	CHECK_OK(retype_at(ut, OBJ_UNTYPED, 20, s));
}

static volatile word_t after_delete;

/* Delete the cap at `slot` (our own TCB or its untyped's children), then
 * record that we are still running. */
static word_t delete_self(word_t slot, word_t revoke)
{
	if (revoke)
		cnode_revoke(R, slot, 64);
	else
		cnode_delete(R, slot, 64);
	after_delete = 1;
	return 0;
}

TEST(STRESS_0014, "a thread that deletes its own (only) TCB cap stops at once")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t, w;

	after_delete = 0;
	spawn(env, &t, delete_self, 0, 0, 100);
	/* the slot argument is only known now */
	CHECK_OK(tcb_suspend(t.tcb));
	CHECK_OK(thread_prepare(&t, delete_self, t.tcb, 0));
	CHECK_OK(tcb_resume(t.tcb));
	settle(env);
	CHECK_EQ(after_delete, 0);
	CHECK_EQ(cap_type(t.tcb), 0);
	spawn(env, &w, worker_signal, mk_mint(env, n, RIGHTS_ALL, 1), 0, 100);
	CHECK_EQ(sys_wait(n), 1);
}

TEST(STRESS_0015, "a thread that revokes the untyped its own TCB came from stops at once")
{
	cptr_t ut = mk_untyped(env, 16);
	struct thread t;
	cptr_t s = mk_slot(env);

	after_delete = 0;
	CHECK_OK(thread_create_tcb(env, &t, from(env, ut, OBJ_TCB, 0), 0));
	CHECK_OK(thread_start(&t, delete_self, ut, 1, 100, 0));
	settle(env);
	CHECK_EQ(after_delete, 0);
	CHECK_EQ(cap_type(t.tcb), 0);
	CHECK_OK(retype_at(ut, OBJ_UNTYPED, 16, s));
}

TEST(STRESS_0016, "destroying the VSpace of a live thread and reusing its memory is safe")
{
	cptr_t ut = mk_untyped(env, 22);
	cptr_t cn = mk(env, OBJ_CNODE, 10);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct vspace vs;
	struct thread t;
	word_t rva;
	volatile word_t *shared;
	struct sys_msg m;

	env->only_ut = ut;
	CHECK_OK(vspace_clone(env, &vs));
	env->only_ut = 0;
	shared = vspace_share(env, &vs, &rva);
	CHECK(shared);
	CHECK_OK(thread_create_in(env, &t, &vs, INIT_CNODE, 0, ep, THREAD_SELF));
	CHECK_OK(thread_start(&t, worker_count, rva, 0, PRIO_TICKER, 0));
	settle(env);
	settle(env);
	CHECK(*shared > 0);
	/* destroy PML4, tables and image frames; the TCB lives on */
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_OK(untyped_retype(ut, OBJ_FRAME_4K, 0, R, cn, 64, 0, 1024));
	for (word_t i = 0; i < 16; i++) {
		cptr_t f = mk_slot(env);
		CHECK_OK(cnode_move(R, f, 64, cn, i * 64, 10));
		volatile word_t *p = env_map(env, f, RIGHT_READ | RIGHT_WRITE);
		CHECK(p);
		for (int j = 0; j < 512; j++)
			p[j] = 0x0000000000400067ul + ((word_t)j << 12);
	}
	settle(env);
	word_t c = *shared;
	settle(env);
	settle(env);
	/* the thread is stopped (faulted to ep, or gone); it does not run on */
	CHECK_EQ(*shared, c);
	memset(&m, 0, sizeof(m));
	sys_nbrecv(ep, &m);      /* take its fault message, if it sent one */
	CHECK_OK(tcb_suspend(t.tcb));
}
