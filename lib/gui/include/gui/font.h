/*
 * Text (lib/gui, docs/gui.md "Text and widgets"): a TrueType font in
 * memory (e.g. a ROM of the dejavu port), rasterized by stb_truetype
 * (ports/stb) at one pixel size, anti-aliased, through a glyph cache of
 * bounded memory; UTF-8 text drawn clipped into a surface.
 *
 * Coordinates: text is placed by the top-left corner of its line box; the
 * baseline is 'ascent' pixels below the top, a line is 'line_height'
 * pixels high. Pen positions advance in 1/64 pixels (no kerning), so
 * width(a b) = width(a) + width(b) up to rounding, and the width of a
 * string never shrinks when characters are appended.
 *
 * A font is used by one thread at a time (the cache changes on drawing).
 */
#ifndef GUI_FONT_H
#define GUI_FONT_H

#include <gui/surface.h>

#define GUI_FONT_PX_MIN 4
#define GUI_FONT_PX_MAX 256
/* Default glyph cache size: about 300 glyphs of 16 px */
#define GUI_GLYPH_CACHE_DEFAULT (64u * 1024u)
#define GUI_REPLACEMENT 0xfffdu  /* for invalid UTF-8 */

struct gui_font;

struct gui_font_metrics {
	int ascent;                 /* pixels above the baseline */
	int descent;                /* pixels below the baseline (>= 0) */
	int line_height;            /* ascent + descent + line gap */
	int cell_width;             /* advance of 'M', rounded up: the cell of a monospace grid */
};

struct gui_glyph_stats {
	uint64_t lookups;           /* glyphs asked of the cache */
	uint64_t hits;              /* ... found there */
	uint64_t rendered;          /* glyphs rasterized (misses) */
	uint64_t evicted;           /* glyphs dropped to stay within the limit */
	size_t bytes;               /* memory the cache holds now */
	size_t bytes_max;           /* its limit */
	unsigned glyphs;            /* glyphs cached now */
};

/*
 * A font of the TrueType (or OpenType with TrueType outlines) file ttf[0..
 * size) at 'px' pixels (the height from the lowest descender to the highest
 * ascender), with a glyph cache of at most cache_bytes (0: the default).
 * The file must stay in memory while the font is used. NULL with *error set
 * (a static string; error may be NULL) for a file that is no font, a size beyond
 * GUI_FONT_PX_MIN..MAX or no memory.
 */
struct gui_font *gui_font_new(const void *ttf, size_t size, int px, size_t cache_bytes,
                              const char **error);
void gui_font_free(struct gui_font *f);

/* The font of ROM `rom` (lib/gui/font_rom.c, components only) at px pixels,
 * the ROM kept attached in *keep while the font is used. NULL after an
 * "error: font ROM '<rom>': <why>" line. */
struct attached_rom;
struct gui_font *gui_font_open_rom(const char *rom, unsigned px, size_t cache_bytes,
				   struct attached_rom *keep);

void gui_font_metrics(const struct gui_font *f, struct gui_font_metrics *m);
void gui_font_stats(const struct gui_font *f, struct gui_glyph_stats *st);
/* Whether the font has a glyph for code point cp. */
bool gui_font_has(const struct gui_font *f, uint32_t cp);

/*
 * UTF-8: decodes the code point at s[0..len) (len > 0) into *cp and returns
 * the bytes it takes (1..4). An invalid sequence (a stray continuation
 * byte, a bad lead byte, a sequence cut short, an overlong form, a
 * surrogate, beyond U+10FFFF) gives GUI_REPLACEMENT and takes the bytes of
 * its longest valid-looking start (at least 1), so decoding always goes on.
 */
size_t gui_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp (invalid ones as U+FFFD) into out[4]; returns the bytes. */
size_t gui_utf8_encode(uint32_t cp, char out[4]);

/* Width of text[0..len) in pixels (the pen's advance, rounded up), and
 * its height (line_height times the lines; '\n' starts a new line; the
 * width is the widest line's). */
int gui_text_width(struct gui_font *f, const char *text, size_t len);
void gui_text_size(struct gui_font *f, const char *text, size_t len, int *w, int *h);

/* Bytes of the longest prefix of text[0..len) (whole characters, one line:
 * it stops at '\n') that is at most max_w pixels wide: for cutting a title
 * or a label to the room there is. */
size_t gui_text_fit(struct gui_font *f, const char *text, size_t len, int max_w);

/*
 * Draws text[0..len) in colour rgb with the top-left of its line box at
 * x,y, clipped to the surface's clip; '\n' starts a new line at x. Returns
 * the width of the last line drawn (its pen advance, rounded up).
 */
int gui_draw_text(struct gui_surface *s, struct gui_font *f, int x, int y, const char *text,
                  size_t len, uint32_t rgb);
/* The same for one code point; returns its advance in 1/64 pixels. */
int gui_draw_glyph(struct gui_surface *s, struct gui_font *f, int x64, int y, uint32_t cp,
                   uint32_t rgb);

/*
 * A monospace cell grid (a terminal's screen): cols x rows cells of the
 * font's cell_width x line_height at x,y. A cell is drawn as its
 * background, then its character centred in it and clipped to it, so
 * a glyph never spills into a neighbour cell.
 */
struct gui_cell {
	uint32_t cp;                /* 0 or ' ': background only */
	uint32_t fg, bg;            /* 0x00RRGGBB */
};

struct gui_grid {
	struct gui_font *font;
	int x, y;                   /* top-left of cell 0,0 on the surface */
	int cols, rows;
	int cell_w, cell_h;
};

/* A grid of the largest size that fits in w x h pixels (at least 1x1). */
void gui_grid_init(struct gui_grid *g, struct gui_font *f, int x, int y, int w, int h);
/* The pixels of cell col,row (empty outside the grid). */
struct gui_rect gui_grid_cell_rect(const struct gui_grid *g, int col, int row);
void gui_grid_draw_cell(struct gui_surface *s, const struct gui_grid *g, int col, int row,
                        const struct gui_cell *c);
/* All cells, row after row (cols * rows of them). */
void gui_grid_draw(struct gui_surface *s, const struct gui_grid *g, const struct gui_cell *cells);

#endif
