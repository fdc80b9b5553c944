/*
 * CNode invocations: copy, mint, move, mutate, rotate, delete, revoke,
 * cancel badged sends; rights, badges and the derivation tree.
 */
#include "test.h"

#define BADGE_MAX ((1ul << ABI_BADGE_BITS) - 1)

static word_t send_label(cptr_t cap)
{
	return ipc_label(SYS_NBSEND, cap);
}

TEST(CNODE_0001, "copy makes a second cap of the same type")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t c = mk_copy(env, ep, RIGHTS_ALL);

	CHECK_EQ(cap_type(c), OBJ_ENDPOINT);
	CHECK_EQ(cap_type(ep), OBJ_ENDPOINT);
	CHECK_EQ(send_label(c), 0);
}

TEST(CNODE_0002, "copy into an occupied slot fails with E_DELETE_FIRST")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	CHECK_ST(cnode_copy(R, n, 64, R, ep, 64, RIGHTS_ALL), E_DELETE_FIRST);
	CHECK_EQ(cap_type(n), OBJ_NOTIFICATION);
	CHECK_ST(cnode_copy(R, INIT_TCB, 64, R, ep, 64, RIGHTS_ALL), E_DELETE_FIRST);
}

TEST(CNODE_0003, "copy from an empty slot fails with E_FAILED_LOOKUP, mr0 = 1 (source)")
{
	cptr_t empty = mk_slot(env);
	cptr_t d = mk_slot(env);

	CHECK_ST(cnode_copy(R, d, 64, R, empty, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_EQ(kernel_last_detail(0), 1);
	CHECK_EQ(cap_type(d), 0);
}

TEST(CNODE_0004, "a destination depth that does not match fails, mr1 = LF_DEPTH_MISMATCH")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t d = mk_slot(env);

	CHECK_ST(cnode_copy(R, d, 32, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_EQ(kernel_last_detail(0), 0);
	CHECK_EQ(kernel_last_detail(1), LF_DEPTH_MISMATCH);
	CHECK_ST(cnode_copy(R, d, 64, R, ep, 63, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_EQ(kernel_last_detail(0), 1);
	CHECK_EQ(cap_type(d), 0);
}

TEST(CNODE_0005, "depth 0 or above 64 fails with E_FAILED_LOOKUP")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t d = mk_slot(env);

	CHECK_ST(cnode_copy(R, d, 0, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_ST(cnode_copy(R, d, 65, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_ST(cnode_copy(R, d, 64, R, ep, 0, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_ST(cnode_copy(R, d, 64, R, ep, 1000, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_EQ(cap_type(d), 0);
}

TEST(CNODE_0006, "copy rights are ANDed with the source's and never regained")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t ro = mk_copy(env, ep, RIGHT_READ);
	cptr_t again = mk_copy(env, ro, RIGHTS_ALL);

	CHECK_EQ(send_label(ep), 0);
	CHECK_EQ(send_label(ro), E_NO_RIGHTS);
	CHECK_EQ(send_label(again), E_NO_RIGHTS);
}

TEST(CNODE_0007, "mint sets the badge of an unbadged notification cap")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t b = mk_mint(env, n, RIGHTS_ALL, 5);

	CHECK_EQ(badge_via(b, n), 5);
	CHECK_EQ(sys_poll(n), 0);
}

TEST(CNODE_0008, "rebadging a badged cap fails with E_ILLEGAL_OPERATION; badge 0 keeps it")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t b = mk_mint(env, n, RIGHTS_ALL, 5);
	cptr_t d = mk_slot(env);

	CHECK_ST(cnode_mint(R, d, 64, R, b, 64, RIGHTS_ALL, 6), E_ILLEGAL_OPERATION);
	CHECK_EQ(cap_type(d), 0);
	CHECK_OK(cnode_mint(R, d, 64, R, b, 64, RIGHTS_ALL, 0));
	CHECK_EQ(badge_via(d, n), 5);
}

TEST(CNODE_0009, "a badge above 62 bits fails with E_INVALID_ARGUMENT, mr0 = 5")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t d = mk_slot(env);

	CHECK_ST(cnode_mint(R, d, 64, R, n, 64, RIGHTS_ALL, 1ul << ABI_BADGE_BITS), E_INVALID_ARGUMENT);
	CHECK_EQ(kernel_last_detail(0), 5);
	CHECK_ST(cnode_mint(R, d, 64, R, n, 64, RIGHTS_ALL, ~0ul), E_INVALID_ARGUMENT);
	CHECK_EQ(cap_type(d), 0);
}

TEST(CNODE_0010, "the largest 62-bit badge is accepted and delivered")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t b = mk_mint(env, n, RIGHTS_ALL, BADGE_MAX);

	CHECK_EQ(badge_via(b, n), BADGE_MAX);
}

TEST(CNODE_0011, "mint of an endpoint restricts rights like copy")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t b = mk_mint(env, ep, RIGHT_READ, 9);

	CHECK_EQ(send_label(b), E_NO_RIGHTS);
	cptr_t w = mk_mint(env, ep, RIGHT_WRITE, 9);
	CHECK_EQ(send_label(w), 0);
	CHECK_EQ(ipc_label(SYS_NBRECV, w), E_NO_RIGHTS);
}

TEST(CNODE_0012, "move empties the source and keeps the derivation position")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t c = mk_copy(env, ep, RIGHTS_ALL);
	cptr_t d = mk_slot(env);

	CHECK_OK(cnode_move(R, d, 64, R, c, 64));
	CHECK_EQ(cap_type(c), 0);
	CHECK_EQ(cap_type(d), OBJ_ENDPOINT);
	CHECK_OK(cnode_revoke(R, ep, 64));
	CHECK_EQ(cap_type(d), 0);
	CHECK_EQ(cap_type(ep), OBJ_ENDPOINT);
}

TEST(CNODE_0013, "move into an occupied slot fails with E_DELETE_FIRST, source intact")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	CHECK_ST(cnode_move(R, n, 64, R, ep, 64), E_DELETE_FIRST);
	CHECK_EQ(cap_type(ep), OBJ_ENDPOINT);
	CHECK_EQ(cap_type(n), OBJ_NOTIFICATION);
}

TEST(CNODE_0014, "move from an empty slot fails with E_FAILED_LOOKUP, mr0 = 1")
{
	cptr_t e = mk_slot(env), d = mk_slot(env);

	CHECK_ST(cnode_move(R, d, 64, R, e, 64), E_FAILED_LOOKUP);
	CHECK_EQ(kernel_last_detail(0), 1);
}

TEST(CNODE_0015, "mutate moves a cap and sets its badge")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t c = mk_copy(env, n, RIGHTS_ALL);
	cptr_t d = mk_slot(env);

	CHECK_OK(cnode_mutate(R, d, 64, R, c, 64, 9));
	CHECK_EQ(cap_type(c), 0);
	CHECK_EQ(badge_via(d, n), 9);
}

TEST(CNODE_0016, "a mutated cap stays a child of its parent (revoke removes it)")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t c = mk_copy(env, n, RIGHTS_ALL);
	cptr_t d = mk_slot(env);

	CHECK_OK(cnode_mutate(R, d, 64, R, c, 64, 3));
	CHECK_OK(cnode_revoke(R, n, 64));
	CHECK_EQ(cap_type(d), 0);
	CHECK_EQ(cap_type(n), OBJ_NOTIFICATION);
}

TEST(CNODE_0017, "rotate moves src to pivot and pivot to dest with new badges")
{
	cptr_t n1 = mk(env, OBJ_NOTIFICATION, 0), n2 = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t a = mk_copy(env, n1, RIGHTS_ALL), b = mk_copy(env, n2, RIGHTS_ALL);
	cptr_t d = mk_slot(env);

	CHECK_OK(cnode_rotate(R, d, 64, 3, R, b, 64, 4, R, a, 64));
	CHECK_EQ(cap_type(a), 0);
	CHECK_EQ(badge_via(b, n1), 4);
	CHECK_EQ(badge_via(d, n2), 3);
}

TEST(CNODE_0018, "rotate with dest == src swaps two caps")
{
	cptr_t n1 = mk(env, OBJ_NOTIFICATION, 0), n2 = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t a = mk_copy(env, n1, RIGHTS_ALL), b = mk_copy(env, n2, RIGHTS_ALL);

	CHECK_OK(cnode_rotate(R, a, 64, 7, R, b, 64, 8, R, a, 64));
	CHECK_EQ(badge_via(b, n1), 8);
	CHECK_EQ(badge_via(a, n2), 7);
}

TEST(CNODE_0019, "rotate into an occupied dest (other than src) fails with E_DELETE_FIRST")
{
	cptr_t n1 = mk(env, OBJ_NOTIFICATION, 0), n2 = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t a = mk_copy(env, n1, RIGHTS_ALL), b = mk_copy(env, n2, RIGHTS_ALL);
	cptr_t d = mk_copy(env, n2, RIGHTS_ALL);

	CHECK_ST(cnode_rotate(R, d, 64, 3, R, b, 64, 4, R, a, 64), E_DELETE_FIRST);
	CHECK_EQ(badge_via(a, n1), 0);
	CHECK_EQ(cap_type(a), OBJ_NOTIFICATION);
	CHECK_EQ(cap_type(b), OBJ_NOTIFICATION);
}

TEST(CNODE_0020, "rotate from an empty src or pivot fails and changes nothing")
{
	cptr_t n1 = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t a = mk_copy(env, n1, RIGHTS_ALL);
	cptr_t e = mk_slot(env), d = mk_slot(env);

	CHECK(cnode_rotate(R, d, 64, 0, R, a, 64, 0, R, e, 64) != E_OK);
	CHECK(cnode_rotate(R, d, 64, 0, R, e, 64, 0, R, a, 64) != E_OK);
	CHECK_EQ(cap_type(a), OBJ_NOTIFICATION);
	CHECK_EQ(cap_type(d), 0);
}

TEST(CNODE_0021, "delete removes one cap; other caps to the object keep working")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t b = mk_mint(env, n, RIGHTS_ALL, 2);
	cptr_t c = mk_mint(env, n, RIGHTS_ALL, 4);

	CHECK_OK(cnode_delete(R, b, 64));
	CHECK_EQ(cap_type(b), 0);
	CHECK_EQ(badge_via(c, n), 4);
}

TEST(CNODE_0022, "delete of an empty slot succeeds, twice")
{
	cptr_t e = mk_slot(env);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	CHECK_OK(cnode_delete(R, e, 64));
	CHECK_OK(cnode_delete(R, n, 64));
	CHECK_OK(cnode_delete(R, n, 64));
	CHECK_EQ(cap_type(n), 0);
}

static volatile word_t blocked_label;

static word_t recv_and_report(word_t ep, word_t done)
{
	struct sys_msg m = { 0 };

	sys_recv(ep, &m);
	blocked_label = mi_label(m.info);
	sys_signal(done);
	return 0;
}

TEST(CNODE_0023, "deleting the last cap of an endpoint wakes its receiver with E_DELETED")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t done = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t done_b = mk_mint(env, done, RIGHTS_ALL, 1);
	struct thread t;

	blocked_label = 99;
	spawn(env, &t, recv_and_report, ep, done_b, 100);
	settle(env);
	CHECK_EQ(blocked_label, 99);
	CHECK_OK(cnode_delete(R, ep, 64));
	CHECK_EQ(sys_wait(done), 1);
	CHECK_EQ(blocked_label, E_DELETED);
}

TEST(CNODE_0024, "revoke removes a chain of copies but keeps the cap itself")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t c[5];

	c[0] = mk_copy(env, ep, RIGHTS_ALL);
	for (int i = 1; i < 5; i++)
		c[i] = mk_copy(env, c[i - 1], RIGHTS_ALL);
	CHECK_OK(cnode_revoke(R, ep, 64));
	for (int i = 0; i < 5; i++)
		CHECK_EQ(cap_type(c[i]), 0);
	CHECK_EQ(cap_type(ep), OBJ_ENDPOINT);
}

TEST(CNODE_0025, "revoke in the middle of a chain keeps the ancestors")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t c1 = mk_copy(env, ep, RIGHTS_ALL);
	cptr_t c2 = mk_copy(env, c1, RIGHTS_ALL);
	cptr_t c3 = mk_copy(env, c2, RIGHTS_ALL);
	cptr_t sib = mk_copy(env, ep, RIGHTS_ALL);

	CHECK_OK(cnode_revoke(R, c1, 64));
	CHECK_EQ(cap_type(c2), 0);
	CHECK_EQ(cap_type(c3), 0);
	CHECK_EQ(cap_type(c1), OBJ_ENDPOINT);
	CHECK_EQ(cap_type(ep), OBJ_ENDPOINT);
	CHECK_EQ(cap_type(sib), OBJ_ENDPOINT);
}

TEST(CNODE_0026, "a slot index beyond the root's radix fails, mr1 = LF_GUARD_MISMATCH")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	word_t beyond = 1ul << test_bootinfo->cnode_radix;

	CHECK_ST(cnode_copy(R, beyond, 64, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_EQ(kernel_last_detail(1), LF_GUARD_MISMATCH);
	CHECK_ST(cnode_copy(R, beyond | 1ul << 63, 64, R, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP);
	CHECK_EQ(kernel_last_detail(1), LF_GUARD_MISMATCH);
}

TEST(CNODE_0027, "an unknown CNode invocation label fails with E_ILLEGAL_OPERATION")
{
	word_t args[2] = { 0, 64 };

	CHECK_ST(kernel_invoke(R, 999, 2, args, 0, 0, 0, 0), E_ILLEGAL_OPERATION);
	CHECK_ST(kernel_invoke(R, TCB_SUSPEND, 2, args, 0, 0, 0, 0), E_ILLEGAL_OPERATION);
	CHECK_ST(kernel_invoke(R, INV_INVALID, 2, args, 0, 0, 0, 0), E_ILLEGAL_OPERATION);
}

TEST(CNODE_0028, "copy without the source root cap fails with E_TRUNCATED_MESSAGE")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t d = mk_slot(env);
	word_t args[5] = { d, 64, ep, 64, RIGHTS_ALL };

	CHECK_ST(kernel_invoke(R, CNODE_COPY, 5, args, 0, 0, 0, 0), E_TRUNCATED_MESSAGE);
	cptr_t caps[1] = { R };
	CHECK_ST(kernel_invoke(R, CNODE_COPY, 3, args, 1, caps, 0, 0), E_TRUNCATED_MESSAGE);
	CHECK_EQ(cap_type(d), 0);
}

TEST(CNODE_0029, "copy with a source root that is not a CNode fails")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t d = mk_slot(env);
	cptr_t e = mk_slot(env);

	CHECK_ST2(cnode_copy(R, d, 64, ep, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP, E_INVALID_CAPABILITY);
	CHECK_ST2(cnode_copy(R, d, 64, e, ep, 64, RIGHTS_ALL), E_FAILED_LOOKUP, E_INVALID_CAPABILITY);
	CHECK_EQ(cap_type(d), 0);
}

TEST(CNODE_0030, "a cap with no rights can neither signal nor wait")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t none = mk_mint(env, n, 0, 1);

	CHECK_EQ(ipc_label(SYS_SEND, none), E_NO_RIGHTS);
	CHECK_EQ(ipc_label(SYS_NBRECV, none), E_NO_RIGHTS);
	CHECK_EQ(ipc_label(SYS_RECV, none), E_NO_RIGHTS);
	CHECK_EQ(sys_poll(n), 0);
}

TEST(CNODE_0031, "move of a cap onto itself fails and keeps the cap")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	CHECK(cnode_move(R, ep, 64, R, ep, 64) != E_OK);
	CHECK_EQ(cap_type(ep), OBJ_ENDPOINT);
	CHECK(cnode_copy(R, ep, 64, R, ep, 64, RIGHTS_ALL) != E_OK);
	CHECK_EQ(cap_type(ep), OBJ_ENDPOINT);
}

TEST(CNODE_0032, "deleting the only cap of a TCB destroys the thread")
{
	cptr_t go = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t done = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t done_b = mk_mint(env, done, RIGHTS_ALL, 1);
	struct thread t;

	spawn(env, &t, worker_relay, go, done_b, 100);
	sys_signal(go);
	CHECK_EQ(sys_wait(done), 1);
	CHECK_OK(cnode_delete(R, t.tcb, 64));
	sys_signal(go);
	settle(env);
	CHECK_EQ(sys_poll(done), 0);
}

TEST(CNODE_0033, "cancel badged sends succeeds on badged and unbadged endpoint caps")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t b = mk_mint(env, ep, RIGHTS_ALL, 77);

	CHECK_OK(cnode_cancel_badged_sends(R, b, 64));
	CHECK_OK(cnode_cancel_badged_sends(R, ep, 64));
}

static word_t send_badged(word_t ep, word_t unused)
{
	struct sys_msg m = { 0 };

	(void)unused;
	m.info = mi_make(5, 0, 0, 1);
	m.mr[0] = 0x1234;
	sys_send(ep, &m);
	return 0;
}

TEST(CNODE_0034, "after cancel badged sends + delete, the badged sender's message is gone")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t b = mk_mint(env, ep, RIGHTS_ALL, 77);
	struct thread t;
	struct sys_msg m;

	spawn(env, &t, send_badged, b, 0, 100);
	settle(env);
	CHECK_OK(cnode_cancel_badged_sends(R, b, 64));
	CHECK_OK(cnode_delete(R, b, 64));
	CHECK_OK(cnode_delete(R, t.tcb, 64));
	memset(&m, 0, sizeof(m));
	sys_nbrecv(ep, &m);
	CHECK_EQ(m.badge, 0);
	CHECK_EQ(mi_label(m.info), 0);
}

TEST(CNODE_0035, "a copy of a TCB cap can be invoked")
{
	cptr_t tcb = mk(env, OBJ_TCB, 0);
	cptr_t c = mk_copy(env, tcb, RIGHTS_ALL);

	CHECK_OK(tcb_set_priority(c, INIT_TCB, 10));
	CHECK_OK(tcb_suspend(c));
}

TEST(CNODE_0036, "a copy of the root CNode cap works as an invocation root")
{
	cptr_t rc = mk_copy(env, INIT_CNODE, RIGHTS_ALL);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t d = mk_slot(env);

	CHECK_EQ(cap_type(rc), OBJ_CNODE);
	CHECK_OK(cnode_copy(rc, d, 64, rc, ep, 64, RIGHTS_ALL));
	CHECK_EQ(cap_type(d), OBJ_ENDPOINT);
	CHECK_OK(cnode_delete(rc, d, 64));
	CHECK_EQ(cap_type(d), 0);
}

TEST(CNODE_0037, "revoke of a cap without children succeeds and keeps it")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	CHECK_OK(cnode_revoke(R, n, 64));
	CHECK_EQ(cap_type(n), OBJ_NOTIFICATION);
	CHECK_OK(cnode_revoke(R, mk_slot(env), 64));
}

TEST(CNODE_0038, "a deleted slot can be filled again")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t c = mk_copy(env, n, RIGHTS_ALL);

	CHECK_OK(cnode_delete(R, c, 64));
	CHECK_OK(cnode_mint(R, c, 64, R, n, 64, RIGHTS_ALL, 0x30));
	CHECK_EQ(badge_via(c, n), 0x30);
}

TEST(CNODE_0039, "mutate of a badged cap to another badge fails; mutate with 0 keeps it")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t b = mk_mint(env, n, RIGHTS_ALL, 5);
	cptr_t d = mk_slot(env);

	CHECK_ST(cnode_mutate(R, d, 64, R, b, 64, 6), E_ILLEGAL_OPERATION);
	CHECK_EQ(cap_type(b), OBJ_NOTIFICATION);
	CHECK_OK(cnode_mutate(R, d, 64, R, b, 64, 0));
	CHECK_EQ(badge_via(d, n), 5);
}

TEST(CNODE_0040, "deleting a cap in the middle of a chain keeps its children reachable by revoke")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t c1 = mk_copy(env, ep, RIGHTS_ALL);
	cptr_t c2 = mk_copy(env, c1, RIGHTS_ALL);

	CHECK_OK(cnode_delete(R, c1, 64));
	CHECK_EQ(cap_type(c2), OBJ_ENDPOINT);
	CHECK_OK(cnode_revoke(R, ep, 64));
	CHECK_EQ(cap_type(c2), 0);
}

TEST(CNODE_0041, "revoking a CNode cap removes its copies, not the caps stored inside")
{
	cptr_t cn = mk(env, OBJ_CNODE, 2);
	cptr_t copy = mk_copy(env, cn, RIGHTS_ALL);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t back = mk_slot(env);

	CHECK_OK(cnode_mint(cn, 1, 2, R, n, 64, RIGHTS_ALL, 0x12));
	CHECK_OK(cnode_revoke(R, cn, 64));
	CHECK_EQ(cap_type(copy), 0);
	CHECK_OK(cnode_move(R, back, 64, cn, 1, 2));
	CHECK_EQ(badge_via(back, n), 0x12);
}
