/*
 * The state report (format in report.h).
 */
#include <argil/string.h>

#include "report.h"

const char *init_child_state_name(enum init_child_state s)
{
	switch (s) {
	case INIT_CHILD_INCOMPLETE: return "incomplete";
	case INIT_CHILD_RUNNING: return "running";
	case INIT_CHILD_EXITED: return "exited";
	case INIT_CHILD_FAULTED: return "faulted";
	case INIT_CHILD_FAILED: return "failed";
	}
	return "?";
}

const char *init_session_state_name(enum init_session_state s)
{
	switch (s) {
	case INIT_SESSION_REQUESTED: return "requested";
	case INIT_SESSION_AVAILABLE: return "available";
	case INIT_SESSION_DENIED: return "denied";
	case INIT_SESSION_CLOSING: return "closing";
	}
	return "?";
}

static uint64_t avail(uint64_t assigned, uint64_t used)
{
	return used < assigned ? assigned - used : 0;
}

static void attr_int(struct cfg_writer *w, const char *name, int v)
{
	char buf[16], *p = buf + sizeof(buf);
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

	*--p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	cfg_node_attr(w, name, p);
}

static void quota(struct cfg_writer *w, const char *type, uint64_t assigned, uint64_t used)
{
	cfg_node_begin(w, type);
	cfg_node_attr_u64(w, "assigned", assigned);
	cfg_node_attr_u64(w, "used", used);
	cfg_node_attr_u64(w, "avail", avail(assigned, used));
	cfg_node_end(w);
}

static const char *peer_name(enum init_peer kind, const char *name)
{
	switch (kind) {
	case INIT_PEER_PARENT: return "parent";
	case INIT_PEER_INIT: return "init";
	case INIT_PEER_CHILD: return name ? name : "?";
	}
	return "?";
}

static bool is_peer(enum init_peer kind, const char *name, const char *child)
{
	return kind == INIT_PEER_CHILD && name && !strcmp(name, child);
}

void init_runtime_link(struct init_child_status *children, unsigned n_children,
		       struct init_session_status *sessions, unsigned n_sessions)
{
	for (unsigned i = 0; i < n_children; i++)
		children[i].first_requested = children[i].first_provided =
			children[i].last_requested = children[i].last_provided = -1;
	for (unsigned j = 0; j < n_sessions; j++) {
		struct init_session_status *s = &sessions[j];
		int c = s->client_kind == INIT_PEER_CHILD ? s->client_index : -1;
		int v = s->server_kind == INIT_PEER_CHILD ? s->server_index : -1;
		s->next_requested = s->next_provided = -1;
		if (c >= 0 && (unsigned)c < n_children) {
			struct init_child_status *ch = &children[c];
			if (ch->last_requested < 0)
				ch->first_requested = (int)j;
			else
				sessions[ch->last_requested].next_requested = (int)j;
			ch->last_requested = (int)j;
		}
		if (v >= 0 && (unsigned)v < n_children) {
			struct init_child_status *ch = &children[v];
			if (ch->last_provided < 0)
				ch->first_provided = (int)j;
			else
				sessions[ch->last_provided].next_provided = (int)j;
			ch->last_provided = (int)j;
		}
	}
}

/* The next session of child c's <requested> or <provided> list from
 * index i on (-1: none): along the links, or else by searching. */
static int next_session(const struct init_runtime *rt, const struct init_child_status *c, int i,
			bool provided, bool first)
{
	if (rt->linked) {
		if (first)
			return provided ? c->first_provided : c->first_requested;
		return provided ? rt->sessions[i].next_provided : rt->sessions[i].next_requested;
	}
	for (unsigned k = first ? 0 : (unsigned)i + 1; k < rt->n_sessions; k++) {
		const struct init_session_status *s = &rt->sessions[k];
		if (provided ? is_peer(s->server_kind, s->server, c->name) : is_peer(s->client_kind, s->client, c->name))
			return (int)k;
	}
	return -1;
}

/* The <requested> or <provided> list of a child, if it has entries. */
static void sessions(struct cfg_writer *w, const struct init_runtime *rt, const struct init_child_status *c,
		     bool provided)
{
	bool open = false;

	for (int i = next_session(rt, c, -1, provided, true); i >= 0; i = next_session(rt, c, i, provided, false)) {
		const struct init_session_status *s = &rt->sessions[i];
		if (!open) {
			cfg_node_begin(w, provided ? "provided" : "requested");
			open = true;
		}
		cfg_node_begin(w, "session");
		cfg_node_attr(w, "service", s->service);
		cfg_node_attr(w, "label", s->label ? s->label : "");
		if (provided)
			cfg_node_attr(w, "client", peer_name(s->client_kind, s->client));
		else
			cfg_node_attr(w, "server", peer_name(s->server_kind, s->server));
		cfg_node_attr(w, "state", init_session_state_name(s->state));
		if (provided) {
			cfg_node_attr_u64(w, "ram", s->ram);
			cfg_node_attr_u64(w, "caps", s->caps);
		}
		cfg_node_end(w);
	}
	if (open)
		cfg_node_end(w);
}

static void child(struct cfg_writer *w, const struct init_report_config *cfg, const struct init_runtime *rt,
                  const struct init_child_status *c)
{
	cfg_node_begin(w, "child");
	cfg_node_attr(w, "name", c->name);
	cfg_node_attr(w, "binary", c->binary ? c->binary : "");
	cfg_node_attr(w, "state", init_child_state_name(c->state));
	if (c->state == INIT_CHILD_EXITED)
		attr_int(w, "exit", c->exit_value);
	if ((c->state == INIT_CHILD_FAULTED || c->state == INIT_CHILD_FAILED) && c->reason)
		cfg_node_attr(w, "reason", c->reason);
	if (c->skipped_heartbeats)
		cfg_node_attr_u64(w, "skipped_heartbeats", c->skipped_heartbeats);
	if (c->restarts)
		cfg_node_attr_u64(w, "restarts", c->restarts);
	if (cfg->child_ram)
		quota(w, "ram", c->ram_assigned, c->ram_used);
	if (cfg->child_caps)
		quota(w, "caps", c->caps_assigned, c->caps_used);
	if (cfg->requested)
		sessions(w, rt, c, false);
	if (cfg->provided)
		sessions(w, rt, c, true);
	cfg_node_end(w);
}

static void put_error(struct cfg_writer *w, const struct init_error *e)
{
	cfg_node_begin(w, "error");
	cfg_node_attr_u64(w, "line", e->line);
	cfg_node_attr_u64(w, "col", e->col);
	if (e->child)
		cfg_node_attr(w, "child", e->child);
	cfg_node_attr(w, "msg", e->msg);
	cfg_node_attr(w, "outcome", init_outcome_text(e->outcome));
	cfg_node_end(w);
}

bool init_report(struct cfg_writer *w, const struct init_model *m, const struct init_runtime *rt)
{
	const struct init_report_config *cfg = &m->report;

	cfg_node_begin(w, "state");
	if (rt->version)
		cfg_node_attr(w, "version", rt->version);
	if (cfg->init_ram || cfg->init_caps) {
		cfg_node_begin(w, "init");
		if (cfg->init_ram) {
			cfg_node_attr_u64(w, "ram_quota", rt->ram_quota);
			cfg_node_attr_u64(w, "ram_used", rt->ram_used);
			cfg_node_attr_u64(w, "ram_avail", avail(rt->ram_quota, rt->ram_used));
		}
		if (cfg->init_caps) {
			cfg_node_attr_u64(w, "caps_quota", rt->caps_quota);
			cfg_node_attr_u64(w, "caps_used", rt->caps_used);
			cfg_node_attr_u64(w, "caps_avail", avail(rt->caps_quota, rt->caps_used));
		}
		cfg_node_end(w);
	}
	for (unsigned i = 0; i < rt->n_children; i++)
		child(w, cfg, rt, &rt->children[i]);
	if (cfg->errors)
		for (const struct init_error *e = rt->errors; e; e = e->next)
			put_error(w, e);
	cfg_node_end(w);
	return cfg_writer_ok(w);
}
