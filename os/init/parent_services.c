/*
 * init's own services to its parent (<service name=..> with <policy> and
 * <default-policy>): once the child that provides a service init declares
 * has announced it, init announces the service to its parent with a root
 * object of its own. The parent's ROOT_SESSION is routed by policy
 * (init_route_parent_session: the first matching policy, its label
 * rewrite) to that child's root; the quota the parent moved to init moves
 * on to the child (PD_TRANSFER) and back on ROOT_CLOSE. A session whose
 * policy or server changes with a new config, or whose server goes, is
 * closed at the server; the record stays until the parent closes it.
 * The parent is trusted as far as the quota it says it moved (core checks
 * the transfers); its strings and ids are checked.
 */
#include "runtime.h"

#include <argil/printf.h>

static struct rt_service *service_find(const char *name)
{
	for (struct rt_service *s = rt.services; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return 0;
}

static struct rt_psession *psession_find(word_t id)
{
	for (struct rt_psession *ps = rt.psessions; ps; ps = ps->next)
		if (ps->id == id)
			return ps;
	return 0;
}

/* End the session at its server (the record stays for the parent). */
static void psession_close_at_server(struct rt_psession *ps, bool server_alive, const char *why)
{
	cptr_t root = server_alive ? rt_provided_root(ps->server, ps->service) : 0;

	if (ps->closed)
		return;
	if (root && root_close(root, ps->up_id) == RPC_OK)
		pd_transfer(ps->server->c.pd, rt.env->pd, ps->ram, ps->caps);
	/* otherwise the quota comes back with the server's account */
	cap_slot_free(ps->cap);
	ps->cap = 0;
	ps->closed = true;
	ps->server = 0;   /* the child record may go before the parent closes */
	log("session %s \"%s\" of the parent closed: %s", ps->service, ps->label, why);
	rt_report_changed();
}

static rpc_status_t psession_open(struct root_session_call *c)
{
	struct rt_service *svc = c->obj;
	const char *label = c->in.label, *args = c->in.args;
	word_t ram = c->in.ram, caps = c->in.caps;
	char out[SESSION_LABEL_MAX], desc[256];
	struct init_route_result r;
	struct rt_psession *ps = 0;
	struct rt_child *server;
	rpc_status_t st;
	cptr_t root;

	init_route_parent_session(&rt.model, svc->name, label, out, sizeof(out), &r);
	if (rt.model.verbose || r.kind != INIT_ROUTE_CHILD) {
		init_route_describe(&r, 0, svc->name, out, desc, sizeof(desc));
		log("%s", desc);
	}
	if (r.kind != INIT_ROUTE_CHILD)
		return RPC_E_DENIED;
	server = rt_child_by_name(r.server->name);
	root = rt_provided_root(server, svc->name);
	if (!root || !rt_all_announced(server)) {
		log("parent -> %s \"%s\": child '%s' does not serve it now", svc->name, out,
		    r.server->name);
		return RPC_E_UNAVAILABLE;
	}
	ps = rt_alloc(sizeof(*ps), "session of the parent", server->name);
	if (!ps)
		return RPC_E_NO_RAM_QUOTA;
	/* the parent moved the quota to us: pass it on to the server */
	st = rt_server_session(rt.env->pd, server, root, out, args, ram, caps, &ps->cap, &ps->up_id);
	if (st != RPC_OK) {
		free(ps);
		return st;
	}
	RT_APPEND(rt.psessions, ps);
	ps->id = ++rt.next_psession_id;
	ps->server = server;
	ps->ram = ram;
	ps->caps = caps;
	snprintf(ps->service, sizeof(ps->service), "%s", svc->name);
	snprintf(ps->label, sizeof(ps->label), "%s", label);
	snprintf(ps->server_label, sizeof(ps->server_label), "%s", out);
	c->out.session = ps->cap;
	c->out.id = ps->id;
	rt_report_changed();
	return RPC_OK;
}

static rpc_status_t psession_upgrade(struct root_upgrade_call *c)
{
	struct rt_psession *ps = psession_find(c->in.id);
	rpc_status_t st;
	cptr_t root;

	if (!ps)
		return RPC_E_NOT_FOUND;
	root = ps->closed ? 0 : rt_provided_root(ps->server, ps->service);
	if (!root)
		return RPC_E_DELETED;
	st = rt_server_upgrade(rt.env->pd, ps->server, root, ps->up_id, c->in.ram, c->in.caps);
	if (st != RPC_OK)
		return st;
	ps->ram += c->in.ram;
	ps->caps += c->in.caps;
	return RPC_OK;
}

static rpc_status_t psession_close(struct root_close_call *c)
{
	struct rt_psession *ps = psession_find(c->in.id);
	rpc_status_t st = RPC_OK;
	cptr_t root;

	if (!ps)
		return RPC_E_NOT_FOUND;
	if (!ps->closed) {
		root = rt_provided_root(ps->server, ps->service);
		if (root) {
			st = root_close(root, ps->up_id);
			if (st == RPC_OK)
				st = pd_transfer(ps->server->c.pd, rt.env->pd, ps->ram, ps->caps);
		}
		cap_slot_free(ps->cap);
	}
	RT_UNLINK(rt.psessions, ps);
	free(ps);
	rt_report_changed();
	return st;
}

RPC_SERVER(root, ROOT_RPC)

static const struct root_server root_ops = {
	.root_session = psession_open,
	.root_upgrade = psession_upgrade,
	.root_close = psession_close,
};

static void root_handler(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	root_dispatch(&root_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

/* Announce each declared service whose child has announced it. The
 * announcement stays for init's lifetime (the parent keeps the root);
 * requests while no child serves it are answered RPC_E_UNAVAILABLE. */
void rt_services_update(void)
{
	for (unsigned i = 0; rt.have_model && i < rt.model.n_services; i++) {
		const struct init_service *ms = &rt.model.services[i];
		const char *name = ms->name;
		struct rt_service *svc;
		struct rt_child *by = 0;
		rpc_status_t st;

		/* announced once a child that one of its policies names serves it */
		for (unsigned k = 0; k < ms->n_policies && !by; k++) {
			struct rt_child *ch = rt_child_by_name(ms->policies[k].target.child);
			if (ch && rt_provided_root(ch, name) && rt_all_announced(ch))
				by = ch;
		}
		if (!by)
			continue;
		if (service_find(name))
			continue;   /* announced */
		svc = rt_alloc(sizeof(*svc), "announcement to the parent", name);
		if (!svc) {
			log("service '%s' not announced: init's heap is exhausted", name);
			continue;
		}
		snprintf(svc->name, sizeof(svc->name), "%s", name);
		st = ep_manage(&rt.env->ep, &svc->root, root_handler, svc);
		if (st == RPC_OK) {
			st = parent_announce(rt.env->parent, name, ep_cap(&rt.env->ep, &svc->root));
			if (st != RPC_OK)
				ep_dissolve(&rt.env->ep, &svc->root);
		}
		if (st != RPC_OK) {
			log("service '%s' not announced to the parent: %s", name, rpc_status_name(st));
			free(svc);
			continue;
		}
		RT_APPEND(rt.services, svc);
		log("service '%s' announced to the parent (served by '%s')", name, by->name);
	}
}

/* The server child goes: its sessions of the parent end with it. */
void rt_services_server_gone(struct rt_child *server)
{
	for (struct rt_psession *ps = rt.psessions; ps; ps = ps->next) {
		if (!ps->closed && ps->server == server)
			psession_close_at_server(ps, false, "its server is gone");
	}
}

/* The diff's action close-parent-session (its policy changed). */
void rt_services_close(word_t id)
{
	struct rt_psession *ps = psession_find(id);

	if (ps)
		psession_close_at_server(ps, true, "its policy changed");
}

