/*
 * Window geometry shared by the wm, the decorator and the layouter
 * (servers/wm/README.md). A window's rectangle is its content: what the
 * application's views fill, in screen pixels. The decorator draws around
 * it within its margins (title bar on top, borders elsewhere); the
 * decorations' elements are found by deco_hit. The wm moves application
 * views by the window's position (wm_view_to_screen) and input positions
 * back (wm_screen_to_window). Pure and portable.
 */
#ifndef WM_GEOMETRY_H
#define WM_GEOMETRY_H

#include <stdbool.h>
#include <stdint.h>

struct wm_rect {
	long x, y, w, h;
};

struct wm_margins {
	long top, bottom, left, right;    /* top: border and title bar */
};

/* What of a window's decorations is at a point. Borders combine edges. */
enum deco_element {
	DECO_NONE = 0,        /* outside the window and its decorations */
	DECO_CONTENT,         /* the application's area */
	DECO_TITLE,
	DECO_CLOSE,
	DECO_MAXIMIZE,
	DECO_BORDER,          /* with edges (DECO_EDGE_*) */
};
#define DECO_EDGE_LEFT 1u
#define DECO_EDGE_RIGHT 2u
#define DECO_EDGE_TOP 4u
#define DECO_EDGE_BOTTOM 8u

struct deco_hit {
	enum deco_element element;
	unsigned edges;
};

/* The margins' border thickness: the left margin (all borders are it). */
static inline long deco_border(const struct wm_margins *m)
{
	return m->left;
}

/* The window and its decorations. */
struct wm_rect deco_outer(const struct wm_rect *win, const struct wm_margins *m);
/* The title bar (without the border above it), the close and the maximize
 * button (squares at its right end). */
struct wm_rect deco_title(const struct wm_rect *win, const struct wm_margins *m);
struct wm_rect deco_close(const struct wm_rect *win, const struct wm_margins *m);
struct wm_rect deco_maximize(const struct wm_rect *win, const struct wm_margins *m);
struct deco_hit deco_hit(const struct wm_rect *win, const struct wm_margins *m, long x, long y);
/* "title", "close", "maximize", "content", "left", "top_right", ...; NULL: none.
 * deco_element_parse is its inverse (false for an unknown name). */
const char *deco_hit_name(struct deco_hit h);
bool deco_hit_parse(const char *name, struct deco_hit *h);

bool wm_rect_contains(const struct wm_rect *r, long x, long y);
/* The intersection of a and b (w, h 0 when empty). */
struct wm_rect wm_rect_clip(const struct wm_rect *a, const struct wm_rect *b);

/* A view at x, y of a window (window coordinates) on the screen; the view
 * is clipped to the window (an application cannot draw beyond it); one
 * reaching beyond the window's left or top edge is moved inside (views
 * have no buffer offset). */
struct wm_rect wm_view_to_screen(const struct wm_rect *win, const struct wm_rect *view);
/* A screen position in window coordinates. */
void wm_screen_to_window(const struct wm_rect *win, long sx, long sy, long *wx, long *wy);

/* Strings without a C library (the core builds for the host and the OS). */
bool wm_str_eq(const char *a, const char *b);
bool wm_str_prefix(const char *prefix, const char *s);
unsigned long wm_str_len(const char *s);
/* Copy at most size-1 bytes and terminate. */
void wm_str_copy(char *dst, const char *src, unsigned long size);
/* A decimal, optionally negative, within -limit..limit; false otherwise. */
bool wm_parse_long(const char *s, long limit, long *out);

#endif
