/*
 * driver_manager_test (run/driver_manager_test*): watches driver_manager's
 * report (ROM "driver_manager") and checks it against its config:
 *
 *   <config>
 *     <expect driver="rng" state="running" devices="1"/>
 *     <unclaimed device="00:1f.3"/>
 *     <kill driver="rng" times="20"/>
 *   </config>
 *
 * First it waits for a report in which every <expect> (attributes equal)
 * and every <unclaimed> holds and no driver other than those expected
 * runs, one step each. Then, per <kill>, it publishes the report "kill"
 * (<kill driver count how/>, which the driver watches: fault, exit and
 * hang in turn) `times` times and waits each time until the report shows
 * the driver running again with one restart more (more restarts than
 * kills is a failure) and the new incarnation says it watches the kill
 * ROM (ROM "ready": <ready driver seen/>, seen = the kills so far). Ends with `driver_manager_test: N passed, N failed`.
 * Trusts the report for nothing but its values.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <report_session.h>

static struct config_rom config, report, ready;
static struct reporter killer;
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
		if (strcmp(a->name, "driver") && !cfg_attr_is(have, a->name, a->value))
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

static bool all_hold(void)
{
	for (const struct cfg_node *e = cfg_child(config.node, "expect"); e; e = cfg_next(e, "expect")) {
		const struct cfg_node *d = driver(cfg_attr(e, "driver"));
		if (!d || !attrs_hold(e, d))
			return false;
	}
	for (const struct cfg_node *u = cfg_child(config.node, "unclaimed"); u;
	     u = cfg_next(u, "unclaimed")) {
		const struct cfg_node *x;
		for (x = cfg_child(report.node, "unclaimed"); x; x = cfg_next(x, "unclaimed"))
			if (attrs_hold(u, x))
				break;
		if (!x)
			return false;
	}
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
			done();
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
			ok(true, "driver %s as expected (%lu attributes)", cfg_attr(e, "driver"), 0);
		for (const struct cfg_node *u = cfg_child(config.node, "unclaimed"); u;
		     u = cfg_next(u, "unclaimed"))
			ok(true, "device %s reported without a driver%lu", cfg_attr(u, "device"), 0);
		for (const struct cfg_node *d = cfg_child(report.node, "driver"); d;
		     d = cfg_next(d, "driver"))
			if (!cfg_attr_is(d, "state", "idle") && !expected_running(cfg_attr(d, "name")))
				ok(false, "driver %s runs though no <expect> names it%lu",
				   cfg_attr(d, "name"), 0);
		next_kill();
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
	if ((st = reporter_open(&killer, "kill", 4096)) != RPC_OK ||
	    (st = config_rom_open(&ready, "ready", &env->ep, on_ready, 0)) != RPC_OK ||
	    (st = config_rom_open(&report, "driver_manager", &env->ep, on_report, 0)) != RPC_OK) {
		log("FAIL sessions: %s", rpc_status_name(st));
		failed++;
		done();
		return;
	}
	on_report(0);
}
