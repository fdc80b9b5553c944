/*
 * gui: the GUI server's first form (docs/gui.md). Applications show
 * their buffers through views (Gui session, gui_session.h); the server
 * stacks the views of all clients and composes them into the screen of
 * every display driver (Capture session, capture_session.h), telling
 * each driver the rectangle that changed. Behind all views: the
 * background colour (config background="#rrggbb", default #202020).
 *
 * Composition is a painter's pass over the changed rectangle: background,
 * then each view from the back to the front, each clipped to the
 * rectangle, the view and its client's buffer (pixels a view covers
 * beyond its buffer show the background).
 *
 * Trusts its parent and core; clients and drivers for nothing: a client
 * names only its own views, sizes are bounded, buffers belong to the
 * server and are read while composing only (a client that writes its
 * buffer meanwhile gets torn pixels of its own views, nothing else).
 * No input routing yet.
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/entrypoint.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/ram_buf.h>
#include <argil/session_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <capture_session.h>
#include <gui_session.h>

#define STACK_MAX 128

struct rect {
	long x, y, w, h;
};

struct gui_client;

struct view {
	struct gui_client *owner;
	bool used;
	struct rect r;
};

struct gui_client {
	struct server_session ss;
	struct ram_buf buf;
	word_t width, height, cost;
	struct view views[GUI_VIEWS_MAX];
};

struct capture {
	struct server_session ss;
	struct ram_buf screen;
	word_t width, height;
	cptr_t sigh;
	struct rect dirty;       /* w 0: nothing */
	struct capture *next;
};

static struct view *stack[STACK_MAX];   /* [0] the backmost */
static unsigned nstack;
static struct capture *captures;
static uint32_t background = 0x202020;

static bool clip(struct rect *a, const struct rect *b)
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

static void unite(struct rect *a, const struct rect *b)
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

static void fill(struct capture *c, const struct rect *r, uint32_t colour)
{
	uint32_t *px = c->screen.va;

	for (long y = r->y; y < r->y + r->h; y++)
		for (long x = r->x; x < r->x + r->w; x++)
			px[y * (long)c->width + x] = colour;
}

static void draw_view(struct capture *c, const struct view *v, const struct rect *area)
{
	struct rect r = v->r, b;
	const struct gui_client *o = v->owner;
	uint32_t *px = c->screen.va;
	const uint32_t *src = o->buf.va;

	if (!clip(&r, area))
		return;
	fill(c, &r, background);
	b = (struct rect){ v->r.x, v->r.y, (long)o->width, (long)o->height };
	if (!src || !clip(&b, &r))
		return;
	for (long y = b.y; y < b.y + b.h; y++)
		memcpy(&px[y * (long)c->width + b.x],
		       &src[(y - v->r.y) * (long)o->width + (b.x - v->r.x)], (size_t)b.w * 4);
}

/* Compose the screen rectangle r anew on every display. */
static void redraw(const struct rect *r)
{
	for (struct capture *c = captures; c; c = c->next) {
		struct rect a = *r, s = { 0, 0, (long)c->width, (long)c->height };
		if (!c->screen.va || !clip(&a, &s))
			continue;
		fill(c, &a, background);
		for (unsigned i = 0; i < nstack; i++)
			draw_view(c, stack[i], &a);
		unite(&c->dirty, &a);
		if (c->sigh)
			signal_submit(c->sigh);
	}
}

static void stack_remove(struct view *v)
{
	for (unsigned i = 0; i < nstack; i++)
		if (stack[i] == v) {
			memmove(&stack[i], &stack[i + 1], (nstack - i - 1) * sizeof(stack[0]));
			nstack--;
			return;
		}
}

/* ---- Gui sessions ---- */

static struct view *view_of(struct gui_client *g, word_t handle)
{
	if (handle >= GUI_VIEWS_MAX || !g->views[handle].used)
		return 0;
	return &g->views[handle];
}

static bool side_ok(word_t v, word_t max)
{
	return v >= 1 && v <= max;
}

static rpc_status_t do_buffer(struct gui_buffer_call *c)
{
	struct gui_client *g = c->obj;
	word_t w = c->in.width, h = c->in.height, cost;
	rpc_status_t st;

	if (!side_ok(w, GUI_MAX_SIDE) || !side_ok(h, GUI_MAX_SIDE))
		return RPC_E_INVALID_ARGUMENT;
	cost = GUI_BUFFER_COST(w, h);
	/* refused before the old buffer goes: a failed call changes nothing */
	if (g->ss.budget.ram - g->ss.budget.ram_used + g->cost < cost ||
	    g->ss.budget.caps - g->ss.budget.caps_used + (g->buf.va ? 1 : 0) < 1)
		return RPC_E_NO_RAM_QUOTA;
	if (g->buf.va) {
		ram_buf_free(&g->buf);
		budget_give(&g->ss.budget, g->cost, 1);
		g->width = g->height = g->cost = 0;
	}
	if (!budget_take(&g->ss.budget, cost, 1))
		return RPC_E_NO_RAM_QUOTA;
	st = ram_buf_alloc(&g->buf, w * h * 4);
	if (st != RPC_OK) {
		budget_give(&g->ss.budget, cost, 1);
		return st;
	}
	memset(g->buf.va, 0, w * h * 4);
	g->width = w;
	g->height = h;
	g->cost = cost;
	c->out.ds = g->buf.ds;
	c->out.size = w * h * 4;
	for (unsigned i = 0; i < GUI_VIEWS_MAX; i++)
		if (g->views[i].used)
			redraw(&g->views[i].r);
	return RPC_OK;
}

static rpc_status_t do_view_create(struct gui_view_create_call *c)
{
	struct gui_client *g = c->obj;

	if (nstack == STACK_MAX)
		return RPC_E_NO_RAM_QUOTA;
	for (unsigned i = 0; i < GUI_VIEWS_MAX; i++)
		if (!g->views[i].used) {
			g->views[i] = (struct view){ .owner = g, .used = true };
			stack[nstack++] = &g->views[i];
			c->out.view = i;
			return RPC_OK;
		}
	return RPC_E_NO_RAM_QUOTA;
}

static rpc_status_t do_view_geometry(struct gui_view_geometry_call *c)
{
	struct view *v = view_of(c->obj, c->in.view);
	long x = (long)c->in.x, y = (long)c->in.y;
	struct rect old;

	if (!v || c->in.width > GUI_MAX_SIDE || c->in.height > GUI_MAX_SIDE ||
	    x < -(long)GUI_MAX_SIDE || x > (long)GUI_MAX_SIDE || y < -(long)GUI_MAX_SIDE ||
	    y > (long)GUI_MAX_SIDE)
		return RPC_E_INVALID_ARGUMENT;
	old = v->r;
	v->r = (struct rect){ x, y, (long)c->in.width, (long)c->in.height };
	redraw(&old);
	redraw(&v->r);
	return RPC_OK;
}

static rpc_status_t do_view_top(struct gui_view_top_call *c)
{
	struct view *v = view_of(c->obj, c->in.view);

	if (!v)
		return RPC_E_INVALID_ARGUMENT;
	stack_remove(v);
	stack[nstack++] = v;
	redraw(&v->r);
	return RPC_OK;
}

static void view_destroy(struct view *v)
{
	struct rect r = v->r;

	stack_remove(v);
	v->used = false;
	redraw(&r);
}

static rpc_status_t do_view_destroy(struct gui_view_destroy_call *c)
{
	struct view *v = view_of(c->obj, c->in.view);

	if (!v)
		return RPC_E_INVALID_ARGUMENT;
	view_destroy(v);
	return RPC_OK;
}

static rpc_status_t do_refresh(struct gui_refresh_call *c)
{
	struct gui_client *g = c->obj;
	struct rect b = { 0, 0, (long)g->width, (long)g->height };
	struct rect r;

	if (c->in.x > GUI_MAX_SIDE || c->in.y > GUI_MAX_SIDE || c->in.width > GUI_MAX_SIDE ||
	    c->in.height > GUI_MAX_SIDE)
		return RPC_E_INVALID_ARGUMENT;
	r = (struct rect){ (long)c->in.x, (long)c->in.y, (long)c->in.width, (long)c->in.height };
	if (!clip(&r, &b))
		return RPC_OK;
	for (unsigned i = 0; i < GUI_VIEWS_MAX; i++) {
		struct view *v = &g->views[i];
		struct rect s = { r.x + v->r.x, r.y + v->r.y, r.w, r.h };
		if (v->used && clip(&s, &v->r))
			redraw(&s);
	}
	return RPC_OK;
}

static rpc_status_t do_mode(struct gui_mode_call *c)
{
	struct capture *first = 0;

	for (struct capture *k = captures; k; k = k->next)
		if (k->screen.va)
			first = k;   /* the list is newest first: the oldest wins */
	c->out.width = first ? first->width : 0;
	c->out.height = first ? first->height : 0;
	return RPC_OK;
}

RPC_SERVER(gui, GUI_RPC)

static const struct gui_server gui_ops = {
	.gui_buffer = do_buffer,
	.gui_view_create = do_view_create,
	.gui_view_geometry = do_view_geometry,
	.gui_view_top = do_view_top,
	.gui_view_destroy = do_view_destroy,
	.gui_refresh = do_refresh,
	.gui_mode = do_mode,
};

static void gui_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	gui_dispatch(&gui_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t gui_create(struct session_server *srv, struct server_session *ss,
			       const char *args)
{
	(void)srv;
	(void)args;
	if (!budget_take(&ss->budget, GUI_SESSION_RAM, GUI_SESSION_CAPS - 1))
		return RPC_E_NO_RAM_QUOTA;
	log("gui session %lu for \"%s\"", ss->id, ss->label);
	return RPC_OK;
}

static void gui_destroy(struct session_server *srv, struct server_session *ss)
{
	struct gui_client *g = (struct gui_client *)ss;

	(void)srv;
	for (unsigned i = 0; i < GUI_VIEWS_MAX; i++)
		if (g->views[i].used)
			view_destroy(&g->views[i]);
	ram_buf_free(&g->buf);
}

static struct session_server gui_server = {
	.service = GUI_SERVICE,
	.size = sizeof(struct gui_client),
	.ram = GUI_SESSION_RAM,
	.caps = GUI_SESSION_CAPS,
	.create = gui_create,
	.destroy = gui_destroy,
	.rpc = gui_rpc,
};

/* ---- Capture sessions ---- */

static rpc_status_t do_screen(struct capture_screen_call *c)
{
	struct capture *k = c->obj;
	word_t w = c->in.width, h = c->in.height;
	struct rect all = { 0, 0, (long)w, (long)h };
	rpc_status_t st;

	if (!side_ok(w, CAPTURE_MAX_SIDE) || !side_ok(h, CAPTURE_MAX_SIDE))
		return RPC_E_INVALID_ARGUMENT;
	ram_buf_free(&k->screen);
	k->width = k->height = 0;
	st = ram_buf_alloc(&k->screen, w * h * 4);
	if (st != RPC_OK) {
		log("error: no RAM for a %lux%lu screen of \"%s\": %s", w, h, k->ss.label,
		    rpc_status_name(st));
		return st;
	}
	k->width = w;
	k->height = h;
	k->dirty = (struct rect){ 0, 0, 0, 0 };
	log("screen %lux%lu of \"%s\"", w, h, k->ss.label);
	redraw(&all);
	c->out.ds = k->screen.ds;
	c->out.size = w * h * 4;
	return RPC_OK;
}

static rpc_status_t do_capture_sigh(struct capture_sigh_call *c)
{
	struct capture *k = c->obj;

	return rpc_take_sigh(c->in.ntfn, &k->sigh, true);
}

static rpc_status_t do_changed(struct capture_changed_call *c)
{
	struct capture *k = c->obj;

	c->out.x = (word_t)k->dirty.x;
	c->out.y = (word_t)k->dirty.y;
	c->out.width = (word_t)k->dirty.w;
	c->out.height = (word_t)k->dirty.h;
	k->dirty = (struct rect){ 0, 0, 0, 0 };
	return RPC_OK;
}

RPC_SERVER(capture, CAPTURE_RPC)

static const struct capture_server capture_ops = {
	.capture_screen = do_screen,
	.capture_sigh = do_capture_sigh,
	.capture_changed = do_changed,
};

static void capture_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	capture_dispatch(&capture_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t capture_create(struct session_server *srv, struct server_session *ss,
				   const char *args)
{
	struct capture *k = (struct capture *)ss;

	(void)srv;
	(void)args;
	if (!budget_take(&ss->budget, CAPTURE_SESSION_RAM, CAPTURE_SESSION_CAPS))
		return RPC_E_NO_RAM_QUOTA;
	k->next = captures;
	captures = k;
	log("capture session %lu for \"%s\"", ss->id, ss->label);
	return RPC_OK;
}

static void capture_destroy(struct session_server *srv, struct server_session *ss)
{
	struct capture *k = (struct capture *)ss;

	(void)srv;
	for (struct capture **p = &captures; *p; p = &(*p)->next)
		if (*p == k) {
			*p = k->next;
			break;
		}
	ram_buf_free(&k->screen);
	cap_slot_free(k->sigh);
	log("closed capture session %lu for \"%s\"", ss->id, ss->label);
}

static struct session_server capture_server = {
	.service = CAPTURE_SERVICE,
	.size = sizeof(struct capture),
	.ram = CAPTURE_SESSION_RAM,
	.caps = CAPTURE_SESSION_CAPS,
	.create = capture_create,
	.destroy = capture_destroy,
	.rpc = capture_rpc,
};

static bool parse_colour(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	if (s[0] != '#' || strlen(s) != 7)
		return false;
	for (int i = 1; i < 7; i++) {
		char ch = s[i];
		int d = ch >= '0' && ch <= '9' ? ch - '0'
		      : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
		      : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

static bool read_config(void)
{
	struct config_rom cfg;
	bool ok = true;

	if (config_rom_open(&cfg, "config", 0, 0, 0) != RPC_OK)
		return true;
	if (cfg.node) {
		for (const struct cfg_attr *a = cfg.node->attrs; a; a = a->next) {
			if (strcmp(a->name, "background")) {
				log("error: config: unknown attribute '%s'", a->name);
				ok = false;
			} else if (!parse_colour(a->value, &background)) {
				log("error: config: background is #rrggbb, not '%s'", a->value);
				ok = false;
			}
		}
	} else if (cfg.err.msg) {
		log("error: config:%u:%u: %s", cfg.err.line, cfg.err.col, cfg.err.msg);
		ok = false;
	}
	config_rom_close(&cfg, 0);
	return ok;
}

void component_construct(struct component_env *env)
{
	rpc_status_t st;

	if (!read_config())
		component_exit(1);
	gui_server.ep = &env->ep;
	capture_server.ep = &env->ep;
	st = session_server_announce(&capture_server);
	if (st == RPC_OK)
		st = session_server_announce(&gui_server);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(2);
	}
}
