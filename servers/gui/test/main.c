/*
 * gui_test (run/gui_test, run/gui_test_q35): started by core as init
 * (testbed.h) with report_rom, platform, pci_decode, timer, event_filter,
 * ps2, gui and fb_bochs as children (ps2 -> event_filter -> gui). The
 * test is the GUI's client twice over ("red" and "blue", each a 300x200
 * buffer with a pattern the host knows, servers/gui/test/screen_check.py)
 * and steps through screens:
 *
 *   1  red's view at 100,100, blue's at 250,200 in front (overlapping)
 *   2  red raised in front of blue
 *   3  fb_bochs's config changed to 800x600 (a mode change while running)
 *   4  fb_bochs killed; while no driver runs blue.s view moves to 50,250;
 *      fb_bochs started again: the new instance must paint all of it
 *
 * After each it prints "gui_test: shot N" and waits until the host has
 * checked the screendump: the host then taps A through QMP, the GUI's
 * global key of a third client, "host" (the test's only way to hear from
 * the host). The pixels are judged on the host; the test checks the GUI's
 * own answers (mode, bad arguments), and as a Capture client of its own
 * the changed rectangles and composed pixels (GUI_0005). Then input
 * (servers/gui/test/gui_input.py types and clicks on "gui_test: input N"):
 * focus follows a click, keys reach only the focused client, A only
 * "host", the us and de keymaps of event_filter give the right characters
 * (GUI_0006, GUI_0007).
 */
#include <argil/config_rom.h>
#include <argil/rom.h>
#include <capture_session.h>
#include <gui_session.h>
#include "testbed.h"

#define MB (1024ul * 1024)
#define PRIO 100
#define ROM_MAX 16384
#define BW 300
#define BH 200

RPC_CLIENT(gui, GUI_RPC)
RPC_CLIENT(capture, CAPTURE_RPC)

#define GOT_MAX 256

struct client {
	struct tb_own s;
	uint32_t *px;
	word_t view;
	const struct input_event *in;      /* the input buffer */
	struct input_event got[GOT_MAX];   /* every event received, in order */
	unsigned ngot;
	word_t dropped;
};

static struct tb_child *rr, *platform, *decode, *timer, *filter, *ps2, *gui, *fb;
static struct client red, blue, host;
static cptr_t ntfn, bits[62];
static unsigned shots, inputs;
/* config driver="fb_boot": the boot framebuffer instead of fb_bochs;
 * driver="virtio_gpu": virtio-gpu with two scanouts (both screens) */
static bool boot, virtio;
static word_t boot_w, boot_h;
static const char *driver = "fb_bochs";

static const char *const rr_config =
	"<config>\n"
	"  <policy label=\"platform -> devices\" report=\"pci_decode -> devices\"/>\n"
	"</config>\n";

static const char *const platform_config =
	"<config>\n"
	"  <policy label=\"pci_decode\" pci_config=\"yes\"/>\n"
	"  <policy label_prefix=\"ps2\"> <device name=\"ps2\"/> </policy>\n"
	"  <policy label_prefix=\"fb_bochs\"> <pci vendor=\"0x1234\" product=\"0x1111\"/> </policy>\n"
	"  <policy label_prefix=\"fb_boot\"> <device name=\"framebuffer\"/> </policy>\n"
	"  <policy label_prefix=\"virtio_gpu\"> <pci vendor=\"0x1af4\" product=\"0x1050\"/> </policy>\n"
	"</config>\n";

static const char *const gui_config =
	"<config background=\"#202020\" xray_key=\"SCROLLLOCK\">\n"
	"  <domain name=\"apps\" layer=\"2\" color=\"#ffff00\"/>\n"
	"  <domain name=\"host\" layer=\"1\" focus=\"none\" label=\"no\"/>\n"
	"  <policy label=\"red\" domain=\"apps\"/>\n"
	"  <policy label=\"blue\" domain=\"apps\"/>\n"
	"  <policy label=\"host\" domain=\"host\"/>\n"
	"  <global-key name=\"A\" label=\"host\"/>\n"
	"</config>\n";

static const char *const filter_us = "<config keymap=\"us\" rate_ms=\"0\"/>";
static const char *const filter_de = "<config keymap=\"de\" rate_ms=\"0\"/>";

static const char *const fb_1024 = "<config width=\"1024\" height=\"768\"/>";
static const char *const fb_800 = "<config width=\"800\" height=\"600\"/>";
/* virtio_gpu: scanout 0 has the device's mode (xres, yres; at step 3 the
 * host resizes it to 800x600 as a VNC viewer does), scanout 1 (which QEMU
 * reports disabled) the config's: 1024x768, then 800x600 */
static const char *const gpu_1024 =
	"<config> <scanout id=\"1\" width=\"1024\" height=\"768\"/> </config>";
static const char *const gpu_800 =
	"<config> <scanout id=\"1\" width=\"800\" height=\"600\"/> </config>";

/* platform's ROM "devices" comes from report_rom */
static void route(struct tb_child *client, const char *service, const char *label,
		  struct tb_route *r)
{
	tb_route_default(client, service, label, r);
	if (client == platform && !strcmp(service, "ROM") && strcmp(label, "config")) {
		r->kind = TB_CHILD;
		r->server = rr;
	}
	/* ps2 -> event_filter -> gui */
	if (!strcmp(service, "Event")) {
		r->kind = TB_CHILD;
		r->server = client == ps2 ? filter : gui;
	}
	/* fb_boot's platform_info is core's, and pci_decode's (which reports
	 * its framebuffer as the device fb_boot acquires) */
	if ((client == fb || client == decode) && !strcmp(service, "ROM") &&
	    !strcmp(label, "platform_info"))
		r->kind = TB_PARENT;
}

/* the patterns screen_check.py expects */
static uint32_t red_px(unsigned x, unsigned y)
{
	return 0xff0000u | (x & 0xffu) << 8 | (y & 0xffu);
}

static uint32_t blue_px(unsigned x, unsigned y)
{
	return 0x0000ffu | (x & 0xffu) << 16 | (y & 0xffu) << 8;
}

static void input_attach(struct client *c, cptr_t sigh)
{
	word_t size, dsize, at;
	cptr_t ds;

	CHECK_OK(gui_input_ds(c->s.cap, &ds, &size));
	CHECK(size >= GUI_INPUT_MAX * sizeof(struct input_event));
	CHECK_OK(ds_info(ds, &dsize, 0, 0));
	CHECK(dsize >= size);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &at));
	c->in = (const struct input_event *)at;
	CHECK_OK(gui_input_sigh(c->s.cap, sigh));
}

/* Fetch what waits for the client into c->got. */
static void drain(struct client *c)
{
	word_t n, dropped;

	do {
		CHECK_OK(gui_input_fetch(c->s.cap, &n, &dropped));
		CHECK(n <= GUI_INPUT_MAX);
		c->dropped += dropped;
		for (word_t i = 0; i < n; i++) {
			CHECK(c->ngot < GOT_MAX);
			c->got[c->ngot++] = c->in[i];
		}
	} while (n == GUI_INPUT_MAX);
}

static void client_open(struct client *c, const char *label, uint32_t (*pattern)(unsigned, unsigned),
			long x, long y, cptr_t sigh)
{
	word_t size, dsize, at;
	cptr_t ds;

	CHECK_OK(tb_open(&c->s, gui, GUI_SERVICE, label, "", GUI_SESSION_RAM + GUI_BUFFER_COST(BW, BH),
			 GUI_SESSION_CAPS));
	input_attach(c, sigh);
	if (!pattern)
		return;
	CHECK_OK(gui_buffer(c->s.cap, BW, BH, &ds, &size));
	CHECK(size == BW * BH * 4);
	CHECK_OK(ds_info(ds, &dsize, 0, 0));
	CHECK(dsize >= size);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, ATTACH_WRITE, &at));
	c->px = (uint32_t *)at;
	for (unsigned py = 0; py < BH; py++)
		for (unsigned px = 0; px < BW; px++)
			c->px[py * BW + px] = pattern(px, py);
	CHECK_OK(gui_view_create(c->s.cap, &c->view));
	CHECK_OK(gui_view_geometry(c->s.cap, c->view, (word_t)x, (word_t)y, BW, BH));
	CHECK_OK(gui_refresh(c->s.cap, 0, 0, BW, BH));
}

/* Our config (a boot module of core's, optional) and, for fb_boot, the
 * screen platform_info describes. */
static void read_config(void)
{
	struct config_rom cfg, info;
	const struct cfg_node *n;
	uint64_t w = 0, h = 0;

	if (config_rom_open(&cfg, "config", 0, 0, 0) == RPC_OK) {
		if (cfg.node && cfg_attr(cfg.node, "driver")) {
			CHECK(!strcmp(cfg_attr(cfg.node, "driver"), "fb_boot") ||
			      !strcmp(cfg_attr(cfg.node, "driver"), "fb_bochs") ||
			      !strcmp(cfg_attr(cfg.node, "driver"), "virtio_gpu"));
			boot = !strcmp(cfg_attr(cfg.node, "driver"), "fb_boot");
			virtio = !strcmp(cfg_attr(cfg.node, "driver"), "virtio_gpu");
		}
		config_rom_close(&cfg, 0);
	}
	if (virtio)
		driver = "virtio_gpu";
	if (!boot)
		return;
	driver = "fb_boot";
	CHECK_OK(config_rom_open(&info, "platform_info", 0, 0, 0));
	CHECK(info.node);
	n = cfg_child(info.node, "framebuffer");
	CHECK(n);
	CHECK(cfg_attr_u64(n, "width", 0, &w) > 0);
	CHECK(cfg_attr_u64(n, "height", 0, &h) > 0);
	CHECK(w && h);
	boot_w = w;
	boot_h = h;
	config_rom_close(&info, 0);
	printf("gui_test: driver fb_boot, screen %lux%lu\n", boot_w, boot_h);
}

static void start_driver(const char *config)
{
	/* virtio_gpu pays a DMA buffer a screen (PLATFORM_DMA_COST) */
	if (virtio) {
		CHECK_OK(tb_start(&fb, driver, driver, 24 * MB, 300, PRIO,
				  config == fb_800 ? gpu_800 : gpu_1024));
		return;
	}
	CHECK_OK(tb_start(&fb, driver, driver, 2 * MB, 200, PRIO, boot ? "<config/>" : config));
}

static void setup(void)
{
	read_config();
	tb_route_hook = route;
	tb_signal_bits(&ntfn, bits);
	CHECK_OK(tb_start(&rr, "report_rom", "report_rom", 2 * MB, 200, PRIO, rr_config));
	CHECK(tb_wait_announce(rr, "ROM"));
	CHECK_OK(tb_start(&platform, "platform", "platform", 6 * MB, 5000, PRIO, platform_config));
	CHECK(tb_wait_announce(platform, "Platform"));
	CHECK_OK(tb_start(&decode, "pci_decode", "pci_decode", 2 * MB, 200, PRIO, "<config/>"));
	CHECK_OK(tb_start(&gui, "gui", "gui", 12 * MB, 200, PRIO, gui_config));
	CHECK(tb_wait_announce(gui, GUI_SERVICE));
	CHECK(tb_wait_announce(gui, "Event"));
	CHECK_OK(tb_start(&timer, "timer", "timer", 1 * MB, 200, PRIO, "<config/>"));
	CHECK(tb_wait_announce(timer, "Timer"));
	CHECK_OK(tb_start(&filter, "event_filter", "event_filter", 2 * MB, 200, PRIO, filter_us));
	CHECK(tb_wait_announce(filter, "Event"));
	CHECK_OK(tb_start(&ps2, "ps2", "ps2", 1 * MB, 200, PRIO, "<config/>"));
	start_driver(fb_1024);
	/* sessions of setup outlive the cases */
	client_open(&host, "host", 0, 0, 0, bits[1]);
	client_open(&red, "red", red_px, 100, 100, bits[3]);
	client_open(&blue, "blue", blue_px, 250, 200, bits[4]);
}

static unsigned count(const struct client *c, uint32_t type, uint32_t code)
{
	unsigned n = 0;

	for (unsigned i = 0; i < c->ngot; i++)
		n += c->got[i].type == type && c->got[i].code == code;
	return n;
}

/* Wait until the host tapped A the n-th time (press and release; the
 * GUI's global key, "host"'s alone). */
static void host_wait(unsigned n)
{
	for (;;) {
		drain(&host);
		if (count(&host, INPUT_RELEASE, KEY_A) >= n)
			return;
		while (!(sys_wait(ntfn) & 2))
			;
	}
}

/* Say the screen is ready and wait for the host's key. */
static void shot(void)
{
	shots++;
	printf("gui_test: shot %u\n", shots);
	host_wait(shots + inputs);
}

/* Ask the host to type (gui_input.py) and wait until it is done. */
static void input(void)
{
	inputs++;
	printf("gui_test: input %u\n", inputs);
	host_wait(shots + inputs);
	drain(&red);
	drain(&blue);
}

static void check_mode(word_t w, word_t h)
{
	word_t mw, mh;

	if (boot && w) {
		w = boot_w;
		h = boot_h;
	}
	CHECK_OK(gui_mode(red.s.cap, &mw, &mh));
	CHECK_EQ(mw, w);
	CHECK_EQ(mh, h);
}

TEST(GUI_0001, "two clients' views overlap, the later one in front")
{
	shot();
	check_mode(1024, 768);
}

TEST(GUI_0002, "a view raised comes in front; bad handles and sizes are refused")
{
	CHECK_ST(gui_view_top(red.s.cap, 99), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(gui_view_geometry(red.s.cap, 5, 0, 0, 10, 10), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(gui_view_geometry(red.s.cap, red.view, 0, 0, GUI_MAX_SIDE + 1, 10),
		 RPC_E_INVALID_ARGUMENT);
	CHECK_ST(gui_refresh(red.s.cap, GUI_MAX_SIDE + 1, 0, 1, 1), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(gui_buffer(red.s.cap, 4096, 4096, 0, 0), RPC_E_NO_RAM_QUOTA);
	CHECK_OK(gui_view_top(red.s.cap, red.view));
	shot();
}

TEST(GUI_0003, "fb_bochs changes the mode to 800x600 while running, the screen is redrawn")
{
	/* fb_boot has the boot loader's mode only: the screen stays */
	if (!boot) {
		tb_set_config(fb, virtio ? gpu_800 : fb_800);
		tb_wait_config_seen(fb);
	}
	shot();
	check_mode(800, 600);
}

TEST(GUI_0004, "fb_bochs killed, the layout changed meanwhile, a new fb_bochs paints it all")
{
	tb_destroy(fb);
	fb = 0;
	check_mode(0, 0);
	CHECK_OK(gui_view_geometry(blue.s.cap, blue.view, 50, 250, BW, BH));
	start_driver(fb_800);
	shot();
	check_mode(800, 600);
	CHECK(!tb_faulted(gui, 0));
}

TEST(GUI_0005, "a Capture client of its own: bad sizes refused, all changed first, then a refresh's rectangle with its pixels")
{
	struct tb_own c;
	word_t size, dsize, at, x, y, w, h;
	const uint32_t *px;
	cptr_t ds;

	CHECK_OK(tb_open(&c, gui, CAPTURE_SERVICE, "test", "", CAPTURE_SESSION_RAM,
			 CAPTURE_SESSION_CAPS));
	CHECK_ST(capture_screen(c.cap, 0, 10, 0, 0), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(capture_screen(c.cap, 10, CAPTURE_MAX_SIDE + 1, 0, 0), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(capture_changed(c.cap, &x, &y, &w, &h));
	CHECK_EQ(w, 0ul);                       /* no screen, nothing changed */
	CHECK_OK(capture_sigh(c.cap, bits[2]));
	CHECK_OK(capture_screen(c.cap, 512, 512, &ds, &size));
	CHECK(size == 512 * 512 * 4);
	CHECK_OK(ds_info(ds, &dsize, 0, 0));
	CHECK(dsize >= size);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &at));
	px = (const uint32_t *)at;
	CHECK_OK(capture_changed(c.cap, &x, &y, &w, &h));
	CHECK(x == 0 && y == 0 && w == 512 && h == 512);
	CHECK_OK(capture_changed(c.cap, &x, &y, &w, &h));
	CHECK_EQ(w, 0ul);
	/* red is in front since GUI_0002, at 100,100; blue behind at 50,250 */
	CHECK_EQ(px[105 * 512 + 105], red_px(5, 5));
	CHECK_EQ(px[440 * 512 + 60], blue_px(10, 190));
	CHECK_EQ(px[10 * 512 + 10], 0x202020u);
	for (unsigned i = 0; i < 10; i++)
		red.px[3 * BW + 4 + i] = 0x123456;
	CHECK_OK(gui_refresh(red.s.cap, 4, 3, 10, 1));
	while (!(sys_wait(ntfn) & 4))
		;
	CHECK_OK(capture_changed(c.cap, &x, &y, &w, &h));
	CHECK(x == 104 && y == 103 && w == 10 && h == 1);
	CHECK_EQ(px[103 * 512 + 104], 0x123456u);
	CHECK_EQ(px[103 * 512 + 114], red_px(14, 3));
	pd_detach(tb_env->pd, at);
	cap_slot_free(ds);
	CHECK_OK(tb_close(&c));
}

/* The position of the first event of c of type and code (x: for
 * GUI_EV_FOCUS, its x) from index from on; c->ngot if none. */
static unsigned find(const struct client *c, unsigned from, uint32_t type, uint32_t code)
{
	for (unsigned i = from; i < c->ngot; i++)
		if (c->got[i].type == type &&
		    (type == GUI_EV_FOCUS ? (uint32_t)c->got[i].x == code : c->got[i].code == code))
			return i;
	return c->ngot;
}

/* Characters c got from index from on, as a string. */
static void chars(const struct client *c, unsigned from, char *out, size_t size)
{
	size_t n = 0;

	for (unsigned i = from; i < c->ngot && n + 1 < size; i++)
		if (c->got[i].type == INPUT_CHAR)
			out[n++] = c->got[i].code < 0x80 ? (char)c->got[i].code : '?';
	out[n] = 0;
}

static unsigned keys_pressed(const struct client *c, unsigned from)
{
	unsigned n = 0;

	for (unsigned i = from; i < c->ngot; i++)
		n += c->got[i].type == INPUT_PRESS && c->got[i].code < 0x110;
	return n;
}

TEST(GUI_0006, "focus follows a click; keys reach only the focused client, the global key only its own")
{
	unsigned rf, rq, rp = ~0u, bf, bw;
	char s[16];

	/* a screen again (GUI_0004's driver went with its case): 800x600 */
	start_driver(fb_800);
	/* the host: a click at 200,150 (red), q, a click at 100,400 (blue: red
	 * is in front at 100,100 300x200, blue behind at 50,250), w */
	input();
	rf = find(&red, 0, GUI_EV_FOCUS, 1);
	CHECK(rf < red.ngot);
	for (unsigned i = 0; i < rf; i++)
		if (red.got[i].type == GUI_EV_POINTER)
			rp = i;
	/* the pointer from relative motion, clamped at 0,0 first */
	CHECK(rp != ~0u);
	CHECK_EQ(red.got[rp].x, 200);
	CHECK_EQ(red.got[rp].y, 150);
	CHECK_EQ((word_t)red.got[rp].code, red.view);
	CHECK(find(&red, rf, INPUT_PRESS, KEY_BTN_LEFT) < red.ngot);
	CHECK(find(&red, rf, INPUT_RELEASE, KEY_BTN_LEFT) < red.ngot);
	rq = find(&red, rf, INPUT_PRESS, KEY_Q);
	CHECK(rq < red.ngot);
	CHECK(find(&red, rq, INPUT_RELEASE, KEY_Q) < red.ngot);
	CHECK(find(&red, 0, GUI_EV_LEAVE, 0) < red.ngot);
	CHECK(find(&red, rq, GUI_EV_FOCUS, 0) < red.ngot);
	chars(&red, 0, s, sizeof(s));
	CHECK(!strcmp(s, "q"));
	CHECK_EQ(count(&red, INPUT_PRESS, KEY_W), 0u);
	bf = find(&blue, 0, GUI_EV_FOCUS, 1);
	CHECK(bf < blue.ngot);
	CHECK(find(&blue, 0, GUI_EV_FOCUS, 0) == blue.ngot);
	CHECK(find(&blue, bf, INPUT_PRESS, KEY_BTN_LEFT) < blue.ngot);
	bw = find(&blue, bf, INPUT_PRESS, KEY_W);
	CHECK(bw < blue.ngot);
	chars(&blue, 0, s, sizeof(s));
	CHECK(!strcmp(s, "w"));
	CHECK_EQ(count(&blue, INPUT_PRESS, KEY_Q), 0u);
	/* the global key A: only "host", with its character */
	CHECK_EQ(count(&red, INPUT_PRESS, KEY_A) + count(&blue, INPUT_PRESS, KEY_A), 0u);
	CHECK_EQ(count(&host, INPUT_CHAR, 'a'), shots + inputs);
	CHECK_EQ(red.dropped + blue.dropped + host.dropped, 0ul);
}

TEST(GUI_0007, "the us and de keymaps of event_filter give the focused client the right characters")
{
	unsigned r0 = red.ngot, b0 = blue.ngot;
	char s[16];

	/* the host types y z shift+2 (blue has the focus since GUI_0006) */
	input();
	chars(&blue, b0, s, sizeof(s));
	CHECK(!strcmp(s, "yz@"));
	b0 = blue.ngot;
	tb_set_config(filter, filter_de);
	tb_wait_config_seen(filter);
	input();
	chars(&blue, b0, s, sizeof(s));
	CHECK(!strcmp(s, "zy\""));
	CHECK_EQ(keys_pressed(&red, r0), 0u);
	CHECK_EQ(red.ngot, r0);
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("gui_test", setup);
}
