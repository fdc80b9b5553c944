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
#include "runtime.h"

#include <argil/kernel.h>
#include <argil/printf.h>

/* A session at a child server's root, paid by payer (a PD): the quota
 * moves payer -> server before the server is asked, and back if it
 * refuses. */
rpc_status_t rt_server_session(cptr_t payer, struct rt_child *server, cptr_t root,
			       const char *label, const char *args, word_t ram, word_t caps,
			       cptr_t *cap, word_t *id)
{
	rpc_status_t st = pd_transfer(payer, server->c.pd, ram, caps);

	if (st != RPC_OK)
		return st;
	st = root_session(root, label, args, ram, caps, cap, id);
	if (st != RPC_OK)
		pd_transfer(server->c.pd, payer, ram, caps);
	return st;
}

/* More quota for such a session, moved the same way. */
rpc_status_t rt_server_upgrade(cptr_t payer, struct rt_child *server, cptr_t root, word_t id,
			       word_t ram, word_t caps)
{
	rpc_status_t st = pd_transfer(payer, server->c.pd, ram, caps);

	if (st != RPC_OK)
		return st;
	st = root_upgrade(root, id, ram, caps);
	if (st != RPC_OK)
		pd_transfer(server->c.pd, payer, ram, caps);
	return st;
}

RPC_SERVER(rom, ROM_RPC)
RPC_SERVER(parent, PARENT_RPC)   /* parent_session_reply for deferred answers */

/* ---- root calls through the worker thread (struct rt_job) ---- */

/* The first queued job whose server has no job before it that is queued
 * or running (under rt.job_lock). One pass, the servers of the jobs passed
 * over kept in seen[]; when that is full, none (a later pass finds it). */
static struct rt_job *job_next(void)
{
	const void *seen[32];
	unsigned nseen = 0;

	for (struct rt_job *j = rt.jobs; j; j = j->next) {
		bool behind = false;

		if (j->state == RT_JOB_DONE)
			continue;
		for (unsigned i = 0; i < nseen && !behind; i++)
			behind = seen[i] == j->target;
		if (j->state == RT_JOB_QUEUED && !behind)
			return j;
		if (!behind) {
			if (nseen == sizeof(seen) / sizeof(seen[0]))
				return 0;
			seen[nseen++] = j->target;
		}
	}
	return 0;
}

static void worker_main(void *arg)
{
	(void)arg;
	for (;;) {
		sys_wait(rt.worker_ntfn);
		for (;;) {
			struct rt_job *j;
			lock_acquire(&rt.job_lock);
			j = job_next();
			if (j) {
				j->state = RT_JOB_RUNNING;
				rt.running++;
			}
			lock_release(&rt.job_lock);
			if (!j)
				break;
			switch (j->kind) {
			case RT_JOB_SESSION:
				j->st = root_session(j->root, j->label, j->args, j->ram, j->caps, &j->cap,
						     &j->id);
				break;
			case RT_JOB_UPGRADE:
				j->st = root_upgrade(j->root, j->up_id, j->ram, j->caps);
				break;
			case RT_JOB_CLOSE:
				j->st = root_close(j->root, j->up_id);
				break;
			}
			lock_acquire(&rt.job_lock);
			j->state = RT_JOB_DONE;
			rt.running--;
			lock_release(&rt.job_lock);
			signal_submit(rt.job_done.cap);
			/* the server's next job may be free to run now, on any worker */
			sys_signal(rt.worker_ntfn);
		}
	}
}

/* A job for a root call to server's root of service; 0: the service is
 * gone (*st RPC_E_DELETED) or init is out of heap or slots. */
static struct rt_job *job_new(enum rt_job_kind kind, struct rt_child *client,
			      struct rt_child *server, const char *service, rpc_status_t *st)
{
	cptr_t root = rt_provided_root(server, service);
	struct rt_job *j;

	*st = RPC_E_DELETED;
	if (!root)
		return 0;
	*st = RPC_E_NO_RAM_QUOTA;
	j = rt_alloc(sizeof(*j), "root call", client->name);
	if (!j)
		return 0;
	*st = RPC_E_OUT_OF_SLOTS;
	/* our own copy: the server's record (and its slot) may go meanwhile */
	j->root = cap_slot_alloc();
	if (!j->root || cnode_copy(COMPONENT_CNODE, j->root, 64, COMPONENT_CNODE, root, 64,
				   RIGHTS_ALL) != E_OK) {
		if (j->root)
			cap_slot_free(j->root);
		free(j);
		return 0;
	}
	j->kind = kind;
	j->client = client;
	j->server = server;
	j->target = server;
	*st = RPC_OK;
	return j;
}

static void job_free(struct rt_job *j)
{
	cap_slot_free(j->root);
	free(j);
}

static rpc_status_t worker_start(void)
{
	rpc_status_t st = cthread_create(&rt.workers[rt.nworkers], worker_main, 0,
					 rt.env->info->priority, 0, 16 * 1024, 0);

	if (st == RPC_OK)
		rt.nworkers++;
	return st;
}

static void job_queue(struct rt_job *j)
{
	bool all_busy;

	j->state = RT_JOB_QUEUED;
	lock_acquire(&rt.job_lock);
	RT_APPEND(rt.jobs, j);
	all_busy = rt.running == rt.nworkers;
	lock_release(&rt.job_lock);
	/* every worker in a call (a server may be waiting for init): one more,
	 * if init can afford it (else the job waits for a free one) */
	if (all_busy && rt.nworkers < RT_WORKERS)
		worker_start();
	sys_signal(rt.worker_ntfn);
}

/* Quota the server holds for a call that failed or a session that ended
 * goes back to the account that paid, else to the client while it runs,
 * else to init (the client's PD is gone, its quota came back to init).
 * A server that is gone took it with its PD (back to init as well). */
static rpc_status_t refund(struct rt_child *server, struct rt_child *client, cptr_t payer,
			   word_t ram, word_t caps)
{
	if (!server)
		return RPC_OK;
	if (payer && pd_transfer(server->c.pd, payer, ram, caps) == RPC_OK)
		return RPC_OK;
	return pd_transfer(server->c.pd,
			   client && client->state == RT_RUNNING ? client->c.pd : rt.env->pd, ram,
			   caps);
}

static void job_finish_session(struct rt_job *j)
{
	struct rt_session *s = j->s;
	struct rpc_msg rep;

	if (j->st == RPC_OK && !j->client && j->server) {
		/* the client went meanwhile: close the new session again */
		cap_slot_free(j->cap);
		s->ram = j->ram;
		s->caps = j->caps;
		s->payer = j->payer;
		j->payer = 0;
		j->kind = RT_JOB_CLOSE;
		j->up_id = j->id;
		s->cap = 0;
		job_queue(j);
		return;
	}
	if (j->st == RPC_OK && (!j->client || !j->server)) {
		cap_slot_free(j->cap);
		j->st = RPC_E_DENIED;
	}
	rpc_init(&rep, j->st);
	if (j->st != RPC_OK) {
		refund(j->server, j->client, j->payer, j->ram, j->caps);
		if (j->payer)
			rpc_slot_release(j->payer);
		free(s);
	} else {
		struct parent_session_out out;
		s->cap = j->cap;
		s->up_id = j->id;
		s->ram = j->ram;
		s->caps = j->caps;
		s->payer = j->payer;
		s->server = j->server;
		s->kind = RT_SESSION_CHILD;
		RT_APPEND(j->client->sessions, s);
		out.session = s->cap;
		out.id = s->id;
		parent_session_reply(&rep, &out);
		rt_report_changed();
	}
	rpc_reply_deferred(&j->rc, &rep);
	job_free(j);
}

/* A close job's end: the record goes, the client hears the outcome. */
static void close_done(struct rt_job *j)
{
	struct rt_session *s = j->s;
	struct rpc_msg rep;

	if (s->cap)
		cap_slot_free(s->cap);
	if (s->payer)
		rpc_slot_release(s->payer);
	free(s);
	rpc_init(&rep, j->st);
	rpc_reply_deferred(&j->rc, &rep);
	job_free(j);
}

/* Refunds of closed sessions that found their server short, tried again
 * after every finished root call (the server's own sessions give back
 * what it passed on) and when a child goes (a server that is gone took
 * the quota back to init with its PD). A server that never has the
 * quota again keeps it, as it did before. */
static void settle(void)
{
	struct rt_job *j, *next;

	for (j = rt.unsettled; j; j = next) {
		next = j->next;
		j->st = refund(j->server, j->client, j->s->payer, j->s->ram, j->s->caps);
		if (j->server && (j->st == RPC_E_NO_RAM_QUOTA || j->st == RPC_E_NO_CAP_QUOTA))
			continue;
		RT_UNLINK(rt.unsettled, j);
		close_done(j);
	}
}

static void job_finish(struct rt_job *j)
{
	struct rt_session *s = j->s;
	struct rpc_msg rep;

	switch (j->kind) {
	case RT_JOB_SESSION:
		job_finish_session(j);
		return;
	case RT_JOB_UPGRADE:
		if (j->st == RPC_OK && s) {
			s->ram += j->ram;
			s->caps += j->caps;
		} else {
			if (j->st == RPC_OK)
				j->st = RPC_E_DELETED;
			refund(j->server, j->client, j->payer ? j->payer : s ? s->payer : 0, j->ram,
			       j->caps);
		}
		if (j->payer)
			rpc_slot_release(j->payer);
		break;
	case RT_JOB_CLOSE:
		if (j->st == RPC_OK) {
			j->st = refund(j->server, j->client, s->payer, s->ram, s->caps);
			if (j->st == RPC_E_NO_RAM_QUOTA || j->st == RPC_E_NO_CAP_QUOTA) {
				/* the server passed part of the donation on (a session of
				 * its own at another server, closed after this one): the
				 * client hears of the close now, the quota follows as
				 * soon as the server's account holds it (settle()) */
				rpc_init(&rep, RPC_OK);
				rpc_reply_deferred(&j->rc, &rep);
				RT_APPEND(rt.unsettled, j);
				return;
			}
		}
		close_done(j);
		return;
	}
	rpc_init(&rep, j->st);
	rpc_reply_deferred(&j->rc, &rep);
	job_free(j);
}

/* Finish the jobs whose calls returned, in the order queued (a job still
 * running holds up no job of another server). */
static void on_job_done(void *arg)
{
	(void)arg;
	for (;;) {
		struct rt_job *j, **at;
		lock_acquire(&rt.job_lock);
		for (at = &rt.jobs; *at && (*at)->state != RT_JOB_DONE; at = &(*at)->next)
			;
		j = *at;
		if (j)
			*at = j->next;
		lock_release(&rt.job_lock);
		if (!j)
			break;
		job_finish(j);
	}
	settle();
}

/* The jobs of a list forget a child that is gone: as their client it gets
 * its answer now (RPC_E_DENIED, it is not waiting any more), as their
 * server its calls fail. The list's links change on this thread only. */
static void jobs_forget(struct rt_job *list, struct rt_child *ch)
{
	struct rpc_msg rep;

	for (struct rt_job *j = list; j; j = j->next) {
		if (j->client == ch) {
			rpc_init(&rep, RPC_E_DENIED);
			rpc_reply_deferred(&j->rc, &rep);
			j->client = 0;
		}
		if (j->server == ch)
			j->server = 0;
	}
}

void rt_jobs_child_gone(struct rt_child *ch)
{
	jobs_forget(rt.jobs, ch);
	jobs_forget(rt.unsettled, ch);
	settle();
}

/* A session ends without a close job: upgrades in flight forget it. */
static void jobs_session_gone(struct rt_session *s)
{
	for (struct rt_job *j = rt.jobs; j; j = j->next)
		if (j->kind == RT_JOB_UPGRADE && j->s == s)
			j->s = 0;
}

/* A close job for s (listed), answering rc if given (moved). */
static rpc_status_t close_queue(struct rt_session *s, struct rpc_reply_cap *rc)
{
	rpc_status_t st;
	struct rt_job *j = job_new(RT_JOB_CLOSE, s->client, s->server, s->service, &st);

	if (!j)
		return st;
	if (rc) {
		j->rc = *rc;
		rc->slot = 0;
	}
	j->s = s;
	j->up_id = s->up_id;
	RT_UNLINK(s->client->sessions, s);
	job_queue(j);
	rt_report_changed();
	return RPC_OK;
}

/* A record for a new session of ch, not yet in its list (session_make
 * links it once the session is made); 0: init's heap is exhausted. */
static struct rt_session *session_new(struct rt_child *ch)
{
	struct rt_session *s = rt_alloc(sizeof(*s), "session", ch->name);

	if (!s)
		return 0;
	s->id = ch->next_id++;
	s->client = ch;
	return s;
}

static struct rt_session *session_find(struct rt_child *ch, word_t id)
{
	for (struct rt_session *s = ch->sessions; s; s = s->next)
		if (s->id == id)
			return s;
	return 0;
}

cptr_t rt_provided_root(struct rt_child *server, const char *service)
{
	if (!server || server->state != RT_RUNNING)
		return 0;
	for (struct rt_provided *p = server->provided; p; p = p->next)
		if (!strcmp(p->service, service))
			return p->root;
	return 0;
}

/* Whether the server has announced every service its <provides> names.
 * Until then none of them is used: a server announcing several services
 * (report_rom: Report, then ROM) calls init once per service, and a root
 * call of init's to it between two of those calls would wait for a
 * server that waits for init. */
bool rt_all_announced(struct rt_child *server)
{
	if (!server || !server->cfg)
		return false;
	for (unsigned i = 0; i < server->cfg->n_provides; i++)
		if (!rt_provided_root(server, server->cfg->provides[i].name))
			return false;
	return true;
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

static rpc_status_t config_dataspace(struct rom_dataspace_call *c)
{
	struct rt_session *s = c->obj;

	/* the client detached the previous content before asking */
	drop_old_ds(s);
	c->out.ds = s->ds;
	c->out.size = s->ds_size;
	return RPC_OK;
}

static rpc_status_t config_sigh(struct rom_sigh_call *c)
{
	struct rt_session *s = c->obj;

	return rpc_take_sigh(c->in.ntfn, &s->sigh, true);
}

static rpc_status_t config_update(struct rom_update_call *c)
{
	(void)c;
	return RPC_OK;   /* never in place: fetch again */
}


static const struct rom_server config_rom_ops = {
	.rom_dataspace = config_dataspace,
	.rom_sigh = config_sigh,
	.rom_update = config_update,
};

static void config_rom_handler(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	rom_dispatch(&config_rom_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
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
	for (struct rt_session *s = ch->sessions; s; s = s->next) {
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

static rpc_status_t session_setup(struct rt_child *client, struct rt_session *s,
				  const struct init_route_result *rr, const char *service,
				  const char *label, char *out, const char *args, word_t ram,
				  word_t caps, cptr_t payer, int *wait, struct rt_job **job);

/* Try to make the session; RPC_E_UNAVAILABLE with *wait 1: the server
 * has not announced the service yet; RPC_OK with *wait 2: the server's
 * root is being asked (a job), *payer and *rc moved into the job, which
 * answers. *payer (a slot of ours or 0) moves into the session when it
 * is made (then *payer is 0); otherwise it stays the caller's. */
static rpc_status_t session_make(struct rt_child *client, const char *service, const char *label,
				 const char *args, word_t ram, word_t caps, cptr_t *payer,
				 struct rpc_reply_cap *rc, cptr_t *cap, word_t *id, int *wait)
{
	struct rt_job *job = 0;
	char out[SESSION_LABEL_MAX], desc[256];
	struct init_route_result r;
	struct rt_session *s;
	rpc_status_t st;

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
		return RPC_E_NO_RAM_QUOTA;
	st = session_setup(client, s, &r, service, label, out, args, ram, caps, *payer, wait, &job);
	if (st != RPC_OK) {
		free(s);
		return st;
	}
	if (job) {
		job->payer = *payer;
		*payer = 0;
		job->rc = *rc;
		rc->slot = 0;
		job_queue(job);
		*wait = 2;
		return RPC_OK;
	}
	if (s->kind == RT_SESSION_PARENT) {
		s->payer = *payer;
		*payer = 0;
	}
	RT_APPEND(client->sessions, s);
	*cap = s->cap;
	*id = s->id;
	rt_report_changed();
	return RPC_OK;
}

/* Make the session routed by r into the record s (not yet listed). */
static rpc_status_t session_setup(struct rt_child *client, struct rt_session *s,
				  const struct init_route_result *rr, const char *service,
				  const char *label, char *out, const char *args, word_t ram,
				  word_t caps, cptr_t payer, int *wait, struct rt_job **job)
{
	const struct init_route_result r = *rr;
	struct rt_job *j;
	rpc_status_t st;
	cptr_t root;

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
		if (!root || !rt_all_announced(s->server)) {
			if (s->server && s->server->state == RT_RUNNING)
				*wait = 1;
			return RPC_E_UNAVAILABLE;
		}
		/* the client pays, or the account it named (a nested init
		 * names its child's PD: its children pay for their sessions);
		 * the worker asks the server's root (struct rt_job) */
		j = job_new(RT_JOB_SESSION, client, s->server, service, &st);
		if (!j)
			return st;
		st = pd_transfer(payer ? payer : client->c.pd, s->server->c.pd, ram, caps);
		if (st != RPC_OK) {
			job_free(j);
			return st;
		}
		snprintf(j->label, sizeof(j->label), "%s", out);
		snprintf(j->args, sizeof(j->args), "%s", args);
		j->ram = ram;
		j->caps = caps;
		j->s = s;
		*job = j;
		break;
	case INIT_ROUTE_LOCAL_CONFIG:
		st = config_session(client, s);
		if (st != RPC_OK)
			return st;
		break;
	default:
		return RPC_E_DENIED;
	}
	return RPC_OK;
}

rpc_status_t rt_session_request(struct rt_child *client, struct parent_session_call *c)
{
	struct rpc_msg *req = c->in.payer;
	struct parent_session_out out = { 0, 0 };
	struct rpc_reply_cap rc;
	struct rpc_msg rep;
	struct rt_pending *p;
	rpc_status_t st;
	cptr_t payer = 0;
	int wait;

	/* the payer's capability is ours now: kept by the session (upgrades
	 * and the refund at close go to the same account) */
	if (req->cap_kind == RPC_CAP_PLACED) {
		payer = req->cap;
		req->cap_kind = RPC_CAP_NONE;
	}
	/* answered later in any case: a root call takes the worker's time */
	st = rpc_defer(&rt.env->ep, &rc);
	if (st != RPC_OK) {
		if (payer)
			rpc_slot_release(payer);
		return st;
	}
	st = session_make(client, c->in.service, c->in.label, c->in.args, c->in.ram, c->in.caps,
			  &payer, &rc, &out.session, &out.id, &wait);
	if (wait == 2)
		return RPC_OK;   /* the job answers */
	p = wait ? rt_alloc(sizeof(*p), "waiting session request", client->name) : 0;
	if (!p) {
		if (payer)
			rpc_slot_release(payer);
		rpc_init(&rep, wait ? RPC_E_NO_RAM_QUOTA : st);
		if (!wait && st == RPC_OK)
			parent_session_reply(&rep, &out);
		rpc_reply_deferred(&rc, &rep);
		return RPC_OK;
	}
	p->rc = rc;
	p->payer = payer;
	p->client = client;
	memcpy(p->service, c->in.service, sizeof(p->service));
	memcpy(p->label, c->in.label, sizeof(p->label));
	memcpy(p->args, c->in.args, sizeof(p->args));
	p->ram = c->in.ram;
	p->caps = c->in.caps;
	RT_APPEND(rt.pending, p);
	return RPC_OK;   /* deferred: pending_retry answers */
}

/* Answer a waiting request and forget it. */
static void pending_answer(struct rt_pending *p, struct rpc_msg *rep)
{
	RT_UNLINK(rt.pending, p);
	rpc_reply_deferred(&p->rc, rep);
	if (p->payer)
		rpc_slot_release(p->payer);
	free(p);
}

/* Retry the waiting requests (after an announcement or a server's end). */
static void pending_retry(void)
{
	struct rpc_msg rep;
	struct rt_pending *p, *next;
	int wait;

	for (p = rt.pending; p; p = next) {
		struct parent_session_out out = { 0, 0 };
		next = p->next;
		rpc_init(&rep, RPC_OK);
		if (p->client->state != RT_RUNNING) {
			rep.label = RPC_E_DENIED;
			wait = 0;
		} else {
			rep.label = session_make(p->client, p->service, p->label, p->args, p->ram,
						 p->caps, &p->payer, &p->rc, &out.session, &out.id,
						 &wait);
			if (rep.label == RPC_OK)
				parent_session_reply(&rep, &out);
		}
		if (wait == 2) {
			/* the job answers */
			RT_UNLINK(rt.pending, p);
			free(p);
			continue;
		}
		if (wait)
			continue;
		pending_answer(p, &rep);
	}
}

void rt_pending_drop(struct rt_child *client)
{
	struct rpc_msg rep;
	struct rt_pending *p, *next;

	for (p = rt.pending; p; p = next) {
		next = p->next;
		if (p->client != client)
			continue;
		rpc_init(&rep, RPC_E_DENIED);
		pending_answer(p, &rep);
	}
}

rpc_status_t rt_announce(struct rt_child *server, const char *service, struct rpc_msg *root)
{
	struct rt_provided *p;

	if (root->cap_kind != RPC_CAP_PLACED)
		return RPC_E_INVALID_CAP;
	if (!server->cfg || !init_child_provides(server->cfg, service)) {
		log("child '%s' announced '%s', which its <provides> does not name", server->name,
		    service);
		return RPC_E_DENIED;
	}
	if (rt_provided_root(server, service))
		return RPC_E_EXISTS;
	p = rt_alloc(sizeof(*p), "announcement", server->name);
	if (!p)
		return RPC_E_NO_RAM_QUOTA;
	snprintf(p->service, sizeof(p->service), "%s", service);
	p->root = root->cap;
	root->cap = 0;   /* kept */
	RT_APPEND(server->provided, p);
	if (rt.model.verbose)
		log("child '%s' announced '%s'", server->name, service);
	rt_services_update();
	/* not now: the server waits for this reply and could not answer its
	 * root; the signal runs the retry once the reply has gone out */
	signal_submit(rt.retry.cap);
	return RPC_OK;
}

static void on_retry(void *arg)
{
	(void)arg;
	pending_retry();
}

rpc_status_t rt_server_init(void)
{
	word_t handle;
	rpc_status_t st = signal_handler_init(&rt.env->ep, &rt.retry, on_retry, 0);

	if (st == RPC_OK)
		st = signal_handler_init(&rt.env->ep, &rt.job_done, on_job_done, 0);
	if (st != RPC_OK)
		return st;
	rt.worker_ntfn = cap_slot_alloc();
	if (!rt.worker_ntfn)
		return RPC_E_OUT_OF_SLOTS;
	st = pd_alloc_ntfn(rt.env->pd, rt.worker_ntfn, &handle);
	if (st != RPC_OK)
		return st;
	return worker_start();
}

/* ---- upgrade and close ---- */

rpc_status_t rt_session_upgrade(struct rt_child *client, word_t id, word_t ram, word_t caps,
				cptr_t payer)
{
	struct rt_session *s = session_find(client, id);
	rpc_status_t st = RPC_OK;
	struct rt_job *j;
	cptr_t acct;

	if (!s) {
		st = RPC_E_NOT_FOUND;
		goto out;
	}
	/* the account named with the upgrade, or the session's, or the client */
	acct = payer ? payer : s->payer ? s->payer : client->c.pd;
	switch (s->kind) {
	case RT_SESSION_PARENT:
		st = parent_upgrade(rt.env->parent, s->up_id, ram, caps, acct);
		break;
	case RT_SESSION_CHILD:
		j = job_new(RT_JOB_UPGRADE, client, s->server, s->service, &st);
		if (!j)
			break;
		st = pd_transfer(acct, s->server->c.pd, ram, caps);
		if (st == RPC_OK) {
			st = rpc_defer(&rt.env->ep, &j->rc);
			if (st != RPC_OK)
				pd_transfer(s->server->c.pd, acct, ram, caps);
		}
		if (st != RPC_OK) {
			job_free(j);
			break;
		}
		j->s = s;
		j->up_id = s->up_id;
		j->ram = ram;
		j->caps = caps;
		j->payer = payer;
		job_queue(j);
		return RPC_OK;   /* the job answers */
	default:
		/* init's own sessions need nothing more */
		break;
	}
out:
	if (payer)
		rpc_slot_release(payer);
	return st;
}

/* End the session s (listed). A session at a child server is closed
 * by a job (the worker's ROOT_CLOSE, the quota back after it), unless
 * the server is going (server_gone): then the quota it holds for the
 * session goes back at once as far as it is free, the rest with the
 * server's PD. */
static rpc_status_t session_end(struct rt_session *s, bool server_gone)
{
	rpc_status_t st = RPC_OK;

	switch (s->kind) {
	case RT_SESSION_PARENT:
		st = parent_close(rt.env->parent, s->up_id);
		cap_slot_free(s->cap);
		break;
	case RT_SESSION_CHILD:
		if (!server_gone && close_queue(s, 0) == RPC_OK)
			return RPC_OK;
		if (server_gone)
			refund(s->server, s->client, s->payer, s->ram, s->caps);
		jobs_session_gone(s);
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
	if (s->payer)
		rpc_slot_release(s->payer);
	RT_UNLINK(s->client->sessions, s);
	free(s);
	rt_report_changed();
	return st;
}

rpc_status_t rt_session_close(struct rt_child *client, word_t id)
{
	struct rt_session *s = session_find(client, id);
	struct rpc_reply_cap rc;
	rpc_status_t st;

	if (!s)
		return RPC_E_NOT_FOUND;
	if (s->kind != RT_SESSION_CHILD)
		return session_end(s, false);
	st = rpc_defer(&rt.env->ep, &rc);
	if (st != RPC_OK)
		return st;
	st = close_queue(s, &rc);
	if (st != RPC_OK) {
		struct rpc_msg rep;
		/* the server's service is gone: nothing to ask it; else (no
		 * heap or slots for the job) the session stays */
		rpc_init(&rep, st == RPC_E_DELETED ? session_end(s, true) : st);
		rpc_reply_deferred(&rc, &rep);
	}
	return RPC_OK;
}

void rt_session_close_all(struct rt_child *client)
{
	while (client->sessions)
		session_end(client->sessions, false);
}

/* A server goes away: its clients' sessions there end (their quota went
 * with the server's PD only if the server could not give it back). */
void rt_server_gone(struct rt_child *server)
{
	for (struct rt_child *c = rt.children; c; c = c->next) {
		struct rt_session *s, *next;
		if (c->state != RT_RUNNING || c == server)
			continue;
		for (s = c->sessions; s; s = next) {
			next = s->next;
			if (s->kind == RT_SESSION_CHILD && s->server == server)
				session_end(s, true);
		}
	}
	rt_services_server_gone(server);
	pending_retry();
}
