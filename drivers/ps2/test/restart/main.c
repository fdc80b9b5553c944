/*
 * ps2_restart_test (run/ps2_restart): ps2 is killed and started again
 * while a host script types through QMP (drivers/ps2/test/
 * qmp_restart_typist.py). Started by core as init (testbed.h); its
 * children are timer, report_rom, platform, pci_decode (the devices
 * report, ps2 among them), event (logs every event and reports them) and
 * ps2. The test starts ps2, lets it run for a second of the timer's
 * clock, destroys it (its Platform and Event sessions closed, the
 * device released), and again, RESTARTS times; then starts it a last
 * time, says "done", and waits until the events report shows the Esc
 * that ends the typing. Whether keys came twice or out of order is
 * checked on the host (check_restart.py) against what was typed.
 *
 * The testbed is the parent here, not init: its router thread makes the
 * root calls, so a server (platform) that closes sessions at its parent
 * while a client's session is being closed does not deadlock it.
 */
#include <argil/kernel.h>
#include <argil/rom.h>
#include <timer_session.h>
#include "testbed.h"

#define MB (1024ul * 1024)
#define PRIO 100
#define RESTARTS 5
#define RUN_US 1000000ul
#define ROM_MAX 16384

static struct tb_child *timer, *rr, *platform, *decode, *event, *ps2;
static struct tb_own timer_s, events_rom;
static cptr_t ntfn, bits[62];
static char text[ROM_MAX + 1];

static const char *const rr_config =
	"<config>\n"
	"  <policy label=\"platform -> devices\" report=\"pci_decode -> devices\"/>\n"
	"  <policy label=\"events\" report=\"event -> events\"/>\n"
	"</config>\n";

static const char *const platform_config =
	"<config>\n"
	"  <policy label=\"pci_decode\" pci_config=\"yes\"/>\n"
	"  <policy label_prefix=\"ps2\"> <device name=\"ps2\"/> </policy>\n"
	"</config>\n";

/* platform's ROM "devices" comes from report_rom */
static void route(struct tb_child *client, const char *service, const char *label,
		  struct tb_route *r)
{
	tb_route_default(client, service, label, r);
	if (client == platform && !strcmp(service, "ROM") && strcmp(label, "config")) {
		r->kind = TB_CHILD;
		r->server = rr;
	}
}

static void setup(void)
{
	tb_route_hook = route;
	tb_signal_bits(&ntfn, bits);
	CHECK_OK(tb_start(&timer, "timer", "timer", 1 * MB, 200, PRIO, "<config/>"));
	CHECK(tb_wait_announce(timer, TIMER_SERVICE));
	CHECK_OK(tb_start(&rr, "report_rom", "report_rom", 2 * MB, 200, PRIO, rr_config));
	CHECK(tb_wait_announce(rr, "ROM"));
	CHECK_OK(tb_start(&platform, "platform", "platform", 4 * MB, 400, PRIO, platform_config));
	CHECK(tb_wait_announce(platform, "Platform"));
	CHECK_OK(tb_start(&decode, "pci_decode", "pci_decode", 2 * MB, 200, PRIO, "<config/>"));
	CHECK_OK(tb_start(&event, "event", "event", 2 * MB, 200, PRIO, "<config log=\"yes\"/>"));
	CHECK(tb_wait_announce(event, "Event"));
	CHECK_OK(tb_open(&timer_s, timer, TIMER_SERVICE, "test", "", TIMER_SESSION_RAM,
			 TIMER_SESSION_CAPS));
	CHECK_OK(timer_sigh(timer_s.cap, bits[0]));
	CHECK_OK(tb_open(&events_rom, rr, "ROM", "events", "", ROM_SESSION_RAM + 2 * DS_COST(PAGES(ROM_MAX)),
			 ROM_SESSION_CAPS));
	CHECK_OK(rom_sigh(events_rom.cap, bits[1]));
}

static void sleep_timer(uint64_t us)
{
	uint64_t now, end;

	CHECK_OK(timer_elapsed(timer_s.cap, &now, 0));
	end = now + us;
	while (now < end) {
		CHECK_OK(timer_trigger_once(timer_s.cap, end - now));
		while (!(sys_wait(ntfn) & 1))
			;
		CHECK_OK(timer_elapsed(timer_s.cap, &now, 0));
	}
}

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

/* the events report's current text */
static void fetch_events(void)
{
	word_t size = 0, dsize, addr;
	cptr_t ds;

	CHECK_OK(rom_dataspace(events_rom.cap, &ds, &size));
	CHECK_OK(ds_info(ds, &dsize, 0, 0));
	CHECK(size <= dsize && size <= ROM_MAX);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &addr));
	memcpy(text, (void *)addr, size);
	text[size] = 0;
	pd_detach(tb_env->pd, addr);
	cap_slot_free(ds);
}

TEST(PS2R_0001, "ps2 killed and started again 5 times while keys are typed, then Esc arrives")
{
	for (int i = 0; i <= RESTARTS; i++) {
		CHECK_OK(tb_start(&ps2, "ps2", "ps2", 1 * MB, 200, PRIO, "<config/>"));
		if (i == RESTARTS)
			break;
		sleep_timer(RUN_US);
		CHECK(!tb_faulted(ps2, 0));
		tb_destroy(ps2);
		printf("ps2_restart: restart %d\n", i + 1);
	}
	printf("ps2_restart: done: %d restarts\n", RESTARTS);
	/* the typist finishes with Esc once it read "done" */
	for (;;) {
		fetch_events();
		if (contains(text, "type=\"release\" code=\"0x29\""))
			break;
		while (!(sys_wait(ntfn) & 2))
			;
	}
	CHECK(!tb_faulted(ps2, 0));
	tb_destroy(ps2);
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("ps2_restart_test", setup);
}
