/*
 * display_restart_test (run/display_restart): two GUI clients ("red" and
 * "blue", 300x200 buffers with the patterns of servers/gui/test/
 * screen_check.py, views at 100,100 and 250,200) while driver_manager
 * restarts the display driver and the input driver on request.
 *
 *   1  driver_manager's report must show the expected display driver
 *      running (config display="fb_bochs"), the fallback fb_boot idle
 *      with no device (config fallback="idle") or fb_boot running (config
 *      fallback="running"), and the input driver ps2 running; then
 *      "display_restart: shot 1": the host checks the screen
 *      (screen_check.py 1) and taps a key (QMP), which reaches the events
 *      report through ps2 and the event server.
 *   2  the display driver restarted on request (report "restart"); once
 *      the report shows it running with one restart more: shot 2, the
 *      same screen (the new instance must have painted it: the device's
 *      memory is cleared or reset when it sets its mode).
 *   3  the same for ps2; shot 3: the host's key must arrive through the
 *      new ps2 instance.
 *   4  with config plug="yes" (fb_boot running): "display_restart: plug",
 *      on which the host hot-plugs a Bochs display; driver_manager must
 *      stop fb_boot and start fb_bochs, the report show fb_boot idle
 *      without a device; shot 4 (the host checks the new display). The
 *      clients' mode changes here to fb_bochs's: that one is allowed.
 *
 * All along the clients refresh their buffers and ask GUI_MODE every
 * 10 ms: every call must succeed and the mode stay the driver's (the
 * clients notice nothing; while no display driver has a screen the GUI
 * server answers 0x0, which is counted and logged, not an error). Ends with "display_restart: N passed, N
 * failed". Trusts the reports for nothing but their values.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <gui_session.h>
#include <report_session.h>
#include <timer_session.h>

#define BW 300
#define BH 200
#define POLL_US 10000

struct client {
	struct gui_connection g;
	word_t view;
};

static struct timer_connection timer;
static struct config_rom config, report, events;
static struct reporter restarter;
static struct client red, blue;
static unsigned passed, failed, shots, calls, call_errors, no_screen;
static word_t mode_w, mode_h;
static bool watch_mode;            /* from the display driver's first mode on */
static word_t last_w;              /* the width GUI_MODE said last */
static const char *display;

static void ok(bool cond, const char *what)
{
	if (cond)
		passed++;
	else
		failed++;
	log("%s %s", cond ? "ok" : "FAIL", what);
}

static void finish(void)
{
	log("display_restart: %u passed, %u failed", passed, failed);
	component_exit(failed ? 1 : 0);
}

static uint32_t red_px(unsigned x, unsigned y)
{
	return 0xff0000u | (x & 0xffu) << 8 | (y & 0xffu);
}

static uint32_t blue_px(unsigned x, unsigned y)
{
	return 0x0000ffu | (x & 0xffu) << 16 | (y & 0xffu) << 8;
}

static bool client_open(struct client *c, const char *label, uint32_t (*pattern)(unsigned, unsigned),
			long x, long y)
{
	if (gui_connect(&c->g, label, BW, BH) != RPC_OK || gui_set_buffer(&c->g, BW, BH) != RPC_OK)
		return false;
	for (unsigned py = 0; py < BH; py++)
		for (unsigned px = 0; px < BW; px++)
			c->g.pixels[py * BW + px] = pattern(px, py);
	return gui_view_create(c->g.session, &c->view) == RPC_OK &&
	       gui_view_geometry(c->g.session, c->view, (word_t)x, (word_t)y, BW, BH) == RPC_OK &&
	       gui_refresh(c->g.session, 0, 0, BW, BH) == RPC_OK;
}

/* What a client does all along: refresh a strip of its (unchanged)
 * buffer and ask the mode. Errors and a mode other than the first are
 * counted. */
static void client_work(struct client *c)
{
	word_t w = 0, h = 0;

	calls++;
	if (gui_refresh(c->g.session, 0, calls % BH, BW, 1) != RPC_OK ||
	    gui_mode(c->g.session, &w, &h) != RPC_OK) {
		call_errors++;
		return;
	}
	last_w = w;
	if (!watch_mode)
		return;
	if (!w && !h) {
		no_screen++;       /* between a driver's end and its successor's screen */
	} else if (!mode_w) {
		mode_w = w;
		mode_h = h;
	} else if (w != mode_w || h != mode_h) {
		log("the clients see the mode %lux%lu instead of %lux%lu", w, h, mode_w, mode_h);
		call_errors++;
	}
}

/* One poll interval: the clients work, the ROMs are fetched anew. */
static void tick(void)
{
	client_work(&red);
	client_work(&blue);
	sleep_us(&timer, POLL_US);
	config_rom_update(&report);
	config_rom_update(&events);
}

static const struct cfg_node *driver(const char *name)
{
	for (const struct cfg_node *d = cfg_child(report.node, "driver"); d; d = cfg_next(d, "driver"))
		if (cfg_attr_is(d, "name", name))
			return d;
	return 0;
}

static uint64_t restarts(const char *name)
{
	uint64_t r = 0;
	const struct cfg_node *d = driver(name);

	if (d)
		cfg_attr_u64(d, "restarts", 0, &r);
	return r;
}

static bool running(const char *name)
{
	const struct cfg_node *d = driver(name);
	return d && cfg_attr_is(d, "state", "running");
}

static uint64_t events_total(void)
{
	uint64_t n = 0;

	if (events.node)
		cfg_attr_u64(events.node, "total", 0, &n);
	return n;
}

/* Say the screen is ready, wait for the host's key (press, release). */
static void shot(void)
{
	shots++;
	log("display_restart: shot %u", shots);
	while (events_total() < 2 * shots)
		tick();
}

static void restart(const char *name, uint64_t count)
{
	char doc[160];
	uint64_t before = restarts(name);
	int n = snprintf(doc, sizeof(doc), "<restart> <driver name=\"%s\" count=\"%lu\"/> </restart>\n",
			 name, (unsigned long)count);

	if (reporter_submit(&restarter, doc, (word_t)n) != RPC_OK) {
		ok(false, "restart request submitted");
		finish();
	}
	/* the request is seen when the restart count rises; then up again */
	while (restarts(name) <= before)
		tick();
	while (!running(name))
		tick();
	/* the old instance's screen is gone (its Capture session closed when
	 * init destroyed it); the new one has set its mode once GUI_MODE
	 * names a screen again */
	if (!strcmp(name, display))
		do
			tick();  /* GUI_MODE asked after the report said running */
		while (!last_w);
	log("%s restarted (%lu restarts)", name, (unsigned long)restarts(name));
}

void component_construct(struct component_env *env)
{
	const char *fallback;
	bool plug = false;
	rpc_status_t st;

	(void)env;
	if (config_rom_open(&config, "config", 0, 0, 0) != RPC_OK || !config.node ||
	    !(display = cfg_attr(config.node, "display")) ||
	    !(fallback = cfg_attr(config.node, "fallback")) ||
	    (strcmp(fallback, "idle") && strcmp(fallback, "running")) ||
	    cfg_attr_bool(config.node, "plug", false, &plug) < 0) {
		log("error: config: <config display=\"driver\" fallback=\"idle|running\" "
		    "[plug=\"yes\"]/> needed");
		component_exit(1);
	}
	st = timer_connect(&timer, "");
	if (st == RPC_OK)
		st = config_rom_open(&report, "driver_manager", 0, 0, 0);
	if (st == RPC_OK)
		st = config_rom_open(&events, "events", 0, 0, 0);
	if (st == RPC_OK)
		st = reporter_open(&restarter, "restart", 4096);
	if (st != RPC_OK) {
		log("error: sessions: %s", rpc_status_name(st));
		component_exit(1);
	}
	/* the content there at driver_manager's start only sets the counts */
	reporter_submit(&restarter, "<restart/>\n", 11);
	ok(client_open(&red, "red", red_px, 100, 100) && client_open(&blue, "blue", blue_px, 250, 200),
	   "two clients with their views");
	while (!running(display) || !running("ps2"))
		tick();
	/* the mode is the driver's once it runs; from now on it must stay */
	watch_mode = true;
	ok(true, "display and input drivers running");
	const struct cfg_node *fb = driver("fb_boot");
	if (!strcmp(fallback, "idle"))
		ok(fb && cfg_attr_is(fb, "state", "idle") && cfg_attr_is(fb, "devices", "0"),
		   "the fallback fb_boot idle without a device");
	else
		ok(fb && running("fb_boot"), "the fallback fb_boot running");
	shot();
	ok(call_errors == 0 && mode_w, "screen 1 checked by the host, the clients undisturbed");

	restart(display, 1);
	shot();
	ok(call_errors == 0, "display driver restarted, the same screen again, the clients undisturbed");

	restart("ps2", 1);
	shot();
	ok(call_errors == 0, "ps2 restarted, the host's key came through the new instance");

	if (plug) {
		log("display_restart: plug");
		while (!running("fb_bochs") || !driver("fb_boot") ||
		       !cfg_attr_is(driver("fb_boot"), "state", "idle"))
			tick();
		/* the new display's mode, learnt anew */
		mode_w = 0;
		do
			tick();
		while (!last_w);
		ok(cfg_attr_is(driver("fb_boot"), "devices", "0"),
		   "a Bochs display plugged: fb_boot stopped, fb_bochs running");
		shot();
		ok(call_errors == 0, "the new display shows the clients, the clients undisturbed");
	}
	log("display_restart: %u client calls, %u errors, %u times no screen (mode 0x0)", calls,
	    call_errors, no_screen);
	finish();
}
