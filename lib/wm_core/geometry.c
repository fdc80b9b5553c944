/*
 * Window geometry, decoration hit tests and the wm's coordinate
 * translation (wm_geometry.h). Pure and portable.
 */
#include <wm_geometry.h>

bool wm_str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

bool wm_str_prefix(const char *prefix, const char *s)
{
	while (*prefix && *prefix == *s)
		prefix++, s++;
	return !*prefix;
}

unsigned long wm_str_len(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

void wm_str_copy(char *dst, const char *src, unsigned long size)
{
	unsigned long i = 0;

	if (!size)
		return;
	for (; i + 1 < size && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

bool wm_parse_long(const char *s, long limit, long *out)
{
	bool neg = *s == '-';
	long v = 0;

	if (neg)
		s++;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
		if (v > limit)
			return false;
	}
	*out = neg ? -v : v;
	return true;
}

bool wm_rect_contains(const struct wm_rect *r, long x, long y)
{
	return x >= r->x && y >= r->y && x < r->x + r->w && y < r->y + r->h;
}

struct wm_rect wm_rect_clip(const struct wm_rect *a, const struct wm_rect *b)
{
	long x0 = a->x > b->x ? a->x : b->x, y0 = a->y > b->y ? a->y : b->y;
	long x1 = a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w;
	long y1 = a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h;

	if (x1 <= x0 || y1 <= y0)
		return (struct wm_rect){ x0, y0, 0, 0 };
	return (struct wm_rect){ x0, y0, x1 - x0, y1 - y0 };
}

struct wm_rect deco_outer(const struct wm_rect *win, const struct wm_margins *m)
{
	return (struct wm_rect){ win->x - m->left, win->y - m->top, win->w + m->left + m->right,
				 win->h + m->top + m->bottom };
}

struct wm_rect deco_title(const struct wm_rect *win, const struct wm_margins *m)
{
	long b = deco_border(m);

	return (struct wm_rect){ win->x, win->y - m->top + b, win->w, m->top - b };
}

struct wm_rect deco_close(const struct wm_rect *win, const struct wm_margins *m)
{
	struct wm_rect t = deco_title(win, m);
	long s = t.h < t.w ? t.h : t.w;

	return (struct wm_rect){ t.x + t.w - s, t.y, s, s };
}

struct wm_rect deco_maximize(const struct wm_rect *win, const struct wm_margins *m)
{
	struct wm_rect c = deco_close(win, m);
	long x = c.x - c.w;

	/* a window narrower than two buttons has no maximize button */
	if (x < win->x)
		return (struct wm_rect){ c.x, c.y, 0, 0 };
	return (struct wm_rect){ x, c.y, c.w, c.h };
}

struct deco_hit deco_hit(const struct wm_rect *win, const struct wm_margins *m, long x, long y)
{
	struct wm_rect o = deco_outer(win, m), t, c, mx;
	long b = deco_border(m);
	struct deco_hit h = { DECO_NONE, 0 };

	if (!wm_rect_contains(&o, x, y))
		return h;
	if (wm_rect_contains(win, x, y)) {
		h.element = DECO_CONTENT;
		return h;
	}
	t = deco_title(win, m);
	c = deco_close(win, m);
	mx = deco_maximize(win, m);
	if (wm_rect_contains(&c, x, y))
		h.element = DECO_CLOSE;
	else if (wm_rect_contains(&mx, x, y))
		h.element = DECO_MAXIMIZE;
	else if (wm_rect_contains(&t, x, y))
		h.element = DECO_TITLE;
	if (h.element != DECO_NONE)
		return h;
	if (x < o.x + b)
		h.edges |= DECO_EDGE_LEFT;
	if (x >= o.x + o.w - b)
		h.edges |= DECO_EDGE_RIGHT;
	if (y < o.y + b)
		h.edges |= DECO_EDGE_TOP;
	if (y >= o.y + o.h - b)
		h.edges |= DECO_EDGE_BOTTOM;
	/* the corners reach a title bar's height along the edges, so that
	 * they can be grabbed */
	if (h.edges & (DECO_EDGE_TOP | DECO_EDGE_BOTTOM)) {
		if (x < o.x + m->top)
			h.edges |= DECO_EDGE_LEFT;
		if (x >= o.x + o.w - m->top)
			h.edges |= DECO_EDGE_RIGHT;
	}
	if (h.edges & (DECO_EDGE_LEFT | DECO_EDGE_RIGHT)) {
		if (y < o.y + m->top)
			h.edges |= DECO_EDGE_TOP;
		if (y >= o.y + o.h - m->top)
			h.edges |= DECO_EDGE_BOTTOM;
	}
	h.element = h.edges ? DECO_BORDER : DECO_TITLE;
	return h;
}

static const struct {
	const char *name;
	enum deco_element element;
	unsigned edges;
} hit_names[] = {
	{ "content", DECO_CONTENT, 0 },
	{ "title", DECO_TITLE, 0 },
	{ "close", DECO_CLOSE, 0 },
	{ "maximize", DECO_MAXIMIZE, 0 },
	{ "left", DECO_BORDER, DECO_EDGE_LEFT },
	{ "right", DECO_BORDER, DECO_EDGE_RIGHT },
	{ "top", DECO_BORDER, DECO_EDGE_TOP },
	{ "bottom", DECO_BORDER, DECO_EDGE_BOTTOM },
	{ "top_left", DECO_BORDER, DECO_EDGE_TOP | DECO_EDGE_LEFT },
	{ "top_right", DECO_BORDER, DECO_EDGE_TOP | DECO_EDGE_RIGHT },
	{ "bottom_left", DECO_BORDER, DECO_EDGE_BOTTOM | DECO_EDGE_LEFT },
	{ "bottom_right", DECO_BORDER, DECO_EDGE_BOTTOM | DECO_EDGE_RIGHT },
};

const char *deco_hit_name(struct deco_hit h)
{
	for (unsigned i = 0; i < sizeof(hit_names) / sizeof(hit_names[0]); i++)
		if (hit_names[i].element == h.element && hit_names[i].edges == h.edges)
			return hit_names[i].name;
	return 0;
}

bool deco_hit_parse(const char *name, struct deco_hit *h)
{
	for (unsigned i = 0; i < sizeof(hit_names) / sizeof(hit_names[0]); i++)
		if (wm_str_eq(hit_names[i].name, name)) {
			h->element = hit_names[i].element;
			h->edges = hit_names[i].edges;
			return true;
		}
	return false;
}

struct wm_rect wm_view_to_screen(const struct wm_rect *win, const struct wm_rect *view)
{
	/* The GUI server's views show their buffer from its top-left pixel
	 * (no buffer offset yet): a view cut on the left or the top would show
	 * the wrong pixels, so one beyond those edges is pushed inside. */
	struct wm_rect s = { win->x + (view->x > 0 ? view->x : 0),
			     win->y + (view->y > 0 ? view->y : 0), view->w, view->h };

	return wm_rect_clip(&s, win);
}

void wm_screen_to_window(const struct wm_rect *win, long sx, long sy, long *wx, long *wy)
{
	*wx = sx - win->x;
	*wy = sy - win->y;
}
