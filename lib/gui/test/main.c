/*
 * gui_text_test (run/gui_text_test): started by core as init (testbed.h)
 * with report_rom, platform, pci_decode, event, ps2, gui and fb_bochs as
 * children. It draws lib/gui's test scene (scene.c: text in DejaVu Sans
 * and Mono from the boot modules sans.ttf and mono.ttf, a monospace grid,
 * blending, a dialog after a series of input events) into its GUI buffer,
 * shows it in a view at 64,48 and prints "gui_text_test: shot 1". The
 * host (lib/gui/test/screen_check.py) then compares QEMU's screendump
 * with the same scene rendered on the host by tools/gui_render and taps a
 * key through QMP when every pixel matches; ps2 and the event server put
 * the key into the events report, which the test waits for.
 */
#include <argil/rom.h>
#include <gui_session.h>
#include "testbed.h"
#include "scene.h"
#include <string.h>

#define MB (1024ul * 1024)
#define PRIO 100
#define ROM_MAX 16384
#define VIEW_X 64
#define VIEW_Y 48

RPC_CLIENT(gui, GUI_RPC)

static struct tb_child *rr, *platform, *decode, *event, *ps2, *gui, *fb;
static struct tb_own events_rom, client;
static cptr_t ntfn, bits[62];
static char text[ROM_MAX + 1];
static struct attached_rom sans, mono;

static const char *const rr_config =
	"<config>\n"
	"  <policy label=\"platform -> devices\" report=\"pci_decode -> devices\"/>\n"
	"  <policy label=\"events\" report=\"event -> events\"/>\n"
	"</config>\n";

/* one domain for the test's session; no x-ray key, no pointer drawn */
static const char *const gui_config =
	"<config background=\"#202020\" pointer=\"no\">\n"
	"  <domain name=\"apps\" layer=\"1\"/>\n"
	"  <policy label=\"text\" domain=\"apps\"/>\n"
	"</config>\n";

static const char *const platform_config =
	"<config>\n"
	"  <policy label=\"pci_decode\" pci_config=\"yes\"/>\n"
	"  <policy label_prefix=\"ps2\"> <device name=\"ps2\"/> </policy>\n"
	"  <policy label_prefix=\"fb_bochs\"> <pci vendor=\"0x1234\" product=\"0x1111\"/> </policy>\n"
	"</config>\n";

/* platform's ROM "devices" comes from report_rom */
static void route(struct tb_child *c, const char *service, const char *label, struct tb_route *r)
{
	tb_route_default(c, service, label, r);
	if (c == platform && !strcmp(service, "ROM") && strcmp(label, "config")) {
		r->kind = TB_CHILD;
		r->server = rr;
	}
	/* the GUI server serves Event too: ps2's keys go to the event server,
	 * whose report is the test's line to the host */
	if (!strcmp(service, "Event")) {
		r->kind = TB_CHILD;
		r->server = event;
	}
}

static void setup(void)
{
	tb_route_hook = route;
	tb_signal_bits(&ntfn, bits);
	CHECK_OK(attached_rom_open(&sans, "sans.ttf"));
	CHECK_OK(attached_rom_open(&mono, "mono.ttf"));
	CHECK_OK(tb_start(&rr, "report_rom", "report_rom", 2 * MB, 200, PRIO, rr_config));
	CHECK(tb_wait_announce(rr, "ROM"));
	CHECK_OK(tb_start(&platform, "platform", "platform", 6 * MB, 5000, PRIO, platform_config));
	CHECK(tb_wait_announce(platform, "Platform"));
	CHECK_OK(tb_start(&decode, "pci_decode", "pci_decode", 2 * MB, 200, PRIO, "<config/>"));
	CHECK_OK(tb_start(&event, "event", "event", 2 * MB, 200, PRIO, "<config/>"));
	CHECK(tb_wait_announce(event, "Event"));
	CHECK_OK(tb_start(&ps2, "ps2", "ps2", 1 * MB, 200, PRIO, "<config/>"));
	CHECK_OK(tb_start(&gui, "gui", "gui", 8 * MB, 200, PRIO, gui_config));
	CHECK(tb_wait_announce(gui, GUI_SERVICE));
	CHECK_OK(tb_start(&fb, "fb_bochs", "fb_bochs", 2 * MB, 200, PRIO,
	                  "<config width=\"1024\" height=\"768\"/>"));
	CHECK_OK(tb_open(&events_rom, rr, "ROM", "events", "", ROM_SESSION_RAM + 2 * DS_COST(PAGES(ROM_MAX)),
	                 ROM_SESSION_CAPS));
	CHECK_OK(rom_sigh(events_rom.cap, bits[1]));
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

/* each line of s as a log line of its own */
static void print_lines(const char *prefix, const char *s)
{
	while (*s) {
		const char *e = strchr(s, '\n');
		int n = e ? (int)(e - s) : (int)strlen(s);
		printf("%s%.*s\n", prefix, n, s);
		s += n + (e ? 1 : 0);
	}
}

TEST(GUIT_0001, "text and a dialog drawn by lib/gui reach the screen exactly as the host renders them")
{
	static struct scene_result res;
	word_t size, dsize, at, view;
	cptr_t ds;

	CHECK_OK(tb_open(&client, gui, GUI_SERVICE, "text", "",
	                 GUI_SESSION_RAM + GUI_BUFFER_COST(SCENE_W, SCENE_H), GUI_SESSION_CAPS));
	CHECK_OK(gui_buffer(client.cap, SCENE_W, SCENE_H, &ds, &size));
	CHECK(size == SCENE_W * SCENE_H * 4);
	CHECK_OK(ds_info(ds, &dsize, 0, 0));
	CHECK(dsize >= size);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, ATTACH_WRITE, &at));
	scene_draw((uint32_t *)at, sans.data, sans.size, mono.data, mono.size, &res);
	CHECK_MSG(!res.error, "scene: %s", res.error);
	printf("gui_text_test: %u glyphs drawn, %u rasterized\n", res.glyphs_drawn, res.glyphs_rendered);
	print_lines("gui_text_test: report: ", res.report);
	CHECK_OK(gui_view_create(client.cap, &view));
	CHECK_OK(gui_view_geometry(client.cap, view, VIEW_X, VIEW_Y, SCENE_W, SCENE_H));
	CHECK_OK(gui_refresh(client.cap, 0, 0, SCENE_W, SCENE_H));
	printf("gui_text_test: shot 1\n");
	while (events_total() < 2)
		while (!(sys_wait(ntfn) & 2))
			;
	pd_detach(tb_env->pd, at);
	cap_slot_free(ds);
	CHECK_OK(tb_close(&client));
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("gui_text_test", setup);
}
