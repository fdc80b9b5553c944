/*
 * ram_monitor: a window per running component of an init with its RAM
 * use (docs/gui.md, "ram_monitor"), from the init's state report
 * (<report child_ram="yes"/>) read as the ROM "state": each window is a
 * Gui session of its own labelled with the component's name (the wm sees
 * "ram_monitor -> greeter"), shows the name, the KiB used and a bar of
 * the RAM used over the RAM assigned, and is redrawn when its numbers
 * change. A window opens when a component shows up running (or still
 * starting: "incomplete") and closes when it is gone from the report or
 * exited, faulted or failed. A first step towards the control GUI.
 *
 * Config: <config width="184" height="40" font_px="11" windows="24"
 * bench_children="0"/>: each window's size, at most `windows` windows
 * (the components beyond get none; logged), and with bench_children N > 0
 * the line {"bench": "desktop_ram", "value": <the sum of the children's
 * used RAM>, "unit": "bytes"} of the first report in which a child has
 * exited after one showed at least N children, all running (in the
 * desktop: the demo's sleeper after 3 s, when the rest has settled; init
 * reports on changes only, so the numbers of an exit's report are fresh,
 * those of the reports before may be older). The font is the ROM "font". Trusts the report
 * only for what it shows: names are cut and reduced to [A-Za-z0-9_.-],
 * numbers checked.
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/rom.h>
#include <argil/string.h>
#include <gui_session.h>
#include <gui/font.h>
#include <gui/surface.h>
#include <string.h>

#define WINDOWS_MAX 32
#define NAME_MAX_ 32
#define BG 0x182028u
#define FG 0xd0d0d0u
#define BAR_BG 0x303840u
#define BAR_FG 0x40a060u

struct window {
	bool used, seen, failed;     /* failed: no session (logged once) */
	char name[NAME_MAX_ + 1];
	uint64_t ram_used, assigned;
	bool drawn;
	struct gui_connection gui;
	struct gui_surface surf;
	word_t view;
};

static struct component_env *env;
static unsigned font_px = 11, bench_children, windows_max = 24;
static word_t width = 184, height = 40;
static struct attached_rom ttf;
static struct gui_font *font;
static struct gui_font_metrics fm;
static struct config_rom state;
static struct window wins[WINDOWS_MAX];
static unsigned last_n = ~0u, last_shown = ~0u;
static bool benched, full;           /* full: bench_children ran at once */

static void draw(struct window *w)
{
	char num[32];
	int W = (int)width, H = (int)height, ty = 3, by = fm.line_height + 6, nw;
	int bw = W - 12, filled;
	size_t len;

	snprintf(num, sizeof(num), "%lu KiB", (unsigned long)(w->ram_used / 1024));
	nw = gui_text_width(font, num, strlen(num));
	gui_fill(&w->surf, gui_rect(0, 0, W, H), BG);
	len = gui_text_fit(font, w->name, strlen(w->name), W - 18 - nw);
	gui_draw_text(&w->surf, font, 6, ty, w->name, len, FG);
	gui_draw_text(&w->surf, font, W - 6 - nw, ty, num, strlen(num), FG);
	if (H - 4 > by) {
		gui_fill(&w->surf, gui_rect(6, by, bw, H - 4 - by), BAR_BG);
		filled = w->assigned ? (int)((uint64_t)bw *
					     (w->ram_used < w->assigned ? w->ram_used : w->assigned) /
					     w->assigned)
				     : 0;
		gui_fill(&w->surf, gui_rect(6, by, filled, H - 4 - by), BAR_FG);
	}
	gui_refresh(w->gui.session, 0, 0, width, height);
	w->drawn = true;
}

/* The window of a new component: a session labelled with its name, a
 * buffer, one view over it. */
static void open_window(struct window *w)
{
	rpc_status_t st = gui_connect(&w->gui, w->name, width, height);

	if (st == RPC_OK && (st = gui_set_buffer(&w->gui, width, height)) == RPC_OK)
		st = gui_view_create(w->gui.session, &w->view);
	if (st != RPC_OK) {
		log("error: no window for '%s': %s", w->name, rpc_status_name(st));
		gui_disconnect(&w->gui);
		w->failed = true;
		return;
	}
	gui_surface_init(&w->surf, w->gui.pixels, (int)width, (int)height, (int)width);
	draw(w);
	gui_view_geometry(w->gui.session, w->view, 0, 0, width, height);
}

static void close_window(struct window *w, const char *why)
{
	if (!w->failed)
		log("window of '%s' closed: %s", w->name, why);
	gui_disconnect(&w->gui);
	*w = (struct window){ 0 };
}

static struct window *window_of(const char *name)
{
	for (unsigned i = 0; i < WINDOWS_MAX; i++)
		if (wins[i].used && !strcmp(wins[i].name, name))
			return &wins[i];
	return 0;
}

static void state_changed(void *arg)
{
	const struct cfg_node *top;
	uint64_t sum = 0;
	unsigned n = 0, shown = 0, wanted = 0, running_n = 0;
	bool all_running = true;

	(void)arg;
	if (!config_rom_update(&state) || !(top = state.node)) {
		if (state.err.msg)
			log("error: state:%u:%u: %s", state.err.line, state.err.col, state.err.msg);
		return;
	}
	if (!cfg_is(top, "state")) {
		log("error: state: the ROM is no <state> report");
		return;
	}
	for (unsigned i = 0; i < WINDOWS_MAX; i++)
		wins[i].seen = false;
	for (const struct cfg_node *c = top->child; c; c = c->next) {
		const struct cfg_node *ram;
		const char *raw = cfg_attr(c, "name"), *st = cfg_attr(c, "state");
		char name[NAME_MAX_ + 1];
		uint64_t used = 0, assigned = 0;
		struct window *w;
		bool running = st && !strcmp(st, "running");
		unsigned k;

		if (!cfg_is(c, "child") || !raw)
			continue;
		for (ram = c->child; ram && !cfg_is(ram, "ram"); ram = ram->next)
			;
		if (ram && (cfg_attr_u64(ram, "used", 0, &used) < 0 ||
			    cfg_attr_u64(ram, "assigned", 0, &assigned) < 0)) {
			log("error: state: child '%s': bad ram numbers", raw);
			continue;
		}
		n++;
		running_n += running;
		all_running &= running;
		sum += used;
		if (!running && !(st && !strcmp(st, "incomplete")))
			continue;     /* exited, faulted, failed: no window */
		wanted++;
		for (k = 0; raw[k] && k < NAME_MAX_; k++) {
			char ch = raw[k];
			bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
				  (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
			name[k] = ok ? ch : '_';
		}
		name[k] = 0;
		if (!(w = window_of(name))) {
			unsigned used_now = 0;
			for (unsigned i = 0; i < WINDOWS_MAX; i++)
				used_now += wins[i].used;
			if (used_now >= windows_max)
				continue;
			for (w = wins; w->used; w++)
				;
			*w = (struct window){ .used = true };
			memcpy(w->name, name, sizeof(name));
			w->ram_used = used;
			w->assigned = assigned;
			open_window(w);
		} else if (!w->failed && (w->ram_used != used || w->assigned != assigned)) {
			w->ram_used = used;
			w->assigned = assigned;
			draw(w);
		}
		w->seen = true;
	}
	for (unsigned i = 0; i < WINDOWS_MAX; i++) {
		if (wins[i].used && !wins[i].seen)
			close_window(&wins[i], "exited or gone");
		shown += wins[i].used && !wins[i].failed;
	}
	if (n != last_n || shown != last_shown) {
		log("%u components, %u windows, %lu bytes RAM used", n, shown, (unsigned long)sum);
		if (wanted > windows_max)
			log("%u components running: windows for the first %u only", wanted,
			    windows_max);
		last_n = n;
		last_shown = shown;
	}
	if (!bench_children || benched)
		return;
	if (n >= bench_children && all_running) {
		full = true;
	} else if (full) {
		benched = true;
		log("desktop_ram: %lu bytes used by %u components", (unsigned long)sum, running_n);
		bench_line("desktop_ram", (unsigned long)sum, "bytes");
	}
}

static bool check_config(const struct cfg_node *n)
{
	static const char *const names[] = { "width", "height", "font_px", "windows",
					     "bench_children", 0 };
	uint64_t w, h, px, wmax, bench;
	bool ok = cfg_attrs_known(n, names);

	ok &= cfg_attr_range(n, "width", width, 64, 1024, &w);
	ok &= cfg_attr_range(n, "height", height, 16, 256, &h);
	ok &= cfg_attr_range(n, "font_px", font_px, GUI_FONT_PX_MIN, 64, &px);
	ok &= cfg_attr_range(n, "windows", windows_max, 1, WINDOWS_MAX, &wmax);
	ok &= cfg_attr_range(n, "bench_children", 0, 0, 1024, &bench);
	width = (word_t)w;
	height = (word_t)h;
	font_px = (unsigned)px;
	windows_max = (unsigned)wmax;
	bench_children = (unsigned)bench;
	return ok;
}

static void fail(const char *what, rpc_status_t st)
{
	log("error: %s: %s", what, rpc_status_name(st));
	component_exit(2);
}

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	if (!config_read_once(check_config))
		component_exit(1);
	font = gui_font_open_rom("font", font_px, 0, &ttf);
	if (!font)
		component_exit(2);
	gui_font_metrics(font, &fm);
	st = config_rom_open(&state, "state", &env->ep, state_changed, 0);
	if (st != RPC_OK)
		fail("ROM state", st);
	state_changed(0);
}
