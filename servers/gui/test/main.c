/*
 * gui_test (run/gui_test, run/gui_test_q35): started by core as init
 * (testbed.h) with report_rom, platform, pci_decode, event, ps2, gui and
 * fb_bochs as children. The test is the GUI's client twice over
 * ("red" and "blue", each a 300x200 buffer with a pattern the host knows,
 * servers/gui/test/screen_check.py) and steps through screens:
 *
 *   1  red's view at 100,100, blue's at 250,200 in front (overlapping)
 *   2  red raised in front of blue
 *   3  fb_bochs's config changed to 800x600 (a mode change while running)
 *   4  fb_bochs killed; while no driver runs blue.s view moves to 50,250;
 *      fb_bochs started again: the new instance must paint all of it
 *
 * After each it prints "gui_test: shot N" and waits until the host has
 * checked the screendump: the host then taps a key through QMP, which
 * ps2 and the event server put into the events report (the test's only
 * way to hear from the host). The pixels are judged on the host; the
 * test checks the GUI's own answers (mode, bad arguments), and as a
 * Capture client of its own the changed rectangles and composed pixels
 * (GUI_0005).
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

struct client {
	struct tb_own s;
	uint32_t *px;
	word_t view;
};

static struct tb_child *rr, *platform, *decode, *event, *ps2, *gui, *fb;
static struct tb_own events_rom;
static struct client red, blue;
static cptr_t ntfn, bits[62];
static char text[ROM_MAX + 1];
static unsigned shots;
/* config driver="fb_boot": the boot framebuffer instead of fb_bochs;
 * driver="virtio_gpu": virtio-gpu with two scanouts (both screens) */
static bool boot, virtio;
static word_t boot_w, boot_h;
static const char *driver = "fb_bochs";

static const char *const rr_config =
	"<config>\n"
	"  <policy label=\"platform -> devices\" report=\"pci_decode -> devices\"/>\n"
	"  <policy label=\"events\" report=\"event -> events\"/>\n"
	"</config>\n";

static const char *const platform_config =
	"<config>\n"
	"  <policy label=\"pci_decode\" pci_config=\"yes\"/>\n"
	"  <policy label_prefix=\"ps2\"> <device name=\"ps2\"/> </policy>\n"
	"  <policy label_prefix=\"fb_bochs\"> <pci vendor=\"0x1234\" product=\"0x1111\"/> </policy>\n"
	"  <policy label_prefix=\"fb_boot\"> <device name=\"framebuffer\"/> </policy>\n"
	"  <policy label_prefix=\"virtio_gpu\"> <pci vendor=\"0x1af4\" product=\"0x1050\"/> </policy>\n"
	"</config>\n";

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

static void client_open(struct client *c, const char *label, uint32_t (*pattern)(unsigned, unsigned),
			long x, long y)
{
	word_t size, dsize, at;
	cptr_t ds;

	CHECK_OK(tb_open(&c->s, gui, GUI_SERVICE, label, "", GUI_SESSION_RAM + GUI_BUFFER_COST(BW, BH),
			 GUI_SESSION_CAPS));
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
	CHECK_OK(tb_start(&event, "event", "event", 2 * MB, 200, PRIO, "<config/>"));
	CHECK(tb_wait_announce(event, "Event"));
	CHECK_OK(tb_start(&ps2, "ps2", "ps2", 1 * MB, 200, PRIO, "<config/>"));
	CHECK_OK(tb_start(&gui, "gui", "gui", 12 * MB, 200, PRIO, "<config background=\"#202020\"/>"));
	CHECK(tb_wait_announce(gui, GUI_SERVICE));
	start_driver(fb_1024);
	CHECK_OK(tb_open(&events_rom, rr, "ROM", "events", "", ROM_SESSION_RAM + 2 * DS_COST(PAGES(ROM_MAX)),
			 ROM_SESSION_CAPS));
	CHECK_OK(rom_sigh(events_rom.cap, bits[1]));
	/* sessions of setup outlive the cases */
	client_open(&red, "red", red_px, 100, 100);
	client_open(&blue, "blue", blue_px, 250, 200);
}

/* total="N" of the events report */
static unsigned long events_total(void)
{
	word_t size = 0, dsize, addr;
	const char *t;
	unsigned long n = 0;
	cptr_t ds;

	CHECK_OK(rom_dataspace(events_rom.cap, &ds, &size));
	CHECK_OK(ds_info(ds, &dsize, 0, 0));
	CHECK(size <= dsize && size <= ROM_MAX);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &addr));
	memcpy(text, (void *)addr, size);
	text[size] = 0;
	pd_detach(tb_env->pd, addr);
	cap_slot_free(ds);
	for (t = text; *t && strncmp(t, "total=\"", 7); t++)
		;
	if (!*t)
		return 0;
	for (t += 7; *t >= '0' && *t <= '9'; t++)
		n = n * 10 + (unsigned long)(*t - '0');
	return n;
}

/* Say the screen is ready and wait for the host's key (press, release). */
static void shot(void)
{
	shots++;
	printf("gui_test: shot %u\n", shots);
	while (events_total() < 2 * shots)
		while (!(sys_wait(ntfn) & 2))
			;
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

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("gui_test", setup);
}
