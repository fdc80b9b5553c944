// hosttest-sources: kernel/src/cap.c
// hosttest-cflags: -Ikernel/arch/x86_64/include
/*
 * Host unit tests of kernel/src/cap.c: deletion with zombie-based
 * finalisation of CNodes and TCBs (cte_delete).
 * The fakes of the finalisers and the helpers: cap_common.h.
 *
 * Areas: DEL (cte_delete).
 */
#include "cap_common.h"

/* ========================================================================= */
/* DEL: deletion and finalisation                                            */
/* ========================================================================= */

TEST(DEL_0001, "deleting the only cap to an endpoint finalises it exactly once and empties the slot")
{
	struct endpoint *e = new_ep();
	struct cte *a = root(ep_cap(e));
	cte_delete(a);
	CHECK_EQ(EP_FINALISED(e), 1);
	CHECK_EQ(nev, 1);
	CHECK(gone(a));
	cte_delete(a);                     /* an empty slot: nothing happens */
	CHECK_EQ(nev, 1);
}

TEST(DEL_0002, "deleting a cap that is not the last does not finalise; the last one does, once (both orders)")
{
	struct endpoint *e = new_ep();
	struct cte *a = root(ep_cap(e));
	struct cte *b = copy(a);
	cte_delete(b);
	CHECK_EQ(nev, 0);
	CHECK(gone(b));
	CHECK_LIST(a, {a, 0});
	cte_delete(a);
	CHECK_EQ(EP_FINALISED(e), 1);

	struct endpoint *f = new_ep();
	struct cte *p = root(ep_cap(f));
	struct cte *c = copy(p);
	cte_delete(p);                     /* the parent first */
	CHECK_EQ(EP_FINALISED(f), 0);
	CHECK_LIST(c, {c, 0});
	cte_delete(c);
	CHECK_EQ(EP_FINALISED(f), 1);
	CHECK_EQ(nev, 2);
}

TEST(DEL_0003, "a badged copy keeps the endpoint alive after the original is deleted")
{
	struct endpoint *e = new_ep();
	struct cte *a = root(ep_cap(e));
	struct cte *b = mint(a, 0x1234);
	cte_delete(a);
	CHECK_EQ(EP_FINALISED(e), 0);
	CHECK(mdb_is_last(b));
	cte_delete(b);
	CHECK_EQ(EP_FINALISED(e), 1);
}

TEST(DEL_0004, "notification, PML4 and IRQ handler: finalised once each with their own argument, only by the last cap")
{
	struct notification *n = new_ntfn();
	struct cte *na = root(ntfn_cap(n));
	struct cte *nb = copy(na);

	struct cap pc = cap_make(OBJ_PML4, RIGHTS_ALL, (uint64_t)new_cnode(6), 0);
	cap_set_mapping(&pc, 77, 0, false);
	struct cte *pa = root(pc);
	struct cte *pb = copy(pa);

	struct cte *ia = root(cap_make(CAP_IRQ_HANDLER, RIGHTS_ALL, 9, 0));
	struct cte *ib = copy(ia);
	struct cte *other = root(cap_make(CAP_IRQ_HANDLER, RIGHTS_ALL, 10, 0));

	cte_delete(nb);
	cte_delete(pb);
	cte_delete(ib);
	CHECK_EQ(nev, 0);
	cte_delete(na);
	cte_delete(pa);
	cte_delete(ia);
	CHECK_EQ(count_ev(EV_NTFN, (uint64_t)n), 1);
	CHECK_EQ(count_ev(EV_PML4, 77), 1);
	CHECK_EQ(count_ev(EV_IRQ, 9), 1);
	CHECK_EQ(nev, 3);
	CHECK(!gone(other));
	cte_delete(other);
	CHECK_EQ(count_ev(EV_IRQ, 10), 1);
	CHECK_EQ(count_ev(EV_EP, ANY), 0);
}

TEST(DEL_0005, "every deleted frame or paging-structure cap is unmapped first, copies too, and nothing is finalised")
{
	static const unsigned types[] = { OBJ_FRAME_4K, OBJ_FRAME_2M, OBJ_PDPT, OBJ_PD, OBJ_PT };
	for (unsigned i = 0; i < ARRAY_SIZE(types); i++) {
		nev = 0;
		struct cap c = cap_make(types[i], RIGHT_READ, 0x1000000 + 0x200000 * i, 0);
		cap_set_mapping(&c, 3, 0x400000, true);
		struct cte *a = root(c);
		struct cte *b = copy(a);
		cte_delete(b);
		CHECK_EQ(nev, 1);
		CHECK_EQ(evs[0].kind, EV_UNMAP);
		CHECK(cap_eq(&evs[0].cap, &c));   /* it saw the cap still intact */
		cte_delete(a);
		CHECK_EQ(nev, 2);
		CHECK_EQ(evs[1].kind, EV_UNMAP);
		CHECK_EQ(evs[1].arg, types[i]);
		CHECK(gone(a) && gone(b));
	}
}

TEST(DEL_0006, "untyped, IRQ control and I/O port caps have no finaliser")
{
	struct cte *u = root(ut_cap(0x100000, 20));
	struct cte *ic = root(cap_make(CAP_IRQ_CONTROL, RIGHTS_ALL, 0, 0));
	struct cte *pc = root(cap_make(CAP_IOPORT_CONTROL, RIGHTS_ALL, 0, 0));
	struct cte *p = root(cap_make(CAP_IOPORT, RIGHTS_ALL, 0x70, 0x71));
	cte_delete(u);
	cte_delete(ic);
	cte_delete(pc);
	cte_delete(p);
	CHECK_EQ(nev, 0);
	CHECK(gone(u) && gone(ic) && gone(pc) && gone(p));
}

TEST(DEL_0007, "deleting a zombie slot does nothing")
{
	struct cte *z = new_slot();
	z->cap = cap_make_zombie(1, 0, (uint64_t)new_cnode(0), NULL);
	struct cap before = z->cap;
	cte_delete(z);
	CHECK(cap_eq(&z->cap, &before));
	CHECK_EQ(nev, 0);
}

TEST(DEL_0008, "a CNode holding the last cap to a CNode holding the last cap to an endpoint: all finalised")
{
	struct endpoint *e = new_ep();
	struct notification *n = new_ntfn();
	struct cte *c1 = new_cnode(2), *c2 = new_cnode(3);
	struct cte *r = root(cnode_cap(c1, 2));
	root_in(&c1[3], cnode_cap(c2, 3));
	root_in(&c2[5], ep_cap(e));
	root_in(&c1[0], ntfn_cap(n));
	cte_delete(r);
	CHECK_EQ(EP_FINALISED(e), 1);
	CHECK_EQ(count_ev(EV_NTFN, (uint64_t)n), 1);
	CHECK_EQ(nev, 2);
	CHECK(gone(r));
	for (unsigned i = 0; i < 4; i++)
		CHECK_MSG(gone(&c1[i]), "c1 slot %u", i);
	for (unsigned i = 0; i < 8; i++)
		CHECK_MSG(gone(&c2[i]), "c2 slot %u", i);
}

static void cnode_chain_case(unsigned radix, unsigned n)
{
	/* cn[i] holds, in its last slot, the only cap to cn[i+1]; the deepest
	 * holds the only cap to an endpoint; one external cap to cn[0]. */
	struct cte **cn = test_alloc(8, n * sizeof(*cn));
	unsigned last = (1u << radix) - 1;
	for (unsigned i = 0; i < n; i++)
		cn[i] = new_cnode(radix);
	for (unsigned i = 0; i + 1 < n; i++)
		root_in(&cn[i][last], cnode_cap(cn[i + 1], radix));
	struct endpoint *e = new_ep();
	root_in(&cn[n - 1][0], ep_cap(e));
	struct cte *r = root(cnode_cap(cn[0], radix));
	STACK_MARK();
	cte_delete(r);
	CHECK_EQ(EP_FINALISED(e), 1);
	CHECK_EQ(nev, 1);
	CHECK_MSG(STACK_USED() < STACK_LIMIT, "%zu bytes of stack", (size_t)STACK_USED());
	CHECK(gone(r));
	for (unsigned i = 0; i < n; i++)
		for (unsigned s = 0; s <= last; s++)
			CHECK_MSG(gone(&cn[i][s]), "CNode %u slot %u", i, s);
}

struct chain_row {
	TEST_ROW;
	unsigned radix, n;
};
static const struct chain_row chains[] = {
	{ "DEL_0009", "a chain of 10,000 radix-0 CNodes ending in an endpoint: all finalised, flat stack", 0, 10000 },
	{ "DEL_0010", "a chain of 10,000 radix-2 CNodes ending in an endpoint: all finalised, flat stack", 2, 10000 },
};

TEST_TABLE(DEL_0009, chains, row)
{
	cnode_chain_case(row->radix, row->n);
}

TEST(DEL_0011, "a CNode holding the only cap to itself, deleted through that slot: contents finalised, slot empty")
{
	struct cte *c = new_cnode(2);
	struct endpoint *e = new_ep();
	root_in(&c[1], cnode_cap(c, 2));
	root_in(&c[2], ep_cap(e));
	root_in(&c[3], ntfn_cap(new_ntfn()));
	cte_delete(&c[1]);
	CHECK_EQ(EP_FINALISED(e), 1);
	CHECK_EQ(count_ev(EV_NTFN, ANY), 1);
	CHECK_EQ(nev, 2);
	for (unsigned i = 0; i < 4; i++)
		CHECK_MSG(gone(&c[i]), "slot %u", i);
}

TEST(DEL_0012, "a CNode holding a copy of its own cap: deleting the outside cap finalises nothing; deleting the inside one does")
{
	struct cte *c = new_cnode(1);
	struct endpoint *e = new_ep();
	struct cte *r = root(cnode_cap(c, 1));
	copy_to(r, &c[0]);
	root_in(&c[1], ep_cap(e));
	cte_delete(r);
	CHECK_EQ(nev, 0);
	CHECK(!gone(&c[0]) && !gone(&c[1]));
	CHECK_LIST(&c[0], {&c[0], 0});
	cte_delete(&c[0]);
	CHECK_EQ(EP_FINALISED(e), 1);
	CHECK(gone(&c[0]) && gone(&c[1]));
}

TEST(DEL_0013, "a CNode holding a copy of an outside cap: the object survives and the outside cap becomes the last")
{
	struct endpoint *e = new_ep();
	struct cte *out = root(ep_cap(e));
	struct cte *x = copy(out);
	struct cte *c = new_cnode(1);
	copy_to(out, &c[1]);               /* out c[1] x */
	struct cte *r = root(cnode_cap(c, 1));
	cte_delete(r);
	CHECK_EQ(nev, 0);
	CHECK(gone(&c[1]));
	CHECK_LIST(out, {out, 0}, {x, 1});
	cte_delete(x);
	CHECK(mdb_is_last(out));
	cte_delete(out);
	CHECK_EQ(EP_FINALISED(e), 1);
}

TEST(DEL_0014, "a CNode holding both caps to an endpoint finalises it exactly once")
{
	struct endpoint *e = new_ep();
	struct cte *c = new_cnode(3);
	root_in(&c[6], ep_cap(e));
	copy_to(&c[6], &c[2]);
	mint(&c[2], 3);                    /* a third cap, outside */
	struct cte *m = c[2].next;
	cte_delete(m);
	struct cte *r = root(cnode_cap(c, 3));
	cte_delete(r);
	CHECK_EQ(EP_FINALISED(e), 1);
	CHECK_EQ(nev, 1);
}

TEST(DEL_0015, "deleting a CNode whose caps have children elsewhere lifts those children to their grandparent")
{
	struct endpoint *e = new_ep();
	struct cte *top = root(ep_cap(e));
	struct cte *c = new_cnode(1);
	copy_to(top, &c[0]);
	struct cte *k1 = copy(&c[0]);
	struct cte *k2 = copy(k1);         /* top c[0] k1 k2 */
	struct cte *r = root(cnode_cap(c, 1));
	cte_delete(r);
	CHECK(gone(&c[0]));
	CHECK_LIST(top, {top, 0}, {k1, 1}, {k2, 2});
	CHECK_EQ(nev, 0);
}

TEST(DEL_0016, "a CNode kept alive only by a cap inside itself is not finalised through its parent")
{
	struct cte *c0 = new_cnode(0), *c1 = new_cnode(1);
	struct endpoint *e = new_ep();
	struct cte *r = root(cnode_cap(c0, 0));
	root_in(&c0[0], cnode_cap(c1, 1));
	copy_to(&c0[0], &c1[0]);           /* c1 holds a cap to itself */
	root_in(&c1[1], ep_cap(e));
	cte_delete(r);
	CHECK(gone(&c0[0]));
	CHECK_EQ(nev, 0);                  /* c1 is unreachable but alive */
	CHECK(!gone(&c1[0]) && !gone(&c1[1]));
	CHECK_LIST(&c1[0], {&c1[0], 0});
}

TEST(DEL_0017, "deleting the last TCB cap finalises the TCB once and deletes the caps in its slots")
{
	struct tcb *t = new_tcb();
	struct cte *cs = new_cnode(2);
	struct endpoint *fe = new_ep(), *inner = new_ep();
	root_in(&cs[1], ep_cap(inner));
	root_in(&t->slots[TCB_SLOT_CSPACE], cnode_cap(cs, 2));
	struct cap pml4 = cap_make(OBJ_PML4, RIGHTS_ALL, (uint64_t)new_cnode(6), 0);
	cap_set_mapping(&pml4, 5, 0, false);
	root_in(&t->slots[TCB_SLOT_VSPACE], pml4);
	root_in(&t->slots[TCB_SLOT_IPCBUF], cap_make(OBJ_FRAME_4K, RIGHT_READ | RIGHT_WRITE, 0x5000, 0));
	struct cte *fe_out = root(ep_cap(fe));
	copy_to(fe_out, &t->slots[TCB_SLOT_FAULT_EP]);
	struct cte *r = root(tcb_cap(t));
	cte_delete(r);
	CHECK_EQ(TCB_FINALISED(t), 1);
	CHECK_EQ(EP_FINALISED(inner), 1);
	CHECK_EQ(EP_FINALISED(fe), 0);     /* another cap to it remains */
	CHECK_EQ(count_ev(EV_PML4, 5), 1);
	CHECK_EQ(count_ev(EV_UNMAP, 0x5000), 1);
	CHECK_EQ(nev, 4);
	CHECK(evs[0].kind == EV_TCB);      /* the thread is stopped before its slots go */
	for (unsigned i = 0; i < TCB_SLOT_COUNT; i++)
		CHECK_MSG(gone(&t->slots[i]), "TCB slot %u", i);
	for (unsigned i = 0; i < 4; i++)
		CHECK_MSG(gone(&cs[i]), "CSpace slot %u", i);
	CHECK(gone(r));
	CHECK_LIST(fe_out, {fe_out, 0});
}

TEST(DEL_0018, "deleting a TCB cap that is not the last finalises nothing and leaves its slots")
{
	struct tcb *t = new_tcb();
	struct endpoint *e = new_ep();
	root_in(&t->slots[TCB_SLOT_FAULT_EP], ep_cap(e));
	struct cte *a = root(tcb_cap(t));
	struct cte *b = copy(a);
	cte_delete(a);
	CHECK_EQ(nev, 0);
	CHECK(!gone(&t->slots[TCB_SLOT_FAULT_EP]));
	cte_delete(b);
	CHECK_EQ(TCB_FINALISED(t), 1);
	CHECK_EQ(EP_FINALISED(e), 1);
}

TEST(DEL_0019, "a thread whose CSpace holds the only cap to the thread: deleting that slot finalises everything once")
{
	struct tcb *t = new_tcb();
	struct cte *cs = new_cnode(2);
	struct endpoint *e = new_ep();
	root_in(&t->slots[TCB_SLOT_CSPACE], cnode_cap(cs, 2));
	root_in(&cs[1], tcb_cap(t));
	root_in(&cs[2], ep_cap(e));
	cte_delete(&cs[1]);
	CHECK_EQ(TCB_FINALISED(t), 1);
	CHECK_EQ(EP_FINALISED(e), 1);
	CHECK_EQ(nev, 2);
	for (unsigned i = 0; i < 4; i++)
		CHECK_MSG(gone(&cs[i]), "CSpace slot %u", i);
	for (unsigned i = 0; i < TCB_SLOT_COUNT; i++)
		CHECK_MSG(gone(&t->slots[i]), "TCB slot %u", i);
}

TEST(DEL_0020, "a chain of 10,000 threads, each CSpace holding the only cap to the next thread: all finalised once, flat stack")
{
	enum { N = 10000 };
	struct tcb **t = test_alloc(8, N * sizeof(*t));
	struct cte **cs = test_alloc(8, N * sizeof(*cs));
	for (unsigned i = 0; i < N; i++) {
		t[i] = new_tcb();
		cs[i] = new_cnode(1);
		root_in(&t[i]->slots[TCB_SLOT_CSPACE], cnode_cap(cs[i], 1));
	}
	for (unsigned i = 0; i + 1 < N; i++)
		root_in(&cs[i][1], tcb_cap(t[i + 1]));
	struct endpoint *e = new_ep();
	root_in(&cs[N - 1][0], ep_cap(e));
	struct cte *r = root(tcb_cap(t[0]));
	STACK_MARK();
	cte_delete(r);
	CHECK_MSG(STACK_USED() < STACK_LIMIT, "%zu bytes of stack", (size_t)STACK_USED());
	CHECK_EQ(EP_FINALISED(e), 1);
	CHECK_EQ(count_ev(EV_TCB, ANY), N);
	for (unsigned i = 0; i < N; i++) {
		CHECK_MSG(TCB_FINALISED(t[i]) == 1, "thread %u", i);
		CHECK_MSG(gone(&t[i]->slots[TCB_SLOT_CSPACE]) && gone(&cs[i][0]) && gone(&cs[i][1]), "thread %u", i);
	}
}

TEST(DEL_0021, "a tree of CNodes (4 levels, fan-out 8) with endpoints at the leaves: each finalised once")
{
	enum { FAN = 8, LEVELS = 4 };
	/* breadth-first: level l has FAN^l CNodes of radix 3 */
	unsigned total = 0, n = 1;
	for (unsigned l = 0; l < LEVELS; l++, n *= FAN)
		total += n;
	struct cte **cn = test_alloc(8, total * sizeof(*cn));
	for (unsigned i = 0; i < total; i++)
		cn[i] = new_cnode(3);
	for (unsigned i = 1; i < total; i++)
		root_in(&cn[(i - 1) / FAN][(i - 1) % FAN], cnode_cap(cn[i], 3));
	unsigned first_leaf = total - n / FAN;
	struct endpoint **e = test_alloc(8, total * FAN * sizeof(*e));
	unsigned ne = 0;
	for (unsigned i = first_leaf; i < total; i++)
		for (unsigned s = 0; s < FAN; s++) {
			e[ne] = new_ep();
			root_in(&cn[i][s], ep_cap(e[ne]));
			ne++;
		}
	struct cte *r = root(cnode_cap(cn[0], 3));
	STACK_MARK();
	cte_delete(r);
	CHECK_MSG(STACK_USED() < STACK_LIMIT, "%zu bytes of stack", (size_t)STACK_USED());
	CHECK_EQ(nev, ne);
	for (unsigned i = 0; i < ne; i++)
		CHECK_MSG(EP_FINALISED(e[i]) == 1, "endpoint %u", i);
	for (unsigned i = 0; i < total; i++)
		for (unsigned s = 0; s < FAN; s++)
			CHECK_MSG(gone(&cn[i][s]), "CNode %u slot %u", i, s);
}

TEST(DEL_0022, "a radix-8 CNode full of endpoints, notifications and frames: each finalised or unmapped once")
{
	struct cte *c = new_cnode(8);
	void *obj[256];
	for (unsigned i = 0; i < 256; i++) {
		switch (i % 3) {
		case 0: obj[i] = new_ep(); root_in(&c[i], ep_cap(obj[i])); break;
		case 1: obj[i] = new_ntfn(); root_in(&c[i], ntfn_cap(obj[i])); break;
		default:
			obj[i] = (void *)(uintptr_t)(0x100000 + 0x1000 * i);
			root_in(&c[i], cap_make(OBJ_FRAME_4K, RIGHT_READ, (uint64_t)(uintptr_t)obj[i], 0));
			break;
		}
	}
	struct cte *r = root(cnode_cap(c, 8));
	cte_delete(r);
	CHECK_EQ(nev, 256);
	for (unsigned i = 0; i < 256; i++) {
		enum ev_kind k = i % 3 == 0 ? EV_EP : i % 3 == 1 ? EV_NTFN : EV_UNMAP;
		CHECK_MSG(count_ev(k, (uint64_t)(uintptr_t)obj[i]) == 1, "slot %u", i);
		CHECK_MSG(gone(&c[i]), "slot %u", i);
	}
}

TEST(DEL_0023, "deleting a reply cap whose caller waits for the reply sets E_DELETED once and clears reply_slot")
{
	struct tcb *caller = new_tcb();
	caller->state = TS_BLOCKED_REPLY;
	struct cte *r = root(reply_cap(caller));
	caller->reply_slot = r;
	cte_delete(r);
	CHECK(caller->reply_slot == NULL);
	CHECK_EQ(count_ev(EV_REPLY_ERR, (uint64_t)caller), 1);
	CHECK_EQ(evs[0].arg, E_DELETED);
	CHECK_EQ(nev, 1);
	CHECK(gone(r));
}

TEST(DEL_0024, "deleting a reply cap sets no error when the caller does not wait or someone else owes the reply")
{
	struct tcb *a = new_tcb(), *b = new_tcb(), *holder = new_tcb();
	a->state = TS_RUNNING;
	b->state = TS_BLOCKED_REPLY;
	b->reply_holder = holder;
	struct cte *ra = root(reply_cap(a)), *rb = root(reply_cap(b));
	a->reply_slot = ra;
	b->reply_slot = rb;
	cte_delete(ra);
	cte_delete(rb);
	CHECK_EQ(nev, 0);
	CHECK(a->reply_slot == NULL && b->reply_slot == NULL);
	CHECK(gone(ra) && gone(rb));
}

TEST(DEL_0025, "a reply cap inside a deleted CNode is handled like a directly deleted one")
{
	struct tcb *caller = new_tcb();
	caller->state = TS_BLOCKED_REPLY;
	struct cte *c = new_cnode(1);
	root_in(&c[1], reply_cap(caller));
	caller->reply_slot = &c[1];
	struct cte *r = root(cnode_cap(c, 1));
	cte_delete(r);
	CHECK(caller->reply_slot == NULL);
	CHECK_EQ(count_ev(EV_REPLY_ERR, (uint64_t)caller), 1);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
