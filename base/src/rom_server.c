/*
 * Dynamic ROM sessions (argil/rom_server.h). Trusts the server that uses
 * it for the content; the client is trusted for nothing: its signal
 * capability must be a notification, every dataspace is paid from its
 * donation, and a dataspace is zeroed beyond the content so that no older
 * content shows through.
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/pd.h>
#include <argil/rom.h>
#include <argil/rom_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <arch/syscall.h>

static void free_ds(struct rom_session *s)
{
	if (!s->ds)
		return;
	pd_free_ram(COMPONENT_PD, s->ds);
	cap_slot_free(s->ds);
	budget_give(&s->budget, DS_COST(s->ds_pages), 1);
	s->ds = 0;
	s->ds_pages = 0;
}

/* Copy the content into the session's dataspace, zero beyond it. */
static rpc_status_t fill(struct rom_session *s, const struct rom_content *c)
{
	word_t addr;
	rpc_status_t st = pd_attach(COMPONENT_PD, s->ds, 0, 0, 0, ATTACH_WRITE, &addr);

	if (st != RPC_OK)
		return st;
	if (c->len)
		memcpy((void *)addr, c->data, c->len);
	memset((char *)addr + c->len, 0, s->ds_pages * 4096 - c->len);
	pd_detach(COMPONENT_PD, addr);
	s->delivered = c->version;
	return RPC_OK;
}

static void deliver(struct rom_session *s, struct rpc_msg *rep)
{
	struct rom_content c = { 0, 0, 0 };
	word_t pages;
	rpc_status_t st;

	s->content(s, &c);
	pages = c.len ? PAGES(c.len) : 1;
	if (pages != s->ds_pages) {
		free_ds(s);
		if (s->budget.ram - s->budget.ram_used < DS_COST(pages)) {
			rep->label = RPC_E_NO_RAM_QUOTA;
			return;
		}
		if (!budget_take(&s->budget, DS_COST(pages), 1)) {
			rep->label = RPC_E_NO_CAP_QUOTA;
			return;
		}
		st = pd_alloc_ram(COMPONENT_PD, pages * 4096, &s->ds);
		if (st != RPC_OK) {
			budget_give(&s->budget, DS_COST(pages), 1);
			s->ds = 0;
			rep->label = st;
			return;
		}
		s->ds_pages = pages;
	}
	st = fill(s, &c);
	if (st != RPC_OK) {
		rep->label = st;
		return;
	}
	rep->cap = s->ds;
	rpc_put(rep, c.len);
	rpc_put(rep, c.version);
}

/* ROM_UPDATE: the content into the client's dataspace if it has one of
 * the right number of pages (the client then reads it at once), else
 * w0 0 and the client asks for a new one. */
static void update(struct rom_session *s, struct rpc_msg *rep)
{
	struct rom_content c = { 0, 0, 0 };

	s->content(s, &c);
	if (!s->ds || (c.len ? PAGES(c.len) : 1) != s->ds_pages || fill(s, &c) != RPC_OK) {
		rpc_put(rep, 0);
		return;
	}
	rpc_put(rep, 1);
	rpc_put(rep, c.len);
}

void rom_session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct rom_session *s = o->data;

	switch (req->label) {
	case ROM_DATASPACE:
		deliver(s, rep);
		return;
	case ROM_SIGH:
		rep->label = rpc_take_sigh(req, &s->sigh, true);
		if (rep->label == RPC_OK && s->sigh)
			rom_session_changed(s);
		return;
	case ROM_UPDATE:
		update(s, rep);
		return;
	default:
		rep->label = RPC_E_ILLEGAL_OPERATION;
	}
}

void rom_session_changed(struct rom_session *s)
{
	struct rom_content c = { 0, 0, 0 };

	s->content(s, &c);
	if (s->sigh && c.version != s->delivered)
		sys_signal(s->sigh);
}

rpc_status_t rom_session_init(struct rom_session *s, struct entrypoint *ep, const char *label,
			      word_t ram, word_t caps,
			      void (*content)(struct rom_session *, struct rom_content *), void *data)
{
	size_t n = strlen(label);

	memset(s, 0, sizeof(*s));
	if (ram < ROM_SESSION_BASE)
		return RPC_E_NO_RAM_QUOTA;
	if (caps < ROM_SESSION_BASE_CAPS)
		return RPC_E_NO_CAP_QUOTA;
	s->budget.ram = ram;
	s->budget.caps = caps;
	budget_take(&s->budget, ROM_SESSION_BASE, ROM_SESSION_BASE_CAPS);
	if (n >= sizeof(s->label))
		n = sizeof(s->label) - 1;
	memcpy(s->label, label, n);
	s->content = content;
	s->data = data;
	if (ep_manage(ep, &s->obj, rom_session_rpc, s) != RPC_OK)
		return RPC_E_NO_RAM_QUOTA;
	if (!ep_cap(ep, &s->obj)) {
		ep_dissolve(ep, &s->obj);
		return RPC_E_UNAVAILABLE;
	}
	return RPC_OK;
}

void rom_session_fini(struct rom_session *s, struct entrypoint *ep)
{
	ep_dissolve(ep, &s->obj);
	free_ds(s);
	cap_slot_free(s->sigh);
	s->sigh = 0;
}

/* ---- policies ---- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

bool policy_matches(const struct cfg_node *p, const char *label)
{
	const char *v;

	if ((v = cfg_attr(p, "label")) && strcmp(label, v))
		return false;
	if ((v = cfg_attr(p, "label_prefix")) && strncmp(label, v, strlen(v)))
		return false;
	if ((v = cfg_attr(p, "label_suffix")) && !ends_with(label, v))
		return false;
	if ((v = cfg_attr(p, "label_last")) && strcmp(label_last(label), v))
		return false;
	return true;
}
