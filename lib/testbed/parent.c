/*
 * testbed: the parent of the children, that is their config ROMs and the
 * parent interface they call. Requests that involve a child server go to
 * the router (router.c).
 */
#include <argil/cthread.h>
#include <argil/kernel.h>
#include <argil/lock.h>
#include <stdarg.h>
#include "testbed.h"
#include "testbed_private.h"

static word_t next_session_id = 1;
static word_t config_versions;

/* ---- config ROMs ---- */

static void config_content(struct rom_session *rs, struct rom_content *out)
{
	struct tb_child *c = rs->data;

	lock_acquire(&tb_lock);
	out->data = c->config;
	out->len = c->config_len;
	out->version = c->config_version;
	lock_release(&tb_lock);
}

/* Config sessions tell the runner when a child fetched its config. */
static void config_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	rom_session_rpc(o, req, rep);
	tb_notify();
}

bool tb_config_seen(struct tb_child *c)
{
	bool seen = true;

	lock_acquire(&tb_lock);
	for (int i = 0; i < TB_MAX_SESSIONS; i++)
		if (c->sessions[i].kind == TB_CONFIG && c->sessions[i].rom &&
		    c->sessions[i].rom->delivered != c->config_version)
			seen = false;
	lock_release(&tb_lock);
	return seen;
}

void tb_wait_config_seen(struct tb_child *c)
{
	while (!tb_config_seen(c))
		tb_wait();
}

/* Old config texts stay until the child goes: a config session may be
 * copying one on the entrypoint while the runner replaces it. Each text is
 * followed (after its NUL) by the record that keeps it on this list. */
struct old_config {
	struct old_config *next;
	struct tb_child *owner;
	char *text;
};
static struct old_config *old_configs;

void tb_set_config(struct tb_child *c, const char *config)
{
	size_t n = strlen(config), at = (n + 1 + 7) & ~(size_t)7;
	char *copy = malloc(at + sizeof(struct old_config));

	if (!copy) {
		tb_error("no heap for a config of %lu bytes", (word_t)n);
		return;
	}
	memcpy(copy, config, n + 1);
	lock_acquire(&tb_lock);
	if (c->config) {
		struct old_config *o =
			(struct old_config *)(c->config + ((c->config_len + 1 + 7) & ~(size_t)7));
		o->owner = c;
		o->text = c->config;
		o->next = old_configs;
		old_configs = o;
	}
	c->config = copy;
	c->config_len = n;
	c->config_version = ++config_versions;
	lock_release(&tb_lock);
	for (int i = 0; i < TB_MAX_SESSIONS; i++)
		if (c->sessions[i].kind == TB_CONFIG && c->sessions[i].rom)
			rom_session_changed(c->sessions[i].rom);
}

void tb_free_old_configs(struct tb_child *c)
{
	struct old_config **l = &old_configs;

	while (*l) {
		struct old_config *o = *l;
		if (o->owner != c) {
			l = &o->next;
			continue;
		}
		*l = o->next;
		free(o->text);
	}
}

/* ---- the parent interface ---- */

static struct tb_session *session_slot(struct tb_child *c)
{
	for (int i = 0; i < TB_MAX_SESSIONS; i++) {
		if (c->sessions[i].kind == TB_NONE) {
			memset(&c->sessions[i], 0, sizeof(c->sessions[i]));
			c->sessions[i].id = next_session_id++;
			return &c->sessions[i];
		}
	}
	return 0;
}

static struct tb_session *session_find(struct tb_child *c, word_t id)
{
	for (int i = 0; i < TB_MAX_SESSIONS; i++)
		if (c->sessions[i].kind != TB_NONE && c->sessions[i].id == id)
			return &c->sessions[i];
	return 0;
}

static rpc_status_t do_session(struct parent_session_call *call)
{
	struct tb_child *c = call->obj;
	const char *service = call->in.service, *label = call->in.label, *args = call->in.args;
	word_t ram = call->in.ram, caps = call->in.caps;
	struct tb_route r;
	struct tb_session *s;
	rpc_status_t st;
	struct job j;

	c->session_requests++;
	tb_notify();
	(tb_route_hook ? tb_route_hook : tb_route_default)(c, service, label, &r);
	lock_acquire(&tb_lock);
	s = r.kind == TB_NONE ? 0 : session_slot(c);
	if (s) {
		s->kind = r.kind;
		snprintf(s->service, sizeof(s->service), "%s", service);
	}
	lock_release(&tb_lock);
	if (r.kind == TB_NONE)
		return RPC_E_DENIED;
	if (!s)
		return RPC_E_DENIED;   /* too many sessions for the testbed */
	switch (r.kind) {
	case TB_PARENT:
		st = parent_session(tb_env->parent, service, r.label, args, ram, caps, c->c.pd,
				    &s->cap, &s->remote_id);
		if (st != RPC_OK)
			break;
		call->out.session = s->cap;
		call->out.id = s->id;
		return RPC_OK;
	case TB_CONFIG:
		s->rom = malloc(sizeof(*s->rom));
		if (!s->rom) {
			st = RPC_E_DENIED;
			break;
		}
		st = pd_transfer(c->c.pd, tb_env->pd, ram, caps);
		if (st != RPC_OK) {
			free(s->rom);
			break;
		}
		st = rom_session_init(s->rom, &tb_env->ep, r.label, ram, caps, config_content, c);
		if (st != RPC_OK) {
			if (pd_transfer(tb_env->pd, c->c.pd, ram, caps) != RPC_OK)
				tb_error("cannot return %lu bytes to %s", ram, c->name);
			free(s->rom);
			break;
		}
		s->ram = ram;
		s->caps = caps;
		s->rom->ss.obj.handler = config_rpc;
		call->out.session = s->rom->ss.obj.cap;
		call->out.id = s->id;
		return RPC_OK;
	case TB_CHILD:
		s->server = r.server;
		s->root = tb_root_of(r.server, service);
		s->pending = 1;
		if (tb_queue_full() || rpc_defer(&tb_env->ep, &j.rc) != RPC_OK) {
			st = RPC_E_DENIED;
			break;
		}
		j.op = JOB_OPEN;
		j.client = c;
		j.s = s;
		j.ram = ram;
		j.caps = caps;
		memcpy(j.label, r.label, sizeof(j.label));
		memcpy(j.args, args, sizeof(j.args));
		tb_enqueue(&j);
		return RPC_OK;   /* deferred: the router answers */
	default:
		st = RPC_E_DENIED;
	}
	lock_acquire(&tb_lock);
	s->kind = TB_NONE;
	lock_release(&tb_lock);
	return st;
}

/* Close a session of a child (on the entrypoint for TB_PARENT and
 * TB_CONFIG; TB_CHILD goes to the router). */
void tb_close_local(struct tb_child *c, struct tb_session *s)
{
	if (s->kind == TB_PARENT) {
		parent_close(tb_env->parent, s->remote_id);
		cap_slot_free(s->cap);
	} else if (s->kind == TB_CONFIG) {
		rom_session_fini(s->rom, &tb_env->ep);
		free(s->rom);
		if (pd_transfer(tb_env->pd, c->c.pd, s->ram, s->caps) != RPC_OK)
			tb_error("cannot return the config session's quota to %s", c->name);
	}
	lock_acquire(&tb_lock);
	s->kind = TB_NONE;
	lock_release(&tb_lock);
}

static rpc_status_t upgrade_close(struct tb_child *c, bool close, word_t id, word_t ram,
				  word_t caps)
{
	struct tb_session *s = session_find(c, id);
	rpc_status_t st;
	struct job j;

	if (!s || s->pending)
		return RPC_E_NOT_FOUND;
	if (s->kind == TB_CHILD) {
		if (tb_queue_full() || rpc_defer(&tb_env->ep, &j.rc) != RPC_OK)
			return RPC_E_DENIED;
		s->pending = 1;
		j.op = close ? JOB_CLOSE : JOB_UPGRADE;
		j.client = c;
		j.s = s;
		j.ram = ram;
		j.caps = caps;
		tb_enqueue(&j);
		return RPC_OK;   /* deferred: the router answers */
	}
	if (close) {
		tb_close_local(c, s);
		return RPC_OK;
	}
	if (s->kind == TB_PARENT)
		return parent_upgrade(tb_env->parent, s->remote_id, ram, caps, c->c.pd);
	if (s->kind != TB_CONFIG)
		return RPC_E_DELETED;   /* its server is gone */
	st = pd_transfer(c->c.pd, tb_env->pd, ram, caps);
	if (st == RPC_OK) {
		s->ram += ram;
		s->caps += caps;
		s->rom->ss.budget.ram += ram;
		s->rom->ss.budget.caps += caps;
	}
	return st;
}

static rpc_status_t do_upgrade(struct parent_upgrade_call *c)
{
	return upgrade_close(c->obj, false, c->in.id, c->in.ram, c->in.caps);
}

static rpc_status_t do_close(struct parent_close_call *c)
{
	return upgrade_close(c->obj, true, c->in.id, 0, 0);
}

static rpc_status_t do_announce(struct parent_announce_call *call)
{
	struct tb_child *c = call->obj;
	struct rpc_msg *root = call->in.root;

	if (root->cap_kind != RPC_CAP_PLACED)
		return RPC_E_INVALID_ARGUMENT;
	if (c->nservices == TB_MAX_SERVICES || tb_root_of(c, call->in.service))
		return RPC_E_DENIED;
	snprintf(c->services[c->nservices].name, SERVICE_NAME_MAX, "%s", call->in.service);
	c->services[c->nservices].root = root->cap;
	root->cap = 0;
	c->nservices++;
	tb_notify();
	return RPC_OK;
}

static rpc_status_t do_exit(struct parent_exit_call *call)
{
	struct tb_child *c = call->obj;

	c->exit_value = call->in.value;
	c->exited = 1;
	tb_notify();
	return RPC_OK;
}

static rpc_status_t do_heartbeat_sigh(struct parent_heartbeat_sigh_call *call)
{
	struct tb_child *c = call->obj;

	return rpc_take_sigh(call->in.ntfn, &c->heartbeat_sigh, false);
}

static rpc_status_t do_heartbeat_response(struct parent_heartbeat_response_call *call)
{
	struct tb_child *c = call->obj;

	c->beats_answered++;
	tb_notify();
	return RPC_OK;
}

RPC_SERVER(parent, PARENT_RPC)

static const struct parent_server parent_ops = {
	.parent_session = do_session,
	.parent_upgrade = do_upgrade,
	.parent_close = do_close,
	.parent_announce = do_announce,
	.parent_exit = do_exit,
	.parent_heartbeat_sigh = do_heartbeat_sigh,
	.parent_heartbeat_response = do_heartbeat_response,
};

void tb_session_reply(struct rpc_msg *rep, cptr_t cap, word_t id)
{
	parent_session_reply(rep, &(struct parent_session_out){ cap, id });
}

void tb_child_parent(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct tb_child *c = o->data;

	if (c->dying) {
		rep->label = RPC_E_DENIED;
		return;
	}
	parent_dispatch(&parent_ops, c, req, rep, RPC_E_UNAVAILABLE);
}

