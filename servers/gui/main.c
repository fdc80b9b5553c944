/*
 * gui: the GUI server (docs/gui.md). Applications show their buffers
 * through views (Gui session, gui_session.h); the server stacks the views
 * of all clients by their domains' layers and composes them into the
 * screen of every display driver (Capture session, capture_session.h,
 * compose.c), telling each driver the rectangle that changed. Input
 * drivers or event_filter submit input (Event session, input.c), which
 * goes to the focused client, the client under the pointer or a global
 * key's client. The trusted path: while the x-ray key is held every view
 * is framed in its domain's colour under a label bar the server draws.
 *
 *   <config background="#202020" xray_key="SCROLLLOCK" focus="click|rom"
 *           pointer="yes">
 *     <domain name="apps" layer="2" origin="top_left" focus="click"
 *             color="#3080ff" label="yes"/>
 *     <policy label_prefix="wm" domain="apps"/>
 *     <global-key name="F12" label="wm -> layouter"/>
 *     <global-key name="TAB" modifier="LEFTMETA" label="wm -> layouter"/>
 *   </config>
 *
 * A Gui session whose label no policy matches is denied. A changed
 * config applies at once when it is whole (a malformed one is logged and
 * the last good one stays): sessions get the domains the new policies
 * give them (one that none matches keeps its old domain until it
 * closes), the views are stacked by the new layers, the whole screen is
 * composed anew (docs/gui.md, "The server"). Trusts its
 * parent and core; clients and drivers for nothing: a client names only
 * its own views and stacks them only within its domain's layer or behind
 * it, sizes are bounded, buffers belong to the server and are read while
 * composing only (a client that writes its buffer meanwhile gets torn
 * pixels of its own views, nothing else), input batches are copied
 * before they are checked.
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
#include <gui/font.h>
#include "gui.h"

struct view *stack[STACK_MAX];
unsigned nstack;
struct capture *captures;
struct gui_client *clients;
uint32_t background = DEFAULT_BACKGROUND;
struct global_key global_keys[GLOBAL_KEYS_MAX];
unsigned nglobal_keys;
unsigned xray_key;
bool pointer_shown = true;
bool focus_from_rom;

/* A whole config: the one in force (cur; its background, x-ray key,
 * pointer, focus mode and global keys also in the globals above, for
 * compose.c and input.c) or one being parsed. */
struct gui_config {
	uint32_t background;
	unsigned xray_key;
	bool pointer, focus_rom;
	struct domain domains[DOMAINS_MAX];
	unsigned ndomains;
	struct policy policies[POLICIES_MAX];
	unsigned npolicies;
	struct global_key global_keys[GLOBAL_KEYS_MAX];
	unsigned nglobal_keys;
};

static struct gui_config cur = { .background = DEFAULT_BACKGROUND, .pointer = true };
static struct component_env *env;
static struct config_rom config, focus_rom;
static bool config_open, focus_rom_open;
static char focus_label[SESSION_LABEL_MAX];

void screen_size(long *w, long *h)
{
	struct capture *first = 0;

	for (struct capture *k = captures; k; k = k->next)
		if (k->screen.va)
			first = k;   /* the list is newest first: the oldest wins */
	*w = first ? (long)first->width : 0;
	*h = first ? (long)first->height : 0;
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

/* In front of every view of its layer and of the layers behind it, behind
 * every view of a layer in front (a lower layer number). */
static void stack_insert_top(struct view *v)
{
	long layer = v->owner->domain->layer;
	unsigned at = 0;

	while (at < nstack && stack[at]->owner->domain->layer >= layer)
		at++;
	memmove(&stack[at + 1], &stack[at], (nstack - at) * sizeof(stack[0]));
	stack[at] = v;
	nstack++;
}

static void redraw_view(const struct view *v)
{
	struct rect r = view_footprint(v);

	redraw(&r);
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
			redraw_view(&g->views[i]);
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
			stack_insert_top(&g->views[i]);
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
	old = view_footprint(v);
	v->r = (struct rect){ x, y, (long)c->in.width, (long)c->in.height };
	redraw(&old);
	redraw_view(v);
	input_layout_changed();
	return RPC_OK;
}

static rpc_status_t do_view_top(struct gui_view_top_call *c)
{
	struct view *v = view_of(c->obj, c->in.view);

	if (!v)
		return RPC_E_INVALID_ARGUMENT;
	stack_remove(v);
	stack_insert_top(v);
	redraw_view(v);
	input_layout_changed();
	return RPC_OK;
}

static void view_destroy(struct view *v)
{
	struct rect r = view_footprint(v);

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
	input_layout_changed();
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
		struct rect vr, s;
		if (!v->used)
			continue;
		vr = view_rect(v);
		s = (struct rect){ r.x + vr.x, r.y + vr.y, r.w, r.h };
		if (clip(&s, &vr))
			redraw(&s);
	}
	return RPC_OK;
}

static rpc_status_t do_mode(struct gui_mode_call *c)
{
	long w, h;

	screen_size(&w, &h);
	c->out.width = (word_t)w;
	c->out.height = (word_t)h;
	return RPC_OK;
}

static rpc_status_t do_mode_sigh(struct gui_mode_sigh_call *c)
{
	struct gui_client *g = c->obj;

	return rpc_take_sigh(c->in.ntfn, &g->mode_sigh, true);
}

static rpc_status_t do_input_ds(struct gui_input_ds_call *c)
{
	struct gui_client *g = c->obj;

	c->out.ds = g->input.ds;
	c->out.size = GUI_INPUT_MAX * sizeof(struct input_event);
	return RPC_OK;
}

static rpc_status_t do_input_sigh(struct gui_input_sigh_call *c)
{
	struct gui_client *g = c->obj;
	rpc_status_t st = rpc_take_sigh(c->in.ntfn, &g->input_sigh, true);

	/* events that wait already are told at once */
	g->signalled = false;
	if (st == RPC_OK && g->input_sigh && g->count) {
		g->signalled = true;
		signal_submit(g->input_sigh);
	}
	return st;
}

static rpc_status_t do_input_fetch(struct gui_input_fetch_call *c)
{
	struct gui_client *g = c->obj;
	struct input_event *out = g->input.va;
	unsigned n = g->count < GUI_INPUT_MAX ? g->count : (unsigned)GUI_INPUT_MAX;

	for (unsigned i = 0; i < n; i++)
		out[i] = g->queue[(g->head + i) % GUI_INPUT_QUEUE];
	g->head = (g->head + n) % GUI_INPUT_QUEUE;
	g->count -= n;
	c->out.count = n;
	c->out.dropped = g->dropped;
	g->dropped = 0;
	g->signalled = false;
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

static void gui_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	gui_dispatch(&gui_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static bool policy_matches(const struct policy *p, const char *label)
{
	size_t n = strlen(p->text), l = strlen(label);

	switch (p->how) {
	case MATCH_LABEL:
		return !strcmp(p->text, label);
	case MATCH_PREFIX:
		return !strncmp(p->text, label, n);
	case MATCH_SUFFIX:
		return l >= n && !strcmp(label + l - n, p->text);
	}
	return false;
}

/* The first policy that matches (in the config's order). */
static const struct domain *domain_of(const char *label)
{
	for (unsigned i = 0; i < cur.npolicies; i++)
		if (policy_matches(&cur.policies[i], label))
			return &cur.domains[cur.policies[i].domain];
	return 0;
}

static rpc_status_t gui_create(struct session_server *srv, struct server_session *ss,
			       const char *args)
{
	struct gui_client *g = (struct gui_client *)ss;
	rpc_status_t st;
	const struct domain *d = domain_of(ss->label);

	(void)srv;
	(void)args;
	if (!d) {
		log("denied: Gui session for \"%s\": no <policy> of the config matches its label",
		    ss->label);
		return RPC_E_DENIED;
	}
	/* its own copy: a config change replaces it, or leaves it as it
	 * is when no policy matches the label any more */
	g->dom = *d;
	g->domain = &g->dom;
	if (!budget_take(&ss->budget, GUI_SESSION_RAM, GUI_SESSION_CAPS - 1))
		return RPC_E_NO_RAM_QUOTA;
	st = ram_buf_alloc(&g->input, GUI_INPUT_MAX * sizeof(struct input_event));
	if (st != RPC_OK)
		return st;
	g->next = clients;
	clients = g;
	log("gui session %lu for \"%s\" (domain %s)", ss->id, ss->label, g->domain->name);
	if (focus_from_rom && !strcmp(focus_label, ss->label))
		input_set_focus(g);
	return RPC_OK;
}

static void gui_destroy(struct session_server *srv, struct server_session *ss)
{
	struct gui_client *g = (struct gui_client *)ss;

	(void)srv;
	g->dying = true;
	for (unsigned i = 0; i < GUI_VIEWS_MAX; i++)
		if (g->views[i].used)
			view_destroy(&g->views[i]);
	for (struct gui_client **p = &clients; *p; p = &(*p)->next)
		if (*p == g) {
			*p = g->next;
			break;
		}
	input_client_gone(g);
	input_layout_changed();
	ram_buf_free(&g->buf);
	ram_buf_free(&g->input);
	cap_slot_free(g->mode_sigh);
	cap_slot_free(g->input_sigh);
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

static void mode_changed(void)
{
	long w, h;

	for (struct gui_client *g = clients; g; g = g->next)
		if (g->mode_sigh)
			signal_submit(g->mode_sigh);
	screen_size(&w, &h);
	if (pointer_x >= w || pointer_y >= h) {
		pointer_x = pointer_x >= w ? (w ? w - 1 : 0) : pointer_x;
		pointer_y = pointer_y >= h ? (h ? h - 1 : 0) : pointer_y;
	}
}

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
	mode_changed();
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
	mode_changed();
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

/* A key by its name of input_keys.h ("F12", "SCROLLLOCK") or 0x.. */
static unsigned key_code_of(const char *name)
{
	unsigned v = 0;

	if (name[0] == '0' && name[1] == 'x' && name[2]) {
		for (const char *p = name + 2; *p; p++) {
			int d = *p >= '0' && *p <= '9' ? *p - '0'
			      : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
			      : *p >= 'A' && *p <= 'F' ? *p - 'A' + 10 : -1;
			if (d < 0 || v > KEY_MAX)
				return 0;
			v = v * 16 + (unsigned)d;
		}
		return v <= KEY_MAX ? v : 0;
	}
	for (unsigned k = 1; k <= KEY_MAX; k++)
		if (key_name(k) && !strcmp(key_name(k), name))
			return k;
	return 0;
}

static bool copy_text(char *dst, size_t size, const char *src)
{
	if (!src || !*src || strlen(src) >= size)
		return false;
	memcpy(dst, src, strlen(src) + 1);
	return true;
}

static bool parse_domain(struct gui_config *c, const struct cfg_node *n)
{
	static const char *const names[] = { "name", "layer", "origin", "focus", "color", "label", 0 };
	struct domain *d = &c->domains[c->ndomains];
	const char *v;
	bool ok = cfg_attrs_known(n, names);
	long layer = 0;

	if (c->ndomains == DOMAINS_MAX) {
		log("error: config:%u: more than %u domains", n->line, DOMAINS_MAX);
		return false;
	}
	*d = (struct domain){ .origin = ORIGIN_TOP_LEFT, .focus = FOCUS_CLICK, .colour = 0xffffff,
			      .label = true };
	if (!copy_text(d->name, sizeof(d->name), cfg_attr(n, "name"))) {
		log("error: config:%u: <domain> needs a name (below %u bytes)", n->line, NAME_MAX);
		ok = false;
	}
	for (unsigned i = 0; i < c->ndomains; i++)
		if (!strcmp(c->domains[i].name, d->name)) {
			log("error: config:%u: domain '%s' twice", n->line, d->name);
			ok = false;
		}
	v = cfg_attr(n, "layer");
	if (v) {
		const char *p = v;
		bool neg = *p == '-', num = true;
		p += neg;
		if (!*p)
			num = false;
		for (; *p && layer < 1000000; p++) {
			if (*p < '0' || *p > '9') {
				num = false;
				break;
			}
			layer = layer * 10 + (*p - '0');
		}
		if (!num || layer >= 1000000) {
			log("error: config:%u: layer is a number (-999999..999999), not '%s'", n->line, v);
			ok = false;
		}
		d->layer = neg ? -layer : layer;
	}
	v = cfg_attr(n, "origin");
	if (v) {
		if (!strcmp(v, "top_left"))
			d->origin = ORIGIN_TOP_LEFT;
		else if (!strcmp(v, "pointer"))
			d->origin = ORIGIN_POINTER;
		else if (!strcmp(v, "screen"))
			d->origin = ORIGIN_SCREEN;
		else {
			log("error: config:%u: origin is top_left, pointer or screen, not '%s'", n->line, v);
			ok = false;
		}
	}
	v = cfg_attr(n, "focus");
	if (v) {
		if (!strcmp(v, "click"))
			d->focus = FOCUS_CLICK;
		else if (!strcmp(v, "transient"))
			d->focus = FOCUS_TRANSIENT;
		else if (!strcmp(v, "none"))
			d->focus = FOCUS_NONE;
		else {
			log("error: config:%u: focus is click, transient or none, not '%s'", n->line, v);
			ok = false;
		}
	}
	ok &= cfg_colour(n, "color", 0xffffff, &d->colour);
	ok &= cfg_bool(n, "label", true, &d->label);
	c->ndomains += ok;
	return ok;
}

static bool parse_policy(struct gui_config *c, const struct cfg_node *n)
{
	static const char *const names[] = { "label", "label_prefix", "label_suffix", "domain", 0 };
	static const char *const how[] = { "label", "label_prefix", "label_suffix" };
	struct policy *p = &c->policies[c->npolicies];
	const char *dom = cfg_attr(n, "domain");
	unsigned given = 0;
	bool ok = cfg_attrs_known(n, names);

	if (c->npolicies == POLICIES_MAX) {
		log("error: config:%u: more than %u policies", n->line, POLICIES_MAX);
		return false;
	}
	for (unsigned i = 0; i < 3; i++)
		if (cfg_attr(n, how[i])) {
			given++;
			p->how = (enum match)i;
			if (strlen(cfg_attr(n, how[i])) >= sizeof(p->text))
				given = 99;
			else
				memcpy(p->text, cfg_attr(n, how[i]), strlen(cfg_attr(n, how[i])) + 1);
		}
	if (given != 1) {
		log("error: config:%u: <policy> needs one of label, label_prefix, label_suffix", n->line);
		ok = false;
	}
	p->domain = DOMAINS_MAX;
	for (unsigned i = 0; dom && i < c->ndomains; i++)
		if (!strcmp(c->domains[i].name, dom))
			p->domain = i;
	if (p->domain == DOMAINS_MAX) {
		log("error: config:%u: <policy> names no domain declared before it ('%s')", n->line,
		    dom ? dom : "");
		ok = false;
	}
	c->npolicies += ok;
	return ok;
}

static bool parse_global_key(struct gui_config *c, const struct cfg_node *n)
{
	static const char *const names[] = { "name", "modifier", "label", 0 };
	struct global_key *g = &c->global_keys[c->nglobal_keys];
	const char *k = cfg_attr(n, "name"), *m = cfg_attr(n, "modifier");
	bool ok = cfg_attrs_known(n, names);

	if (c->nglobal_keys == GLOBAL_KEYS_MAX) {
		log("error: config:%u: more than %u global keys", n->line, GLOBAL_KEYS_MAX);
		return false;
	}
	g->code = k ? key_code_of(k) : 0;
	if (!g->code) {
		log("error: config:%u: <global-key> needs a key name of input_keys.h, not '%s'", n->line,
		    k ? k : "");
		ok = false;
	}
	g->modifier = m ? key_code_of(m) : 0;
	if (m && !g->modifier) {
		log("error: config:%u: <global-key> modifier is a key name of input_keys.h, not '%s'",
		    n->line, m);
		ok = false;
	}
	if (g->code && g->modifier == g->code) {
		log("error: config:%u: <global-key> %s cannot be its own modifier", n->line, k);
		ok = false;
	}
	if (!copy_text(g->label, sizeof(g->label), cfg_attr(n, "label"))) {
		log("error: config:%u: <global-key> needs a session label", n->line);
		ok = false;
	}
	for (unsigned i = 0; ok && i < c->nglobal_keys; i++)
		if (c->global_keys[i].code == g->code && c->global_keys[i].modifier == g->modifier) {
			log("error: config:%u: global key %s%s%s twice", n->line, m ? m : "",
			    m ? "+" : "", k);
			ok = false;
		}
	c->nglobal_keys += ok;
	return ok;
}

/* Parse top into *c (its defaults first); false after logging every
 * error. Nothing of the config in force changes. */
static bool parse_config(struct gui_config *c, const struct cfg_node *top)
{
	static const char *const names[] = { "background", "xray_key", "focus", "pointer", 0 };
	const char *v;
	bool ok = cfg_attrs_known(top, names);

	ok &= cfg_colour(top, "background", DEFAULT_BACKGROUND, &c->background);
	v = cfg_attr(top, "xray_key");
	if (v && !(c->xray_key = key_code_of(v))) {
		log("error: config:%u: xray_key is a key name of input_keys.h, not '%s'", top->line, v);
		ok = false;
	}
	v = cfg_attr(top, "focus");
	if (v && strcmp(v, "click") && strcmp(v, "rom")) {
		log("error: config:%u: focus is click or rom, not '%s'", top->line, v);
		ok = false;
	}
	c->focus_rom = v && !strcmp(v, "rom");
	ok &= cfg_bool(top, "pointer", true, &c->pointer);
	for (const struct cfg_node *n = top->child; n; n = n->next) {
		if (cfg_is(n, "domain"))
			ok &= parse_domain(c, n);
		else if (cfg_is(n, "policy"))
			ok &= parse_policy(c, n);
		else if (cfg_is(n, "global-key"))
			ok &= parse_global_key(c, n);
		else {
			log("error: config:%u: unknown node <%s>", n->line, n->type);
			ok = false;
		}
	}
	for (unsigned i = 0; c->xray_key && i < c->nglobal_keys; i++)
		if (c->global_keys[i].code == c->xray_key || c->global_keys[i].modifier == c->xray_key) {
			log("error: config:%u: the x-ray key cannot be a global key or modifier",
			    top->line);
			ok = false;
		}
	return ok;
}

/* ROM "focus" (config focus="rom"): <focus label="..."/> names the
 * session that gets the keys (an empty or other ROM: no focus). */
static void on_focus_rom(void *arg)
{
	const char *l;

	(void)arg;
	config_rom_update(&focus_rom);
	if (!focus_from_rom)
		return;        /* a config change made it focus="click" */
	l = focus_rom.node && cfg_is(focus_rom.node, "focus") ? cfg_attr(focus_rom.node, "label") : 0;
	focus_label[0] = 0;
	if (l && strlen(l) < sizeof(focus_label))
		memcpy(focus_label, l, strlen(l) + 1);
	else if (l)
		log("error: focus ROM: label too long");
	for (struct gui_client *g = clients; g; g = g->next)
		if (!g->dying && focus_label[0] && !strcmp(g->ss.label, focus_label) &&
		    g->domain->focus != FOCUS_NONE) {
			input_set_focus(g);
			return;
		}
	input_set_focus(0);
}

/* The labels' font: ROM "font" (a TrueType file, e.g. DejaVuSans.ttf of
 * the dejavu port), opened when a config first names an x-ray key.
 * Without it the x-ray bars carry no text (logged). */
static void open_font(void)
{
	static struct attached_rom rom;
	static bool tried;
	const char *err = "no such ROM";
	rpc_status_t st;

	if (tried)
		return;
	tried = true;
	st = attached_rom_open(&rom, "font");
	if (st == RPC_OK && rom.data)
		label_font = gui_font_new(rom.data, rom.size, LABEL_PX, 0, &err);
	if (!label_font) {
		log("warning: the x-ray labels are drawn without text: ROM \"font\": %s",
		    st == RPC_OK ? err : rpc_status_name(st));
		if (st == RPC_OK)
			attached_rom_close(&rom);
	}
}

/* Views in the order of their domains' layers (the back first), each
 * layer's views in the order they had (a stable insertion sort). */
static void restack(void)
{
	for (unsigned i = 1; i < nstack; i++) {
		struct view *v = stack[i];
		unsigned j = i;

		while (j > 0 && stack[j - 1]->owner->domain->layer < v->owner->domain->layer) {
			stack[j] = stack[j - 1];
			j--;
		}
		stack[j] = v;
	}
}

/* Put the whole config c in force: each session gets the domain the new
 * policies give its label (one that none matches any more keeps its
 * domain as it was until it closes), the views are stacked by the new
 * layers, and the whole screen is composed anew. */
static void apply_config(const struct gui_config *c)
{
	bool was_rom = focus_from_rom;

	if (c != &cur)
		memcpy(&cur, c, sizeof(cur));
	background = cur.background;
	if (xray && cur.xray_key != xray_key)
		xray = false;        /* its key is no longer held as the x-ray key */
	xray_key = cur.xray_key;
	pointer_shown = cur.pointer;
	focus_from_rom = cur.focus_rom;
	memcpy(global_keys, cur.global_keys, sizeof(global_keys));
	nglobal_keys = cur.nglobal_keys;
	for (struct gui_client *g = clients; g; g = g->next) {
		const struct domain *d = domain_of(g->ss.label);

		if (d)
			g->dom = *d;
		else
			log("gui session %lu for \"%s\": no <policy> matches its label any more, it "
			    "keeps domain %s until it closes", g->ss.id, g->ss.label, g->dom.name);
	}
	restack();
	if (xray_key)
		open_font();
	if (focus_from_rom && !was_rom)
		on_focus_rom(0);
	redraw_all();
	input_layout_changed();
	log("%u domains, %u policies, %u global keys, x-ray key %s, focus by %s", cur.ndomains,
	    cur.npolicies, nglobal_keys, xray_key ? key_name(xray_key) : "none",
	    focus_from_rom ? "the focus ROM" : "click");
}

/* The config ROM as it is now, parsed into a scratch copy and put in
 * force only when it is whole (an empty ROM: the defaults, no domains).
 * false: it was logged what is wrong, nothing changed. */
static bool load_config(void)
{
	static struct gui_config next;
	rpc_status_t st;

	memset(&next, 0, sizeof(next));
	next.background = DEFAULT_BACKGROUND;
	next.pointer = true;
	if (config.node && !parse_config(&next, config.node))
		return false;
	if (!config.node && config.err.msg) {
		log("error: config:%u:%u: %s", config.err.line, config.err.col, config.err.msg);
		return false;
	}
	if (!config.node && config.heap_failed) {
		log("error: config: no heap to parse it");
		return false;
	}
	if (next.focus_rom && !focus_rom_open) {
		st = config_rom_open(&focus_rom, "focus", &env->ep, on_focus_rom, 0);
		if (st != RPC_OK) {
			log("error: config focus=\"rom\" but no ROM \"focus\": %s", rpc_status_name(st));
			return false;
		}
		focus_rom_open = true;
	}
	apply_config(&next);
	return true;
}

static void on_config(void *arg)
{
	(void)arg;
	if (!config_open)
		return;
	config_rom_update(&config);
	if (!load_config())
		log("warning: config: not taken, the last good config stays in force");
}

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	/* without a config ROM: the defaults (every Gui session denied) */
	config_open = config_rom_open(&config, "config", &env->ep, on_config, 0) == RPC_OK;
	if (config_open && !load_config())
		component_exit(1);
	if (!config_open)
		apply_config(&cur);
	gui_server.ep = &env->ep;
	capture_server.ep = &env->ep;
	st = session_server_announce(&capture_server);
	if (st == RPC_OK)
		st = session_server_announce(&gui_server);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(2);
	}
	input_announce(&env->ep);
}
