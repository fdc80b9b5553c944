/*
 * ticker: a demo component (run/default). On a periodic timeout of its
 * Timer session it logs "tick N" and, with report="label", publishes the
 * count as a report <ticks count="N"/> through a Report session. Config
 * (ROM "config", read once at start):
 *
 *   <config period_ms="500" ticks="10" report="ticks"/>
 *
 * period_ms: 1 to 60000 (default 1000); ticks: stop after that many (0,
 * the default: never); report: the Report session's label (none: no
 * report). With watch="name" instead, it does not tick but watches ROM 'name'
 * and logs its top node, "<type> attr="value" ...", at start and after
 * every change. A bad config is logged with its line and column and the
 * component exits with value 1; a session that cannot be had: value 2.
 * Trusts the timer for nothing but its signals, and the watched ROM for
 * nothing but bytes (parsed strictly).
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <report_session.h>
#include <argil/string.h>
#include <timer_session.h>

#define REPORT_SIZE 4096

static struct timer_connection timer;
static struct signal_handler tick_sigh;
static struct reporter reporter;
static bool reporting;
static uint64_t count, limit;

static void on_tick(void *arg)
{
	char doc[64];

	(void)arg;
	if (limit && count >= limit)
		return;   /* a tick already on its way when the timeout stopped */
	count++;
	log("tick %lu", (unsigned long)count);
	if (reporting) {
		int n = snprintf(doc, sizeof(doc), "<ticks count=\"%lu\"/>\n", (unsigned long)count);
		rpc_status_t st = reporter_submit(&reporter, doc, (word_t)n);
		if (st != RPC_OK)
			log("report: %s", rpc_status_name(st));
	}
	if (limit && count == limit) {
		timer_stop(timer.session);
		log("done after %lu ticks", (unsigned long)count);
	}
}

/* ---- watch mode ---- */

static struct config_rom watched;
static const char *watched_name;

static void show_watched(void *arg)
{
	char line[256];
	size_t len = 0;

	(void)arg;
	if (!config_rom_update(&watched)) {
		if (watched.err.msg)
			log("%s:%u:%u: %s", watched_name, watched.err.line, watched.err.col, watched.err.msg);
		else
			log("%s: empty", watched_name);
		return;
	}
	const struct cfg_node *n = watched.node;
	len = (size_t)snprintf(line, sizeof(line), "%s: %s", watched_name, n->type);
	for (const struct cfg_attr *a = n->attrs; a && len < sizeof(line); a = a->next)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " %s=\"%s\"", a->name, a->value);
	log("%s", line);
}

static void watch(struct component_env *env, const char *name)
{
	rpc_status_t st;

	watched_name = name;
	if ((st = config_rom_open(&watched, name, &env->ep, show_watched, 0)) != RPC_OK) {
		log("error: ROM session '%s': %s", name, rpc_status_name(st));
		component_exit(2);
	}
	show_watched(0);
}

static void bad(const struct cfg_node *n, const char *what)
{
	log("config:%u:%u: %s", n->line, n->col, what);
	component_exit(1);
}

void component_construct(struct component_env *env)
{
	static struct config_rom config;
	uint64_t period_ms = 1000;
	const char *label = 0;
	rpc_status_t st;

	if (config_rom_open(&config, "config", 0, 0, 0) == RPC_OK && config_rom_update(&config)) {
		const struct cfg_node *n = config.node;
		if (!cfg_is(n, "config"))
			bad(n, "expected <config>");
		for (const struct cfg_attr *a = n->attrs; a; a = a->next)
			if (strcmp(a->name, "period_ms") && strcmp(a->name, "ticks") &&
			    strcmp(a->name, "report") && strcmp(a->name, "watch")) {
				log("config:%u:%u: unknown attribute '%s'", n->line, n->col, a->name);
				component_exit(1);
			}
		if (cfg_attr_u64(n, "period_ms", 1000, &period_ms) < 0 || period_ms == 0 ||
		    period_ms > 60000)
			bad(n, "period_ms must be 1 to 60000");
		if (cfg_attr_u64(n, "ticks", 0, &limit) < 0)
			bad(n, "ticks must be a number");
		label = cfg_attr(n, "report");
		if (label && !label[0])
			bad(n, "report must not be empty");
		const char *w = cfg_attr(n, "watch");
		if (w && (!w[0] || label || cfg_has_attr(n, "period_ms") || cfg_has_attr(n, "ticks")))
			bad(n, "watch must name a ROM and comes alone");
		if (w) {
			watch(env, w);
			return;
		}
	} else if (config.err.msg) {
		log("config:%u:%u: %s", config.err.line, config.err.col, config.err.msg);
		component_exit(1);
	}
	if ((st = timer_connect(&timer, "ticker")) != RPC_OK) {
		log("error: Timer session: %s", rpc_status_name(st));
		component_exit(2);
	}
	if (label) {
		if ((st = reporter_open(&reporter, label, REPORT_SIZE)) != RPC_OK) {
			log("error: Report session '%s': %s", label, rpc_status_name(st));
			component_exit(2);
		}
		reporting = true;
	}
	if ((st = signal_handler_init(&env->ep, &tick_sigh, on_tick, 0)) != RPC_OK ||
	    (st = timer_connection_sigh(&timer, tick_sigh.cap)) != RPC_OK ||
	    (st = timer_trigger_periodic(timer.session, period_ms * 1000)) != RPC_OK) {
		log("error: periodic timeout: %s", rpc_status_name(st));
		component_exit(2);
	}
	log("ticking every %lu ms%s%s", (unsigned long)period_ms, label ? ", reporting as " : "",
	    label ? label : "");
}
