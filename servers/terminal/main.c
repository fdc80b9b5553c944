/*
 * terminal (docs/gui.md "Terminal"): a Gui client that shows the screen
 * model of vt.h in its buffer and serves Terminal sessions
 * (terminal_session.h) to programs. It runs under the GUI server (its
 * view covers the screen, GUI_MODE) and under a window manager alike (its
 * window, GUI_MODE the size the layouter gave it).
 *
 * Bytes a program writes go to vt_write; the rows vt reports damaged are
 * drawn (render.c) and refreshed alone. Keys come from GUI input:
 * modifiers tracked from press and release, characters (INPUT_CHAR) through
 * vt_char_bytes, other keys through vt_key_bytes; Shift+PageUp/PageDown
 * scroll the view through the scrollback. Dragging the left button
 * selects, its release copies the selection as the report `clipboard`;
 * Shift+Insert or the middle button pastes the ROM `clipboard` (paste()).
 * Blinking cells blink with a Timer session (they alone redrawn every
 * BLINK_US while there are any).
 * The report `terminal` gives the screen's text after changes (at most
 * once per request or input batch).
 *
 * Config: <config font_px="16" scrollback="1000" fg="#rrggbb"
 * bg="#rrggbb" report="yes" clipboard="(as report)"/>; the font is the ROM "mono.ttf" (DejaVu
 * Sans Mono of the dejavu port).
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/printf.h>
#include <argil/ram_buf.h>
#include <argil/rom.h>
#include <argil/session_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <gui_session.h>
#include <report_session.h>
#include <terminal_session.h>
#include <timer_session.h>
#include "render.h"



#define TEXT_REPORT_SIZE (256 * 1024)
#define CLIP_REPORT_SIZE (64 * 1024)

struct session {
	struct server_session ss;
	struct ram_buf io;
	cptr_t sigh;
	char in[TERMINAL_INPUT_MAX];     /* typed bytes, a ring */
	size_t in_head, in_count;
	uint64_t dropped;
};

static struct component_env *env;
static unsigned font_px = TERM_FONT_PX, scrollback = TERM_SCROLLBACK;
static uint32_t fg = TERM_FG, bg = TERM_BG;
static bool report = true, clipboard = true;
static struct attached_rom ttf;
static struct gui_font *font;
static struct gui_connection gui;
static word_t gui_quota, view;
static struct gui_surface surf;
static struct term_view tv;
static struct vt vt;
static void *vt_mem;
static int width, height;
static unsigned mods;
static bool selecting, full_damage;
static int ptr_x, ptr_y, anchor_col, anchor_row;
static struct signal_handler input_sig, mode_sig;
static struct reporter text_rep, clip_rep;
static bool text_reporting, clip_reporting;
static char *report_buf, *clip_text;
static uint64_t dropped_total;
static struct session_server server;
static struct config_rom clip_rom;
static bool clip_rom_open, clip_rom_failed;
static struct timer_connection timer;
static bool have_timer, blink_armed;
static struct signal_handler blink_sig;
static bool blink_rows[VT_MAX_SIDE];   /* rows of the view with a blinking cell */
static int blink_count;

/* ---- drawing ---- */

static void blink_arm(void);

/* A row drawn; whether it blinks is remembered for the blink timer. */
static void draw_row(int r)
{
	bool b = term_draw_row(&surf, &tv, &vt, r);

	if (r >= 0 && r < VT_MAX_SIDE && b != blink_rows[r]) {
		blink_rows[r] = b;
		blink_count += b ? 1 : -1;
	}
}

static void refresh_rows(int first, int last)
{
	int y0 = first * tv.grid.cell_h, y1 = (last + 1) * tv.grid.cell_h;

	for (int r = first; r <= last; r++)
		draw_row(r);
	gui_refresh(gui.session, 0, (word_t)y0, (word_t)width, (word_t)(y1 - y0));
	blink_arm();
}

static void redraw_all(void)
{
	int gw = tv.grid.cols * tv.grid.cell_w, gh = tv.grid.rows * tv.grid.cell_h;

	for (int r = 0; r < tv.grid.rows; r++)
		draw_row(r);
	for (int r = tv.grid.rows; r < VT_MAX_SIDE; r++)
		if (blink_rows[r]) {
			blink_rows[r] = false;   /* rows of an earlier, taller grid */
			blink_count--;
		}
	gui_fill(&surf, gui_rect(gw, 0, width - gw, height), tv.bg);
	gui_fill(&surf, gui_rect(0, gh, gw, height - gh), tv.bg);
	gui_refresh(gui.session, 0, 0, (word_t)width, (word_t)height);
	blink_arm();
}

/* ---- blinking ---- */

#define BLINK_US 500000

/* The timer runs while a row blinks. */
static void blink_arm(void)
{
	if (!have_timer || (blink_count > 0) == blink_armed)
		return;
	blink_armed = blink_count > 0;
	if (blink_armed) {
		timer_trigger_periodic(timer.session, BLINK_US);
	} else {
		timer_stop(timer.session);
		tv.blink_off = false;
	}
}

/* Blinking cells on or off: only they are drawn and refreshed. */
static void on_blink(void *arg)
{
	(void)arg;
	if (!width || !blink_count)
		return;
	tv.blink_off = !tv.blink_off;
	for (int r = 0; r < tv.grid.rows && r < VT_MAX_SIDE; r++) {
		int x0, x1;

		if (!blink_rows[r])
			continue;
		if (term_draw_blinking(&surf, &tv, &vt, r, &x0, &x1)) {
			gui_refresh(gui.session, (word_t)x0, (word_t)(r * tv.grid.cell_h), (word_t)(x1 - x0),
			            (word_t)tv.grid.cell_h);
		} else {
			blink_rows[r] = false;
			blink_count--;
		}
	}
	blink_arm();
}

static void publish_text(void);
static void typed(const char *b, size_t n);

/* After a change of vt or the view: draw what changed, report the text. */
static void update(void)
{
	static int cursor_row = -1, cursor_col = -1;   /* where the cursor was drawn */
	int first, last;
	bool damaged = vt_take_damage(&vt, &first, &last);
	int now = vt.cursor_visible ? vt.cur.y : -1;
	bool view_moved = full_damage;

	/* the cursor's old and new rows are drawn too */
	if (now != cursor_row || vt.cur.x != cursor_col) {
		for (int r = 0; r < 2; r++) {
			int row = r ? now : cursor_row;
			if (row < 0)
				continue;
			if (!damaged) {
				first = last = row;
				damaged = true;
			} else {
				first = row < first ? row : first;
				last = row > last ? row : last;
			}
		}
		cursor_row = now;
		cursor_col = vt.cur.x;
	}

	if (vt.reply_len) {
		/* the answers vt owes the program go to it as if typed */
		typed(vt.reply, vt.reply_len);
		vt.reply_len = 0;
	}
	if (!width) {
		/* no screen yet: set_size draws everything when one comes */
	} else if (full_damage || (damaged && tv.back)) {
		/* scrolled back: the whole view shows other lines now */
		full_damage = false;
		redraw_all();
	} else if (damaged) {
		if (first < 0)
			first = 0;
		if (last >= tv.grid.rows)
			last = tv.grid.rows - 1;
		if (first <= last)
			refresh_rows(first, last);
	}
	if (damaged || view_moved)
		publish_text();
}

/* ---- reports ---- */

static void publish_text(void)
{
	struct cfg_writer w;
	static char line[VT_MAX_SIDE * 4 + 1];

	if (!text_reporting)
		return;
	cfg_writer_init(&w, report_buf, TEXT_REPORT_SIZE);
	cfg_node_begin(&w, "terminal");
	cfg_node_attr_u64(&w, "cols", (uint64_t)vt.cols);
	cfg_node_attr_u64(&w, "rows", (uint64_t)vt.rows);
	cfg_node_attr_u64(&w, "cursor_x", (uint64_t)vt.cur.x);
	cfg_node_attr_u64(&w, "cursor_y", (uint64_t)vt.cur.y);
	cfg_node_attr_u64(&w, "scrollback", (uint64_t)vt.sb_count);
	cfg_node_attr_u64(&w, "back", (uint64_t)tv.back);
	cfg_node_attr_u64(&w, "dropped", dropped_total);
	for (int r = 0; r < vt.rows; r++) {
		size_t n = vt_text(&vt, 0, r, vt.cols - 1, r, line, sizeof(line) - 1);
		if (n > sizeof(line) - 1)
			n = sizeof(line) - 1;
		line[n] = 0;
		if (!n)
			continue;
		cfg_node_begin(&w, "row");
		cfg_node_attr_u64(&w, "y", (uint64_t)r);
		cfg_node_attr(&w, "text", line);
		cfg_node_end(&w);
	}
	cfg_node_end(&w);
	if (!cfg_writer_ok(&w)) {
		log("error: terminal report does not fit %u bytes", TEXT_REPORT_SIZE);
		return;
	}
	if (reporter_submit(&text_rep, report_buf, strlen(report_buf)) != RPC_OK)
		log("error: terminal report not submitted");
}

static void publish_clipboard(void)
{
	struct cfg_writer w;
	size_t n;

	if (!clip_reporting || !tv.sel)
		return;
	n = vt_text(&vt, tv.sx0, tv.sy0, tv.sx1, tv.sy1, clip_text, CLIP_REPORT_SIZE / 8);
	if (n > CLIP_REPORT_SIZE / 8) {
		log("selection of %lu bytes cut to %u", (unsigned long)n, CLIP_REPORT_SIZE / 8);
		n = CLIP_REPORT_SIZE / 8;
	}
	cfg_writer_init(&w, report_buf, CLIP_REPORT_SIZE);
	cfg_node_begin(&w, "clipboard");
	cfg_node_text(&w, clip_text, n);
	cfg_node_end(&w);
	if (!cfg_writer_ok(&w)) {
		log("error: clipboard report does not fit %u bytes", CLIP_REPORT_SIZE);
		return;
	}
	if (reporter_submit(&clip_rep, report_buf, strlen(report_buf)) != RPC_OK)
		log("error: clipboard report not submitted");
}

/* ---- paste ---- */

static void typed(const char *b, size_t n);

/* The ROM "clipboard" (<clipboard>text</clipboard>, as the clipboard
 * report is) to the program as typed: line breaks as CR (Enter), other
 * control characters but tab dropped, so that a paste cannot end a
 * bracketed paste early or send escape sequences; inside CSI 200~ ..
 * CSI 201~ when the program asked for it (mode ?2004). */
static void paste(void)
{
	const struct cfg_node *n;
	rpc_status_t st;

	if (!clip_rom_open) {
		if (clip_rom_failed)
			return;
		st = config_rom_open(&clip_rom, "clipboard", 0, 0, 0);
		if (st != RPC_OK) {
			log("error: paste: no ROM clipboard: %s", rpc_status_name(st));
			clip_rom_failed = true;
			return;
		}
		clip_rom_open = true;
	}
	if (!config_rom_update(&clip_rom) || !(n = clip_rom.node) || !cfg_is(n, "clipboard") || !n->text) {
		log("paste: the clipboard is empty");
		return;
	}
	if (vt.bracketed_paste)
		typed("\x1b[200~", 6);
	for (size_t i = 0; i < n->text_len; i++) {
		char c = n->text[i];
		if (c == '\n' && i && n->text[i - 1] == '\r')
			continue;
		if (c == '\n')
			c = '\r';
		if ((uint8_t)c < 0x20 && c != '\t' && c != '\r')
			continue;
		if (c == 0x7f)
			continue;
		typed(&c, 1);
	}
	if (vt.bracketed_paste)
		typed("\x1b[201~", 6);
}

/* ---- typed bytes to the sessions ---- */

static void typed(const char *b, size_t n)
{
	for (struct server_session *ss = server.sessions; ss; ss = ss->next) {
		struct session *s = (struct session *)ss;
		size_t took = 0;

		for (size_t i = 0; i < n; i++) {
			if (s->in_count == TERMINAL_INPUT_MAX) {
				s->dropped += n - i;
				dropped_total += n - i;
				break;
			}
			s->in[(s->in_head + s->in_count) % TERMINAL_INPUT_MAX] = b[i];
			s->in_count++;
			took++;
		}
		if (took && s->sigh)
			signal_submit(s->sigh);
	}
}

/* ---- the size ---- */

static bool set_size(void)
{
	word_t w, h, cost;
	size_t need;
	void *mem;
	rpc_status_t st;
	struct term_view nv;

	st = gui_mode(gui.session, &w, &h);
	if (st != RPC_OK || !w || !h) {
		if (st != RPC_OK)
			log("error: GUI_MODE: %s", rpc_status_name(st));
		return false;
	}
	if ((int)w == width && (int)h == height)
		return true;
	cost = GUI_BUFFER_COST(w, h);
	if (cost > gui_quota) {
		st = parent_upgrade(COMPONENT_PARENT, gui.id, cost - gui_quota, 0, 0);
		if (st != RPC_OK) {
			log("error: no quota for a %lux%lu buffer: %s", (unsigned long)w, (unsigned long)h,
			    rpc_status_name(st));
			return false;
		}
		gui_quota = cost;
	}
	term_view_init(&nv, font, (int)w, (int)h, fg, bg);
	need = vt_memory(nv.grid.cols, nv.grid.rows, (int)scrollback);
	mem = malloc(need);
	if (!mem) {
		log("error: no memory for %dx%d cells", nv.grid.cols, nv.grid.rows);
		return false;
	}
	if (vt_mem ? !vt_resize(&vt, mem, need, nv.grid.cols, nv.grid.rows, (int)scrollback)
	           : !vt_init(&vt, mem, need, nv.grid.cols, nv.grid.rows, (int)scrollback)) {
		log("error: a grid of %dx%d cells refused", nv.grid.cols, nv.grid.rows);
		free(mem);
		return false;
	}
	free(vt_mem);
	vt_mem = mem;
	st = gui_set_buffer(&gui, w, h);
	if (st != RPC_OK) {
		log("error: GUI buffer %lux%lu: %s", (unsigned long)w, (unsigned long)h, rpc_status_name(st));
		return false;
	}
	width = (int)w;
	height = (int)h;
	tv = nv;
	gui_surface_init(&surf, gui.pixels, width, height, width);
	gui_view_geometry(gui.session, view, 0, 0, w, h);
	redraw_all();
	publish_text();
	log("%dx%d pixels, %dx%d cells", width, height, vt.cols, vt.rows);
	for (struct server_session *ss = server.sessions; ss; ss = ss->next)
		if (((struct session *)ss)->sigh)
			signal_submit(((struct session *)ss)->sigh);
	return true;
}

static void announce(void);

static void on_mode(void *arg)
{
	(void)arg;
	if (set_size())
		announce();
}

/* ---- input ---- */

static unsigned mod_of(uint32_t code)
{
	switch (code) {
	case KEY_LEFTSHIFT: case KEY_RIGHTSHIFT: return VT_MOD_SHIFT;
	case KEY_LEFTCTRL: case KEY_RIGHTCTRL: return VT_MOD_CTRL;
	case KEY_LEFTALT: case KEY_RIGHTALT: return VT_MOD_ALT;
	}
	return 0;
}

static void scroll_view(int lines)
{
	int back = tv.back + lines;

	if (back > vt.sb_count)
		back = vt.sb_count;
	if (back < 0)
		back = 0;
	if (back != tv.back) {
		tv.back = back;
		full_damage = true;
	}
}

/* the cell under the pointer, in vt_cell rows */
static void cell_at(int x, int y, int *col, int *row)
{
	int c, r;

	if (!width) {
		/* no screen, no grid yet */
		*col = *row = 0;
		return;
	}
	c = x / tv.grid.cell_w;
	r = y / tv.grid.cell_h;

	if (c < 0)
		c = 0;
	if (c >= vt.cols)
		c = vt.cols - 1;
	if (r < 0)
		r = 0;
	if (r >= vt.rows)
		r = vt.rows - 1;
	*col = c;
	*row = r - tv.back;
}

static void select_to(int x, int y)
{
	int col, row;
	bool before;

	cell_at(x, y, &col, &row);
	if (!tv.sel && col == anchor_col && row == anchor_row)
		return;
	before = row < anchor_row || (row == anchor_row && col < anchor_col);
	tv.sel = true;
	tv.sx0 = before ? col : anchor_col;
	tv.sy0 = before ? row : anchor_row;
	tv.sx1 = before ? anchor_col : col;
	tv.sy1 = before ? anchor_row : row;
	full_damage = true;
}

static void on_input(void *arg)
{
	struct input_event e;
	char b[16];
	size_t n;

	(void)arg;
	while (gui_input_next(&gui, &e)) {
		switch (e.type) {
		case INPUT_PRESS:
			if (e.code == KEY_BTN_LEFT) {
				if (tv.sel)
					full_damage = true;
				tv.sel = false;
				selecting = true;
				cell_at(ptr_x, ptr_y, &anchor_col, &anchor_row);
				break;
			}
			mods |= mod_of(e.code);
			if (e.code == KEY_BTN_MIDDLE || ((mods & VT_MOD_SHIFT) && e.code == KEY_INSERT)) {
				scroll_view(-tv.back);
				paste();
				break;
			}
			if ((mods & VT_MOD_SHIFT) && (e.code == KEY_PAGEUP || e.code == KEY_PAGEDOWN)) {
				scroll_view(e.code == KEY_PAGEUP ? vt.rows / 2 : -(vt.rows / 2));
				break;
			}
			n = vt_key_bytes(&vt, e.code, mods, b);
			if (n) {
				scroll_view(-tv.back);
				typed(b, n);
			}
			break;
		case INPUT_RELEASE:
			if (e.code == KEY_BTN_LEFT) {
				if (selecting)
					publish_clipboard();
				selecting = false;
				break;
			}
			mods &= ~mod_of(e.code);
			break;
		case INPUT_CHAR:
			/* control characters come with their key (vt_key_bytes) */
			if (e.code < 0x20 || e.code == 0x7f)
				break;
			n = vt_char_bytes(e.code, mods, b);
			if (n) {
				scroll_view(-tv.back);
				typed(b, n);
			}
			break;
		case INPUT_WHEEL:
			scroll_view(e.y * 3);
			break;
		case GUI_EV_POINTER:
			ptr_x = e.x;
			ptr_y = e.y;
			if (selecting)
				select_to(e.x, e.y);
			break;
		case GUI_EV_FOCUS:
			if (!e.x)
				mods = 0;
			break;
		}
	}
	update();
}

/* ---- Terminal sessions ---- */

static rpc_status_t do_ds(struct terminal_ds_call *c)
{
	struct session *s = c->obj;

	c->out.ds = s->io.ds;
	c->out.size = TERMINAL_IO_SIZE;
	return RPC_OK;
}

static rpc_status_t do_write(struct terminal_write_call *c)
{
	struct session *s = c->obj;

	if (c->in.count > TERMINAL_IO_SIZE)
		return RPC_E_INVALID_ARGUMENT;
	vt_write(&vt, s->io.va, c->in.count);
	c->out.taken = c->in.count;
	if (tv.sel && vt.damage_first <= vt.damage_last && vt.damage_first <= tv.sy1 &&
	    vt.damage_last >= tv.sy0) {
		/* the program changed (or scrolled) what was selected: the
		 * selection goes (the clipboard keeps its copy) */
		tv.sel = false;
		full_damage = true;
	}
	if (tv.back) {
		/* new output shows the live screen */
		tv.back = 0;
		full_damage = true;
	}
	update();
	return RPC_OK;
}

static rpc_status_t do_read(struct terminal_read_call *c)
{
	struct session *s = c->obj;
	char *out = s->io.va;
	size_t n = 0;

	while (s->in_count && n < TERMINAL_IO_SIZE) {
		out[n++] = s->in[s->in_head];
		s->in_head = (s->in_head + 1) % TERMINAL_INPUT_MAX;
		s->in_count--;
	}
	c->out.count = n;
	return RPC_OK;
}

static rpc_status_t do_avail(struct terminal_avail_call *c)
{
	c->out.count = ((struct session *)c->obj)->in_count;
	return RPC_OK;
}

static rpc_status_t do_size(struct terminal_size_call *c)
{
	c->out.cols = (word_t)vt.cols;
	c->out.rows = (word_t)vt.rows;
	return RPC_OK;
}

static rpc_status_t do_sigh(struct terminal_sigh_call *c)
{
	struct session *s = c->obj;

	rpc_status_t st = rpc_take_sigh(c->in.ntfn, &s->sigh, true);

	if (st == RPC_OK && s->sigh && s->in_count)
		signal_submit(s->sigh);
	return st;
}

RPC_SERVER(terminal, TERMINAL_RPC)

static const struct terminal_server ops = {
	.terminal_ds = do_ds,
	.terminal_write = do_write,
	.terminal_read = do_read,
	.terminal_avail = do_avail,
	.terminal_size = do_size,
	.terminal_sigh = do_sigh,
};

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	terminal_dispatch(&ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t create(struct session_server *srv, struct server_session *ss, const char *args)
{
	struct session *s = (struct session *)ss;

	(void)srv;
	(void)args;
	if (!budget_take(&ss->budget, TERMINAL_SESSION_RAM, TERMINAL_SESSION_CAPS))
		return RPC_E_NO_RAM_QUOTA;
	return ram_buf_alloc(&s->io, TERMINAL_IO_SIZE);
}

static void destroy(struct session_server *srv, struct server_session *ss)
{
	struct session *s = (struct session *)ss;

	(void)srv;
	if (s->sigh)
		cap_slot_free(s->sigh);
	ram_buf_free(&s->io);
}

static struct session_server server = {
	.service = TERMINAL_SERVICE,
	.size = sizeof(struct session),
	.ram = TERMINAL_SESSION_RAM,
	.caps = TERMINAL_SESSION_CAPS,
	.create = create,
	.destroy = destroy,
	.rpc = session_rpc,
};

/* ---- config ---- */

static bool check_config(const struct cfg_node *n)
{
	static const char *const names[] = { "font_px", "scrollback", "fg", "bg", "report", "clipboard", 0 };
	uint64_t v;
	bool ok = cfg_attrs_known(n, names);

	ok &= cfg_attr_range(n, "font_px", TERM_FONT_PX, GUI_FONT_PX_MIN, GUI_FONT_PX_MAX, &v);
	font_px = (unsigned)v;
	ok &= cfg_attr_range(n, "scrollback", TERM_SCROLLBACK, 0, 100000, &v);
	scrollback = (unsigned)v;
	ok &= cfg_colour(n, "fg", fg, &fg);
	ok &= cfg_colour(n, "bg", bg, &bg);
	ok &= cfg_bool(n, "report", true, &report);
	/* the clipboard report goes with the text report unless said */
	ok &= cfg_bool(n, "clipboard", report, &clipboard);
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

/* Sessions are served from the first screen on: a session request that
 * came before would hold init's root calls while set_size's
 * parent_upgrade of the Gui session waits for one of them (init does
 * both in one worker), and neither would end. */
static void announce(void)
{
	static bool announced;
	rpc_status_t st;

	if (announced)
		return;
	announced = true;
	server.ep = &env->ep;
	st = session_server_announce(&server);
	if (st != RPC_OK)
		fail("cannot serve", st);
}

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	if (!config_read_once(check_config))
		component_exit(1);
	font = gui_font_open_rom("mono.ttf", font_px, 0, &ttf);
	if (!font)
		component_exit(2);
	if (report || clipboard) {
		report_buf = malloc(report ? TEXT_REPORT_SIZE : CLIP_REPORT_SIZE);
		if (!report_buf)
			fail("report buffer", RPC_E_NO_RAM_QUOTA);
	}
	if (report) {
		st = reporter_open(&text_rep, "terminal", TEXT_REPORT_SIZE);
		text_reporting = st == RPC_OK;
		if (st != RPC_OK)
			log("error: no terminal report: %s", rpc_status_name(st));
	}
	if (clipboard) {
		clip_text = malloc(CLIP_REPORT_SIZE / 8 + 1);
		if (!clip_text)
			fail("clipboard buffer", RPC_E_NO_RAM_QUOTA);
		st = reporter_open(&clip_rep, "clipboard", CLIP_REPORT_SIZE);
		clip_reporting = st == RPC_OK;
		if (st != RPC_OK)
			log("error: no clipboard report: %s", rpc_status_name(st));
	}
	st = gui_connect(&gui, "", 0, 0);
	if (st != RPC_OK)
		fail("Gui session", st);
	gui_quota = 0;
	if ((st = gui_view_create(gui.session, &view)) != RPC_OK)
		fail("GUI view", st);
	if ((st = signal_handler_init(&env->ep, &mode_sig, on_mode, 0)) != RPC_OK ||
	    (st = gui_mode_sigh(gui.session, mode_sig.cap)) != RPC_OK)
		fail("GUI mode signal", st);
	if ((st = signal_handler_init(&env->ep, &input_sig, on_input, 0)) != RPC_OK ||
	    (st = gui_input_attach(&gui, input_sig.cap)) != RPC_OK)
		fail("GUI input", st);
	/* blinking: with a Timer session (without one, blinking text stays) */
	if ((st = signal_handler_init(&env->ep, &blink_sig, on_blink, 0)) != RPC_OK)
		fail("blink signal", st);
	st = timer_connect(&timer, "blink");
	have_timer = st == RPC_OK && timer_connection_sigh(&timer, blink_sig.cap) == RPC_OK;
	if (!have_timer)
		log("no Timer session (%s): blinking text does not blink", rpc_status_name(st));
	/* no screen yet: the mode signal brings one */
	if (!set_size() && !width)
		log("waiting for a screen (sessions are served from then on)");
	if (!vt_mem) {
		/* input before the first mode needs a vt: a small one */
		size_t need = vt_memory(80, 24, (int)scrollback);
		vt_mem = malloc(need);
		if (!vt_mem || !vt_init(&vt, vt_mem, need, 80, 24, (int)scrollback))
			fail("vt memory", RPC_E_NO_RAM_QUOTA);
	}
	if (width)
		announce();
}
