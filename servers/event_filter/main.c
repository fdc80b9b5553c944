/*
 * event_filter (docs/devices.md, "Input"): serves Event sessions to input
 * drivers (ps2, virtio_input, several at once: their events merged in the
 * order their batches come) and passes the filtered events on through
 * Event sessions of its own (filter.h): every event to the session
 * labelled "focus" (today servers/event, later the GUI server), except
 * the global keys, each to the session labelled after its target. A
 * press that gives a character under the keymap is followed by a char
 * event; the key repeat repeats it, driven by a Timer session.
 *
 *   <config keymap="us" delay_ms="500" rate_ms="40" log="no">   (log: every
 *                                                             input event)
 *     <remap from="CAPSLOCK" to="LEFTCTRL"/>
 *     <global key="F12" target="gui"/>
 *   </config>
 *
 * The config is read again whenever it changes (a new keymap applies to
 * the next key); a config with an error is logged and not applied (the
 * old one stays). The service is announced once the first config is
 * there (its ROM may be a report written later). Trusts its parent and core; the drivers for nothing (a
 * batch is copied before it is checked, refused whole like servers/event
 * does), the downstream servers for their answers only.
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/ram_buf.h>
#include <argil/session_server.h>
#include <argil/string.h>
#include <event_session.h>
#include <timer_session.h>
#include "filter.h"

#define REPEAT_MAX_MS 10000

struct session {
	struct server_session ss;
	struct event_sink sink;      /* the buffer shared with the source, the sequence */
	struct filter_source src;    /* the keys this source holds */
};

static struct component_env *env;
static struct config_rom config;
static struct filter filter;
static struct filter_config next_cfg;
static bool configured, log_events;
static struct event_connection focus, globals[FILTER_GLOBALS_MAX];
static bool global_open[FILTER_GLOBALS_MAX];
static char global_label[FILTER_GLOBALS_MAX][FILTER_TARGET_MAX];
static struct timer_connection timer;
static struct signal_handler timer_sig;
static struct input_event batch[EVENT_BATCH_MAX];

/* ---- output ---- */

static struct event_connection *dest(unsigned d)
{
	if (d == 0)
		return &focus;
	if (d - 1 < filter.cfg.globals && global_open[d - 1])
		return &globals[d - 1];
	return 0;
}

static void emit(const struct filter_out *o)
{
	struct event_connection *c = dest(o->dest);

	if (!c) {
		log("error: no Event session for global key target '%s'",
		    filter.cfg.global[o->dest - 1].target);
		return;
	}
	event_put(c, &o->ev);
}

static void flush_all(void)
{
	rpc_status_t st = event_flush(&focus);

	if (st != RPC_OK)
		log("error: focus: events not taken: %s", rpc_status_name(st));
	for (unsigned i = 0; i < filter.cfg.globals; i++)
		if (global_open[i] && (st = event_flush(&globals[i])) != RPC_OK)
			log("error: %s: events not taken: %s", filter.cfg.global[i].target,
			    rpc_status_name(st));
}

/* the repeat: armed after a press with a character, re-armed at each
 * expiry while the key is held; a stale expiry finds nothing to repeat */
static void arm_repeat(uint32_t ms)
{
	rpc_status_t st = timer_trigger_once(timer.session, (word_t)ms * 1000);

	if (st != RPC_OK)
		log("error: key repeat: timer: %s", rpc_status_name(st));
}

static void on_timer(void *arg)
{
	struct filter_out o;

	(void)arg;
	if (!filter_repeat(&filter, &o))
		return;
	emit(&o);
	flush_all();
	arm_repeat(filter.cfg.rate_ms);
}

/* ---- Event sessions of the drivers ---- */

static void log_input(const char *source, const struct input_event *e)
{
	const char *k = key_name(e->code);

	if (e->type == INPUT_PRESS || e->type == INPUT_RELEASE)
		log("%s: %s %s", source, input_type_name(e->type), k ? k : "(unnamed)");
	else
		log("%s: %s %d %d", source, input_type_name(e->type), e->x, e->y);
}

static rpc_status_t do_dataspace(struct event_dataspace_call *c)
{
	struct session *s = c->obj;

	event_sink_dataspace(&s->sink, &c->out.ds, &c->out.size);
	return RPC_OK;
}

static rpc_status_t do_submit(struct event_submit_call *c)
{
	struct session *s = c->obj;
	struct filter_out out[FILTER_OUT_MAX];
	unsigned starts = filter.repeat_starts;
	word_t n;
	rpc_status_t st = event_sink_take(&s->sink, c->in.count, c->in.seq, false, batch, &n);

	if (st != RPC_OK)
		return st;
	for (word_t i = 0; i < n; i++) {
		if (log_events)
			log_input(s->ss.label, &batch[i]);
		unsigned m = filter_source_input(&filter, &s->src, &batch[i], out);
		for (unsigned j = 0; j < m; j++)
			emit(&out[j]);
	}
	flush_all();
	if (filter_repeating(&filter) && filter.repeat_starts != starts)
		arm_repeat(filter.cfg.delay_ms);
	return RPC_OK;
}

RPC_SERVER(event, EVENT_RPC)

static const struct event_server ops = {
	.event_dataspace = do_dataspace,
	.event_submit = do_submit,
};

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	event_dispatch(&ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t create(struct session_server *srv, struct server_session *ss, const char *args)
{
	struct session *s = (struct session *)ss;
	rpc_status_t st;

	(void)srv;
	(void)args;
	st = event_sink_open(&s->sink, &ss->budget);
	if (st != RPC_OK)
		return st;
	memset(&s->src, 0, sizeof(s->src));
	log("source \"%s\" connected", ss->label);
	return RPC_OK;
}

/* A source gone (a driver restarted): its held keys are released, so
 * that no modifier stays stuck. */
static void destroy(struct session_server *srv, struct server_session *ss)
{
	struct session *s = (struct session *)ss;
	struct filter_out out[FILTER_OUT_MAX];
	unsigned n, released = 0;

	(void)srv;
	while (filter_source_release(&filter, &s->src, out, &n)) {
		for (unsigned j = 0; j < n; j++)
			emit(&out[j]);
		released++;
	}
	flush_all();
	event_sink_close(&s->sink);
	log("source \"%s\" gone, %u held keys released", ss->label, released);
}

static struct session_server server = {
	.service = EVENT_SERVICE,
	.size = sizeof(struct session),
	.ram = EVENT_SESSION_RAM,
	.caps = EVENT_SESSION_CAPS,
	.create = create,
	.destroy = destroy,
	.rpc = session_rpc,
};

/* ---- config ---- */

static bool parse_ms(const struct cfg_node *n, const char *name, uint64_t def, uint32_t *out)
{
	uint64_t v;

	if (cfg_attr_u64(n, name, def, &v) < 0 || v > REPEAT_MAX_MS) {
		log("error: config: %s must be a number of milliseconds up to %u", name, REPEAT_MAX_MS);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* The config into next_cfg; false (logged) on an error. */
static bool parse_config(const struct cfg_node *n)
{
	static const char *known[] = { "keymap", "delay_ms", "rate_ms", "log" };
	struct filter_config *c = &next_cfg;
	const char *km = cfg_attr(n, "keymap");
	bool ok = true;

	memset(c, 0, sizeof(*c));
	for (const struct cfg_attr *a = n->attrs; a; a = a->next) {
		bool found = false;
		for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			found |= !strcmp(a->name, known[i]);
		if (!found) {
			log("error: config: unknown attribute '%s'", a->name);
			ok = false;
		}
	}
	c->keymap = keymap_find(km ? km : "us");
	if (!c->keymap) {
		log("error: config: unknown keymap '%s' (known: %s)", km, keymap_names());
		ok = false;
	}
	ok &= parse_ms(n, "delay_ms", 500, &c->delay_ms);
	ok &= parse_ms(n, "rate_ms", 40, &c->rate_ms);
	if (c->rate_ms && c->delay_ms == 0) {
		log("error: config: delay_ms must not be 0 with a key repeat");
		ok = false;
	}
	if (cfg_attr_bool(n, "log", false, &log_events) < 0) {
		log("error: config: log must be yes or no");
		ok = false;
	}
	for (const struct cfg_node *s = n->child; s; s = s->next) {
		if (!strcmp(s->type, "remap")) {
			unsigned from = filter_key_code(cfg_attr(s, "from"));
			unsigned to = filter_key_code(cfg_attr(s, "to"));
			if (!from || !to) {
				log("error: config: remap from=\"%s\" to=\"%s\": unknown key",
				    cfg_attr(s, "from") ? cfg_attr(s, "from") : "",
				    cfg_attr(s, "to") ? cfg_attr(s, "to") : "");
				ok = false;
				continue;
			}
			c->remap[from] = (uint16_t)to;
		} else if (!strcmp(s->type, "global")) {
			unsigned key = filter_key_code(cfg_attr(s, "key"));
			const char *t = cfg_attr(s, "target");
			if (!key || !t || !*t || strlen(t) >= FILTER_TARGET_MAX ||
			    !strcmp(t, "focus") || c->globals == FILTER_GLOBALS_MAX) {
				log("error: config: global key=\"%s\" target=\"%s\": needs a known key and "
				    "a target name (not 'focus', below %u bytes), at most %u",
				    cfg_attr(s, "key") ? cfg_attr(s, "key") : "", t ? t : "",
				    FILTER_TARGET_MAX, FILTER_GLOBALS_MAX);
				ok = false;
				continue;
			}
			c->global[c->globals].key = (uint16_t)key;
			memcpy(c->global[c->globals].target, t, strlen(t) + 1);
			c->globals++;
		} else {
			log("error: config: unknown node <%s>", s->type);
			ok = false;
		}
	}
	return ok;
}

/* The Event sessions of next_cfg's global key targets: session i is
 * global key i's; one whose target changed is opened again. */
static void open_globals(void)
{
	for (unsigned i = 0; i < next_cfg.globals; i++) {
		const char *t = next_cfg.global[i].target;
		if (global_open[i] && !strcmp(global_label[i], t))
			continue;
		if (global_open[i]) {
			event_disconnect(&globals[i]);
			global_open[i] = false;
		}
		rpc_status_t st = event_connect(&globals[i], t);
		if (st != RPC_OK) {
			log("error: no Event session for global key target '%s': %s", t, rpc_status_name(st));
			continue;
		}
		global_open[i] = true;
		memcpy(global_label[i], t, strlen(t) + 1);
	}
}

static unsigned remapped(const struct filter_config *c)
{
	unsigned r = 0;

	for (unsigned k = 0; k <= KEY_MAX; k++)
		r += c->remap[k] != 0;
	return r;
}

static void announce(void)
{
	rpc_status_t st;

	server.ep = &env->ep;
	st = session_server_announce(&server);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(2);
	}
}

/* A new config: applied when it checks, else logged and the old one
 * stays; until the first one comes (an empty config ROM, e.g. a report
 * not yet written) the service is not announced. */
static void apply_config(void)
{
	if (!config.node) {
		if (config.err.msg)
			log("error: config:%u:%u: %s", config.err.line, config.err.col, config.err.msg);
		else if (!configured)
			log("no config yet: waiting for one");
		return;
	}
	if (!parse_config(config.node)) {
		log("error: config not applied%s", configured ? ": the old one stays" : "");
		return;
	}
	if (configured)
		flush_all();
	open_globals();
	if (configured)
		filter_configure(&filter, &next_cfg);
	else
		filter_init(&filter, &next_cfg);
	log("keymap %s, repeat %s%u ms after %u ms, %u remapped, %u global keys",
	    keymap_name(filter.cfg.keymap), filter.cfg.rate_ms ? "every " : "off: ",
	    filter.cfg.rate_ms, filter.cfg.delay_ms, remapped(&filter.cfg), filter.cfg.globals);
	if (!configured)
		announce();
	configured = true;
}

static void on_config(void *arg)
{
	(void)arg;
	config_rom_update(&config);
	apply_config();
}

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	st = event_connect(&focus, "focus");
	if (st != RPC_OK) {
		log("error: no Event session for the focus: %s", rpc_status_name(st));
		component_exit(1);
	}
	st = timer_connect(&timer, "repeat");
	if (st == RPC_OK)
		st = signal_handler_init(&env->ep, &timer_sig, on_timer, 0);
	if (st == RPC_OK)
		st = timer_connection_sigh(&timer, timer_sig.cap);
	if (st != RPC_OK) {
		log("error: no timer for the key repeat: %s", rpc_status_name(st));
		component_exit(1);
	}
	st = config_rom_open(&config, "config", &env->ep, on_config, 0);
	if (st != RPC_OK) {
		log("error: no config ROM: %s", rpc_status_name(st));
		component_exit(1);
	}
	apply_config();
}
