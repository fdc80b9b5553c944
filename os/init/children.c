/*
 * init's children: starting them from the model through core's services,
 * the parent interface each child calls, exit handling with the restart
 * policy. Trusts core; a child's requests are checked before use.
 */
#include "runtime.h"

#include <argil/cpu.h>
#include <argil/printf.h>

void *rt_alloc(size_t size, const char *what, const char *whom)
{
	void *p = malloc(size);

	if (!p) {
		log("%s for '%s' refused: init's heap cannot grow (%s)", what, whom,
		    rpc_status_name(component_heap ? component_heap->last_error : RPC_E_NO_RAM_QUOTA));
		return 0;
	}
	memset(p, 0, size);
	return p;
}

struct rt_child *rt_child_by_name(const char *name)
{
	for (struct rt_child *ch = rt.children; ch; ch = ch->next)
		if (ch->state != RT_FREE && !strcmp(ch->name, name))
			return ch;
	return 0;
}

void rt_children_reap(void)
{
	struct rt_child **pp = &rt.children;

	while (*pp) {
		struct rt_child *ch = *pp;
		if (ch->state != RT_FREE) {
			pp = &ch->next;
			continue;
		}
		*pp = ch->next;
		free(ch);
	}
}

/* Release everything of a child: its sessions, the sessions others hold at
 * it, its PD and CPU (which returns its quota to us), its parent object. */
void rt_child_release(struct rt_child *ch)
{
	rt_session_close_all(ch);
	rt_pending_drop(ch);
	rt_server_gone(ch);
	rt_jobs_child_gone(ch);
	while (ch->provided) {
		struct rt_provided *p = ch->provided;
		ch->provided = p->next;
		cap_slot_free(p->root);
		free(p);
	}
	if (ch->heartbeat)
		cap_slot_free(ch->heartbeat);
	ch->heartbeat = 0;
	rt_quota_gone(ch);
	child_destroy(rt.env->parent, &ch->c);
	ep_dissolve(&rt.env->ep, &ch->parent_obj);
}

static void child_exit(struct rt_child *ch, word_t value)
{
	const struct init_child *cfg = ch->cfg;

	log("child '%s' exited with value %ld", ch->name, (long)value);
	ch->exit_value = value;
	rt_child_release(ch);
	ch->state = RT_EXITED;
	rt_report_changed();
	if (cfg && init_restart_after_exit(cfg))
		rt_child_restart(ch, "restart policy");
	rt_quota_retry();
}

void rt_child_restart(struct rt_child *ch, const char *why)
{
	const struct init_child *cfg = ch->cfg;
	unsigned restarts = ch->restarts + 1;
	struct rt_child *n;

	if (ch->state == RT_RUNNING)
		rt_child_release(ch);
	log("child '%s' restarted (%s)", ch->name, why);
	ch->state = RT_FREE;
	if (!cfg)
		return;
	n = rt_child_start(cfg);
	if (n)
		n->restarts = restarts;
}

/* A thread of some child stopped on a fault it could not resolve: find
 * the children whose main thread did, stop them, apply the policy. */
static void on_fault(void *arg)
{
	struct thread_state_info ts;

	(void)arg;
	/* a restart reuses the record of ch (rt_child_start): the list holds */
	for (struct rt_child *ch = rt.children; ch; ch = ch->next) {
		const struct init_child *cfg = ch->cfg;
		if (ch->state != RT_RUNNING || thread_state(ch->c.thread, &ts) != RPC_OK ||
		    ts.state != THREAD_FAULTED)
			continue;
		log("child '%s' faulted: %s fault at 0x%lx (ip 0x%lx)", ch->name,
		    ts.fault_label == FAULT_PAGE ? "page" : "unresolvable", ts.fault_addr, ts.fault_ip);
		rt_child_release(ch);
		ch->state = RT_FAULTED;
		ch->reason = ts.fault_label == FAULT_PAGE ? "page fault" : "fault";
		rt_report_changed();
		if (cfg && init_restart_after_fault(cfg))
			rt_child_restart(ch, "restart policy");
		rt_quota_retry();
	}
}

rpc_status_t rt_fault_init(void)
{
	return signal_handler_init(&rt.env->ep, &rt.fault, on_fault, 0);
}

/* ---- the parent interface of a child (argil/parent.h) ---- */

static rpc_status_t do_session(struct parent_session_call *c)
{
	return rt_session_request(c->obj, c);
}

static rpc_status_t do_upgrade(struct parent_upgrade_call *c)
{
	struct rpc_msg *req = c->in.payer;
	cptr_t payer = 0;

	/* the capability is ours now: rt_session_upgrade releases it */
	if (req->cap_kind == RPC_CAP_PLACED) {
		payer = req->cap;
		req->cap_kind = RPC_CAP_NONE;
	}
	return rt_session_upgrade(c->obj, c->in.id, c->in.ram, c->in.caps, payer);
}

static rpc_status_t do_close(struct parent_close_call *c)
{
	return rt_session_close(c->obj, c->in.id);
}

static rpc_status_t do_announce(struct parent_announce_call *c)
{
	return rt_announce(c->obj, c->in.service, c->in.root);
}

static rpc_status_t do_exit(struct parent_exit_call *c)
{
	/* the child waits for nothing: answer now, then destroy it */
	child_exit(c->obj, c->in.value);
	return RPC_OK;
}

static rpc_status_t do_heartbeat_sigh(struct parent_heartbeat_sigh_call *c)
{
	struct rt_child *ch = c->obj;

	return rpc_take_sigh(c->in.ntfn, &ch->heartbeat, false);
}

static rpc_status_t do_heartbeat_response(struct parent_heartbeat_response_call *c)
{
	rt_heartbeat_response(c->obj);
	return RPC_OK;
}

static rpc_status_t do_yield_sigh(struct parent_yield_sigh_call *c)
{
	return rt_yield_sigh(c->obj, c->in.ntfn);
}

static rpc_status_t do_yield_request(struct parent_yield_request_call *c)
{
	rt_yield_request(c->obj, &c->out.ram, &c->out.caps);
	return RPC_OK;
}

static rpc_status_t do_yield_response(struct parent_yield_response_call *c)
{
	rt_yield_response(c->obj);
	return RPC_OK;
}

RPC_SERVER(parent, PARENT_RPC)

/* resource requests are not served: RPC_E_UNAVAILABLE */
static const struct parent_server parent_ops = {
	.parent_session = do_session,
	.parent_upgrade = do_upgrade,
	.parent_close = do_close,
	.parent_announce = do_announce,
	.parent_exit = do_exit,
	.parent_heartbeat_sigh = do_heartbeat_sigh,
	.parent_heartbeat_response = do_heartbeat_response,
	.parent_yield_sigh = do_yield_sigh,
	.parent_yield_request = do_yield_request,
	.parent_yield_response = do_yield_response,
};

static void parent_handler(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct rt_child *ch = o->data;

	if (ch->state != RT_RUNNING) {
		rep->label = RPC_E_DENIED;
		return;
	}
	parent_dispatch(&parent_ops, ch, req, rep, RPC_E_UNAVAILABLE);
}

struct rt_child *rt_child_start(const struct init_child *cfg)
{
	struct rt_child *ch = 0;
	struct child_spec spec;
	rpc_status_t st;

	/* the record of a stopped child of that name, or a forgotten one */
	for (struct rt_child *c = rt.children; c && !ch; c = c->next)
		if (c->state == RT_FREE || (c->state != RT_RUNNING && !strcmp(c->name, cfg->name)))
			ch = c;
	if (ch) {
		struct rt_child *next = ch->next;
		memset(ch, 0, sizeof(*ch));
		ch->next = next;
	} else {
		ch = rt_alloc(sizeof(*ch), "start", cfg->name);
		if (!ch) {
			log("child '%s' not started: init's heap is exhausted", cfg->name);
			return 0;
		}
		RT_APPEND(rt.children, ch);
	}
	snprintf(ch->name, sizeof(ch->name), "%s", cfg->name);
	ch->cfg = cfg;
	ch->next_id = 1;
	st = ep_manage(&rt.env->ep, &ch->parent_obj, parent_handler, ch);
	if (st != RPC_OK) {
		/* e.g. no slot for its parent capability: failed, in the report too */
		log("error: child '%s' not started: %s", cfg->name, rpc_status_text(st));
		ch->state = RT_FAILED;
		ch->reason = rpc_status_text(st);
		rt_report_changed();
		return ch;
	}
	memset(&spec, 0, sizeof(spec));
	spec.name = cfg->name;
	spec.binary = cfg->binary;
	spec.ram = cfg->ram;
	spec.caps = cfg->caps;
	/* priority 0 is init's own: see init_child_priority */
	{
		unsigned floor = 0;
		spec.priority = init_child_priority(&rt.model, cfg, (unsigned)rt.env->info->priority,
						    (unsigned)rt.env->info->priority_floor, &floor);
		spec.priority_floor = floor;
	}
	spec.parent_cap = ep_cap(&rt.env->ep, &ch->parent_obj);
	ch->state = RT_RUNNING;   /* its requests are served from now on */
	st = child_start(rt.env->parent, &spec, &ch->c);
	if (st != RPC_OK) {
		char why[160];

		ch->reason = rt_start_error(&ch->c, st, cfg->binary, why, sizeof(why));
		log("error: config '%s' line %u col %u: child '%s' not started: %s", RT_CONFIG_ROM,
		    cfg->binary_line, cfg->binary_col, cfg->name, why);
		ep_dissolve(&rt.env->ep, &ch->parent_obj);
		ch->state = RT_FAILED;
		rt_report_changed();
		return ch;
	}
	ch->ram_lent = cfg->ram;
	ch->caps_lent = cfg->caps;
	st = pd_fault_sigh(ch->c.pd, rt.fault.cap);
	if (st != RPC_OK)
		log("faults of child '%s' are not watched: %s", cfg->name, rpc_status_name(st));
	rt_report_changed();
	log("child '%s' started (binary '%s', %lu bytes RAM, %lu caps)", cfg->name, cfg->binary,
	    (unsigned long)cfg->ram, (unsigned long)cfg->caps);
	return ch;
}
