/*
 * ram_monitor: a window with a row per running component of an init and
 * its RAM use (docs/gui.md, "ram_monitor"): the name, a bar of used over
 * assigned RAM and the bytes used, from the init's state report
 * (<report child_ram="yes"/>) read as the ROM "state", redrawn when the
 * report changes. A first step towards the control GUI.
 *
 * Config: <config width="360" font_px="12" bench_children="0"/>: with
 * bench_children N > 0, the first report that shows at least N children,
 * all running, gives the line {"bench": "desktop_ram", "value": <the sum
 * of the children's used RAM>, "unit": "bytes"}. The font is the ROM
 * "font". Trusts the report only for what it shows: names are cut, rows
 * bounded by ROWS_MAX, numbers checked.
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



#define ROWS_MAX 20
#define NAME_MAX_ 32
#define BG 0x182028u
#define FG 0xd0d0d0u
#define BAR_BG 0x303840u
#define BAR_FG 0x40a060u

struct row {
	char name[NAME_MAX_ + 1];
	uint64_t used, assigned;
	bool running;
};

static struct component_env *env;
static unsigned font_px = 12, bench_children;
static word_t width = 360, height;
static struct attached_rom ttf;
static struct gui_font *font;
static struct gui_font_metrics fm;
static struct gui_connection gui;
static struct gui_surface surf;
static word_t view;
static struct config_rom state;
static struct row rows[ROWS_MAX];
static unsigned nrows, last_logged = ~0u;
static bool benched;

static int row_h(void)
{
	return fm.line_height + 4;
}

static void redraw(void)
{
	char num[32];
	int rh = row_h(), bx = (int)width / 2 - 20, bw = (int)width / 4;

	gui_fill(&surf, gui_rect(0, 0, (int)width, (int)height), BG);
	for (unsigned i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		int y = 4 + (int)i * rh, filled;

		gui_draw_text(&surf, font, 6, y + 2, r->name, strlen(r->name), FG);
		gui_fill(&surf, gui_rect(bx, y + 2, bw, rh - 4), BAR_BG);
		filled = r->assigned ? (int)((uint64_t)bw * (r->used < r->assigned ? r->used : r->assigned)
					    / r->assigned) : 0;
		gui_fill(&surf, gui_rect(bx, y + 2, filled, rh - 4), BAR_FG);
		snprintf(num, sizeof(num), "%lu KiB", (unsigned long)(r->used / 1024));
		gui_draw_text(&surf, font, bx + bw + 8, y + 2, num, strlen(num), FG);
	}
	gui_refresh(gui.session, 0, 0, width, height);
}

static void state_changed(void *arg)
{
	const struct cfg_node *top;
	uint64_t sum = 0;
	unsigned n = 0;
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
	for (const struct cfg_node *c = top->child; c; c = c->next) {
		const struct cfg_node *ram;
		const char *name = cfg_attr(c, "name"), *st = cfg_attr(c, "state");
		uint64_t used = 0, assigned = 0;

		if (!cfg_is(c, "child") || !name)
			continue;
		for (ram = c->child; ram && !cfg_is(ram, "ram"); ram = ram->next)
			;
		if (ram && (cfg_attr_u64(ram, "used", 0, &used) < 0 ||
			    cfg_attr_u64(ram, "assigned", 0, &assigned) < 0)) {
			log("error: state: child '%s': bad ram numbers", name);
			continue;
		}
		if (n == ROWS_MAX)
			break;
		snprintf(rows[n].name, sizeof(rows[n].name), "%s", name);
		rows[n].used = used;
		rows[n].assigned = assigned;
		rows[n].running = st && !strcmp(st, "running");
		all_running &= rows[n].running;
		sum += used;
		n++;
	}
	nrows = n;
	redraw();
	if (n != last_logged) {
		log("%u components, %lu bytes RAM used", n, (unsigned long)sum);
		last_logged = n;
	}
	if (bench_children && !benched && n >= bench_children && all_running) {
		benched = true;
		log("desktop_ram: %lu bytes used by %u components", (unsigned long)sum, n);
		bench_line("desktop_ram", (unsigned long)sum, "bytes");
	}
}

static bool read_config(void)
{
	struct config_rom cfg;
	bool ok = true;
	uint64_t v;

	if (config_rom_open(&cfg, "config", 0, 0, 0) != RPC_OK)
		return true;
	if (cfg.node) {
		for (const struct cfg_attr *a = cfg.node->attrs; a; a = a->next)
			if (strcmp(a->name, "width") && strcmp(a->name, "font_px") &&
			    strcmp(a->name, "bench_children")) {
				log("error: config: unknown attribute '%s'", a->name);
				ok = false;
			}
		if (cfg_attr_u64(cfg.node, "width", width, &v) < 0 || v < 160 || v > 2048) {
			log("error: config: width is 160..2048");
			ok = false;
		} else {
			width = (word_t)v;
		}
		if (cfg_attr_u64(cfg.node, "font_px", font_px, &v) < 0 || v < GUI_FONT_PX_MIN ||
		    v > 64) {
			log("error: config: font_px is %u..64", GUI_FONT_PX_MIN);
			ok = false;
		} else {
			font_px = (unsigned)v;
		}
		if (cfg_attr_u64(cfg.node, "bench_children", 0, &v) < 0 || v > ROWS_MAX) {
			log("error: config: bench_children is 0..%u", ROWS_MAX);
			ok = false;
		} else {
			bench_children = (unsigned)v;
		}
	} else if (cfg.err.msg) {
		log("error: config:%u:%u: %s", cfg.err.line, cfg.err.col, cfg.err.msg);
		ok = false;
	}
	config_rom_close(&cfg, 0);
	return ok;
}

static void fail(const char *what, rpc_status_t st)
{
	log("error: %s: %s", what, rpc_status_name(st));
	component_exit(2);
}

void component_construct(struct component_env *e)
{
	const char *err = "";
	rpc_status_t st;

	env = e;
	if (!read_config())
		component_exit(1);
	st = attached_rom_open(&ttf, "font");
	if (st != RPC_OK || !ttf.data)
		fail("no font ROM", st != RPC_OK ? st : RPC_E_NOT_FOUND);
	font = gui_font_new(ttf.data, ttf.size, (int)font_px, 0, &err);
	if (!font) {
		log("error: font: %s", err);
		component_exit(2);
	}
	gui_font_metrics(font, &fm);
	height = (word_t)(8 + ROWS_MAX * row_h());
	st = gui_connect(&gui, "", width, height);
	if (st != RPC_OK)
		fail("Gui session", st);
	if ((st = gui_set_buffer(&gui, width, height)) != RPC_OK)
		fail("GUI buffer", st);
	gui_surface_init(&surf, gui.pixels, (int)width, (int)height, (int)width);
	if ((st = gui_view_create(gui.session, &view)) != RPC_OK)
		fail("GUI view", st);
	redraw();
	gui_view_geometry(gui.session, view, 0, 0, width, height);
	st = config_rom_open(&state, "state", &env->ep, state_changed, 0);
	if (st != RPC_OK)
		fail("ROM state", st);
	state_changed(0);
}
