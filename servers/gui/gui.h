/*
 * The GUI server's shared state (servers/gui, docs/gui.md): main.c (the
 * config, domains and policies, the Gui and Capture sessions), compose.c
 * (the painter's pass: views, the x-ray frames and label bars, the
 * pointer) and input.c (the Event service and the routing of input to the
 * clients).
 */
#ifndef GUI_SERVER_H
#define GUI_SERVER_H

#include <argil/ram_buf.h>
#include <argil/session_server.h>
#include <capture_session.h>
#include <gui_session.h>

#define STACK_MAX 128
#define DOMAINS_MAX 16
#define POLICIES_MAX 32
#define GLOBAL_KEYS_MAX 16
#define NAME_MAX 32
#define XRAY_FRAME 3     /* x-ray: the frame around a view */
#define XRAY_BAR 18      /* x-ray: the label bar above it */
#define LABEL_PX 14      /* the label's font size */
#define DEFAULT_BACKGROUND 0x202020

struct rect {
	long x, y, w, h;
};

enum origin { ORIGIN_TOP_LEFT, ORIGIN_POINTER, ORIGIN_SCREEN };
enum focus_mode { FOCUS_CLICK, FOCUS_TRANSIENT, FOCUS_NONE };

struct domain {
	char name[NAME_MAX];
	long layer;              /* lower: in front */
	enum origin origin;
	enum focus_mode focus;
	uint32_t colour;
	bool label;              /* x-ray: the label bar over its views */
};

enum match { MATCH_LABEL, MATCH_PREFIX, MATCH_SUFFIX };

struct policy {
	enum match how;
	char text[SESSION_LABEL_MAX];
	unsigned domain;
};

struct global_key {
	unsigned code;
	unsigned modifier;       /* held for the rule to apply; 0: none */
	char label[SESSION_LABEL_MAX];
};

struct gui_client;

struct view {
	struct gui_client *owner;
	bool used;
	struct rect r;           /* as the client gave it */
};

struct gui_client {
	struct server_session ss;
	struct domain dom;               /* its domain, as the config gave it */
	const struct domain *domain;     /* &dom */
	struct ram_buf buf;
	word_t width, height, cost;
	struct view views[GUI_VIEWS_MAX];
	cptr_t mode_sigh, input_sigh;
	struct ram_buf input;            /* GUI_INPUT_DS: GUI_INPUT_MAX events */
	struct input_event queue[GUI_INPUT_QUEUE];
	unsigned head, count;            /* the queue's oldest event, how many */
	word_t dropped;                  /* since the last fetch */
	bool signalled;                  /* signalled since the last fetch */
	bool dying;
	struct gui_client *next;         /* all clients */
};

struct capture {
	struct server_session ss;
	struct ram_buf screen;
	word_t width, height;
	cptr_t sigh;
	struct rect dirty;       /* w 0: nothing */
	struct capture *next;
};


/* main.c */
extern struct view *stack[STACK_MAX];   /* [0] the backmost */
extern unsigned nstack;
extern struct capture *captures;
extern struct gui_client *clients;
extern uint32_t background;
extern struct global_key global_keys[GLOBAL_KEYS_MAX];
extern unsigned nglobal_keys;
extern unsigned xray_key;                /* 0: none */
extern bool pointer_shown;               /* config pointer="yes" */
extern bool focus_from_rom;
/* The oldest screen's size (0 0: none). */
void screen_size(long *w, long *h);

/* compose.c */
bool clip(struct rect *a, const struct rect *b);
void unite(struct rect *a, const struct rect *b);
/* Where a view is on the screen (its domain's origin applied). */
struct rect view_rect(const struct view *v);
/* Its footprint: the view and, in x-ray mode, its frame and label bar. */
struct rect view_footprint(const struct view *v);
/* Compose the screen rectangle r anew on every display. */
void redraw(const struct rect *r);
void redraw_all(void);
/* The pointer's area (for redraws when it moves). */
struct rect pointer_rect(void);
extern bool xray;                        /* the x-ray key is held */
extern struct gui_font *label_font;      /* NULL: labels without text */

/* input.c */
extern long pointer_x, pointer_y;
extern bool pointer_seen;                /* a pointer event came: draw it */
extern struct gui_client *focused;
void input_announce(struct entrypoint *ep);
void input_client_gone(struct gui_client *g);
void input_set_focus(struct gui_client *g);
/* The view under the screen point (NULL: the background). */
struct view *view_at(long x, long y);
/* The layout changed: the view under the pointer may be another. */
void input_layout_changed(void);
void client_post(struct gui_client *g, uint32_t type, uint32_t code, int32_t x, int32_t y);

#endif
