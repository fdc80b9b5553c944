/*
 * The terminal's pixels (render.h). A cell: its colours resolved (the
 * defaults from the config, indices through xterm's palette, bold makes
 * the eight basic colours bright, inverse swaps, hidden hides), the
 * selection and the cursor (a block: the cell inverted) inverted once
 * more, the glyph centred in the cell by lib/gui's grid, bold struck a
 * second time a pixel to the right, underline one pixel line below the
 * baseline. Faint: the colour halfway to the background; italic: the
 * upright glyph sheared (DejaVu Sans Mono of the port has no oblique
 * face); blink: no character while the view's blink_off is set; a wide
 * character: centred over its two cells.
 */
#include "render.h"

static uint32_t colour(uint32_t c, uint32_t dflt)
{
	if (c == VT_DEFAULT)
		return dflt;
	if (c & VT_RGB)
		return c & 0xffffffu;
	return vt_palette(c & 0xffu);
}

static bool selected(const struct term_view *tv, int col, int row)
{
	if (!tv->sel)
		return false;
	if (row < tv->sy0 || row > tv->sy1)
		return false;
	if (row == tv->sy0 && col < tv->sx0)
		return false;
	if (row == tv->sy1 && col > tv->sx1)
		return false;
	return true;
}

void term_view_init(struct term_view *tv, struct gui_font *f, int w, int h, uint32_t fg, uint32_t bg)
{
	uint32_t px = 0;
	struct gui_surface s;

	tv->fg = fg;
	tv->bg = bg;
	tv->back = 0;
	tv->sel = false;
	tv->blink_off = false;
	gui_grid_init(&tv->grid, f, 0, 0, w, h);
	/* the advance of the monospace font: one glyph drawn fully clipped */
	gui_surface_init(&s, &px, 1, 1, 1);
	gui_clip(&s, gui_rect(0, 0, 0, 0));
	tv->adv64 = gui_draw_glyph(&s, f, 0, 0, 'M', 0);
}

/* The glyph centred in r (one or two cells) and clipped to it: upright,
 * and (bold) a second time a pixel to the right. */
static void draw_strikes(struct gui_surface *s, const struct term_view *tv, struct gui_rect r, uint32_t cp,
                         uint32_t fg, bool upright, bool bold)
{
	struct gui_rect old = gui_clip(s, r);
	int x64 = r.x * 64 + (r.w * 64 - tv->adv64) / 2;

	gui_clip(s, gui_rect_intersect(old, r));
	if (upright)
		gui_draw_glyph(s, tv->grid.font, x64, r.y, cp, fg);
	if (bold)
		gui_draw_glyph(s, tv->grid.font, x64 + 64, r.y, cp, fg);
	gui_clip(s, old);
}

static void draw_glyph(struct gui_surface *s, const struct term_view *tv, struct gui_rect r, uint32_t cp,
                       uint32_t fg, bool bold)
{
	draw_strikes(s, tv, r, cp, fg, true, bold);
}

/* Italic: the cell drawn upright into a scratch surface, then copied
 * sheared, each pixel row moved right by a quarter of its height above
 * the baseline (rows below it to the left), clipped to the cell. */
#define SHEAR_MAX (2 * 64 * 128)   /* pixels of the scratch: two cells of up to 64 x 128 */

static void draw_italic(struct gui_surface *s, const struct term_view *tv, struct gui_rect r, uint32_t cp,
                        uint32_t fg, uint32_t bg, bool bold, int ascent)
{
	static uint32_t scratch[SHEAR_MAX];
	struct gui_surface t;

	if (r.w * r.h > SHEAR_MAX || r.w > 128) {
		draw_glyph(s, tv, r, cp, fg, bold);   /* too big to shear: upright */
		return;
	}
	gui_surface_init(&t, scratch, r.w, r.h, r.w);
	gui_fill(&t, gui_rect(0, 0, r.w, r.h), bg);
	draw_glyph(&t, tv, gui_rect(0, 0, r.w, r.h), cp, fg, bold);
	for (int y = 0; y < r.h; y++) {
		int shift = (ascent - y) / 4, sy = r.y + y;
		if (sy < s->clip.y || sy >= s->clip.y + s->clip.h)
			continue;
		for (int x = 0; x < r.w; x++) {
			int from = x - shift, dx = r.x + x;
			if (dx < s->clip.x || dx >= s->clip.x + s->clip.w)
				continue;
			s->pixels[(size_t)sy * (size_t)s->stride + (size_t)dx] =
				from >= 0 && from < r.w ? scratch[y * r.w + from] : bg;
		}
	}
}

/* Faint: the colour halfway to the background. */
static uint32_t faint(uint32_t fg, uint32_t bg)
{
	uint32_t out = 0;

	for (int sh = 0; sh < 24; sh += 8)
		out |= ((((fg >> sh) & 0xff) + ((bg >> sh) & 0xff)) / 2) << sh;
	return out;
}

/* Cell col of view row 'row' (the first half of a wide character: both);
 * the columns it covers. *blinks: it has a blinking character; with
 * only_blinking, other cells are not drawn. */
static int draw_cell(struct gui_surface *s, const struct term_view *tv, const struct vt *vt, int row, int col,
                     const struct gui_font_metrics *mp, bool only_blinking, bool *blinks)
{
	const struct gui_grid *g = &tv->grid;
	struct gui_font_metrics m = *mp;
	int vrow = row - tv->back;   /* the vt_cell row shown here */
	const struct vt_cell *c = col < vt->cols ? vt_cell(vt, col, vrow) : 0;
	const struct vt_cell *next = col + 1 < vt->cols ? vt_cell(vt, col + 1, vrow) : 0;
	struct gui_cell gc = { 0, tv->fg, tv->bg };
	struct gui_rect r = gui_grid_cell_rect(g, col, row), old;
	uint16_t attr = 0;
	bool inv, wide = false;

	if (c) {
		uint32_t fg = c->fg;
		attr = c->attr;
		if ((attr & VT_BOLD) && fg != VT_DEFAULT && !(fg & VT_RGB) && fg < 8)
			fg += 8;
		gc.cp = c->ch;
		gc.fg = colour(fg, tv->fg);
		gc.bg = colour(c->bg, tv->bg);
		if (attr & VT_FAINT)
			gc.fg = faint(gc.fg, gc.bg);
		/* a wide character's two cells are drawn as one; a
		 * half without its other half is a blank cell */
		wide = (attr & VT_WIDE) && next && (next->attr & VT_WIDE_TAIL) && col + 1 < g->cols;
		if ((attr & VT_WIDE_TAIL) && col > 0 && (vt_cell(vt, col - 1, vrow)->attr & VT_WIDE))
			return 1;   /* drawn with its first half */
		if ((attr & VT_WIDE_TAIL) || ((attr & VT_WIDE) && !wide))
			gc.cp = 0;
	}
	inv = (attr & VT_INVERSE) != 0;
	inv ^= selected(tv, col, vrow);
	inv ^= vt->cursor_visible && tv->back == 0 && vrow == vt->cur.y &&
	       (col == vt->cur.x || (wide && col + 1 == vt->cur.x));
	if (inv) {
		uint32_t t = gc.fg;
		gc.fg = gc.bg;
		gc.bg = t;
	}
	if (attr & VT_HIDDEN)
		gc.cp = 0;
	if ((attr & VT_BLINK) && gc.cp && gc.cp != ' ') {
		*blinks = true;
		if (tv->blink_off)
			gc.cp = 0;
	} else if (only_blinking) {
		return wide ? 2 : 1;
	}
	if (wide)
		r.w *= 2;
	if (!wide && !(attr & VT_ITALIC)) {
		gui_grid_draw_cell(s, g, col, row, &gc);
	} else if (!gui_rect_empty(r)) {
		old = gui_clip(s, r);
		gui_clip(s, gui_rect_intersect(old, r));
		gui_fill(s, r, gc.bg);
		gui_clip(s, old);
	}
	if (gui_rect_empty(r))
		return wide ? 2 : 1;
	if (gc.cp && gc.cp != ' ') {
		if (attr & VT_ITALIC)
			draw_italic(s, tv, r, gc.cp, gc.fg, gc.bg, attr & VT_BOLD, m.ascent);
		else if (wide)
			draw_glyph(s, tv, r, gc.cp, gc.fg, attr & VT_BOLD);
		else if (attr & VT_BOLD)
			draw_strikes(s, tv, r, gc.cp, gc.fg, false, true);   /* upright: the grid's */
	}
	old = gui_clip(s, r);
	gui_clip(s, gui_rect_intersect(old, r));
	if (attr & VT_UNDERLINE)
		gui_fill(s, gui_rect(r.x, r.y + (m.ascent + 1 < r.h ? m.ascent + 1 : r.h - 1), r.w, 1),
		         gc.fg);
	if (attr & VT_STRIKE)
		gui_fill(s, gui_rect(r.x, r.y + m.ascent * 2 / 3, r.w, 1), gc.fg);
	gui_clip(s, old);
	return wide ? 2 : 1;
}

bool term_draw_row(struct gui_surface *s, const struct term_view *tv, const struct vt *vt, int row)
{
	struct gui_font_metrics m;
	bool blinks = false;

	gui_font_metrics(tv->grid.font, &m);
	for (int col = 0; col < tv->grid.cols;)
		col += draw_cell(s, tv, vt, row, col, &m, false, &blinks);
	return blinks;
}

bool term_draw_blinking(struct gui_surface *s, const struct term_view *tv, const struct vt *vt, int row,
                        int *x0, int *x1)
{
	struct gui_font_metrics m;
	bool any = false;

	gui_font_metrics(tv->grid.font, &m);
	for (int col = 0; col < tv->grid.cols;) {
		bool blinks = false;
		int n = draw_cell(s, tv, vt, row, col, &m, true, &blinks);
		if (blinks) {
			struct gui_rect r = gui_grid_cell_rect(&tv->grid, col, row);
			if (!any)
				*x0 = r.x;
			*x1 = r.x + r.w * n;
			any = true;
		}
		col += n;
	}
	return any;
}

void term_draw_all(struct gui_surface *s, const struct term_view *tv, const struct vt *vt)
{
	const struct gui_grid *g = &tv->grid;
	int gw = g->cols * g->cell_w, gh = g->rows * g->cell_h;

	for (int row = 0; row < g->rows; row++)
		term_draw_row(s, tv, vt, row);
	gui_fill(s, gui_rect(gw, 0, s->width - gw, s->height), tv->bg);
	gui_fill(s, gui_rect(0, gh, gw, s->height - gh), tv->bg);
}
