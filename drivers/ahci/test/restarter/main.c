/*
 * ahci_restarter (run/ahci_restart): the ahci driver killed and started
 * again by init while ahci_block_test writes and reads through the block
 * multiplexer. The nested init 'drivers' reads its config from
 * report_rom, and this component writes it: one <start name="ahci"> whose
 * version it raises RESTARTS times, so init kills ahci (its Block_driver
 * sessions close first, then its Platform session: bus mastering off, DMA
 * buffers freed) and starts it anew; the new driver opens its session for
 * the same disk and the multiplexer hands it every request that was in
 * flight again.
 *
 * Each restart waits until the multiplexer's block_devices report (ROM
 * "block_devices") shows the disk ready with the driver incarnation before
 * it, then lets it work RUN_US; after the last one it waits for the last
 * incarnation too, logs the requests the multiplexer replayed, and
 * reports <restarts done="yes" count=".."/> (report "state", which
 * ahci_block_test watches to know when to stop). Logs "ahci_restart:
 * restart N", "ahci_restart: done: N restarts, R requests replayed" and
 * "ahci_restarter: N passed, N failed".
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <report_session.h>
#include <timer_session.h>

#define RESTARTS 5
#define RUN_US 300000ul
#define POLL_US 20000ul
#define WAIT_US 60000000ul        /* for a driver to come up: then the test fails */

static const char *const drivers_config =
	"<config>\n"
	"  <parent-provides>\n"
	"    <service name=\"ROM\"/> <service name=\"LOG\"/> <service name=\"PD\"/>\n"
	"    <service name=\"CPU\"/> <service name=\"Platform\"/> <service name=\"Timer\"/>\n"
	"    <service name=\"Block_driver\"/>\n"
	"  </parent-provides>\n"
	"  <default-route> <any-service> <parent/> </any-service> </default-route>\n"
	"  <start name=\"ahci\" ram=\"12M\" caps=\"300\" version=\"%d\">\n"
	"    <binary name=\"ahci\"/> <config/>\n"
	"  </start>\n"
	"</config>\n";

static struct timer_connection timer;
static struct config_rom devices;
static unsigned passed, failed;

static void check(bool ok, const char *what)
{
	if (ok)
		passed++;
	else {
		failed++;
		log("FAIL %s", what);
	}
}

/* Wait until the report shows disk sata0 ready with at least sessions
 * driver sessions so far; *replayed: its replay count then. */
static bool wait_ready(uint64_t sessions, uint64_t *replayed)
{
	uint64_t end = elapsed_us(&timer) + WAIT_US;

	while (elapsed_us(&timer) < end) {
		if (config_rom_update(&devices)) {
			for (const struct cfg_node *d = cfg_child(devices.node, "disk"); d;
			     d = cfg_next(d, "disk")) {
				uint64_t n = 0;
				if (!cfg_attr_is(d, "name", "sata0") || !cfg_attr_is(d, "state", "ready") ||
				    cfg_attr_u64(d, "driver_sessions", 0, &n) != 1 || n < sessions)
					continue;
				cfg_attr_u64(d, "replayed", 0, replayed);
				return true;
			}
		}
		sleep_us(&timer, POLL_US);
	}
	return false;
}

void component_construct(struct component_env *env)
{
	static struct reporter rep, state;
	char doc[1024];
	uint64_t replayed = 0;
	rpc_status_t st;

	(void)env;
	st = timer_connect(&timer, "restarter");
	if (st == RPC_OK)
		st = reporter_open(&rep, "drivers.config", sizeof(doc));
	if (st == RPC_OK)
		st = reporter_open(&state, "state", 256);
	if (st == RPC_OK)
		st = config_rom_open(&devices, "block_devices", 0, 0, 0);
	if (st != RPC_OK) {
		log("FAIL no Timer, Report or ROM session: %s", rpc_status_name(st));
		log("ahci_restarter: 0 passed, 1 failed");
		return;
	}
	for (int i = 0; i <= RESTARTS; i++) {
		int n = snprintf(doc, sizeof(doc), drivers_config, i);
		check(reporter_submit(&rep, doc, (word_t)n) == RPC_OK, "submit the drivers' config");
		if (i > 0)
			log("ahci_restart: restart %d", i);
		bool up = wait_ready((uint64_t)i + 1, &replayed);
		check(up, "the disk is served again after the restart");
		if (!up || i == RESTARTS)
			break;
		sleep_us(&timer, RUN_US);
	}
	log("ahci_restart: done: %d restarts, %lu requests replayed", RESTARTS,
	    (unsigned long)replayed);
	int n = snprintf(doc, sizeof(doc), "<restarts done=\"yes\" count=\"%d\"/>", RESTARTS);
	check(reporter_submit(&state, doc, (word_t)n) == RPC_OK, "report the state");
	log("ahci_restarter: %u passed, %u failed", passed, failed);
}
