/*
 * Reconfiguration diff (rules in diff.h). Working memory and the plan
 * come from the caller's allocator; the models are only read.
 */
#include <argil/string.h>

#include "diff.h"
#include "route.h"
#include "text.h"

enum fate {
	FATE_KEEP,
	FATE_START,
	FATE_RESTART,
};

struct work {
	const struct init_model *old, *new;
	const struct init_runtime *rt;
	unsigned char *fate;                        /* per new child */
	unsigned char *why;                         /* per new child, FATE_RESTART */
	const struct init_session_status **cause;   /* per new child, FATE_RESTART */
	unsigned char *close;                       /* per session: close it (parent sessions) */
	bool routing_changed;                       /* default route, parent-provides, providers */
	char label[INIT_LABEL_MAX];
};

static unsigned n_sessions(const struct work *w)
{
	return w->rt ? w->rt->n_sessions : 0;
}

static bool lists_equal(const char *const *a, unsigned na, const char *const *b, unsigned nb)
{
	if (na != nb)
		return false;
	for (unsigned i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return true;
}

static unsigned providers(const struct init_model *m, const char *service)
{
	unsigned n = 0;

	for (unsigned i = 0; i < m->n_children; i++)
		n += init_child_provides(m->children[i], service);
	return n;
}

/* Every service of 'from' has the same providers (by name) in 'to'. */
static bool providers_kept(const struct init_model *from, const struct init_model *to)
{
	for (unsigned i = 0; i < from->n_children; i++) {
		const struct init_child *c = from->children[i];
		for (unsigned k = 0; k < c->n_provides; k++) {
			const char *svc = c->provides[k].name;
			const struct init_child *p = init_model_child(to, c->name);
			if (!p || !init_child_provides(p, svc) || providers(from, svc) != providers(to, svc))
				return false;
		}
	}
	return true;
}

static bool global_routing_changed(const struct init_model *old, const struct init_model *new)
{
	return old->has_default_route != new->has_default_route ||
	       !init_route_equal(&old->default_route, &new->default_route) ||
	       !lists_equal(old->parent_provides, old->n_parent_provides,
	                    new->parent_provides, new->n_parent_provides) ||
	       !providers_kept(old, new) || !providers_kept(new, old);
}

static bool own_routing_changed(const struct init_child *o, const struct init_child *n)
{
	return o->has_route != n->has_route || !init_route_equal(&o->route, &n->route) ||
	       (o->config == NULL) != (n->config == NULL);
}

/* The server child of an open session goes away or restarts. */
static bool server_goes(const struct work *w, const char *name)
{
	const struct init_child *c = init_model_child(w->new, name);
	return !c || w->fate[c->index] != FATE_KEEP;
}

/* The new route of s leads where s is open now, with the same label. */
static bool same_route(const struct init_session_status *s, enum init_route_kind kind,
                       const struct init_child *server, const char *label)
{
	bool same_server = false;

	switch (s->server_kind) {
	case INIT_PEER_PARENT:
		same_server = kind == INIT_ROUTE_PARENT;
		break;
	case INIT_PEER_CHILD:
		same_server = kind == INIT_ROUTE_CHILD && s->server && !strcmp(server->name, s->server);
		break;
	case INIT_PEER_INIT:
		same_server = kind == INIT_ROUTE_LOCAL_CONFIG;
		break;
	}
	return same_server && s->label && !strcmp(label, s->label);
}

static void restart(struct work *w, const struct init_child *c, enum init_restart_why why,
                    const struct init_session_status *cause)
{
	w->fate[c->index] = FATE_RESTART;
	w->why[c->index] = (unsigned char)why;
	w->cause[c->index] = cause;
}

/* Settings that need a new start of the child. */
static void decide_children(struct work *w)
{
	for (unsigned i = 0; i < w->new->n_children; i++) {
		const struct init_child *n = w->new->children[i];
		const struct init_child *o = w->old ? init_model_child(w->old, n->name) : NULL;
		if (!o)
			w->fate[i] = FATE_START;
		else if (strcmp(o->version, n->version))
			restart(w, n, INIT_WHY_VERSION, NULL);
		else if (strcmp(o->binary, n->binary))
			restart(w, n, INIT_WHY_BINARY, NULL);
		else if (o->priority != n->priority)
			restart(w, n, INIT_WHY_PRIORITY, NULL);
	}
}

/* Open sessions of children that lose their server or their route; each
 * round may restart a server whose clients follow in the next. */
static void decide_sessions(struct work *w)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (unsigned i = 0; i < n_sessions(w); i++) {
			const struct init_session_status *s = &w->rt->sessions[i];
			if (s->state != INIT_SESSION_AVAILABLE || s->client_kind != INIT_PEER_CHILD || !s->client)
				continue;
			const struct init_child *c = init_model_child(w->new, s->client);
			if (!c || w->fate[c->index] != FATE_KEEP)
				continue;
			if (s->server_kind == INIT_PEER_CHILD && (!s->server || server_goes(w, s->server))) {
				restart(w, c, INIT_WHY_SERVER, s);
				changed = true;
				continue;
			}
			struct init_route_result r;
			init_route_session(w->new, c, s->service, s->client_label ? s->client_label : "",
			                   w->label, sizeof(w->label), &r);
			if (!same_route(s, r.kind, r.server, w->label)) {
				restart(w, c, INIT_WHY_ROUTE, s);
				changed = true;
			}
		}
	}
	for (unsigned i = 0; i < n_sessions(w); i++) {
		const struct init_session_status *s = &w->rt->sessions[i];
		if (s->state != INIT_SESSION_AVAILABLE || s->client_kind != INIT_PEER_PARENT)
			continue;
		if (s->server_kind != INIT_PEER_CHILD || !s->server || server_goes(w, s->server)) {
			w->close[i] = 1;
			continue;
		}
		struct init_route_result r;
		init_route_parent_session(w->new, s->service, s->client_label ? s->client_label : "",
		                          w->label, sizeof(w->label), &r);
		if (!same_route(s, r.kind, r.server, w->label))
			w->close[i] = 1;
	}
}

struct out {
	struct init_action *a;      /* NULL: count only */
	size_t n;
};

static void put(struct out *o, enum init_action_kind kind, const struct init_child *oc,
                const struct init_child *nc, uint64_t amount, unsigned why,
                const struct init_session_status *session)
{
	if (o->a) {
		struct init_action *a = &o->a[o->n];
		memset(a, 0, sizeof(*a));
		a->kind = kind;
		a->old_child = oc;
		a->new_child = nc;
		a->child = nc ? nc->name : oc ? oc->name : NULL;
		a->amount = amount;
		a->why = (enum init_restart_why)why;
		a->session = session;
	}
	o->n++;
}

static void emit(const struct work *w, struct out *o)
{
	const struct init_model *new = w->new;
	unsigned nn = new->n_children;

	for (unsigned i = 0; i < n_sessions(w); i++)
		if (w->close[i])
			put(o, INIT_ACT_CLOSE_PARENT_SESSION, NULL, NULL, 0, 0, &w->rt->sessions[i]);
	for (unsigned i = 0; w->old && i < w->old->n_children; i++)
		if (!init_model_child(new, w->old->children[i]->name))
			put(o, INIT_ACT_DESTROY, w->old->children[i], NULL, 0, 0, NULL);
	for (unsigned i = 0; i < nn; i++) {
		if (w->fate[i] != FATE_RESTART)
			continue;
		const struct init_child *nc = new->children[i];
		put(o, INIT_ACT_RESTART, init_model_child(w->old, nc->name), nc, 0, w->why[i], w->cause[i]);
	}
	for (unsigned i = 0; i < nn; i++) {
		const struct init_child *nc = new->children[i];
		const struct init_child *oc = w->fate[i] == FATE_KEEP ? init_model_child(w->old, nc->name) : NULL;
		if (oc && nc->ram < oc->ram)
			put(o, INIT_ACT_RECLAIM_RAM, oc, nc, oc->ram - nc->ram, 0, NULL);
		if (oc && nc->caps < oc->caps)
			put(o, INIT_ACT_RECLAIM_CAPS, oc, nc, oc->caps - nc->caps, 0, NULL);
	}
	for (unsigned i = 0; i < nn; i++) {
		const struct init_child *nc = new->children[i];
		const struct init_child *oc = w->fate[i] == FATE_KEEP ? init_model_child(w->old, nc->name) : NULL;
		if (oc && oc->config && nc->config &&
		    (oc->config_len != nc->config_len || memcmp(oc->config, nc->config, nc->config_len)))
			put(o, INIT_ACT_UPDATE_CONFIG, oc, nc, 0, 0, NULL);
	}
	for (unsigned i = 0; i < nn; i++) {
		const struct init_child *nc = new->children[i];
		const struct init_child *oc = w->fate[i] == FATE_KEEP ? init_model_child(w->old, nc->name) : NULL;
		if (oc && (w->routing_changed || own_routing_changed(oc, nc)))
			put(o, INIT_ACT_UPDATE_ROUTES, oc, nc, 0, 0, NULL);
	}
	for (unsigned i = 0; i < nn; i++) {
		const struct init_child *nc = new->children[i];
		const struct init_child *oc = w->fate[i] == FATE_KEEP ? init_model_child(w->old, nc->name) : NULL;
		if (oc && nc->ram > oc->ram)
			put(o, INIT_ACT_UPGRADE_RAM, oc, nc, nc->ram - oc->ram, 0, NULL);
		if (oc && nc->caps > oc->caps)
			put(o, INIT_ACT_UPGRADE_CAPS, oc, nc, nc->caps - oc->caps, 0, NULL);
	}
	for (unsigned i = 0; i < nn; i++)
		if (w->fate[i] == FATE_START)
			put(o, INIT_ACT_START, NULL, new->children[i], 0, 0, NULL);
}

enum init_status init_diff(const struct init_model *old, const struct init_model *new,
                           const struct init_runtime *rt, const struct init_mem *mem, struct init_plan *plan)
{
	unsigned nn = new->n_children, ns = rt ? rt->n_sessions : 0;
	size_t per_child = 2 + sizeof(const struct init_session_status *);
	size_t bytes = sizeof(struct work) + nn * per_child + ns + 16;
	struct work *w = mem->alloc(mem->ctx, bytes);

	memset(plan, 0, sizeof(*plan));
	plan->mem = *mem;
	if (!w)
		return INIT_NO_MEMORY;
	memset(w, 0, bytes);
	w->old = old;
	w->new = new;
	w->rt = rt;
	w->cause = (const struct init_session_status **)(w + 1);
	w->fate = (unsigned char *)(w->cause + nn);
	w->why = w->fate + nn;
	w->close = w->why + nn;
	w->routing_changed = old && global_routing_changed(old, new);

	decide_children(w);
	if (old)
		decide_sessions(w);

	struct out o = { NULL, 0 };
	emit(w, &o);
	if (o.n) {
		plan->bytes = o.n * sizeof(struct init_action);
		plan->actions = mem->alloc(mem->ctx, plan->bytes);
		if (!plan->actions) {
			mem->free(mem->ctx, w, bytes);
			plan->bytes = 0;
			return INIT_NO_MEMORY;
		}
		o.a = plan->actions;
		o.n = 0;
		emit(w, &o);
		plan->n = o.n;
	}
	mem->free(mem->ctx, w, bytes);
	return INIT_OK;
}

void init_plan_free(struct init_plan *plan)
{
	if (plan->actions)
		plan->mem.free(plan->mem.ctx, plan->actions, plan->bytes);
	plan->actions = NULL;
	plan->n = 0;
	plan->bytes = 0;
}

static const char *why_text(enum init_restart_why why)
{
	switch (why) {
	case INIT_WHY_VERSION: return "version";
	case INIT_WHY_BINARY: return "binary";
	case INIT_WHY_PRIORITY: return "priority";
	case INIT_WHY_ROUTE: return "route";
	case INIT_WHY_SERVER: return "server";
	}
	return "?";
}

size_t init_action_describe(const struct init_action *a, char *buf, size_t size)
{
	static const char *const names[] = {
		[INIT_ACT_CLOSE_PARENT_SESSION] = "close-parent-session",
		[INIT_ACT_DESTROY] = "destroy",
		[INIT_ACT_RESTART] = "restart",
		[INIT_ACT_RECLAIM_RAM] = "reclaim-ram",
		[INIT_ACT_RECLAIM_CAPS] = "reclaim-caps",
		[INIT_ACT_UPDATE_CONFIG] = "update-config",
		[INIT_ACT_UPDATE_ROUTES] = "update-routes",
		[INIT_ACT_UPGRADE_RAM] = "upgrade-ram",
		[INIT_ACT_UPGRADE_CAPS] = "upgrade-caps",
		[INIT_ACT_START] = "start",
	};
	struct text t;

	text_init(&t, buf, size);
	text_put(&t, names[a->kind]);
	switch (a->kind) {
	case INIT_ACT_CLOSE_PARENT_SESSION:
		text_fmt(&t, " %u (%s \"%s\")", a->session->id, a->session->service,
		         a->session->client_label ? a->session->client_label : "");
		break;
	case INIT_ACT_RESTART:
		text_fmt(&t, " %s (%s", a->child, why_text(a->why));
		if (a->session)
			text_fmt(&t, ": %s \"%s\"", a->session->service,
			         a->session->client_label ? a->session->client_label : "");
		text_put(&t, ")");
		break;
	case INIT_ACT_RECLAIM_RAM:
	case INIT_ACT_RECLAIM_CAPS:
	case INIT_ACT_UPGRADE_RAM:
	case INIT_ACT_UPGRADE_CAPS:
		text_fmt(&t, " %s %llu", a->child, (unsigned long long)a->amount);
		break;
	default:
		text_fmt(&t, " %s", a->child);
		break;
	}
	return t.len;
}
