/*
 * wm: the window manager (servers/wm/README.md, docs/gui.md "Window
 * manager"). Serves the Gui interface (gui_session.h) exactly as the GUI
 * server does; every session is carried by a Gui session of the wm's own
 * at the GUI server (same label, same donation passed on), so an
 * application's buffer is the GUI server's and its pixels never pass the
 * wm. What the wm changes is what the application sees of the screen: its
 * views are placed relative to its window (the layouter's window_layout
 * ROM), GUI_MODE is its window's size (GUI_MODE_SIGH when it changes),
 * pointer positions arrive in window coordinates.
 *
 * Two sessions have roles (config): the layouter's and the decorator's.
 * Their views are passed on unchanged (they work in screen coordinates);
 * the decorator's input (the pointer over decorations) goes to the
 * decorator (hover) and to the layouter, which also gets a WM_EV_CLICK for
 * a button pressed in a window (no position: the layouter sees no
 * application input) and the global keys the GUI server gives its
 * session. Reports: window_list (the windows for the layouter) and focus
 * (for the GUI server's focus ROM). ROMs: window_layout, focus (the
 * layouter's).
 *
 * Trusts its parent, the GUI server and the layouter (for the layout);
 * applications for nothing: they name only their own views, every
 * argument is checked here as by the GUI server, and views never leave
 * their window.
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/cthread.h>
#include <argil/kernel.h>
#include <argil/lock.h>
#include <argil/entrypoint.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/ram_buf.h>
#include <argil/session_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <gui_session.h>
#include <report_session.h>
#include <wm_geometry.h>
#include <wm_layout.h>


#define REPORT_SIZE 8192
#define ROLE_MAX 64

enum role { ROLE_APP, ROLE_LAYOUTER, ROLE_DECORATOR };

struct wview {
	bool used;
	word_t real;                 /* the view's handle at the GUI server */
	struct wm_rect r;            /* as the client set it */
};

struct wsession {
	struct server_session ss;
	enum role role;
	struct gui_connection gui;   /* ours at the GUI server */
	enum { OPENING, OPEN, BROKEN } state;
	rpc_status_t open_st;        /* why BROKEN */
	bool upgrading;
	word_t fwd_ram, fwd_caps;    /* the donation passed on so far */
	/* a request that waits for the session at the GUI server (or an
	 * upgrade of it): answered when the helper is done */
	bool pending;
	struct rpc_reply_cap rc;
	struct rpc_msg req;
	cptr_t buf_ds;
	struct wview views[GUI_VIEWS_MAX];
	unsigned char order[GUI_VIEWS_MAX];   /* the client's views, back to front */
	unsigned norder;
	unsigned win_id;
	bool placed, closing;
	struct wm_rect win;
	int32_t pointer_x, pointer_y;   /* the last pointer a decoration saw */
	cptr_t mode_sigh, input_sigh;
	struct ram_buf in;           /* the client's input buffer */
	struct input_event queue[GUI_INPUT_QUEUE];
	unsigned qhead, qlen;
	word_t dropped;
};

static struct entrypoint *ep;
static struct config_rom layout_rom, focus_rom;
static struct signal_handler input_sig;
static struct reporter list_rep, focus_rep;
static char list_text[REPORT_SIZE], focus_text[1024];
static char role_layouter[ROLE_MAX] = "layouter", role_decorator[ROLE_MAX] = "decorator";
static char focus_prefix[ROLE_MAX] = "";
static unsigned next_win_id = 1;
static unsigned focus_id;
static unsigned stack_ids[LAY_WINDOWS_MAX], nstack_ids;
static bool reports_ok;

static struct session_server gui_server;

/*
 * The wm's parent requests (its sessions at the GUI server: open, upgrade,
 * close) run on a helper thread. init asks servers' roots from one worker
 * thread: were the wm to call its parent while init's worker waits for the
 * wm's root (another client's session), neither would go on. So the
 * entrypoint stays free for root calls, and a client's request that needs
 * the GUI session waits (a deferred reply) until the helper is done.
 */
enum job_kind { JOB_OPEN, JOB_UPGRADE, JOB_CLOSE };
enum job_state { JOB_FREE, JOB_QUEUED, JOB_RUNNING, JOB_DONE };

struct job {
	enum job_state state;
	enum job_kind kind;
	word_t sid;                  /* the client's session id */
	char label[SESSION_LABEL_MAX];
	word_t ram, caps, gui_id;
	cptr_t cap;
	rpc_status_t st;
};

#define JOBS (3 * LAY_WINDOWS_MAX + 8)
static struct job jobs[JOBS];
static struct lock job_lock;
static struct cthread helper;
static cptr_t helper_ntfn;
static struct signal_handler job_sig;

static void helper_main(void *arg)
{
	(void)arg;
	for (;;) {
		sys_wait(helper_ntfn);
		for (;;) {
			struct job *j = 0;
			lock_acquire(&job_lock);
			for (unsigned i = 0; i < JOBS && !j; i++)
				if (jobs[i].state == JOB_QUEUED)
					j = &jobs[i];
			if (j)
				j->state = JOB_RUNNING;
			lock_release(&job_lock);
			if (!j)
				break;
			switch (j->kind) {
			case JOB_OPEN:
				j->st = parent_session(COMPONENT_PARENT, GUI_SERVICE, j->label, "", j->ram,
						       j->caps, 0, &j->cap, &j->gui_id);
				break;
			case JOB_UPGRADE:
				j->st = parent_upgrade(COMPONENT_PARENT, j->gui_id, j->ram, j->caps, 0);
				break;
			case JOB_CLOSE:
				j->st = parent_close(COMPONENT_PARENT, j->gui_id);
				break;
			}
			lock_acquire(&job_lock);
			j->state = JOB_DONE;
			lock_release(&job_lock);
			signal_submit(job_sig.cap);
		}
	}
}

static bool job_queue(enum job_kind kind, struct wsession *s, word_t gui_id, word_t ram,
		      word_t caps)
{
	struct job *j = 0;

	lock_acquire(&job_lock);
	for (unsigned i = 0; i < JOBS && !j; i++)
		if (jobs[i].state == JOB_FREE)
			j = &jobs[i];
	if (j) {
		j->kind = kind;
		j->sid = s ? s->ss.id : 0;
		if (s)
			wm_str_copy(j->label, s->ss.label, sizeof(j->label));
		j->gui_id = gui_id;
		j->ram = ram;
		j->caps = caps;
		j->cap = 0;
		j->state = JOB_QUEUED;
	}
	lock_release(&job_lock);
	if (j)
		sys_signal(helper_ntfn);
	else
		log("error: more than %u parent requests at once", (unsigned)JOBS);
	return j != 0;
}

#define FOR_SESSIONS(s)                                                                   \
	for (struct wsession *s = (struct wsession *)gui_server.sessions; s;                \
	     s = (struct wsession *)s->ss.next)

static struct wsession *by_role(enum role r)
{
	FOR_SESSIONS(s)
		if (s->role == r)
			return s;
	return 0;
}

static bool is_decorator(const char *label)
{
	size_t n = strlen(role_decorator);

	return !strcmp(label, role_decorator) ||
	       (!strncmp(label, role_decorator, n) && !strncmp(label + n, " -> ", 4));
}

/* The session of window id's decoration (NULL: none). */
static struct wsession *deco_of(unsigned id)
{
	FOR_SESSIONS(s)
		if (s->role == ROLE_DECORATOR && s->win_id == id)
			return s;
	return 0;
}

static struct wsession *by_window(unsigned id)
{
	FOR_SESSIONS(s)
		if (s->role == ROLE_APP && s->win_id == id)
			return s;
	return 0;
}

/* ---- input ---- */

static void push(struct wsession *s, const struct input_event *e)
{
	if (!s)
		return;
	if (s->qlen == GUI_INPUT_QUEUE) {
		s->dropped++;
		return;
	}
	s->queue[(s->qhead + s->qlen++) % GUI_INPUT_QUEUE] = *e;
	if (s->input_sigh)
		signal_submit(s->input_sigh);
}

static word_t virtual_view(const struct wsession *s, uint32_t real)
{
	for (unsigned i = 0; i < GUI_VIEWS_MAX; i++)
		if (s->views[i].used && s->views[i].real == real)
			return i;
	return GUI_NO_VIEW;
}

static bool is_button(uint32_t code)
{
	return code >= KEY_BTN_LEFT && code < KEY_BTN_LEFT + 16;
}

/* One event the GUI server gave session s: on to whom it concerns. */
static void deliver(struct wsession *s, struct input_event e)
{
	switch (s->role) {
	case ROLE_APP:
		if (e.type == GUI_EV_POINTER) {
			long x, y;
			wm_screen_to_window(&s->win, e.x, e.y, &x, &y);
			e.x = (int32_t)x;
			e.y = (int32_t)y;
			e.code = (uint32_t)virtual_view(s, e.code);
		}
		if (e.type == INPUT_PRESS && is_button(e.code)) {
			struct input_event c = { WM_EV_CLICK, s->win_id, 0, 0 };
			push(by_role(ROLE_LAYOUTER), &c);
		}
		push(s, &e);
		break;
	case ROLE_DECORATOR:
		/* The layouter gets the events of all decorations merged, and
		 * the sessions' queues are drained one after the other, not in
		 * the GUI server's order: so a button comes with the position
		 * this decoration saw it at, and a leave (perhaps older than
		 * another decoration's pointer) is not passed on. */
		if (e.type == GUI_EV_POINTER) {
			s->pointer_x = e.x;
			s->pointer_y = e.y;
		}
		if ((e.type == INPUT_PRESS || e.type == INPUT_RELEASE) && is_button(e.code)) {
			struct input_event p = { GUI_EV_POINTER, GUI_NO_VIEW, s->pointer_x, s->pointer_y };
			push(by_role(ROLE_LAYOUTER), &p);
		}
		if (e.type != GUI_EV_LEAVE)
			push(by_role(ROLE_LAYOUTER), &e);
		push(s, &e);
		break;
	case ROLE_LAYOUTER:
		push(s, &e);
		break;
	}
}

static void input_signal(void *arg)
{
	struct input_event e;

	(void)arg;
	FOR_SESSIONS(s)
		while (gui_input_next(&s->gui, &e))
			deliver(s, e);
}

/* ---- the window list and the focus ---- */

static bool is_window(const struct wsession *s, word_t *w, word_t *h)
{
	if (s->role != ROLE_APP)
		return false;
	for (unsigned k = 0; k < s->norder; k++) {
		const struct wview *v = &s->views[s->order[k]];
		if (v->r.w && v->r.h) {
			*w = (word_t)v->r.w;
			*h = (word_t)v->r.h;
			return true;
		}
	}
	return false;
}

static void report(struct reporter *r, char *last, const char *text, size_t len)
{
	if (!reports_ok || !strcmp(last, text))
		return;
	memcpy(last, text, len + 1);
	if (reporter_submit(r, text, len) != RPC_OK)
		log("error: cannot submit a report");
}

static void report_windows(void)
{
	static char text[REPORT_SIZE];
	struct cfg_writer w;

	cfg_writer_init(&w, text, sizeof(text));
	cfg_node_begin(&w, "window_list");
	FOR_SESSIONS(s) {
		word_t ww, wh;
		if (!is_window(s, &ww, &wh))
			continue;
		cfg_node_begin(&w, "window");
		cfg_node_attr_u64(&w, "id", s->win_id);
		cfg_node_attr(&w, "label", s->ss.label);
		cfg_node_attr(&w, "title", label_last(s->ss.label));
		cfg_node_attr_u64(&w, "width", ww);
		cfg_node_attr_u64(&w, "height", wh);
		cfg_node_attr(&w, "has_alpha", "no");
		cfg_node_end(&w);
	}
	cfg_node_end(&w);
	if (!cfg_writer_ok(&w)) {
		log("error: the window list does not fit %u bytes", REPORT_SIZE);
		return;
	}
	report(&list_rep, list_text, text, w.len);
}

static void report_focus(void)
{
	static char label[SESSION_LABEL_MAX + ROLE_MAX];
	static char text[sizeof(focus_text)];
	struct wsession *f = by_window(focus_id);
	struct cfg_writer w;

	cfg_writer_init(&w, text, sizeof(text));
	cfg_node_begin(&w, "focus");
	if (f) {
		snprintf(label, sizeof(label), "%s%s", focus_prefix, f->ss.label);
		cfg_node_attr(&w, "label", label);
	}
	cfg_node_end(&w);
	if (cfg_writer_ok(&w))
		report(&focus_rep, focus_text, text, w.len);
}

/* ---- placing views ---- */

/* The view's place at the GUI server: role sessions as they said, windows
 * relative to their window, hidden while not placed or closing. */
static void place_view(struct wsession *s, unsigned i)
{
	struct wview *v = &s->views[i];
	struct wm_rect r = v->r;

	if (s->role == ROLE_APP) {
		if (!s->placed || s->closing)
			r = (struct wm_rect){ 0, 0, 0, 0 };
		else
			r = wm_view_to_screen(&s->win, &v->r);
	}
	gui_view_geometry(s->gui.session, v->real, (word_t)r.x, (word_t)r.y, (word_t)r.w,
			  (word_t)r.h);
}

static void place_views(struct wsession *s)
{
	for (unsigned i = 0; i < GUI_VIEWS_MAX; i++)
		if (s->views[i].used)
			place_view(s, i);
}

static void raise_views(struct wsession *s)
{
	if (!s)
		return;
	for (unsigned k = 0; k < s->norder; k++)
		gui_view_top(s->gui.session, s->views[s->order[k]].real);
}

/* A window to the front: its decoration, then its own views. */
static void raise_window(unsigned id)
{
	raise_views(deco_of(id));
	raise_views(by_window(id));
}

/* The windows in the layout's order, back to front. */
static void restack(void)
{
	for (unsigned i = 0; i < nstack_ids; i++)
		raise_window(stack_ids[i]);
}

static void window_layout_changed(void *arg)
{
	unsigned ids[LAY_WINDOWS_MAX], n = 0;
	bool changed;

	(void)arg;
	if (!config_rom_update(&layout_rom)) {
		if (layout_rom.err.msg)
			log("error: window_layout:%u:%u: %s", layout_rom.err.line,
			    layout_rom.err.col, layout_rom.err.msg);
		return;
	}
	if (!cfg_is(layout_rom.node, "window_layout")) {
		log("error: window_layout: not a <window_layout>");
		return;
	}
	for (const struct cfg_node *c = cfg_child(layout_rom.node, "window"); c;
	     c = cfg_next(c, "window")) {
		uint64_t id;
		long v[4];
		bool close = false, bad = false;
		static const char *const names[] = { "xpos", "ypos", "width", "height" };
		struct wsession *s;

		if (cfg_attr_u64(c, "id", 0, &id) <= 0)
			bad = true;
		for (unsigned k = 0; k < 4 && !bad; k++)
			bad = !cfg_attr(c, names[k]) || !wm_parse_long(cfg_attr(c, names[k]), 16384, &v[k]) ||
			      (k >= 2 && (v[k] < 1 || v[k] > (long)GUI_MAX_SIDE));
		if (!bad && cfg_attr_bool(c, "close", false, &close) < 0)
			bad = true;
		if (bad) {
			log("error: window_layout: a <window> without good id, xpos, ypos, width, height, close");
			continue;
		}
		if (!(s = by_window((unsigned)id)))
			continue;     /* gone meanwhile */
		struct wm_rect r = { v[0], v[1], v[2], v[3] };
		bool resized = !s->placed || r.w != s->win.w || r.h != s->win.h || close != s->closing;
		bool moved = resized || r.x != s->win.x || r.y != s->win.y;
		s->win = r;
		s->placed = true;
		s->closing = close;
		if (moved)
			place_views(s);
		if (resized && s->mode_sigh)
			signal_submit(s->mode_sigh);
		if (n < LAY_WINDOWS_MAX)
			ids[n++] = s->win_id;
	}
	changed = n != nstack_ids || memcmp(ids, stack_ids, n * sizeof(ids[0]));
	if (changed) {
		memcpy(stack_ids, ids, n * sizeof(ids[0]));
		nstack_ids = n;
		restack();
	}
}

static void focus_changed(void *arg)
{
	uint64_t id = 0;

	(void)arg;
	if (!config_rom_update(&focus_rom))
		return;
	if (!cfg_is(focus_rom.node, "focus") || cfg_attr_u64(focus_rom.node, "window", 0, &id) < 0) {
		log("error: focus: not a <focus window=\"id\"/>");
		return;
	}
	focus_id = (unsigned)id;
	report_focus();
}

/* ---- the Gui service ---- */

static struct wsession *by_id(word_t sid)
{
	FOR_SESSIONS(s)
		if (s->ss.id == sid)
			return s;
	return 0;
}

static struct wview *view_of(struct wsession *s, word_t handle)
{
	if (handle >= GUI_VIEWS_MAX || !s->views[handle].used)
		return 0;
	return &s->views[handle];
}

static rpc_status_t do_buffer(struct gui_buffer_call *c)
{
	struct wsession *s = c->obj;
	cptr_t ds;
	word_t size;
	rpc_status_t st;

	st = gui_buffer(s->gui.session, c->in.width, c->in.height, &ds, &size);
	if (st != RPC_OK)
		return st;
	cap_slot_free(s->buf_ds);
	s->buf_ds = ds;
	c->out.ds = ds;
	c->out.size = size;
	return RPC_OK;
}

static rpc_status_t do_view_create(struct gui_view_create_call *c)
{
	struct wsession *s = c->obj;
	word_t real;
	rpc_status_t st;

	for (unsigned i = 0; i < GUI_VIEWS_MAX; i++) {
		if (s->views[i].used)
			continue;
		st = gui_view_create(s->gui.session, &real);
		if (st != RPC_OK)
			return st;
		s->views[i] = (struct wview){ .used = true, .real = real };
		s->order[s->norder++] = (unsigned char)i;
		c->out.view = i;
		/* a decoration's view goes behind its window's views, and
		 * both behind the windows in front of them */
		if (s->role == ROLE_DECORATOR && s->win_id)
			restack();
		return RPC_OK;
	}
	return RPC_E_NO_RAM_QUOTA;
}

static rpc_status_t do_view_geometry(struct gui_view_geometry_call *c)
{
	struct wsession *s = c->obj;
	struct wview *v = view_of(s, c->in.view);
	long x = (long)c->in.x, y = (long)c->in.y;
	word_t ww = 0, wh = 0;
	bool was_window = is_window(s, &ww, &wh);

	if (!v || c->in.width > GUI_MAX_SIDE || c->in.height > GUI_MAX_SIDE ||
	    x < -(long)GUI_MAX_SIDE || x > (long)GUI_MAX_SIDE || y < -(long)GUI_MAX_SIDE ||
	    y > (long)GUI_MAX_SIDE)
		return RPC_E_INVALID_ARGUMENT;
	v->r = (struct wm_rect){ x, y, (long)c->in.width, (long)c->in.height };
	place_view(s, (unsigned)c->in.view);
	if (s->role == ROLE_APP) {
		word_t nw = 0, nh = 0;
		if (is_window(s, &nw, &nh) != was_window || nw != ww || nh != wh)
			report_windows();
	}
	return RPC_OK;
}

static void order_remove(struct wsession *s, unsigned i)
{
	unsigned k = 0;

	for (unsigned j = 0; j < s->norder; j++)
		if (s->order[j] != i)
			s->order[k++] = s->order[j];
	s->norder = k;
}

static rpc_status_t do_view_top(struct gui_view_top_call *c)
{
	struct wsession *s = c->obj;
	struct wview *v = view_of(s, c->in.view);

	if (!v)
		return RPC_E_INVALID_ARGUMENT;
	order_remove(s, (unsigned)c->in.view);
	s->order[s->norder++] = (unsigned char)c->in.view;
	return gui_view_top(s->gui.session, v->real);
}

static rpc_status_t do_view_destroy(struct gui_view_destroy_call *c)
{
	struct wsession *s = c->obj;
	struct wview *v = view_of(s, c->in.view);
	rpc_status_t st;

	if (!v)
		return RPC_E_INVALID_ARGUMENT;
	st = gui_view_destroy(s->gui.session, v->real);
	v->used = false;
	order_remove(s, (unsigned)c->in.view);
	if (s->role == ROLE_APP)
		report_windows();
	return st;
}

static rpc_status_t do_refresh(struct gui_refresh_call *c)
{
	struct wsession *s = c->obj;

	return gui_refresh(s->gui.session, c->in.x, c->in.y, c->in.width, c->in.height);
}

static rpc_status_t do_mode(struct gui_mode_call *c)
{
	struct wsession *s = c->obj;

	if (s->role == ROLE_APP && s->closing) {
		c->out.width = c->out.height = 0;
		return RPC_OK;
	}
	if (s->role == ROLE_APP && s->placed) {
		c->out.width = (word_t)s->win.w;
		c->out.height = (word_t)s->win.h;
		return RPC_OK;
	}
	return gui_mode(s->gui.session, &c->out.width, &c->out.height);
}

static rpc_status_t do_mode_sigh(struct gui_mode_sigh_call *c)
{
	struct wsession *s = c->obj;
	rpc_status_t st = rpc_take_sigh(c->in.ntfn, &s->mode_sigh, true);

	/* a role's mode is the screen's: the GUI server signals it; an
	 * application's too until it is placed (a client that asked before
	 * there was a screen, got 0x0 and has no window yet learns of the
	 * screen so); after that a screen change signals it harmlessly */
	if (st == RPC_OK)
		st = gui_mode_sigh(s->gui.session, s->mode_sigh);
	return st;
}

static rpc_status_t do_input_ds(struct gui_input_ds_call *c)
{
	struct wsession *s = c->obj;

	c->out.ds = s->in.ds;
	c->out.size = GUI_INPUT_MAX * sizeof(struct input_event);
	return RPC_OK;
}

static rpc_status_t do_input_sigh(struct gui_input_sigh_call *c)
{
	struct wsession *s = c->obj;
	rpc_status_t st = rpc_take_sigh(c->in.ntfn, &s->input_sigh, true);

	if (st == RPC_OK && s->input_sigh && s->qlen)
		signal_submit(s->input_sigh);
	return st;
}

static rpc_status_t do_input_fetch(struct gui_input_fetch_call *c)
{
	struct wsession *s = c->obj;
	struct input_event *out = s->in.va;
	word_t n = 0;

	while (s->qlen && n < GUI_INPUT_MAX) {
		out[n++] = s->queue[s->qhead];
		s->qhead = (s->qhead + 1) % GUI_INPUT_QUEUE;
		s->qlen--;
	}
	c->out.count = n;
	c->out.dropped = s->dropped;
	s->dropped = 0;
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
	.gui_mode_sigh = do_mode_sigh,
	.gui_input_ds = do_input_ds,
	.gui_input_sigh = do_input_sigh,
	.gui_input_fetch = do_input_fetch,
};

/* A request that waited: served now, answered by the deferred reply. */
static void replay(struct wsession *s)
{
	struct rpc_msg rep;

	rpc_init(&rep, RPC_OK);
	if (s->state == BROKEN)
		rep.label = (word_t)s->open_st;
	else
		gui_dispatch(&gui_ops, s, &s->req, &rep, RPC_E_ILLEGAL_OPERATION);
	if (s->req.cap_kind == RPC_CAP_PLACED && s->req.cap)
		cap_slot_free(s->req.cap);
	s->pending = false;
	rpc_reply_deferred(&s->rc, &rep);
}

/* What the client donated beyond what was passed on (an upgrade): passed
 * on before a buffer is asked for. */
static bool needs_upgrade(const struct wsession *s)
{
	return s->ss.budget.ram > s->fwd_ram || s->ss.budget.caps > s->fwd_caps;
}

static void gui_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct wsession *s = o->data;
	bool wait = s->state == OPENING || s->upgrading;

	if (s->state == BROKEN) {
		rep->label = (word_t)s->open_st;
		return;
	}
	if (!wait && req->label == GUI_BUFFER && needs_upgrade(s)) {
		if (!job_queue(JOB_UPGRADE, s, s->gui.id, s->ss.budget.ram - s->fwd_ram,
			       s->ss.budget.caps - s->fwd_caps)) {
			rep->label = RPC_E_NO_RAM_QUOTA;
			return;
		}
		s->upgrading = wait = true;
	}
	if (!wait) {
		gui_dispatch(&gui_ops, s, req, rep, RPC_E_ILLEGAL_OPERATION);
		return;
	}
	if (s->pending) {
		rep->label = RPC_E_BUSY;
		return;
	}
	if (rpc_defer(ep, &s->rc) != RPC_OK) {
		rep->label = RPC_E_OUT_OF_SLOTS;
		return;
	}
	/* the request's capability (a signal) stays with the copy */
	s->req = *req;
	req->cap_kind = RPC_CAP_NONE;
	req->cap = 0;
	s->pending = true;
}

/* The helper finished requests: the sessions they were for go on. */
static void job_done(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < JOBS; i++) {
		struct job *j = &jobs[i];
		struct wsession *s;
		enum job_state st;

		lock_acquire(&job_lock);
		st = j->state;
		lock_release(&job_lock);
		if (st != JOB_DONE)
			continue;
		s = j->kind == JOB_CLOSE ? 0 : by_id(j->sid);
		if (j->kind == JOB_OPEN && !s && j->st == RPC_OK) {
			/* the client left before: ours goes too */
			cap_slot_free(j->cap);
			j->kind = JOB_CLOSE;
			lock_acquire(&job_lock);
			j->state = JOB_QUEUED;
			lock_release(&job_lock);
			sys_signal(helper_ntfn);
			continue;
		}
		if (s && j->kind == JOB_OPEN) {
			if (j->st == RPC_OK) {
				s->gui.session = j->cap;
				s->gui.id = j->gui_id;
				s->fwd_ram = j->ram;
				s->fwd_caps = j->caps;
				s->state = OPEN;
				/* without input at the GUI server the session works without it */
				rpc_status_t ist = gui_input_attach(&s->gui, input_sig.cap);
				if (ist != RPC_OK)
					log("no input for \"%s\" from the GUI server: %s", s->ss.label,
					    rpc_status_name(ist));
			} else {
				log("error: no Gui session at the GUI server for \"%s\": %s",
				    s->ss.label, rpc_status_name(j->st));
				s->state = BROKEN;
				s->open_st = j->st;
			}
		}
		if (s && j->kind == JOB_UPGRADE) {
			s->upgrading = false;
			/* refused: passed on as far as it went; the GUI server
			 * refuses the buffer for want of quota */
			if (j->st != RPC_OK)
				log("error: upgrade at the GUI server for \"%s\": %s", s->ss.label,
				    rpc_status_name(j->st));
			s->fwd_ram = s->ss.budget.ram;
			s->fwd_caps = s->ss.budget.caps;
		}
		lock_acquire(&job_lock);
		j->state = JOB_FREE;
		lock_release(&job_lock);
		if (s && s->pending && s->state != OPENING && !s->upgrading)
			replay(s);
	}
}

/* The wm's own session at the GUI server carries the client's: the same
 * label (the parent puts "wm -> " in front) and the client's donation,
 * which the wm passes on whole (its own bookkeeping is paid from its own
 * quota). */
static rpc_status_t gui_create(struct session_server *srv, struct server_session *ss,
			       const char *args)
{
	struct wsession *s = (struct wsession *)ss;
	rpc_status_t st;

	(void)srv;
	(void)args;
	s->role = !strcmp(ss->label, role_layouter) ? ROLE_LAYOUTER
		: is_decorator(ss->label)          ? ROLE_DECORATOR
						     : ROLE_APP;
	if (s->role == ROLE_LAYOUTER && by_role(s->role))
		return RPC_E_BUSY;
	st = ram_buf_alloc(&s->in, GUI_INPUT_MAX * sizeof(struct input_event));
	if (st != RPC_OK)
		return st;
	/* the session at the GUI server comes from the helper; requests wait */
	s->state = OPENING;
	if (!job_queue(JOB_OPEN, s, 0, ss->budget.ram, ss->budget.caps)) {
		ram_buf_free(&s->in);
		return RPC_E_OUT_OF_SLOTS;
	}
	if (s->role == ROLE_APP)
		s->win_id = next_win_id++;
	if (s->role == ROLE_DECORATOR) {
		long id = 0;
		/* "decorator -> 3": the decoration of window 3 */
		if (strcmp(ss->label, role_decorator) &&
		    wm_parse_long(label_last(ss->label), 0x7fffffff, &id) && id > 0)
			s->win_id = (unsigned)id;
	}
	/* the wm's free RAM as the session opens (run/wm_test compares it
	 * over many opens and closes: level, since each close gives back the
	 * whole donation only once the GUI session is closed, init's
	 * refund waiting for that) */
	struct pd_quota q = { 0, 0, 0, 0 };
	pd_quota(COMPONENT_PD, &q);
	log("session for \"%s\"%s, RAM avail %lu", ss->label,
	    s->role == ROLE_LAYOUTER ? " (layouter)" : s->role == ROLE_DECORATOR ? " (decorator)" : "",
	    (unsigned long)(q.ram_quota - q.ram_used));
	return RPC_OK;
}

static void gui_destroy(struct session_server *srv, struct server_session *ss)
{
	struct wsession *s = (struct wsession *)ss;

	(void)srv;
	/* the GUI server removes the views with the session; an open still
	 * under way is closed when it is done (job_done) */
	if (s->gui.input)
		pd_detach(COMPONENT_PD, (word_t)s->gui.input);
	if (s->state == OPEN)
		job_queue(JOB_CLOSE, 0, s->gui.id, 0, 0);
	if (s->pending) {
		struct rpc_msg rep;
		rpc_init(&rep, RPC_E_NOT_FOUND);
		if (s->req.cap_kind == RPC_CAP_PLACED && s->req.cap)
			cap_slot_free(s->req.cap);
		rpc_reply_deferred(&s->rc, &rep);
	}
	cap_slot_free(s->gui.session);
	cap_slot_free(s->buf_ds);
	cap_slot_free(s->mode_sigh);
	cap_slot_free(s->input_sigh);
	ram_buf_free(&s->in);
	/* the session is out of the list already: reported without it */
	report_windows();
	report_focus();
}

static struct session_server gui_server = {
	.service = GUI_SERVICE,
	.size = sizeof(struct wsession),
	.ram = GUI_SESSION_RAM,
	.caps = GUI_SESSION_CAPS,
	.create = gui_create,
	.destroy = gui_destroy,
	.rpc = gui_rpc,
};

static bool read_config(void)
{
	static const char *const names[] = { "layouter", "decorator", "focus_prefix" };
	char *const dst[] = { role_layouter, role_decorator, focus_prefix };
	struct config_rom cfg;
	bool ok = true;

	if (config_rom_open(&cfg, "config", 0, 0, 0) != RPC_OK)
		return true;
	if (cfg.node) {
		for (const struct cfg_attr *a = cfg.node->attrs; a; a = a->next) {
			unsigned i;
			for (i = 0; i < 3 && strcmp(a->name, names[i]); i++)
				;
			if (i == 3 || strlen(a->value) >= ROLE_MAX) {
				log("error: config: unknown attribute '%s' or a value too long", a->name);
				ok = false;
			} else {
				wm_str_copy(dst[i], a->value, ROLE_MAX);
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

	ep = &env->ep;
	if (!read_config())
		component_exit(1);
	st = signal_handler_init(ep, &input_sig, input_signal, 0);
	if (st == RPC_OK)
		st = signal_handler_init(ep, &job_sig, job_done, 0);
	if (st == RPC_OK) {
		word_t handle;
		helper_ntfn = cap_slot_alloc();
		st = helper_ntfn ? pd_alloc_ntfn(env->pd, helper_ntfn, &handle) : RPC_E_OUT_OF_SLOTS;
	}
	if (st == RPC_OK)
		st = cthread_create(&helper, helper_main, 0, env->info->priority, 0, 16 * 1024, 0);
	if (st == RPC_OK)
		st = reporter_open(&list_rep, "window_list", REPORT_SIZE);
	if (st == RPC_OK)
		st = reporter_open(&focus_rep, "focus", sizeof(focus_text));
	if (st == RPC_OK)
		st = config_rom_open(&layout_rom, "window_layout", ep, window_layout_changed, 0);
	if (st == RPC_OK)
		st = config_rom_open(&focus_rom, "focus", ep, focus_changed, 0);
	if (st != RPC_OK) {
		log("error: cannot start: %s", rpc_status_name(st));
		component_exit(2);
	}
	reports_ok = true;
	list_text[0] = 1;      /* differs from any report: the first goes out */
	focus_text[0] = 1;
	report_windows();
	report_focus();
	window_layout_changed(0);
	focus_changed(0);
	gui_server.ep = ep;
	st = session_server_announce(&gui_server);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(2);
	}
}
