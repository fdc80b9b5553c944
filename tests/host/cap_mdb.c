// hosttest-sources: kernel/src/cap.c
// hosttest-cflags: -Ikernel/arch/x86_64/include
/*
 * Host unit tests of kernel/src/cap.c: the derivation tree (MDB) primitives,
 * is_last, move and swap, deletion with zombie-based finalisation of CNodes
 * and TCBs, and revocation with its stack sentinel.
 *
 * The finalisers cap.c calls into (endpoints, notifications, address spaces,
 * IRQs, TCBs) are fakes below that record every call, so the cases can
 * assert which objects were finalised and how often, and how deep the stack
 * was when they were called.
 *
 * Areas: MDB (list order, depths, remove, replace), LAST (mdb_is_last),
 * MOV (cte_move, mdb_swap), DEL (cte_delete), REV (cte_revoke).
 */
#include <harness.h>

#include <types.h>
#include <cap.h>
#include <tcb.h>
#include <endpoint.h>
#include <notification.h>
#include <vspace.h>
#include <irq.h>

/* ---- fakes of the kernel parts cap.c finalises through ------------------- */

enum ev_kind { EV_EP, EV_NTFN, EV_PML4, EV_IRQ, EV_UNMAP, EV_TCB, EV_REPLY_ERR };

struct ev {
	enum ev_kind kind;
	uint64_t obj;     /* object pointer, asid, irq or the cap's w[1] */
	uint64_t arg;     /* EV_UNMAP: cap type; EV_REPLY_ERR: the error */
	struct cap cap;   /* EV_UNMAP: the cap as the unmap saw it */
};

static struct ev *evs;
static size_t nev, cap_ev;
static uintptr_t stack_low = UINTPTR_MAX;   /* lowest frame seen in a fake */

static void ev_add(enum ev_kind kind, uint64_t obj, uint64_t arg, const struct cap *c)
{
	uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
	if (fp < stack_low)
		stack_low = fp;
	if (nev == cap_ev) {
		cap_ev = cap_ev ? 2 * cap_ev : 1024;
		evs = realloc(evs, cap_ev * sizeof(*evs));
		if (!evs)
			abort();
	}
	evs[nev] = (struct ev){ kind, obj, arg, c ? *c : cap_null() };
	nev++;
}

void ep_finalise(struct endpoint *ep) { ev_add(EV_EP, (uint64_t)ep, 0, NULL); }
void ntfn_finalise(struct notification *n) { ev_add(EV_NTFN, (uint64_t)n, 0, NULL); }
void pml4_finalise(unsigned asid) { ev_add(EV_PML4, asid, 0, NULL); }
void irq_handler_finalise(unsigned irq) { ev_add(EV_IRQ, irq, 0, NULL); }
void vspace_unmap_cap(struct cap *c) { ev_add(EV_UNMAP, cap_object(c), cap_type(c), c); }
void tcb_finalise(struct tcb *t) { ev_add(EV_TCB, (uint64_t)t, 0, NULL); }
void tcb_set_reply_error(struct tcb *t, abi_error_t e) { ev_add(EV_REPLY_ERR, (uint64_t)t, e, NULL); }

/* Calls of kind about obj (any object if obj is ANY). */
#define ANY UINT64_MAX
static size_t count_ev(enum ev_kind kind, uint64_t obj)
{
	size_t n = 0;
	for (size_t i = 0; i < nev; i++)
		if (evs[i].kind == kind && (obj == ANY || evs[i].obj == obj))
			n++;
	return n;
}
#define EP_FINALISED(e) count_ev(EV_EP, (uint64_t)(e))
#define TCB_FINALISED(t) count_ev(EV_TCB, (uint64_t)(t))

/* Stack use below the caller's frame by the deepest fake call since
 * STACK_MARK(); the kernel stack is 16 KiB, so a recursive finaliser
 * (thousands of frames) shows up as hundreds of KiB. */
#define STACK_MARK() uintptr_t stack_base_ = (uintptr_t)__builtin_frame_address(0); stack_low = stack_base_
#define STACK_USED() (stack_low == UINTPTR_MAX || stack_low > stack_base_ ? 0 : stack_base_ - stack_low)
#define STACK_LIMIT 16384

/* ---- objects and caps -------------------------------------------------- */

static struct endpoint *new_ep(void) { return test_alloc(1u << OBJ_ENDPOINT_BITS, sizeof(struct endpoint)); }
static struct notification *new_ntfn(void) { return test_alloc(1u << OBJ_NOTIFICATION_BITS, sizeof(struct notification)); }
static struct tcb *new_tcb(void) { return test_alloc(1u << OBJ_TCB_BITS, 1u << OBJ_TCB_BITS); }
static struct cte *new_cnode(unsigned radix)
{
	size_t bytes = (size_t)1 << (OBJ_CNODE_SLOT_BITS + radix);
	return test_alloc(bytes, bytes);
}
static struct cte *new_slot(void) { return new_cnode(0); }

static struct cap ep_cap(struct endpoint *e) { return cap_make(OBJ_ENDPOINT, RIGHTS_ALL, (uint64_t)e, 0); }
static struct cap ntfn_cap(struct notification *n) { return cap_make(OBJ_NOTIFICATION, RIGHTS_ALL, (uint64_t)n, 0); }
static struct cap tcb_cap(struct tcb *t) { return cap_make(OBJ_TCB, RIGHTS_ALL, (uint64_t)t, 0); }
static struct cap cnode_cap(struct cte *slots, unsigned radix)
{
	struct cap c = cap_make(OBJ_CNODE, RIGHTS_ALL, (uint64_t)slots, 0);
	cap_set_bits(&c, radix);
	return c;
}
static struct cap ut_cap(uint64_t paddr, unsigned bits)
{
	struct cap c = cap_make(OBJ_UNTYPED, RIGHTS_ALL, paddr, 0);
	cap_set_bits(&c, bits);
	return c;
}
static struct cap reply_cap(struct tcb *caller) { return cap_make(CAP_REPLY, RIGHTS_ALL, (uint64_t)caller, 0); }

/* A cap in a fresh slot of its own, with no derivation parent. */
static struct cte *root_in(struct cte *slot, struct cap c)
{
	cte_insert_child(NULL, slot, c);
	return slot;
}
static struct cte *root(struct cap c) { return root_in(new_slot(), c); }
/* Copy (a derived child) of src into dest. */
static struct cte *copy_to(struct cte *src, struct cte *dest)
{
	cte_insert_child(src, dest, src->cap);
	return dest;
}
static struct cte *copy(struct cte *src) { return copy_to(src, new_slot()); }
static struct cte *mint(struct cte *src, uint64_t badge)
{
	struct cap c = src->cap;
	cap_set_badge(&c, badge);
	struct cte *d = new_slot();
	cte_insert_child(src, d, c);
	return d;
}
/* A child object cap of an untyped (what a retype makes) into dest. */
static struct cte *retype_to(struct cte *ut, struct cte *dest, struct cap c)
{
	cte_insert_child(ut, dest, c);
	return dest;
}

static bool cap_eq(const struct cap *a, const struct cap *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* ---- checking the derivation list -------------------------------------- */

static const struct cte *head_of(const struct cte *c)
{
	while (c->prev)
		c = c->prev;
	return c;
}

static size_t list_len(const struct cte *any)
{
	size_t n = 0;
	for (const struct cte *c = head_of(any); c; c = c->next)
		n++;
	return n;
}

static bool in_list(const struct cte *any, const struct cte *x)
{
	for (const struct cte *c = head_of(any); c; c = c->next)
		if (c == x)
			return true;
	return false;
}

/* NULL if the whole list through any is well formed: links agree both ways,
 * the head has depth 0, depth grows by at most one per step, every node
 * holds a real cap, and no revoke sentinel is left in it. */
static const char *mdb_problem(const struct cte *any)
{
	static char why[160];
	const struct cte *h = any;
	size_t i = 0;
	while (h->prev) {
		if (h->prev->next != h) {
			snprintf(why, sizeof(why), "node %p: prev->next is %p", (void *)h, (void *)h->prev->next);
			return why;
		}
		h = h->prev;
		if (++i > 100000000)
			return "prev links cycle";
	}
	if (h->depth != 0) {
		snprintf(why, sizeof(why), "head has depth %u", h->depth);
		return why;
	}
	i = 0;
	for (const struct cte *c = h; c; c = c->next, i++) {
		if (i > 100000000)
			return "next links cycle";
		if (c->next && c->next->prev != c) {
			snprintf(why, sizeof(why), "position %zu: next->prev is %p, not the node", i, (void *)c->next->prev);
			return why;
		}
		if (c->flags) {
			snprintf(why, sizeof(why), "position %zu: flags %#x (a sentinel left behind?)", i, c->flags);
			return why;
		}
		if (cap_is_null(&c->cap) || cap_type(&c->cap) == CAP_ZOMBIE) {
			snprintf(why, sizeof(why), "position %zu: linked slot holds cap type %u", i, cap_type(&c->cap));
			return why;
		}
		if (c->next && c->next->depth > c->depth + 1) {
			snprintf(why, sizeof(why), "position %zu: depth %u then %u", i, c->depth, c->next->depth);
			return why;
		}
	}
	return NULL;
}

#define CHECK_MDB(any)                                                        \
	do {                                                                  \
		const char *why_ = mdb_problem(any);                          \
		if (why_)                                                     \
			test_fail(__FILE__, __LINE__, "%s: %s", "list through " #any " is well formed", why_); \
	} while (0)

struct want {
	const struct cte *c;
	unsigned depth;
};

/* NULL if the list starting at head (which must be a head) is exactly w. */
static const char *list_mismatch(const struct cte *head, const struct want *w, size_t n)
{
	static char why[160];
	if (head->prev)
		return "the first expected node is not the head of its list";
	const struct cte *c = head;
	for (size_t i = 0; i < n; i++, c = c->next) {
		if (!c) {
			snprintf(why, sizeof(why), "list ends after %zu nodes, %zu expected", i, n);
			return why;
		}
		if (c != w[i].c) {
			size_t k = 0;
			while (k < n && w[k].c != c)
				k++;
			if (k < n)
				snprintf(why, sizeof(why), "position %zu holds expected node %zu", i, k);
			else
				snprintf(why, sizeof(why), "position %zu holds an unexpected node %p", i, (void *)c);
			return why;
		}
		if (c->depth != w[i].depth) {
			snprintf(why, sizeof(why), "position %zu: depth %u, expected %u", i, c->depth, w[i].depth);
			return why;
		}
		if (c->next && c->next->prev != c) {
			snprintf(why, sizeof(why), "position %zu: next->prev does not point back", i);
			return why;
		}
	}
	if (c) {
		snprintf(why, sizeof(why), "list has more than the %zu expected nodes", n);
		return why;
	}
	return NULL;
}

#define CHECK_LIST(head, ...)                                                 \
	do {                                                                  \
		const struct want w_[] = { __VA_ARGS__ };                     \
		const char *why_ = list_mismatch(head, w_, ARRAY_SIZE(w_));   \
		if (why_)                                                     \
			test_fail(__FILE__, __LINE__, "%s: %s", "list from " #head " is {" #__VA_ARGS__ "}", why_); \
	} while (0)

/* The slot was deleted: empty, unlinked, depth 0. */
static bool gone(const struct cte *s)
{
	return cap_is_null(&s->cap) && !s->prev && !s->next && s->depth == 0 && s->flags == 0;
}

/* The derivation parent: the nearest node before c that is shallower. */
static const struct cte *mdb_parent(const struct cte *c)
{
	for (const struct cte *p = c->prev; p; p = p->prev)
		if (p->depth < c->depth)
			return p;
	return NULL;
}

/* Number of nodes in the subtree below c. */
static size_t descendants(const struct cte *c)
{
	size_t n = 0;
	for (const struct cte *d = c->next; d && d->depth > c->depth; d = d->next)
		n++;
	return n;
}

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

TEST(DEL_0009, "a chain of 10,000 radix-0 CNodes ending in an endpoint: all finalised, flat stack")
{
	cnode_chain_case(0, 10000);
}

TEST(DEL_0010, "a chain of 10,000 radix-2 CNodes ending in an endpoint: all finalised, flat stack")
{
	cnode_chain_case(2, 10000);
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
