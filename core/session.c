/*
 * Session bookkeeping shared by every core service: quota moves between
 * the payer's account and the session's, the session's lifetime, and
 * charged bookkeeping memory.
 */
#include "core.h"

void *acct_alloc(struct account *a, size_t size, rpc_status_t *st)
{
	void *p;

	*st = acct_charge(a, heap_charge(size), 0);
	if (*st != RPC_OK)
		return 0;
	p = core_alloc(size);
	if (!p) {
		acct_release(a, heap_charge(size), 0);
		*st = RPC_E_UNAVAILABLE;
	}
	return p;
}

void acct_free(struct account *a, void *p, size_t size)
{
	if (!p)
		return;
	core_free(p, size);
	acct_release(a, heap_charge(size), 0);
}

rpc_status_t acct_keep_cap(struct account *a, cptr_t from, cptr_t *out)
{
	rpc_status_t st = acct_charge(a, 0, 1);

	if (st != RPC_OK)
		return st;
	st = slot_get(a, out);
	if (st != RPC_OK) {
		acct_release(a, 0, 1);
		return st;
	}
	if (c_move(*out, from) != E_OK) {
		slot_put(a, *out);
		acct_release(a, 0, 1);
		*out = 0;
		return RPC_E_INVALID_CAP;
	}
	return RPC_OK;
}

rpc_status_t acct_keep_sigh(struct account *a, struct rpc_msg *m, cptr_t *out)
{
	*out = 0;
	if (m->cap_kind == RPC_CAP_NONE)
		return RPC_OK;   /* none: no signals */
	/* only a notification: core signals without blocking, never into an endpoint */
	if (m->cap_kind != RPC_CAP_PLACED || sys_debug_cap_type(m->cap) != OBJ_NOTIFICATION)
		return RPC_E_INVALID_CAP;
	return acct_keep_cap(a, m->cap, out);
}

void core_signal(cptr_t ntfn)
{
	struct sys_msg s = { 0 };

	if (ntfn)
		sys_nbsend(ntfn, &s);
}

void acct_drop_cap(struct account *a, cptr_t *c)
{
	if (!*c)
		return;
	c_delete(*c);
	slot_put(a, *c);
	acct_release(a, 0, 1);
	*c = 0;
}

static struct account *payer_acct(struct pd *payer)
{
	return payer ? &payer->s.acct : &core_acct;
}

rpc_status_t session_fund(struct session *s, struct pd *payer, word_t ram, word_t caps)
{
	struct account *pa = payer_acct(payer);

	if (payer && payer->dying)
		return RPC_E_DENIED;
	if (!pa->unlimited) {
		if (ram > acct_ram_avail(pa))
			return RPC_E_NO_RAM_QUOTA;
		if (caps > acct_cap_avail(pa))
			return RPC_E_NO_CAP_QUOTA;
		pa->ram_quota -= ram;
		pa->cap_quota -= caps;
	}
	s->acct.ram_quota = ram;
	s->acct.cap_quota = caps;
	s->payer = payer;
	if (payer) {
		s->next_of_payer = payer->sessions;
		payer->sessions = s;
	}
	return RPC_OK;
}

void session_defund(struct session *s)
{
	struct account *pa = payer_acct(s->payer);

	if (s->acct.ram_used || s->acct.cap_used) {
		printf("[core] session '%s' closed with %lu bytes, %lu caps still charged\n", s->label,
		       s->acct.ram_used, s->acct.cap_used);
		core_panic("leak in a session", (long)s->obj.kind);
	}
	if (!pa->unlimited) {
		pa->ram_quota += s->acct.ram_quota;
		pa->cap_quota += s->acct.cap_quota;
	}
	if (s->payer) {
		struct session **pp = &s->payer->sessions;
		while (*pp && *pp != s)
			pp = &(*pp)->next_of_payer;
		if (*pp)
			*pp = s->next_of_payer;
	}
	s->acct.ram_quota = s->acct.cap_quota = 0;
	s->payer = 0;
}

rpc_status_t session_upgrade(struct session *s, struct pd *payer, word_t ram, word_t caps)
{
	struct account *pa = payer_acct(payer);

	if (payer && payer->dying)
		return RPC_E_DENIED;
	if (!pa->unlimited) {
		if (ram > acct_ram_avail(pa))
			return RPC_E_NO_RAM_QUOTA;
		if (caps > acct_cap_avail(pa))
			return RPC_E_NO_CAP_QUOTA;
		pa->ram_quota -= ram;
		pa->cap_quota -= caps;
	}
	/* the quota returns to the session's original payer on close */
	if (payer_acct(s->payer)->unlimited && !pa->unlimited) {
		/* core paid the session: an upgrade from a PD would be lost */
		pa->ram_quota += ram;
		pa->cap_quota += caps;
		return RPC_E_DENIED;
	}
	s->acct.ram_quota += ram;
	s->acct.cap_quota += caps;
	return RPC_OK;
}

rpc_status_t session_new(size_t size, struct pd *payer, word_t ram, word_t caps,
			 enum obj_kind kind, const char *label, struct session **out)
{
	struct session *s = core_alloc(size);
	rpc_status_t st;

	*out = 0;
	if (!s)
		return RPC_E_UNAVAILABLE;
	s->struct_size = size;
	st = session_fund(s, payer, ram, caps);
	if (st != RPC_OK) {
		core_free(s, size);
		return st;
	}
	/* the structure itself and the session's capability are paid from the donation */
	st = acct_charge(&s->acct, heap_charge(size), 1);
	if (st != RPC_OK) {
		session_defund(s);
		core_free(s, size);
		return st;
	}
	st = obj_register(&s->obj, kind);
	if (st != RPC_OK) {
		acct_release(&s->acct, heap_charge(size), 1);
		session_defund(s);
		core_free(s, size);
		return st;
	}
	size_t n = strlen(label);
	if (n >= sizeof(s->label))
		n = sizeof(s->label) - 1;
	memcpy(s->label, label, n);
	s->label[n] = 0;
	*out = s;
	return RPC_OK;
}

void session_close(struct session *s)
{
	if (s->destroy)
		s->destroy(s);
	obj_unregister(&s->obj);
	acct_release(&s->acct, heap_charge(s->struct_size), 1);
	acct_free_leaves(&s->acct);
	session_defund(s);
	core_free(s, s->struct_size);
}

/* A request to a session of core's own services, by the session's kind. */
void session_serve(struct session *s, struct request *q)
{
	switch (s->obj.kind) {
	case K_ROM: rom_serve(s, q); break;
	case K_LOG: log_serve(s, q); break;
	case K_IOMEM: iomem_serve(s, q); break;
	case K_IOPORT: ioport_serve(s, q); break;
	case K_IRQ: irq_serve(s, q); break;
	case K_DMA: dma_serve(s, q); break;
	default: q->reply->label = RPC_E_ILLEGAL_OPERATION;
	}
}
