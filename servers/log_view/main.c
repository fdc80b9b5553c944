/*
 * log_view: the system log in a window (docs/gui.md, "log_view").
 *
 * Serves LOG sessions (init routes the LOG of chosen components here with
 * <service name="LOG"> <child name="log_view"/> </service>). Each line
 * written is passed on through log_view's own LOG session at its parent,
 * as "[label] text", so the serial log stays complete, and kept in a ring
 * of the last `lines` lines (ring.c) that the window shows, newest at the
 * bottom. Up/Down, PageUp/PageDown and the wheel scroll back; End (or new
 * lines while at the bottom) follows the end.
 *
 * Config: <config lines="200" width="560" height="300" font_px="12"/>;
 * the font is the ROM "font" (a TrueType file, e.g. DejaVu Sans Mono).
 *
 * Trusts its parent; its clients only for the lines they write (each cut
 * and cleaned by the ring, bounded memory whatever they send).
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/rom.h>
#include <argil/session_server.h>
#include <argil/string.h>
#include <gui_session.h>
#include <gui/font.h>
#include <gui/surface.h>
#include <input_keys.h>
#include <stdlib.h>
#include <string.h>
#include "ring.h"


/* a line to log_view's own LOG session */
static void pass_on(const char *b, word_t n)
{
	log_write(component_env()->log, b, n);
}

#define LINES_MAX 10000u
#define BG 0x101820u
#define FG 0xd0d0d0u
#define LABEL_FG 0x80c0ffu

struct session {
	struct server_session ss;
};

static struct component_env *env;
static unsigned nlines = 200, font_px = 12;
static word_t width = 560, height = 300;
static struct attached_rom ttf;
static struct gui_font *font;
static struct gui_font_metrics fm;
static struct gui_connection gui;
static struct gui_surface surf;
static word_t view;
static struct signal_handler input_sig;
static struct ring ring;
static unsigned back;   /* lines scrolled back from the end */
static struct session_server server;
static char fwd[LOG_WRITE_MAX + 200];

static unsigned rows(void)
{
	int r = ((int)height - 4) / fm.line_height;
	return r > 0 ? (unsigned)r : 1;
}

/* how far back one can scroll: until the first line is at the top */
static unsigned max_back(void)
{
	unsigned count = ring_count(&ring), nr = rows();

	return count > nr ? count - nr : 0;
}

static void redraw(void)
{
	unsigned count = ring_count(&ring), nr = rows(), first, shown;

	if (back > max_back())
		back = max_back();
	shown = count - back < nr ? count - back : nr;
	first = count - back - shown;
	gui_fill(&surf, gui_rect(0, 0, (int)width, (int)height), BG);
	for (unsigned i = 0; i < shown; i++) {
		const char *l = ring_line(&ring, first + i);
		const char *colon = strstr(l, ": ");
		int y = 2 + (int)(nr - shown + i) * fm.line_height, x = 4;
		size_t len = strlen(l);

		if (colon) {
			size_t ll = (size_t)(colon - l) + 2;
			x += gui_draw_text(&surf, font, x, y, l, ll, LABEL_FG);
			l += ll;
			len -= ll;
		}
		gui_draw_text(&surf, font, x, y, l, len, FG);
	}
	if (back)
		gui_fill(&surf, gui_rect((int)width - 4, 0, 4, (int)height), LABEL_FG);
	gui_refresh(gui.session, 0, 0, width, height);
}

static void scroll(int by)
{
	long b = (long)back + by, max = (long)max_back();

	back = (unsigned)(b < 0 ? 0 : b > max ? max : b);
	redraw();
}

/* the lines in the window, 1-based (logged after each key) */
static void shown(void)
{
	unsigned count = ring_count(&ring), nr = rows();
	unsigned last = count - back, first = last > nr ? last - nr + 1 : 1;

	if (!last)
		log("showing no line of %u", count);
	else
		log("showing lines %u..%u of %u", first, last, count);
}

static void on_input(void *arg)
{
	struct input_event e;
	int page = (int)rows() - 1;

	(void)arg;
	while (gui_input_next(&gui, &e)) {
		if (e.type == INPUT_WHEEL)
			scroll(e.y * 3);
		if (e.type != INPUT_PRESS)
			continue;
		switch (e.code) {
		case KEY_UP: scroll(1); break;
		case KEY_DOWN: scroll(-1); break;
		case KEY_PAGEUP: scroll(page > 0 ? page : 1); break;
		case KEY_PAGEDOWN: scroll(page > 0 ? -page : -1); break;
		case KEY_END: back = 0; redraw(); break;
		case KEY_HOME: back = max_back(); redraw(); break;
		default: continue;
		}
		shown();
	}
}

/* ---- LOG sessions ---- */

static rpc_status_t do_write(struct log_write_call *c)
{
	struct session *s = c->obj;
	const char *t = (const char *)c->in.text;
	size_t len = strlen(t), start = 0;
	unsigned added;

	/* passed on line by line: "[label] text" */
	for (size_t i = 0; i <= len; i++) {
		if (i < len && t[i] != '\n')
			continue;
		if (i < len || i > start) {
			int n = snprintf(fwd, sizeof(fwd), "[%s] %.*s\n", s->ss.label,
					 (int)(i - start), t + start);
			if (n > 0)
				pass_on(fwd,
					  (word_t)((size_t)n < sizeof(fwd) ? (size_t)n : sizeof(fwd) - 1));
		}
		start = i + 1;
	}
	added = ring_add(&ring, s->ss.label, t, len);
	if (back)
		back += added;   /* the lines looked at stay in place (redraw clamps) */
	redraw();
	return RPC_OK;
}

RPC_SERVER(log, LOG_RPC)

static const struct log_server ops = { .log_write = do_write };

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	log_dispatch(&ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t create(struct session_server *srv, struct server_session *ss, const char *args)
{
	(void)srv;
	(void)args;
	if (!budget_take(&ss->budget, LOG_SESSION_RAM, LOG_SESSION_CAPS))
		return RPC_E_NO_RAM_QUOTA;
	return RPC_OK;
}

static void destroy(struct session_server *srv, struct server_session *ss)
{
	(void)srv;
	(void)ss;
}

static struct session_server server = {
	.service = "LOG",
	.size = sizeof(struct session),
	.ram = LOG_SESSION_RAM,
	.caps = LOG_SESSION_CAPS,
	.create = create,
	.destroy = destroy,
	.rpc = session_rpc,
};

static bool check_config(const struct cfg_node *n)
{
	static const char *const names[] = { "lines", "width", "height", "font_px", 0 };
	uint64_t v;
	bool ok = cfg_attrs_known(n, names);

	ok &= cfg_attr_range(n, "lines", nlines, 1, LINES_MAX, &v);
	nlines = (unsigned)v;
	ok &= cfg_attr_range(n, "width", width, 64, 4096, &v);
	width = (word_t)v;
	ok &= cfg_attr_range(n, "height", height, 32, 4096, &v);
	height = (word_t)v;
	ok &= cfg_attr_range(n, "font_px", font_px, GUI_FONT_PX_MIN, GUI_FONT_PX_MAX, &v);
	font_px = (unsigned)v;
	if (n->child) {
		log("error: config: no sub-nodes expected");
		ok = false;
	}
	return ok;
}

static void fail(const char *what, rpc_status_t st)
{
	log("error: %s: %s", what, rpc_status_name(st));
	component_exit(2);
}

void component_construct(struct component_env *e)
{
	void *mem;
	rpc_status_t st;

	env = e;
	if (!config_read_once(check_config))
		component_exit(1);
	mem = malloc(ring_memory(nlines));
	if (!mem)
		fail("ring of lines", RPC_E_NO_RAM_QUOTA);
	ring_init(&ring, mem, nlines);
	font = gui_font_open_rom("font", font_px, 0, &ttf);
	if (!font)
		component_exit(2);
	gui_font_metrics(font, &fm);
	st = gui_connect(&gui, "", width, height);
	if (st != RPC_OK)
		fail("Gui session", st);
	if ((st = gui_set_buffer(&gui, width, height)) != RPC_OK)
		fail("GUI buffer", st);
	gui_surface_init(&surf, gui.pixels, (int)width, (int)height, (int)width);
	if ((st = gui_view_create(gui.session, &view)) != RPC_OK)
		fail("GUI view", st);
	if ((st = signal_handler_init(&env->ep, &input_sig, on_input, 0)) != RPC_OK ||
	    (st = gui_input_attach(&gui, input_sig.cap)) != RPC_OK)
		fail("GUI input", st);
	redraw();
	gui_view_geometry(gui.session, view, 0, 0, width, height);
	server.ep = &env->ep;
	st = session_server_announce(&server);
	if (st != RPC_OK)
		fail("cannot serve", st);
	log("%lux%lu window, %u lines of %u bytes kept", (unsigned long)width,
	    (unsigned long)height, nlines, RING_LINE_MAX);
}
