// sources: lib/gui/surface.c
// cflags: -Ilib/gui/include
/*
 * Host unit tests of lib/gui's surfaces (lib/gui/surface.c): fills,
 * blits, alpha blending of ARGB pixels and of coverage masks, lines and
 * frames, each checked pixel by pixel, inside and outside the clip.
 *
 * Area: GUI.
 */
#include <harness.h>
#include <gui/surface.h>

#define W 40
#define H 30
#define BG 0x00123456u

static uint32_t px[H][W];

static void setup(struct gui_surface *s)
{
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			px[y][x] = BG;
	gui_surface_init(s, &px[0][0], W, H, 0);
}

/* every pixel: inside r it must be 'in', elsewhere BG */
static int count_not(struct gui_rect r, uint32_t in)
{
	int bad = 0;

	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			bad += px[y][x] != (gui_rect_contains(r, x, y) ? in : BG);
	return bad;
}

/* the mix rounded to nearest from the exact value, in floating point */
static uint32_t mix_ref(uint32_t d, uint32_t c, unsigned a)
{
	uint32_t out = 0;

	for (int sh = 0; sh < 24; sh += 8) {
		double v = (((c >> sh) & 0xff) * (double)a + ((d >> sh) & 0xff) * (255.0 - a)) / 255.0;
		out |= (uint32_t)(v + 0.5) << sh;
	}
	return out;
}

TEST(GUI_0001, "gui_mix: a=0 keeps dst, a=255 gives src, every a rounds the exact mix to nearest")
{
	CHECK_EQ(gui_mix(0x112233, 0xaabbcc, 0), 0x112233);
	CHECK_EQ(gui_mix(0x112233, 0xffaabbcc, 255), 0xaabbcc);
	CHECK_EQ(gui_mix(0x000000, 0xffffff, 128), 0x808080);
	CHECK_EQ(gui_mix(0xffffff, 0x000000, 128), 0x7f7f7f);
	/* every alpha, source and destination value, in all three channels */
	for (unsigned a = 0; a < 256; a++)
		for (unsigned c = 0; c < 256; c++)
			for (unsigned d = 0; d < 256; d++) {
				uint32_t dst = d | ((255 - d) << 8) | (c << 16), src = c | (d << 8) | (a << 16);
				if (gui_mix(dst, src, a) != mix_ref(dst, src, a))
					CHECK_MSG(0, "a %u c %u d %u: %06x, not %06x", a, c, d, gui_mix(dst, src, a),
					          mix_ref(dst, src, a));
			}
}

TEST(GUI_0002, "gui_fill: exactly the rectangle, clipped to the buffer, the top byte dropped")
{
	struct gui_surface s;

	setup(&s);
	gui_fill(&s, gui_rect(3, 4, 10, 5), 0xff00ff00);
	CHECK_EQ(count_not(gui_rect(3, 4, 10, 5), 0x00ff00), 0);
	setup(&s);
	gui_fill(&s, gui_rect(-5, -7, 10, 10), 0x0000ff);
	CHECK_EQ(count_not(gui_rect(0, 0, 5, 3), 0x0000ff), 0);
	setup(&s);
	gui_fill(&s, gui_rect(35, 25, 1000000, 1000000), 0xff);
	CHECK_EQ(count_not(gui_rect(35, 25, 5, 5), 0xff), 0);
	setup(&s);
	gui_fill(&s, gui_rect(0x7ffffff0, 0x7ffffff0, 0x7fffffff, 0x7fffffff), 0xff);
	gui_fill(&s, gui_rect(-0x7fffffff, -0x7fffffff, 0x7fffffff, 0x7fffffff), 0xff);
	gui_fill(&s, gui_rect(5, 5, 0, 10), 0xff);
	gui_fill(&s, gui_rect(5, 5, -3, 10), 0xff);
	CHECK_EQ(count_not(gui_rect(0, 0, 0, 0), 0), 0);
}

TEST(GUI_0003, "the clip rectangle bounds every drawing; gui_clip keeps it inside the buffer")
{
	struct gui_surface s;
	struct gui_rect old;
	uint32_t src[4 * 4];
	uint8_t mask[4 * 4];

	for (int i = 0; i < 16; i++) {
		src[i] = 0xff000000u | 0xabcdef;
		mask[i] = 255;
	}
	setup(&s);
	old = gui_clip(&s, gui_rect(10, 10, 5, 5));
	CHECK_EQ(old.w, W);
	gui_fill(&s, gui_rect(0, 0, W, H), 0x111111);
	CHECK_EQ(count_not(gui_rect(10, 10, 5, 5), 0x111111), 0);
	setup(&s);
	gui_clip(&s, gui_rect(10, 10, 5, 5));
	gui_blit(&s, 8, 8, src, 4, 4, 4);
	gui_blit_argb(&s, 13, 13, src, 4, 4, 4);
	CHECK_EQ(count_not(gui_rect(0, 0, 0, 0), 0), 2 * 2 + 2 * 2);
	CHECK_EQ(px[10][10], 0xabcdef);
	CHECK_EQ(px[14][14], 0xabcdef);
	CHECK_EQ(px[9][9], BG);
	CHECK_EQ(px[15][15], BG);
	setup(&s);
	gui_clip(&s, gui_rect(10, 10, 5, 5));
	gui_blend_mask(&s, 12, 8, mask, 4, 4, 4, 0xffffff);
	gui_line(&s, 0, 12, 100, 12, 0x1);
	gui_line(&s, 0, 0, 39, 29, 0x2);
	gui_frame(&s, gui_rect(0, 0, W, H), 12, 0x3);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			if (!gui_rect_contains(gui_rect(10, 10, 5, 5), x, y))
				CHECK_MSG(px[y][x] == BG, "pixel %d,%d outside the clip drawn", x, y);
	setup(&s);
	gui_clip(&s, gui_rect(-100, 20, 1000, 1000));
	CHECK(s.clip.x == 0 && s.clip.y == 20 && s.clip.w == W && s.clip.h == H - 20);
	gui_clip(&s, gui_rect(50, 50, 10, 10));
	CHECK(gui_rect_empty(s.clip));
	gui_fill(&s, gui_rect(0, 0, W, H), 0x111111);
	CHECK_EQ(count_not(gui_rect(0, 0, 0, 0), 0), 0);
}

TEST(GUI_0004, "gui_fill_argb and gui_blit_argb blend by alpha exactly; gui_blit copies")
{
	struct gui_surface s;
	uint32_t src[3 * 2] = { 0x00ff0000, 0x80ff0000, 0xffff0000, 0x40000000, 0xc0ffffff, 0x01020304 };

	setup(&s);
	gui_fill_argb(&s, gui_rect(1, 1, 2, 2), 0x80ffffff);
	CHECK_EQ(count_not(gui_rect(1, 1, 2, 2), mix_ref(BG, 0xffffff, 0x80)), 0);
	setup(&s);
	gui_blit_argb(&s, 5, 6, src, 3, 2, 3);
	for (int j = 0; j < 2; j++)
		for (int i = 0; i < 3; i++)
			CHECK_EQ(px[6 + j][5 + i], mix_ref(BG, src[j * 3 + i], src[j * 3 + i] >> 24));
	CHECK_EQ(px[6][5], BG);
	CHECK_EQ(px[6][7], 0xff0000);
	setup(&s);
	gui_blit(&s, 38, 29, src, 3, 2, 3);
	CHECK_EQ(px[29][38], 0xff0000);
	CHECK_EQ(px[29][39], 0xff0000);
	CHECK_EQ(count_not(gui_rect(38, 29, 2, 1), 0xff0000), 0);
	setup(&s);
	gui_blit(&s, -2, -1, src, 3, 2, 3);
	CHECK_EQ(px[0][0], 0x020304);  /* src[1][2], its alpha byte dropped */
	CHECK_EQ(count_not(gui_rect(0, 0, 1, 1), 0x020304), 0);
}

TEST(GUI_0005, "gui_blend_mask: each pixel mixed by its coverage; 0 leaves it, 255 replaces it")
{
	struct gui_surface s;
	uint8_t mask[2 * 3] = { 0, 64, 255, 128, 1, 200 };

	setup(&s);
	gui_blend_mask(&s, 20, 10, mask, 3, 2, 3, 0xff8000);
	for (int j = 0; j < 2; j++)
		for (int i = 0; i < 3; i++)
			CHECK_EQ(px[10 + j][20 + i], mix_ref(BG, 0xff8000, mask[j * 3 + i]));
	CHECK_EQ(px[10][20], BG);
	CHECK_EQ(px[10][22], 0xff8000);
	CHECK_EQ(px[9][20], BG);
	CHECK_EQ(px[12][20], BG);
	/* a stride larger than the width: the extra bytes are not read */
	{
		uint8_t m2[2 * 4] = { 255, 255, 9, 9, 255, 255, 9, 9 };
		setup(&s);
		gui_blend_mask(&s, 0, 0, m2, 2, 2, 4, 0x1);
		CHECK_EQ(count_not(gui_rect(0, 0, 2, 2), 0x1), 0);
	}
}

TEST(GUI_0006, "gui_line: both ends, diagonal and steep lines, clipped; gui_frame: the border inside")
{
	struct gui_surface s;
	int n = 0;

	setup(&s);
	gui_line(&s, 2, 3, 12, 3, 0x7);
	CHECK_EQ(count_not(gui_rect(2, 3, 11, 1), 0x7), 0);
	setup(&s);
	gui_line(&s, 5, 20, 5, 2, 0x7);
	CHECK_EQ(count_not(gui_rect(5, 2, 1, 19), 0x7), 0);
	setup(&s);
	gui_line(&s, 0, 0, 9, 9, 0x7);
	for (int i = 0; i < 10; i++)
		CHECK_EQ(px[i][i], 0x7);
	CHECK_EQ(count_not(gui_rect(0, 0, 0, 0), 0), 10);
	setup(&s);
	gui_line(&s, 30, 2, 20, 22, 0x7);   /* steep: one pixel a row */
	for (int y = 0; y < H; y++) {
		int row = 0;
		for (int x = 0; x < W; x++)
			row += px[y][x] == 0x7;
		CHECK_MSG(row == (y >= 2 && y <= 22), "row %d has %d pixels", y, row);
		n += row;
	}
	CHECK_EQ(n, 21);
	CHECK_EQ(px[2][30], 0x7);
	CHECK_EQ(px[22][20], 0x7);
	setup(&s);
	gui_line(&s, -2000000000, 5, 2000000000, 5, 0x7);
	gui_line(&s, -10, -10, 100, 100, 0x8);
	CHECK_EQ(px[5][0], 0x7);
	CHECK_EQ(px[5][39], 0x7);
	CHECK_EQ(px[29][29], 0x8);
	setup(&s);
	gui_frame(&s, gui_rect(2, 2, 10, 8), 2, 0x9);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			int in = gui_rect_contains(gui_rect(2, 2, 10, 8), x, y) &&
			         !gui_rect_contains(gui_rect(4, 4, 6, 4), x, y);
			CHECK_EQ(px[y][x], in ? 0x9u : BG);
		}
}

TEST(GUI_0007, "gui_rect_intersect: overlap, none, touching edges, huge values")
{
	struct gui_rect r = gui_rect_intersect(gui_rect(0, 0, 10, 10), gui_rect(5, -5, 10, 10));

	CHECK(r.x == 5 && r.y == 0 && r.w == 5 && r.h == 5);
	CHECK(gui_rect_empty(gui_rect_intersect(gui_rect(0, 0, 10, 10), gui_rect(10, 0, 5, 5))));
	CHECK(gui_rect_empty(gui_rect_intersect(gui_rect(0, 0, 10, 10), gui_rect(0, 0, -1, 5))));
	r = gui_rect_intersect(gui_rect(0x7ffffff0, 0, 0x7fffffff, 5), gui_rect(0, 0, 0x7fffffff, 5));
	CHECK(r.x == 0x7ffffff0 && r.w == 0x0f);
	CHECK(gui_rect_contains(gui_rect(1, 1, 2, 2), 2, 2));
	CHECK(!gui_rect_contains(gui_rect(1, 1, 2, 2), 3, 2));
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
