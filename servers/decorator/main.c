/*
 * decorator: draws each window's decorations (servers/wm/README.md): a
 * title bar with a close and a maximize button, and a border, from the
 * layouter's window_layout ROM. Each window's decoration is a Gui session
 * of its own at the wm, labelled with the window's id (the wm sees
 * "decorator -> 3" and keeps the decoration's view just behind the
 * window's own views), with a buffer of the decoration's size and one view
 * over it; the window's content covers the middle. The decorator has no
 * session of any application and never sees their pixels or input: it
 * gets only the pointer over its own views, from which it reports hover
 * (<hover window xpos ypos element/>). Reports decorator_margins once.
 *
 * The title bar carries the window's title (window_layout's title, the
 * last element of the application's label), drawn with lib/gui's font
 * from the ROM "font" (a TrueType file; required) at TITLE_PX, cut to
 * the room left of the buttons.
 *
 * Trusts its parent and the layout as far as it parses.
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/entrypoint.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/rom.h>
#include <argil/string.h>
#include <gui_session.h>
#include <gui/font.h>
#include <gui/surface.h>
#include <report_session.h>
#include <wm_geometry.h>
#include <wm_layout.h>

#define BORDER 4
#define TITLE 18
#define COLOUR_BORDER 0x404040u
#define COLOUR_TITLE 0x606060u
#define COLOUR_TITLE_FOCUSED 0x3060a0u
#define COLOUR_CLOSE 0xc03030u
#define COLOUR_MAXIMIZE 0x30a040u
#define COLOUR_HOVER_MIX 0x303030u    /* added to a hovered button */
#define COLOUR_TEXT 0xd0d0d0u
#define COLOUR_TEXT_FOCUSED 0xffffffu
#define TITLE_PX 12                   /* the title's font size */
#define TITLE_PAD 4                   /* room left of the text and before the buttons */
#define TITLE_MAX 64                  /* bytes of a title kept */
#define GLYPH_CACHE (16u * 1024u)     /* the font's glyph cache */

static const struct wm_margins margins = { BORDER + TITLE, BORDER, BORDER, BORDER };

struct deco {
	bool used, seen;
	unsigned id;
	struct wm_rect win;
	bool focused;
	char title[TITLE_MAX];
	struct gui_connection gui;
	word_t paid;                 /* buffer quota donated so far */
	word_t view;
	bool has_view;
};

static struct entrypoint *ep;
static struct config_rom layout_rom;
static struct signal_handler input_sig;
static struct reporter margins_rep, hover_rep;
static struct deco decos[LAY_WINDOWS_MAX];
static unsigned hover_id;
static struct deco_hit hover;
static char hover_text[256];
static struct attached_rom ttf;
static struct gui_font *font;
static struct gui_font_metrics fm;

static void fill(struct deco *d, const struct wm_rect *r, uint32_t colour)
{
	struct wm_rect o = deco_outer(&d->win, &margins);
	struct wm_rect b = { 0, 0, (long)d->gui.width, (long)d->gui.height };
	struct wm_rect c = { r->x - o.x, r->y - o.y, r->w, r->h };

	c = wm_rect_clip(&c, &b);
	for (long y = c.y; y < c.y + c.h; y++)
		for (long x = c.x; x < c.x + c.w; x++)
			d->gui.pixels[y * (long)d->gui.width + x] = colour;
}

/* The title in the title bar t (screen coordinates), clipped before
 * buttons_x (where the buttons begin). */
static void draw_title(struct deco *d, const struct wm_rect *t, long buttons_x)
{
	struct wm_rect o = deco_outer(&d->win, &margins);
	struct gui_surface surf;
	long x = t->x + TITLE_PAD - o.x, room = buttons_x - TITLE_PAD - t->x - TITLE_PAD;
	size_t len = strlen(d->title);

	if (room <= 0 || !len)
		return;
	gui_surface_init(&surf, d->gui.pixels, (int)d->gui.width, (int)d->gui.height, 0);
	gui_clip(&surf, gui_rect((int)x, (int)(t->y - o.y), (int)room, (int)t->h));
	gui_draw_text(&surf, font, (int)x, (int)(t->y - o.y + (t->h - fm.line_height) / 2),
		      d->title, gui_text_fit(font, d->title, len, (int)room),
		      d->focused ? COLOUR_TEXT_FOCUSED : COLOUR_TEXT);
}

static void draw(struct deco *d)
{
	struct wm_rect o = deco_outer(&d->win, &margins), t = deco_title(&d->win, &margins);
	struct wm_rect c = deco_close(&d->win, &margins), m = deco_maximize(&d->win, &margins);
	bool hovered = hover_id == d->id;

	fill(d, &o, COLOUR_BORDER);
	fill(d, &t, d->focused ? COLOUR_TITLE_FOCUSED : COLOUR_TITLE);
	fill(d, &c, COLOUR_CLOSE + (hovered && hover.element == DECO_CLOSE ? COLOUR_HOVER_MIX : 0));
	fill(d, &m, COLOUR_MAXIMIZE +
			    (hovered && hover.element == DECO_MAXIMIZE ? COLOUR_HOVER_MIX : 0));
	draw_title(d, &t, m.w ? m.x : c.x);
	gui_refresh(d->gui.session, 0, 0, d->gui.width, d->gui.height);
}

static void report_hover(long x, long y)
{
	static char text[sizeof(hover_text)];
	struct cfg_writer w;
	const char *name = deco_hit_name(hover);

	cfg_writer_init(&w, text, sizeof(text));
	cfg_node_begin(&w, "hover");
	if (hover_id && name) {
		char num[24];
		cfg_node_attr_u64(&w, "window", hover_id);
		snprintf(num, sizeof(num), "%ld", x);
		cfg_node_attr(&w, "xpos", num);
		snprintf(num, sizeof(num), "%ld", y);
		cfg_node_attr(&w, "ypos", num);
		cfg_node_attr(&w, "element", name);
	}
	cfg_node_end(&w);
	if (cfg_writer_ok(&w) && strcmp(text, hover_text)) {
		memcpy(hover_text, text, w.len + 1);
		reporter_submit(&hover_rep, text, w.len);
	}
}

static void set_hover(unsigned id, struct deco_hit h, long x, long y)
{
	unsigned old = hover_id;

	hover_id = id;
	hover = h;
	report_hover(x, y);
	for (unsigned i = 0; i < LAY_WINDOWS_MAX; i++)
		if (decos[i].used && decos[i].gui.pixels && (decos[i].id == old || decos[i].id == id))
			draw(&decos[i]);
}

static void input_signal(void *arg)
{
	struct input_event e;

	(void)arg;
	for (unsigned i = 0; i < LAY_WINDOWS_MAX; i++) {
		struct deco *d = &decos[i];
		if (!d->used)
			continue;
		while (gui_input_next(&d->gui, &e)) {
			if (e.type == GUI_EV_POINTER) {
				struct deco_hit h = deco_hit(&d->win, &margins, e.x, e.y);
				set_hover(h.element == DECO_NONE ? 0 : d->id, h, e.x, e.y);
			} else if (e.type == GUI_EV_LEAVE && hover_id == d->id) {
				set_hover(0, (struct deco_hit){ DECO_NONE, 0 }, 0, 0);
			}
		}
	}
}

static void drop(struct deco *d)
{
	gui_disconnect(&d->gui);
	if (hover_id == d->id)
		set_hover(0, (struct deco_hit){ DECO_NONE, 0 }, 0, 0);
	*d = (struct deco){ 0 };
}

/* At most TITLE_MAX - 1 bytes of t, cut before a character, not in it. */
static void title_copy(char *dst, const char *t)
{
	size_t n = strlen(t);

	if (n >= TITLE_MAX) {
		n = TITLE_MAX - 1;
		while (n && ((unsigned char)t[n] & 0xc0u) == 0x80u)
			n--;
	}
	memcpy(dst, t, n);
	dst[n] = 0;
}

/* The decoration of window id at r: a session, a buffer of its size, a view. */
static void decorate(unsigned id, const struct wm_rect *r, bool focused, const char *title)
{
	struct deco *d = 0, *free_d = 0;
	struct wm_rect o = deco_outer(r, &margins);
	char label[16];
	rpc_status_t st;

	for (unsigned i = 0; i < LAY_WINDOWS_MAX; i++) {
		if (decos[i].used && decos[i].id == id)
			d = &decos[i];
		if (!decos[i].used && !free_d)
			free_d = &decos[i];
	}
	if (!d) {
		if (!(d = free_d)) {
			log("error: more than %u windows", (unsigned)LAY_WINDOWS_MAX);
			return;
		}
		snprintf(label, sizeof(label), "%u", id);
		st = gui_connect(&d->gui, label, (word_t)o.w, (word_t)o.h);
		if (st != RPC_OK) {
			log("error: no Gui session for window %u: %s", id, rpc_status_name(st));
			return;
		}
		d->used = true;
		d->id = id;
		d->paid = GUI_BUFFER_COST(o.w, o.h);
		st = gui_input_attach(&d->gui, input_sig.cap);
		if (st != RPC_OK)
			log("no input for window %u's decoration: %s", id, rpc_status_name(st));
	}
	d->seen = true;
	d->focused = focused;
	d->win = *r;
	title_copy(d->title, title);
	if (d->gui.width != (word_t)o.w || d->gui.height != (word_t)o.h) {
		word_t cost = GUI_BUFFER_COST(o.w, o.h);
		if (cost > d->paid) {
			st = parent_upgrade(COMPONENT_PARENT, d->gui.id, cost - d->paid, 0, 0);
			if (st != RPC_OK) {
				log("error: no quota for window %u's decoration: %s", id,
				    rpc_status_name(st));
				return;
			}
			d->paid = cost;
		}
		st = gui_set_buffer(&d->gui, (word_t)o.w, (word_t)o.h);
		if (st != RPC_OK) {
			log("error: no buffer for window %u's decoration: %s", id, rpc_status_name(st));
			return;
		}
	}
	draw(d);
	if (!d->has_view) {
		if (gui_view_create(d->gui.session, &d->view) != RPC_OK) {
			log("error: no view for window %u's decoration", id);
			return;
		}
		d->has_view = true;
	}
	gui_view_geometry(d->gui.session, d->view, (word_t)o.x, (word_t)o.y, (word_t)o.w,
			  (word_t)o.h);
}

static void layout_changed(void *arg)
{
	(void)arg;
	if (!config_rom_update(&layout_rom)) {
		if (layout_rom.err.msg)
			log("error: window_layout:%u:%u: %s", layout_rom.err.line,
			    layout_rom.err.col, layout_rom.err.msg);
		return;
	}
	if (!cfg_is(layout_rom.node, "window_layout")) {
		log("error: window_layout: not a <window_layout>");
		return;
	}
	for (unsigned i = 0; i < LAY_WINDOWS_MAX; i++)
		decos[i].seen = false;
	for (const struct cfg_node *c = cfg_child(layout_rom.node, "window"); c;
	     c = cfg_next(c, "window")) {
		static const char *const names[] = { "xpos", "ypos", "width", "height" };
		uint64_t id;
		long v[4];
		bool focused = false, close = false, bad = cfg_attr_u64(c, "id", 0, &id) <= 0 || !id;
		for (unsigned k = 0; k < 4 && !bad; k++)
			bad = !cfg_attr(c, names[k]) ||
			      !wm_parse_long(cfg_attr(c, names[k]), 16384, &v[k]) ||
			      (k >= 2 && (v[k] < 1 || v[k] > (long)GUI_MAX_SIDE - 64));
		if (!bad)
			bad = cfg_attr_bool(c, "focused", false, &focused) < 0 ||
			      cfg_attr_bool(c, "close", false, &close) < 0;
		if (bad) {
			log("error: window_layout: a <window> without good id, xpos, ypos, width, height");
			continue;
		}
		if (close)
			continue;
		struct wm_rect r = { v[0], v[1], v[2], v[3] };
		decorate((unsigned)id, &r, focused, cfg_attr(c, "title") ? cfg_attr(c, "title") : "");
	}
	for (unsigned i = 0; i < LAY_WINDOWS_MAX; i++)
		if (decos[i].used && !decos[i].seen)
			drop(&decos[i]);
}

void component_construct(struct component_env *env)
{
	struct pd_quota q0 = { 0, 0, 0, 0 }, q1 = { 0, 0, 0, 0 };
	char text[128];
	int n;
	rpc_status_t st;

	ep = &env->ep;
	pd_quota(env->pd, &q0);
	font = gui_font_open_rom("font", TITLE_PX, GLYPH_CACHE, &ttf);
	if (!font)
		component_exit(2);
	gui_font_metrics(font, &fm);
	pd_quota(env->pd, &q1);
	log("titles at %d px: the font costs %lu bytes of RAM (glyph cache up to %u more)", TITLE_PX,
	    (unsigned long)(q1.ram_used - q0.ram_used), GLYPH_CACHE);
	n = snprintf(text, sizeof(text),
		     "<decorator_margins top=\"%ld\" bottom=\"%ld\" left=\"%ld\" right=\"%ld\"/>",
		     margins.top, margins.bottom, margins.left, margins.right);
	st = signal_handler_init(ep, &input_sig, input_signal, 0);
	if (st == RPC_OK)
		st = reporter_open(&margins_rep, "decorator_margins", sizeof(text));
	if (st == RPC_OK)
		st = reporter_submit(&margins_rep, text, (word_t)n);
	if (st == RPC_OK)
		st = reporter_open(&hover_rep, "hover", sizeof(hover_text));
	if (st == RPC_OK)
		st = config_rom_open(&layout_rom, "window_layout", ep, layout_changed, 0);
	if (st != RPC_OK) {
		log("error: cannot start: %s", rpc_status_name(st));
		component_exit(2);
	}
	report_hover(0, 0);
	layout_changed(0);
}
