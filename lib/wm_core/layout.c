/*
 * The layouter's logic (wm_layout.h). Pure and portable: input comes as
 * parsed documents and events, output as written documents.
 */
#include <gui_session.h>
#include <wm_layout.h>

#define MAX_COORD 16384

static bool attr_long(const struct cfg_node *n, const char *name, long *out, bool *has,
		      const char **err, const char *msg)
{
	const char *v = cfg_attr(n, name);

	if (has)
		*has = v != 0;
	if (!v)
		return true;
	if (!wm_parse_long(v, MAX_COORD, out)) {
		*err = msg;
		return false;
	}
	return true;
}

static bool attrs_known(const struct cfg_node *n, const char *const *names)
{
	for (const struct cfg_attr *a = n->attrs; a; a = a->next) {
		bool ok = false;
		for (unsigned i = 0; names[i]; i++)
			ok |= wm_str_eq(a->name, names[i]);
		if (!ok)
			return false;
	}
	return true;
}

void lay_init(struct layouter *l, long screen_w, long screen_h, const struct wm_margins *m)
{
	*l = (struct layouter){ .screen_w = screen_w, .screen_h = screen_h, .m = *m };
}

struct lay_window *lay_window(struct layouter *l, unsigned id)
{
	for (unsigned i = 0; i < l->nwin; i++)
		if (l->win[i].id == id)
			return &l->win[i];
	return 0;
}

static struct wm_rect maximized_rect(const struct layouter *l)
{
	return (struct wm_rect){ l->m.left, l->m.top, l->screen_w - l->m.left - l->m.right,
				 l->screen_h - l->m.top - l->m.bottom };
}

void lay_maximize(struct layouter *l, struct lay_window *w, bool on)
{
	if (on && !w->maximized) {
		w->restore = w->r;
		w->r = maximized_rect(l);
	} else if (!on && w->maximized) {
		w->r = w->restore;
	}
	w->maximized = on;
}

void lay_set_screen(struct layouter *l, long w, long h)
{
	l->screen_w = w;
	l->screen_h = h;
	for (unsigned i = 0; i < l->nwin; i++)
		if (l->win[i].maximized)
			l->win[i].r = maximized_rect(l);
}

static const struct lay_rule *rule_for(const struct layouter *l, const char *label);
static void apply_rule(struct layouter *l, struct lay_window *w, const struct lay_rule *r);

void lay_set_margins(struct layouter *l, const struct wm_margins *m)
{
	lay_set_screen(l, l->screen_w, l->screen_h);
	l->m = *m;
	lay_set_screen(l, l->screen_w, l->screen_h);
	/* a tiling rule's steps include the margins */
	for (unsigned i = 0; i < l->nwin; i++)
		if (l->win[i].slot >= 0)
			apply_rule(l, &l->win[i], rule_for(l, l->win[i].label));
}

const char *lay_parse_margins(const struct cfg_node *n, struct wm_margins *m)
{
	static const char *const names[] = { "top", "bottom", "left", "right", 0 };
	const char *err = 0;
	long v[4] = { 0, 0, 0, 0 };
	bool has;

	if (!n || !cfg_is(n, "decorator_margins"))
		return "not a <decorator_margins>";
	if (!attrs_known(n, names))
		return "unknown attribute in <decorator_margins>";
	for (unsigned i = 0; i < 4; i++)
		if (!attr_long(n, names[i], &v[i], &has, &err, "margins are 0..256") ||
		    v[i] < 0 || v[i] > 256)
			return "margins are 0..256";
	*m = (struct wm_margins){ v[0], v[1], v[2], v[3] };
	return 0;
}

static const struct lay_rule *rule_for(const struct layouter *l, const char *label)
{
	const struct lay_rule *best = 0;

	for (unsigned i = 0; i < l->nrules; i++) {
		const struct lay_rule *r = &l->rules[i];
		if (wm_str_prefix(r->prefix, label) &&
		    (!best || wm_str_len(r->prefix) > wm_str_len(best->prefix)))
			best = r;
	}
	return best;
}

/* A tiling rule's lowest place that no other window of the rule holds. */
static long free_slot(const struct layouter *l, const struct lay_window *w,
		      const struct lay_rule *r)
{
	for (long s = 0;; s++) {
		bool taken = false;
		for (unsigned i = 0; i < l->nwin && !taken; i++)
			taken = &l->win[i] != w && l->win[i].seen && l->win[i].slot == s &&
				rule_for(l, l->win[i].label) == r;
		if (!taken)
			return s;
	}
}

static void apply_rule(struct layouter *l, struct lay_window *w, const struct lay_rule *r)
{
	struct wm_rect *g = w->maximized ? &w->restore : &w->r;

	if (r->has_x)
		g->x = r->x;
	if (r->has_y)
		g->y = r->y;
	if (r->rows) {
		if (w->slot < 0)
			w->slot = free_slot(l, w, r);
		g->x = r->x + w->slot / r->rows * (r->w + l->m.left + l->m.right);
		g->y = r->y + w->slot % r->rows * (r->h + l->m.top + l->m.bottom);
	}
	if (r->has_w)
		g->w = r->w;
	if (r->has_h)
		g->h = r->h;
	if (r->has_max)
		lay_maximize(l, w, r->maximized);
}

/* A new window: requested size, next cascade position, then its rule. */
static void place(struct layouter *l, struct lay_window *w)
{
	const struct lay_rule *r = rule_for(l, w->label);
	long k = (long)(l->placed++ % 8);

	w->r = (struct wm_rect){ l->m.left + LAY_CASCADE * k, l->m.top + LAY_CASCADE * k,
				 w->req_w ? w->req_w : LAY_DEFAULT_W,
				 w->req_h ? w->req_h : LAY_DEFAULT_H };
	if (r)
		apply_rule(l, w, r);
}

static void raise(struct layouter *l, unsigned id)
{
	unsigned i;

	for (i = 0; i < l->nwin && l->win[i].id != id; i++)
		;
	if (i == l->nwin)
		return;
	struct lay_window w = l->win[i];
	for (; i + 1 < l->nwin; i++)
		l->win[i] = l->win[i + 1];
	l->win[l->nwin - 1] = w;
}

void lay_focus(struct layouter *l, unsigned id)
{
	if (!lay_window(l, id))
		return;
	l->focus = id;
	raise(l, id);
}

const char *lay_set_windows(struct layouter *l, const struct cfg_node *list)
{
	static const char *const names[] = { "id", "label", "title", "width", "height",
					     "has_alpha", 0 };
	struct lay_window in[LAY_WINDOWS_MAX];
	unsigned n = 0, top_new = 0;
	const char *err = 0;

	if (!list || !cfg_is(list, "window_list"))
		return "not a <window_list>";
	for (const struct cfg_node *c = cfg_child(list, 0); c; c = cfg_next(c, 0)) {
		uint64_t id;
		long w = 0, h = 0;
		if (!cfg_is(c, "window"))
			return "unknown node in <window_list>";
		if (!attrs_known(c, names))
			return "unknown attribute in <window>";
		if (n == LAY_WINDOWS_MAX)
			return "too many windows";
		if (cfg_attr_u64(c, "id", 0, &id) <= 0 || !id || id > 0xffffffffu)
			return "<window> without a good id";
		if (!attr_long(c, "width", &w, 0, &err, "bad width") ||
		    !attr_long(c, "height", &h, 0, &err, "bad height"))
			return err;
		if (w < 0 || h < 0)
			return "negative size";
		for (unsigned i = 0; i < n; i++)
			if (in[i].id == id)
				return "two windows with one id";
		in[n] = (struct lay_window){ .id = (unsigned)id, .req_w = w, .req_h = h, .slot = -1 };
		wm_str_copy(in[n].label, cfg_attr(c, "label") ? cfg_attr(c, "label") : "",
			    sizeof(in[n].label));
		wm_str_copy(in[n].title, cfg_attr(c, "title") ? cfg_attr(c, "title") : "",
			    sizeof(in[n].title));
		n++;
	}
	for (unsigned i = 0; i < l->nwin; i++)
		l->win[i].seen = false;
	/* the windows that stay, before any is placed (they keep their places) */
	for (unsigned i = 0; i < n; i++)
		if (lay_window(l, in[i].id))
			lay_window(l, in[i].id)->seen = true;
	for (unsigned i = 0; i < n; i++) {
		struct lay_window *w = lay_window(l, in[i].id);
		if (w) {
			wm_str_copy(w->title, in[i].title, sizeof(w->title));
			w->req_w = in[i].req_w;
			w->req_h = in[i].req_h;
			w->seen = true;
			continue;
		}
		w = &l->win[l->nwin++];
		*w = in[i];
		w->seen = true;
		place(l, w);
		const struct lay_rule *r = rule_for(l, w->label);
		if (!r || !r->no_focus)
			top_new = w->id;
	}
	/* gone: out of the stack */
	unsigned k = 0;
	for (unsigned i = 0; i < l->nwin; i++)
		if (l->win[i].seen)
			l->win[k++] = l->win[i];
	l->nwin = k;
	if (l->drag != LAY_DRAG_NONE && !lay_window(l, l->drag_id))
		l->drag = LAY_DRAG_NONE;
	if (top_new)
		lay_focus(l, top_new);
	else if (!lay_window(l, l->focus)) {
		/* the front-most that may take it (not closing, not focus="no") */
		l->focus = 0;
		for (unsigned i = l->nwin; i-- > 0 && !l->focus;) {
			const struct lay_rule *r = rule_for(l, l->win[i].label);
			if (!l->win[i].close && (!r || !r->no_focus))
				l->focus = l->win[i].id;
		}
	}
	return 0;
}

const char *lay_set_rules(struct layouter *l, const struct cfg_node *rules)
{
	static const char *const names[] = { "label_prefix", "xpos", "ypos", "width", "height",
					     "maximized", "rows", "focus", 0 };
	struct lay_rule in[LAY_RULES_MAX];
	bool done[LAY_WINDOWS_MAX] = { false };
	unsigned n = 0;
	const char *err = 0;

	if (!rules || !cfg_is(rules, "rules"))
		return "not a <rules>";
	for (const struct cfg_node *c = cfg_child(rules, 0); c; c = cfg_next(c, 0)) {
		struct lay_rule *r = &in[n];
		if (!cfg_is(c, "assign"))
			return "unknown node in <rules>";
		if (!attrs_known(c, names))
			return "unknown attribute in <assign>";
		if (n == LAY_RULES_MAX)
			return "too many rules";
		*r = (struct lay_rule){ 0 };
		wm_str_copy(r->prefix, cfg_attr(c, "label_prefix") ? cfg_attr(c, "label_prefix") : "",
			    sizeof(r->prefix));
		if (!attr_long(c, "xpos", &r->x, &r->has_x, &err, "bad xpos") ||
		    !attr_long(c, "ypos", &r->y, &r->has_y, &err, "bad ypos") ||
		    !attr_long(c, "width", &r->w, &r->has_w, &err, "bad width") ||
		    !attr_long(c, "height", &r->h, &r->has_h, &err, "bad height"))
			return err;
		if ((r->has_w && r->w < 1) || (r->has_h && r->h < 1))
			return "width and height are at least 1";
		if (!attr_long(c, "rows", &r->rows, 0, &err, "bad rows"))
			return err;
		if (r->rows < 0 || (r->rows && (!r->has_w || !r->has_h)))
			return "rows is at least 1 and needs width and height";
		r->has_max = cfg_has_attr(c, "maximized");
		if (cfg_attr_bool(c, "maximized", false, &r->maximized) < 0)
			return "maximized is yes or no";
		bool focus;
		if (cfg_attr_bool(c, "focus", true, &focus) < 0)
			return "focus is yes or no";
		r->no_focus = !focus;
		n++;
	}
	for (unsigned i = 0; i < n; i++)
		l->rules[i] = in[i];
	l->nrules = n;
	/* tiled anew, in the order the windows came (their ids) */
	for (unsigned i = 0; i < l->nwin; i++)
		l->win[i].slot = -1;
	for (unsigned k = 0; k < l->nwin; k++) {
		struct lay_window *w = 0;
		for (unsigned i = 0; i < l->nwin; i++)
			if (!done[i] && (!w || l->win[i].id < w->id))
				w = &l->win[i];
		const struct lay_rule *r = rule_for(l, w->label);
		done[w - l->win] = true;
		if (r)
			apply_rule(l, w, r);
	}
	return 0;
}

void lay_set_hover(struct layouter *l, bool valid, unsigned id, struct deco_hit hit, long x,
		   long y)
{
	l->hover_valid = valid;
	l->hover_id = id;
	l->hover = hit;
	l->hover_x = x;
	l->hover_y = y;
}

struct lay_window *lay_at(struct layouter *l, long x, long y, struct deco_hit *hit)
{
	for (unsigned i = l->nwin; i-- > 0;) {
		struct deco_hit h = deco_hit(&l->win[i].r, &l->m, x, y);
		if (h.element != DECO_NONE) {
			*hit = h;
			return &l->win[i];
		}
	}
	return 0;
}

/* What is under the pointer: the decorator's word when it speaks of this
 * very position, else the same hit test the decorator makes. */
static struct lay_window *under_pointer(struct layouter *l, struct deco_hit *hit)
{
	if (l->hover_valid && l->hover_x == l->px && l->hover_y == l->py &&
	    lay_window(l, l->hover_id)) {
		*hit = l->hover;
		return lay_window(l, l->hover_id);
	}
	return lay_at(l, l->px, l->py, hit);
}

static void drag_to(struct layouter *l)
{
	struct lay_window *w = lay_window(l, l->drag_id);
	long dx = l->px - l->drag_x, dy = l->py - l->drag_y;
	struct wm_rect r = l->drag_from;
	unsigned e = l->drag_hit.edges;

	if (!w)
		return;
	if (l->drag == LAY_DRAG_MOVE) {
		w->r.x = r.x + dx;
		w->r.y = r.y + dy;
		return;
	}
	if (e & DECO_EDGE_LEFT) {
		if (dx > r.w - LAY_MIN_SIDE)
			dx = r.w - LAY_MIN_SIDE;
		r.x += dx;
		r.w -= dx;
	}
	if (e & DECO_EDGE_RIGHT)
		r.w = r.w + dx < LAY_MIN_SIDE ? LAY_MIN_SIDE : r.w + dx;
	if (e & DECO_EDGE_TOP) {
		if (dy > r.h - LAY_MIN_SIDE)
			dy = r.h - LAY_MIN_SIDE;
		r.y += dy;
		r.h -= dy;
	}
	if (e & DECO_EDGE_BOTTOM)
		r.h = r.h + dy < LAY_MIN_SIDE ? LAY_MIN_SIDE : r.h + dy;
	w->r = r;
}

static bool press(struct layouter *l, unsigned long now_ms)
{
	struct deco_hit hit;
	struct lay_window *w;
	bool dbl;

	if (!l->pointer || !(w = under_pointer(l, &hit)))
		return false;
	lay_focus(l, w->id);
	w = lay_window(l, l->focus);
	l->drag_id = w->id;
	l->drag_hit = hit;
	l->drag_x = l->px;
	l->drag_y = l->py;
	l->drag_from = w->r;
	l->drag = LAY_DRAG_NONE;
	switch (hit.element) {
	case DECO_TITLE:
		dbl = l->title_valid && l->title_id == w->id &&
		      now_ms - l->title_ms <= LAY_DOUBLE_CLICK_MS &&
		      l->px - l->title_x <= LAY_DOUBLE_CLICK_PX &&
		      l->title_x - l->px <= LAY_DOUBLE_CLICK_PX &&
		      l->py - l->title_y <= LAY_DOUBLE_CLICK_PX &&
		      l->title_y - l->py <= LAY_DOUBLE_CLICK_PX;
		l->title_valid = !dbl;
		l->title_id = w->id;
		l->title_ms = now_ms;
		l->title_x = l->px;
		l->title_y = l->py;
		if (dbl)
			lay_maximize(l, w, !w->maximized);
		else if (!w->maximized)
			l->drag = LAY_DRAG_MOVE;
		break;
	case DECO_BORDER:
		if (!w->maximized)
			l->drag = LAY_DRAG_RESIZE;
		break;
	case DECO_CLOSE:
	case DECO_MAXIMIZE:
		l->drag = LAY_DRAG_BUTTON;
		break;
	default:
		break;
	}
	return true;
}

/* A window asked to close gives the focus to the front-most window that is
 * not closing (its views are hidden meanwhile: keys to it would be lost). */
static void request_close(struct layouter *l, struct lay_window *w)
{
	w->close = true;
	if (l->focus != w->id)
		return;
	l->focus = 0;
	for (unsigned i = l->nwin; i-- > 0;)
		if (!l->win[i].close) {
			l->focus = l->win[i].id;
			break;
		}
}

/* A button acts when released where it was pressed. */
static bool release(struct layouter *l)
{
	struct deco_hit hit;
	struct lay_window *w;
	enum lay_drag d = l->drag;

	l->drag = LAY_DRAG_NONE;
	if (d != LAY_DRAG_BUTTON || !l->pointer || !(w = under_pointer(l, &hit)) ||
	    w->id != l->drag_id || hit.element != l->drag_hit.element)
		return false;
	if (hit.element == DECO_CLOSE)
		request_close(l, w);
	else
		lay_maximize(l, w, !w->maximized);
	return true;
}

/* Shortcuts: TAB the next window (the backmost not closing comes to the
 * front), UP
 * maximize or restore, Q close. The layouter's session gets keys only as
 * the GUI server's global keys, i.e. combinations with the modifier the
 * GUI's config names: every key press it gets is meant for it. */
static bool shortcut(struct layouter *l, unsigned key)
{
	struct lay_window *f = lay_window(l, l->focus);

	switch (key) {
	case KEY_TAB:
		/* the backmost window not asked to close (its views are hidden) */
		for (unsigned i = 0; i < l->nwin; i++)
			if (!l->win[i].close) {
				unsigned id = l->win[i].id;
				bool same = l->focus == id && l->win[l->nwin - 1].id == id;
				lay_focus(l, id);
				return !same;
			}
		return false;
	case KEY_UP:
		if (!f)
			return false;
		lay_maximize(l, f, !f->maximized);
		return true;
	case KEY_Q:
		if (!f)
			return false;
		request_close(l, f);
		return true;
	default:
		return false;
	}
}

bool lay_input(struct layouter *l, const struct input_event *e, unsigned long now_ms)
{
	switch (e->type) {
	case GUI_EV_POINTER:
		l->px = e->x;
		l->py = e->y;
		l->pointer = true;
		if (l->drag == LAY_DRAG_MOVE || l->drag == LAY_DRAG_RESIZE) {
			drag_to(l);
			return true;
		}
		return false;
	case GUI_EV_LEAVE:
		if (l->drag == LAY_DRAG_NONE)
			l->pointer = false;
		return false;
	case WM_EV_CLICK:
		if (!lay_window(l, e->code) || l->focus == e->code)
			return false;
		lay_focus(l, e->code);
		return true;
	case INPUT_PRESS:
		if (e->code == KEY_BTN_LEFT)
			return press(l, now_ms);
		return shortcut(l, e->code);
	case INPUT_RELEASE:
		if (e->code == KEY_BTN_LEFT)
			return release(l);
		return false;
	default:
		return false;
	}
}

unsigned long lay_write_layout(const struct layouter *l, char *buf, unsigned long size)
{
	struct cfg_writer w;

	cfg_writer_init(&w, buf, size);
	cfg_node_begin(&w, "window_layout");
	for (unsigned i = 0; i < l->nwin; i++) {
		const struct lay_window *win = &l->win[i];
		char num[4][24];
		const long v[4] = { win->r.x, win->r.y, win->r.w, win->r.h };
		for (unsigned k = 0; k < 4; k++) {
			unsigned long a = (unsigned long)(v[k] < 0 ? -v[k] : v[k]);
			char t[24];
			unsigned n = 0, j = 0;
			do
				t[n++] = (char)('0' + a % 10);
			while (a /= 10);
			if (v[k] < 0)
				num[k][j++] = '-';
			while (n)
				num[k][j++] = t[--n];
			num[k][j] = 0;
		}
		cfg_node_begin(&w, "window");
		cfg_node_attr_u64(&w, "id", win->id);
		cfg_node_attr(&w, "xpos", num[0]);
		cfg_node_attr(&w, "ypos", num[1]);
		cfg_node_attr(&w, "width", num[2]);
		cfg_node_attr(&w, "height", num[3]);
		cfg_node_attr(&w, "focused", win->id == l->focus ? "yes" : "no");
		cfg_node_attr(&w, "title", win->title);
		if (win->maximized)
			cfg_node_attr(&w, "maximized", "yes");
		if (win->close)
			cfg_node_attr(&w, "close", "yes");
		cfg_node_end(&w);
	}
	cfg_node_end(&w);
	return cfg_writer_ok(&w) ? w.len : 0;
}

unsigned long lay_write_focus(const struct layouter *l, char *buf, unsigned long size)
{
	struct cfg_writer w;
	const struct lay_window *f = 0;

	for (unsigned i = 0; i < l->nwin; i++)
		if (l->win[i].id == l->focus)
			f = &l->win[i];
	cfg_writer_init(&w, buf, size);
	cfg_node_begin(&w, "focus");
	if (f) {
		cfg_node_attr_u64(&w, "window", f->id);
		cfg_node_attr(&w, "label", f->label);
	}
	cfg_node_end(&w);
	return cfg_writer_ok(&w) ? w.len : 0;
}
