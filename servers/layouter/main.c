/*
 * layouter: the wm's policy (servers/wm/README.md). Its logic is
 * lib/wm_core/layout.c (host-tested); this is its plumbing:
 *
 *   ROMs      window_list (the wm's), rules, decorator_margins and hover
 *             (the decorator's), all watched: a change applies at once
 *   Gui       a session of its own at the wm (the wm gives it the role
 *             "layouter" by its label): the screen's size (GUI_MODE and
 *             its signal), and its input: the pointer over decorations,
 *             WM_EV_CLICK for a click into a window, the global keys.
 *             It has no views and sees no application input.
 *   Timer     optional, for the double click (without it there is none)
 *   Reports   window_layout, focus
 *
 * Trusts its parent and the wm's and decorator's reports as far as they
 * parse; a bad document is logged and the last good one stays.
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/entrypoint.h>
#include <argil/log.h>
#include <argil/string.h>
#include <gui_session.h>
#include <report_session.h>
#include <timer_session.h>
#include <wm_layout.h>

#define REPORT_SIZE 8192

static struct entrypoint *ep;
static struct layouter lay;
static struct config_rom list_rom, rules_rom, margins_rom, hover_rom;
static struct gui_connection gui;
static struct timer_connection timer;
static bool have_timer;
static struct signal_handler input_sig, mode_sig;
static struct reporter layout_rep, focus_rep;
static char layout_text[REPORT_SIZE], focus_text[1024];
static unsigned long fake_ms;
static bool mode_signalled;   /* else GUI_MODE is asked again on each change */

static void mode_changed(void *arg);

static void publish(void)
{
	static char text[REPORT_SIZE];
	unsigned long n = lay_write_layout(&lay, text, sizeof(text));

	if (!n)
		log("error: the window layout does not fit %u bytes", REPORT_SIZE);
	else if (strcmp(text, layout_text)) {
		memcpy(layout_text, text, n + 1);
		if (reporter_submit(&layout_rep, text, n) != RPC_OK)
			log("error: cannot report window_layout");
	}
	n = lay_write_focus(&lay, text, sizeof(focus_text));
	if (n && strcmp(text, focus_text)) {
		memcpy(focus_text, text, n + 1);
		if (reporter_submit(&focus_rep, text, n) != RPC_OK)
			log("error: cannot report focus");
	}
}

/* Fetch a watched ROM; NULL (logged) when it is empty or does not parse. */
static const struct cfg_node *fetch(struct config_rom *r, const char *name)
{
	if (config_rom_update(r))
		return r->node;
	if (r->err.msg)
		log("error: %s:%u:%u: %s", name, r->err.line, r->err.col, r->err.msg);
	return 0;
}

static void list_changed(void *arg)
{
	if (!mode_signalled)
		mode_changed(0);
	const struct cfg_node *n = fetch(&list_rom, "window_list");
	const char *err;

	(void)arg;
	if (!n)
		return;
	if ((err = lay_set_windows(&lay, n)))
		log("error: window_list: %s", err);
	publish();
}

static void rules_changed(void *arg)
{
	if (!mode_signalled)
		mode_changed(0);
	const struct cfg_node *n = fetch(&rules_rom, "rules");
	const char *err;

	(void)arg;
	if (!n)
		return;
	if ((err = lay_set_rules(&lay, n)))
		log("error: rules: %s", err);
	publish();
}

static void margins_changed(void *arg)
{
	if (!mode_signalled)
		mode_changed(0);
	const struct cfg_node *n = fetch(&margins_rom, "decorator_margins");
	struct wm_margins m;
	const char *err;

	(void)arg;
	if (!n)
		return;
	if ((err = lay_parse_margins(n, &m))) {
		log("error: decorator_margins: %s", err);
		return;
	}
	lay_set_margins(&lay, &m);
	publish();
}

/* <hover window="id" element="title" xpos ypos/>, or <hover/> */
static void hover_changed(void *arg)
{
	const struct cfg_node *n = fetch(&hover_rom, "hover");
	uint64_t id = 0;
	long x = 0, y = 0;
	struct deco_hit h = { DECO_NONE, 0 };
	const char *el;

	(void)arg;
	if (!n)
		return;
	if (!cfg_is(n, "hover") || cfg_attr_u64(n, "window", 0, &id) < 0) {
		log("error: hover: not a <hover>");
		return;
	}
	el = cfg_attr(n, "element");
	if (id && (!el || !deco_hit_parse(el, &h) || !cfg_attr(n, "xpos") || !cfg_attr(n, "ypos") ||
		   !wm_parse_long(cfg_attr(n, "xpos"), 16384, &x) ||
		   !wm_parse_long(cfg_attr(n, "ypos"), 16384, &y))) {
		log("error: hover: bad element or position");
		return;
	}
	lay_set_hover(&lay, id != 0, (unsigned)id, h, x, y);
}

static void mode_changed(void *arg)
{
	word_t w, h;

	(void)arg;
	if (gui_mode(gui.session, &w, &h) != RPC_OK)
		return;
	if ((long)w == lay.screen_w && (long)h == lay.screen_h)
		return;
	lay_set_screen(&lay, (long)w, (long)h);
	publish();
}

static void input_signal(void *arg)
{
	struct input_event e;
	bool changed = false;

	(void)arg;
	if (!mode_signalled)
		mode_changed(0);
	while (gui_input_next(&gui, &e)) {
		unsigned long ms;
		if (have_timer) {
			ms = (unsigned long)(elapsed_us(&timer) / 1000);
		} else {
			/* no clock: presses never count as a double click */
			fake_ms += LAY_DOUBLE_CLICK_MS + 1;
			ms = fake_ms;
		}
		changed |= lay_input(&lay, &e, ms);
	}
	if (changed)
		publish();
}

void component_construct(struct component_env *env)
{
	static const struct wm_margins none = { 0, 0, 0, 0 };
	rpc_status_t st;

	ep = &env->ep;
	lay_init(&lay, 0, 0, &none);
	have_timer = timer_connect(&timer, "") == RPC_OK;
	if (!have_timer)
		log("no timer: no double click");
	st = gui_connect(&gui, "", 0, 0);
	if (st == RPC_OK)
		st = signal_handler_init(ep, &mode_sig, mode_changed, 0);
	if (st == RPC_OK)
		st = signal_handler_init(ep, &input_sig, input_signal, 0);
	if (st == RPC_OK) {
		mode_signalled = gui_mode_sigh(gui.session, mode_sig.cap) == RPC_OK;
		if (!mode_signalled)
			log("no mode signal: the screen's size is asked for on each change");
	}
	if (st == RPC_OK)
		st = reporter_open(&layout_rep, "window_layout", REPORT_SIZE);
	if (st == RPC_OK)
		st = reporter_open(&focus_rep, "focus", sizeof(focus_text));
	if (st == RPC_OK)
		st = config_rom_open(&margins_rom, "decorator_margins", ep, margins_changed, 0);
	if (st == RPC_OK)
		st = config_rom_open(&hover_rom, "hover", ep, hover_changed, 0);
	if (st == RPC_OK)
		st = config_rom_open(&rules_rom, "rules", ep, rules_changed, 0);
	if (st == RPC_OK)
		st = config_rom_open(&list_rom, "window_list", ep, list_changed, 0);
	if (st != RPC_OK) {
		log("error: cannot start: %s", rpc_status_name(st));
		component_exit(2);
	}
	st = gui_input_attach(&gui, input_sig.cap);
	if (st != RPC_OK)
		log("no input from the wm: %s", rpc_status_name(st));
	mode_changed(0);
	margins_changed(0);
	hover_changed(0);
	rules_changed(0);
	list_changed(0);
	publish();
}
