// hosttest-sources: kernel/src/cap.c
// hosttest-cflags: -Ikernel/arch/x86_64/include
/*
 * Host unit tests of kernel/src/cap.c: the derivation tree (MDB)
 * primitives, is_last, move and swap. Deletion: cap_delete.c; revocation:
 * cap_revoke.c.
 * The fakes of the finalisers and the helpers: cap_common.h.
 *
 * Areas: MDB (list order, depths, remove, replace), LAST (mdb_is_last),
 * MOV (cte_move, mdb_swap).
 */
#include "cap_common.h"

/* ========================================================================= */
/* MDB: list order and depths                                                */
/* ========================================================================= */

TEST(MDB_0001, "copy makes a child: right after its parent, one deeper, same cap")
{
	struct endpoint *e = new_ep();
	struct cte *a = root(ep_cap(e));
	struct cte *b = copy(a);
	CHECK_LIST(a, {a, 0}, {b, 1});
	CHECK(cap_eq(&a->cap, &b->cap));
	CHECK(mdb_has_children(a));
	CHECK(!mdb_has_children(b));
	CHECK(mdb_parent(b) == a);
	CHECK_EQ(b->flags, 0);
}

TEST(MDB_0002, "a second copy of the same cap goes first among its children, both at depth 1")
{
	struct cte *a = root(ep_cap(new_ep()));
	struct cte *b = copy(a);
	struct cte *c = copy(a);
	struct cte *d = copy(a);
	CHECK_LIST(a, {a, 0}, {d, 1}, {c, 1}, {b, 1});
	CHECK(mdb_parent(b) == a && mdb_parent(c) == a && mdb_parent(d) == a);
	CHECK(!mdb_has_children(b) && !mdb_has_children(c) && !mdb_has_children(d));
}

TEST(MDB_0003, "mints of copies are grandchildren placed right after their parent")
{
	struct cte *a = root(ep_cap(new_ep()));
	struct cte *b = copy(a);
	struct cte *c = copy(a);            /* a c b */
	struct cte *d = mint(b, 7);         /* a c b d */
	struct cte *e = mint(c, 9);         /* a c e b d */
	struct cte *f = mint(e, 11);        /* a c e f b d */
	CHECK_LIST(a, {a, 0}, {c, 1}, {e, 2}, {f, 3}, {b, 1}, {d, 2});
	CHECK_EQ(cap_badge(&d->cap), 7);
	CHECK_EQ(cap_badge(&e->cap), 9);
	CHECK_EQ(cap_badge(&f->cap), 11);
	CHECK(mdb_parent(d) == b && mdb_parent(e) == c && mdb_parent(f) == e);
	CHECK(mdb_has_children(c) && mdb_has_children(e) && !mdb_has_children(f));
	CHECK(mdb_has_children(b) && !mdb_has_children(d));
}

TEST(MDB_0004, "random copy trees (500 nodes): every node's derivation parent is the cap it was copied from")
{
	enum { N = 500 };
	static struct cte *node[N];
	static unsigned parent[N];
	uint64_t seed = 12345;
	struct endpoint *e = new_ep();
	node[0] = root(ep_cap(e));
	for (unsigned i = 1; i < N; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		parent[i] = (unsigned)((seed >> 33) % i);
		node[i] = mint(node[parent[i]], i);
	}
	CHECK_MDB(node[0]);
	CHECK_EQ(list_len(node[0]), N);
	CHECK(node[0]->prev == NULL);
	for (unsigned i = 1; i < N; i++) {
		CHECK_MSG(mdb_parent(node[i]) == node[parent[i]], "node %u", i);
		CHECK_MSG(node[i]->depth == node[parent[i]]->depth + 1, "node %u", i);
	}
	/* each subtree is the run after its root: count children by parent */
	for (unsigned i = 0; i < N; i++) {
		size_t n = 0;
		for (unsigned j = 1; j < N; j++) {
			unsigned k = j;
			while (k && parent[k] != i)
				k = parent[k];
			if (k)
				n++;
		}
		CHECK_MSG(descendants(node[i]) == n, "node %u: %zu descendants, %zu expected", i, descendants(node[i]), n);
	}
}

TEST(MDB_0005, "a cap inserted with no parent stands alone at depth 0")
{
	struct cte *s = new_slot();
	s->prev = s->next = (struct cte *)0x1;   /* stale values are overwritten */
	s->depth = 5;
	s->flags = CTE_SENTINEL;
	cte_insert_child(NULL, s, ep_cap(new_ep()));
	CHECK(s->prev == NULL && s->next == NULL);
	CHECK_EQ(s->depth, 0);
	CHECK_EQ(s->flags, 0);
	CHECK(!mdb_has_children(s));
	CHECK(mdb_is_last(s));
}

TEST(MDB_0006, "has_children: true only when the next node is deeper")
{
	struct cte *u = root(ut_cap(0x100000, 20));
	struct cte *a = retype_to(u, new_slot(), ep_cap(new_ep()));
	struct cte *b = retype_to(u, new_slot(), ep_cap(new_ep()));   /* u b a */
	struct cte *b1 = copy(b);                                      /* u b b1 a */
	CHECK_LIST(u, {u, 0}, {b, 1}, {b1, 2}, {a, 1});
	CHECK(mdb_has_children(u));
	CHECK(mdb_has_children(b));
	CHECK(!mdb_has_children(b1));   /* followed by a shallower node */
	CHECK(!mdb_has_children(a));    /* last in the list */
}

TEST(MDB_0007, "mdb_remove of a leaf links its neighbours and clears its links and depth")
{
	struct cte *a = root(ep_cap(new_ep()));
	struct cte *b = copy(a);
	struct cte *c = copy(b);
	struct cte *d = copy(a);           /* a d b c */
	mdb_remove(d);
	CHECK_LIST(a, {a, 0}, {b, 1}, {c, 2});
	CHECK(d->prev == NULL && d->next == NULL);
	CHECK_EQ(d->depth, 0);
	mdb_remove(c);                     /* the tail */
	CHECK_LIST(a, {a, 0}, {b, 1});
	mdb_remove(a);                     /* the head: b becomes a root */
	CHECK_LIST(b, {b, 0});
}

TEST(MDB_0008, "mdb_remove of an internal node lifts its whole subtree one level, nothing after it")
{
	struct cte *r = root(ep_cap(new_ep()));
	struct cte *x = copy(r);           /* r x */
	struct cte *p = copy(r);           /* r p x */
	struct cte *c1 = copy(p);
	struct cte *c2 = copy(p);          /* r p c2 c1 x */
	struct cte *g = copy(c1);          /* r p c2 c1 g x */
	struct cte *y = copy(x);           /* r p c2 c1 g x y */
	mdb_remove(p);
	CHECK_LIST(r, {r, 0}, {c2, 1}, {c1, 1}, {g, 2}, {x, 1}, {y, 2});
	CHECK(mdb_parent(c1) == r && mdb_parent(c2) == r && mdb_parent(g) == c1);
}

TEST(MDB_0009, "delete of an internal node re-parents its children; revoking the parent still removes them")
{
	struct endpoint *e = new_ep();
	struct cte *p = root(ep_cap(e));
	struct cte *c = copy(p);
	struct cte *g1 = copy(c);
	struct cte *g2 = copy(c);          /* p c g2 g1 */
	struct cte *gg = copy(g1);         /* p c g2 g1 gg */
	struct cte *s = copy(p);           /* p s c g2 g1 gg */
	cte_delete(c);
	CHECK(gone(c));
	CHECK_LIST(p, {p, 0}, {s, 1}, {g2, 1}, {g1, 1}, {gg, 2});
	CHECK(mdb_parent(g1) == p && mdb_parent(g2) == p && mdb_parent(gg) == g1);
	CHECK_EQ(EP_FINALISED(e), 0);
	cte_revoke(p);
	CHECK(gone(s) && gone(g1) && gone(g2) && gone(gg));
	CHECK_LIST(p, {p, 0});
	CHECK_EQ(EP_FINALISED(e), 0);
}

TEST(MDB_0010, "after a re-parenting delete, revoking a new sibling copied from the grandparent does not capture them")
{
	struct cte *gp = root(ep_cap(new_ep()));
	struct cte *p = copy(gp);
	struct cte *c = copy(p);
	struct cte *g1 = copy(c);
	struct cte *g2 = copy(c);          /* gp p c g2 g1 */
	cte_delete(c);                     /* gp p g2 g1 */
	struct cte *s = copy(gp);          /* gp s p g2 g1 */
	CHECK_LIST(gp, {gp, 0}, {s, 1}, {p, 1}, {g2, 2}, {g1, 2});
	cte_revoke(s);
	CHECK_LIST(gp, {gp, 0}, {s, 1}, {p, 1}, {g2, 2}, {g1, 2});
	cte_revoke(p);
	CHECK(gone(g1) && gone(g2));
	CHECK_LIST(gp, {gp, 0}, {s, 1}, {p, 1});
}

TEST(MDB_0011, "mdb_insert_after (not as child) places the node right after the given one at its depth: after the last descendant it is a sibling that captures nothing")
{
	struct cte *p = root(ep_cap(new_ep()));
	struct cte *c = copy(p);
	struct cte *g1 = copy(c);
	struct cte *g2 = copy(c);          /* p c g2 g1 */
	cte_delete(c);                     /* p g2 g1: the children of p now */
	struct cte *s = new_slot();
	s->cap = p->cap;
	mdb_insert_after(g1, s, false);    /* after p's subtree, at g1's depth */
	CHECK_EQ(s->depth, g1->depth);
	CHECK_MDB(p);
	CHECK(mdb_parent(g1) == p);
	CHECK(mdb_parent(g2) == p);
	CHECK(mdb_parent(s) == p);
	CHECK(!mdb_has_children(s));
	cte_revoke(s);
	CHECK(!gone(g1) && !gone(g2));
	CHECK(in_list(p, g1) && in_list(p, g2));
}

TEST(MDB_0012, "mdb_insert_after a leaf, not as child: next in the list at the same depth")
{
	struct cte *a = root(ep_cap(new_ep()));
	struct cte *b = copy(a);
	struct cte *c = copy(a);           /* a c b */
	struct cte *s = new_slot();
	s->cap = c->cap;
	mdb_insert_after(c, s, false);
	CHECK_LIST(a, {a, 0}, {c, 1}, {s, 1}, {b, 1});
	CHECK(mdb_parent(s) == a);
	struct cte *t = new_slot();
	t->cap = b->cap;
	mdb_insert_after(b, t, false);     /* after the tail */
	CHECK_LIST(a, {a, 0}, {c, 1}, {s, 1}, {b, 1}, {t, 1});
}

TEST(MDB_0013, "mdb_replace moves node identity: position, depth, flags; the old slot is unlinked")
{
	struct cte *a = root(ep_cap(new_ep()));
	struct cte *b = copy(a);
	struct cte *c = copy(b);
	struct cte *d = new_slot();
	d->cap = b->cap;
	mdb_replace(b, d);
	CHECK_LIST(a, {a, 0}, {d, 1}, {c, 2});
	CHECK(b->prev == NULL && b->next == NULL);
	CHECK_EQ(b->depth, 0);
	/* head and tail too */
	struct cte *a2 = new_slot(), *c2 = new_slot();
	a2->cap = a->cap;
	c2->cap = c->cap;
	mdb_replace(a, a2);
	mdb_replace(c, c2);
	CHECK_LIST(a2, {a2, 0}, {d, 1}, {c2, 2});
}

TEST(MDB_0014, "10,000 copies of copies: depths 0..9999 in order, each the parent of the next")
{
	enum { N = 10000 };
	struct cte **n = test_alloc(8, N * sizeof(*n));
	n[0] = root(ep_cap(new_ep()));
	for (unsigned i = 1; i < N; i++)
		n[i] = copy(n[i - 1]);
	CHECK_MDB(n[0]);
	const struct cte *c = n[0];
	for (unsigned i = 0; i < N; i++, c = c->next) {
		CHECK_MSG(c == n[i], "position %u", i);
		CHECK_EQ(c->depth, i);
	}
	CHECK(c == NULL);
}

/* ========================================================================= */
/* LAST: mdb_is_last over runs of caps to one object                         */
/* ========================================================================= */

TEST(LAST_0001, "the only cap to an object is the last; with one copy, neither is")
{
	struct cte *a = root(ep_cap(new_ep()));
	CHECK(mdb_is_last(a));
	struct cte *b = copy(a);
	CHECK(!mdb_is_last(a));
	CHECK(!mdb_is_last(b));
	cte_delete(b);
	CHECK(mdb_is_last(a));
}

TEST(LAST_0002, "a run of same-object caps: none is last until one remains, whichever end goes first")
{
	struct cte *a = root(ntfn_cap(new_ntfn()));
	struct cte *b = copy(a);
	struct cte *c = copy(b);
	struct cte *d = copy(a);           /* a d b c */
	CHECK(!mdb_is_last(a) && !mdb_is_last(b) && !mdb_is_last(c) && !mdb_is_last(d));
	cte_delete(b);                     /* a d c */
	CHECK(!mdb_is_last(a) && !mdb_is_last(c) && !mdb_is_last(d));
	cte_delete(a);                     /* d c */
	CHECK(!mdb_is_last(c) && !mdb_is_last(d));
	cte_delete(c);
	CHECK(mdb_is_last(d));
}

TEST(LAST_0003, "caps to different objects next to each other are each the last")
{
	struct cte *u = root(ut_cap(0x200000, 21));
	struct endpoint *e1 = new_ep(), *e2 = new_ep();
	struct cte *a = retype_to(u, new_slot(), ep_cap(e1));
	struct cte *b = retype_to(u, new_slot(), ep_cap(e2));   /* u b a */
	CHECK(mdb_is_last(a));
	CHECK(mdb_is_last(b));
	CHECK(mdb_is_last(u));
	struct cte *b1 = copy(b);                                /* u b b1 a */
	CHECK(!mdb_is_last(b) && !mdb_is_last(b1));
	CHECK(mdb_is_last(a));
}

TEST(LAST_0004, "the same pointer under a different type is a different object")
{
	struct endpoint *e = new_ep();
	struct cte *u = root(ut_cap(0x400000, 22));
	struct cte *a = retype_to(u, new_slot(), ep_cap(e));
	struct cte *b = retype_to(u, new_slot(), ntfn_cap((struct notification *)e));
	CHECK(!cap_same_object(&a->cap, &b->cap));
	CHECK(mdb_is_last(a) && mdb_is_last(b));
	cte_delete(b);
	CHECK_EQ(count_ev(EV_NTFN, (uint64_t)e), 1);
	CHECK_EQ(EP_FINALISED(e), 0);
}

TEST(LAST_0005, "badged mints are caps to the same object")
{
	struct cte *a = root(ep_cap(new_ep()));
	struct cte *b = mint(a, 5);
	struct cte *c = mint(b, 6);
	CHECK(cap_same_object(&a->cap, &c->cap));
	CHECK(!mdb_is_last(a) && !mdb_is_last(b) && !mdb_is_last(c));
}

TEST(LAST_0006, "IRQ control, I/O port control and I/O port caps never count as the same object")
{
	static const unsigned types[] = { CAP_IRQ_CONTROL, CAP_IOPORT_CONTROL, CAP_IOPORT };
	for (unsigned i = 0; i < ARRAY_SIZE(types); i++) {
		struct cte *a = root(cap_make(types[i], RIGHTS_ALL, 0x60, 0x64));
		struct cte *b = copy(a);
		CHECK_MSG(!cap_same_object(&a->cap, &b->cap), "type %u", types[i]);
		CHECK_MSG(mdb_is_last(a) && mdb_is_last(b), "type %u", types[i]);
	}
	struct cap z = cap_null();
	CHECK(!cap_same_object(&z, &z));
}

TEST(LAST_0007, "is_last looks through a revoke sentinel to the real neighbours")
{
	struct cte *a = root(ep_cap(new_ep()));
	struct cte *b = copy(a);           /* a b */
	struct cte s;
	memset(&s, 0, sizeof(s));
	mdb_insert_after(a, &s, false);    /* a s b */
	s.flags = CTE_SENTINEL;
	CHECK(!mdb_is_last(a));
	CHECK(!mdb_is_last(b));
	struct cte *c = root(ep_cap(new_ep()));
	struct cte t;
	memset(&t, 0, sizeof(t));
	mdb_insert_after(c, &t, false);
	t.flags = CTE_SENTINEL;
	CHECK(mdb_is_last(c));             /* only a sentinel next to it */
	a->next = b;                       /* take the sentinels out again */
	b->prev = a;
	c->next = NULL;
	CHECK_LIST(a, {a, 0}, {b, 1});
	CHECK_LIST(c, {c, 0});
}

/* ========================================================================= */
/* MOV: cte_move and mdb_swap                                                */
/* ========================================================================= */

TEST(MOV_0001, "move keeps the position, depth and children; the source slot is empty and unlinked")
{
	struct endpoint *e = new_ep();
	struct cte *a = root(ep_cap(e));
	struct cte *b = copy(a);
	struct cte *c = copy(b);
	struct cte *x = copy(a);           /* a x b c */
	struct cte *d = new_slot();
	struct cap before = b->cap;
	cte_move(d, b, b->cap);
	CHECK(gone(b));
	CHECK(cap_eq(&d->cap, &before));
	CHECK_LIST(a, {a, 0}, {x, 1}, {d, 1}, {c, 2});
	CHECK(mdb_parent(c) == d);
	CHECK_EQ(nev, 0);
}

TEST(MOV_0002, "move with a changed cap (mutate) keeps the position")
{
	struct cte *a = root(ep_cap(new_ep()));
	struct cte *b = copy(a);
	struct cte *c = copy(a);           /* a c b */
	struct cte *d = new_slot();
	struct cap nc = c->cap;
	cap_set_badge(&nc, 42);
	cte_move(d, c, nc);
	CHECK_LIST(a, {a, 0}, {d, 1}, {b, 1});
	CHECK_EQ(cap_badge(&d->cap), 42);
	CHECK(gone(c));
}

TEST(MOV_0003, "move of the head and of the tail of a list")
{
	struct cte *a = root(ep_cap(new_ep()));
	struct cte *b = copy(a);
	struct cte *c = copy(b);
	struct cte *a2 = new_slot(), *c2 = new_slot();
	cte_move(a2, a, a->cap);
	cte_move(c2, c, c->cap);
	CHECK_LIST(a2, {a2, 0}, {b, 1}, {c2, 2});
	CHECK(gone(a) && gone(c));
	struct cte *s = root(ep_cap(new_ep()));
	struct cte *s2 = new_slot();
	cte_move(s2, s, s->cap);           /* a lone cap */
	CHECK_LIST(s2, {s2, 0});
	CHECK(gone(s));
}

TEST(MOV_0004, "move of a reply cap points the caller's reply_slot at the new slot")
{
	struct tcb *caller = new_tcb();
	struct cte *r = root(reply_cap(caller));
	caller->reply_slot = r;
	struct cte *d = new_slot();
	cte_move(d, r, r->cap);
	CHECK(caller->reply_slot == d);
	CHECK(gone(r));
}

TEST(MOV_0005, "swap within one list: the caps change slots, each cap keeps its place and depth")
{
	struct endpoint *e = new_ep();
	struct cte *p = root(ep_cap(e));
	struct cte *a = mint(p, 1);
	struct cte *b = mint(a, 2);
	struct cte *c = mint(b, 3);        /* p a b c */
	mdb_swap(a, c);                    /* slot c now holds badge 1 at a's place */
	CHECK_LIST(p, {p, 0}, {c, 1}, {b, 2}, {a, 3});
	CHECK_EQ(cap_badge(&c->cap), 1);
	CHECK_EQ(cap_badge(&a->cap), 3);
	CHECK_EQ(cap_badge(&b->cap), 2);
	CHECK_EQ(nev, 0);
}

TEST(MOV_0006, "swap of neighbours, in both orders")
{
	struct cte *p = root(ep_cap(new_ep()));
	struct cte *a = mint(p, 1);
	struct cte *b = mint(a, 2);
	struct cte *c = mint(b, 3);        /* p a b c */
	mdb_swap(a, b);                    /* a->next == b */
	CHECK_LIST(p, {p, 0}, {b, 1}, {a, 2}, {c, 3});
	CHECK_EQ(cap_badge(&b->cap), 1);
	CHECK_EQ(cap_badge(&a->cap), 2);
	mdb_swap(c, a);                    /* a->next == c, passed the other way round */
	CHECK_LIST(p, {p, 0}, {b, 1}, {c, 2}, {a, 3});
	CHECK_EQ(cap_badge(&c->cap), 2);
	CHECK_EQ(cap_badge(&a->cap), 3);
	mdb_swap(p, b);                    /* with the head */
	CHECK_LIST(b, {b, 0}, {p, 1}, {c, 2}, {a, 3});
	CHECK_EQ(cap_badge(&b->cap), 0);
	CHECK_EQ(cap_badge(&p->cap), 1);
}

TEST(MOV_0007, "swap across two lists and with lone caps")
{
	struct endpoint *e1 = new_ep(), *e2 = new_ep();
	struct cte *p = root(ep_cap(e1));
	struct cte *a = copy(p);
	struct cte *b = copy(a);           /* p a b */
	struct cte *q = root(ep_cap(e2));
	struct cte *x = copy(q);           /* q x */
	mdb_swap(a, x);
	CHECK_LIST(p, {p, 0}, {x, 1}, {b, 2});
	CHECK_LIST(q, {q, 0}, {a, 1});
	CHECK(cap_ptr(&x->cap) == e1 && cap_ptr(&a->cap) == e2);
	struct cte *l1 = root(ep_cap(e1)), *l2 = root(ep_cap(e2));
	mdb_swap(l1, l2);
	CHECK_LIST(l1, {l1, 0});
	CHECK_LIST(l2, {l2, 0});
	CHECK(cap_ptr(&l1->cap) == e2 && cap_ptr(&l2->cap) == e1);
	mdb_swap(l1, b);                   /* a lone cap with a list member */
	CHECK_LIST(p, {p, 0}, {x, 1}, {l1, 2});
	CHECK_LIST(b, {b, 0});
}

TEST(MOV_0008, "swap points both callers' reply_slot at the slots their reply caps moved to")
{
	struct tcb *t1 = new_tcb(), *t2 = new_tcb();
	struct cte *r1 = root(reply_cap(t1)), *r2 = root(reply_cap(t2));
	t1->reply_slot = r1;
	t2->reply_slot = r2;
	mdb_swap(r1, r2);
	CHECK(t1->reply_slot == r2);
	CHECK(t2->reply_slot == r1);
	struct cte *e = root(ep_cap(new_ep()));
	mdb_swap(r1, e);                   /* r1 held t2's reply cap */
	CHECK(t2->reply_slot == e);
}

TEST(MOV_0009, "moving a cap with 10,000 children keeps them its children; revoking the new slot removes them all")
{
	enum { N = 10000 };
	struct endpoint *e = new_ep();
	struct cte *a = root(ep_cap(e));
	struct cte **k = test_alloc(8, N * sizeof(*k));
	for (unsigned i = 0; i < N; i++)
		k[i] = copy(a);
	struct cte *d = new_slot();
	cte_move(d, a, a->cap);
	CHECK_EQ(descendants(d), N);
	CHECK(d->prev == NULL);
	cte_revoke(d);
	for (unsigned i = 0; i < N; i++)
		CHECK_MSG(gone(k[i]), "child %u", i);
	CHECK_LIST(d, {d, 0});
	CHECK_EQ(EP_FINALISED(e), 0);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
