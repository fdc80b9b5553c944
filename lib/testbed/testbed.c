/*
 * testbed (testbed.h): a minimal parent and test runner for the tests of
 * os/ services. Trusts core and the test; children are trusted for
 * nothing: their requests are checked, their donations come from their
 * own PDs, a child that is being destroyed is answered DENIED.
 *
 * Threads: the main entrypoint serves the children's parent interface
 * and their config ROMs; the router thread carries out requests that
 * involve a child server (session, upgrade, close), answering with
 * deferred replies; the runner thread runs the test cases. tb_lock
 * guards the session tables and the router's queue.
 */
#include <argil/cthread.h>
#include <argil/kernel.h>
#include <argil/lock.h>
#include <argil/setjmp.h>
#include <stdarg.h>
#include "testbed.h"

struct component_env *tb_env;
cptr_t tb_ntfn;
volatile word_t tb_errors;
void (*tb_route_hook)(struct tb_child *, const char *, const char *, struct tb_route *);

static word_t tb_ntfn_handle;
static struct lock tb_lock;
static struct tb_child *children;
static word_t next_session_id = 1;
static word_t config_versions;

/* A record of each open session of the test, so that the sessions of a
 * case that failed half-way can be closed (the case's tb_own is gone). */
#define OWN_MAX 256
static struct {
	struct tb_child *server;
	cptr_t root, cap;
	word_t id, ram, caps;
	int persistent;          /* opened by setup */
} owns[OWN_MAX];

/* ---- the router's queue ---- */

enum job_op { JOB_OPEN, JOB_UPGRADE, JOB_CLOSE };

struct job {
	enum job_op op;
	struct tb_child *client;
	struct tb_session *s;
	word_t ram, caps;
	char label[SESSION_LABEL_MAX];
	char args[SESSION_ARGS_MAX];
	struct rpc_reply_cap rc;
};

#define QUEUE 16
static struct job queue[QUEUE];
static volatile unsigned q_head, q_tail;   /* tail: next free, head: next to do */
static cptr_t router_ntfn;
static word_t router_ntfn_handle;
static struct cthread router;

static void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void error(const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("testbed error: %s\n", buf);
	tb_errors++;
}

static void notify(void)
{
	sys_signal(tb_ntfn);
}

void tb_wait(void)
{
	sys_wait(tb_ntfn);
}

/* ---- routing ---- */

static struct tb_child *provider(const char *service, struct tb_child *except)
{
	for (struct tb_child *c = children; c; c = c->next) {
		if (c == except || c->dying)
			continue;
		for (int i = 0; i < c->nservices; i++)
			if (!strcmp(c->services[i].name, service))
				return c;
	}
	return 0;
}

static void scoped(char *out, const char *name, const char *label)
{
	if (label[0])
		snprintf(out, SESSION_LABEL_MAX, "%s -> %s", name, label);
	else
		snprintf(out, SESSION_LABEL_MAX, "%s", name);
}

void tb_route_default(struct tb_child *client, const char *service, const char *label,
		      struct tb_route *r)
{
	memset(r, 0, sizeof(*r));
	scoped(r->label, client->name, label);
	if (!strcmp(service, "ROM") && !strcmp(label, "config") && client->config) {
		r->kind = TB_CONFIG;
		return;
	}
	r->server = provider(service, client);
	r->kind = r->server ? TB_CHILD : TB_PARENT;
}

static cptr_t root_of(struct tb_child *server, const char *service)
{
	for (int i = 0; i < server->nservices; i++)
		if (!strcmp(server->services[i].name, service))
			return server->services[i].root;
	return 0;
}

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
	notify();
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
		error("no heap for a config of %lu bytes", (word_t)n);
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

static void free_old_configs(struct tb_child *c)
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

static void enqueue(struct job *j)
{
	lock_acquire(&tb_lock);
	queue[q_tail % QUEUE] = *j;
	q_tail++;
	lock_release(&tb_lock);
	sys_signal(router_ntfn);
}

static bool queue_full(void)
{
	return q_tail - q_head >= QUEUE;
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
	notify();
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
				error("cannot return %lu bytes to %s", ram, c->name);
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
		s->root = root_of(r.server, service);
		s->pending = 1;
		if (queue_full() || rpc_defer(&tb_env->ep, &j.rc) != RPC_OK) {
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
		enqueue(&j);
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
static void close_local(struct tb_child *c, struct tb_session *s)
{
	if (s->kind == TB_PARENT) {
		parent_close(tb_env->parent, s->remote_id);
		cap_slot_free(s->cap);
	} else if (s->kind == TB_CONFIG) {
		rom_session_fini(s->rom, &tb_env->ep);
		free(s->rom);
		if (pd_transfer(tb_env->pd, c->c.pd, s->ram, s->caps) != RPC_OK)
			error("cannot return the config session's quota to %s", c->name);
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
		if (queue_full() || rpc_defer(&tb_env->ep, &j.rc) != RPC_OK)
			return RPC_E_DENIED;
		s->pending = 1;
		j.op = close ? JOB_CLOSE : JOB_UPGRADE;
		j.client = c;
		j.s = s;
		j.ram = ram;
		j.caps = caps;
		enqueue(&j);
		return RPC_OK;   /* deferred: the router answers */
	}
	if (close) {
		close_local(c, s);
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
	if (c->nservices == TB_MAX_SERVICES || root_of(c, call->in.service))
		return RPC_E_DENIED;
	snprintf(c->services[c->nservices].name, SERVICE_NAME_MAX, "%s", call->in.service);
	c->services[c->nservices].root = root->cap;
	root->cap = 0;
	c->nservices++;
	notify();
	return RPC_OK;
}

static rpc_status_t do_exit(struct parent_exit_call *call)
{
	struct tb_child *c = call->obj;

	c->exit_value = call->in.value;
	c->exited = 1;
	notify();
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
	notify();
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

static void child_parent(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct tb_child *c = o->data;

	if (c->dying) {
		rep->label = RPC_E_DENIED;
		return;
	}
	parent_dispatch(&parent_ops, c, req, rep, RPC_E_UNAVAILABLE);
}

/* ---- the router ---- */

static void run_job(struct job *j)
{
	struct tb_session *s = j->s;
	struct tb_child *server = s->server, *client = j->client;
	struct rpc_msg rep;
	cptr_t cap = 0;
	word_t rid = 0;
	rpc_status_t st = RPC_E_ILLEGAL_OPERATION;

	rpc_init(&rep, RPC_OK);
	if (!server || server->dying || client->dying || !s->root) {
		st = RPC_E_DELETED;
		goto answer;
	}
	switch (j->op) {
	case JOB_OPEN:
		st = pd_transfer(client->c.pd, server->c.pd, j->ram, j->caps);
		if (st != RPC_OK)
			break;
		st = root_session(s->root, j->label, j->args, j->ram, j->caps, &cap, &rid);
		if (st != RPC_OK) {
			if (pd_transfer(server->c.pd, client->c.pd, j->ram, j->caps) != RPC_OK)
				error("%s kept the donation of a refused session", server->name);
			break;
		}
		s->remote_id = rid;
		s->ram = j->ram;
		s->caps = j->caps;
		parent_session_reply(&rep, &(struct parent_session_out){ cap, s->id });
		break;
	case JOB_UPGRADE:
		st = pd_transfer(client->c.pd, server->c.pd, j->ram, j->caps);
		if (st != RPC_OK)
			break;
		st = root_upgrade(s->root, s->remote_id, j->ram, j->caps);
		if (st != RPC_OK) {
			if (pd_transfer(server->c.pd, client->c.pd, j->ram, j->caps) != RPC_OK)
				error("%s kept the donation of a refused upgrade", server->name);
			break;
		}
		s->ram += j->ram;
		s->caps += j->caps;
		break;
	case JOB_CLOSE:
		st = root_close(s->root, s->remote_id);
		if (st != RPC_OK)
			error("%s refused to close session %lu: %s", server->name, s->remote_id,
			      rpc_status_name(st));
		if (pd_transfer(server->c.pd, client->c.pd, s->ram, s->caps) != RPC_OK)
			error("%s kept the quota of a closed session (%lu bytes, %lu caps)",
			      server->name, s->ram, s->caps);
		st = RPC_OK;
		break;
	}
answer:
	lock_acquire(&tb_lock);
	s->pending = 0;
	if ((j->op == JOB_OPEN && st != RPC_OK) || j->op == JOB_CLOSE)
		s->kind = TB_NONE;
	lock_release(&tb_lock);
	rep.label = st;
	rpc_reply_deferred(&j->rc, &rep);
	cap_slot_free(cap);
	notify();
}

static void router_loop(void *arg)
{
	(void)arg;
	for (;;) {
		sys_wait(router_ntfn);
		for (;;) {
			struct job j;
			lock_acquire(&tb_lock);
			if (q_head == q_tail) {
				lock_release(&tb_lock);
				break;
			}
			j = queue[q_head % QUEUE];
			q_head++;
			lock_release(&tb_lock);
			run_job(&j);
		}
	}
}

/* ---- children ---- */

rpc_status_t tb_start(struct tb_child **out, const char *name, const char *binary, word_t ram,
		      word_t caps, word_t priority, const char *config)
{
	struct tb_child *c = calloc(1, sizeof(*c));
	struct child_spec spec;
	rpc_status_t st;

	*out = 0;
	if (!c)
		return RPC_E_OUT_OF_MEMORY;
	snprintf(c->name, sizeof(c->name), "%s", name);
	if (config)
		tb_set_config(c, config);
	st = ep_manage(&tb_env->ep, &c->obj, child_parent, c);
	if (st != RPC_OK) {
		free(c->config);
		free(c);
		return st;
	}
	memset(&spec, 0, sizeof(spec));
	spec.name = name;
	spec.binary = binary;
	spec.ram = ram;
	spec.caps = caps;
	spec.priority = priority;
	spec.parent_cap = ep_cap(&tb_env->ep, &c->obj);
	lock_acquire(&tb_lock);
	c->next = children;
	children = c;
	lock_release(&tb_lock);
	st = child_start(tb_env->parent, &spec, &c->c);
	if (st == RPC_OK)
		st = pd_fault_sigh(c->c.pd, tb_ntfn);
	if (st != RPC_OK) {
		c->dying = 1;
		if (c->c.started)
			child_destroy(tb_env->parent, &c->c);
		lock_acquire(&tb_lock);
		for (struct tb_child **l = &children; *l; l = &(*l)->next)
			if (*l == c) {
				*l = c->next;
				break;
			}
		lock_release(&tb_lock);
		ep_dissolve(&tb_env->ep, &c->obj);
		free_old_configs(c);
		free(c->config);
		free(c);
		return st;
	}
	*out = c;
	return RPC_OK;
}

void tb_destroy(struct tb_child *c)
{
	if (!c)
		return;
	c->dying = 1;
	/* wait for the router to finish what it does for or with it */
	for (;;) {
		int busy = 0;
		lock_acquire(&tb_lock);
		busy = q_head != q_tail;
		for (struct tb_child *o = children; o && !busy; o = o->next)
			for (int i = 0; i < TB_MAX_SESSIONS; i++)
				if (o->sessions[i].kind != TB_NONE && o->sessions[i].pending)
					busy = 1;
		lock_release(&tb_lock);
		if (!busy)
			break;
		sys_yield();
	}
	/* its sessions: at servers (donation back first), at core, config */
	for (int i = 0; i < TB_MAX_SESSIONS; i++) {
		struct tb_session *s = &c->sessions[i];
		if (s->kind == TB_CHILD) {
			root_close(s->root, s->remote_id);
			if (pd_transfer(s->server->c.pd, c->c.pd, s->ram, s->caps) != RPC_OK)
				error("%s kept the quota of %s's session", s->server->name, c->name);
			s->kind = TB_NONE;
		} else if (s->kind == TB_CONFIG || s->kind == TB_PARENT) {
			close_local(c, s);
		}
		s->kind = TB_NONE;
	}
	/* sessions of others at it: their donations come back to us with its
	 * PD; pass them on to their clients */
	child_destroy(tb_env->parent, &c->c);
	for (struct tb_child *o = children; o; o = o->next) {
		for (int i = 0; i < TB_MAX_SESSIONS; i++) {
			struct tb_session *s = &o->sessions[i];
			if (s->kind != TB_CHILD || s->server != c)
				continue;
			if (pd_transfer(tb_env->pd, o->c.pd, s->ram, s->caps) != RPC_OK)
				error("cannot return %s's donation to %s", c->name, o->name);
			s->kind = TB_DEAD;
			s->server = 0;
		}
	}
	for (int i = 0; i < OWN_MAX; i++) {
		if (owns[i].server == c) {
			cap_slot_free(owns[i].cap);
			owns[i].server = 0;
			owns[i].persistent = 0;
		}
	}
	for (int i = 0; i < c->nservices; i++)
		cap_slot_free(c->services[i].root);
	cap_slot_free(c->heartbeat_sigh);
	ep_dissolve(&tb_env->ep, &c->obj);
	lock_acquire(&tb_lock);
	for (struct tb_child **l = &children; *l; l = &(*l)->next)
		if (*l == c) {
			*l = c->next;
			break;
		}
	lock_release(&tb_lock);
	free_old_configs(c);
	free(c->config);
	free(c);
}

bool tb_wait_announce(struct tb_child *c, const char *service)
{
	while (!root_of(c, service)) {
		if (c->exited || tb_faulted(c, 0))
			return false;
		tb_wait();
	}
	return true;
}

word_t tb_wait_exit(struct tb_child *c)
{
	while (!c->exited)
		tb_wait();
	return c->exit_value;
}

bool tb_heartbeat(struct tb_child *c)
{
	if (!c->heartbeat_sigh)
		return false;
	sys_signal(c->heartbeat_sigh);
	return true;
}

bool tb_faulted(struct tb_child *c, struct thread_state_info *st)
{
	struct thread_state_info s;

	if (thread_state(c->c.thread, &s) != RPC_OK)
		return false;
	if (st)
		*st = s;
	return s.state == THREAD_FAULTED;
}

struct pd_quota tb_quota(struct tb_child *c)
{
	struct pd_quota q;

	memset(&q, 0, sizeof(q));
	pd_quota(c->c.pd, &q);
	return q;
}

/* ---- the test's own sessions ---- */


static void own_forget(struct tb_own *o)
{
	if (o->rec > 0 && o->rec <= OWN_MAX) {
		owns[o->rec - 1].server = 0;
		owns[o->rec - 1].persistent = 0;
	}
}

static int close_leftovers(void)
{
	int n = 0;

	for (int i = 0; i < OWN_MAX; i++) {
		if (!owns[i].server || owns[i].persistent)
			continue;
		struct tb_own o = { owns[i].server, owns[i].root, owns[i].cap, owns[i].id,
				    owns[i].ram, owns[i].caps, i + 1 };
		tb_close(&o);
		n++;
	}
	return n;
}

rpc_status_t tb_open(struct tb_own *o, struct tb_child *server, const char *service,
		     const char *label, const char *args, word_t ram, word_t caps)
{
	cptr_t root = root_of(server, service);
	rpc_status_t st;

	memset(o, 0, sizeof(*o));
	if (!root)
		return RPC_E_NOT_FOUND;
	st = pd_transfer(tb_env->pd, server->c.pd, ram, caps);
	if (st != RPC_OK)
		return st;
	st = root_session(root, label, args, ram, caps, &o->cap, &o->id);
	if (st != RPC_OK) {
		if (pd_transfer(server->c.pd, tb_env->pd, ram, caps) != RPC_OK)
			error("%s kept the donation of a refused session", server->name);
		o->cap = 0;
		return st;
	}
	o->server = server;
	o->root = root;
	o->ram = ram;
	o->caps = caps;
	for (int i = 0; i < OWN_MAX; i++) {
		if (!owns[i].server) {
			owns[i].server = server;
			owns[i].root = root;
			owns[i].cap = o->cap;
			owns[i].id = o->id;
			owns[i].ram = ram;
			owns[i].caps = caps;
			o->rec = i + 1;
			break;
		}
	}
	return RPC_OK;
}

rpc_status_t tb_upgrade(struct tb_own *o, word_t ram, word_t caps)
{
	rpc_status_t st;

	if (!o->server || o->server->dying)
		return RPC_E_DELETED;
	st = pd_transfer(tb_env->pd, o->server->c.pd, ram, caps);
	if (st != RPC_OK)
		return st;
	st = root_upgrade(o->root, o->id, ram, caps);
	if (st != RPC_OK) {
		if (pd_transfer(o->server->c.pd, tb_env->pd, ram, caps) != RPC_OK)
			error("%s kept the donation of a refused upgrade", o->server->name);
		return st;
	}
	o->ram += ram;
	o->caps += caps;
	if (o->rec > 0 && o->rec <= OWN_MAX) {
		owns[o->rec - 1].ram = o->ram;
		owns[o->rec - 1].caps = o->caps;
	}
	return RPC_OK;
}

rpc_status_t tb_close(struct tb_own *o)
{
	rpc_status_t st;

	if (!o->server)
		return RPC_E_NOT_FOUND;
	own_forget(o);
	st = root_close(o->root, o->id);
	cap_slot_free(o->cap);
	if (st == RPC_OK)
		st = pd_transfer(o->server->c.pd, tb_env->pd, o->ram, o->caps);
	memset(o, 0, sizeof(*o));
	return st;
}

void tb_signal_bits(cptr_t *ntfn, cptr_t bits[62])
{
	word_t handle;

	*ntfn = cap_slot_alloc();
	CHECK_OK(pd_alloc_ntfn(tb_env->pd, *ntfn, &handle));
	for (int i = 0; i < 62; i++) {
		bits[i] = cap_slot_alloc();
		CHECK_EQ(cnode_mint(COMPONENT_CNODE, bits[i], 64, COMPONENT_CNODE, *ntfn, 64,
				    RIGHT_WRITE, 1ull << i), E_OK);
	}
}

rpc_status_t tb_report_open(struct tb_report *r, struct tb_child *server, const char *label,
			    const char *args, word_t ram)
{
	word_t addr;
	rpc_status_t st;

	memset(r, 0, sizeof(*r));
	st = tb_open(&r->s, server, REPORT_SERVICE, label, args, ram, REPORT_SESSION_CAPS);
	if (st != RPC_OK)
		return st;
	CHECK_OK(report_dataspace(r->s.cap, &r->ds, &r->size));
	CHECK_OK(pd_attach(tb_env->pd, r->ds, 0, 0, 0, ATTACH_WRITE, &addr));
	r->buf = (char *)addr;
	return RPC_OK;
}

void tb_report_submit(struct tb_report *r, const char *text)
{
	word_t n = strlen(text);

	memcpy(r->buf, text, n);
	CHECK_OK(report_submit(r->s.cap, n));
}

void tb_report_close(struct tb_report *r)
{
	CHECK_OK(pd_detach(tb_env->pd, (word_t)r->buf));
	cap_slot_free(r->ds);
	CHECK_OK(tb_close(&r->s));
}

/* ---- the runner ---- */

extern const struct tb_case __tests_start[], __tests_end[];

static const char *run_name;
static void (*run_setup)(void);
static const struct tb_case *current;
static base_jmp_buf case_jmp;
static struct cthread runner;
static int passed, failed;

void tb_fail(const char *file, int line, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("FAIL %s: %s:%d: %s\n", current ? current->id : "setup", file, line, buf);
	base_longjmp(case_jmp, 1);
}

/* Children are listed newest first, so clients go before their servers. */
static void destroy_case_children(void)
{
	for (;;) {
		struct tb_child *victim = 0;
		for (struct tb_child *c = children; c && !victim; c = c->next)
			if (!c->persistent)
				victim = c;
		if (!victim)
			return;
		tb_destroy(victim);
	}
}

static void run_all(void *arg)
{
	(void)arg;
	current = 0;
	if (run_setup) {
		if (base_setjmp(case_jmp) == 0) {
			run_setup();
		} else {
			printf("%s: setup failed\n", run_name);
			printf("%s: 0 passed, 1 failed\n", run_name);
			component_exit(1);
		}
		for (struct tb_child *c = children; c; c = c->next)
			c->persistent = 1;
		for (int i = 0; i < OWN_MAX; i++)
			owns[i].persistent = owns[i].server != 0;
	}
	for (const struct tb_case *volatile c = __tests_start; c < __tests_end; c++) {
		word_t errors = tb_errors;
		current = c;
		sys_poll(tb_ntfn);
		if (base_setjmp(case_jmp) == 0) {
			c->fn();
			int left = close_leftovers();
			destroy_case_children();
			if (left)
				error("the case left %d sessions open", left);
			if (tb_errors != errors) {
				printf("FAIL %s: the testbed saw %lu errors\n", c->id, tb_errors - errors);
				failed++;
			} else {
				printf("ok %s %s\n", c->id, c->desc);
				passed++;
			}
		} else {
			close_leftovers();
			destroy_case_children();
			failed++;
		}
		current = 0;
	}
	printf("%s: %d passed, %d failed\n", run_name, passed, failed);
	component_exit(failed ? 1 : 0);
}

void tb_run(const char *name, void (*setup)(void))
{
	tb_env = component_env();
	run_name = name;
	run_setup = setup;
	tb_ntfn = cap_slot_alloc();
	router_ntfn = cap_slot_alloc();
	if (!tb_ntfn || !router_ntfn ||
	    pd_alloc_ntfn(tb_env->pd, tb_ntfn, &tb_ntfn_handle) != RPC_OK ||
	    pd_alloc_ntfn(tb_env->pd, router_ntfn, &router_ntfn_handle) != RPC_OK) {
		printf("%s: no notifications\n", name);
		component_exit(2);
	}
	/* the entrypoint (the main thread) outranks the router, the router
	 * the runner, and the runner the children */
	if (cthread_create(&router, router_loop, 0, 180, 0, 32 * 1024, 0) != RPC_OK ||
	    cthread_create(&runner, run_all, 0, 160, 0, 60 * 1024, 0) != RPC_OK) {
		printf("%s: no threads\n", name);
		component_exit(2);
	}
}
