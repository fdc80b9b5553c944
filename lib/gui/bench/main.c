/*
 * text_glyphs_bench: the figures text_glyphs and text_glyphs_uncached
 * (bench/README.md): how many glyphs lib/gui draws per million guest
 * instructions under -icount shift=0 (rdtsc counts instructions), with the
 * font of the boot module "sans.ttf" (DejaVu Sans) at 15 pixels into a
 * 640x480 surface in RAM.
 *
 *   text_glyphs           a line of 64 characters (Latin, some accented,
 *                         digits, punctuation) drawn 25 times at other
 *                         positions, glyph cache warm: the steady state of
 *                         a label, a dialog or a terminal redraw
 *   text_glyphs_uncached  the same line with a cache too small for any
 *                         glyph: every glyph rasterized by stb_truetype
 *
 * Each figure: 5 warm-up rounds, then 21 timed ones; the median round in
 * glyphs per million instructions. The glyph counts come from the font's
 * own statistics (lookups), so the test also checks that every glyph of
 * the uncached rounds was rasterized and none of the cached ones.
 */
#include <argil/rom.h>
#include <gui/font.h>
#include <string.h>
#include "testbed.h"

#define WARMUP 5
#define RUNS 21
#define LINES 25
#define W 640
#define H 480

static inline uint64_t ts(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static struct attached_rom sans;
static uint32_t pixels[W * H];
static uint64_t rate[RUNS];
static const char line[] = "Argil draws text: \xc3\xa4\xc3\xb6\xc3\xbc \xc3\xa9\xc3\xa8 0123456789 (quick, brown) fox; jumps!";

static void setup(void)
{
	CHECK_OK(attached_rom_open(&sans, "sans.ttf"));
}

/* one figure: the median of RUNS rounds, glyphs per million instructions */
static void figure(const char *name, size_t cache, bool all_rasterized)
{
	const char *err;
	struct gui_font *f = gui_font_new(sans.data, sans.size, 15, cache, &err);
	struct gui_surface s;
	struct gui_glyph_stats a, b;

	CHECK_MSG(f, "%s", err);
	gui_surface_init(&s, pixels, W, H, 0);
	for (int r = 0; r < WARMUP + RUNS; r++) {
		uint64_t t0, t1, glyphs;
		gui_font_stats(f, &a);
		t0 = ts();
		for (int i = 0; i < LINES; i++)
			gui_draw_text(&s, f, (i * 7) % 40, i * 18, line, sizeof line - 1, 0xffffff);
		t1 = ts();
		gui_font_stats(f, &b);
		glyphs = b.lookups - a.lookups;
		CHECK(glyphs >= LINES * 60);
		if (r >= WARMUP) {
			CHECK_EQ(b.rendered - a.rendered, all_rasterized ? glyphs : 0);
			rate[r - WARMUP] = glyphs * 1000000 / (t1 - t0);
		}
	}
	bench_sort(rate, RUNS);
	printf("text_glyphs_bench: %s: median %lu min %lu max %lu glyphs per million instructions (%d runs of %d lines)\n",
	       name, rate[RUNS / 2], rate[0], rate[RUNS - 1], RUNS, LINES);
	bench_line(name, rate[RUNS / 2], "glyphs per million instructions");
	gui_font_free(f);
}

TEST(TGB_0001, "text_glyphs: glyphs drawn from a warm glyph cache")
{
	figure("text_glyphs", 0, false);
}

TEST(TGB_0002, "text_glyphs_uncached: every glyph rasterized by stb_truetype")
{
	figure("text_glyphs_uncached", 1, true);
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("text_glyphs_bench", setup);
}
