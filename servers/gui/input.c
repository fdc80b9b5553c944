/*
 * Input (docs/gui.md, "Input"): the GUI server serves Event sessions
 * (event_session.h) to event_filter or to input drivers directly and
 * routes each event:
 *
 *   - the x-ray key (config xray_key): never delivered; x-ray is on
 *     while it is held;
 *   - a global key (<global-key name modifier label/>): its press and
 *     release and the characters that follow its press to the session of
 *     that label only (dropped while there is none), never to the focus.
 *     A rule with a modifier applies when the key is pressed while the
 *     modifier is held (the first such rule in the config's order), else
 *     a rule without one; the modifier itself is routed as any key (to
 *     the focus unless it is a global key itself);
 *   - other keys, characters and the wheel: to the focused session; a
 *     release goes where its press went, a character where the last
 *     press went;
 *   - relative motion moves the pointer (clamped to the screen), an
 *     absolute position (0..INPUT_ABS_MAX) is scaled to the screen; the
 *     session under the pointer gets GUI_EV_POINTER (code: its view
 *     there) and GUI_EV_LEAVE when the pointer leaves its views;
 *   - buttons: to the session under the pointer at the first press, and
 *     to it (GUI_EV_POINTER too) until the last button is released (the
 *     implicit grab); the first press also focuses a session of a
 *     focus="click" domain (focus="transient": until the release; not
 *     with config focus="rom", where the ROM "focus" decides).
 *
 * Each session has a queue of GUI_INPUT_QUEUE events; what does not fit
 * is dropped and counted (GUI_INPUT_FETCH says how many).
 */
#include <argil/log.h>
#include <argil/ram_buf.h>
#include <argil/string.h>
#include <event_session.h>
#include "gui.h"

#define BUTTON_FIRST 0x110u
#define BUTTON_LAST 0x11fu

struct event_sess {
	struct server_session ss;
	struct event_sink sink;  /* the buffer shared with the driver, the sequence */
};

long pointer_x, pointer_y;
bool pointer_seen;
struct gui_client *focused;
static struct gui_client *grab, *hovered, *char_dest, *transient_prev;
static bool transient;
static uint32_t buttons;             /* bit i: button BUTTON_FIRST + i held */
static struct gui_client *key_dest[KEY_MAX + 1];
static bool held[KEY_MAX + 1];       /* pressed, not yet released */
static struct input_event batch[EVENT_BATCH_MAX];

void client_post(struct gui_client *g, uint32_t type, uint32_t code, int32_t x, int32_t y)
{
	if (!g || g->dying)
		return;
	if (g->count == GUI_INPUT_QUEUE) {
		g->dropped++;
		return;
	}
	g->queue[(g->head + g->count) % GUI_INPUT_QUEUE] =
		(struct input_event){ .type = type, .code = code, .x = x, .y = y };
	g->count++;
	if (g->input_sigh && !g->signalled) {
		g->signalled = true;
		signal_submit(g->input_sigh);
	}
}

void input_set_focus(struct gui_client *g)
{
	if (g == focused)
		return;
	client_post(focused, GUI_EV_FOCUS, 0, 0, 0);
	focused = g;
	client_post(focused, GUI_EV_FOCUS, 0, 1, 0);
	if (xray)
		redraw_all();        /* the dimming follows the focus */
}

struct view *view_at(long x, long y)
{
	for (unsigned i = nstack; i-- > 0;) {
		struct view *v = stack[i];
		struct rect r = view_rect(v);
		/* a view that follows the pointer is never under it */
		if (v->owner->domain->origin == ORIGIN_POINTER)
			continue;
		if (x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)
			return v;
	}
	return 0;
}

/* The handle of g's view under the pointer (GUI_NO_VIEW: none). */
static uint32_t handle_under(struct gui_client *g)
{
	struct view *v = view_at(pointer_x, pointer_y);

	return v && v->owner == g ? (uint32_t)(v - g->views) : GUI_NO_VIEW;
}

/* Tell the session under the pointer (the grab's holder during a drag)
 * where it is, and the one it left that it left. */
static void deliver_pointer(bool moved)
{
	struct view *v = view_at(pointer_x, pointer_y);
	struct gui_client *target = grab ? grab : v ? v->owner : 0;

	if (hovered && hovered != target)
		client_post(hovered, GUI_EV_LEAVE, 0, 0, 0);
	if (target && (moved || target != hovered))
		client_post(target, GUI_EV_POINTER, handle_under(target), (int32_t)pointer_x,
			    (int32_t)pointer_y);
	hovered = target;
}

void input_layout_changed(void)
{
	if (pointer_seen)
		deliver_pointer(false);
}

static void redraw_pointer_views(void)
{
	for (unsigned i = 0; i < nstack; i++)
		if (stack[i]->owner->domain->origin == ORIGIN_POINTER) {
			struct rect r = view_footprint(stack[i]);
			redraw(&r);
		}
}

static void move_pointer(long x, long y)
{
	long w, h;
	struct rect old = pointer_rect();

	screen_size(&w, &h);
	x = x < 0 ? 0 : x >= w ? w - 1 : x;
	y = y < 0 ? 0 : y >= h ? h - 1 : y;
	if (w <= 0 || h <= 0)
		x = y = 0;
	redraw_pointer_views();
	pointer_x = x;
	pointer_y = y;
	pointer_seen = true;
	redraw_pointer_views();
	redraw(&old);
	old = pointer_rect();
	redraw(&old);
	deliver_pointer(true);
}

static struct gui_client *client_labelled(const char *label)
{
	for (struct gui_client *g = clients; g; g = g->next)
		if (!g->dying && !strcmp(g->ss.label, label))
			return g;
	return 0;
}

/* The rule for a press of code: the first whose modifier is held, else
 * the one without a modifier (NULL: none). */
static const struct global_key *global_of(unsigned code)
{
	const struct global_key *plain = 0;

	for (unsigned i = 0; i < nglobal_keys; i++) {
		const struct global_key *g = &global_keys[i];
		if (g->code != code)
			continue;
		if (g->modifier && held[g->modifier])
			return g;
		if (!g->modifier && !plain)
			plain = g;
	}
	return plain;
}

static void button(const struct input_event *e)
{
	uint32_t bit = 1u << (e->code - BUTTON_FIRST);

	if (e->type == INPUT_PRESS) {
		if (buttons & bit)
			return;
		if (!buttons) {
			struct view *v = view_at(pointer_x, pointer_y);
			grab = v ? v->owner : 0;
			if (grab && !focus_from_rom && grab->domain->focus == FOCUS_CLICK)
				input_set_focus(grab);
			else if (grab && !focus_from_rom && grab->domain->focus == FOCUS_TRANSIENT &&
				 grab != focused) {
				transient_prev = focused;
				transient = true;
				input_set_focus(grab);
			}
		}
		buttons |= bit;
		client_post(grab, e->type, e->code, 0, 0);
		return;
	}
	if (!(buttons & bit))
		return;
	buttons &= ~bit;
	client_post(grab, e->type, e->code, 0, 0);
	if (buttons)
		return;
	grab = 0;
	if (transient) {
		transient = false;
		input_set_focus(transient_prev);
		transient_prev = 0;
	}
	deliver_pointer(false);
}

static void key(const struct input_event *e)
{
	const struct global_key *gk;
	struct gui_client *dest;

	if (e->code == xray_key) {
		bool on = e->type == INPUT_PRESS;
		char_dest = 0;   /* a character of the key goes nowhere */
		if (on != xray) {
			xray = on;
			redraw_all();
		}
		return;
	}
	if (e->type == INPUT_PRESS) {
		/* a repeated press (the key still held) goes where the first
		 * went, whatever the modifiers do meanwhile: press and release
		 * always reach the same session */
		if (!held[e->code]) {
			gk = global_of(e->code);
			key_dest[e->code] = gk ? client_labelled(gk->label) : focused;
			held[e->code] = true;
		}
		dest = key_dest[e->code];
		char_dest = dest;
		client_post(dest, INPUT_PRESS, e->code, 0, 0);
		return;
	}
	client_post(key_dest[e->code], INPUT_RELEASE, e->code, 0, 0);
	key_dest[e->code] = 0;
	held[e->code] = false;
}

static void route(const struct input_event *e)
{
	long w, h;

	switch (e->type) {
	case INPUT_PRESS:
	case INPUT_RELEASE:
		if (e->code >= BUTTON_FIRST && e->code <= BUTTON_LAST)
			button(e);
		else
			key(e);
		break;
	case INPUT_CHAR:
		client_post(char_dest, INPUT_CHAR, e->code, e->x, 0);
		break;
	case INPUT_WHEEL:
		client_post(focused, INPUT_WHEEL, 0, e->x, e->y);
		break;
	case INPUT_MOTION:
		move_pointer(pointer_x + e->x, pointer_y + e->y);
		break;
	case INPUT_ABSOLUTE:
		screen_size(&w, &h);
		move_pointer((long)e->x * (w - 1) / INPUT_ABS_MAX, (long)e->y * (h - 1) / INPUT_ABS_MAX);
		break;
	}
}

void input_client_gone(struct gui_client *g)
{
	if (focused == g)
		focused = 0;
	if (grab == g)
		grab = 0;
	if (hovered == g)
		hovered = 0;
	if (char_dest == g)
		char_dest = 0;
	if (transient_prev == g)
		transient_prev = 0;
	for (unsigned k = 0; k <= KEY_MAX; k++)
		if (key_dest[k] == g)
			key_dest[k] = 0;
}

/* ---- Event sessions ---- */

static rpc_status_t do_dataspace(struct event_dataspace_call *c)
{
	struct event_sess *s = c->obj;

	event_sink_dataspace(&s->sink, &c->out.ds, &c->out.size);
	return RPC_OK;
}

static rpc_status_t do_submit(struct event_submit_call *c)
{
	struct event_sess *s = c->obj;
	word_t n;
	rpc_status_t st = event_sink_take(&s->sink, c->in.count, c->in.seq, true, batch, &n);

	for (word_t i = 0; st == RPC_OK && i < n; i++)
		route(&batch[i]);
	return st;
}

RPC_SERVER(event, EVENT_RPC)

static const struct event_server event_ops = {
	.event_dataspace = do_dataspace,
	.event_submit = do_submit,
};

static void event_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	event_dispatch(&event_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t event_create(struct session_server *srv, struct server_session *ss,
				 const char *args)
{
	struct event_sess *s = (struct event_sess *)ss;
	rpc_status_t st;

	(void)srv;
	(void)args;
	st = event_sink_open(&s->sink, &ss->budget);
	if (st != RPC_OK)
		return st;
	log("event session %lu for \"%s\"", ss->id, ss->label);
	return RPC_OK;
}

static void event_destroy(struct session_server *srv, struct server_session *ss)
{
	(void)srv;
	event_sink_close(&((struct event_sess *)ss)->sink);
}

static struct session_server event_server = {
	.service = EVENT_SERVICE,
	.size = sizeof(struct event_sess),
	.ram = EVENT_SESSION_RAM,
	.caps = EVENT_SESSION_CAPS,
	.create = event_create,
	.destroy = event_destroy,
	.rpc = event_rpc,
};

void input_announce(struct entrypoint *ep)
{
	rpc_status_t st;

	event_server.ep = ep;
	st = session_server_announce(&event_server);
	if (st != RPC_OK)
		log("error: cannot serve Event: %s", rpc_status_name(st));
}
