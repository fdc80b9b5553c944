/*
 * The terminal's pixels (render.h). A cell: its colours resolved (the
 * defaults from the config, indices through xterm's palette, bold makes
 * the eight basic colours bright, inverse swaps, hidden hides), the
 * selection and the cursor (a block: the cell inverted) inverted once
 * more, the glyph centred in the cell by lib/gui's grid, bold struck a
 * second time a pixel to the right, underline one pixel line below the
 * baseline.
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
	gui_grid_init(&tv->grid, f, 0, 0, w, h);
	/* the advance of the monospace font: one glyph drawn fully clipped */
	gui_surface_init(&s, &px, 1, 1, 1);
	gui_clip(&s, gui_rect(0, 0, 0, 0));
	tv->adv64 = gui_draw_glyph(&s, f, 0, 0, 'M', 0);
}

void term_draw_row(struct gui_surface *s, const struct term_view *tv, const struct vt *vt, int row)
{
	const struct gui_grid *g = &tv->grid;
	struct gui_font_metrics m;
	int vrow = row - tv->back;   /* the vt_cell row shown here */

	gui_font_metrics(g->font, &m);
	for (int col = 0; col < g->cols; col++) {
		const struct vt_cell *c = col < vt->cols ? vt_cell(vt, col, vrow) : 0;
		struct gui_cell gc = { 0, tv->fg, tv->bg };
		struct gui_rect r = gui_grid_cell_rect(g, col, row), old;
		uint16_t attr = 0;
		bool inv;

		if (c) {
			uint32_t fg = c->fg;
			attr = c->attr;
			if ((attr & VT_BOLD) && fg != VT_DEFAULT && !(fg & VT_RGB) && fg < 8)
				fg += 8;
			gc.cp = c->ch;
			gc.fg = colour(fg, tv->fg);
			gc.bg = colour(c->bg, tv->bg);
		}
		inv = (attr & VT_INVERSE) != 0;
		inv ^= selected(tv, col, vrow);
		inv ^= vt->cursor_visible && tv->back == 0 && vrow == vt->cur.y && col == vt->cur.x;
		if (inv) {
			uint32_t t = gc.fg;
			gc.fg = gc.bg;
			gc.bg = t;
		}
		if (attr & VT_HIDDEN)
			gc.cp = 0;
		gui_grid_draw_cell(s, g, col, row, &gc);
		if (gui_rect_empty(r))
			continue;
		old = gui_clip(s, r);
		gui_clip(s, gui_rect_intersect(old, r));
		if ((attr & VT_BOLD) && gc.cp && gc.cp != ' ')
			gui_draw_glyph(s, g->font, (r.x + 1) * 64 + (r.w * 64 - tv->adv64) / 2, r.y, gc.cp,
			               gc.fg);
		if (attr & VT_UNDERLINE)
			gui_fill(s, gui_rect(r.x, r.y + (m.ascent + 1 < r.h ? m.ascent + 1 : r.h - 1), r.w, 1),
			         gc.fg);
		if (attr & VT_STRIKE)
			gui_fill(s, gui_rect(r.x, r.y + m.ascent * 2 / 3, r.w, 1), gc.fg);
		gui_clip(s, old);
	}
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
