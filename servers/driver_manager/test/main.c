/*
 * driver_manager_test (run/driver_manager_test*): watches driver_manager's
 * report (ROM "driver_manager") and checks it against its config:
 *
 *   <config>
 *     <expect driver="rng" state="running" devices="1"/>
 *     <unclaimed device="00:1f.3"/>
 *     <kill driver="rng" times="20"/>
 *     <expect driver="virtio_blk" state="running" devices="1" optional="yes"/>
 *     <unclaimed device="00:03.0" unless="virtio_blk"/>
 *     <restart driver="ps2" times="20" settle_ms="300"/>
 *   </config>
 *
 * optional="yes": the <expect> holds only if the report names the driver
 * (its manifest is installed); unless="d": the device must be unclaimed
 * while driver d is not installed, claimed once it is (drivers whose
 * manifests come later).
 *
 * First it waits for a report in which every <expect> (attributes equal)
 * and every <unclaimed> holds and no driver other than those expected
 * runs, one step each. Then, per <kill>, it publishes the report "kill"
 * (<kill driver count how/>, which the driver watches: fault, exit and
 * hang in turn) `times` times and waits each time until the report shows
 * the driver running again with one restart more (more restarts than
 * kills is a failure) and the new incarnation says it watches the kill
 * ROM (ROM "ready": <ready driver seen/>, seen = the kills so far).
 * Per <restart> (a real driver, which knows nothing of kills), it asks
 * driver_manager to restart the driver (report "restart": <restart>
 * <driver name count/> </restart>) `times` times: each time the report
 * must show it running with exactly one restart more, and the event
 * server's report (ROM "events") a new session's first event (seq 0;
 * keys are typed meanwhile by a host script; the first request waits
 * for the first key at all). It prints the guest time
 * from the request to both, waits settle_ms and goes on; after the last,
 * the figures' minimum, median and maximum and "restarts done".
 * events="no" (a driver without an event server, e.g. a NIC): the step
 * is done once the driver runs again; the figure is the time to that;
 * start_ms="N" (with events="no" only) waits N ms before the first
 * request (a scenario's download under way, run/net_restart).
 * Then per <await name driver [state devices]> (in order): logs "await
 * N: name" (a scenario's qmp: line acts on it, e.g. a hot-plug) and waits
 * until the report shows the driver so and, for each <platform device
 * [absent="yes"] attrs/> inside, platform's report (ROM "platform") has
 * that device with those attributes (or none), and for each <state child
 * [absent="yes"] attrs/> the drivers init's state report (ROM
 * "drivers_state") that child.
 * Ends with `driver_manager_test: N passed, N failed`.
 * Trusts the report for nothing but its values.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <report_session.h>
#include <timer_session.h>

static struct config_rom config, report, ready, events;
static struct reporter killer, restarter;
static bool have_restarter;
static struct timer_connection timer;
static bool have_timer;
static struct signal_handler settle_sigh;

#define MAX_RESTARTS 100
static const struct cfg_node *restart_node;   /* the <restart> being done */
static uint64_t restarts_done, restarts_wanted, restart_base, settle_ms;
static uint64_t request_us, back_us, key_us[MAX_RESTARTS];
static bool restart_events;                     /* <restart events>: wait for a first event */
static uint64_t start_ms;                       /* <restart start_ms>: before the first */
static uint64_t events_seen;                  /* events of the events report looked at */
static bool restart_back, restart_key, settling, restarts_begun, first_key_wanted;
static unsigned passed, failed, step;

static const struct cfg_node *kill_node;   /* the <kill> being done */
static uint64_t kills_done, kills_wanted, base_restarts;
static bool expectations_met, kill_pending, back;

static const char *const hows[] = { "fault", "exit", "hang" };

static void done(void)
{
	log("driver_manager_test: %u passed, %u failed", passed, failed);
}

static const struct cfg_node *driver(const char *name)
{
	for (const struct cfg_node *d = cfg_child(report.node, "driver"); d; d = cfg_next(d, "driver"))
		if (cfg_attr_is(d, "name", name))
			return d;
	return 0;
}

/* every attribute of want (but driver=, which names the <driver>) is in have */
static bool attrs_hold(const struct cfg_node *want, const struct cfg_node *have)
{
	for (const struct cfg_attr *a = want->attrs; a; a = a->next)
		if (strcmp(a->name, "driver") && strcmp(a->name, "optional") && strcmp(a->name, "name") &&
		    strcmp(a->name, "unless") && !cfg_attr_is(have, a->name, a->value))
			return false;
	return true;
}

static bool expected_running(const char *name)
{
	for (const struct cfg_node *e = cfg_child(config.node, "expect"); e; e = cfg_next(e, "expect"))
		if (cfg_attr_is(e, "driver", name))
			return true;
	return false;
}

static bool optional(const struct cfg_node *e)
{
	return cfg_attr_is(e, "optional", "yes");
}

/* unclaimed="d": is driver d installed (named by the report)? */
static bool unless_installed(const struct cfg_node *u)
{
	return cfg_attr(u, "unless") && driver(cfg_attr(u, "unless"));
}

static const struct cfg_node *unclaimed_node(const struct cfg_node *u)
{
	const struct cfg_node *x;
	for (x = cfg_child(report.node, "unclaimed"); x; x = cfg_next(x, "unclaimed"))
		if (attrs_hold(u, x))
			break;
	return x;
}

static bool all_hold(void)
{
	for (const struct cfg_node *e = cfg_child(config.node, "expect"); e; e = cfg_next(e, "expect")) {
		const struct cfg_node *d = driver(cfg_attr(e, "driver"));
		if (!d && optional(e))
			continue;
		if (!d || !attrs_hold(e, d))
			return false;
	}
	for (const struct cfg_node *u = cfg_child(config.node, "unclaimed"); u;
	     u = cfg_next(u, "unclaimed"))
		if (!unclaimed_node(u) != unless_installed(u))
			return false;
	return true;
}

static void ok(bool good, const char *fmt, const char *a, unsigned long n)
{
	char line[200];
	snprintf(line, sizeof(line), fmt, a, n);
	log("%s DMT_%04u %s", good ? "ok" : "FAIL", ++step, line);
	if (good)
		passed++;
	else
		failed++;
}

static void next_kill(void);
static void kill_now(void);
static void next_restart(void);
static void restart_check(void);
static void next_await(void);

/* ---- <await>s: states the report must reach one after the other ---- */

static const struct cfg_node *await_node;
static bool awaits_begun;
static unsigned await_no;
static struct config_rom platform_rom, state_rom;
static bool have_platform_rom, have_state_rom;

/* <platform device=".." [absent="yes"] attrs/>: platform's report has the
 * <device name=..> with those attributes, or (absent) has none; the same
 * for <state child=".."> and the drivers init's state report's <child>. */
static bool report_holds(const struct config_rom *rom, const char *node, const char *key,
			 const struct cfg_node *want)
{
	const char *name = cfg_attr(want, key);
	const struct cfg_node *d;

	if (!rom->node || !name)
		return false;
	for (d = cfg_child(rom->node, node); d; d = cfg_next(d, node))
		if (cfg_attr_is(d, "name", name))
			break;
	if (cfg_attr_is(want, "absent", "yes"))
		return !d;
	if (!d)
		return false;
	for (const struct cfg_attr *a = want->attrs; a; a = a->next)
		if (strcmp(a->name, key) && !cfg_attr_is(d, a->name, a->value))
			return false;
	return true;
}

static void check_await(void)
{
	const struct cfg_node *d = driver(cfg_attr(await_node, "driver"));
	char what[120];

	if (!d || !attrs_hold(await_node, d))
		return;
	for (const struct cfg_node *p = cfg_child(await_node, "platform"); p;
	     p = cfg_next(p, "platform"))
		if (!report_holds(&platform_rom, "device", "device", p))
			return;
	for (const struct cfg_node *p = cfg_child(await_node, "state"); p; p = cfg_next(p, "state"))
		if (!report_holds(&state_rom, "child", "child", p))
			return;
	snprintf(what, sizeof(what), "await %u (%s): driver %s", await_no,
		 cfg_attr(await_node, "name") ? cfg_attr(await_node, "name") : "",
		 cfg_attr(await_node, "driver"));
	ok(true, "%s as awaited", what, 0);
	next_await();
}

static void next_await(void)
{
	await_node = awaits_begun ? cfg_next(await_node, "await") : cfg_child(config.node, "await");
	awaits_begun = true;
	if (!await_node) {
		done();
		return;
	}
	if (!cfg_attr(await_node, "driver")) {
		ok(false, "<await> without driver=%s", "", 0);
		await_node = 0;
		done();
		return;
	}
	log("await %u: %s", ++await_no, cfg_attr(await_node, "name") ? cfg_attr(await_node, "name")
								      : "");
	check_await();
}

/* The driver's incarnation watches the kill ROM with all kills so far:
 * the next kill may go. */
static void check_ready(void)
{
	uint64_t seen;

	if (!kill_pending || !ready.node || !cfg_is(ready.node, "ready") ||
	    !cfg_attr_is(ready.node, "driver", cfg_attr(kill_node, "driver")) ||
	    cfg_attr_u64(ready.node, "seen", 0, &seen) != 1 || seen != kills_done)
		return;
	kill_now();
}

static void on_ready(void *arg)
{
	(void)arg;
	config_rom_update(&ready);
	check_ready();
}

static void kill_now(void)
{
	char doc[160];
	const char *name = cfg_attr(kill_node, "driver");
	const char *how = hows[kills_done % 3];
	int n = snprintf(doc, sizeof(doc), "<kill driver=\"%s\" count=\"%lu\" how=\"%s\"/>\n",
			 name, (unsigned long)kills_done + 1, how);
	rpc_status_t st = reporter_submit(&killer, doc, (word_t)n);
	kill_pending = false;
	back = false;
	if (st != RPC_OK) {
		ok(false, "kill report for %s: error %lu", name, st);
		done();
	}
}

static void next_kill(void)
{
	for (;;) {
		if (!kill_node)
			kill_node = cfg_child(config.node, "kill");
		else if (kills_done == kills_wanted)
			kill_node = cfg_next(kill_node, "kill");
		else
			break;
		if (!kill_node) {
			next_restart();
			return;
		}
		const struct cfg_node *d = driver(cfg_attr(kill_node, "driver"));
		kills_done = 0;
		if (cfg_attr_u64(kill_node, "times", 1, &kills_wanted) < 0 || !d ||
		    cfg_attr_u64(d, "restarts", 0, &base_restarts) != 1) {
			ok(false, "kill %s: no such driver in the report or bad times", 
			   cfg_attr(kill_node, "driver") ? cfg_attr(kill_node, "driver") : "?", 0);
			kills_wanted = 0;
		}
		if (kills_wanted)
			break;
	}
	kill_pending = true;
	check_ready();
}

/* ---- restarts of a real driver on request ---- */

static uint64_t now_us(void) { return elapsed_us(&timer); }

static void request_restart(void)
{
	char doc[200];
	const char *name = cfg_attr(restart_node, "driver");
	int n = snprintf(doc, sizeof(doc), "<restart> <driver name=\"%s\" count=\"%lu\"/> </restart>\n",
			 name, (unsigned long)restarts_done + 1);

	restart_back = settling = false;
	restart_key = !restart_events;   /* without events: back is enough */
	request_us = now_us();
	rpc_status_t st = reporter_submit(&restarter, doc, (word_t)n);
	if (st != RPC_OK) {
		ok(false, "restart request for %s: error %lu", name, st);
		restart_node = 0;
		done();
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void sort_u64(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && cmp_u64(&v[j - 1], &v[j]) > 0; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* The restarted driver is back and its first key came: settle, go on. */
static void restart_step_done(void)
{
	const char *name = cfg_attr(restart_node, "driver");
	char what[80];

	restarts_done++;
	snprintf(what, sizeof(what), "%s restarted on request %lu times", name,
		 (unsigned long)restarts_done);
	ok(true, "%s, restarts=%lu", what, restart_base + restarts_done);
	if (!restart_events)
		key_us[restarts_done - 1] = back_us - request_us;
	if (restart_events)
		log("%s restart %lu: back after %lu us, first key after %lu us", name,
		    (unsigned long)restarts_done, (unsigned long)(back_us - request_us),
		    (unsigned long)key_us[restarts_done - 1]);
	else
		log("%s restart %lu: back after %lu us", name, (unsigned long)restarts_done,
		    (unsigned long)(back_us - request_us));
	if (restarts_done < restarts_wanted) {
		settling = true;
		timer_trigger_once(timer.session, settle_ms * 1000);
		return;
	}
	uint64_t v[MAX_RESTARTS];
	unsigned n = (unsigned)restarts_done;
	memcpy(v, key_us, n * sizeof(v[0]));
	sort_u64(v, n);
	log("%s: %s after a restart: min %lu us, median %lu us, max %lu us (%u restarts)",
	    name, restart_events ? "first key" : "back", (unsigned long)v[0],
	    (unsigned long)v[n / 2], (unsigned long)v[n - 1], n);
	log("%s: restarts done", name);
	restart_node = cfg_next(restart_node, "restart");
	next_restart();
}

static void on_settled(void *arg)
{
	(void)arg;
	if (!settling)
		return;
	settling = false;
	request_restart();
}

static void restart_check(void)
{
	const char *name = cfg_attr(restart_node, "driver");
	const struct cfg_node *d = driver(name);
	uint64_t r = 0;

	if (settling || !d || cfg_attr_u64(d, "restarts", 0, &r) != 1)
		return;
	if (r > restart_base + restarts_done + 1) {
		ok(false, "%s restarted more often than asked: %lu", name, r - restart_base);
		restart_node = 0;
		done();
		return;
	}
	if (!restart_back && r == restart_base + restarts_done + 1 &&
	    cfg_attr_is(d, "state", "running")) {
		restart_back = true;
		back_us = now_us();
		if (restart_key)
			restart_step_done();
	}
}

/* A new session's first event (seq 0) among the events not looked at. */
static void on_events(void *arg)
{
	uint64_t total = 0, seq;
	unsigned n = 0;

	(void)arg;
	if (!config_rom_update(&events) || cfg_attr_u64(events.node, "total", 0, &total) != 1)
		return;
	uint64_t t = now_us();
	for (const struct cfg_node *e = cfg_child(events.node, "event"); e; e = cfg_next(e, "event"))
		n++;
	uint64_t i = total >= n ? total - n : 0;
	for (const struct cfg_node *e = cfg_child(events.node, "event"); e;
	     e = cfg_next(e, "event"), i++) {
		if (i < events_seen || cfg_attr_u64(e, "seq", 1, &seq) != 1 || seq != 0)
			continue;
		if (!restart_node || settling || restart_key || !request_us)
			continue;
		restart_key = true;
		key_us[restarts_done] = t - request_us;
		if (restart_back)
			restart_step_done();
	}
	events_seen = total;
	if (first_key_wanted && total) {
		first_key_wanted = false;
		request_restart();
	}
}

static void next_restart(void)
{
	rpc_status_t st;

	if (!restarts_begun)
		restart_node = cfg_child(config.node, "restart");
	restarts_begun = true;
	for (; restart_node; restart_node = cfg_next(restart_node, "restart")) {
		const struct cfg_node *d = driver(cfg_attr(restart_node, "driver"));
		restarts_done = 0;
		request_us = 0;
		if (cfg_attr_u64(restart_node, "times", 1, &restarts_wanted) < 0 || !d ||
		    !restarts_wanted || restarts_wanted > MAX_RESTARTS ||
		    cfg_attr_u64(restart_node, "settle_ms", 300, &settle_ms) < 0 ||
		    cfg_attr_bool(restart_node, "events", true, &restart_events) < 0 ||
		    cfg_attr_u64(restart_node, "start_ms", 0, &start_ms) < 0 ||
		    (restart_events && start_ms) ||
		    cfg_attr_u64(d, "restarts", 0, &restart_base) != 1) {
			ok(false, "restart %s: no such driver in the report, or bad times (1..100), "
			   "settle_ms, events or start_ms (only with events=\"no\")", cfg_attr(restart_node, "driver") ? cfg_attr(restart_node, "driver")
			   : "?", 0);
			continue;
		}
		break;
	}
	if (!restart_node) {
		next_await();
		return;
	}
	if (!have_restarter && (st = reporter_open(&restarter, "restart", 4096)) != RPC_OK) {
		ok(false, "Report session 'restart': %s", rpc_status_name(st), 0);
		restart_node = 0;
		done();
		return;
	}
	have_restarter = true;
	if (!have_timer) {
		ok(false, "no Timer for <restart>%s", "", 0);
		restart_node = 0;
		done();
		return;
	}
	if (!restart_events) {
		if (start_ms) {
			settling = true;
			timer_trigger_once(timer.session, start_ms * 1000);
		} else
			request_restart();
		return;
	}
	/* the events so far are not the restarted driver's; the first restart
	 * waits until keys arrive at all (the typist has begun) */
	config_rom_update(&events);
	if (events.node)
		cfg_attr_u64(events.node, "total", 0, &events_seen);
	if (!events_seen) {
		first_key_wanted = true;
		return;
	}
	request_restart();
}

static void on_platform(void *arg)
{
	(void)arg;
	config_rom_update(&platform_rom);
	if (await_node)
		check_await();
}

static void on_state(void *arg)
{
	(void)arg;
	config_rom_update(&state_rom);
	if (await_node)
		check_await();
}

static void on_report(void *arg)
{
	(void)arg;
	if (!config_rom_update(&report) || !cfg_is(report.node, "driver_manager"))
		return;
	if (!expectations_met) {
		if (!all_hold())
			return;
		expectations_met = true;
		for (const struct cfg_node *e = cfg_child(config.node, "expect"); e;
		     e = cfg_next(e, "expect"))
			ok(true, driver(cfg_attr(e, "driver")) ? "driver %s as expected"
				 : "driver %s not installed (optional)", cfg_attr(e, "driver"), 0);
		for (const struct cfg_node *u = cfg_child(config.node, "unclaimed"); u;
		     u = cfg_next(u, "unclaimed"))
			ok(true, unless_installed(u) ? "device %s claimed by its driver"
				 : "device %s reported without a driver", cfg_attr(u, "device"), 0);
		for (const struct cfg_node *d = cfg_child(report.node, "driver"); d;
		     d = cfg_next(d, "driver"))
			if (!cfg_attr_is(d, "state", "idle") && !expected_running(cfg_attr(d, "name")))
				ok(false, "driver %s runs though no <expect> names it%lu",
				   cfg_attr(d, "name"), 0);
		next_kill();
		return;
	}
	if (await_node) {
		check_await();
		return;
	}
	if (restart_node) {
		restart_check();
		return;
	}
	if (!kill_node)
		return;
	const char *name = cfg_attr(kill_node, "driver");
	const struct cfg_node *d = driver(name);
	uint64_t r = 0;
	if (!d || cfg_attr_u64(d, "restarts", 0, &r) != 1)
		return;
	if (r > base_restarts + kills_done + 1) {
		ok(false, "%s restarted more often than killed: %lu", name, r - base_restarts);
		done();
		kill_node = 0;
		return;
	}
	if (!back && r == base_restarts + kills_done + 1 && cfg_attr_is(d, "state", "running")) {
		back = true;
		kills_done++;
		char what[64];
		snprintf(what, sizeof(what), "%s (%s)", name, hows[(kills_done - 1) % 3]);
		ok(true, "%s killed and back, restarts=%lu", what, r);
		next_kill();
	}
}

void component_construct(struct component_env *env)
{
	rpc_status_t st;

	if ((st = config_rom_open(&config, "config", 0, 0, 0)) != RPC_OK ||
	    !config_rom_update(&config) || !cfg_is(config.node, "config")) {
		log("FAIL no <config> (%s)", rpc_status_name(st));
		failed++;
		done();
		return;
	}
	if (cfg_child(config.node, "restart")) {
		/* restarts of a real driver: a Timer and the events report (unless
		 * every <restart> says events="no") */
		bool need_events = false, ev;
		for (const struct cfg_node *r = cfg_child(config.node, "restart"); r;
		     r = cfg_next(r, "restart"))
			need_events |= cfg_attr_bool(r, "events", true, &ev) < 0 || ev;
		if ((st = timer_connect(&timer, "settle")) != RPC_OK ||
		    (st = signal_handler_init(&env->ep, &settle_sigh, on_settled, 0)) != RPC_OK ||
		    (st = timer_connection_sigh(&timer, settle_sigh.cap)) != RPC_OK ||
		    (need_events &&
		     (st = config_rom_open(&events, "events", &env->ep, on_events, 0)) != RPC_OK)) {
			log("FAIL Timer and ROM events for <restart>: %s", rpc_status_name(st));
			failed++;
			done();
			return;
		}
		have_timer = true;
	}
	for (const struct cfg_node *a = cfg_child(config.node, "await"); a && !have_platform_rom;
	     a = cfg_next(a, "await"))
		if (cfg_child(a, "platform")) {
			if ((st = config_rom_open(&platform_rom, "platform", &env->ep, on_platform,
						  0)) != RPC_OK) {
				log("FAIL ROM platform for <await>: %s", rpc_status_name(st));
				failed++;
				done();
				return;
			}
			have_platform_rom = true;
		}
	for (const struct cfg_node *a = cfg_child(config.node, "await"); a && !have_state_rom;
	     a = cfg_next(a, "await"))
		if (cfg_child(a, "state")) {
			if ((st = config_rom_open(&state_rom, "drivers_state", &env->ep, on_state,
						  0)) != RPC_OK) {
				log("FAIL ROM drivers_state for <await>: %s", rpc_status_name(st));
				failed++;
				done();
				return;
			}
			have_state_rom = true;
		}
	bool kills = cfg_child(config.node, "kill") != 0;
	if ((kills && (st = reporter_open(&killer, "kill", 4096)) != RPC_OK) ||
	    (kills && (st = config_rom_open(&ready, "ready", &env->ep, on_ready, 0)) != RPC_OK) ||
	    (st = config_rom_open(&report, "driver_manager", &env->ep, on_report, 0)) != RPC_OK) {
		log("FAIL sessions: %s", rpc_status_name(st));
		failed++;
		done();
		return;
	}
	on_report(0);
}
