/*
 * Dynamic ROM sessions (rom_server.h). Trusts the server that uses
 * it for the content; the client is trusted for nothing: its signal
 * capability must be a notification, every dataspace is paid from its
 * donation, and a dataspace is zeroed beyond the content so that no older
 * content shows through.
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/pd.h>
#include <argil/rom.h>
#include <rom_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <arch/syscall.h>

static void free_ds(struct rom_session *s)
{
	if (!s->ds)
		return;
	pd_free_ram(COMPONENT_PD, s->ds);
	cap_slot_free(s->ds);
	budget_give(&s->ss.budget, DS_COST(s->ds_pages), 1);
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

static rpc_status_t do_dataspace(struct rom_dataspace_call *call)
{
	struct rom_session *s = call->obj;
	struct rom_content c = { 0, 0, 0 };
	word_t pages;
	rpc_status_t st;

	s->content(s, &c);
	pages = c.len ? PAGES(c.len) : 1;
	if (pages != s->ds_pages) {
		free_ds(s);
		if (s->ss.budget.ram - s->ss.budget.ram_used < DS_COST(pages))
			return RPC_E_NO_RAM_QUOTA;
		if (!budget_take(&s->ss.budget, DS_COST(pages), 1))
			return RPC_E_NO_CAP_QUOTA;
		st = pd_alloc_ram(COMPONENT_PD, pages * 4096, &s->ds);
		if (st != RPC_OK) {
			budget_give(&s->ss.budget, DS_COST(pages), 1);
			s->ds = 0;
			return st;
		}
		s->ds_pages = pages;
	}
	st = fill(s, &c);
	if (st != RPC_OK)
		return st;
	call->out.ds = s->ds;
	call->out.size = c.len;
	call->out.version = c.version;
	return RPC_OK;
}

/* ROM_UPDATE: the content into the client's dataspace if it has one of
 * the right number of pages (the client then reads it at once), else
 * updated 0 and the client asks for a new one. */
static rpc_status_t do_update(struct rom_update_call *call)
{
	struct rom_session *s = call->obj;
	struct rom_content c = { 0, 0, 0 };

	s->content(s, &c);
	if (!s->ds || (c.len ? PAGES(c.len) : 1) != s->ds_pages || fill(s, &c) != RPC_OK)
		return RPC_OK;
	call->out.updated = 1;
	call->out.size = c.len;
	return RPC_OK;
}

static rpc_status_t do_sigh(struct rom_sigh_call *call)
{
	struct rom_session *s = call->obj;
	rpc_status_t st = rpc_take_sigh(call->in.ntfn, &s->sigh, true);

	if (st == RPC_OK && s->sigh)
		rom_session_changed(s);
	return st;
}

RPC_SERVER(rom, ROM_RPC)

static const struct rom_server rom_ops = {
	.rom_dataspace = do_dataspace,
	.rom_sigh = do_sigh,
	.rom_update = do_update,
};

void rom_session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	rom_dispatch(&rom_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

void rom_session_changed(struct rom_session *s)
{
	struct rom_content c = { 0, 0, 0 };

	s->content(s, &c);
	if (s->sigh && c.version != s->delivered)
		sys_signal(s->sigh);
}

rpc_status_t rom_session_setup(struct rom_session *s,
			       void (*content)(struct rom_session *, struct rom_content *), void *data)
{
	if (s->ss.budget.ram < ROM_SESSION_BASE)
		return RPC_E_NO_RAM_QUOTA;
	if (s->ss.budget.caps < ROM_SESSION_BASE_CAPS)
		return RPC_E_NO_CAP_QUOTA;
	budget_take(&s->ss.budget, ROM_SESSION_BASE, ROM_SESSION_BASE_CAPS);
	s->content = content;
	s->data = data;
	return RPC_OK;
}

void rom_session_release(struct rom_session *s)
{
	free_ds(s);
	cap_slot_free(s->sigh);
	s->sigh = 0;
}

rpc_status_t rom_session_init(struct rom_session *s, struct entrypoint *ep, const char *label,
			      word_t ram, word_t caps,
			      void (*content)(struct rom_session *, struct rom_content *), void *data)
{
	size_t n = strlen(label);
	rpc_status_t st;

	memset(s, 0, sizeof(*s));
	s->ss.budget.ram = ram;
	s->ss.budget.caps = caps;
	st = rom_session_setup(s, content, data);
	if (st != RPC_OK)
		return st;
	if (n >= sizeof(s->ss.label))
		n = sizeof(s->ss.label) - 1;
	memcpy(s->ss.label, label, n);
	if (ep_manage(ep, &s->ss.obj, rom_session_rpc, s) != RPC_OK)
		return RPC_E_NO_RAM_QUOTA;
	if (!ep_cap(ep, &s->ss.obj)) {
		ep_dissolve(ep, &s->ss.obj);
		return RPC_E_UNAVAILABLE;
	}
	return RPC_OK;
}

void rom_session_fini(struct rom_session *s, struct entrypoint *ep)
{
	ep_dissolve(ep, &s->ss.obj);
	rom_session_release(s);
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
