/*
 * The fakes and helpers of the host tests of kernel/src/cap.c (cap_mdb.c,
 * cap_delete.c, cap_revoke.c): the finalisers cap.c calls into record every
 * call, so the cases can check which objects were finalised, how often and
 * how deep the stack was; objects, caps, and checks of the derivation list.
 */
#ifndef TESTS_CAP_COMMON_H
#define TESTS_CAP_COMMON_H

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

static inline void ev_add(enum ev_kind kind, uint64_t obj, uint64_t arg, const struct cap *c)
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
static inline size_t count_ev(enum ev_kind kind, uint64_t obj)
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

static inline struct endpoint *new_ep(void) { return test_alloc(1u << OBJ_ENDPOINT_BITS, sizeof(struct endpoint)); }
static inline struct notification *new_ntfn(void) { return test_alloc(1u << OBJ_NOTIFICATION_BITS, sizeof(struct notification)); }
static inline struct tcb *new_tcb(void) { return test_alloc(1u << OBJ_TCB_BITS, 1u << OBJ_TCB_BITS); }
static inline struct cte *new_cnode(unsigned radix)
{
	size_t bytes = (size_t)1 << (OBJ_CNODE_SLOT_BITS + radix);
	return test_alloc(bytes, bytes);
}
static inline struct cte *new_slot(void) { return new_cnode(0); }

static inline struct cap ep_cap(struct endpoint *e) { return cap_make(OBJ_ENDPOINT, RIGHTS_ALL, (uint64_t)e, 0); }
static inline struct cap ntfn_cap(struct notification *n) { return cap_make(OBJ_NOTIFICATION, RIGHTS_ALL, (uint64_t)n, 0); }
static inline struct cap tcb_cap(struct tcb *t) { return cap_make(OBJ_TCB, RIGHTS_ALL, (uint64_t)t, 0); }
static inline struct cap cnode_cap(struct cte *slots, unsigned radix)
{
	struct cap c = cap_make(OBJ_CNODE, RIGHTS_ALL, (uint64_t)slots, 0);
	cap_set_bits(&c, radix);
	return c;
}
static inline struct cap ut_cap(uint64_t paddr, unsigned bits)
{
	struct cap c = cap_make(OBJ_UNTYPED, RIGHTS_ALL, paddr, 0);
	cap_set_bits(&c, bits);
	return c;
}
static inline struct cap reply_cap(struct tcb *caller) { return cap_make(CAP_REPLY, RIGHTS_ALL, (uint64_t)caller, 0); }

/* A cap in a fresh slot of its own, with no derivation parent. */
static inline struct cte *root_in(struct cte *slot, struct cap c)
{
	cte_insert_child(NULL, slot, c);
	return slot;
}
static inline struct cte *root(struct cap c) { return root_in(new_slot(), c); }
/* Copy (a derived child) of src into dest. */
static inline struct cte *copy_to(struct cte *src, struct cte *dest)
{
	cte_insert_child(src, dest, src->cap);
	return dest;
}
static inline struct cte *copy(struct cte *src) { return copy_to(src, new_slot()); }
static inline struct cte *mint(struct cte *src, uint64_t badge)
{
	struct cap c = src->cap;
	cap_set_badge(&c, badge);
	struct cte *d = new_slot();
	cte_insert_child(src, d, c);
	return d;
}
/* A child object cap of an untyped (what a retype makes) into dest. */
static inline struct cte *retype_to(struct cte *ut, struct cte *dest, struct cap c)
{
	cte_insert_child(ut, dest, c);
	return dest;
}

static inline bool cap_eq(const struct cap *a, const struct cap *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* ---- checking the derivation list -------------------------------------- */

static inline const struct cte *head_of(const struct cte *c)
{
	while (c->prev)
		c = c->prev;
	return c;
}

static inline size_t list_len(const struct cte *any)
{
	size_t n = 0;
	for (const struct cte *c = head_of(any); c; c = c->next)
		n++;
	return n;
}

static inline bool in_list(const struct cte *any, const struct cte *x)
{
	for (const struct cte *c = head_of(any); c; c = c->next)
		if (c == x)
			return true;
	return false;
}

/* NULL if the whole list through any is well formed: links agree both ways,
 * the head has depth 0, depth grows by at most one per step, every node
 * holds a real cap, and no revoke sentinel is left in it. */
static inline const char *mdb_problem(const struct cte *any)
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
static inline const char *list_mismatch(const struct cte *head, const struct want *w, size_t n)
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
static inline bool gone(const struct cte *s)
{
	return cap_is_null(&s->cap) && !s->prev && !s->next && s->depth == 0 && s->flags == 0;
}

/* The derivation parent: the nearest node before c that is shallower. */
static inline const struct cte *mdb_parent(const struct cte *c)
{
	for (const struct cte *p = c->prev; p; p = p->prev)
		if (p->depth < c->depth)
			return p;
	return NULL;
}

/* Number of nodes in the subtree below c. */
static inline size_t descendants(const struct cte *c)
{
	size_t n = 0;
	for (const struct cte *d = c->next; d && d->depth > c->depth; d = d->next)
		n++;
	return n;
}

#endif
