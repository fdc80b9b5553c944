// hosttest-sources: kernel/src/cap.c
// hosttest-cflags: -Ikernel/arch/x86_64/include
/*
 * Host unit tests of kernel/src/cap.c: revocation with its stack
 * sentinel (cte_revoke).
 * The fakes of the finalisers and the helpers: cap_common.h.
 *
 * Areas: REV (cte_revoke).
 */
#include "cap_common.h"

/* ========================================================================= */
/* REV: revocation                                                           */
/* ========================================================================= */

TEST(REV_0001, "revoking a cap without children changes nothing")
{
	struct cte *a = root(ep_cap(new_ep()));
	struct cte *b = copy(a);
	struct cte *c = copy(a);           /* a c b */
	cte_revoke(c);
	cte_revoke(b);
	CHECK_LIST(a, {a, 0}, {c, 1}, {b, 1});
	struct cte *l = root(ep_cap(new_ep()));
	cte_revoke(l);
	CHECK_LIST(l, {l, 0});
	CHECK_EQ(nev, 0);
}

TEST(REV_0002, "revoke removes exactly the subtree: not the cap, its siblings, its parent or the parent's other children")
{
	struct endpoint *e = new_ep();
	struct cte *p = root(ep_cap(e));
	struct cte *s1 = copy(p);
	struct cte *s1k = copy(s1);
	struct cte *n = copy(p);
	struct cte *k1 = copy(n);
	struct cte *k2 = copy(n);
	struct cte *g = copy(k1);
	struct cte *gg = copy(g);
	struct cte *s2 = copy(p);
	struct cte *s2k = copy(s2);        /* p s2 s2k n k2 k1 g gg s1 s1k */
	CHECK_LIST(p, {p, 0}, {s2, 1}, {s2k, 2}, {n, 1}, {k2, 2}, {k1, 2}, {g, 3}, {gg, 4}, {s1, 1}, {s1k, 2});
	cte_revoke(n);
	CHECK(gone(k1) && gone(k2) && gone(g) && gone(gg));
	CHECK_LIST(p, {p, 0}, {s2, 1}, {s2k, 2}, {n, 1}, {s1, 1}, {s1k, 2});
	CHECK(!mdb_has_children(n));
	CHECK_EQ(nev, 0);
	CHECK_MDB(p);
}

static struct cap frame_cap(uint64_t paddr)
{
	return cap_make(OBJ_FRAME_4K, RIGHT_READ | RIGHT_WRITE, paddr, 0);
}

TEST(REV_0003, "revoke of a 10,000-deep chain of frame copies removes and unmaps all of it, flat stack")
{
	enum { N = 10000 };
	struct cte *top = root(frame_cap(0x7000));
	struct cte *after = copy(top);     /* a sibling after the chain */
	struct cte *a = copy(top);         /* top a ... after */
	struct cte **k = test_alloc(8, N * sizeof(*k));
	k[0] = copy(a);
	for (unsigned i = 1; i < N; i++)
		k[i] = copy(k[i - 1]);
	STACK_MARK();
	cte_revoke(a);
	CHECK_MSG(STACK_USED() < STACK_LIMIT, "%zu bytes of stack", (size_t)STACK_USED());
	for (unsigned i = 0; i < N; i++)
		CHECK_MSG(gone(k[i]), "chain node %u", i);
	CHECK_LIST(top, {top, 0}, {a, 1}, {after, 1});
	CHECK_EQ(count_ev(EV_UNMAP, 0x7000), N);
	CHECK_EQ(nev, N);
}

TEST(REV_0004, "revoke of a 10,000-wide fan of frame copies removes and unmaps every child and nothing else")
{
	enum { N = 10000 };
	struct cte *top = root(frame_cap(0x7000));
	struct cte *before = copy(top);
	struct cte *a = copy(top);
	struct cte *beside = copy(top);    /* top beside a before */
	struct cte *bk = copy(beside);
	struct cte **k = test_alloc(8, N * sizeof(*k));
	for (unsigned i = 0; i < N; i++)
		k[i] = copy(a);
	STACK_MARK();
	cte_revoke(a);
	CHECK_MSG(STACK_USED() < STACK_LIMIT, "%zu bytes of stack", (size_t)STACK_USED());
	for (unsigned i = 0; i < N; i++)
		CHECK_MSG(gone(k[i]), "child %u", i);
	CHECK_LIST(top, {top, 0}, {beside, 1}, {bk, 2}, {a, 1}, {before, 1});
	CHECK_EQ(count_ev(EV_UNMAP, 0x7000), N);
	CHECK_EQ(nev, N);
}

TEST(REV_0005, "revoking an untyped finalises each object retyped from it exactly once")
{
	struct cte *u = root(ut_cap(0x1000000, 24));
	struct endpoint *e = new_ep();
	struct notification *n = new_ntfn();
	struct cte *ea = retype_to(u, new_slot(), ep_cap(e));
	struct cte *eb = copy(ea);
	mint(eb, 4);
	struct cte *na = retype_to(u, new_slot(), ntfn_cap(n));
	copy(na);
	struct tcb *t = new_tcb();
	struct cte *ta = retype_to(u, new_slot(), tcb_cap(t));
	copy(ta);
	struct cte *sub = retype_to(u, new_slot(), ut_cap(0x1800000, 23));
	struct endpoint *e2 = new_ep();
	retype_to(sub, new_slot(), ep_cap(e2));
	cte_revoke(u);
	CHECK_LIST(u, {u, 0});
	CHECK_EQ(EP_FINALISED(e), 1);
	CHECK_EQ(EP_FINALISED(e2), 1);
	CHECK_EQ(count_ev(EV_NTFN, (uint64_t)n), 1);
	CHECK_EQ(TCB_FINALISED(t), 1);
	CHECK_EQ(nev, 4);
}

TEST(REV_0006, "revoke where a CNode's finalisation deletes caps in the middle of the revoked subtree")
{
	/* u: [e (endpoint): [cn[2] (inside the CNode), e2], c (CNode cn)] */
	struct cte *u = root(ut_cap(0x1000000, 24));
	struct endpoint *ep = new_ep();
	struct notification *nt = new_ntfn();
	struct cte *cn = new_cnode(2);
	struct cte *c = retype_to(u, new_slot(), cnode_cap(cn, 2));
	struct cte *n = retype_to(u, &cn[0], ntfn_cap(nt));         /* only cap: inside */
	struct cte *e = retype_to(u, new_slot(), ep_cap(ep));
	struct cte *e2 = copy(e);
	copy_to(e, &cn[2]);                                          /* u e cn[2] e2 cn[0] c */
	CHECK_LIST(u, {u, 0}, {e, 1}, {&cn[2], 2}, {e2, 2}, {n, 1}, {c, 1});
	cte_revoke(u);                     /* c goes first and takes cn[2] and cn[0] with it */
	CHECK_LIST(u, {u, 0});
	CHECK_EQ(EP_FINALISED(ep), 1);
	CHECK_EQ(count_ev(EV_NTFN, (uint64_t)nt), 1);
	CHECK_EQ(nev, 2);
	CHECK(gone(c) && gone(e) && gone(e2) && gone(&cn[2]) && gone(n));
}

TEST(REV_0007, "revoke where finalisation deletes the cap just after the revoked subtree")
{
	/* u0: [u: [c (CNode)], y (endpoint, stored in c)] */
	struct cte *u0 = root(ut_cap(0x1000000, 24));
	struct cte *cn = new_cnode(1);
	struct endpoint *ep = new_ep();
	struct cte *y = retype_to(u0, &cn[1], ep_cap(ep));
	struct cte *u = retype_to(u0, new_slot(), ut_cap(0x1800000, 23));
	struct cte *c = retype_to(u, new_slot(), cnode_cap(cn, 1));   /* u0 u c y */
	CHECK_LIST(u0, {u0, 0}, {u, 1}, {c, 2}, {y, 1});
	cte_revoke(u);
	CHECK(gone(c) && gone(y));
	CHECK_EQ(EP_FINALISED(ep), 1);
	CHECK_LIST(u0, {u0, 0}, {u, 1});
}

TEST(REV_0008, "revoke where finalisation deletes an ancestor of the revoked cap: depths stay right")
{
	/* uu: [u0: [u: [c (CNode holding u0's cap)], y]] */
	struct cte *uu = root(ut_cap(0x4000000, 26));
	struct cte *cn = new_cnode(1);
	struct cte *u0 = retype_to(uu, &cn[0], ut_cap(0x1000000, 24));
	struct cte *y = retype_to(u0, new_slot(), ep_cap(new_ep()));
	struct cte *u = retype_to(u0, new_slot(), ut_cap(0x1800000, 23));
	struct cte *c = retype_to(u, new_slot(), cnode_cap(cn, 1));   /* uu u0 u c y */
	struct cte *z = retype_to(u, new_slot(), ep_cap(new_ep()));   /* uu u0 u z c y */
	CHECK_LIST(uu, {uu, 0}, {u0, 1}, {u, 2}, {z, 3}, {c, 3}, {y, 2});
	cte_revoke(u);
	CHECK(gone(c) && gone(z) && gone(&cn[0]));
	CHECK_EQ(count_ev(EV_EP, ANY), 1);
	CHECK_LIST(uu, {uu, 0}, {u, 1}, {y, 1});
}

TEST(REV_0009, "revoke leaves no sentinel and no pointer to its stack in the list")
{
	struct cte *p = root(ep_cap(new_ep()));
	struct cte *after = copy(p);
	struct cte *n = copy(p);
	copy(n);
	copy(copy(n));                     /* p n . . . after */
	cte_revoke(n);
	CHECK(n->next == after);
	CHECK(after->prev == n);
	CHECK_EQ(n->flags, 0);
	CHECK_MDB(p);
	/* revoke at the end of a list */
	struct cte *q = root(ep_cap(new_ep()));
	copy(copy(q));
	cte_revoke(q);
	CHECK(q->next == NULL);
	CHECK_LIST(q, {q, 0});
}

TEST(REV_0010, "after a revoke the cap can be copied and revoked again")
{
	struct endpoint *e = new_ep();
	struct cte *a = root(ep_cap(e));
	for (unsigned round = 0; round < 3; round++) {
		struct cte *b = copy(a), *c = copy(b), *d = copy(a);
		CHECK_LIST(a, {a, 0}, {d, 1}, {b, 1}, {c, 2});
		cte_revoke(a);
		CHECK(gone(b) && gone(c) && gone(d));
		CHECK_LIST(a, {a, 0});
	}
	CHECK_EQ(nev, 0);
	cte_delete(a);
	CHECK_EQ(EP_FINALISED(e), 1);
}

TEST(REV_0011, "revoking a CNode cap's copies does not finalise the CNode or touch its contents")
{
	struct cte *cn = new_cnode(1);
	struct endpoint *e = new_ep();
	root_in(&cn[0], ep_cap(e));
	struct cte *r = root(cnode_cap(cn, 1));
	copy(r);
	copy(copy(r));
	cte_revoke(r);
	CHECK_EQ(nev, 0);
	CHECK(!gone(&cn[0]));
	CHECK_LIST(r, {r, 0});
}

TEST(REV_0012, "revoking an untyped whose own slot is in a CNode retyped from it touches nothing outside the subtree")
{
	/* u0: [e (endpoint), u (stored in c): [c (CNode)]] */
	struct cte *u0 = root(ut_cap(0x1000000, 24));
	struct endpoint *ep = new_ep();
	struct cte *e = retype_to(u0, new_slot(), ep_cap(ep));
	struct cte *tmp = retype_to(u0, new_slot(), ut_cap(0x1800000, 23));
	struct cte *cn = new_cnode(1);
	struct cte *c = retype_to(tmp, new_slot(), cnode_cap(cn, 1));
	cte_move(&cn[0], tmp, tmp->cap);   /* u0 cn[0] c e */
	CHECK_LIST(u0, {u0, 0}, {&cn[0], 1}, {c, 2}, {e, 1});
	cte_revoke(&cn[0]);
	CHECK(gone(c));
	CHECK_EQ(EP_FINALISED(ep), 0);
	CHECK(!gone(u0) && !gone(e));
	CHECK(in_list(u0, e));
	CHECK_MDB(u0);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
