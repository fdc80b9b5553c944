/*
 * Composition (docs/gui.md): a painter's pass over a changed rectangle
 * of every screen: the background, then each view from the back to the
 * front (each clipped to the rectangle, the view and its client's
 * buffer; pixels a view covers beyond its buffer show the background),
 * then the pointer on top of all.
 *
 * X-ray (the trusted path, while the config's xray_key is held): each
 * view is drawn with a frame of XRAY_FRAME pixels in its domain's colour
 * and, above it, a label bar of XRAY_BAR pixels in that colour with the
 * session's label (lib/gui's text in the font of ROM "font", black or
 * white, whichever stands out against the colour); views of sessions other than the focused one are
 * dimmed (each channel halved). Frame and bar stay on the screen (over
 * the view's own pixels where it reaches beyond an edge). The frame and
 * the bar belong to the
 * view's place in the stack, so a view in front covers them, and a
 * client can stack only within its own domain's layer or behind it: no
 * client can draw over the label bar of a domain in front of its own.
 */
#include <argil/string.h>
#include <gui/font.h>
#include "gui.h"

bool xray;
struct gui_font *label_font;

bool clip(struct rect *a, const struct rect *b)
{
	long x0 = a->x > b->x ? a->x : b->x, y0 = a->y > b->y ? a->y : b->y;
	long x1 = a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w;
	long y1 = a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h;

	if (x1 <= x0 || y1 <= y0) {
		a->w = a->h = 0;
		return false;
	}
	*a = (struct rect){ x0, y0, x1 - x0, y1 - y0 };
	return true;
}

void unite(struct rect *a, const struct rect *b)
{
	long x1, y1;

	if (!b->w || !b->h)
		return;
	if (!a->w || !a->h) {
		*a = *b;
		return;
	}
	x1 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
	y1 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;
	a->x = a->x < b->x ? a->x : b->x;
	a->y = a->y < b->y ? a->y : b->y;
	a->w = x1 - a->x;
	a->h = y1 - a->y;
}

struct rect view_rect(const struct view *v)
{
	struct rect r = v->r;
	long w, h;

	switch (v->owner->domain->origin) {
	case ORIGIN_POINTER:
		r.x += pointer_x;
		r.y += pointer_y;
		break;
	case ORIGIN_SCREEN:
		screen_size(&w, &h);
		if (r.w && r.h)
			r = (struct rect){ 0, 0, w, h };
		break;
	case ORIGIN_TOP_LEFT:
		break;
	}
	return r;
}

/* In x-ray mode: the frame and bar go around the part of the view on the
 * screen, and stay on the screen: a view that reaches beyond an edge gets
 * its frame (and at the top its bar) over its own pixels there, so that
 * no view hides its label by lying partly off the screen. */
struct rect view_footprint(const struct view *v)
{
	struct rect r = view_rect(v), scr;
	long bar = v->owner->domain->label ? XRAY_BAR : 0, w, h;

	if (!xray || !r.w || !r.h)
		return r;
	screen_size(&w, &h);
	scr = (struct rect){ 0, 0, w, h };
	if (w && h && !clip(&r, &scr))
		return r;
	r = (struct rect){ r.x - XRAY_FRAME, r.y - XRAY_FRAME - bar, r.w + 2 * XRAY_FRAME,
			   r.h + 2 * XRAY_FRAME + bar };
	if (w && h)
		clip(&r, &scr);
	return r;
}

/* Inside the frame and below the bar of a footprint. */
static struct rect footprint_inner(const struct view *v, const struct rect *fp)
{
	long bar = v->owner->domain->label ? XRAY_BAR : 0;

	return (struct rect){ fp->x + XRAY_FRAME, fp->y + XRAY_FRAME + bar, fp->w - 2 * XRAY_FRAME,
			      fp->h - 2 * XRAY_FRAME - bar };
}

static void fill(struct capture *c, const struct rect *r, uint32_t colour)
{
	uint32_t *px = c->screen.va;

	for (long y = r->y; y < r->y + r->h; y++)
		for (long x = r->x; x < r->x + r->w; x++)
			px[y * (long)c->width + x] = colour;
}

/* The label in the bar at bx,by (bw wide), clipped to area. */
static void draw_label(struct capture *c, const struct rect *area, long bx, long by, long bw,
		       const char *label, uint32_t colour)
{
	struct gui_surface s;
	struct gui_font_metrics m;
	struct rect r = { bx + 2, by + 1, bw - 4, XRAY_BAR - 1 };
	unsigned luma = (colour >> 16 & 0xff) * 3 + (colour >> 8 & 0xff) * 6 + (colour & 0xff);

	if (!label_font || !clip(&r, area))
		return;
	gui_surface_init(&s, c->screen.va, (int)c->width, (int)c->height, 0);
	gui_clip(&s, gui_rect((int)r.x, (int)r.y, (int)r.w, (int)r.h));
	gui_font_metrics(label_font, &m);
	gui_draw_text(&s, label_font, (int)bx + XRAY_FRAME + 2,
		      (int)by + (XRAY_BAR - m.line_height) / 2, label, strlen(label),
		      luma > 128 * 10 ? 0x000000 : 0xffffff);
}

static void draw_view(struct capture *c, const struct view *v, const struct rect *area)
{
	struct rect vr = view_rect(v), whole = view_footprint(v), fp = whole, r, b, in;
	const struct gui_client *o = v->owner;
	uint32_t *px = c->screen.va;
	const uint32_t *src = o->buf.va;
	bool dim = xray && o != focused;

	if (!clip(&fp, area))
		return;
	r = vr;
	if (xray) {
		/* frame and bar: everything of the footprint around the view */
		fill(c, &fp, o->domain->colour);
		if (o->domain->label)
			draw_label(c, area, whole.x, whole.y, whole.w, o->ss.label,
				   o->domain->colour);
		in = footprint_inner(v, &whole);
		if (!clip(&r, &in))
			return;
	}
	if (!clip(&r, area))
		return;
	b = (struct rect){ vr.x, vr.y, src ? (long)o->width : 0, src ? (long)o->height : 0 };
	clip(&b, &r);
	/* beyond the buffer: the background (right of it, then below it) */
	if (b.w < r.w || b.h < r.h) {
		uint32_t bg = dim ? background >> 1 & 0x7f7f7f : background;
		struct rect right = { b.w ? b.x + b.w : r.x, r.y, 0, b.w ? b.h : 0 };
		struct rect below = { r.x, b.w ? b.y + b.h : r.y, r.w, 0 };
		right.w = r.x + r.w - right.x;
		below.h = r.y + r.h - below.y;
		if (right.w > 0 && right.h > 0)
			fill(c, &right, bg);
		if (below.w > 0 && below.h > 0)
			fill(c, &below, bg);
	}
	if (!b.w || !b.h)
		return;
	for (long y = b.y; y < b.y + b.h; y++) {
		uint32_t *d = &px[y * (long)c->width + b.x];
		const uint32_t *s = &src[(y - vr.y) * (long)o->width + (b.x - vr.x)];
		if (!dim) {
			memcpy_bulk(d, s, (size_t)b.w * 4);
			continue;
		}
		for (long x = 0; x < b.w; x++)
			d[x] = s[x] >> 1 & 0x7f7f7f;
	}
}

/* The pointer: an arrow, its tip at the pointer position ('#' black
 * outline, '.' white). */
#define POINTER_W 11
#define POINTER_H 17
static const char *const arrow[POINTER_H] = {
	"#          ", "##         ", "#.#        ", "#..#       ", "#...#      ",
	"#....#     ", "#.....#    ", "#......#   ", "#.......#  ", "#........# ",
	"#.....#####", "#..#..#    ", "#.# #..#   ", "##  #..#   ", "#    #..#  ",
	"     #..#  ", "      ##   ",
};

struct rect pointer_rect(void)
{
	return (struct rect){ pointer_x, pointer_y, POINTER_W, POINTER_H };
}

static void draw_pointer(struct capture *c, const struct rect *area)
{
	struct rect r = pointer_rect();
	uint32_t *px = c->screen.va;

	if (!pointer_shown || !pointer_seen || !clip(&r, area))
		return;
	for (long y = r.y; y < r.y + r.h; y++)
		for (long x = r.x; x < r.x + r.w; x++) {
			char ch = arrow[y - pointer_y][x - pointer_x];
			if (ch != ' ')
				px[y * (long)c->width + x] = ch == '#' ? 0x000000 : 0xffffff;
		}
}

static void fill_background(struct capture *c, const struct rect *r)
{
	fill(c, r, background);
}

void redraw(const struct rect *r)
{
	for (struct capture *c = captures; c; c = c->next) {
		struct rect a = *r, s = { 0, 0, (long)c->width, (long)c->height };
		if (!c->screen.va || !clip(&a, &s))
			continue;
		/* the views behind one that covers all of it are not drawn */
		unsigned first = 0;
		bool covered = false;
		for (unsigned i = nstack; i-- > 0 && !covered;) {
			struct rect f = view_footprint(stack[i]), k = a;
			if (clip(&k, &f) && k.x == a.x && k.y == a.y && k.w == a.w && k.h == a.h) {
				first = i;
				covered = true;
			}
		}
		if (!covered)
			fill_background(c, &a);
		for (unsigned i = first; i < nstack; i++)
			draw_view(c, stack[i], &a);
		draw_pointer(c, &a);
		unite(&c->dirty, &a);
		if (c->sigh)
			signal_submit(c->sigh);
	}
}

void redraw_all(void)
{
	struct rect all = { 0, 0, CAPTURE_MAX_SIDE, CAPTURE_MAX_SIDE };

	redraw(&all);
}
