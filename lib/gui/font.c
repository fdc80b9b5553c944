/*
 * TrueType fonts through stb_truetype, with a glyph cache of bounded
 * memory (include/gui/font.h).
 *
 * The cache maps a code point to its rasterized coverage mask, its offset
 * from the pen on the baseline and its advance. It is a hash table of
 * GLYPH_BUCKETS chains plus a list in the order of last use; a new glyph
 * that would take the cache beyond its limit first evicts the least
 * recently used ones. A glyph larger than the whole limit is drawn from a
 * temporary mask and not kept. Everything is counted (gui_font_stats).
 *
 * stb_truetype trusts the file: it reads tables wherever their offsets
 * point. gui_font_new checks the table directory (every table inside the
 * file, the tables stb_truetype needs present) so that a file that is no
 * font is refused with an error; the outlines themselves are not checked,
 * so fonts must come from a trusted source (a boot module, a package).
 */
#include <gui/font.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <limits.h>
#include <stb_truetype.h>

#define GLYPH_BUCKETS 256

struct glyph {
	uint32_t cp;
	int x0, y0;                 /* mask's top-left relative to pen x, baseline */
	int w, h;                   /* mask size */
	int adv64;                  /* advance in 1/64 pixels */
	size_t bytes;               /* what it costs the cache */
	struct glyph *hnext;        /* hash chain */
	struct glyph *newer, *older; /* use order */
	uint8_t mask[];
};

struct gui_font {
	stbtt_fontinfo info;
	float scale;
	struct gui_font_metrics m;
	struct glyph *buckets[GLYPH_BUCKETS];
	struct glyph *newest, *oldest;
	struct gui_glyph_stats st;
	struct glyph *scratch;      /* the last uncached (too large) glyph */
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The table directory of the font at offset 0: every table within the
 * file, and the tables stb_truetype uses present. NULL or an error. */
static const char *check_directory(const uint8_t *d, size_t size)
{
	static const char *const needed[] = { "cmap", "head", "hhea", "hmtx", "loca", "glyf", "maxp" };
	unsigned found = 0, tables;
	uint32_t tag;

	if (size < 12)
		return "font: file too short for a TrueType header";
	tag = be32(d);
	if (tag == 0x74746366)          /* 'ttcf': a collection */
		return "font: font collections (.ttc) are not supported";
	if (tag != 0x00010000 && tag != 0x74727565)     /* 1.0, 'true' */
		return tag == 0x4f54544f ? "font: CFF outlines (OTTO) are not supported"
		                         : "font: not a TrueType file (bad version tag)";
	tables = be16(d + 4);
	if (tables == 0 || 12 + (size_t)tables * 16 > size)
		return "font: table directory beyond the end of the file";
	for (unsigned i = 0; i < tables; i++) {
		const uint8_t *t = d + 12 + i * 16;
		uint32_t off = be32(t + 8), len = be32(t + 12);
		if ((uint64_t)off + len > size)
			return "font: a table lies beyond the end of the file";
		for (unsigned k = 0; k < sizeof needed / sizeof needed[0]; k++)
			if (memcmp(t, needed[k], 4) == 0)
				found |= 1u << k;
	}
	if (found != (1u << (sizeof needed / sizeof needed[0])) - 1)
		return "font: a required table (cmap head hhea hmtx loca glyf maxp) is missing";
	return NULL;
}

static struct glyph *rasterize(struct gui_font *f, uint32_t cp)
{
	int index = stbtt_FindGlyphIndex(&f->info, (int)cp);
	int adv, lsb, x0, y0, x1, y1, w, h;
	struct glyph *g;

	stbtt_GetGlyphHMetrics(&f->info, index, &adv, &lsb);
	stbtt_GetGlyphBitmapBox(&f->info, index, f->scale, f->scale, &x0, &y0, &x1, &y1);
	w = x1 > x0 ? x1 - x0 : 0;
	h = y1 > y0 ? y1 - y0 : 0;
	if (w > 4 * GUI_FONT_PX_MAX || h > 4 * GUI_FONT_PX_MAX)
		w = h = 0;              /* a broken outline: draw nothing */
	g = malloc(sizeof *g + (size_t)w * (size_t)h);
	if (!g)
		return NULL;
	memset(g, 0, sizeof *g);
	g->cp = cp;
	g->x0 = x0;
	g->y0 = y0;
	g->w = w;
	g->h = h;
	g->adv64 = (int)lroundf((float)adv * f->scale * 64.0f);
	if (g->adv64 < 0)
		g->adv64 = 0;
	g->bytes = sizeof *g + (size_t)w * (size_t)h;
	if (w && h)
		stbtt_MakeGlyphBitmap(&f->info, g->mask, w, h, w, f->scale, f->scale, index);
	f->st.rendered++;
	return g;
}

static void unlink_use(struct gui_font *f, struct glyph *g)
{
	if (g->newer)
		g->newer->older = g->older;
	else
		f->newest = g->older;
	if (g->older)
		g->older->newer = g->newer;
	else
		f->oldest = g->newer;
	g->newer = g->older = NULL;
}

static void link_newest(struct gui_font *f, struct glyph *g)
{
	g->older = f->newest;
	g->newer = NULL;
	if (f->newest)
		f->newest->newer = g;
	else
		f->oldest = g;
	f->newest = g;
}

static void evict_oldest(struct gui_font *f)
{
	struct glyph *g = f->oldest, **pp = &f->buckets[g->cp % GLYPH_BUCKETS];

	while (*pp != g)
		pp = &(*pp)->hnext;
	*pp = g->hnext;
	unlink_use(f, g);
	f->st.bytes -= g->bytes;
	f->st.glyphs--;
	f->st.evicted++;
	free(g);
}

/* The glyph of cp: from the cache, or rasterized (and cached if it fits).
 * NULL only without memory. */
static struct glyph *glyph(struct gui_font *f, uint32_t cp)
{
	struct glyph **head = &f->buckets[cp % GLYPH_BUCKETS], *g;

	f->st.lookups++;
	for (g = *head; g; g = g->hnext)
		if (g->cp == cp) {
			f->st.hits++;
			if (f->newest != g) {
				unlink_use(f, g);
				link_newest(f, g);
			}
			return g;
		}
	g = rasterize(f, cp);
	if (!g)
		return NULL;
	if (g->bytes > f->st.bytes_max) {
		free(f->scratch);
		f->scratch = g;
		return g;
	}
	while (f->st.bytes + g->bytes > f->st.bytes_max)
		evict_oldest(f);
	g->hnext = *head;
	*head = g;
	link_newest(f, g);
	f->st.bytes += g->bytes;
	f->st.glyphs++;
	return g;
}

struct gui_font *gui_font_new(const void *ttf, size_t size, int px, size_t cache_bytes,
                              const char **error)
{
	const char *err;
	struct gui_font *f;
	int ascent, descent, gap;
	struct glyph *m;
	const char *ignored;

	if (!error)
		error = &ignored;
	if (!ttf) {
		*error = "font: no file";
		return NULL;
	}
	if (px < GUI_FONT_PX_MIN || px > GUI_FONT_PX_MAX) {
		*error = "font: pixel size out of range (4..256)";
		return NULL;
	}
	if (size > 0x7fffffff) {
		*error = "font: file too large";
		return NULL;
	}
	err = check_directory(ttf, size);
	if (err) {
		*error = err;
		return NULL;
	}
	f = calloc(1, sizeof *f);
	if (!f) {
		*error = "font: out of memory";
		return NULL;
	}
	if (!stbtt_InitFont(&f->info, ttf, 0)) {
		free(f);
		*error = "font: stb_truetype does not accept the file";
		return NULL;
	}
	f->scale = stbtt_ScaleForPixelHeight(&f->info, (float)px);
	stbtt_GetFontVMetrics(&f->info, &ascent, &descent, &gap);
	f->m.ascent = (int)ceilf((float)ascent * f->scale);
	f->m.descent = (int)ceilf((float)-descent * f->scale);
	if (f->m.descent < 0)
		f->m.descent = 0;
	f->m.line_height = f->m.ascent + f->m.descent + (int)lroundf((float)gap * f->scale);
	f->st.bytes_max = cache_bytes ? cache_bytes : GUI_GLYPH_CACHE_DEFAULT;
	m = glyph(f, 'M');
	if (!m) {
		gui_font_free(f);
		*error = "font: out of memory";
		return NULL;
	}
	f->m.cell_width = (m->adv64 + 63) >> 6;
	if (f->m.cell_width < 1)
		f->m.cell_width = 1;
	*error = NULL;
	return f;
}

void gui_font_free(struct gui_font *f)
{
	if (!f)
		return;
	while (f->oldest)
		evict_oldest(f);
	free(f->scratch);
	free(f);
}

void gui_font_metrics(const struct gui_font *f, struct gui_font_metrics *m)
{
	*m = f->m;
}

void gui_font_stats(const struct gui_font *f, struct gui_glyph_stats *st)
{
	*st = f->st;
}

bool gui_font_has(const struct gui_font *f, uint32_t cp)
{
	return stbtt_FindGlyphIndex(&f->info, (int)cp) != 0;
}

void gui_text_size(struct gui_font *f, const char *text, size_t len, int *w, int *h)
{
	long long line = 0, widest = 0;
	long long lines = 1;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		struct glyph *g;
		i += gui_utf8_decode(text + i, len - i, &cp);
		if (cp == '\n') {
			lines++;
			line = 0;
			continue;
		}
		g = glyph(f, cp);
		if (g)
			line += g->adv64;
		if (line > widest)
			widest = line;
	}
	/* clamped: a text of millions of glyphs is wider than an int */
	if (w)
		*w = widest >= (long long)INT_MAX * 64 - 63 ? INT_MAX : (int)((widest + 63) >> 6);
	if (h)
		*h = lines * f->m.line_height > INT_MAX ? INT_MAX : (int)(lines * f->m.line_height);
}

int gui_text_width(struct gui_font *f, const char *text, size_t len)
{
	int w;

	gui_text_size(f, text, len, &w, NULL);
	return w;
}

size_t gui_text_fit(struct gui_font *f, const char *text, size_t len, int max_w)
{
	long long pen = 0, max64 = (long long)max_w * 64;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t k = gui_utf8_decode(text + i, len - i, &cp);
		struct glyph *g;
		if (cp == '\n')
			break;
		g = glyph(f, cp);
		if (g && pen + g->adv64 > max64)
			break;
		pen += g ? g->adv64 : 0;
		i += k;
	}
	return i;
}

/* g with the pen at x64 (1/64 pixels) on the line whose box starts at y;
 * positions so far out that the glyph cannot be seen are not drawn (and
 * cannot overflow) */
static void draw(struct gui_surface *s, struct gui_font *f, const struct glyph *g, long long x64,
                 long long y, uint32_t rgb)
{
	long long px = (x64 + 32) >> 6;

	if (!g->w || !g->h || px < -(1 << 24) || px > (1 << 24) || y < -(1 << 24) || y > (1 << 24))
		return;
	gui_blend_mask(s, (int)px + g->x0, (int)y + f->m.ascent + g->y0, g->mask, g->w, g->h, g->w,
	               rgb);
}

int gui_draw_glyph(struct gui_surface *s, struct gui_font *f, int x64, int y, uint32_t cp,
                   uint32_t rgb)
{
	struct glyph *g = glyph(f, cp);

	if (!g)
		return 0;
	draw(s, f, g, x64, y, rgb);
	return g->adv64;
}

int gui_draw_text(struct gui_surface *s, struct gui_font *f, int x, int y, const char *text,
                  size_t len, uint32_t rgb)
{
	long long pen = 0, line_y = y;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		struct glyph *g;
		i += gui_utf8_decode(text + i, len - i, &cp);
		if (cp == '\n') {
			line_y += f->m.line_height;
			pen = 0;
			continue;
		}
		g = glyph(f, cp);
		if (!g)
			continue;
		draw(s, f, g, (long long)x * 64 + pen, line_y, rgb);
		pen += g->adv64;
	}
	return pen >= (long long)INT_MAX * 64 - 63 ? INT_MAX : (int)((pen + 63) >> 6);
}

void gui_grid_init(struct gui_grid *g, struct gui_font *f, int x, int y, int w, int h)
{
	g->font = f;
	g->x = x;
	g->y = y;
	g->cell_w = f->m.cell_width;
	g->cell_h = f->m.line_height;
	g->cols = w / g->cell_w;
	g->rows = h / g->cell_h;
	if (g->cols < 1)
		g->cols = 1;
	if (g->rows < 1)
		g->rows = 1;
}

struct gui_rect gui_grid_cell_rect(const struct gui_grid *g, int col, int row)
{
	if (col < 0 || row < 0 || col >= g->cols || row >= g->rows)
		return gui_rect(0, 0, 0, 0);
	return gui_rect(g->x + col * g->cell_w, g->y + row * g->cell_h, g->cell_w, g->cell_h);
}

void gui_grid_draw_cell(struct gui_surface *s, const struct gui_grid *g, int col, int row,
                        const struct gui_cell *c)
{
	struct gui_rect r = gui_grid_cell_rect(g, col, row), old;
	struct glyph *gl;

	if (gui_rect_empty(r))
		return;
	gui_fill(s, r, c->bg);
	if (c->cp == 0 || c->cp == ' ')
		return;
	gl = glyph(g->font, c->cp);
	if (!gl)
		return;
	old = s->clip;
	s->clip = gui_rect_intersect(old, r);
	draw(s, g->font, gl, (long long)r.x * 64 + ((long long)r.w * 64 - gl->adv64) / 2, r.y, c->fg);
	s->clip = old;
}

void gui_grid_draw(struct gui_surface *s, const struct gui_grid *g, const struct gui_cell *cells)
{
	for (int row = 0; row < g->rows; row++)
		for (int col = 0; col < g->cols; col++)
			gui_grid_draw_cell(s, g, col, row, &cells[(size_t)row * (size_t)g->cols + (size_t)col]);
}
