/*
 * ps2_restarter (run/ps2_restart_init): ps2 killed and started again by
 * init, not by a testbed. The nested init 'drivers' reads its config from
 * report_rom, and this component writes it: one <start name="ps2"> whose
 * version goes up every second of the timer's clock, RESTARTS times, so
 * init kills ps2 (closing its Platform session, which holds the i8042's
 * I/O ports and both IRQs, and its Event session) and starts it anew.
 * Before platform deferred the closes of its own IO_PORT and IRQ sessions
 * (drivers/platform/device.c), the first restart deadlocked the top init.
 * Logs "ps2_restart: restart N" per restart and "ps2_restart: done: N
 * restarts"; the typist and check_restart.py (drivers/ps2/test) do the
 * rest, as for run/ps2_restart. A figure, no test: the guest time from a
 * restart (the config submitted) to the first event of the new ps2
 * session (seq 0 in the event server's report, ROM "events", looked at
 * every POLL_US: the figure includes up to that and the typist's gap of
 * 20 ms between events), "ps2_restart: restart N: first key after T us".
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <report_session.h>
#include <timer_session.h>

#define RESTARTS 5
#define RUN_US 1000000ul
#define POLL_US 10000ul
#define WAIT_LAST_US 20000000ul   /* how long to look for a key after the last restart */

static const char *const drivers_config =
	"<config>\n"
	"  <parent-provides>\n"
	"    <service name=\"ROM\"/> <service name=\"LOG\"/> <service name=\"PD\"/>\n"
	"    <service name=\"CPU\"/> <service name=\"Platform\"/> <service name=\"Event\"/>\n"
	"  </parent-provides>\n"
	"  <default-route> <any-service> <parent/> </any-service> </default-route>\n"
	"  <start name=\"ps2\" ram=\"1M\" caps=\"200\" version=\"%d\">\n"
	"    <binary name=\"ps2\"/> <config/>\n"
	"  </start>\n"
	"</config>\n";

static unsigned passed, failed;

static void ok(bool cond, const char *what, rpc_status_t st)
{
	if (cond) {
		passed++;
		return;
	}
	failed++;
	log("FAIL %s: %s", what, rpc_status_name(st));
}
static struct timer_connection timer;
static struct config_rom events;
static uint64_t seen_total;       /* events of the report already looked at */
static int awaiting;              /* the restart whose first key is awaited, 0: none */
static uint64_t restart_us;       /* when it was made */

/* The events report's new events: a seq 0 is a new session's first. */
static void look_at_events(void)
{
	uint64_t total = 0, seq;
	unsigned n = 0;

	if (!config_rom_update(&events) || cfg_attr_u64(events.node, "total", 0, &total) != 1)
		return;
	for (const struct cfg_node *e = cfg_child(events.node, "event"); e;
	     e = cfg_next(e, "event"))
		n++;
	/* the report keeps the last n events: total - n .. total - 1 */
	uint64_t i = total - n;
	for (const struct cfg_node *e = cfg_child(events.node, "event"); e;
	     e = cfg_next(e, "event"), i++) {
		if (i < seen_total || cfg_attr_u64(e, "seq", 1, &seq) != 1 || seq != 0 ||
		    !awaiting)
			continue;
		log("ps2_restart: restart %d: first key after %lu us", awaiting,
		    (unsigned long)(elapsed_us(&timer) - restart_us));
		awaiting = 0;
	}
	seen_total = total;
}

static void wait_polling(uint64_t us)
{
	uint64_t end = elapsed_us(&timer) + us;

	while (elapsed_us(&timer) < end) {
		rpc_status_t st = sleep_us(&timer, POLL_US);
		if (st != RPC_OK)
			ok(false, "sleep", st);
		look_at_events();
		if (us == WAIT_LAST_US && !awaiting)
			return;
	}
}


void component_construct(struct component_env *env)
{
	static struct reporter rep;
	char doc[1024];
	rpc_status_t st;

	(void)env;
	st = timer_connect(&timer, "restarter");
	ok(st == RPC_OK, "timer", st);
	st = reporter_open(&rep, "drivers.config", sizeof(doc));
	ok(st == RPC_OK, "report drivers.config", st);
	st = config_rom_open(&events, "events", 0, 0, 0);
	ok(st == RPC_OK, "ROM events", st);
	if (failed) {
		log("ps2_restarter: %u passed, %u failed", passed, failed);
		return;
	}
	for (int i = 0; i <= RESTARTS; i++) {
		int n = snprintf(doc, sizeof(doc), drivers_config, i);
		st = reporter_submit(&rep, doc, (word_t)n);
		ok(st == RPC_OK, "submit the drivers' config", st);
		if (i > 0) {
			log("ps2_restart: restart %d", i);
			if (awaiting)
				log("ps2_restart: restart %d: no key arrived", awaiting);
			awaiting = i;
			restart_us = elapsed_us(&timer);
		}
		if (i == RESTARTS)
			break;
		wait_polling(RUN_US);
	}
	log("ps2_restart: done: %d restarts", RESTARTS);
	wait_polling(WAIT_LAST_US);
	if (awaiting)
		log("ps2_restart: restart %d: no key arrived", awaiting);
	log("ps2_restarter: %u passed, %u failed", passed, failed);
}
