/*
 * The derivation tree and capability deletion.
 * The MDB is a pre-order list with depths: a node's descendants are the
 * nodes that follow it with greater depth. All caps to one object form one
 * contiguous run, so 'last cap' is a check of the two neighbours.
 * Deleting the last cap to a container (CNode, TCB) must delete the caps
 * inside it, which may be last caps to other containers: instead of
 * recursing, the dead container's cap is turned into a zombie that keeps a
 * cursor and a link to its parent zombie, so the work list lives in the dead
 * objects themselves and the kernel stack stays flat.
 */
#include <types.h>
#include <kprintf.h>
#include <cap.h>
#include <tcb.h>
#include <endpoint.h>
#include <notification.h>
#include <vspace.h>
#include <irq.h>

bool cap_same_object(const struct cap *a, const struct cap *b)
{
	unsigned t = cap_type(a);
	if (t != cap_type(b))
		return false;
	switch (t) {
	case OBJ_NULL:
	case CAP_IRQ_CONTROL:
	case CAP_IOPORT_CONTROL:
	case CAP_IOPORT:
	case CAP_ZOMBIE:
		return false;
	default:
		return cap_object(a) == cap_object(b);
	}
}

static struct cte *real_prev(const struct cte *c)
{
	struct cte *p = c->prev;
	while (p && (p->flags & CTE_SENTINEL))
		p = p->prev;
	return p;
}

static struct cte *real_next(const struct cte *c)
{
	struct cte *n = c->next;
	while (n && (n->flags & CTE_SENTINEL))
		n = n->next;
	return n;
}

bool mdb_is_last(const struct cte *c)
{
	struct cte *p = real_prev(c), *n = real_next(c);
	return !(p && cap_same_object(&p->cap, &c->cap)) && !(n && cap_same_object(&n->cap, &c->cap));
}

bool mdb_has_children(const struct cte *c)
{
	struct cte *n = real_next(c);
	return n && n->depth > c->depth;
}

void mdb_insert_after(struct cte *parent, struct cte *child, bool as_child)
{
	child->flags = 0;
	if (!parent) {
		child->prev = child->next = NULL;
		child->depth = 0;
		return;
	}
	child->depth = parent->depth + (as_child ? 1 : 0);
	child->prev = parent;
	child->next = parent->next;
	if (parent->next)
		parent->next->prev = child;
	parent->next = child;
}

void mdb_remove(struct cte *c)
{
	for (struct cte *d = c->next; d && d->depth > c->depth; d = d->next)
		d->depth--;
	if (c->prev)
		c->prev->next = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	c->depth = 0;
}

void mdb_replace(struct cte *from, struct cte *to)
{
	to->prev = from->prev;
	to->next = from->next;
	to->depth = from->depth;
	to->flags = from->flags;
	if (to->prev)
		to->prev->next = to;
	if (to->next)
		to->next->prev = to;
	from->prev = from->next = NULL;
	from->depth = 0;
}

static void fix_backpointer(struct cte *c)
{
	if (cap_type(&c->cap) == CAP_REPLY) {
		struct tcb *caller = cap_ptr(&c->cap);
		caller->reply_slot = c;
	}
}

void mdb_swap(struct cte *a, struct cte *b)
{
	struct cte tmp;
	struct cap ca = a->cap;
	mdb_replace(a, &tmp);
	mdb_replace(b, a);
	mdb_replace(&tmp, b);
	a->cap = b->cap;
	b->cap = ca;
	fix_backpointer(a);
	fix_backpointer(b);
}

void cte_insert_child(struct cte *parent, struct cte *dest, struct cap cap)
{
	dest->cap = cap;
	mdb_insert_after(parent, dest, true);
}

void cte_move(struct cte *dest, struct cte *src, struct cap newcap)
{
	dest->cap = newcap;
	mdb_replace(src, dest);
	src->cap = cap_null();
	fix_backpointer(dest);
}

/* ---- deletion -------------------------------------------------------- */

enum { ZK_CNODE = 1, ZK_TCB = 2 };

static bool is_container(const struct cap *c)
{
	return cap_type(c) == OBJ_CNODE || cap_type(c) == OBJ_TCB;
}

static void finalise_simple(struct cap *c)
{
	switch (cap_type(c)) {
	case OBJ_ENDPOINT:
		ep_finalise(cap_ptr(c));
		break;
	case OBJ_NOTIFICATION:
		ntfn_finalise(cap_ptr(c));
		break;
	case OBJ_PML4:
		pml4_finalise(cap_asid(c));
		break;
	case CAP_IRQ_HANDLER:
		irq_handler_finalise(cap_irq(c));
		break;
	default:
		break;
	}
}

/* Take the cap out of slot s. If it was the last cap to a container, s
 * becomes a zombie (child of 'parent' in the work list) and *z points at it. */
static void delete_one(struct cte *s, struct cte **z, struct cte *parent)
{
	struct cap *cp = &s->cap;
	unsigned type = cap_type(cp);

	switch (type) {
	case OBJ_FRAME_4K:
	case OBJ_FRAME_2M:
	case OBJ_PDPT:
	case OBJ_PD:
	case OBJ_PT:
		vspace_unmap_cap(cp);
		break;
	case CAP_REPLY: {
		struct tcb *caller = cap_ptr(cp);
		caller->reply_slot = NULL;
		if (caller->state == TS_BLOCKED_REPLY && !caller->reply_holder)
			tcb_set_reply_error(caller, E_DELETED);
		break;
	}
	}
	bool last = mdb_is_last(s);
	mdb_remove(s);
	struct cap c = *cp;
	if (last && is_container(&c)) {
		unsigned kind = type == OBJ_CNODE ? ZK_CNODE : ZK_TCB;
		if (type == OBJ_TCB)
			tcb_finalise(cap_ptr(&c));
		s->cap = cap_make_zombie(kind, cap_bits(&c), cap_object(&c), parent);
		*z = s;
		return;
	}
	*cp = cap_null();
	if (last)
		finalise_simple(&c);
}

static struct cte *zombie_next(struct cte *z)
{
	struct cte *slots;
	uint64_t n;
	if (zombie_kind(&z->cap) == ZK_CNODE) {
		slots = cap_ptr(&z->cap);
		n = 1ull << cap_bits(&z->cap);
	} else {
		slots = ((struct tcb *)cap_ptr(&z->cap))->slots;
		n = TCB_SLOT_COUNT;
	}
	while (zombie_cursor(&z->cap) < n) {
		struct cte *s = &slots[zombie_cursor(&z->cap)];
		zombie_advance(&z->cap);
		unsigned t = cap_type(&s->cap);
		if (t != OBJ_NULL && t != CAP_ZOMBIE)
			return s;
	}
	return NULL;
}

void cte_delete(struct cte *slot)
{
	struct cte *z = NULL;
	if (cap_is_null(&slot->cap) || cap_type(&slot->cap) == CAP_ZOMBIE)
		return;
	delete_one(slot, &z, NULL);
	while (z) {
		struct cte *child = zombie_next(z);
		if (!child) {
			struct cte *parent = zombie_parent(&z->cap);
			z->cap = cap_null();
			z = parent;
			continue;
		}
		delete_one(child, &z, z);
	}
}

void cte_revoke(struct cte *n)
{
	struct cte *e = n, *nx;
	while ((nx = real_next(e)) && nx->depth > n->depth)
		e = nx;
	if (e == n)
		return;
	struct cte sentinel;
	memset(&sentinel, 0, sizeof(sentinel));
	mdb_insert_after(e, &sentinel, false);
	sentinel.flags = CTE_SENTINEL;
	sentinel.depth = n->depth;
	/* n itself can go while its subtree is deleted: an untyped whose cap
	 * lives in a CNode retyped from it. Then the revoke ends there. */
	while (sentinel.prev != n && !cap_is_null(&n->cap) && cap_type(&n->cap) != CAP_ZOMBIE)
		cte_delete(sentinel.prev);
	if (sentinel.prev)
		sentinel.prev->next = sentinel.next;
	if (sentinel.next)
		sentinel.next->prev = sentinel.prev;
}

bool mdb_object_mapped(const struct cte *c)
{
	for (const struct cte *p = real_prev(c); p && cap_same_object(&p->cap, &c->cap); p = real_prev(p))
		if (cap_mapped(&p->cap))
			return true;
	for (const struct cte *n = real_next(c); n && cap_same_object(&n->cap, &c->cap); n = real_next(n))
		if (cap_mapped(&n->cap))
			return true;
	return cap_mapped(&c->cap);
}
