/*
 * The layouter's logic (servers/layouter, servers/wm/README.md), pure and
 * portable so that the host tests drive it (tests/host/wm_layout.c).
 *
 * In: the wm's window list (lay_set_windows), the rules (lay_set_rules),
 * the screen and the decorator's margins, the decorator's hover report
 * (lay_set_hover) and the input the layouter gets (lay_input): pointer
 * positions and buttons over decorations (GUI_EV_POINTER, BTN_LEFT), a
 * click into a window's content as WM_EV_CLICK (no position: the
 * layouter never sees application input) and the shortcut keys (TAB,
 * UP, Q: the GUI server's global key combinations of the layouter's
 * session, so every press of them is a shortcut).
 * Out: the window layout and the focus (lay_write_layout, lay_write_focus).
 *
 * The window array is the stack, back to front; the focused window is
 * raised. Placement: a new window gets its rule's geometry (the rule
 * whose label_prefix is the longest prefix of its label), else its
 * requested size at a cascading position. A rule with rows="N" (and
 * width and height) tiles the windows it matches: each gets the lowest
 * free place of a grid from xpos,ypos, N windows down a column, then the
 * next column to the right, a step apart of the window's size and the
 * decorator's margins. Changed rules apply at once to
 * every window they match. A window's geometry is its content area;
 * maximized: the screen minus the margins.
 */
#ifndef WM_LAYOUT_H
#define WM_LAYOUT_H

#include <argil/config.h>
#include <event_session.h>
#include <input_keys.h>
#include <wm_geometry.h>

#define LAY_WINDOWS_MAX 32
#define LAY_RULES_MAX 32
#define WM_LABEL_MAX 160
#define WM_TITLE_MAX 64
#define LAY_MIN_SIDE 32           /* resizing stops there */
#define LAY_DEFAULT_W 320         /* a window that asked for no size */
#define LAY_DEFAULT_H 240
#define LAY_CASCADE 32
#define LAY_DOUBLE_CLICK_MS 400   /* two presses on a title bar within it */
#define LAY_DOUBLE_CLICK_PX 4     /* and within so many pixels */

/* The wm's event to the layouter: a button pressed in a window's content
 * (code: the window's id). Beside gui_event_type, on the layouter's
 * session of the wm only. */
#define WM_EV_CLICK 32u

struct lay_window {
	unsigned id;
	char label[WM_LABEL_MAX];
	char title[WM_TITLE_MAX];
	long req_w, req_h;            /* what the application asked for */
	struct wm_rect r;             /* the content, on the screen */
	struct wm_rect restore;       /* before it was maximized */
	bool maximized;
	bool close;                   /* asked to close (close button, shortcut) */
	bool seen;                    /* in the current window list */
	long slot;                    /* its place in a tiling rule's grid, -1: none */
};

struct lay_rule {
	char prefix[WM_LABEL_MAX];
	bool has_x, has_y, has_w, has_h, has_max;
	long x, y, w, h;
	long rows;                    /* tiling: windows a column, 0: none */
	bool maximized;
	bool no_focus;                /* focus="no": a new window does not take the focus */
};

enum lay_drag { LAY_DRAG_NONE, LAY_DRAG_MOVE, LAY_DRAG_RESIZE, LAY_DRAG_BUTTON };

struct layouter {
	struct lay_window win[LAY_WINDOWS_MAX];   /* back to front */
	unsigned nwin;
	struct lay_rule rules[LAY_RULES_MAX];
	unsigned nrules;
	long screen_w, screen_h;
	struct wm_margins m;
	unsigned focus;               /* a window id, 0: none */
	unsigned placed;              /* windows placed so far (the cascade) */
	long px, py;                  /* the pointer, screen */
	bool pointer;                 /* px, py are known (over decorations) */
	/* the decorator's hover report: element at a pointer position */
	bool hover_valid;
	unsigned hover_id;
	struct deco_hit hover;
	long hover_x, hover_y;
	/* a drag: what, of which window, from where */
	enum lay_drag drag;
	unsigned drag_id;
	struct deco_hit drag_hit;
	long drag_x, drag_y;
	struct wm_rect drag_from;
	/* the last press on a title bar (double click) */
	unsigned long title_ms;
	unsigned title_id;
	long title_x, title_y;
	bool title_valid;
};

void lay_init(struct layouter *l, long screen_w, long screen_h, const struct wm_margins *m);
/* A new screen or new margins: maximized windows follow. */
void lay_set_screen(struct layouter *l, long w, long h);
void lay_set_margins(struct layouter *l, const struct wm_margins *m);
/* <window_list> <window id label title width height/> ...: windows not in
 * the list go, new ones are placed, focused and raised. NULL or an error
 * (then nothing changed). */
const char *lay_set_windows(struct layouter *l, const struct cfg_node *list);
/* <rules> <assign label_prefix xpos ypos width height maximized rows/> ...;
 * applied at once. NULL or an error (then the old rules stay). */
const char *lay_set_rules(struct layouter *l, const struct cfg_node *rules);
/* <decorator_margins top bottom left right/>. NULL or an error. */
const char *lay_parse_margins(const struct cfg_node *n, struct wm_margins *m);
/* The decorator's hover report: window id's element at x, y (valid false:
 * nothing hovered). */
void lay_set_hover(struct layouter *l, bool valid, unsigned id, struct deco_hit hit, long x,
		   long y);
/* One input event at now_ms (milliseconds, for the double click); true if
 * the layout or the focus changed. */
bool lay_input(struct layouter *l, const struct input_event *e, unsigned long now_ms);

struct lay_window *lay_window(struct layouter *l, unsigned id);
/* The front-most window whose decorations or content hold x, y (NULL:
 * none), with what of it is there. */
struct lay_window *lay_at(struct layouter *l, long x, long y, struct deco_hit *hit);
void lay_focus(struct layouter *l, unsigned id);   /* focus and raise */
void lay_maximize(struct layouter *l, struct lay_window *w, bool on);

/* <window_layout> <window id xpos ypos width height focused title
 * [maximized] [close]/> ... </window_layout>, back to front; and
 * <focus window="id" label="..."/> (<focus/> without one). The length,
 * or 0 if the buffer was too small. */
unsigned long lay_write_layout(const struct layouter *l, char *buf, unsigned long size);
unsigned long lay_write_focus(const struct layouter *l, char *buf, unsigned long size);

#endif
