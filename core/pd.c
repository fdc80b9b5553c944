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

abi_error_t pd_cnode_copy(struct pd *pd, word_t slot, cptr_t src, word_t rights)
{
	return cnode_copy(pd->cnode.cap, slot, pd->cnode_bits, core_root, src, 64, rights);
}

abi_error_t pd_cnode_move(struct pd *pd, word_t slot, cptr_t src)
{
	return cnode_move(pd->cnode.cap, slot, pd->cnode_bits, core_root, src, 64);
}

void pd_cnode_delete(struct pd *pd, word_t slot)
{
	cnode_delete(pd->cnode.cap, slot, pd->cnode_bits);
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

static void alloc_handle(struct pd *pd, word_t type, struct rpc_msg *m, struct rpc_msg *rep)
{
	struct account *a = &pd->s.acct;
	word_t slot = rpc_word(m, 0);
	struct kobj_handle *h;
	rpc_status_t st;

	if (slot < COMPONENT_FIRST_FREE || slot >= (1ul << pd->cnode_bits)) {
		rep->label = RPC_E_INVALID_ARGUMENT;
		return;
	}
	if ((st = acct_charge(a, 0, 1)) != RPC_OK) {
		rep->label = st;
		return;
	}
	h = acct_alloc(a, sizeof(*h), &st);
	if (h && (st = kobj_new(a, type, 0, &h->ko)) == RPC_OK) {
		abi_error_t e = pd_cnode_copy(pd, slot, h->ko.cap, RIGHTS_ALL);
		if (e == E_OK && (st = obj_register(&h->obj, K_KOBJ)) == RPC_OK) {
			h->pd = pd;
			h->next = pd->handles;
			pd->handles = h;
			rpc_put(rep, h->obj.id);
			return;
		}
		if (e != E_OK)
			st = e == E_DELETE_FIRST ? RPC_E_EXISTS : RPC_E_INVALID_ARGUMENT;
		kobj_free(a, &h->ko);
	}
	if (h)
		acct_free(a, h, sizeof(*h));
	acct_release(a, 0, 1);
	rep->label = st;
}

static void free_handle(struct pd *pd, word_t id, struct rpc_msg *rep)
{
	struct kobj_handle *h = (struct kobj_handle *)obj_lookup(id, K_KOBJ);
	struct kobj_handle **pp = &pd->handles;

	if (!h || h->pd != pd) {
		rep->label = RPC_E_NOT_FOUND;
		return;
	}
	while (*pp != h)
		pp = &(*pp)->next;
	*pp = h->next;
	obj_unregister(&h->obj);
	kobj_free(&pd->s.acct, &h->ko);
	acct_free(&pd->s.acct, h, sizeof(*h));
	acct_release(&pd->s.acct, 0, 1);
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

void pd_serve(struct pd *pd, struct request *r, bool self)
{
	struct rpc_msg *m = r->msg, *rep = r->reply;
	struct account *a = &pd->s.acct;
	rpc_status_t st;

	if (pd->dying) {
		rep->label = RPC_E_DELETED;
		return;
	}
	switch (m->label) {
	case PD_ALLOC_RAM: {
		word_t size = rpc_word(m, 0);
		struct ds *d;
		cptr_t cap;
		if (size == 0 || size > (1ul << 40)) {
			rep->label = RPC_E_INVALID_ARGUMENT;
			return;
		}
		st = ds_new_ram(a, (size + PAGE - 1) / PAGE, &d);
		if (st == RPC_OK && (st = obj_cap(&d->obj, a, &cap)) != RPC_OK)
			ds_destroy(d);
		if (st != RPC_OK) {
			rep->label = st;
			return;
		}
		d->owner = pd;
		d->next_of_owner = pd->dataspaces;
		pd->dataspaces = d;
		rep->cap = cap;
		rpc_put(rep, d->pages * PAGE);
		return;
	}
	case PD_FREE_RAM: {
		struct ds *d = arg_ds(m);
		if (!d || d->type != DS_T_RAM)
			rep->label = RPC_E_INVALID_CAP;
		else if (d->owner != pd)
			rep->label = RPC_E_DENIED;
		else
			ds_destroy(d);
		return;
	}
	case PD_ATTACH: {
		struct ds *d = arg_ds(m);
		word_t addr;
		if (!d) {
			rep->label = RPC_E_INVALID_CAP;
			return;
		}
		rep->label = region_attach(pd, d, rpc_word(m, 0), rpc_word(m, 1), rpc_word(m, 2),
					   rpc_word(m, 3), &addr);
		if (rep->label == RPC_OK)
			rpc_put(rep, addr);
		return;
	}
	case PD_DETACH:
		rep->label = region_detach(pd, rpc_word(m, 0));
		return;
	case PD_TRANSFER: {
		struct pd *to = arg_pd(m);
		word_t ram = rpc_word(m, 0), caps = rpc_word(m, 1);
		if (!to) {
			rep->label = RPC_E_INVALID_CAP;
			return;
		}
		if (to->dying) {
			rep->label = RPC_E_DENIED;
			return;
		}
		if (ram > acct_ram_avail(a)) {
			rep->label = RPC_E_NO_RAM_QUOTA;
			return;
		}
		if (caps > acct_cap_avail(a)) {
			rep->label = RPC_E_NO_CAP_QUOTA;
			return;
		}
		a->ram_quota -= ram;
		a->cap_quota -= caps;
		to->s.acct.ram_quota += ram;
		to->s.acct.cap_quota += caps;
		return;
	}
	case PD_QUOTA:
		rpc_put(rep, a->ram_quota);
		rpc_put(rep, a->ram_used);
		rpc_put(rep, a->cap_quota);
		rpc_put(rep, a->cap_used);
		return;
	case PD_INSTALL: {
		word_t slot = rpc_word(m, 0);
		abi_error_t e;
		if (self) {
			rep->label = RPC_E_DENIED;   /* only the parent's view installs */
			return;
		}
		if (slot != COMPONENT_PARENT && slot != COMPONENT_CPU &&
		    (slot < COMPONENT_INSTALL_FIRST || slot > COMPONENT_INSTALL_LAST)) {
			rep->label = RPC_E_INVALID_ARGUMENT;
			return;
		}
		if (m->cap_kind == RPC_CAP_UNWRAPPED) {
			/* a PD's own view stays its own view */
			bool aself;
			struct pd *apd = pd_of_badge(m->cap_badge, &aself);
			struct object *o = obj_lookup(m->cap_badge & ~PD_SELF_BIT, K_NONE);
			cptr_t src = apd && aself ? apd->self_cap : o ? o->cap : 0;
			if (!o || !src || (!apd && (m->cap_badge & PD_SELF_BIT))) {
				rep->label = RPC_E_INVALID_CAP;
				return;
			}
			pd_cnode_delete(pd, slot);
			e = pd_cnode_copy(pd, slot, src, RIGHT_WRITE | RIGHT_GRANT | RIGHT_GRANT_REPLY);
		} else if (m->cap_kind == RPC_CAP_PLACED) {
			pd_cnode_delete(pd, slot);
			e = pd_cnode_move(pd, slot, m->cap);
		} else {
			rep->label = RPC_E_INVALID_CAP;
			return;
		}
		if (e != E_OK)
			rep->label = RPC_E_INVALID_CAP;
		return;
	}
	case PD_ALLOC_EP:
		alloc_handle(pd, OBJ_ENDPOINT, m, rep);
		return;
	case PD_ALLOC_NTFN:
		alloc_handle(pd, OBJ_NOTIFICATION, m, rep);
		return;
	case PD_FREE_OBJ:
		free_handle(pd, rpc_word(m, 0), rep);
		return;
	case PD_FAULT_SIGH: {
		/* the PD's own handler never replaces its parent's */
		cptr_t *sigh = self ? &pd->own_fault_sigh : &pd->fault_sigh;
		acct_drop_cap(a, sigh);
		rep->label = acct_keep_sigh(a, m, sigh);
		return;
	}
	case PD_REGION: {
		struct region *g = region_find(pd, rpc_word(m, 0));
		if (!g) {
			rep->label = RPC_E_NOT_FOUND;
			return;
		}
		rpc_put(rep, g->base);
		rpc_put(rep, g->size);
		rpc_put(rep, g->flags);
		rpc_put(rep, g->offset);
		return;
	}
	case PD_CORE_STATS:
		rpc_put(rep, ut_ram_free());
		rpc_put(rep, ut_blocks_free());
		rpc_put(rep, core_acct.slots_free);
		rpc_put(rep, cspace_free_tops());
		rpc_put(rep, obj_count());
		rpc_put(rep, heap_in_use());
		rpc_put(rep, ut_ram_total());
		rpc_put(rep, core_image_bytes());
		rpc_put(rep, core_acct.ram_used);
		rpc_put(rep, pd_ram_charged(pd));
		rpc_put(rep, core_ram_kept);
		return;
	default:
		rep->label = RPC_E_ILLEGAL_OPERATION;
	}
}
