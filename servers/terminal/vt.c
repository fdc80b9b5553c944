/*
 * The terminal's screen model (vt.h): a parser of the byte stream and the
 * operations on the cell grid it calls. The sequences and their defaults
 * follow xterm's documentation (ctlseqs) and ECMA-48.
 */
#include "vt.h"
#include <input_keys.h>
#include <string.h>
#include <terminal_wide.h>

enum { GROUND, ESC, CSI, OSC, OSC_ESC, CHARSET, HASH };

static int min_i(int a, int b) { return a < b ? a : b; }
static int max_i(int a, int b) { return a > b ? a : b; }

static struct vt_cell *row_at(struct vt *vt, int y) { return vt->screen + (size_t)y * vt->cols; }

static void damage(struct vt *vt, int first, int last)
{
	if (vt->damage_first > vt->damage_last) {
		vt->damage_first = first;
		vt->damage_last = last;
		return;
	}
	vt->damage_first = min_i(vt->damage_first, first);
	vt->damage_last = max_i(vt->damage_last, last);
}

/* An erased cell: xterm erases with the current background colour. */
static struct vt_cell blank(const struct vt *vt)
{
	return (struct vt_cell){ .ch = 0, .fg = VT_DEFAULT, .bg = vt->cur.bg, .attr = 0 };
}

static void erase(struct vt *vt, int y, int x0, int x1)
{
	struct vt_cell b = blank(vt), *r = row_at(vt, y);

	x0 = max_i(x0, 0);
	x1 = min_i(x1, vt->cols - 1);
	for (int x = x0; x <= x1; x++)
		r[x] = b;
	damage(vt, y, y);
}

static void erase_rows(struct vt *vt, int y0, int y1)
{
	for (int y = y0; y <= y1; y++)
		erase(vt, y, 0, vt->cols - 1);
}

static void to_scrollback(struct vt *vt, const struct vt_cell *line)
{
	if (!vt->sb_max)
		return;
	memcpy(vt->scrollback + (size_t)vt->sb_head * vt->cols, line, sizeof(*line) * vt->cols);
	vt->sb_head = (vt->sb_head + 1) % vt->sb_max;
	if (vt->sb_count < vt->sb_max)
		vt->sb_count++;
}

/* Rows top..bottom move up by n; the bottom n are erased. Lines leaving
 * the top of the main screen go to the scrollback. */
static void scroll_up(struct vt *vt, int top, int bottom, int n)
{
	int h = bottom - top + 1;

	if (n <= 0 || h <= 0)
		return;
	n = min_i(n, h);
	if (top == 0 && !vt->alt_active)
		for (int i = 0; i < n; i++)
			to_scrollback(vt, row_at(vt, i));
	memmove(row_at(vt, top), row_at(vt, top + n), sizeof(struct vt_cell) * vt->cols * (h - n));
	erase_rows(vt, bottom - n + 1, bottom);
	damage(vt, top, bottom);
}

static void scroll_down(struct vt *vt, int top, int bottom, int n)
{
	int h = bottom - top + 1;

	if (n <= 0 || h <= 0)
		return;
	n = min_i(n, h);
	memmove(row_at(vt, top + n), row_at(vt, top), sizeof(struct vt_cell) * vt->cols * (h - n));
	erase_rows(vt, top, top + n - 1);
	damage(vt, top, bottom);
}

static void set_default_tabs(struct vt *vt)
{
	memset(vt->tabs, 0, sizeof(vt->tabs));
	for (int x = 8; x < vt->cols; x += 8)
		vt->tabs[x / 8] |= (uint8_t)(1u << (x % 8));
}

static bool is_tab(const struct vt *vt, int x) { return vt->tabs[x / 8] & (1u << (x % 8)); }

static void reset_cursor(struct vt_cursor *c)
{
	*c = (struct vt_cursor){ .fg = VT_DEFAULT, .bg = VT_DEFAULT };
}

static void reset(struct vt *vt)
{
	vt->screen = vt->main;
	vt->alt_active = false;
	reset_cursor(&vt->cur);
	reset_cursor(&vt->saved_main);
	reset_cursor(&vt->saved_alt);
	vt->top = 0;
	vt->bottom = vt->rows - 1;
	vt->autowrap = true;
	vt->cursor_visible = true;
	vt->insert = vt->app_cursor = vt->newline_mode = vt->bracketed_paste = false;
	set_default_tabs(vt);
	vt->state = GROUND;
	vt->utf8_left = 0;
	vt->screen = vt->alt;
	erase_rows(vt, 0, vt->rows - 1);
	vt->screen = vt->main;
	erase_rows(vt, 0, vt->rows - 1);
}

size_t vt_memory(int cols, int rows, int sb_max)
{
	if (cols < 1 || rows < 1 || cols > VT_MAX_SIDE || rows > VT_MAX_SIDE || sb_max < 0 ||
	    sb_max > 100000)
		return 0;
	return sizeof(struct vt_cell) * (size_t)cols * (2 * (size_t)rows + (size_t)sb_max);
}

static bool place(struct vt *vt, void *mem, size_t size, int cols, int rows, int sb_max)
{
	size_t need = vt_memory(cols, rows, sb_max);

	if (!need || !mem || size < need)
		return false;
	vt->cols = cols;
	vt->rows = rows;
	vt->main = mem;
	vt->alt = vt->main + (size_t)cols * rows;
	vt->scrollback = vt->alt + (size_t)cols * rows;
	vt->sb_max = sb_max;
	return true;
}

bool vt_init(struct vt *vt, void *mem, size_t size, int cols, int rows, int sb_max)
{
	memset(vt, 0, sizeof(*vt));
	if (!place(vt, mem, size, cols, rows, sb_max))
		return false;
	vt->damage_first = 1;
	reset(vt);
	return true;
}

bool vt_resize(struct vt *vt, void *mem, size_t size, int cols, int rows, int sb_max)
{
	struct vt old = *vt;
	int keep_sb, shift;

	if (!vt_memory(cols, rows, sb_max) || size < vt_memory(cols, rows, sb_max))
		return false;
	if ((char *)mem < (char *)old.main + vt_memory(old.cols, old.rows, old.sb_max) &&
	    (char *)old.main < (char *)mem + size)
		return false;   /* the new memory must not overlap the old */
	place(vt, mem, size, cols, rows, sb_max);
	/* rows that no longer fit at the bottom push the top ones into the
	 * scrollback, so that the cursor's line stays visible */
	shift = max_i(0, old.cur.y - (rows - 1));
	vt->screen = vt->alt;
	vt->alt_active = true;
	erase_rows(vt, 0, rows - 1);
	vt->screen = vt->main;
	vt->alt_active = false;
	erase_rows(vt, 0, rows - 1);
	vt->sb_count = vt->sb_head = 0;
	keep_sb = min_i(old.sb_count + (old.alt_active ? 0 : shift), sb_max);
	for (int i = keep_sb; i >= 1; i--) {
		/* the i-th newest of the old scrollback and the pushed rows */
		int pushed = old.alt_active ? 0 : shift;
		const struct vt_cell *src;
		struct vt_cell *dst = vt->scrollback + (size_t)vt->sb_head * cols;

		if (i <= pushed)
			src = old.main + (size_t)(pushed - i) * old.cols;
		else
			src = old.scrollback +
			      (size_t)((old.sb_head - (i - pushed) + old.sb_max) % old.sb_max) * old.cols;
		for (int x = 0; x < cols; x++)
			dst[x] = x < old.cols ? src[x] : blank(vt);
		vt->sb_head = (vt->sb_head + 1) % vt->sb_max;
		vt->sb_count++;
	}
	for (int s = 0; s < 2; s++) {
		const struct vt_cell *from = s ? old.alt : old.main;
		struct vt_cell *to = s ? vt->alt : vt->main;
		int off = (s == 1) == old.alt_active ? shift : 0;

		for (int y = 0; y < rows && y + off < old.rows; y++)
			memcpy(to + (size_t)y * cols, from + (size_t)(y + off) * old.cols,
			       sizeof(struct vt_cell) * min_i(cols, old.cols));
	}
	vt->alt_active = old.alt_active;
	vt->screen = vt->alt_active ? vt->alt : vt->main;
	vt->cur.y -= shift;
	vt->cur.x = min_i(vt->cur.x, cols - 1);
	vt->cur.wrap_next = false;
	vt->saved_main.x = min_i(vt->saved_main.x, cols - 1);
	vt->saved_main.y = min_i(vt->saved_main.y, rows - 1);
	vt->saved_alt.x = min_i(vt->saved_alt.x, cols - 1);
	vt->saved_alt.y = min_i(vt->saved_alt.y, rows - 1);
	vt->top = 0;
	vt->bottom = rows - 1;
	set_default_tabs(vt);
	vt->damage_first = 0;
	vt->damage_last = rows - 1;
	return true;
}

/* LF: down a row, scrolling at the bottom of the region. */
static void line_feed(struct vt *vt)
{
	vt->cur.wrap_next = false;
	if (vt->cur.y == vt->bottom)
		scroll_up(vt, vt->top, vt->bottom, 1);
	else if (vt->cur.y < vt->rows - 1)
		vt->cur.y++;
}

static void reverse_index(struct vt *vt)
{
	vt->cur.wrap_next = false;
	if (vt->cur.y == vt->top)
		scroll_down(vt, vt->top, vt->bottom, 1);
	else if (vt->cur.y > 0)
		vt->cur.y--;
}

/* Cell x of row r is about to change: the other half of a wide
 * character it belongs to is erased. */
static void split_wide(struct vt *vt, struct vt_cell *r, int x)
{
	struct vt_cell b = blank(vt);

	if ((r[x].attr & VT_WIDE_TAIL) && x > 0 && (r[x - 1].attr & VT_WIDE))
		r[x - 1] = b;
	if ((r[x].attr & VT_WIDE) && x + 1 < vt->cols && (r[x + 1].attr & VT_WIDE_TAIL))
		r[x + 1] = b;
}

static void put_char(struct vt *vt, uint32_t ch)
{
	struct vt_cell *r;
	int w = terminal_wide(ch) && vt->cols >= 2 ? 2 : 1;

	if (vt->cur.wrap_next && vt->autowrap) {
		vt->cur.x = 0;
		line_feed(vt);
	}
	vt->cur.wrap_next = false;
	r = row_at(vt, vt->cur.y);
	if (w == 2 && vt->cur.x == vt->cols - 1) {
		/* no room in the last column: it stays blank, the character
		 * goes to the next line (without autowrap: over the last two) */
		split_wide(vt, r, vt->cur.x);
		r[vt->cur.x] = blank(vt);
		damage(vt, vt->cur.y, vt->cur.y);
		if (vt->autowrap) {
			vt->cur.x = 0;
			line_feed(vt);
			r = row_at(vt, vt->cur.y);
		} else {
			vt->cur.x--;
		}
	}
	if (vt->insert)
		memmove(r + vt->cur.x + w, r + vt->cur.x,
			sizeof(*r) * (size_t)(vt->cols - vt->cur.x - w));
	for (int i = 0; i < w; i++)
		split_wide(vt, r, vt->cur.x + i);
	r[vt->cur.x] = (struct vt_cell){ .ch = ch, .fg = vt->cur.fg, .bg = vt->cur.bg,
					 .attr = (uint16_t)(vt->cur.attr | (w == 2 ? VT_WIDE : 0)) };
	if (w == 2)
		r[vt->cur.x + 1] = (struct vt_cell){ .ch = 0, .fg = vt->cur.fg, .bg = vt->cur.bg,
						     .attr = (uint16_t)(vt->cur.attr | VT_WIDE_TAIL) };
	if (vt->insert && (r[vt->cols - 1].attr & VT_WIDE))
		r[vt->cols - 1] = blank(vt);   /* pushed off by half */
	damage(vt, vt->cur.y, vt->cur.y);
	if (vt->cur.x + w > vt->cols - 1) {
		vt->cur.x = vt->cols - 1;
		vt->cur.wrap_next = vt->autowrap;
	} else {
		vt->cur.x += w;
	}
}

static void move_to(struct vt *vt, int x, int y)
{
	int top = vt->cur.origin ? vt->top : 0, bottom = vt->cur.origin ? vt->bottom : vt->rows - 1;

	vt->cur.x = max_i(0, min_i(x, vt->cols - 1));
	vt->cur.y = max_i(top, min_i(y + top, bottom));
	vt->cur.wrap_next = false;
}

/* Vertical moves stop at the scroll region's edge when they start in it. */
static void move_rows(struct vt *vt, int n)
{
	int y = vt->cur.y + n;
	bool in = vt->cur.y >= vt->top && vt->cur.y <= vt->bottom;

	y = max_i(in ? vt->top : 0, min_i(y, in ? vt->bottom : vt->rows - 1));
	vt->cur.y = y;
	vt->cur.wrap_next = false;
}

static uint32_t param(const struct vt *vt, int i, uint32_t def)
{
	return i < vt->nparams && vt->params[i] ? vt->params[i] : def;
}

static void reply(struct vt *vt, const char *s, size_t n)
{
	if (vt->reply_len + n <= sizeof(vt->reply)) {
		memcpy(vt->reply + vt->reply_len, s, n);
		vt->reply_len += n;
	}
}

static size_t fmt_uint(char *out, unsigned v)
{
	char tmp[12];
	size_t n = 0, k = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		out[k++] = tmp[--n];
	return k;
}

/* SGR 38/48: ";5;n" or ";2;r;g;b" after parameter i; returns the
 * parameters used. */
static int extended_colour(const struct vt *vt, int i, uint32_t *out)
{
	if (i + 1 >= vt->nparams)
		return 0;
	if (vt->params[i + 1] == 5 && i + 2 < vt->nparams) {
		if (vt->params[i + 2] < 256)
			*out = vt->params[i + 2];
		return 2;
	}
	if (vt->params[i + 1] == 2 && i + 4 < vt->nparams) {
		if (vt->params[i + 2] < 256 && vt->params[i + 3] < 256 && vt->params[i + 4] < 256)
			*out = VT_RGB | vt->params[i + 2] << 16 | vt->params[i + 3] << 8 | vt->params[i + 4];
		return 4;
	}
	return 1;
}

static void sgr(struct vt *vt)
{
	struct vt_cursor *c = &vt->cur;

	if (!vt->nparams) {
		c->attr = 0;
		c->fg = c->bg = VT_DEFAULT;
		return;
	}
	for (int i = 0; i < vt->nparams; i++) {
		uint32_t p = vt->params[i];

		switch (p) {
		case 0: c->attr = 0; c->fg = c->bg = VT_DEFAULT; break;
		case 1: c->attr |= VT_BOLD; break;
		case 2: c->attr |= VT_FAINT; break;
		case 3: c->attr |= VT_ITALIC; break;
		case 4: c->attr |= VT_UNDERLINE; break;
		case 5: case 6: c->attr |= VT_BLINK; break;
		case 7: c->attr |= VT_INVERSE; break;
		case 8: c->attr |= VT_HIDDEN; break;
		case 9: c->attr |= VT_STRIKE; break;
		case 21: case 22: c->attr &= (uint16_t)~(VT_BOLD | VT_FAINT); break;
		case 23: c->attr &= (uint16_t)~VT_ITALIC; break;
		case 24: c->attr &= (uint16_t)~VT_UNDERLINE; break;
		case 25: c->attr &= (uint16_t)~VT_BLINK; break;
		case 27: c->attr &= (uint16_t)~VT_INVERSE; break;
		case 28: c->attr &= (uint16_t)~VT_HIDDEN; break;
		case 29: c->attr &= (uint16_t)~VT_STRIKE; break;
		case 38: i += extended_colour(vt, i, &c->fg); break;
		case 39: c->fg = VT_DEFAULT; break;
		case 48: i += extended_colour(vt, i, &c->bg); break;
		case 49: c->bg = VT_DEFAULT; break;
		default:
			if (p >= 30 && p <= 37)
				c->fg = p - 30;
			else if (p >= 40 && p <= 47)
				c->bg = p - 40;
			else if (p >= 90 && p <= 97)
				c->fg = p - 90 + 8;
			else if (p >= 100 && p <= 107)
				c->bg = p - 100 + 8;
			break;   /* others are ignored, as xterm does */
		}
	}
}

static void alt_screen(struct vt *vt, bool on, bool save_cursor, bool clear)
{
	if (on == vt->alt_active)
		return;
	if (on) {
		if (save_cursor)
			vt->saved_main = vt->cur;
		vt->screen = vt->alt;
		vt->alt_active = true;
		if (clear)
			erase_rows(vt, 0, vt->rows - 1);
	} else {
		vt->screen = vt->main;
		vt->alt_active = false;
		if (save_cursor)
			vt->cur = vt->saved_main;
	}
	damage(vt, 0, vt->rows - 1);
}

static void mode(struct vt *vt, bool set)
{
	for (int i = 0; i < vt->nparams; i++) {
		uint32_t p = vt->params[i];

		if (!vt->private_mark) {
			if (p == 4)
				vt->insert = set;
			else if (p == 20)
				vt->newline_mode = set;
			continue;
		}
		switch (p) {
		case 1: vt->app_cursor = set; break;
		case 6: vt->cur.origin = set; move_to(vt, 0, 0); break;
		case 7: vt->autowrap = set; if (!set) vt->cur.wrap_next = false; break;
		case 25: vt->cursor_visible = set; damage(vt, vt->cur.y, vt->cur.y); break;
		case 47: case 1047: alt_screen(vt, set, false, set && p == 1047); break;
		case 1048:
			if (set)
				vt->saved_main = vt->cur;
			else
				vt->cur = vt->saved_main;
			break;
		case 1049: alt_screen(vt, set, true, true); break;
		case 2004: vt->bracketed_paste = set; break;
		default: break;   /* unknown modes are ignored, as xterm does */
		}
	}
}

static void save_cursor(struct vt *vt)
{
	*(vt->alt_active ? &vt->saved_alt : &vt->saved_main) = vt->cur;
}

static void restore_cursor(struct vt *vt)
{
	vt->cur = *(vt->alt_active ? &vt->saved_alt : &vt->saved_main);
	vt->cur.x = min_i(vt->cur.x, vt->cols - 1);
	vt->cur.y = min_i(vt->cur.y, vt->rows - 1);
}

static void tab(struct vt *vt, int n)
{
	int x = vt->cur.x;

	while (n > 0 && x < vt->cols - 1) {
		x++;
		if (is_tab(vt, x))
			n--;
	}
	while (n < 0 && x > 0) {
		x--;
		if (is_tab(vt, x))
			n++;
	}
	vt->cur.x = x;
	vt->cur.wrap_next = false;
}

static void csi(struct vt *vt, uint8_t final)
{
	struct vt_cursor *c = &vt->cur;
	int n = (int)min_i((int)param(vt, 0, 1), 10000);
	struct vt_cell *r = row_at(vt, c->y);
	char buf[32];
	size_t k;

	if (vt->intermediate && final != 'q')
		return;   /* none of the sequences below has one */
	if (vt->private_mark && final != 'h' && final != 'l' && final != 'n')
		return;
	switch (final) {
	case 'A': move_rows(vt, -n); break;
	case 'B': case 'e': move_rows(vt, n); break;
	case 'C': case 'a': c->x = min_i(c->x + n, vt->cols - 1); c->wrap_next = false; break;
	case 'D': c->x = max_i(c->x - n, 0); c->wrap_next = false; break;
	case 'E': move_rows(vt, n); c->x = 0; break;
	case 'F': move_rows(vt, -n); c->x = 0; break;
	case 'G': case '`': c->x = min_i(n, vt->cols) - 1; c->wrap_next = false; break;
	case 'H': case 'f':
		move_to(vt, (int)min_i((int)param(vt, 1, 1), VT_MAX_SIDE) - 1,
			(int)min_i((int)param(vt, 0, 1), VT_MAX_SIDE) - 1);
		break;
	case 'd':
		move_to(vt, c->x, min_i(n, VT_MAX_SIDE) - 1);
		break;
	case 'I': tab(vt, n); break;
	case 'Z': tab(vt, -n); break;
	case 'J':
		switch (param(vt, 0, 0)) {
		case 0:
			erase(vt, c->y, c->x, vt->cols - 1);
			if (c->y + 1 < vt->rows)
				erase_rows(vt, c->y + 1, vt->rows - 1);
			break;
		case 1:
			if (c->y > 0)
				erase_rows(vt, 0, c->y - 1);
			erase(vt, c->y, 0, c->x);
			break;
		case 2: erase_rows(vt, 0, vt->rows - 1); break;
		case 3: vt->sb_count = vt->sb_head = 0; break;
		}
		c->wrap_next = false;
		break;
	case 'K':
		switch (param(vt, 0, 0)) {
		case 0: erase(vt, c->y, c->x, vt->cols - 1); break;
		case 1: erase(vt, c->y, 0, c->x); break;
		case 2: erase(vt, c->y, 0, vt->cols - 1); break;
		}
		c->wrap_next = false;
		break;
	case 'L':
		if (c->y >= vt->top && c->y <= vt->bottom)
			scroll_down(vt, c->y, vt->bottom, n);
		c->x = 0;
		c->wrap_next = false;
		break;
	case 'M':
		if (c->y >= vt->top && c->y <= vt->bottom) {
			bool alt = vt->alt_active;
			vt->alt_active = true;   /* deleted lines never go to the scrollback */
			scroll_up(vt, c->y, vt->bottom, n);
			vt->alt_active = alt;
		}
		c->x = 0;
		c->wrap_next = false;
		break;
	case '@':
		n = min_i(n, vt->cols - c->x);
		memmove(r + c->x + n, r + c->x, sizeof(*r) * (size_t)(vt->cols - c->x - n));
		erase(vt, c->y, c->x, c->x + n - 1);
		c->wrap_next = false;
		break;
	case 'P':
		n = min_i(n, vt->cols - c->x);
		memmove(r + c->x, r + c->x + n, sizeof(*r) * (size_t)(vt->cols - c->x - n));
		erase(vt, c->y, vt->cols - n, vt->cols - 1);
		c->wrap_next = false;
		break;
	case 'X': erase(vt, c->y, c->x, c->x + n - 1); c->wrap_next = false; break;
	case 'S': scroll_up(vt, vt->top, vt->bottom, n); break;
	case 'T': scroll_down(vt, vt->top, vt->bottom, n); break;
	case 'm': sgr(vt); break;
	case 'h': mode(vt, true); break;
	case 'l': mode(vt, false); break;
	case 'r': {
		int top = (int)param(vt, 0, 1) - 1, bottom = (int)param(vt, 1, (uint32_t)vt->rows) - 1;

		bottom = min_i(bottom, vt->rows - 1);
		if (top < bottom) {
			vt->top = top;
			vt->bottom = bottom;
			move_to(vt, 0, 0);
		}
		break;
	}
	case 's': save_cursor(vt); break;
	case 'u': restore_cursor(vt); break;
	case 'g':
		if (param(vt, 0, 0) == 0)
			vt->tabs[c->x / 8] &= (uint8_t)~(1u << (c->x % 8));
		else if (param(vt, 0, 0) == 3)
			memset(vt->tabs, 0, sizeof(vt->tabs));
		break;
	case 'n':
		if (vt->private_mark)
			break;
		if (param(vt, 0, 0) == 5) {
			reply(vt, "\x1b[0n", 4);
		} else if (param(vt, 0, 0) == 6) {
			int y = c->y - (c->origin ? vt->top : 0);

			k = 0;
			buf[k++] = '\x1b';
			buf[k++] = '[';
			k += fmt_uint(buf + k, (unsigned)y + 1);
			buf[k++] = ';';
			k += fmt_uint(buf + k, (unsigned)c->x + 1);
			buf[k++] = 'R';
			reply(vt, buf, k);
		}
		break;
	case 'c':
		if (param(vt, 0, 0) == 0)
			reply(vt, "\x1b[?6c", 5);   /* a VT102 */
		break;
	default:
		break;   /* unknown sequences are ignored, as xterm does */
	}
}

static void esc(struct vt *vt, uint8_t b)
{
	switch (b) {
	case '7': save_cursor(vt); break;
	case '8': restore_cursor(vt); break;
	case 'D': line_feed(vt); break;
	case 'E': vt->cur.x = 0; line_feed(vt); break;
	case 'M': reverse_index(vt); break;
	case 'H': vt->tabs[vt->cur.x / 8] |= (uint8_t)(1u << (vt->cur.x % 8)); break;
	case 'c':
		reset(vt);
		damage(vt, 0, vt->rows - 1);
		break;
	default: break;
	}
}

static void control(struct vt *vt, uint8_t b)
{
	switch (b) {
	case 7: vt->bell++; break;
	case 8:
		if (vt->cur.x > 0)
			vt->cur.x--;
		vt->cur.wrap_next = false;
		break;
	case 9: tab(vt, 1); break;
	case 10: case 11: case 12:
		line_feed(vt);
		if (vt->newline_mode)
			vt->cur.x = 0;
		break;
	case 13: vt->cur.x = 0; vt->cur.wrap_next = false; break;
	default: break;   /* others are ignored */
	}
}

static void begin_sequence(struct vt *vt, int state)
{
	vt->state = state;
	vt->nparams = 0;
	vt->param_started = vt->private_mark = false;
	vt->intermediate = 0;
	memset(vt->params, 0, sizeof(vt->params));
}

static void csi_byte(struct vt *vt, uint8_t b)
{
	if (b >= '0' && b <= '9') {
		if (!vt->param_started) {
			vt->param_started = true;
			if (vt->nparams < VT_PARAMS)
				vt->nparams++;
		}
		uint32_t *p = &vt->params[vt->nparams - 1];
		if (*p < 100000)
			*p = *p * 10 + (b - '0');
	} else if (b == ';' || b == ':') {
		if (!vt->param_started && vt->nparams < VT_PARAMS)
			vt->nparams++;   /* an empty parameter: 0, its default */
		vt->param_started = false;
	} else if (b >= '<' && b <= '?') {
		vt->private_mark = true;
	} else if (b >= 0x20 && b <= 0x2f) {
		vt->intermediate = b;
	} else if (b >= 0x40 && b <= 0x7e) {
		if (!vt->param_started && vt->nparams && vt->nparams < VT_PARAMS)
			vt->nparams++;   /* "1;" : a trailing empty parameter */
		vt->state = GROUND;
		csi(vt, b);
	} else {
		vt->state = GROUND;   /* a malformed sequence is dropped */
	}
}

static void osc_end(struct vt *vt)
{
	/* "0;title" and "2;title" set the title; others are ignored */
	if (vt->title_len >= 2 && (vt->title[0] == '0' || vt->title[0] == '2') && vt->title[1] == ';') {
		memmove(vt->title, vt->title + 2, vt->title_len - 2);
		vt->title_len -= 2;
		vt->title[vt->title_len] = 0;
	} else {
		vt->title_len = 0;
		vt->title[0] = 0;
	}
	vt->state = GROUND;
}

/* One code point of the decoded stream. */
static void code_point(struct vt *vt, uint32_t cp)
{
	if (vt->state == OSC) {
		if (cp == 7) {
			osc_end(vt);
		} else if (cp == 0x1b) {
			vt->state = OSC_ESC;
		} else if (cp >= 0x20 && vt->title_len + 4 < sizeof(vt->title)) {
			/* kept as UTF-8 */
			if (cp < 0x80) {
				vt->title[vt->title_len++] = (char)cp;
			} else {
				char u[16];
				size_t n = vt_char_bytes(cp, 0, u);
				memcpy(vt->title + vt->title_len, u, n);
				vt->title_len += n;
			}
			vt->title[vt->title_len] = 0;
		}
		return;
	}
	if (vt->state == OSC_ESC) {
		osc_end(vt);   /* ESC \ (ST), or anything: the string ends */
		if (cp != '\\')
			code_point(vt, cp);
		return;
	}
	if (cp == 0x18 || cp == 0x1a) {   /* CAN, SUB: abort a sequence */
		vt->state = GROUND;
		return;
	}
	if (cp == 0x1b) {
		begin_sequence(vt, ESC);
		return;
	}
	if (cp < 0x20 || cp == 0x7f) {
		if (cp != 0x7f)
			control(vt, (uint8_t)cp);   /* also inside sequences, as xterm does */
		return;
	}
	switch (vt->state) {
	case ESC:
		if (cp == '[') {
			begin_sequence(vt, CSI);
		} else if (cp == ']') {
			vt->state = OSC;
			vt->title_len = 0;
		} else if (cp == '(' || cp == ')' || cp == '*' || cp == '+') {
			vt->state = CHARSET;
		} else if (cp == '#') {
			vt->state = HASH;
		} else {
			vt->state = GROUND;
			esc(vt, (uint8_t)(cp < 0x80 ? cp : 0));
		}
		return;
	case CSI:
		csi_byte(vt, (uint8_t)(cp < 0x80 ? cp : 0xff));
		return;
	case CHARSET:
		vt->state = GROUND;   /* only the ASCII set is there */
		return;
	case HASH:
		vt->state = GROUND;
		if (cp == '8') {   /* DECALN: the screen full of E */
			for (int y = 0; y < vt->rows; y++)
				for (int x = 0; x < vt->cols; x++)
					row_at(vt, y)[x] = (struct vt_cell){ 'E', VT_DEFAULT, VT_DEFAULT, 0, 0 };
			damage(vt, 0, vt->rows - 1);
		}
		return;
	default:
		break;
	}
	if (cp >= 0x80 && cp < 0xa0)
		return;   /* C1 controls are not interpreted */
	if ((cp >= 0x300 && cp <= 0x36f) || cp == 0x200b)
		return;   /* combining marks and zero width: dropped */
	put_char(vt, cp);
}

void vt_write(struct vt *vt, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < len; i++) {
		uint8_t b = p[i];

		if (vt->utf8_left) {
			if ((b & 0xc0) == 0x80) {
				vt->utf8_cp = vt->utf8_cp << 6 | (b & 0x3f);
				if (--vt->utf8_left)
					continue;
				uint32_t cp = vt->utf8_cp;
				if (cp < vt->utf8_min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
					cp = 0xfffd;
				code_point(vt, cp);
				continue;
			}
			vt->utf8_left = 0;   /* cut short: one replacement, then b anew */
			code_point(vt, 0xfffd);
		}
		if (b < 0x80) {
			code_point(vt, b);
		} else if ((b & 0xe0) == 0xc0) {
			vt->utf8_cp = b & 0x1f, vt->utf8_left = 1, vt->utf8_min = 0x80;
		} else if ((b & 0xf0) == 0xe0) {
			vt->utf8_cp = b & 0x0f, vt->utf8_left = 2, vt->utf8_min = 0x800;
		} else if ((b & 0xf8) == 0xf0) {
			vt->utf8_cp = b & 0x07, vt->utf8_left = 3, vt->utf8_min = 0x10000;
		} else {
			code_point(vt, 0xfffd);
		}
	}
}

const struct vt_cell *vt_cell(const struct vt *vt, int col, int row)
{
	if (col < 0 || col >= vt->cols || row >= vt->rows || row < -vt->sb_count)
		return 0;
	if (row >= 0)
		return vt->screen + (size_t)row * vt->cols + col;
	int line = (vt->sb_head + row + vt->sb_max) % vt->sb_max;
	return vt->scrollback + (size_t)line * vt->cols + col;
}

size_t vt_text(const struct vt *vt, int x0, int first, int x1, int last, char *out, size_t size)
{
	size_t n = 0;

	for (int y = max_i(first, -vt->sb_count); y <= min_i(last, vt->rows - 1); y++) {
		int from = y == first ? max_i(x0, 0) : 0;
		int to = y == last ? min_i(x1, vt->cols - 1) : vt->cols - 1;
		int end = to;

		while (end >= from && !vt_cell(vt, end, y)->ch)
			end--;
		while (end >= from && vt_cell(vt, end, y)->ch == ' ')
			end--;
		for (int x = from; x <= end; x++) {
			uint32_t ch = vt_cell(vt, x, y)->ch;
			char u[16];
			size_t k;

			if ((vt_cell(vt, x, y)->attr & VT_WIDE_TAIL) && x > 0 &&
			    (vt_cell(vt, x - 1, y)->attr & VT_WIDE))
				continue;   /* the second half of a wide character */
			k = vt_char_bytes(ch ? ch : ' ', 0, u);

			for (size_t j = 0; j < k; j++, n++)
				if (n < size)
					out[n] = u[j];
		}
		if (y < min_i(last, vt->rows - 1)) {
			if (n < size)
				out[n] = '\n';
			n++;
		}
	}
	return n;
}

bool vt_take_damage(struct vt *vt, int *first, int *last)
{
	if (vt->damage_first > vt->damage_last)
		return false;
	*first = max_i(vt->damage_first, 0);
	*last = min_i(vt->damage_last, vt->rows - 1);
	vt->damage_first = 1;
	vt->damage_last = 0;
	return true;
}

size_t vt_char_bytes(uint32_t ch, unsigned mods, char out[16])
{
	size_t n = 0;

	if (mods & VT_MOD_ALT)
		out[n++] = '\x1b';
	if (mods & VT_MOD_CTRL) {
		if ((ch >= 'a' && ch <= 'z') || (ch >= '@' && ch <= '_')) {
			out[n++] = (char)(ch & 0x1f);
			return n;
		}
		if (ch == ' ' || ch == '2') {
			out[n++] = 0;
			return n;
		}
		if (ch == '?') {
			out[n++] = 0x7f;
			return n;
		}
	}
	if (ch > 0x10ffff || (ch >= 0xd800 && ch <= 0xdfff))
		ch = 0xfffd;
	if (ch < 0x80) {
		out[n++] = (char)ch;
	} else if (ch < 0x800) {
		out[n++] = (char)(0xc0 | ch >> 6);
		out[n++] = (char)(0x80 | (ch & 0x3f));
	} else if (ch < 0x10000) {
		out[n++] = (char)(0xe0 | ch >> 12);
		out[n++] = (char)(0x80 | ((ch >> 6) & 0x3f));
		out[n++] = (char)(0x80 | (ch & 0x3f));
	} else {
		out[n++] = (char)(0xf0 | ch >> 18);
		out[n++] = (char)(0x80 | ((ch >> 12) & 0x3f));
		out[n++] = (char)(0x80 | ((ch >> 6) & 0x3f));
		out[n++] = (char)(0x80 | (ch & 0x3f));
	}
	return n;
}

size_t vt_key_bytes(const struct vt *vt, unsigned key, unsigned mods, char out[16])
{
	static const struct { unsigned key; char final; unsigned tilde; } keys[] = {
		{ KEY_UP, 'A', 0 }, { KEY_DOWN, 'B', 0 }, { KEY_RIGHT, 'C', 0 }, { KEY_LEFT, 'D', 0 },
		{ KEY_HOME, 'H', 0 }, { KEY_END, 'F', 0 },
		{ KEY_F1, 'P', 0 }, { KEY_F2, 'Q', 0 }, { KEY_F3, 'R', 0 }, { KEY_F4, 'S', 0 },
		{ KEY_INSERT, '~', 2 }, { KEY_DELETE, '~', 3 }, { KEY_PAGEUP, '~', 5 },
		{ KEY_PAGEDOWN, '~', 6 }, { KEY_F5, '~', 15 }, { KEY_F6, '~', 17 }, { KEY_F7, '~', 18 },
		{ KEY_F8, '~', 19 }, { KEY_F9, '~', 20 }, { KEY_F10, '~', 21 }, { KEY_F11, '~', 23 },
		{ KEY_F12, '~', 24 },
	};
	unsigned m = 1 + (mods & VT_MOD_SHIFT ? 1 : 0) + (mods & VT_MOD_ALT ? 2 : 0) +
		     (mods & VT_MOD_CTRL ? 4 : 0);
	size_t n = 0;

	switch (key) {
	case KEY_ENTER: case KEY_KP_ENTER:
		if (mods & VT_MOD_ALT)
			out[n++] = '\x1b';
		out[n++] = '\r';
		if (vt->newline_mode)
			out[n++] = '\n';
		return n;
	case KEY_BACKSPACE:
		if (mods & VT_MOD_ALT)
			out[n++] = '\x1b';
		out[n++] = mods & VT_MOD_CTRL ? 8 : 0x7f;
		return n;
	case KEY_TAB:
		if (mods & VT_MOD_SHIFT) {
			memcpy(out, "\x1b[Z", 3);
			return 3;
		}
		out[n++] = '\t';
		return n;
	case KEY_ESC:
		out[n++] = '\x1b';
		return n;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (keys[i].key != key)
			continue;
		out[n++] = '\x1b';
		if (keys[i].tilde) {
			out[n++] = '[';
			n += fmt_uint(out + n, keys[i].tilde);
			if (m > 1) {
				out[n++] = ';';
				n += fmt_uint(out + n, m);
			}
			out[n++] = '~';
		} else if (m > 1) {
			out[n++] = '[';
			out[n++] = '1';
			out[n++] = ';';
			n += fmt_uint(out + n, m);
			out[n++] = keys[i].final;
		} else {
			/* F1..F4 are SS3 always; arrows, Home and End in
			 * application cursor mode */
			bool ss3 = (key >= KEY_F1 && key <= KEY_F4) || vt->app_cursor;
			out[n++] = ss3 ? 'O' : '[';
			out[n++] = keys[i].final;
		}
		return n;
	}
	return 0;
}

uint32_t vt_palette(unsigned index)
{
	static const uint32_t base[16] = {
		0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
		0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
	};
	static const uint8_t level[6] = { 0, 95, 135, 175, 215, 255 };

	if (index < 16)
		return base[index];
	if (index < 232) {
		index -= 16;
		return (uint32_t)level[index / 36] << 16 | (uint32_t)level[index / 6 % 6] << 8 |
		       level[index % 6];
	}
	if (index < 256) {
		uint32_t g = 8 + 10 * (index - 232);
		return g << 16 | g << 8 | g;
	}
	return 0;
}
