/*
 * PD sessions: a PD's CNode, VSpace and main endpoint, its account, its
 * dataspaces, endpoint/notification handles and its fault handler; the PD
 * operations of argil/pd.h. Destroying a PD releases everything charged
 * to it, closes the sessions it paid for and destroys the threads running
 * in it, then returns its quota to whoever paid for it.
 */
#include "core.h"
#include <argil/component.h>
#include <argil/pd.h>

#define PD_CAPS 2   /* the PD object (both views) and its main endpoint */

static void pd_destroy(struct session *s);

/*
 * A PD's CSpace starts as one CNode (2^cnode_bits slots, guarded so that a
 * cptr is the slot index). PD_CSPACE_GROW puts a top level above it on
 * first use: a CNode of 2^PD_TOP_BITS slots whose slot 0 holds the first
 * CNode and whose slots 1.. hold leaves of 2^PD_LEAF_BITS slots, each
 * guarded to cover the same cnode_bits of the address. Slot s of leaf k is
 * cptr (k << cnode_bits) + s; cptrs below 2^cnode_bits are unchanged.
 */
#define PD_TOP_BITS 8
#define PD_LEAF_BITS 10

static word_t pd_depth(struct pd *pd)
{
	return pd->top.cap ? PD_TOP_BITS + pd->cnode_bits : pd->cnode_bits;
}

static cptr_t pd_root_for_core(struct pd *pd)
{
	return pd->top.cap ? pd->top.cap : pd->cnode.cap;
}

cptr_t pd_cspace_root(struct pd *pd, word_t *guard)
{
	*guard = cnode_guard(0, 64 - pd_depth(pd));
	return pd_root_for_core(pd);
}

word_t pd_slot_end(struct pd *pd)
{
	return 1ul << pd_depth(pd);
}

abi_error_t pd_cnode_copy(struct pd *pd, word_t slot, cptr_t src, word_t rights)
{
	return cnode_copy(pd_root_for_core(pd), slot, pd_depth(pd), core_root, src, 64, rights);
}

abi_error_t pd_cnode_move(struct pd *pd, word_t slot, cptr_t src)
{
	return cnode_move(pd_root_for_core(pd), slot, pd_depth(pd), core_root, src, 64);
}

void pd_cnode_delete(struct pd *pd, word_t slot)
{
	cnode_delete(pd_root_for_core(pd), slot, pd_depth(pd));
}

/* The top level (first growth): the first CNode into its slot 0, the PD's
 * COMPONENT_CNODE and every thread's CSpace root switched to it. */
static rpc_status_t pd_make_top(struct pd *pd)
{
	struct account *a = &pd->s.acct;
	word_t bits = pd->cnode_bits, guard = cnode_guard(0, 64 - PD_TOP_BITS - bits);
	rpc_status_t st = kobj_new(a, OBJ_CNODE, PD_TOP_BITS, &pd->top);
	abi_error_t e;

	if (st != RPC_OK)
		return st;
	e = cnode_mint(pd->top.cap, 0, PD_TOP_BITS, core_root, pd->cnode.cap, 64, RIGHTS_ALL,
		       cnode_guard(0, 0));
	if (e == E_OK) {
		cnode_delete(pd->cnode.cap, COMPONENT_CNODE, bits);
		e = cnode_mint(pd->cnode.cap, COMPONENT_CNODE, bits, core_root, pd->top.cap, 64,
			       RIGHTS_ALL, guard);
	}
	for (struct thread *t = pd->threads; t && e == E_OK; t = t->next_in_pd)
		e = tcb_configure(t->tcb.cap, t->fault_ep, pd->top.cap, guard, pd->pml4.cap,
				  t->window + COMPONENT_IPC_OFFSET, t->utcb.cap);
	if (e != E_OK) {
		printf("[core] CSpace top level: error %d\n", e);
		return RPC_E_UNAVAILABLE;   /* the top stays: the PD's CSpace may be half switched */
	}
	return RPC_OK;
}

/* PD_CSPACE_GROW: one more leaf, paid by the PD in RAM (the leaf and, the
 * first time, the top level). */
static rpc_status_t pd_grow_cspace(struct pd *pd, word_t *first, word_t *count)
{
	struct account *a = &pd->s.acct;
	struct pd_leaf *l;
	rpc_status_t st;
	abi_error_t e;

	if (pd->n_leaves + 1 >= (1ul << PD_TOP_BITS) || pd->cnode_bits < PD_LEAF_BITS)
		return RPC_E_UNAVAILABLE;
	if (!pd->top.cap && (st = pd_make_top(pd)) != RPC_OK)
		return st;
	l = acct_alloc(a, sizeof(*l), &st);
	if (!l)
		return st;
	if ((st = kobj_new(a, OBJ_CNODE, PD_LEAF_BITS, &l->ko)) != RPC_OK) {
		acct_free(a, l, sizeof(*l));
		return st;
	}
	e = cnode_mint(pd->top.cap, pd->n_leaves + 1, PD_TOP_BITS, core_root, l->ko.cap, 64, RIGHTS_ALL,
		       cnode_guard(0, pd->cnode_bits - PD_LEAF_BITS));
	if (e != E_OK) {
		kobj_free(a, &l->ko);
		acct_free(a, l, sizeof(*l));
		return RPC_E_UNAVAILABLE;
	}
	pd->n_leaves++;
	l->next = pd->leaves;
	pd->leaves = l;
	*first = pd->n_leaves << pd->cnode_bits;
	*count = 1ul << PD_LEAF_BITS;
	return RPC_OK;
}

void pd_fault_notify(struct pd *pd)
{
	core_signal(pd->fault_sigh);
	core_signal(pd->own_fault_sigh);
}

rpc_status_t pd_create(struct pd *payer, const char *label, word_t ram, word_t caps,
		       word_t cnode_bits, word_t prio_limit, struct pd **out)
{
	struct session *s;
	struct pd *pd;
	rpc_status_t st;
	cptr_t cap;

	*out = 0;
	if (cnode_bits < PD_CNODE_BITS_MIN || cnode_bits > PD_CNODE_BITS_MAX)
		return RPC_E_INVALID_ARGUMENT;
	if (payer && prio_limit > payer->prio_limit)
		return RPC_E_DENIED;
	st = session_new(sizeof(struct pd), payer, ram, caps, K_PD, label, &s);
	if (st != RPC_OK)
		return st;
	pd = (struct pd *)s;
	pd->cnode_bits = cnode_bits;
	pd->prio_limit = prio_limit;
	st = acct_charge(&s->acct, 0, PD_CAPS - 1);  /* session_new charged the first */
	if (st != RPC_OK) {
		session_close(s);
		return st;
	}
	s->destroy = pd_destroy;
	if ((st = kobj_new(&s->acct, OBJ_CNODE, cnode_bits, &pd->cnode)) != RPC_OK ||
	    (st = kobj_new(&s->acct, OBJ_PML4, 0, &pd->pml4)) != RPC_OK ||
	    (st = kobj_new(&s->acct, OBJ_ENDPOINT, 0, &pd->main_ep)) != RPC_OK ||
	    (st = obj_cap(&s->obj, &s->acct, &cap)) != RPC_OK ||
	    (st = slot_get(&s->acct, &pd->self_cap)) != RPC_OK) {
		session_close(s);
		return st;
	}
	if (c_mint(pd->self_cap, core_ep, RIGHT_WRITE | RIGHT_GRANT | RIGHT_GRANT_REPLY,
		   s->obj.id | PD_SELF_BIT) != E_OK) {
		slot_put(&s->acct, pd->self_cap);
		pd->self_cap = 0;
		session_close(s);
		return RPC_E_UNAVAILABLE;
	}
	abi_error_t e = cnode_mint(pd->cnode.cap, COMPONENT_CNODE, cnode_bits, core_root, pd->cnode.cap,
				   64, RIGHTS_ALL, cnode_guard(0, 64 - cnode_bits));
	if (e == E_OK)
		e = pd_cnode_copy(pd, COMPONENT_MAIN_EP, pd->main_ep.cap, RIGHTS_ALL);
	if (e == E_OK)
		e = pd_cnode_copy(pd, COMPONENT_PD, pd->self_cap, RIGHTS_ALL);
	if (e != E_OK) {
		printf("[core] PD setup: error %d\n", e);
		session_close(s);
		return RPC_E_UNAVAILABLE;
	}
	*out = pd;
	return RPC_OK;
}

static void pd_destroy(struct session *s)
{
	struct pd *pd = (struct pd *)s;
	struct account *a = &s->acct;

	pd->dying = true;
	while (pd->threads)
		thread_destroy_core(pd->threads);
	while (pd->sessions)
		session_close(pd->sessions);
	while (pd->regions)
		region_destroy(pd->regions);
	while (pd->dataspaces)
		ds_destroy(pd->dataspaces);
	while (pd->handles) {
		struct kobj_handle *h = pd->handles;
		pd->handles = h->next;
		obj_unregister(&h->obj);
		kobj_free(a, &h->ko);
		acct_free(a, h, sizeof(*h));
		acct_release(a, 0, 1);
	}
	acct_drop_cap(a, &pd->fault_sigh);
	acct_drop_cap(a, &pd->own_fault_sigh);
	while (pd->tables) {
		struct ptable *t = pd->tables;
		pd->tables = t->next;
		kobj_free(a, &t->ko);
		acct_free(a, t, sizeof(*t));
	}
	kobj_free(a, &pd->main_ep);
	kobj_free(a, &pd->pml4);
	if (pd->top.cap)
		kobj_free(a, &pd->top);
	while (pd->leaves) {
		struct pd_leaf *l = pd->leaves;
		pd->leaves = l->next;
		kobj_free(a, &l->ko);
		acct_free(a, l, sizeof(*l));
	}
	kobj_free(a, &pd->cnode);
	if (pd->self_cap) {
		cnode_cancel_badged_sends(core_root, pd->self_cap, 64);
		c_revoke(pd->self_cap);
		c_delete(pd->self_cap);
		slot_put(a, pd->self_cap);
		pd->self_cap = 0;
	}
	acct_release(a, 0, PD_CAPS - 1);
}

struct pd *pd_of_badge(word_t badge, bool *self)
{
	struct pd *pd = (struct pd *)obj_lookup(badge & ~PD_SELF_BIT, K_PD);

	if (self)
		*self = (badge & PD_SELF_BIT) != 0;
	return pd;
}

static struct pd *arg_pd(struct rpc_msg *m)
{
	if (m->cap_kind != RPC_CAP_UNWRAPPED)
		return 0;
	return pd_of_badge(m->cap_badge, 0);
}

static struct ds *arg_ds(struct rpc_msg *m)
{
	if (m->cap_kind != RPC_CAP_UNWRAPPED)
		return 0;
	return (struct ds *)obj_lookup(m->cap_badge, K_DS);
}

/* What a PD request is invoked on: the PD, and whether through its own
 * view (COMPONENT_PD) or another PD capability (its parent's). */
struct pd_target {
	struct pd *pd;
	bool self;
};

static rpc_status_t alloc_handle(struct pd *pd, word_t type, word_t slot, word_t *handle)
{
	struct account *a = &pd->s.acct;
	struct kobj_handle *h;
	rpc_status_t st;

	if (slot < COMPONENT_FIRST_FREE || slot >= pd_slot_end(pd))
		return RPC_E_INVALID_ARGUMENT;
	if ((st = acct_charge(a, 0, 1)) != RPC_OK)
		return st;
	h = acct_alloc(a, sizeof(*h), &st);
	if (h && (st = kobj_new(a, type, 0, &h->ko)) == RPC_OK) {
		abi_error_t e = pd_cnode_copy(pd, slot, h->ko.cap, RIGHTS_ALL);
		if (e == E_OK && (st = obj_register(&h->obj, K_KOBJ)) == RPC_OK) {
			h->pd = pd;
			h->next = pd->handles;
			pd->handles = h;
			*handle = h->obj.id;
			return RPC_OK;
		}
		if (e != E_OK)
			st = e == E_DELETE_FIRST ? RPC_E_EXISTS : RPC_E_INVALID_ARGUMENT;
		kobj_free(a, &h->ko);
	}
	if (h)
		acct_free(a, h, sizeof(*h));
	acct_release(a, 0, 1);
	return st;
}

static rpc_status_t do_alloc_ep(struct pd_alloc_ep_call *c)
{
	struct pd_target *t = c->obj;

	return alloc_handle(t->pd, OBJ_ENDPOINT, c->in.slot, &c->out.handle);
}

static rpc_status_t do_alloc_ntfn(struct pd_alloc_ntfn_call *c)
{
	struct pd_target *t = c->obj;

	return alloc_handle(t->pd, OBJ_NOTIFICATION, c->in.slot, &c->out.handle);
}

static rpc_status_t do_free_obj(struct pd_free_obj_call *c)
{
	struct pd *pd = ((struct pd_target *)c->obj)->pd;
	struct kobj_handle *h = (struct kobj_handle *)obj_lookup(c->in.handle, K_KOBJ);
	struct kobj_handle **pp = &pd->handles;

	if (!h || h->pd != pd)
		return RPC_E_NOT_FOUND;
	while (*pp != h)
		pp = &(*pp)->next;
	*pp = h->next;
	obj_unregister(&h->obj);
	kobj_free(&pd->s.acct, &h->ko);
	acct_free(&pd->s.acct, h, sizeof(*h));
	acct_release(&pd->s.acct, 0, 1);
	return RPC_OK;
}

/* RAM charged to a PD: its own account and the core sessions it paid for
 * (CPU, LOG, ROM, ...), not the PDs it paid for (its children). */
static word_t pd_ram_charged(struct pd *pd)
{
	word_t n = pd->s.acct.ram_used;

	for (struct session *s = pd->sessions; s; s = s->next_of_payer)
		if (s->obj.kind != K_PD)
			n += s->acct.ram_used;
	return n;
}

static rpc_status_t do_alloc_ram(struct pd_alloc_ram_flags_call *c)
{
	struct pd *pd = ((struct pd_target *)c->obj)->pd;
	struct account *a = &pd->s.acct;
	word_t size = c->in.size;
	rpc_status_t st;
	struct ds *d;
	cptr_t cap;

	if (size == 0 || size > (1ul << 40))
		return RPC_E_INVALID_ARGUMENT;
	st = ds_new_ram(a, (size + PAGE - 1) / PAGE, c->in.flags, &d);
	if (st == RPC_OK && (st = obj_cap(&d->obj, a, &cap)) != RPC_OK)
		ds_destroy(d);
	if (st != RPC_OK)
		return st;
	d->owner = pd;
	d->next_of_owner = pd->dataspaces;
	pd->dataspaces = d;
	c->out.ds = cap;
	c->out.size = d->pages * PAGE;
	return RPC_OK;
}

static rpc_status_t do_free_ram(struct pd_free_ram_call *c)
{
	struct ds *d = arg_ds(c->in.ds);

	if (!d || d->type != DS_T_RAM)
		return RPC_E_INVALID_CAP;
	if (d->owner != ((struct pd_target *)c->obj)->pd)
		return RPC_E_DENIED;
	ds_destroy(d);
	return RPC_OK;
}

static rpc_status_t do_attach(struct pd_attach_call *c)
{
	struct ds *d = arg_ds(c->in.ds);

	if (!d)
		return RPC_E_INVALID_CAP;
	return region_attach(((struct pd_target *)c->obj)->pd, d, c->in.addr, c->in.size,
			     c->in.offset, c->in.flags, &c->out.at);
}

static rpc_status_t do_detach(struct pd_detach_call *c)
{
	return region_detach(((struct pd_target *)c->obj)->pd, c->in.addr);
}

static rpc_status_t do_transfer(struct pd_transfer_call *c)
{
	struct account *a = &((struct pd_target *)c->obj)->pd->s.acct;
	struct pd *to = arg_pd(c->in.to);

	if (!to)
		return RPC_E_INVALID_CAP;
	if (to->dying)
		return RPC_E_DENIED;
	if (c->in.ram > acct_ram_avail(a))
		return RPC_E_NO_RAM_QUOTA;
	if (c->in.caps > acct_cap_avail(a))
		return RPC_E_NO_CAP_QUOTA;
	a->ram_quota -= c->in.ram;
	a->cap_quota -= c->in.caps;
	to->s.acct.ram_quota += c->in.ram;
	to->s.acct.cap_quota += c->in.caps;
	return RPC_OK;
}

static rpc_status_t do_quota(struct pd_quota_call *c)
{
	struct account *a = &((struct pd_target *)c->obj)->pd->s.acct;

	c->out.ram_quota = a->ram_quota;
	c->out.ram_used = a->ram_used;
	c->out.cap_quota = a->cap_quota;
	c->out.cap_used = a->cap_used;
	return RPC_OK;
}

static rpc_status_t do_install(struct pd_install_call *c)
{
	struct pd_target *t = c->obj;
	struct rpc_msg *m = c->in.cap;
	word_t slot = c->in.slot;
	abi_error_t e;

	if (t->self)
		return RPC_E_DENIED;   /* only the parent's view installs */
	if (slot != COMPONENT_PARENT && slot != COMPONENT_CPU &&
	    (slot < COMPONENT_INSTALL_FIRST || slot > COMPONENT_INSTALL_LAST))
		return RPC_E_INVALID_ARGUMENT;
	if (m->cap_kind == RPC_CAP_UNWRAPPED) {
		/* a PD's own view stays its own view */
		bool aself;
		struct pd *apd = pd_of_badge(m->cap_badge, &aself);
		struct object *o = obj_lookup(m->cap_badge & ~PD_SELF_BIT, K_NONE);
		cptr_t src = apd && aself ? apd->self_cap : o ? o->cap : 0;
		if (!o || !src || (!apd && (m->cap_badge & PD_SELF_BIT)))
			return RPC_E_INVALID_CAP;
		pd_cnode_delete(t->pd, slot);
		e = pd_cnode_copy(t->pd, slot, src, RIGHT_WRITE | RIGHT_GRANT | RIGHT_GRANT_REPLY);
	} else if (m->cap_kind == RPC_CAP_PLACED) {
		pd_cnode_delete(t->pd, slot);
		e = pd_cnode_move(t->pd, slot, m->cap);
	} else {
		return RPC_E_INVALID_CAP;
	}
	return e != E_OK ? RPC_E_INVALID_CAP : RPC_OK;
}

static rpc_status_t do_fault_sigh(struct pd_fault_sigh_call *c)
{
	struct pd_target *t = c->obj;
	struct account *a = &t->pd->s.acct;
	/* the PD's own handler never replaces its parent's */
	cptr_t *sigh = t->self ? &t->pd->own_fault_sigh : &t->pd->fault_sigh;

	acct_drop_cap(a, sigh);
	return acct_keep_sigh(a, c->in.ntfn, sigh);
}

static rpc_status_t do_region(struct pd_region_call *c)
{
	struct region *g = region_find(((struct pd_target *)c->obj)->pd, c->in.addr);

	if (!g)
		return RPC_E_NOT_FOUND;
	c->out.start = g->base;
	c->out.size = g->size;
	c->out.flags = g->flags;
	c->out.offset = g->offset;
	return RPC_OK;
}

static rpc_status_t do_core_stats(struct pd_core_stats_call *c)
{
	struct core_stats *s = &c->out;

	s->ram_free = ut_ram_free();
	s->untyped_free = ut_blocks_free();
	s->slots_free = core_acct.slots_free;
	s->leaves_free = cspace_free_tops();
	s->objects_used = obj_count();
	s->heap_used = heap_in_use();
	s->ram_total = ut_ram_total();
	s->core_image = core_image_bytes();
	s->core_ram_used = core_acct.ram_used;
	s->pd_ram_charged = pd_ram_charged(((struct pd_target *)c->obj)->pd);
	s->core_ram_kept = core_ram_kept;
	return RPC_OK;
}

RPC_SERVER(pd, PD_RPC)

static rpc_status_t do_cspace_grow(struct pd_cspace_grow_call *c)
{
	return pd_grow_cspace(((struct pd_target *)c->obj)->pd, &c->out.first, &c->out.count);
}

static const struct pd_server pd_ops = {
	.pd_alloc_ram_flags = do_alloc_ram,
	.pd_free_ram = do_free_ram,
	.pd_attach = do_attach,
	.pd_detach = do_detach,
	.pd_transfer = do_transfer,
	.pd_quota = do_quota,
	.pd_install = do_install,
	.pd_alloc_ep = do_alloc_ep,
	.pd_alloc_ntfn = do_alloc_ntfn,
	.pd_free_obj = do_free_obj,
	.pd_fault_sigh = do_fault_sigh,
	.pd_region = do_region,
	.pd_core_stats = do_core_stats,
	.pd_cspace_grow = do_cspace_grow,
};

void pd_serve(struct pd *pd, struct request *r, bool self)
{
	struct pd_target t = { pd, self };

	if (pd->dying) {
		r->reply->label = RPC_E_DELETED;
		return;
	}
	pd_dispatch(&pd_ops, &t, r->msg, r->reply, RPC_E_ILLEGAL_OPERATION);
}
