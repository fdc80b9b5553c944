/*
 * trusted_path_test (run/trusted_path_test): started by core as init
 * (testbed.h) with report_rom, platform, pci_decode, ps2, gui and fb_bochs
 * as children (ps2 -> gui directly). The test is three GUI clients:
 * "bank" (domain bank, layer 1, green), "evil" (domain apps, layer 2,
 * red: the hostile one) and "host" (the global key A: the host's signal
 * that it is done). The host side, servers/gui/test/trusted_check.py,
 * judges the screens (QMP screendumps) and types (QMP input-send-event).
 *
 *   TP_0001  evil's views (one over the whole screen and beyond, one over
 *            bank's, one over the place of bank's label bar) raised and
 *            created after bank's: bank stays in front (screen "normal")
 *   TP_0002  evil cannot name bank's buffer or views: its own buffer and
 *            input buffer hold nothing of bank's, other handles refused
 *   TP_0003  bank clicked and typed to: evil gets no key, no button
 *   TP_0004  evil clicked (it has the focus), the x-ray key held: the
 *            screen shows every view framed in its domain's colour under
 *            its label bar, bank dimmed, bank's bar over evil's view,
 *            the full-screen view's frame and bar on the screen's edges
 *            (screen "xray"); evil never gets the x-ray key
 *   TP_0005  a second GUI server with focus="rom": the focus follows the
 *            ROM "focus" (a report of the test's through report_rom)
 *   TP_0006  a third one, the test its Capture and Event client: domains
 *            of origin="screen" (a backdrop) and origin="pointer" (a
 *            pointer shape), the pointer from absolute and relative
 *            events (clamped), malformed batches refused
 *   TP_0007  a fourth one, its config changed while running (testbed's
 *            dynamic config ROM): background, layers, domain colours (x-ray
 *            frames) and a global key change at once, all of the screen
 *            recomposed; a malformed config (the error line is the run
 *            file's expect) changes nothing; a session whose domain and
 *            policy went keeps its domain until it closes
 *   TP_0008  a fifth one: a click on a view of a focus="transient" domain
 *            gives its session the keys while the button is held, after
 *            the release they go back to the session focused before
 */
#include <capture_session.h>
#include <event_session.h>
#include <gui_session.h>
#include "testbed.h"

#define MB (1024ul * 1024)
#define PRIO 100
#define GOT_MAX 256

RPC_CLIENT(gui, GUI_RPC)
RPC_CLIENT(capture, CAPTURE_RPC)

struct client {
	struct tb_own s;
	uint32_t *px;
	word_t w, h;
	const struct input_event *in;
	struct input_event got[GOT_MAX];
	unsigned ngot;
};

static struct tb_child *rr, *platform, *decode, *ps2, *gui, *fb;
static struct client bank, evil, host;
static word_t bank_view, evil_a, evil_b, evil_c;
static cptr_t ntfn, bits[62];
static unsigned signals;

static const char *const rr_config =
	"<config>\n"
	"  <policy label=\"platform -> devices\" report=\"pci_decode -> devices\"/>\n"
	"  <policy label=\"gui_rom -> focus\" report=\"test -> focus\"/>\n"
	"</config>\n";

static const char *const platform_config =
	"<config>\n"
	"  <policy label=\"pci_decode\" pci_config=\"yes\"/>\n"
	"  <policy label_prefix=\"ps2\"> <device name=\"ps2\"/> </policy>\n"
	"  <policy label_prefix=\"fb_bochs\"> <pci vendor=\"0x1234\" product=\"0x1111\"/> </policy>\n"
	"</config>\n";

static const char *const gui_config =
	"<config background=\"#202020\" xray_key=\"SCROLLLOCK\">\n"
	"  <domain name=\"host\" layer=\"0\" focus=\"none\" label=\"no\"/>\n"
	"  <domain name=\"bank\" layer=\"1\" color=\"#00c000\"/>\n"
	"  <domain name=\"apps\" layer=\"2\" color=\"#c00000\"/>\n"
	"  <policy label=\"host\" domain=\"host\"/>\n"
	"  <policy label=\"bank\" domain=\"bank\"/>\n"
	"  <policy label=\"evil\" domain=\"apps\"/>\n"
	"  <global-key name=\"A\" label=\"host\"/>\n"
	"</config>\n";

static void route(struct tb_child *client, const char *service, const char *label,
		  struct tb_route *r)
{
	tb_route_default(client, service, label, r);
	if (client == platform && !strcmp(service, "ROM") && strcmp(label, "config")) {
		r->kind = TB_CHILD;
		r->server = rr;
	}
	/* the labels' font is core's boot module */
	if (client == gui && !strcmp(service, "ROM") && !strcmp(label, "font"))
		r->kind = TB_PARENT;
}

/* the patterns trusted_check.py expects */
static uint32_t bank_px(unsigned x, unsigned y)
{
	return (x & 0xffu) << 16 | 0xc000u | (y & 0xffu);
}

static uint32_t evil_px(unsigned x, unsigned y)
{
	return 0xc00000u | (y & 0xffu) << 8 | (x & 0xffu);
}

static void client_open(struct client *c, struct tb_child *server, const char *label, word_t w,
			word_t h, uint32_t (*pattern)(unsigned, unsigned), cptr_t sigh)
{
	word_t size, dsize, at;
	cptr_t ds;

	CHECK_OK(tb_open(&c->s, server, GUI_SERVICE, label, "", GUI_SESSION_RAM + GUI_BUFFER_COST(w, h),
			 GUI_SESSION_CAPS));
	CHECK_OK(gui_input_ds(c->s.cap, &ds, &size));
	CHECK(size >= GUI_INPUT_MAX * sizeof(struct input_event));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &at));
	c->in = (const struct input_event *)at;
	CHECK_OK(gui_input_sigh(c->s.cap, sigh));
	if (!pattern)
		return;
	CHECK_OK(gui_buffer(c->s.cap, w, h, &ds, &size));
	CHECK(size == w * h * 4);
	CHECK_OK(ds_info(ds, &dsize, 0, 0));
	CHECK(dsize >= size);
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, ATTACH_WRITE, &at));
	c->px = (uint32_t *)at;
	c->w = w;
	c->h = h;
	for (unsigned y = 0; y < h; y++)
		for (unsigned x = 0; x < w; x++)
			c->px[y * w + x] = pattern(x, y);
}

static void drain(struct client *c)
{
	word_t n, dropped;

	do {
		CHECK_OK(gui_input_fetch(c->s.cap, &n, &dropped));
		CHECK(n <= GUI_INPUT_MAX);
		CHECK_EQ(dropped, 0ul);
		for (word_t i = 0; i < n; i++) {
			CHECK(c->ngot < GOT_MAX);
			c->got[c->ngot++] = c->in[i];
		}
	} while (n == GUI_INPUT_MAX);
}

static unsigned count(const struct client *c, unsigned from, uint32_t type, uint32_t code)
{
	unsigned n = 0;

	for (unsigned i = from; i < c->ngot; i++)
		n += c->got[i].type == type && (type == GUI_EV_FOCUS ? (uint32_t)c->got[i].x == code
								      : c->got[i].code == code);
	return n;
}

/* "trusted_path_test: host NAME" starts trusted_check.py NAME; wait
 * until it tapped A (the global key of "host"). */
static void host_step(const char *name)
{
	signals++;
	printf("trusted_path_test: host %s\n", name);
	for (;;) {
		drain(&host);
		if (count(&host, 0, INPUT_RELEASE, KEY_A) >= signals)
			break;
		while (!(sys_wait(ntfn) & 2))
			;
	}
	drain(&bank);
	drain(&evil);
}

static void setup(void)
{
	tb_route_hook = route;
	tb_signal_bits(&ntfn, bits);
	CHECK_OK(tb_start(&rr, "report_rom", "report_rom", 2 * MB, 200, PRIO, rr_config));
	CHECK(tb_wait_announce(rr, "ROM"));
	CHECK_OK(tb_start(&platform, "platform", "platform", 6 * MB, 5000, PRIO, platform_config));
	CHECK(tb_wait_announce(platform, "Platform"));
	CHECK_OK(tb_start(&decode, "pci_decode", "pci_decode", 2 * MB, 200, PRIO, "<config/>"));
	CHECK_OK(tb_start(&gui, "gui", "gui", 12 * MB, 200, PRIO, gui_config));
	CHECK(tb_wait_announce(gui, "Event"));
	CHECK_OK(tb_start(&ps2, "ps2", "ps2", 1 * MB, 200, PRIO, "<config/>"));
	CHECK_OK(tb_start(&fb, "fb_bochs", "fb_bochs", 2 * MB, 200, PRIO,
			  "<config width=\"1024\" height=\"768\"/>"));
	client_open(&host, gui, "host", 0, 0, 0, bits[1]);
	client_open(&bank, gui, "bank", 300, 200, bank_px, bits[3]);
	client_open(&evil, gui, "evil", 400, 300, evil_px, bits[4]);
}

TEST(TP_0001, "a hostile client cannot stack its views over a domain in front of its own")
{
	/* bank first, then evil's views, created later and raised */
	CHECK_OK(gui_view_create(bank.s.cap, &bank_view));
	CHECK_OK(gui_view_geometry(bank.s.cap, bank_view, 200, 200, 300, 200));
	CHECK_OK(gui_refresh(bank.s.cap, 0, 0, 300, 200));
	/* over the whole screen and beyond its edges, where its x-ray frame
	 * and bar would be if they were not kept on the screen */
	CHECK_OK(gui_view_create(evil.s.cap, &evil_c));
	CHECK_OK(gui_view_geometry(evil.s.cap, evil_c, (word_t)-100, (word_t)-100, 1300, 1000));
	CHECK_OK(gui_view_create(evil.s.cap, &evil_a));
	CHECK_OK(gui_view_geometry(evil.s.cap, evil_a, 150, 150, 400, 300));
	/* over where bank's label bar is in x-ray mode (above its frame) */
	CHECK_OK(gui_view_create(evil.s.cap, &evil_b));
	CHECK_OK(gui_view_geometry(evil.s.cap, evil_b, 190, 170, 320, 40));
	CHECK_OK(gui_view_top(evil.s.cap, evil_a));
	CHECK_OK(gui_view_top(evil.s.cap, evil_b));
	CHECK_OK(gui_refresh(evil.s.cap, 0, 0, 400, 300));
	host_step("normal");
}

TEST(TP_0002, "a hostile client cannot name another's buffer or views")
{
	word_t size, at, v;
	const uint32_t *px;
	cptr_t ds;
	unsigned nonzero = 0;

	/* bank's view is handle 0 of bank's session: in evil's, 0 and 1 are
	 * evil's own, the others name nothing */
	CHECK(evil_a != evil_b && evil_b != evil_c && evil_a != evil_c);
	for (v = 0; v < GUI_VIEWS_MAX; v++) {
		if (v == evil_a || v == evil_b || v == evil_c)
			continue;
		CHECK_ST(gui_view_geometry(evil.s.cap, v, 0, 0, 300, 200), RPC_E_INVALID_ARGUMENT);
		CHECK_ST(gui_view_top(evil.s.cap, v), RPC_E_INVALID_ARGUMENT);
		CHECK_ST(gui_view_destroy(evil.s.cap, v), RPC_E_INVALID_ARGUMENT);
	}
	CHECK_ST(gui_view_top(evil.s.cap, GUI_NO_VIEW), RPC_E_INVALID_ARGUMENT);
	/* every dataspace evil can get is its own: a second buffer (fresh,
	 * zeroed, not bank's) and its input buffer (nothing of bank's input) */
	CHECK_OK(gui_buffer(evil.s.cap, 300, 200, &ds, &size));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &at));
	px = (const uint32_t *)at;
	for (unsigned i = 0; i < 300 * 200; i++)
		nonzero += px[i] != 0;
	CHECK_EQ(nonzero, 0u);
	pd_detach(tb_env->pd, at);
	cap_slot_free(ds);
	CHECK_OK(gui_input_ds(evil.s.cap, &ds, &size));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &at));
	CHECK(!memcmp((const void *)at, evil.in, size));   /* the same, its own */
	pd_detach(tb_env->pd, at);
	cap_slot_free(ds);
	/* back to evil's 400x300 pattern for the x-ray screen */
	CHECK_OK(gui_buffer(evil.s.cap, 400, 300, &ds, &size));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, ATTACH_WRITE, &at));
	evil.px = (uint32_t *)at;
	for (unsigned y = 0; y < 300; y++)
		for (unsigned x = 0; x < 400; x++)
			evil.px[y * 400 + x] = evil_px(x, y);
	CHECK_OK(gui_refresh(evil.s.cap, 0, 0, 400, 300));
}

TEST(TP_0003, "keys and buttons go to the focused client, never to the hostile one behind it")
{
	unsigned e0 = evil.ngot, b0 = bank.ngot;

	/* the host clicks at 350,300 (bank, evil's view behind it) and types k */
	host_step("input");
	CHECK_EQ(count(&bank, b0, GUI_EV_FOCUS, 1), 1u);
	CHECK_EQ(count(&bank, b0, INPUT_PRESS, KEY_BTN_LEFT), 1u);
	CHECK_EQ(count(&bank, b0, INPUT_PRESS, KEY_K), 1u);
	CHECK_EQ(count(&bank, b0, INPUT_RELEASE, KEY_K), 1u);
	CHECK_EQ(count(&evil, e0, INPUT_PRESS, KEY_K) + count(&evil, e0, INPUT_RELEASE, KEY_K), 0u);
	CHECK_EQ(count(&evil, e0, INPUT_PRESS, KEY_BTN_LEFT), 0u);
	CHECK_EQ(count(&evil, e0, GUI_EV_FOCUS, 1), 0u);
	CHECK_EQ(count(&evil, 0, INPUT_PRESS, KEY_A) + count(&bank, 0, INPUT_PRESS, KEY_A), 0u);
}

TEST(TP_0004, "the x-ray key shows the true labels and is never delivered, not even to the focus")
{
	unsigned e0 = evil.ngot, b0 = bank.ngot;

	/* the host clicks at 160,160 (evil's view, not covered by bank's),
	 * holds the x-ray key while it checks the screen, types j */
	host_step("xray");
	CHECK_EQ(count(&evil, e0, GUI_EV_FOCUS, 1), 1u);
	CHECK_EQ(count(&bank, b0, GUI_EV_FOCUS, 0), 1u);
	CHECK_EQ(count(&evil, e0, INPUT_PRESS, KEY_J), 1u);
	CHECK_EQ(count(&evil, 0, INPUT_PRESS, KEY_SCROLLLOCK) +
		 count(&evil, 0, INPUT_RELEASE, KEY_SCROLLLOCK) +
		 count(&bank, 0, INPUT_PRESS, KEY_SCROLLLOCK) +
		 count(&bank, 0, INPUT_RELEASE, KEY_SCROLLLOCK) +
		 count(&host, 0, INPUT_PRESS, KEY_SCROLLLOCK), 0u);
	CHECK_EQ(count(&bank, b0, INPUT_PRESS, KEY_J), 0u);
	CHECK(!tb_faulted(gui, 0));
}

/* Wait until c got n events of GUI_EV_FOCUS with x = on. */
static void wait_focus(struct client *c, uint32_t on, unsigned n)
{
	for (;;) {
		drain(c);
		if (count(c, 0, GUI_EV_FOCUS, on) >= n)
			return;
		while (!(sys_wait(ntfn) & (1ul << 5)))
			;
	}
}

TEST(TP_0005, "config focus=\"rom\": the focus follows the ROM \"focus\", never to a focus=\"none\" domain")
{
	static struct client one, two, three;
	struct tb_child *g2;
	struct tb_report rep;

	CHECK_OK(tb_start(&g2, "gui_rom", "gui", 2 * MB, 200, PRIO,
			  "<config focus=\"rom\">\n"
			  "  <domain name=\"apps\" layer=\"1\"/>\n"
			  "  <domain name=\"panel\" layer=\"0\" focus=\"none\"/>\n"
			  "  <policy label_prefix=\"app\" domain=\"apps\"/>\n"
			  "  <policy label=\"panel\" domain=\"panel\"/>\n"
			  "</config>"));
	CHECK(tb_wait_announce(g2, GUI_SERVICE));
	/* a label without a policy is denied */
	CHECK_ST(tb_open(&three.s, g2, GUI_SERVICE, "stranger", "", GUI_SESSION_RAM, GUI_SESSION_CAPS),
		 RPC_E_DENIED);
	client_open(&one, g2, "app one", 0, 0, 0, bits[5]);
	client_open(&two, g2, "app two", 0, 0, 0, bits[5]);
	client_open(&three, g2, "panel", 0, 0, 0, bits[5]);
	CHECK_OK(tb_report_open(&rep, rr, "test -> focus", "", REPORT_SESSION_RAM(4096)));
	tb_report_submit(&rep, "<focus label=\"app two\"/>");
	wait_focus(&two, 1, 1);
	tb_report_submit(&rep, "<focus label=\"app one\"/>");
	wait_focus(&one, 1, 1);
	wait_focus(&two, 0, 1);
	tb_report_submit(&rep, "<focus label=\"panel\"/>");
	wait_focus(&one, 0, 1);
	CHECK_EQ(count(&three, 0, GUI_EV_FOCUS, 1), 0u);
	CHECK_EQ(count(&two, 0, GUI_EV_FOCUS, 1), 1u);
	tb_report_close(&rep);
	CHECK_OK(tb_close(&one.s));
	CHECK_OK(tb_close(&two.s));
	CHECK_OK(tb_close(&three.s));
}

/* One event into an Event session's buffer and submitted. */
static rpc_status_t submit(struct tb_own *e, struct input_event *buf, uint64_t *seq, uint32_t type,
			   uint32_t code, int32_t x, int32_t y)
{
	rpc_status_t st;

	buf[0] = (struct input_event){ .type = type, .code = code, .x = x, .y = y };
	st = event_submit(e->cap, 1, *seq);
	if (st == RPC_OK)
		(*seq)++;
	return st;
}

TEST(TP_0006, "origin=\"screen\" and origin=\"pointer\" domains; the pointer from absolute and relative events; bad batches refused")
{
	static struct client back, shape;
	struct tb_child *g3;
	struct tb_own cap, ev;
	word_t size, at;
	const uint32_t *px;
	struct input_event *buf;
	uint64_t seq = 0;
	word_t view;
	cptr_t ds;

	CHECK_OK(tb_start(&g3, "gui_origin", "gui", 2 * MB, 200, PRIO,
			  "<config background=\"#202020\" pointer=\"no\">\n"
			  "  <domain name=\"back\" layer=\"3\" origin=\"screen\" focus=\"none\"/>\n"
			  "  <domain name=\"shape\" layer=\"0\" origin=\"pointer\" focus=\"none\"/>\n"
			  "  <policy label=\"backdrop\" domain=\"back\"/>\n"
			  "  <policy label=\"shape\" domain=\"shape\"/>\n"
			  "</config>"));
	CHECK(tb_wait_announce(g3, "Event"));
	CHECK_OK(tb_open(&cap, g3, CAPTURE_SERVICE, "test", "", CAPTURE_SESSION_RAM,
			 CAPTURE_SESSION_CAPS));
	CHECK_OK(capture_screen(cap.cap, 256, 256, &ds, &size));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &at));
	px = (const uint32_t *)at;
	client_open(&back, g3, "backdrop", 8, 8, 0, bits[6]);
	client_open(&shape, g3, "shape", 4, 4, 0, bits[6]);
	CHECK_OK(gui_buffer(back.s.cap, 8, 8, &ds, &size));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, ATTACH_WRITE, &at));
	for (unsigned i = 0; i < 64; i++)
		((uint32_t *)at)[i] = 0x111111;
	CHECK_OK(gui_buffer(shape.s.cap, 4, 4, &ds, &size));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, ATTACH_WRITE, &at));
	for (unsigned i = 0; i < 16; i++)
		((uint32_t *)at)[i] = 0xabcdef;
	/* the backdrop's view covers the screen whatever its geometry */
	CHECK_OK(gui_view_create(back.s.cap, &view));
	CHECK_OK(gui_view_geometry(back.s.cap, view, 50, 50, 10, 10));
	CHECK_EQ(px[0], 0x111111u);
	CHECK_EQ(px[7 * 256 + 7], 0x111111u);
	CHECK_EQ(px[8 * 256 + 8], 0x202020u);      /* beyond its buffer */
	CHECK_EQ(px[55 * 256 + 55], 0x202020u);
	/* the shape's view at 2,3 from the pointer */
	CHECK_OK(gui_view_create(shape.s.cap, &view));
	CHECK_OK(gui_view_geometry(shape.s.cap, view, 2, 3, 4, 4));
	CHECK_EQ(px[3 * 256 + 2], 0xabcdefu);       /* the pointer at 0,0 */
	CHECK_OK(tb_open(&ev, g3, EVENT_SERVICE, "test", "", EVENT_SESSION_RAM, EVENT_SESSION_CAPS));
	CHECK_OK(event_dataspace(ev.cap, &ds, &size));
	CHECK(size >= 16 * sizeof(struct input_event));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, ATTACH_WRITE, &at));
	buf = (struct input_event *)at;
	/* absolute: 0..32767 scaled to 0..255 */
	CHECK_OK(submit(&ev, buf, &seq, INPUT_ABSOLUTE, 0, 16384, 8192));
	CHECK_EQ(px[(63 + 3) * 256 + 127 + 2], 0xabcdefu);
	CHECK_EQ(px[3 * 256 + 2], 0x111111u);       /* the old place: the backdrop again */
	/* relative, then clamped at the edges */
	CHECK_OK(submit(&ev, buf, &seq, INPUT_MOTION, 0, 10, -20));
	CHECK_EQ(px[(43 + 3) * 256 + 137 + 2], 0xabcdefu);
	CHECK_OK(submit(&ev, buf, &seq, INPUT_MOTION, 0, 5000, 5000));
	CHECK_EQ(px[255 * 256 + 255], 0x202020u);   /* at 255,255: the shape beyond the screen */
	CHECK_OK(submit(&ev, buf, &seq, INPUT_MOTION, 0, -5000, -5000));
	CHECK_EQ(px[3 * 256 + 2], 0xabcdefu);
	/* malformed: a GUI event type, a gap, a replay, a press with a motion */
	CHECK_ST(submit(&ev, buf, &seq, GUI_EV_FOCUS, 0, 1, 0), RPC_E_INVALID_ARGUMENT);
	seq++;
	CHECK_ST(submit(&ev, buf, &seq, INPUT_MOTION, 0, 1, 1), RPC_E_INVALID_ARGUMENT);
	seq -= 2;
	CHECK_ST(submit(&ev, buf, &seq, INPUT_MOTION, 0, 1, 1), RPC_E_INVALID_ARGUMENT);
	seq++;
	CHECK_ST(submit(&ev, buf, &seq, INPUT_PRESS, KEY_A, 1, 0), RPC_E_INVALID_ARGUMENT);
	CHECK_EQ(px[3 * 256 + 2], 0xabcdefu);       /* nothing of them taken */
	CHECK_OK(submit(&ev, buf, &seq, INPUT_MOTION, 0, 1, 1));
	CHECK_EQ(px[4 * 256 + 3], 0xabcdefu);
	CHECK_EQ(px[3 * 256 + 2], 0x111111u);
	CHECK_OK(tb_close(&ev));
	CHECK_OK(tb_close(&back.s));
	CHECK_OK(tb_close(&shape.s));
	CHECK_OK(tb_close(&cap));
}

/* gui_cfg's configs (TP_0007): a in domain one (layer 1, in front), b in
 * two; then one behind two, other colours, a global key of b's; then a
 * malformed one (line 2); then two and b's policy gone */
static const char *const cfg_first =
	"<config background=\"#102030\" xray_key=\"SCROLLLOCK\">\n"
	"  <domain name=\"one\" layer=\"1\" color=\"#00ff00\" label=\"no\"/>\n"
	"  <domain name=\"two\" layer=\"2\" color=\"#ff0000\" label=\"no\"/>\n"
	"  <policy label=\"a\" domain=\"one\"/>\n"
	"  <policy label=\"b\" domain=\"two\"/>\n"
	"</config>";
static const char *const cfg_second =
	"<config background=\"#405060\" xray_key=\"SCROLLLOCK\">\n"
	"  <domain name=\"one\" layer=\"3\" color=\"#0000ff\" label=\"no\"/>\n"
	"  <domain name=\"two\" layer=\"2\" color=\"#ff0000\" label=\"no\"/>\n"
	"  <policy label=\"a\" domain=\"one\"/>\n"
	"  <policy label=\"b\" domain=\"two\"/>\n"
	"  <global-key name=\"G\" label=\"b\"/>\n"
	"</config>";
static const char *const cfg_bad =
	"<config background=\"#ffffff\">\n"
	"  <domain name=\"one\" layer=\"1\" color=\"green\"/>\n"
	"</config>";
static const char *const cfg_without_two =
	"<config background=\"#405060\">\n"
	"  <domain name=\"one\" layer=\"3\" color=\"#0000ff\" label=\"no\"/>\n"
	"  <policy label=\"a\" domain=\"one\"/>\n"
	"</config>";

/* A test's own screen of a GUI server (Capture) and its input (Event). */
struct rig {
	struct tb_own cap, ev;
	const uint32_t *px;
	struct input_event *buf;
	uint64_t seq;
};

static void rig_open(struct rig *r, struct tb_child *g)
{
	word_t size, at;
	cptr_t ds;

	CHECK_OK(tb_open(&r->cap, g, CAPTURE_SERVICE, "test", "", CAPTURE_SESSION_RAM,
			 CAPTURE_SESSION_CAPS));
	CHECK_OK(capture_screen(r->cap.cap, 64, 64, &ds, &size));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, 0, &at));
	r->px = (const uint32_t *)at;
	CHECK_OK(tb_open(&r->ev, g, EVENT_SERVICE, "test", "", EVENT_SESSION_RAM, EVENT_SESSION_CAPS));
	CHECK_OK(event_dataspace(r->ev.cap, &ds, &size));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, ATTACH_WRITE, &at));
	r->buf = (struct input_event *)at;
	r->seq = 0;
}

static void rig_event(struct rig *r, uint32_t type, uint32_t code, int32_t x, int32_t y)
{
	CHECK_OK(submit(&r->ev, r->buf, &r->seq, type, code, x, y));
}

static void rig_tap(struct rig *r, uint32_t code)
{
	rig_event(r, INPUT_PRESS, code, 0, 0);
	rig_event(r, INPUT_RELEASE, code, 0, 0);
}

static void rig_close(struct rig *r)
{
	CHECK_OK(tb_close(&r->ev));
	CHECK_OK(tb_close(&r->cap));
}

/* The rectangle changed since the last call. */
static void rig_changed(struct rig *r, word_t *x, word_t *y, word_t *w, word_t *h)
{
	CHECK_OK(capture_changed(r->cap.cap, x, y, w, h));
}

/* A client with an 8x8 buffer of one colour and a view of it at x,y. */
static void plain_open(struct client *c, struct tb_child *g, const char *label, uint32_t colour,
		       long x, long y, word_t *view)
{
	word_t size, at;
	cptr_t ds;

	client_open(c, g, label, 8, 8, 0, bits[7]);
	if (!colour)
		return;
	CHECK_OK(gui_buffer(c->s.cap, 8, 8, &ds, &size));
	CHECK_OK(pd_attach(tb_env->pd, ds, 0, 0, 0, ATTACH_WRITE, &at));
	for (unsigned i = 0; i < 64; i++)
		((uint32_t *)at)[i] = colour;
	CHECK_OK(gui_view_create(c->s.cap, view));
	CHECK_OK(gui_view_geometry(c->s.cap, *view, (word_t)x, (word_t)y, 8, 8));
}

/* The GUI server's config changed and taken: its next answer comes
 * after it acted on it (one thread). */
static void gui_reconfig(struct tb_child *g, const char *config)
{
	tb_set_config(g, config);
	tb_wait_config_seen(g);
}

TEST(TP_0007, "a changed config applies at once: background, layers, colours, global keys; a malformed one is logged and the last good one stays; a session whose policy went keeps its domain")
{
	static struct client a, b, b2;
	struct tb_child *g;
	struct rig r;
	word_t x, y, w, h, va, vb;

	CHECK_OK(tb_start(&g, "gui_cfg", "gui", 2 * MB, 200, PRIO, cfg_first));
	CHECK(tb_wait_announce(g, "Event"));
	rig_open(&r, g);
	/* a at 20,20, b at 24,24 (both 8x8): a in front where they overlap */
	plain_open(&a, g, "a", 0x111111, 20, 20, &va);
	plain_open(&b, g, "b", 0x222222, 24, 24, &vb);
	CHECK_EQ(r.px[25 * 64 + 25], 0x111111u);
	CHECK_EQ(r.px[30 * 64 + 30], 0x222222u);
	CHECK_EQ(r.px[50 * 64 + 50], 0x102030u);
	rig_changed(&r, &x, &y, &w, &h);
	/* one behind two now, another background, all of the screen anew */
	gui_reconfig(g, cfg_second);
	rig_changed(&r, &x, &y, &w, &h);
	CHECK(x == 0 && y == 0 && w == 64 && h == 64);
	CHECK_EQ(r.px[25 * 64 + 25], 0x222222u);
	CHECK_EQ(r.px[21 * 64 + 21], 0x111111u);
	CHECK_EQ(r.px[50 * 64 + 50], 0x405060u);
	/* x-ray: one's frame in its new colour (left of a's view), two's */
	rig_event(&r, INPUT_PRESS, KEY_SCROLLLOCK, 0, 0);
	CHECK_EQ(r.px[22 * 64 + 18], 0x0000ffu);
	CHECK_EQ(r.px[28 * 64 + 22], 0xff0000u);
	rig_event(&r, INPUT_RELEASE, KEY_SCROLLLOCK, 0, 0);
	CHECK_EQ(r.px[22 * 64 + 18], 0x405060u);
	/* the new global key G: b's only */
	rig_tap(&r, KEY_G);
	drain(&a);
	drain(&b);
	CHECK_EQ(count(&b, 0, INPUT_PRESS, KEY_G), 1u);
	CHECK_EQ(count(&b, 0, INPUT_RELEASE, KEY_G), 1u);
	CHECK_EQ(count(&a, 0, INPUT_PRESS, KEY_G), 0u);
	/* malformed (line 2): logged, nothing changes, nothing is redrawn */
	rig_changed(&r, &x, &y, &w, &h);
	gui_reconfig(g, cfg_bad);
	rig_changed(&r, &x, &y, &w, &h);
	CHECK_EQ(w, 0ul);
	CHECK_EQ(r.px[50 * 64 + 50], 0x405060u);
	CHECK_EQ(r.px[25 * 64 + 25], 0x222222u);
	rig_event(&r, INPUT_PRESS, KEY_SCROLLLOCK, 0, 0);
	CHECK_EQ(r.px[22 * 64 + 18], 0x0000ffu);
	rig_event(&r, INPUT_RELEASE, KEY_SCROLLLOCK, 0, 0);
	/* domain two and b's policy gone: b keeps its domain (layer 2, in
	 * front of one's 3) until it closes; a new session "b" is denied */
	gui_reconfig(g, cfg_without_two);
	rig_changed(&r, &x, &y, &w, &h);
	CHECK(x == 0 && y == 0 && w == 64 && h == 64);
	CHECK_EQ(r.px[25 * 64 + 25], 0x222222u);
	CHECK_ST(tb_open(&b2.s, g, GUI_SERVICE, "b", "", GUI_SESSION_RAM, GUI_SESSION_CAPS),
		 RPC_E_DENIED);
	CHECK_OK(gui_view_geometry(b.s.cap, vb, 40, 40, 8, 8));
	CHECK_OK(gui_view_top(b.s.cap, vb));
	CHECK_EQ(r.px[25 * 64 + 25], 0x111111u);
	CHECK_EQ(r.px[41 * 64 + 41], 0x222222u);
	/* and no global key G any more: to the focus (none) */
	rig_tap(&r, KEY_G);
	drain(&b);
	CHECK_EQ(count(&b, 0, INPUT_PRESS, KEY_G), 1u);
	CHECK_OK(tb_close(&b.s));
	CHECK_EQ(r.px[41 * 64 + 41], 0x405060u);
	CHECK_OK(tb_close(&a.s));
	rig_close(&r);
	CHECK(!tb_faulted(g, 0));
}

TEST(TP_0008, "focus=\"transient\": a click on its view gives the keys only while the button is held, then back to the focus before")
{
	static struct client app, menu;
	struct tb_child *g;
	struct rig r;
	unsigned a0, m0;
	word_t v;

	CHECK_OK(tb_start(&g, "gui_transient", "gui", 2 * MB, 200, PRIO,
			  "<config>\n"
			  "  <domain name=\"apps\" layer=\"2\"/>\n"
			  "  <domain name=\"menu\" layer=\"1\" focus=\"transient\"/>\n"
			  "  <policy label=\"app\" domain=\"apps\"/>\n"
			  "  <policy label=\"menu\" domain=\"menu\"/>\n"
			  "</config>"));
	CHECK(tb_wait_announce(g, "Event"));
	rig_open(&r, g);
	/* app's view at 0,0, menu's at 32,0 (32x32 each) */
	plain_open(&app, g, "app", 0, 0, 0, 0);
	plain_open(&menu, g, "menu", 0, 0, 0, 0);
	CHECK_OK(gui_view_create(app.s.cap, &v));
	CHECK_OK(gui_view_geometry(app.s.cap, v, 0, 0, 32, 32));
	CHECK_OK(gui_view_create(menu.s.cap, &v));
	CHECK_OK(gui_view_geometry(menu.s.cap, v, 32, 0, 32, 32));
	/* a click on app (focus="click"), k */
	rig_event(&r, INPUT_MOTION, 0, 10, 10);
	rig_tap(&r, KEY_BTN_LEFT);
	rig_tap(&r, KEY_K);
	drain(&app);
	CHECK_EQ(count(&app, 0, GUI_EV_FOCUS, 1), 1u);
	CHECK_EQ(count(&app, 0, INPUT_PRESS, KEY_K), 1u);
	/* the button pressed on menu's view, j, the button released, l */
	a0 = app.ngot;
	rig_event(&r, INPUT_MOTION, 0, 30, 0);
	rig_event(&r, INPUT_PRESS, KEY_BTN_LEFT, 0, 0);
	rig_tap(&r, KEY_J);
	drain(&app);
	drain(&menu);
	m0 = menu.ngot;
	CHECK_EQ(count(&menu, 0, GUI_EV_FOCUS, 1), 1u);
	CHECK_EQ(count(&menu, 0, INPUT_PRESS, KEY_J), 1u);
	CHECK_EQ(count(&menu, 0, INPUT_RELEASE, KEY_J), 1u);
	CHECK_EQ(count(&app, a0, GUI_EV_FOCUS, 0), 1u);
	CHECK_EQ(count(&app, a0, INPUT_PRESS, KEY_J), 0u);
	rig_event(&r, INPUT_RELEASE, KEY_BTN_LEFT, 0, 0);
	rig_tap(&r, KEY_L);
	drain(&app);
	drain(&menu);
	CHECK_EQ(count(&menu, m0, GUI_EV_FOCUS, 0), 1u);
	CHECK_EQ(count(&menu, 0, INPUT_RELEASE, KEY_BTN_LEFT), 1u);
	CHECK_EQ(count(&menu, 0, INPUT_PRESS, KEY_L), 0u);
	CHECK_EQ(count(&app, a0, GUI_EV_FOCUS, 1), 1u);
	CHECK_EQ(count(&app, a0, INPUT_PRESS, KEY_L), 1u);
	CHECK_EQ(count(&app, 0, INPUT_PRESS, KEY_BTN_LEFT), 1u);
	CHECK_OK(tb_close(&app.s));
	CHECK_OK(tb_close(&menu.s));
	rig_close(&r);
	CHECK(!tb_faulted(g, 0));
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("trusted_path_test", setup);
}
