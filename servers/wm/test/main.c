/*
 * wm_test (run/wm_test, run/config/wm_test.config): a child of init
 * beside report_rom, platform, pci_decode, event, ps2, gui, fb_bochs, wm,
 * layouter and decorator. It is two applications of the wm ("red" and
 * "blue", Gui sessions that init routes to the wm) and writes the
 * layouter's rules (a report that report_rom turns into the layouter's
 * ROM "rules"). After each step it prints "wm_test: shot N", which starts
 * servers/wm/test/wm_screen_check.py N on the host: the host computes the
 * screen from the layout the step describes (windows, decorations,
 * views) and compares the QMP screendump, then taps a key, which comes
 * back as the events report (the test's only way to hear from the host).
 *
 * The test checks what the applications see (GUI_MODE, its signal) and
 * the reports of the wm (window_list, focus) and of the layouter
 * (window_layout).
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/entrypoint.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <gui_session.h>
#include <harness.h>
#include <input_keys.h>
#include <report_session.h>
#include <timer_session.h>

#define RW 300
#define RH 200
#define BW 200
#define BH 150

static struct component_env *env;
static struct gui_connection red, blue;
static word_t red_view, blue_view;
static struct config_rom list, layout, focus;
static struct gui_connection host;
static struct timer_connection timer;
static struct signal_handler input_sig;
static unsigned inputs;

/* What each client got since the last host step. */
#define GOT_MAX 256
struct got {
	struct input_event ev[GOT_MAX];
	unsigned n;
};
static struct got red_got, blue_got, host_got;
static struct reporter rules;
static struct signal_handler mode_sig;
static unsigned shots;

static void nothing(void *arg)
{
	(void)arg;
}


/* the patterns wm_screen_check.py expects */
static uint32_t red_px(unsigned x, unsigned y)
{
	return 0xff0000u | (x & 0xffu) << 8 | (y & 0xffu);
}

static uint32_t blue_px(unsigned x, unsigned y)
{
	return 0x0000ffu | (x & 0xffu) << 16 | (y & 0xffu) << 8;
}

static void app_open(struct gui_connection *g, word_t *view, const char *label, word_t w,
		     word_t h, uint32_t (*pattern)(unsigned, unsigned))
{
	CHECK_OK(gui_connect(g, label, w, h));
	CHECK_OK(gui_set_buffer(g, w, h));
	for (unsigned y = 0; y < h; y++)
		for (unsigned x = 0; x < w; x++)
			g->pixels[y * w + x] = pattern(x, y);
	CHECK_OK(gui_view_create(g->session, view));
	CHECK_OK(gui_view_geometry(g->session, *view, 0, 0, w, h));
	CHECK_OK(gui_refresh(g->session, 0, 0, w, h));
}

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

/* The ROM's text as printed (empty: ""). */
static const char *text_of(struct config_rom *r)
{
	static char buf[8192];

	buf[0] = 0;
	if (r->node)
		cfg_print(r->node, buf, sizeof(buf));
	return buf;
}

/* Wait until the ROM holds every one of the strings (NULL-terminated). */
static void wait_rom(struct config_rom *r, const char *const *want)
{
	for (;;) {
		bool all = true;
		config_rom_update(r);
		for (unsigned i = 0; want[i]; i++)
			all = all && contains(text_of(r), want[i]);
		if (all)
			return;
		/* what it is instead (for the log of a run that hangs here) */
		printf("wm_test: waiting for %s, now: %s\n", want[0], text_of(r));
		ep_wait_signal(&env->ep, &r->sig);
	}
}

static void drain(struct gui_connection *g, struct got *got)
{
	struct input_event e;

	while (gui_input_next(g, &e))
		if (got->n < GOT_MAX)
			got->ev[got->n++] = e;
}

static unsigned count(const struct got *got, uint32_t type, uint32_t code)
{
	unsigned n = 0;

	for (unsigned i = 0; i < got->n; i++)
		n += got->ev[i].type == type && got->ev[i].code == code;
	return n;
}

/* Wait until the host tapped A the n-th time: the GUI's global key of
 * our session "host" (at the GUI server itself, beside the wm). */
static void host_wait(unsigned n)
{
	for (;;) {
		drain(&host, &host_got);
		if (count(&host_got, INPUT_RELEASE, KEY_A) >= n)
			return;
		ep_wait_signal(&env->ep, &input_sig);
	}
}

/* Say the screen is ready and wait for the host's key. */
static void shot(void)
{
	shots++;
	printf("wm_test: shot %u\n", shots);
	host_wait(shots + inputs);
}

/* Ask the host to click and type (wm_input.py) and wait until it is done;
 * what the applications got is in red_got, blue_got. */
static void input(void)
{
	red_got.n = blue_got.n = 0;
	inputs++;
	printf("wm_test: input %u\n", inputs);
	host_wait(shots + inputs);
	drain(&red, &red_got);
	drain(&blue, &blue_got);
}

static void set_rules(const char *text)
{
	CHECK_OK(reporter_submit(&rules, text, strlen(text)));
}

/* Wait until g's mode is w x h, woken by its mode signal: without the
 * signal the test hangs here and the run's timeout fails it. */
static void wait_mode_of(struct gui_connection *g, word_t w, word_t h)
{
	word_t mw, mh;

	for (;;) {
		CHECK_OK(gui_mode(g->session, &mw, &mh));
		if (mw == w && mh == h)
			return;
		printf("wm_test: waiting for a mode %lux%lu, now %lux%lu\n", w, h, mw, mh);
		ep_wait_signal(&env->ep, &mode_sig);
	}
}

static void wait_mode(word_t w, word_t h)
{
	wait_mode_of(&blue, w, h);
}

/* Wait until the ROM holds none of the strings (NULL-terminated). */
static void wait_rom_not(struct config_rom *r, const char *const *gone)
{
	for (;;) {
		bool any = false;
		config_rom_update(r);
		for (unsigned i = 0; gone[i]; i++)
			any = any || contains(text_of(r), gone[i]);
		if (!any)
			return;
		printf("wm_test: waiting for %s to go, now: %s\n", gone[0], text_of(r));
		ep_wait_signal(&env->ep, &r->sig);
	}
}

static void check_mode(struct gui_connection *g, word_t w, word_t h)
{
	word_t mw, mh;

	CHECK_OK(gui_mode(g->session, &mw, &mh));
	CHECK_EQ(mw, w);
	CHECK_EQ(mh, h);
}

static const char *const rules_1 =
	"<rules>"
	" <assign label_prefix=\"wm_test -> red\" xpos=\"100\" ypos=\"100\"/>"
	" <assign label_prefix=\"wm_test -> blue\" xpos=\"500\" ypos=\"300\"/>"
	"</rules>";

static void setup(void)
{
	CHECK_OK(signal_handler_init(&env->ep, &input_sig, nothing, 0));
	CHECK_OK(gui_connect(&host, "host", 0, 0));
	CHECK_OK(gui_input_attach(&host, input_sig.cap));
	CHECK_OK(config_rom_open(&list, "window_list", &env->ep, nothing, 0));
	CHECK_OK(config_rom_open(&layout, "window_layout", &env->ep, nothing, 0));
	CHECK_OK(config_rom_open(&focus, "focus", &env->ep, nothing, 0));
	CHECK_OK(reporter_open(&rules, "rules", 4096));
	CHECK_OK(signal_handler_init(&env->ep, &mode_sig, nothing, 0));
	set_rules(rules_1);
	app_open(&red, &red_view, "red", RW, RH, red_px);
	app_open(&blue, &blue_view, "blue", BW, BH, blue_px);
	CHECK_OK(gui_mode_sigh(blue.session, mode_sig.cap));
	CHECK_OK(gui_mode_sigh(red.session, mode_sig.cap));
	CHECK_OK(gui_input_attach(&red, input_sig.cap));
	CHECK_OK(gui_input_attach(&blue, input_sig.cap));
}

#define CYCLES 4
/* the cycles' buffer: more than the wm's whole quota (2M, wm_test.config),
 * so that the wm cannot pay the refund from its own free RAM */
#define CYCLE_W 1024
#define CYCLE_H 600
/* blue's window when it comes back: after red (1), blue (2) and the
 * CYCLES sessions (each an id, though none became a window) */
#define BLUE2_ID "7"
_Static_assert(CYCLES == 4, "BLUE2_ID is 3 + CYCLES");

/* After WM_0101's screen (the windows and their decorations are there,
 * the wm is idle): */
static void cycles(void)
{
	struct pd_quota before, after;
	struct gui_connection c;

	/* a session with a buffer (an upgrade passed on by the wm) larger
	 * than the wm's own quota opened and closed again and again: each
	 * close gives wm_test back all it donated, though the wm had passed
	 * it on to the GUI server (the wm's own RAM at each open: the check:
	 * line of run/wm_test, servers/wm/test/wm_ram_check.py) */
	CHECK_OK(timer_connect(&timer, ""));
	CHECK_OK(pd_quota(env->pd, &before));
	for (unsigned i = 0; i < CYCLES; i++) {
		CHECK_OK(gui_connect(&c, "cycle", CYCLE_W, CYCLE_H));
		CHECK_OK(gui_set_buffer(&c, CYCLE_W, CYCLE_H));
		gui_disconnect(&c);
		/* the refund follows the close once the wm closed its GUI
		 * session (init waits for the wm's account to hold it): polled,
		 * the run's timeout the limit (without it: for ever) */
		for (unsigned n = 0;; n++) {
			CHECK_OK(pd_quota(env->pd, &after));
			if (after.ram_quota == before.ram_quota && after.cap_quota == before.cap_quota)
				break;
			if (n == 0)
				printf("wm_test: cycle %u: waiting for %lu bytes, %lu caps of the refund\n", i,
				       before.ram_quota - after.ram_quota, before.cap_quota - after.cap_quota);
			CHECK_OK(sleep_us(&timer, 2000));
		}
	}
	printf("wm_test: %u cycles\n", CYCLES);
}

TEST(WM_0101, "windows appear where the rules say; the wm's window list and focus, the layout; closed sessions give back all")
{
	static const char *const want_list[] = {
		"<window id=\"1\" label=\"wm_test -&gt; red\" title=\"red\" width=\"300\" height=\"200\" has_alpha=\"no\"/>",
		"<window id=\"2\" label=\"wm_test -&gt; blue\" title=\"blue\" width=\"200\" height=\"150\" has_alpha=\"no\"/>",
		0 };
	static const char *const want_layout[] = {
		"<window id=\"1\" xpos=\"100\" ypos=\"100\" width=\"300\" height=\"200\" focused=\"no\" title=\"red\"/>\n"
		"  <window id=\"2\" xpos=\"500\" ypos=\"300\" width=\"200\" height=\"150\" focused=\"yes\" title=\"blue\"/>",
		0 };
	static const char *const want_focus[] = { "<focus label=\"wm -&gt; wm_test -&gt; blue\"/>", 0 };

	wait_rom(&list, want_list);
	wait_rom(&layout, want_layout);
	wait_rom(&focus, want_focus);
	shot();
	/* the applications' screens are their windows */
	check_mode(&red, RW, RH);
	check_mode(&blue, BW, BH);
	cycles();
}

TEST(WM_0102, "changed rules apply at once: red moves while running")
{
	static const char *const want[] = {
		"<window id=\"1\" xpos=\"400\" ypos=\"80\" width=\"300\" height=\"200\"", 0 };

	set_rules("<rules>"
		  " <assign label_prefix=\"wm_test -> red\" xpos=\"400\" ypos=\"80\"/>"
		  " <assign label_prefix=\"wm_test -> blue\" xpos=\"500\" ypos=\"300\"/>"
		  "</rules>");
	wait_rom(&layout, want);
	shot();
	check_mode(&red, RW, RH);
}

TEST(WM_0103, "a maximizing rule: blue fills the screen, its mode follows with a signal")
{
	static const char *const want[] = {
		"<window id=\"2\" xpos=\"4\" ypos=\"22\" width=\"1016\" height=\"742\" focused=\"yes\" title=\"blue\" maximized=\"yes\"/>",
		0 };

	set_rules("<rules>"
		  " <assign label_prefix=\"wm_test -> red\" xpos=\"400\" ypos=\"80\"/>"
		  " <assign label_prefix=\"wm_test -> blue\" xpos=\"500\" ypos=\"300\" maximized=\"yes\"/>"
		  "</rules>");
	wait_rom(&layout, want);
	wait_mode(1016, 742);
	shot();
}

TEST(WM_0104, "restored by a rule; an application's view cannot leave its window; bad handles refused")
{
	static const char *const want[] = {
		"<window id=\"2\" xpos=\"500\" ypos=\"300\" width=\"200\" height=\"150\" focused=\"yes\" title=\"blue\"/>",
		0 };
	set_rules("<rules>"
		  " <assign label_prefix=\"wm_test -> red\" xpos=\"400\" ypos=\"80\"/>"
		  " <assign label_prefix=\"wm_test -> blue\" xpos=\"500\" ypos=\"300\" maximized=\"no\"/>"
		  "</rules>");
	wait_rom(&layout, want);
	wait_mode(BW, BH);
	/* red's view at 100,50 of its window: cut at the window's edges */
	CHECK_OK(gui_view_geometry(red.session, red_view, 100, 50, RW, RH));
	CHECK_ST(gui_view_geometry(red.session, 7, 0, 0, 10, 10), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(gui_view_geometry(red.session, red_view, 0, 0, GUI_MAX_SIDE + 1, 1),
		 RPC_E_INVALID_ARGUMENT);
	CHECK_ST(gui_view_top(red.session, 99), RPC_E_INVALID_ARGUMENT);
	shot();
}

TEST(WM_0105, "focus follows a click into a window; keys reach only the focused application")
{
	static const char *const want_layout[] = {
		"<window id=\"2\" xpos=\"500\" ypos=\"300\" width=\"200\" height=\"150\" focused=\"no\" title=\"blue\"/>\n"
		"  <window id=\"1\" xpos=\"400\" ypos=\"80\" width=\"300\" height=\"200\" focused=\"yes\" title=\"red\"/>",
		0 };
	static const char *const want_focus[] = { "<focus label=\"wm -&gt; wm_test -&gt; red\"/>", 0 };
	bool pointer = false;

	/* wm_input.py click: a click at 600,200 (red's view, which is at
	 * 100,50 of red's window at 400,80), then Q typed */
	input();
	wait_rom(&layout, want_layout);
	wait_rom(&focus, want_focus);
	CHECK_EQ(count(&red_got, INPUT_PRESS, KEY_BTN_LEFT), 1u);
	CHECK_EQ(count(&red_got, INPUT_PRESS, KEY_Q), 1u);
	CHECK_EQ(count(&blue_got, INPUT_PRESS, KEY_Q), 0u);
	CHECK_EQ(count(&blue_got, INPUT_PRESS, KEY_BTN_LEFT), 0u);
	CHECK_EQ(count(&host_got, INPUT_PRESS, KEY_Q), 0u);
	/* the pointer in red's window coordinates, on its view */
	for (unsigned i = 0; i < red_got.n; i++)
		if (red_got.ev[i].type == GUI_EV_POINTER && red_got.ev[i].x == 200 &&
		    red_got.ev[i].y == 120 && red_got.ev[i].code == red_view)
			pointer = true;
	CHECK(pointer);
}

TEST(WM_0106, "dragging a title moves the window (the layouter gets the decorator's pointer)")
{
	static const char *const want[] = {
		"<window id=\"2\" xpos=\"600\" ypos=\"250\" width=\"200\" height=\"150\" focused=\"yes\" title=\"blue\"/>",
		0 };
	static const char *const want_focus[] = { "<focus label=\"wm -&gt; wm_test -&gt; blue\"/>", 0 };

	/* wm_input.py drag: press at 550,290 (blue's title bar), move by
	 * 100,-50, release */
	input();
	wait_rom(&layout, want);
	wait_rom(&focus, want_focus);
	/* the application saw none of it: the title is the decorator's */
	CHECK_EQ(count(&blue_got, INPUT_PRESS, KEY_BTN_LEFT), 0u);
	check_mode(&blue, BW, BH);
	shot();
}

TEST(WM_0107, "the maximize button maximizes and restores, the close button asks to close")
{
	static const char *const want_max[] = {
		"<window id=\"1\" xpos=\"4\" ypos=\"22\" width=\"1016\" height=\"742\" focused=\"yes\" title=\"red\" maximized=\"yes\"/>",
		0 };
	static const char *const want_restored[] = {
		"<window id=\"1\" xpos=\"400\" ypos=\"80\" width=\"300\" height=\"200\" focused=\"yes\" title=\"red\"/>",
		0 };
	static const char *const want_close[] = {
		"<window id=\"2\" xpos=\"600\" ypos=\"250\" width=\"200\" height=\"150\" focused=\"no\" title=\"blue\" close=\"yes\"/>",
		0 };
	static const char *const want_focus_red[] = { "<focus label=\"wm -&gt; wm_test -&gt; red\"/>", 0 };

	/* wm_input.py max: a click on red's maximize button (672,70) */
	input();
	wait_rom(&layout, want_max);
	check_mode(&red, 1016, 742);
	/* wm_input.py restore: on the maximize button of red maximized (992,12) */
	input();
	wait_rom(&layout, want_restored);
	check_mode(&red, RW, RH);
	/* wm_input.py close: on blue's close button (790,240): blue's views
	 * go, its mode is 0 0 (signalled), its decoration goes, the focus
	 * goes back to red */
	input();
	wait_rom(&layout, want_close);
	wait_rom(&focus, want_focus_red);
	wait_mode(0, 0);
	CHECK_EQ(count(&blue_got, INPUT_PRESS, KEY_BTN_LEFT), 0u);
	shot();
}


TEST(WM_0108, "blue, asked to close, closes its session: its window goes")
{
	static const char *const blue_gone[] = { "title=\"blue\"", 0 };
	/* blue, asked to close, does so: out of the window list and the layout */
	gui_disconnect(&blue);
	wait_rom_not(&list, blue_gone);
	wait_rom_not(&layout, blue_gone);
}

TEST(WM_0109, "dragging a window's corner resizes it, its mode follows")
{
	static const char *const want[] = {
		"<window id=\"1\" xpos=\"400\" ypos=\"80\" width=\"400\" height=\"260\" focused=\"yes\" title=\"red\"/>",
		0 };

	/* wm_input.py resize: press at 702,282 (red's bottom right corner),
	 * move by 100,60, release */
	input();
	wait_rom(&layout, want);
	wait_mode_of(&red, 400, 260);
	CHECK_EQ(count(&red_got, INPUT_PRESS, KEY_BTN_LEFT), 0u);
	shot();
}

TEST(WM_0110, "a double click on the title maximizes, another restores")
{
	static const char *const want_max[] = {
		"<window id=\"1\" xpos=\"4\" ypos=\"22\" width=\"1016\" height=\"742\" focused=\"yes\" title=\"red\" maximized=\"yes\"/>",
		0 };
	static const char *const want_restored[] = {
		"<window id=\"1\" xpos=\"400\" ypos=\"80\" width=\"400\" height=\"260\" focused=\"yes\" title=\"red\"/>",
		0 };

	/* wm_input.py dbl1: two clicks at 450,70 (red's title) */
	input();
	wait_rom(&layout, want_max);
	wait_mode_of(&red, 1016, 742);
	/* wm_input.py dbl2: two clicks at 500,12 (the title of red maximized) */
	input();
	wait_rom(&layout, want_restored);
	wait_mode_of(&red, 400, 260);
	CHECK_EQ(count(&red_got, INPUT_PRESS, KEY_BTN_LEFT), 0u);
}

TEST(WM_0111, "shortcuts: modifier + TAB, UP, Q reach the layouter only; the plain keys the application")
{
	static const char *const want_blue[] = {
		"<window id=\"1\" xpos=\"400\" ypos=\"80\" width=\"400\" height=\"260\" focused=\"no\" title=\"red\"/>\n"
		"  <window id=\"" BLUE2_ID "\" xpos=\"500\" ypos=\"300\" width=\"200\" height=\"150\" focused=\"yes\" title=\"blue\"/>",
		0 };
	static const char *const want_red[] = {
		"<window id=\"" BLUE2_ID "\" xpos=\"500\" ypos=\"300\" width=\"200\" height=\"150\" focused=\"no\" title=\"blue\"/>\n"
		"  <window id=\"1\" xpos=\"400\" ypos=\"80\" width=\"400\" height=\"260\" focused=\"yes\" title=\"red\"/>",
		0 };
	static const char *const want_red_max[] = {
		"<window id=\"" BLUE2_ID "\" xpos=\"500\" ypos=\"300\" width=\"200\" height=\"150\" focused=\"no\" title=\"blue\"/>\n"
		"  <window id=\"1\" xpos=\"4\" ypos=\"22\" width=\"1016\" height=\"742\" focused=\"yes\" title=\"red\" maximized=\"yes\"/>",
		0 };
	static const char *const want_blue_front[] = {
		"<window id=\"1\" xpos=\"4\" ypos=\"22\" width=\"1016\" height=\"742\" focused=\"no\" title=\"red\" maximized=\"yes\"/>\n"
		"  <window id=\"" BLUE2_ID "\" xpos=\"500\" ypos=\"300\" width=\"200\" height=\"150\" focused=\"yes\" title=\"blue\"/>",
		0 };
	static const char *const want_close[] = {
		"<window id=\"" BLUE2_ID "\" xpos=\"500\" ypos=\"300\" width=\"200\" height=\"150\" focused=\"no\" title=\"blue\" close=\"yes\"/>",
		0 };
	static const char *const focus_red[] = { "<focus label=\"wm -&gt; wm_test -&gt; red\"/>", 0 };
	static const char *const focus_blue[] = { "<focus label=\"wm -&gt; wm_test -&gt; blue\"/>", 0 };
	static const char *const blue_gone[] = { "title=\"blue\"", 0 };

	/* blue again: a new window (BLUE2_ID) by its rule, focused, in front */
	app_open(&blue, &blue_view, "blue", BW, BH, blue_px);
	CHECK_OK(gui_mode_sigh(blue.session, mode_sig.cap));
	CHECK_OK(gui_input_attach(&blue, input_sig.cap));
	wait_rom(&layout, want_blue);
	wait_rom(&focus, focus_blue);
	/* wm_input.py tab: TAB alone, then LEFTMETA+TAB: the plain TAB and
	 * the modifier reach blue (focused), the combination the layouter,
	 * which focuses the backmost window, red */
	input();
	wait_rom(&layout, want_red);
	wait_rom(&focus, focus_red);
	CHECK_EQ(count(&blue_got, INPUT_PRESS, KEY_TAB), 1u);
	CHECK_EQ(count(&blue_got, INPUT_RELEASE, KEY_TAB), 1u);
	CHECK_EQ(count(&blue_got, INPUT_PRESS, KEY_LEFTMETA), 1u);
	CHECK_EQ(count(&blue_got, INPUT_RELEASE, KEY_LEFTMETA), 1u);
	CHECK_EQ(count(&red_got, INPUT_PRESS, KEY_TAB), 0u);
	CHECK_EQ(count(&red_got, INPUT_RELEASE, KEY_TAB), 0u);
	/* wm_input.py up: LEFTMETA+UP maximizes red */
	input();
	wait_rom(&layout, want_red_max);
	wait_mode_of(&red, 1016, 742);
	CHECK_EQ(count(&red_got, INPUT_PRESS, KEY_LEFTMETA), 1u);
	CHECK_EQ(count(&red_got, INPUT_PRESS, KEY_UP), 0u);
	CHECK_EQ(count(&red_got, INPUT_RELEASE, KEY_UP), 0u);
	/* wm_input.py tab2: LEFTMETA down, TAB down, LEFTMETA up, TAB up:
	 * TAB's release follows its press to the layouter, not to red */
	input();
	wait_rom(&layout, want_blue_front);
	wait_rom(&focus, focus_blue);
	CHECK_EQ(count(&red_got, INPUT_PRESS, KEY_LEFTMETA), 1u);
	CHECK_EQ(count(&red_got, INPUT_RELEASE, KEY_LEFTMETA), 1u);
	CHECK_EQ(count(&red_got, INPUT_RELEASE, KEY_TAB), 0u);
	CHECK_EQ(count(&blue_got, INPUT_RELEASE, KEY_TAB), 0u);
	/* wm_input.py q: RIGHTMETA+Q (a second rule for Q) asks blue to
	 * close: its mode is 0 0, the focus back to red; blue closes */
	input();
	wait_rom(&layout, want_close);
	wait_rom(&focus, focus_red);
	wait_mode(0, 0);
	CHECK_EQ(count(&blue_got, INPUT_PRESS, KEY_RIGHTMETA), 1u);
	CHECK_EQ(count(&blue_got, INPUT_PRESS, KEY_Q), 0u);
	CHECK_EQ(count(&blue_got, INPUT_RELEASE, KEY_Q), 0u);
	gui_disconnect(&blue);
	wait_rom_not(&list, blue_gone);
	wait_rom_not(&layout, blue_gone);
	shot();
}

void component_construct(struct component_env *e)
{
	struct test_suite suite = { .name = "wm_test", .setup = setup };

	env = e;
	component_exit(test_run(&suite) ? 1 : 0);
}
