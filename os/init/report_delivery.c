/*
 * init's state report at run time: after changes (a child started, exited
 * or failed, a session made or closed), a signal to ourselves coalesces
 * them into one report, written with init_report() (report.h). Only when
 * the config has a <report> node. The report goes to a Report session
 * "state" that init asks its parent for when it first reports; if the
 * parent denies it (or a submission fails), init logs the report line by
 * line as "state: ..." instead, and so it does always with
 * <report log="yes">.
 *
 * Rate: with 'Timer' in <parent-provides>, at most one report per
 * <report delay_ms> (default 100): a change within the interval after a
 * report arms a one-shot timeout of a Timer session "report" at the
 * parent for the rest of the interval, and the report written then shows
 * the state of that moment, so the last state is always reported. Without
 * a Timer, every coalesced change is reported at once. Building a report
 * is linear in children and sessions (rt_runtime_fill_all links each
 * child's sessions for init_report).
 */
#include "runtime.h"

#include <argil/config.h>
#include <argil/printf.h>
#include <report_session.h>
#include <arch/syscall.h>

#define REPORT_MIN (32 * 1024)          /* the text buffer to start with */
#define REPORT_MAX (4 * 1024 * 1024)    /* it doubles up to this */

/* What rt_runtime_fill_all hands out: grown from init's heap as needed. */
static struct init_child_status *children;
static struct init_session_status *sessions;
static unsigned children_cap, sessions_cap;
static char *text;
static size_t text_cap;

/* the rate limit: a Timer session once delay_ms needs one */
static struct timer_connection rate_timer;
static struct signal_handler rate_sigh;
static bool rate_armed, reported_once, rate_unavailable;
static uint64_t last_report_us;

/* the Report session: not asked for yet, open, or denied (log instead) */
static enum { REPORTER_NONE, REPORTER_OPEN, REPORTER_DENIED } reporter_state;
static struct reporter reporter;

static enum init_child_state child_state(const struct rt_child *ch)
{
	switch (ch->state) {
	case RT_RUNNING:
		return INIT_CHILD_RUNNING;
	case RT_EXITED:
		return INIT_CHILD_EXITED;
	case RT_FAULTED:
		return INIT_CHILD_FAULTED;
	default:
		return INIT_CHILD_FAILED;
	}
}

static void session_status(struct init_session_status *o, const struct rt_session *s)
{
	memset(o, 0, sizeof(*o));
	o->client_index = (int)s->client->report_index;
	o->server_index = s->kind == RT_SESSION_CHILD ? (int)s->server->report_index : -1;
	o->id = (unsigned)s->id;
	o->service = s->service;
	o->client_kind = INIT_PEER_CHILD;
	o->client = s->client->name;
	o->client_label = s->client_label;
	o->label = s->label;
	o->state = INIT_SESSION_AVAILABLE;
	switch (s->kind) {
	case RT_SESSION_PARENT:
		o->server_kind = INIT_PEER_PARENT;
		break;
	case RT_SESSION_CHILD:
		o->server_kind = INIT_PEER_CHILD;
		o->server = s->server->name;
		o->ram = s->ram;
		o->caps = s->caps;
		break;
	default:
		o->server_kind = INIT_PEER_INIT;
	}
}

/* Make *buf hold at least n elements of size elem (contents not kept). */
static bool grow(void **buf, unsigned *cap, unsigned n, size_t elem, const char *what)
{
	unsigned c = *cap ? *cap : 16;
	void *p;

	if (n <= *cap)
		return true;
	while (c < n)
		c *= 2;
	p = malloc(c * elem);
	if (!p) {
		log("%s of %u entries: init's heap cannot grow", what, n);
		return false;
	}
	free(*buf);
	*buf = p;
	*cap = c;
	return true;
}

bool rt_runtime_fill_all(struct init_runtime *rr)
{
	struct init_runtime r;
	struct pd_quota q;
	unsigned nc = 0, ns = 0;

	for (struct rt_child *ch = rt.children; ch; ch = ch->next) {
		if (ch->state == RT_FREE)
			continue;
		ch->report_index = nc++;
		for (struct rt_session *s = ch->sessions; s; s = s->next)
			ns++;
	}
	for (struct rt_pending *p = rt.pending; p; p = p->next)
		ns++;
	for (struct rt_psession *ps = rt.psessions; ps; ps = ps->next)
		ns += !ps->closed;
	if (!grow((void **)&children, &children_cap, nc, sizeof(*children), "runtime list") ||
	    !grow((void **)&sessions, &sessions_cap, ns, sizeof(*sessions), "session list"))
		return false;
	nc = ns = 0;

	memset(&r, 0, sizeof(r));
	r.version = rt.have_rejected ? rt.rejected.version : rt.model.version;
	r.errors = rt.have_rejected ? rt.rejected.errors : rt.model.errors;
	if (pd_quota(rt.env->pd, &q) == RPC_OK) {
		r.ram_quota = q.ram_quota;
		r.ram_used = q.ram_used;
		r.caps_quota = q.cap_quota;
		r.caps_used = q.cap_used;
	}
	for (struct rt_child *ch = rt.children; ch; ch = ch->next) {
		struct init_child_status *c = &children[nc];
		if (ch->state == RT_FREE)
			continue;
		memset(c, 0, sizeof(*c));
		c->name = ch->name;
		c->binary = ch->cfg ? ch->cfg->binary : "";
		c->state = child_state(ch);
		c->exit_value = (int)ch->exit_value;
		c->reason = ch->state == RT_FAILED || ch->state == RT_FAULTED ? ch->reason : 0;
		c->restarts = ch->restarts;
		c->skipped_heartbeats = ch->skipped;
		if (ch->state == RT_RUNNING && pd_quota(ch->c.pd, &q) == RPC_OK) {
			c->ram_assigned = q.ram_quota;
			c->ram_used = q.ram_used;
			c->caps_assigned = q.cap_quota;
			c->caps_used = q.cap_used;
		}
		nc++;
		for (struct rt_session *s = ch->sessions; s; s = s->next)
			session_status(&sessions[ns++], s);
	}
	for (struct rt_pending *p = rt.pending; p; p = p->next) {
		struct init_session_status *o = &sessions[ns];
		memset(o, 0, sizeof(*o));
		o->service = p->service;
		o->client_kind = INIT_PEER_CHILD;
		o->client = p->client->name;
		o->client_label = p->label;
		o->server_kind = INIT_PEER_CHILD;
		o->server = "";
		o->label = p->label;
		o->state = INIT_SESSION_REQUESTED;
		o->client_index = (int)p->client->report_index;
		o->server_index = -1;
		ns++;
	}
	/* the sessions init serves its parent (for the diff and the report) */
	for (struct rt_psession *ps = rt.psessions; ps; ps = ps->next) {
		struct init_session_status *o = &sessions[ns];
		if (ps->closed)
			continue;
		memset(o, 0, sizeof(*o));
		o->id = (unsigned)ps->id;
		o->service = ps->service;
		o->client_kind = INIT_PEER_PARENT;
		o->client = "";
		o->client_label = ps->label;
		o->server_kind = INIT_PEER_CHILD;
		o->server = ps->server->name;
		o->label = ps->server_label;
		o->state = INIT_SESSION_AVAILABLE;
		o->ram = ps->ram;
		o->caps = ps->caps;
		o->client_index = -1;
		o->server_index = (int)ps->server->report_index;
		ns++;
	}
	init_runtime_link(children, nc, sessions, ns);
	r.linked = true;
	r.children = children;
	r.n_children = nc;
	r.sessions = sessions;
	r.n_sessions = ns;
	*rr = r;
	return true;
}

static void log_report(void)
{
	/* one LOG line per report line */
	for (char *line = text; *line;) {
		char *end = line;
		char buf[LOG_WRITE_MAX];
		while (*end && *end != '\n')
			end++;
		size_t n = (size_t)(end - line);
		size_t k = 7;
		memcpy(buf, "state: ", k);
		if (n > sizeof(buf) - k)
			n = sizeof(buf) - k;
		memcpy(buf + k, line, n);
		if (rt.env->log)
			log_write(rt.env->log, buf, k + n);
		line = *end ? end + 1 : end;
	}
}

/* Submit the report through the Report session, opening it first if need
 * be; false: there is none (denied or broken), log the report instead. */
static bool submit_report(size_t len)
{
	rpc_status_t st;

	if (reporter_state == REPORTER_OPEN && len > reporter.size) {
		/* grown beyond the session's buffer: open one that fits */
		reporter_close(&reporter);
		reporter_state = REPORTER_NONE;
	}
	if (reporter_state == REPORTER_NONE) {
		st = reporter_open(&reporter, "state", text_cap > REPORT_MIN ? text_cap : REPORT_MIN);
		reporter_state = st == RPC_OK ? REPORTER_OPEN : REPORTER_DENIED;
		if (st != RPC_OK)
			log("state report: no Report session 'state' (%s), logging it", rpc_status_name(st));
	}
	if (reporter_state != REPORTER_OPEN)
		return false;
	st = reporter_submit(&reporter, text, len);
	if (st == RPC_OK)
		return true;
	log("state report: submission failed (%s), logging it from now on", rpc_status_name(st));
	reporter_close(&reporter);
	reporter_state = REPORTER_DENIED;
	return false;
}

/* Build the report into text (false: it could not be, logged). */
static bool build_report(struct init_runtime *out)
{
	struct init_runtime r;
	struct cfg_writer w;

	if (!rt_runtime_fill_all(&r)) {   /* with the sessions init serves its parent */
		log("state report not written: init's heap is exhausted");
		return false;
	}
	for (;;) {
		if (!text) {
			text = malloc(REPORT_MIN);
			if (!text) {
				log("state report not written: init's heap is exhausted");
				return false;
			}
			text_cap = REPORT_MIN;
		}
		cfg_writer_init(&w, text, text_cap);
		if (init_report(&w, &rt.model, &r))
			break;
		char *bigger = text_cap < REPORT_MAX ? malloc(text_cap * 2) : 0;
		if (!bigger) {
			log("state report does not fit in %lu bytes%s", (unsigned long)text_cap,
			    text_cap < REPORT_MAX ? ": init's heap is exhausted" : "");
			return false;
		}
		free(text);
		text = bigger;
		text_cap *= 2;
	}
	*out = r;
	return true;
}

static void write_report(void)
{
	struct init_runtime r;

	if (!build_report(&r))
		return;
	if (!submit_report(strlen(text)) || rt.model.report.log)
		log_report();
}

void rt_report_bench(void)
{
	struct init_runtime r;
	uint64_t t0;

	/* once to grow the buffers, then the figure: one report as it is
	 * built after a change */
	if (!build_report(&r))
		return;
	t0 = rdtsc();
	if (build_report(&r))
		rt_bench_line("state_report", r.n_children, rdtsc() - t0);
}

/* The rate limit's Timer session (false: none, report at once). */
static bool rate_timer_ready(void)
{
	rpc_status_t st;

	if (rate_timer.session)
		return true;
	if (rate_unavailable || !init_model_parent_provides(&rt.model, TIMER_SERVICE))
		return false;
	st = timer_connect(&rate_timer, "report");
	if (st == RPC_OK)
		st = timer_connection_sigh(&rate_timer, rate_sigh.cap);
	if (st != RPC_OK) {
		log("state report: no Timer session 'report' (%s), reporting every change",
		    rpc_status_name(st));
		timer_disconnect(&rate_timer);
		rate_unavailable = true;
		return false;
	}
	return true;
}

static void report_now(void)
{
	if (rate_timer.session)
		last_report_us = elapsed_us(&rate_timer);
	reported_once = true;
	write_report();
}

static void on_rate_timeout(void *arg)
{
	(void)arg;
	if (!rate_armed)
		return;
	rate_armed = false;
	if (rt.have_model && rt.model.report.enabled)
		report_now();
}

static void on_report(void *arg)
{
	(void)arg;
	if (rt.have_model && rt.model.report.enabled) {
		uint64_t delay_us = rt.model.report.delay_ms * 1000, now;
		if (rate_armed)
			return;   /* the timeout reports this change too */
		if (!delay_us || !rate_timer_ready() || !reported_once) {
			report_now();
			return;
		}
		now = elapsed_us(&rate_timer);
		if (now - last_report_us >= delay_us) {
			report_now();
			return;
		}
		if (timer_trigger_once(rate_timer.session, delay_us - (now - last_report_us)) == RPC_OK)
			rate_armed = true;
		else
			report_now();
		return;
	}
	/* no <report> (any more): its report_rom ROM becomes empty */
	if (reporter_state == REPORTER_OPEN)
		reporter_close(&reporter);
	reporter_state = REPORTER_NONE;
}

rpc_status_t rt_report_init(void)
{
	rpc_status_t st = signal_handler_init(&rt.env->ep, &rt.report, on_report, 0);

	return st == RPC_OK ? signal_handler_init(&rt.env->ep, &rate_sigh, on_rate_timeout, 0) : st;
}

void rt_report_changed(void)
{
	if (rt.report.bit >= 0 && rt.report.cap)
		signal_submit(rt.report.cap);
}
