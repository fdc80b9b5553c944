/*
 * The terminal's pixels (servers/terminal, docs/gui.md "Terminal"): rows
 * of the vt screen model drawn into a surface through lib/gui's monospace
 * grid. Portable: the terminal component and the host's reference
 * renderer (tools/term_render.c) draw with exactly this code.
 */
#ifndef TERM_RENDER_H
#define TERM_RENDER_H

#include <gui/font.h>
#include "vt.h"

/* the config's defaults */
#define TERM_FONT_PX 16
#define TERM_SCROLLBACK 1000
#define TERM_FG 0xd0d0d0u
#define TERM_BG 0x101018u

struct term_view {
	struct gui_grid grid;        /* cols x rows cells from 0,0 */
	uint32_t fg, bg;             /* the default colours, 0x00RRGGBB */
	int adv64;                   /* the font's advance (1/64 px), for bold */
	int back;                    /* lines scrolled back into the scrollback (0: live) */
	/* the selection in vt_cell rows (the scrollback negative), from
	 * sx0,sy0 to sx1,sy1 inclusive in reading order; sel false: none */
	bool sel;
	int sx0, sy0, sx1, sy1;
	bool blink_off;              /* blinking cells show no character now */
};

/* The view for a w x h surface in font f (grid, metrics). */
void term_view_init(struct term_view *tv, struct gui_font *f, int w, int h, uint32_t fg, uint32_t bg);
/* Draws row 'row' of the view (0 at the top). Returns whether a cell of
 * it blinks (VT_BLINK with a character). */
bool term_draw_row(struct gui_surface *s, const struct term_view *tv, const struct vt *vt, int row);
/* Only the blinking cells of row 'row' (after blink_off changed); false
 * if there are none, else their pixel columns x0..x1 (x1 exclusive). */
bool term_draw_blinking(struct gui_surface *s, const struct term_view *tv, const struct vt *vt, int row,
                        int *x0, int *x1);
/* Everything: every row and the margins right and below the grid. */
void term_draw_all(struct gui_surface *s, const struct term_view *tv, const struct vt *vt);

#endif
