/*
 * test_init: tests a nested init step by step, in the manner of Genode's
 * test-init (run/init_test). It reads the steps from ROM
 * "init_test.steps" (run/config/init_test.steps):
 *
 *   <steps>
 *     <config version="1"> ... </config>      a config for the nested init
 *     <expect what="routing"> ... </expect>   expectations on its report
 *     <hello label="q" expect="sub label"/>   a session of the nested init's
 *                                             service "Hello" (see below)
 *     <hello_close/>                          close those sessions
 *     ...
 *   </steps>
 *
 * A <config> node is published as is (printed canonically) through the
 * Report session "config", which report_rom serves as the nested init's
 * config ROM; every <config> needs a version of its own. An <expect> waits
 * until the nested init's state report (ROM "state", watched) has the
 * version of the config published last and every sub-node of the
 * <expect> holds (match.h); each sub-node is one step, printed as
 * "ok N what: pattern" or "FAIL N what: pattern". An expectation that does
 * not hold after `updates` (default 40) further reports, or after `ticks`
 * (default 600) ticks of 100 ms in which no report came, fails (the
 * report is logged) and the next node is taken. At the end:
 * "init_test: N passed, N failed".
 *
 * <hello> asks test_init's parent for a session "Hello" with the label
 * (which the top init routes to the nested init, which hands it to a child
 * by its <service> policies), asks the server for the label it sees
 * (init_test_child's HELLO_LABEL) and compares it with expect: one step.
 * The session stays open until <hello_close/>. A malformed steps file is an error
 * that ends the test (with its line).
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/printf.h>
#include <report_session.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <timer_session.h>

#include "match.h"

#define CONFIG_MAX (16 * 1024)
#define STATE_MAX (32 * 1024)
#define TICK_US 100000
#define HELLO_MAX 8
#define HELLO_LABEL 2   /* init_test_child's Hello session: the label it sees */

static struct hello { cptr_t cap; word_t id; } hellos[HELLO_MAX];

static struct config_rom steps, state;
static struct reporter config_out;
static struct timer_connection timer;
static struct signal_handler tick_sigh;
static const struct cfg_node *cursor;   /* the next node of the steps */
static const char *version;             /* of the config published last */
static char text[CONFIG_MAX];
static unsigned passed, failed, step_no;
static unsigned updates, quiet_ticks;   /* since the current <expect> began */
static uint64_t limit_updates, limit_ticks;
static bool waiting, done;

static void finish(void)
{
	done = true;
	timer_stop(timer.session);
	log("init_test: %u passed, %u failed", passed, failed);
}

static void steps_error(const struct cfg_node *n, const char *what)
{
	log("init_test.steps:%u:%u: %s", n->line, n->col, what);
	failed++;
	finish();
}

static void log_text(const char *prefix, const char *t)
{
	for (const char *line = t; *line;) {
		const char *end = line;
		char buf[LOG_WRITE_MAX];
		while (*end && *end != '\n')
			end++;
		size_t n = (size_t)(end - line) < sizeof(buf) ? (size_t)(end - line) : sizeof(buf) - 1;
		memcpy(buf, line, n);
		buf[n] = '\0';
		log("%s%s", prefix, buf);
		line = *end ? end + 1 : end;
	}
}

static bool publish(const struct cfg_node *n)
{
	size_t len = cfg_print(n, text, sizeof(text));
	const char *v = cfg_attr(n, "version");
	rpc_status_t st;

	if (!v || !v[0]) {
		steps_error(n, "<config> without a version");
		return false;
	}
	for (const struct cfg_node *p = cfg_child(steps.node, "config"); p != n; p = cfg_next(p, "config"))
		if (cfg_attr_is(p, "version", v)) {
			steps_error(n, "<config> with the version of an earlier one");
			return false;
		}
	if (len >= sizeof(text) || len > config_out.size) {
		steps_error(n, "<config> too long");
		return false;
	}
	st = reporter_submit(&config_out, text, len);
	if (st != RPC_OK) {
		log("error: config report: %s", rpc_status_name(st));
		steps_error(n, "cannot publish the config");
		return false;
	}
	version = v;
	log("config version %s (%lu bytes)", v, (unsigned long)len);
	return true;
}

/* Does every expectation of e hold in the current report? */
static bool expect_holds(const struct cfg_node *e)
{
	const struct cfg_node *s = state.node;

	if (!s || !cfg_is(s, "state") || !version || !cfg_attr_is(s, "version", version))
		return false;
	for (const struct cfg_node *c = e->child; c; c = c->next)
		if (!tinit_expect(c, s))
			return false;
	return true;
}

/* Count and print the steps of e; gave_up: the limit was reached. */
static void expect_result(const struct cfg_node *e, bool gave_up)
{
	const struct cfg_node *s = state.node;
	bool current = s && version && cfg_attr_is(s, "version", version);
	const char *what = cfg_attr(e, "what");
	char desc[200];

	for (const struct cfg_node *c = e->child; c; c = c->next) {
		bool ok = current && tinit_expect(c, s);
		tinit_describe(c, desc, sizeof(desc));
		step_no++;
		if (ok)
			passed++;
		else
			failed++;
		log("%s %u %s (config %s, line %u): %s", ok ? "ok" : "FAIL", step_no, what ? what : "",
		    version ? version : "-", c->line, desc);
	}
	if (gave_up) {
		log("gave up after %u reports and %u quiet ticks; the report:", updates, quiet_ticks);
		if (state.rom.data)
			log_text("  ", state.rom.data);
	}
}

static bool expect_begin(const struct cfg_node *e)
{
	static const char *const attrs[] = { "what", "updates", "ticks", 0 };

	for (const struct cfg_attr *a = e->attrs; a; a = a->next) {
		unsigned i = 0;
		while (attrs[i] && strcmp(attrs[i], a->name))
			i++;
		if (!attrs[i]) {
			steps_error(e, "unknown attribute of <expect>");
			return false;
		}
	}
	if (!e->child || cfg_attr_u64(e, "updates", 40, &limit_updates) < 0 ||
	    cfg_attr_u64(e, "ticks", 600, &limit_ticks) < 0 || !limit_updates || !limit_ticks) {
		steps_error(e, "<expect> without expectations or with a bad limit");
		return false;
	}
	updates = quiet_ticks = 0;
	waiting = true;
	return true;
}

static void hello_step(const struct cfg_node *n)
{
	const char *label = cfg_attr(n, "label"), *want = cfg_attr(n, "expect");
	char seen[SESSION_LABEL_MAX] = "", desc[200];
	struct hello *h = 0;
	struct rpc_msg m;
	word_t pos = 0;
	rpc_status_t st;

	for (unsigned i = 0; i < HELLO_MAX && !h; i++)
		if (!hellos[i].cap)
			h = &hellos[i];
	if (!label || !want || !h) {
		steps_error(n, h ? "<hello> needs label and expect" : "more than 8 <hello> sessions open");
		return;
	}
	st = parent_session(COMPONENT_PARENT, "Hello", label, "", 8192, 2, 0, &h->cap, &h->id);
	if (st == RPC_OK) {
		rpc_init(&m, HELLO_LABEL);
		st = rpc_call_expect(h->cap, &m, 1, false);
		if (st == RPC_OK)
			st = rpc_get_str(&m, &pos, seen, sizeof(seen));
	} else {
		h->cap = 0;
	}
	tinit_describe(n, desc, sizeof(desc));
	step_no++;
	if (st == RPC_OK && !strcmp(seen, want)) {
		passed++;
		log("ok %u hello (line %u): %s", step_no, n->line, desc);
	} else {
		failed++;
		log("FAIL %u hello (line %u): %s: %s, the server sees '%s'", step_no, n->line, desc,
		    rpc_status_name(st), seen);
	}
}

static void hello_close(void)
{
	for (unsigned i = 0; i < HELLO_MAX; i++) {
		if (!hellos[i].cap)
			continue;
		parent_close(COMPONENT_PARENT, hellos[i].id);
		cap_slot_free(hellos[i].cap);
		hellos[i].cap = 0;
	}
}

/* Go through the steps as far as the report allows. */
static void advance(bool gave_up)
{
	while (!done) {
		if (waiting) {
			bool holds = expect_holds(cursor);
			if (!holds && !gave_up)
				return;
			expect_result(cursor, !holds);
			gave_up = false;
			waiting = false;
			cursor = cursor->next;
			continue;
		}
		if (!cursor) {
			finish();
			return;
		}
		if (cfg_is(cursor, "config")) {
			if (!publish(cursor))
				return;
			cursor = cursor->next;
		} else if (cfg_is(cursor, "hello")) {
			hello_step(cursor);
			cursor = cursor->next;
		} else if (cfg_is(cursor, "hello_close")) {
			hello_close();
			cursor = cursor->next;
		} else if (cfg_is(cursor, "expect")) {
			if (!expect_begin(cursor))
				return;
		} else {
			steps_error(cursor, "unknown node (expected <config>, <expect>, <hello> or <hello_close>)");
			return;
		}
	}
}

static void on_state(void *arg)
{
	(void)arg;
	if (!config_rom_update(&state) && state.err.msg)
		log("state report: %u:%u: %s", state.err.line, state.err.col, state.err.msg);
	if (done || !waiting)
		return;
	updates++;
	quiet_ticks = 0;
	advance(updates > limit_updates);
}

static void on_tick(void *arg)
{
	(void)arg;
	if (done || !waiting)
		return;
	if (++quiet_ticks > limit_ticks)
		advance(true);
}

void component_construct(struct component_env *env)
{
	rpc_status_t st;

	if (config_rom_open(&steps, "init_test.steps", 0, 0, 0) != RPC_OK || !config_rom_update(&steps) ||
	    !cfg_is(steps.node, "steps")) {
		if (steps.err.msg)
			log("init_test.steps:%u:%u: %s", steps.err.line, steps.err.col, steps.err.msg);
		log("error: no <steps> in ROM 'init_test.steps'");
		log("init_test: 0 passed, 1 failed");
		return;
	}
	if ((st = reporter_open(&config_out, "config", CONFIG_MAX)) != RPC_OK) {
		log("error: Report session 'config': %s", rpc_status_name(st));
		log("init_test: 0 passed, 1 failed");
		return;
	}
	/* the report grows beyond what a ROM session's first donation pays */
	if ((st = config_rom_open(&state, "state", &env->ep, on_state, 0)) != RPC_OK ||
	    (st = parent_upgrade(env->parent, state.rom.id, ROM_SESSION_RAM + STATE_MAX + STATE_MAX / 4, 4, 0)) != RPC_OK) {
		log("error: ROM session 'state': %s", rpc_status_name(st));
		log("init_test: 0 passed, 1 failed");
		return;
	}
	if ((st = timer_connect(&timer, "test_init")) != RPC_OK ||
	    (st = signal_handler_init(&env->ep, &tick_sigh, on_tick, 0)) != RPC_OK ||
	    (st = timer_connection_sigh(&timer, tick_sigh.cap)) != RPC_OK ||
	    (st = timer_trigger_periodic(timer.session, TICK_US)) != RPC_OK) {
		log("error: Timer: %s", rpc_status_name(st));
		log("init_test: 0 passed, 1 failed");
		return;
	}
	cursor = steps.node->child;
	log("%u nodes of steps", cfg_child_count(steps.node, 0));
	config_rom_update(&state);
	advance(false);
}
