/*
 * Drawing into a 0x00RRGGBB surface, clipped (include/gui/surface.h).
 * Every operation first intersects what it draws with the clip, which
 * gui_surface_init and gui_clip keep inside the buffer, so no pixel
 * outside the buffer is ever touched whatever the caller passes.
 */
#include <gui/surface.h>

static int min_i(int a, int b) { return a < b ? a : b; }
static int max_i(int a, int b) { return a > b ? a : b; }

struct gui_rect gui_rect_intersect(struct gui_rect a, struct gui_rect b)
{
	struct gui_rect r;
	/* 64-bit ends: x + w may overflow int for huge rectangles */
	long long ax1 = (long long)a.x + a.w, bx1 = (long long)b.x + b.w;
	long long ay1 = (long long)a.y + a.h, by1 = (long long)b.y + b.h;
	long long x1 = ax1 < bx1 ? ax1 : bx1, y1 = ay1 < by1 ? ay1 : by1;

	r.x = max_i(a.x, b.x);
	r.y = max_i(a.y, b.y);
	if (a.w <= 0 || a.h <= 0 || b.w <= 0 || b.h <= 0 || x1 <= r.x || y1 <= r.y)
		return gui_rect(0, 0, 0, 0);
	r.w = (int)(x1 - r.x);
	r.h = (int)(y1 - r.y);
	return r;
}

bool gui_rect_empty(struct gui_rect r)
{
	return r.w <= 0 || r.h <= 0;
}

bool gui_rect_contains(struct gui_rect r, int x, int y)
{
	return !gui_rect_empty(r) && x >= r.x && y >= r.y &&
	       (long long)x < (long long)r.x + r.w && (long long)y < (long long)r.y + r.h;
}

void gui_surface_init(struct gui_surface *s, uint32_t *pixels, int width, int height, int stride)
{
	s->pixels = pixels;
	s->width = width > 0 ? width : 0;
	s->height = height > 0 ? height : 0;
	s->stride = stride > 0 ? stride : s->width;
	s->clip = gui_rect(0, 0, s->width, s->height);
}

struct gui_rect gui_clip(struct gui_surface *s, struct gui_rect r)
{
	struct gui_rect old = s->clip;

	s->clip = gui_rect_intersect(r, gui_rect(0, 0, s->width, s->height));
	return old;
}

/*
 * The mix of all three channels at once: each channel gets a 16-bit field
 * of a 64-bit word (bits 0, 16, 32), where c * a + d * (255 - a) + 127
 * (at most 65152) cannot carry into the next one, and the division by 255
 * is floor(t / 255) = (v + (v >> 8)) >> 8 with v = t + 1, exact for every
 * t up to 65279 (checked for all of them by tests/host/gui_draw.c's
 * comparison with the floating-point mix).
 */
#define FIELDS_LOW 0x00ff00ff00ffull

static inline uint64_t spread(uint32_t p)
{
	return (p & 0xffu) | (uint64_t)(p & 0xff00u) << 8 | (uint64_t)(p & 0xff0000u) << 16;
}

static inline uint32_t gather(uint64_t x)
{
	return (uint32_t)(x & 0xff) | (uint32_t)((x >> 8) & 0xff00) | (uint32_t)((x >> 16) & 0xff0000);
}

static inline uint32_t mix_spread(uint32_t dst, uint64_t src, unsigned a)
{
	uint64_t v = src * a + spread(dst) * (255 - a) + 0x008000800080ull;   /* + 127 + 1 */

	return gather(((v + ((v >> 8) & FIELDS_LOW)) >> 8) & FIELDS_LOW);
}

uint32_t gui_mix(uint32_t dst, uint32_t src, unsigned a)
{
	if (a >= 255)
		return src & 0xffffff;
	if (a == 0)
		return dst & 0xffffff;
	return mix_spread(dst, spread(src), a);
}

static uint32_t *at(const struct gui_surface *s, int x, int y)
{
	return s->pixels + (size_t)y * (size_t)s->stride + (size_t)x;
}

void gui_fill(struct gui_surface *s, struct gui_rect r, uint32_t rgb)
{
	r = gui_rect_intersect(r, s->clip);
	rgb &= 0xffffff;
	for (int y = r.y; y < r.y + r.h; y++) {
		uint32_t *p = at(s, r.x, y);
		for (int i = 0; i < r.w; i++)
			p[i] = rgb;
	}
}

void gui_fill_argb(struct gui_surface *s, struct gui_rect r, uint32_t argb)
{
	unsigned a = argb >> 24;

	r = gui_rect_intersect(r, s->clip);
	for (int y = r.y; y < r.y + r.h; y++) {
		uint32_t *p = at(s, r.x, y);
		for (int i = 0; i < r.w; i++)
			p[i] = gui_mix(p[i], argb, a);
	}
}

/* The part of a w x h block at x,y inside the clip, and where it starts in the source. */
static struct gui_rect src_clip(const struct gui_surface *s, int x, int y, int w, int h, int *sx,
                                int *sy)
{
	struct gui_rect r = gui_rect_intersect(gui_rect(x, y, w, h), s->clip);

	*sx = r.x - x;
	*sy = r.y - y;
	return r;
}

void gui_blit(struct gui_surface *s, int x, int y, const uint32_t *src, int w, int h, int stride)
{
	int sx, sy;
	struct gui_rect r = src_clip(s, x, y, w, h, &sx, &sy);

	if (stride <= 0)
		stride = w;
	for (int j = 0; j < r.h; j++) {
		const uint32_t *q = src + (size_t)(sy + j) * (size_t)stride + (size_t)sx;
		uint32_t *p = at(s, r.x, r.y + j);
		for (int i = 0; i < r.w; i++)
			p[i] = q[i] & 0xffffff;
	}
}

void gui_blit_argb(struct gui_surface *s, int x, int y, const uint32_t *src, int w, int h,
                   int stride)
{
	int sx, sy;
	struct gui_rect r = src_clip(s, x, y, w, h, &sx, &sy);

	if (stride <= 0)
		stride = w;
	for (int j = 0; j < r.h; j++) {
		const uint32_t *q = src + (size_t)(sy + j) * (size_t)stride + (size_t)sx;
		uint32_t *p = at(s, r.x, r.y + j);
		for (int i = 0; i < r.w; i++)
			p[i] = gui_mix(p[i], q[i], q[i] >> 24);
	}
}

void gui_blend_mask(struct gui_surface *s, int x, int y, const uint8_t *mask, int w, int h,
                    int stride, uint32_t rgb)
{
	int sx, sy;
	struct gui_rect r = src_clip(s, x, y, w, h, &sx, &sy);
	uint64_t c = spread(rgb);

	rgb &= 0xffffff;
	if (stride <= 0)
		stride = w;
	for (int j = 0; j < r.h; j++) {
		const uint8_t *q = mask + (size_t)(sy + j) * (size_t)stride + (size_t)sx;
		uint32_t *p = at(s, r.x, r.y + j);
		for (int i = 0; i < r.w; i++) {
			unsigned a = q[i];
			if (a == 255)
				p[i] = rgb;
			else if (a)
				p[i] = mix_spread(p[i], c, a);
		}
	}
}

void gui_line(struct gui_surface *s, int x0, int y0, int x1, int y1, uint32_t rgb)
{
	/* Bresenham over 64-bit differences; points outside the clip are
	 * skipped, and the walk stops once it has left the clip for good (its
	 * cost is at most the line's length). */
	long long dx = x1 > x0 ? (long long)x1 - x0 : (long long)x0 - x1;
	long long dy = y1 > y0 ? (long long)y0 - y1 : (long long)y1 - y0;
	int stepx = x0 < x1 ? 1 : -1, stepy = y0 < y1 ? 1 : -1;
	long long err = dx + dy;
	long long x = x0, y = y0;
	struct gui_rect c = s->clip;

	if (gui_rect_empty(c))
		return;
	/* a horizontal or vertical line: a fill, clamped first (ends may be huge) */
	if (x0 == x1 || y0 == y1) {
		long long lx0 = max_i(min_i(x0, x1), c.x), lx1 = (long long)max_i(x0, x1) + 1;
		long long ly0 = max_i(min_i(y0, y1), c.y), ly1 = (long long)max_i(y0, y1) + 1;
		if (lx1 > (long long)c.x + c.w)
			lx1 = (long long)c.x + c.w;
		if (ly1 > (long long)c.y + c.h)
			ly1 = (long long)c.y + c.h;
		if (lx1 > lx0 && ly1 > ly0)
			gui_fill(s, gui_rect((int)lx0, (int)ly0, (int)(lx1 - lx0), (int)(ly1 - ly0)), rgb);
		return;
	}
	for (;;) {
		long long e2;
		if (x >= c.x && x < c.x + c.w && y >= c.y && y < c.y + c.h)
			*at(s, (int)x, (int)y) = rgb & 0xffffff;
		if (x == x1 && y == y1)
			break;
		/* beyond the clip for good: the rest cannot come back */
		if ((stepx > 0 && x >= c.x + c.w) || (stepx < 0 && x < c.x) ||
		    (stepy > 0 && y >= c.y + c.h) || (stepy < 0 && y < c.y))
			break;
		e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x += stepx;
		}
		if (e2 <= dx) {
			err += dx;
			y += stepy;
		}
	}
}

void gui_frame(struct gui_surface *s, struct gui_rect r, int t, uint32_t rgb)
{
	if (gui_rect_empty(r) || t <= 0)
		return;
	if (t * 2 >= r.w || t * 2 >= r.h) {
		gui_fill(s, r, rgb);
		return;
	}
	gui_fill(s, gui_rect(r.x, r.y, r.w, t), rgb);
	gui_fill(s, gui_rect(r.x, r.y + r.h - t, r.w, t), rgb);
	gui_fill(s, gui_rect(r.x, r.y + t, t, r.h - 2 * t), rgb);
	gui_fill(s, gui_rect(r.x + r.w - t, r.y + t, t, r.h - 2 * t), rgb);
}
