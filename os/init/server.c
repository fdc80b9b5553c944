/*
 * Sessions of init's children: a request is routed by the model
 * (init_route_session) to init's parent (paid by the client's PD), to a
 * child server through the root capability it announced (quota moved
 * client -> server with PD_TRANSFER and back on close), or to init itself
 * for a child's embedded <config> (a ROM session whose dataspace is paid
 * by the client). A request for a server that has not announced its
 * service yet waits (deferred reply) until it does. Nothing a child sends
 * is trusted: strings, ids and quota are checked.
 */
#include "rt.h"

#include <argil/printf.h>

static struct rt_session *session_new(struct rt_child *ch)
{
	for (unsigned i = 0; i < RT_MAX_SESSIONS; i++) {
		struct rt_session *s = &ch->sessions[i];
		if (s->kind == RT_SESSION_FREE) {
			memset(s, 0, sizeof(*s));
			s->id = ch->next_id++;
			s->client = ch;
			return s;
		}
	}
	return 0;
}

static struct rt_session *session_find(struct rt_child *ch, word_t id)
{
	for (unsigned i = 0; i < RT_MAX_SESSIONS; i++)
		if (ch->sessions[i].kind != RT_SESSION_FREE && ch->sessions[i].id == id)
			return &ch->sessions[i];
	return 0;
}

cptr_t rt_provided_root(struct rt_child *server, const char *service)
{
	if (!server || server->state != RT_RUNNING)
		return 0;
	for (unsigned i = 0; i < server->n_provided; i++)
		if (!strcmp(server->provided[i].service, service))
			return server->provided[i].root;
	return 0;
}

/* ---- the config ROM served by init ---- */

static void drop_old_ds(struct rt_session *s)
{
	if (!s->old_ds)
		return;
	if (s->client->state == RT_RUNNING)
		pd_free_ram(s->client->c.pd, s->old_ds);
	cap_slot_free(s->old_ds);
	s->old_ds = 0;
}

static void config_rom_handler(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct rt_session *s = o->data;

	switch (req->label) {
	case ROM_DATASPACE:
		/* the client detached the previous content before asking */
		drop_old_ds(s);
		rep->cap = s->ds;
		rpc_put(rep, s->ds_size);
		return;
	case ROM_SIGH:
		if (s->sigh)
			cap_slot_free(s->sigh);
		s->sigh = 0;
		if (req->cap_kind == RPC_CAP_PLACED) {
			s->sigh = req->cap;
			req->cap = 0;   /* kept */
		}
		return;
	case ROM_UPDATE:
		rpc_put(rep, 0);
		return;
	default:
		rep->label = RPC_E_ILLEGAL_OPERATION;
	}
}

/* A dataspace of the client holding its current embedded config. */
static rpc_status_t config_ds(struct rt_child *client, cptr_t *ds, word_t *len)
{
	const struct init_child *cfg = client->cfg;
	word_t n = cfg && cfg->config ? cfg->config_len : 0;
	word_t size = n ? (n + 4095) & ~4095ul : 4096, addr;
	rpc_status_t st = pd_alloc_ram(client->c.pd, size, ds);

	if (st != RPC_OK)
		return st;
	st = pd_attach(COMPONENT_PD, *ds, 0, 0, 0, ATTACH_WRITE, &addr);
	if (st == RPC_OK) {
		memcpy((void *)addr, cfg->config, n);
		pd_detach(COMPONENT_PD, addr);
		*len = n;
		return RPC_OK;
	}
	pd_free_ram(client->c.pd, *ds);
	cap_slot_free(*ds);
	*ds = 0;
	return st;
}

/* The embedded config changed: new content, then the change signal. */
void rt_config_update(struct rt_child *ch)
{
	for (unsigned i = 0; i < RT_MAX_SESSIONS; i++) {
		struct rt_session *s = &ch->sessions[i];
		cptr_t ds;
		word_t len;
		if (s->kind != RT_SESSION_CONFIG)
			continue;
		rpc_status_t st = config_ds(ch, &ds, &len);
		if (st != RPC_OK) {
			log("config update of '%s' failed: %s", ch->name, rpc_status_name(st));
			continue;
		}
		drop_old_ds(s);   /* never fetched: no longer attached */
		s->old_ds = s->ds;
		s->ds = ds;
		s->ds_size = len;
		if (s->sigh)
			signal_submit(s->sigh);
	}
}

static rpc_status_t config_session(struct rt_child *client, struct rt_session *s)
{
	rpc_status_t st = config_ds(client, &s->ds, &s->ds_size);

	if (st != RPC_OK)
		return st;
	st = ep_manage(&rt.env->ep, &s->obj, config_rom_handler, s);
	if (st != RPC_OK) {
		pd_free_ram(client->c.pd, s->ds);
		cap_slot_free(s->ds);
		s->ds = 0;
		return st;
	}
	s->cap = ep_cap(&rt.env->ep, &s->obj);
	s->kind = RT_SESSION_CONFIG;
	return RPC_OK;
}

/* ---- routing a request ---- */

/* Try to make the session; RPC_E_UNAVAILABLE with *wait set: the server
 * has not announced the service yet. */
static rpc_status_t session_make(struct rt_child *client, const char *service, const char *label,
				 const char *args, word_t ram, word_t caps, cptr_t payer,
				 struct rpc_msg *rep, int *wait)
{
	char out[SESSION_LABEL_MAX], desc[256];
	struct init_route_result r;
	struct rt_session *s;
	rpc_status_t st;
	cptr_t root;

	*wait = 0;
	if (!client->cfg || !init_label_valid(label))
		return RPC_E_DENIED;
	init_route_session(&rt.model, client->cfg, service, label, out, sizeof(out), &r);
	if (rt.model.verbose || r.kind == INIT_ROUTE_DENIED) {
		init_route_describe(&r, client->name, service, out, desc, sizeof(desc));
		log("%s", desc);
	}
	if (r.kind == INIT_ROUTE_DENIED)
		return RPC_E_DENIED;
	s = session_new(client);
	if (!s)
		return RPC_E_DENIED;
	snprintf(s->service, sizeof(s->service), "%s", service);
	snprintf(s->client_label, sizeof(s->client_label), "%s", label);
	/* the routing's label, which the reconfiguration diff compares */
	snprintf(s->label, sizeof(s->label), "%s", out);
	/* the server gets an empty label scoped to just the client's name
	 * (parent.h), where the routing writes "<name> -> " */
	size_t n = strlen(out);
	if (!label[0] && n >= 4 && !strcmp(out + n - 4, " -> "))
		out[n - 4] = 0;
	switch (r.kind) {
	case INIT_ROUTE_PARENT:
		/* the client pays, or the account it named (a PD capability it
		 * holds, e.g. a nested init's child's; core checks it) */
		st = parent_session(rt.env->parent, service, out, args, ram, caps,
				    payer ? payer : client->c.pd, &s->cap, &s->up_id);
		if (st != RPC_OK)
			return st;
		s->kind = RT_SESSION_PARENT;
		break;
	case INIT_ROUTE_CHILD:
		s->server = rt_child_by_name(r.server->name);
		root = rt_provided_root(s->server, service);
		if (!root) {
			if (s->server && s->server->state == RT_RUNNING)
				*wait = 1;
			return RPC_E_UNAVAILABLE;
		}
		st = pd_transfer(client->c.pd, s->server->c.pd, ram, caps);
		if (st != RPC_OK)
			return st;
		st = root_session(root, out, args, ram, caps, &s->cap, &s->up_id);
		if (st != RPC_OK) {
			pd_transfer(s->server->c.pd, client->c.pd, ram, caps);
			return st;
		}
		s->ram = ram;
		s->caps = caps;
		s->kind = RT_SESSION_CHILD;
		break;
	case INIT_ROUTE_LOCAL_CONFIG:
		st = config_session(client, s);
		if (st != RPC_OK)
			return st;
		break;
	default:
		return RPC_E_DENIED;
	}
	rep->cap = s->cap;
	rpc_put(rep, s->id);
	rt_report_changed();
	return RPC_OK;
}

void rt_session_request(struct rt_child *client, struct rpc_msg *req, struct rpc_msg *rep)
{
	char service[SERVICE_NAME_MAX], label[SESSION_LABEL_MAX], args[SESSION_ARGS_MAX];
	word_t pos = 2;
	int wait;

	if (rpc_get_str(req, &pos, service, sizeof(service)) != RPC_OK ||
	    rpc_get_str(req, &pos, label, sizeof(label)) != RPC_OK ||
	    rpc_get_str(req, &pos, args, sizeof(args)) != RPC_OK) {
		rep->label = RPC_E_INVALID_ARGUMENT;
		return;
	}
	rep->label = session_make(client, service, label, args, rpc_word(req, 0), rpc_word(req, 1),
				  req->cap_kind == RPC_CAP_PLACED ? req->cap : 0, rep, &wait);
	if (!wait)
		return;
	for (unsigned i = 0; i < RT_MAX_PENDING; i++) {
		struct rt_pending *p = &rt.pending[i];
		if (p->used)
			continue;
		if (rpc_defer(&rt.env->ep, &p->rc) != RPC_OK)
			break;
		p->used = 1;
		p->client = client;
		memcpy(p->service, service, sizeof(service));
		memcpy(p->label, label, sizeof(label));
		memcpy(p->args, args, sizeof(args));
		p->ram = rpc_word(req, 0);
		p->caps = rpc_word(req, 1);
		return;
	}
	rep->label = RPC_E_UNAVAILABLE;
}

/* Retry the waiting requests (after an announcement or a server's end). */
static void pending_retry(void)
{
	struct rpc_msg rep;
	int wait;

	for (unsigned i = 0; i < RT_MAX_PENDING; i++) {
		struct rt_pending *p = &rt.pending[i];
		if (!p->used)
			continue;
		rpc_init(&rep, RPC_OK);
		if (p->client->state != RT_RUNNING) {
			rep.label = RPC_E_DENIED;
			wait = 0;
		} else {
			rep.label = session_make(p->client, p->service, p->label, p->args, p->ram,
						 p->caps, 0, &rep, &wait);
		}
		if (wait)
			continue;
		rpc_reply_deferred(&p->rc, &rep);
		p->used = 0;
	}
}

void rt_announce(struct rt_child *server, struct rpc_msg *req, struct rpc_msg *rep)
{
	char service[SERVICE_NAME_MAX];
	word_t pos = 0;

	if (req->cap_kind != RPC_CAP_PLACED) {
		rep->label = RPC_E_INVALID_CAP;
		return;
	}
	if (rpc_get_str(req, &pos, service, sizeof(service)) != RPC_OK) {
		rep->label = RPC_E_INVALID_ARGUMENT;
		return;
	}
	if (!server->cfg || !init_child_provides(server->cfg, service)) {
		log("child '%s' announced '%s', which its <provides> does not name", server->name,
		    service);
		rep->label = RPC_E_DENIED;
		return;
	}
	if (rt_provided_root(server, service) || server->n_provided >= RT_MAX_PROVIDES) {
		rep->label = RPC_E_EXISTS;
		return;
	}
	memcpy(server->provided[server->n_provided].service, service, sizeof(service));
	server->provided[server->n_provided++].root = req->cap;
	req->cap = 0;   /* kept */
	if (rt.model.verbose)
		log("child '%s' announced '%s'", server->name, service);
	rt_services_update();
	/* not now: the server waits for this reply and could not answer its
	 * root; the signal runs the retry once the reply has gone out */
	signal_submit(rt.retry.cap);
}

static void on_retry(void *arg)
{
	(void)arg;
	pending_retry();
}

rpc_status_t rt_server_init(void)
{
	return signal_handler_init(&rt.env->ep, &rt.retry, on_retry, 0);
}

/* ---- upgrade and close ---- */

void rt_session_upgrade(struct rt_child *client, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct rt_session *s = session_find(client, rpc_word(req, 0));
	word_t ram = rpc_word(req, 1), caps = rpc_word(req, 2);
	cptr_t root;

	if (!s) {
		rep->label = RPC_E_NOT_FOUND;
		return;
	}
	switch (s->kind) {
	case RT_SESSION_PARENT:
		rep->label = parent_upgrade(rt.env->parent, s->up_id, ram, caps, client->c.pd);
		return;
	case RT_SESSION_CHILD:
		root = rt_provided_root(s->server, s->service);
		if (!root) {
			rep->label = RPC_E_DELETED;
			return;
		}
		rep->label = pd_transfer(client->c.pd, s->server->c.pd, ram, caps);
		if (rep->label != RPC_OK)
			return;
		rep->label = root_upgrade(root, s->up_id, ram, caps);
		if (rep->label != RPC_OK) {
			pd_transfer(s->server->c.pd, client->c.pd, ram, caps);
			return;
		}
		s->ram += ram;
		s->caps += caps;
		return;
	default:
		/* init's own sessions need nothing more */
		return;
	}
}

static rpc_status_t session_end(struct rt_session *s)
{
	rpc_status_t st = RPC_OK;
	cptr_t root;

	switch (s->kind) {
	case RT_SESSION_PARENT:
		st = parent_close(rt.env->parent, s->up_id);
		cap_slot_free(s->cap);
		break;
	case RT_SESSION_CHILD:
		root = rt_provided_root(s->server, s->service);
		if (root) {
			st = root_close(root, s->up_id);
			if (st == RPC_OK && s->client->state == RT_RUNNING)
				st = pd_transfer(s->server->c.pd, s->client->c.pd, s->ram, s->caps);
		}
		cap_slot_free(s->cap);
		break;
	case RT_SESSION_CONFIG:
		ep_dissolve(&rt.env->ep, &s->obj);
		drop_old_ds(s);
		if (s->sigh)
			cap_slot_free(s->sigh);
		s->sigh = 0;
		if (s->client->state == RT_RUNNING)
			pd_free_ram(s->client->c.pd, s->ds);
		cap_slot_free(s->ds);
		break;
	default:
		break;
	}
	s->kind = RT_SESSION_FREE;
	rt_report_changed();
	return st;
}

void rt_session_close(struct rt_child *client, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct rt_session *s = session_find(client, rpc_word(req, 0));

	if (!s) {
		rep->label = RPC_E_NOT_FOUND;
		return;
	}
	rep->label = session_end(s);
}

void rt_session_close_all(struct rt_child *client)
{
	for (unsigned i = 0; i < RT_MAX_SESSIONS; i++)
		if (client->sessions[i].kind != RT_SESSION_FREE)
			session_end(&client->sessions[i]);
}

/* A server goes away: its clients' sessions there end (their quota went
 * with the server's PD only if the server could not give it back). */
void rt_server_gone(struct rt_child *server)
{
	for (unsigned i = 0; i < RT_MAX_CHILDREN; i++) {
		struct rt_child *c = &rt.children[i];
		if (c->state != RT_RUNNING || c == server)
			continue;
		for (unsigned j = 0; j < RT_MAX_SESSIONS; j++)
			if (c->sessions[j].kind == RT_SESSION_CHILD && c->sessions[j].server == server)
				session_end(&c->sessions[j]);
	}
	rt_services_server_gone(server);
	pending_retry();
}
