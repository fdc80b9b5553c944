// sources: lib/gui/surface.c lib/gui/font.c lib/gui/utf8.c ports/stb/stb_truetype.c
// cflags: -Ilib/gui/include -isystem build/ports/stb/src -lm
/*
 * Host unit tests of lib/gui's text (lib/gui/font.c, utf8.c) with the
 * stb_truetype port and the DejaVu fonts of the dejavu port (`make
 * host-test` makes build/fonts/ and unpacks build/ports/stb first): UTF-8
 * decoding, fonts refused with an error, metrics, glyph coverage inside
 * the text's box and none outside, monotone widths, clipping, the glyph
 * cache's bound, the monospace grid.
 *
 * Area: GUI.
 */
#include <harness.h>
#include <gui/font.h>

static void *load(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *data = NULL;
	long n;

	if (!f) {
		printf("cannot open %s: make it with `make %s`\n", path, path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		data = malloc((size_t)n);
		if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
			free(data);
			data = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	return data;
}

static void *sans_ttf, *mono_ttf;
static size_t sans_size, mono_size;

static struct gui_font *font(int mono, int px, size_t cache)
{
	const char *err = "?";
	struct gui_font *f;

	if (!sans_ttf)
		sans_ttf = load("build/fonts/DejaVuSans.ttf", &sans_size);
	if (!mono_ttf)
		mono_ttf = load("build/fonts/DejaVuSansMono.ttf", &mono_size);
	f = gui_font_new(mono ? mono_ttf : sans_ttf, mono ? mono_size : sans_size, px, cache, &err);
	if (!f)
		printf("gui_font_new: %s\n", err);
	return f;
}

struct utf8_row {
	TEST_ROW;
	const char *in;
	size_t len;
	uint32_t cps[8];
	unsigned n;
};

#define R GUI_REPLACEMENT
static const struct utf8_row utf8_rows[] = {
	{ "GUI_0101", "ASCII", "Ab~", 3, { 'A', 'b', '~' }, 3 },
	{ "GUI_0102", "two, three and four bytes", "\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80", 9,
	  { 0xe4, 0x20ac, 0x1f600 }, 3 },
	{ "GUI_0103", "a stray continuation byte is one U+FFFD each", "\x80\xbf" "A", 3, { R, R, 'A' }, 3 },
	{ "GUI_0104", "a sequence cut short is one U+FFFD, the next character survives",
	  "\xe2\x82" "A", 3, { R, 'A' }, 2 },
	{ "GUI_0105", "overlong forms are invalid", "\xc0\xaf\xe0\x80\xaf", 5, { R, R, R, R, R }, 5 },
	{ "GUI_0106", "surrogates are invalid", "\xed\xa0\x80", 3, { R, R, R }, 3 },
	{ "GUI_0107", "beyond U+10FFFF and F5..FF are invalid", "\xf4\x90\x80\x80\xff", 5,
	  { R, R, R, R, R }, 5 },
	{ "GUI_0108", "the largest code point and the end of the string", "\xf4\x8f\xbf\xbf\xf0\x9f", 6,
	  { 0x10ffff, R }, 2 },
	{ "GUI_0109", "NUL is a character", "\0a", 2, { 0, 'a' }, 2 },
};

TEST_TABLE(GUI_0101, utf8_rows, row)
{
	uint32_t got[16];
	unsigned n = 0;

	for (size_t i = 0; i < row->len && n < 16;) {
		size_t k = gui_utf8_decode(row->in + i, row->len - i, &got[n++]);
		CHECK(k >= 1 && k <= 4 && k <= row->len - i);
		i += k;
	}
	CHECK_EQ(n, row->n);
	for (unsigned i = 0; i < n; i++)
		CHECK_MSG(got[i] == row->cps[i], "character %u: U+%04X, expected U+%04X", i,
		          (unsigned)got[i], (unsigned)row->cps[i]);
}

TEST(GUI_0110, "gui_utf8_encode round-trips every valid code point; invalid ones encode U+FFFD")
{
	char b[4];
	uint32_t cp;

	for (uint32_t c = 0; c <= 0x10ffff; c += (c < 0x1000 ? 1 : 97)) {
		size_t n = gui_utf8_encode(c, b);
		size_t k = gui_utf8_decode(b, n, &cp);
		if (c >= 0xd800 && c <= 0xdfff)
			CHECK(cp == R);
		else
			CHECK_MSG(k == n && cp == c, "U+%X", (unsigned)c);
	}
	CHECK_EQ(gui_utf8_encode(0x110000, b), 3);
	CHECK_EQ(gui_utf8_decode(b, 3, &cp), 3);
	CHECK_EQ(cp, R);
}

TEST(GUI_0111, "gui_font_new refuses what is no font, with an error; a bad size too")
{
	static const uint8_t junk[64] = "this is no font at all, not even close to one........";
	uint8_t dir[12 + 16] = { 0, 1, 0, 0, 0, 1 };
	const char *err = NULL;
	struct gui_font *f = font(0, 16, 0);

	CHECK(f);
	gui_font_free(f);
	CHECK(!gui_font_new(junk, sizeof junk, 16, 0, &err) && err && strstr(err, "font:"));
	err = NULL;
	CHECK(!gui_font_new(junk, 3, 16, 0, &err) && err);
	err = NULL;
	CHECK(!gui_font_new(sans_ttf, 200, 16, 0, &err) && err);      /* cut short */
	err = NULL;
	memcpy(dir + 12, "glyf", 4);
	dir[12 + 11] = 0xff;    /* offset beyond the file */
	CHECK(!gui_font_new(dir, sizeof dir, 16, 0, &err) && err && strstr(err, "beyond"));
	err = NULL;
	CHECK(!gui_font_new(sans_ttf, sans_size, 3, 0, &err) && err);
	err = NULL;
	CHECK(!gui_font_new(sans_ttf, sans_size, 100000, 0, &err) && err);
	err = NULL;
	CHECK(!gui_font_new(NULL, 0, 16, 0, &err) && err);
}

TEST(GUI_0112, "metrics: ascent, descent and line height grow with the size and fit together")
{
	struct gui_font_metrics a, b;
	struct gui_font *f = font(0, 12, 0), *g = font(0, 24, 0);

	CHECK(f && g);
	gui_font_metrics(f, &a);
	gui_font_metrics(g, &b);
	CHECK(a.ascent > 0 && a.descent > 0 && a.line_height >= a.ascent + a.descent);
	CHECK(a.line_height >= 12 && a.line_height <= 16);
	CHECK(b.ascent > a.ascent && b.line_height > a.line_height && b.cell_width > a.cell_width);
	gui_font_free(f);
	gui_font_free(g);
}

#define SW 400
#define SH 60
static uint32_t screen[SH][SW];

static void clear(struct gui_surface *s, uint32_t c)
{
	for (int y = 0; y < SH; y++)
		for (int x = 0; x < SW; x++)
			screen[y][x] = c;
	gui_surface_init(s, &screen[0][0], SW, SH, 0);
}

/* pixels not 'bg' inside r, and outside r */
static void coverage(struct gui_rect r, uint32_t bg, int *in, int *out)
{
	*in = *out = 0;
	for (int y = 0; y < SH; y++)
		for (int x = 0; x < SW; x++)
			if (screen[y][x] != bg)
				(*(gui_rect_contains(r, x, y) ? in : out))++;
}

TEST(GUI_0113, "glyphs: coverage inside the text's box, none outside, anti-aliased, in the colour")
{
	struct gui_surface s;
	struct gui_font *f = font(0, 20, 0);
	static const char *const texts[] = { "Hello, world", "gjpqy|", "\xc3\x84\xc3\x96\xc3\x9c \xe2\x82\xac",
	                                     "W", "i", "\xef\xbf\xbd" };
	struct gui_font_metrics m;

	CHECK(f);
	gui_font_metrics(f, &m);
	for (unsigned t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		int in, out, w, h, grey = 0, full = 0;
		clear(&s, 0xffffff);
		w = gui_draw_text(&s, f, 30, 10, texts[t], strlen(texts[t]), 0x000000);
		gui_text_size(f, texts[t], strlen(texts[t]), NULL, &h);
		CHECK_EQ(w, gui_text_width(f, texts[t], strlen(texts[t])));
		CHECK_EQ(h, m.line_height);
		/* a glyph may reach a pixel beyond its advance (italic overhang,
		 * side bearings): allow 2 pixels either side, none above or below */
		coverage(gui_rect(30 - 2, 10, w + 4, m.line_height), 0xffffff, &in, &out);
		CHECK_MSG(in > 5 * (int)strlen(texts[t]) / 4 && out == 0, "'%s': %d inside, %d outside",
		          texts[t], in, out);
		for (int y = 0; y < SH; y++)
			for (int x = 0; x < SW; x++) {
				uint32_t p = screen[y][x];
				/* grey levels only: black text on white */
				CHECK((p & 0xff) == ((p >> 8) & 0xff) && (p & 0xff) == ((p >> 16) & 0xff));
				grey += p != 0 && p != 0xffffff;
				full += p == 0;
			}
		CHECK_MSG(grey > 0 && full > 0, "'%s': %d grey, %d black pixels", texts[t], grey, full);
	}
	gui_font_free(f);
}

TEST(GUI_0114, "widths: monotone over prefixes, additive up to rounding, zero for nothing")
{
	static const char text[] = "The quick brown fox \xc3\xa4\xc3\xb6\xc3\xbc \xe2\x82\xac \xf0\x9f\x98\x80 jumps.";
	struct gui_font *f = font(0, 16, 0);
	int last = 0;

	CHECK(f);
	CHECK_EQ(gui_text_width(f, "", 0), 0);
	/* prefixes that end on a character (a cut one is a U+FFFD, which may
	 * be wider than the character it is the start of) */
	for (size_t n = 0; n < strlen(text);) {
		uint32_t cp;
		int w;
		n += gui_utf8_decode(text + n, strlen(text) - n, &cp);
		w = gui_text_width(f, text, n);
		CHECK_MSG(w >= last, "prefix %zu: %d < %d", n, w, last);
		last = w;
	}
	CHECK(last > 200);
	for (size_t n = 0; n <= strlen(text); n++) {
		int a, b;
		if (n < strlen(text) && (text[n] & 0xc0) == 0x80)
			continue;   /* not a character boundary */
		a = gui_text_width(f, text, n), b = gui_text_width(f, text + n, strlen(text) - n);
		CHECK(a + b >= last && a + b <= last + 1);
	}
	CHECK(gui_text_width(f, "WWW", 3) > gui_text_width(f, "iii", 3));
	gui_font_free(f);
}

TEST(GUI_0115, "invalid UTF-8 draws as U+FFFD; a multi-line text is as high as its lines")
{
	static uint32_t a[SH][SW];
	struct gui_surface s;
	struct gui_font *f = font(0, 16, 0);
	struct gui_font_metrics m;
	int w, h;

	CHECK(f);
	clear(&s, 0);
	gui_draw_text(&s, f, 5, 5, "x\xffy", 3, 0xffffff);
	memcpy(a, screen, sizeof a);
	clear(&s, 0);
	gui_draw_text(&s, f, 5, 5, "x\xef\xbf\xbdy", 5, 0xffffff);
	CHECK(memcmp(a, screen, sizeof a) == 0);
	gui_font_metrics(f, &m);
	gui_text_size(f, "ab\nlonger line\nc", 16, &w, &h);
	CHECK_EQ(h, 3 * m.line_height);
	CHECK_EQ(w, gui_text_width(f, "longer line", 11));
	gui_font_free(f);
}

TEST(GUI_0116, "clipped text: nothing outside the clip, inside exactly the unclipped pixels")
{
	static uint32_t full[SH][SW];
	struct gui_surface s;
	struct gui_font *f = font(0, 24, 0);
	struct gui_rect clip = gui_rect(40, 12, 50, 9);

	CHECK(f);
	clear(&s, 0x202020);
	gui_draw_text(&s, f, 20, 5, "Clipping: Qg\xc3\xa9", 14, 0xffff00);
	memcpy(full, screen, sizeof full);
	clear(&s, 0x202020);
	gui_clip(&s, clip);
	gui_draw_text(&s, f, 20, 5, "Clipping: Qg\xc3\xa9", 14, 0xffff00);
	for (int y = 0; y < SH; y++)
		for (int x = 0; x < SW; x++)
			CHECK_EQ(screen[y][x], gui_rect_contains(clip, x, y) ? full[y][x] : 0x202020u);
	/* far outside: nothing drawn, no overflow */
	clear(&s, 0x202020);
	gui_draw_text(&s, f, 0x7fffff00, 0x7fffff00, "far", 3, 0xffffff);
	gui_draw_text(&s, f, -0x7fffff00, -0x7fffff00, "far", 3, 0xffffff);
	for (int y = 0; y < SH; y++)
		for (int x = 0; x < SW; x++)
			CHECK_EQ(screen[y][x], 0x202020u);
	gui_font_free(f);
}

TEST(GUI_0117, "the glyph cache stays within its limit, evicts, and draws the same pixels")
{
	static uint32_t big[SH][SW];
	struct gui_surface s;
	struct gui_font *f = font(0, 16, 1 << 20), *g = font(0, 16, 2048);
	struct gui_glyph_stats st;
	char text[200];
	size_t n = 0;

	CHECK(f && g);
	for (uint32_t c = 0x21; n < sizeof text - 4 && c < 0x180; c++)
		n += gui_utf8_encode(c, text + n);
	clear(&s, 0);
	gui_draw_text(&s, f, 0, 0, text, n, 0xffffff);
	memcpy(big, screen, sizeof big);
	clear(&s, 0);
	gui_draw_text(&s, g, 0, 0, text, n, 0xffffff);
	CHECK(memcmp(big, screen, sizeof big) == 0);
	gui_font_stats(g, &st);
	CHECK(st.bytes <= st.bytes_max && st.bytes_max == 2048);
	CHECK(st.evicted > 0 && st.rendered > st.glyphs);
	CHECK_EQ(st.lookups, st.hits + st.rendered);
	gui_font_stats(f, &st);
	CHECK_EQ(st.evicted, 0);
	/* drawing again: all hits */
	{
		uint64_t hits = st.hits;
		gui_draw_text(&s, f, 0, 0, text, n, 0xffffff);
		gui_font_stats(f, &st);
		CHECK(st.hits >= hits + 100);
	}
	/* a cache too small for any glyph still draws (from a scratch mask) */
	gui_font_free(g);
	g = font(0, 16, 1);
	CHECK(g);
	clear(&s, 0);
	gui_draw_text(&s, g, 0, 0, text, n, 0xffffff);
	CHECK(memcmp(big, screen, sizeof big) == 0);
	gui_font_stats(g, &st);
	CHECK_EQ(st.glyphs, 0);
	gui_font_free(f);
	gui_font_free(g);
}

TEST(GUI_0118, "monospace: every character advances one cell; the grid keeps glyphs in their cells")
{
	struct gui_surface s;
	struct gui_font *f = font(1, 16, 0);
	struct gui_font_metrics m;
	struct gui_grid grid;
	struct gui_cell cells[3 * 2];

	CHECK(f);
	gui_font_metrics(f, &m);
	for (int c = 0x20; c < 0x7f; c++) {
		char ch = (char)c;
		CHECK_MSG(gui_text_width(f, &ch, 1) == m.cell_width, "'%c'", c);
	}
	/* the cell is the advance rounded up; text advances by the exact one */
	CHECK(gui_text_width(f, "abcdefghij", 10) > 10 * (m.cell_width - 1));
	CHECK(gui_text_width(f, "abcdefghij", 10) <= 10 * m.cell_width);
	CHECK_EQ(gui_text_width(f, "abcdefghij", 10), gui_text_width(f, "||||||||||", 10));
	gui_grid_init(&grid, f, 10, 4, 3 * m.cell_width + m.cell_width / 2, 2 * m.line_height + 3);
	CHECK(grid.cols == 3 && grid.rows == 2);
	for (int i = 0; i < 6; i++)
		cells[i] = (struct gui_cell){ (uint32_t)"W@g\xc3\xa4_|"[i], 0xffffff, 0x000080 };
	cells[3].cp = 0xe4;
	clear(&s, 0x555555);
	gui_grid_draw(&s, &grid, cells);
	for (int y = 0; y < SH; y++)
		for (int x = 0; x < SW; x++) {
			int in = gui_rect_contains(gui_rect(10, 4, 3 * m.cell_width, 2 * m.line_height), x, y);
			if (!in)
				CHECK_EQ(screen[y][x], 0x555555u);
		}
	for (int row = 0; row < 2; row++)
		for (int col = 0; col < 3; col++) {
			struct gui_rect r = gui_grid_cell_rect(&grid, col, row);
			int fg = 0;
			for (int y = r.y; y < r.y + r.h; y++)
				for (int x = r.x; x < r.x + r.w; x++)
					fg += screen[y][x] != 0x000080;
			CHECK_MSG(fg > 3, "cell %d,%d: %d pixels of its glyph", col, row, fg);
		}
	CHECK(gui_rect_empty(gui_grid_cell_rect(&grid, 3, 0)));
	gui_font_free(f);
}

TEST(GUI_0119, "gui_text_fit: the longest prefix of whole characters within a width")
{
	static const char t[] = "Window \xe2\x80\x94 title\nsecond";
	struct gui_font *f = font(0, 16, 0);
	size_t line = strlen("Window \xe2\x80\x94 title");

	CHECK(f);
	CHECK_EQ(gui_text_fit(f, t, strlen(t), 100000), line);
	CHECK_EQ(gui_text_fit(f, t, strlen(t), 0), 0);
	CHECK_EQ(gui_text_fit(f, t, strlen(t), -5), 0);
	for (int w = 0; w < 200; w++) {
		size_t n = gui_text_fit(f, t, strlen(t), w);
		CHECK(n <= line);
		CHECK(n == 0 || (t[n] & 0xc0) != 0x80);            /* a character boundary */
		CHECK(gui_text_width(f, t, n) <= w);
		if (n < line) {
			size_t next = n;
			uint32_t cp;
			next += gui_utf8_decode(t + n, strlen(t) - n, &cp);
			CHECK(gui_text_width(f, t, next) > w);       /* one more would not fit */
		}
	}
	gui_font_free(f);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
