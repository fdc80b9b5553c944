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
 * rest, as for run/ps2_restart.
 */
#include <argil/component.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <report_session.h>
#include <timer_session.h>

#define RESTARTS 5
#define RUN_US 1000000ul

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

void component_construct(struct component_env *env)
{
	static struct timer_connection timer;
	static struct reporter rep;
	char doc[1024];
	rpc_status_t st;

	(void)env;
	st = timer_connect(&timer, "restarter");
	ok(st == RPC_OK, "timer", st);
	st = reporter_open(&rep, "drivers.config", sizeof(doc));
	ok(st == RPC_OK, "report drivers.config", st);
	if (failed) {
		log("ps2_restarter: %u passed, %u failed", passed, failed);
		return;
	}
	for (int i = 0; i <= RESTARTS; i++) {
		int n = snprintf(doc, sizeof(doc), drivers_config, i);
		st = reporter_submit(&rep, doc, (word_t)n);
		ok(st == RPC_OK, "submit the drivers' config", st);
		if (i > 0)
			log("ps2_restart: restart %d", i);
		if (i == RESTARTS)
			break;
		st = sleep_us(&timer, RUN_US);
		ok(st == RPC_OK, "sleep", st);
	}
	log("ps2_restart: done: %d restarts", RESTARTS);
	log("ps2_restarter: %u passed, %u failed", passed, failed);
}
