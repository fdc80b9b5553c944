/*
 * event: the input multiplexer's first form (docs/devices.md, "Input").
 * Input drivers submit batches of events through Event sessions
 * (event_session.h); the server checks every batch, numbers the events
 * per session, logs them (config log="yes") and publishes the last
 * EVENTS_KEPT of all sessions with the total count as the `events` report
 * (config report="yes", the default). Later issues grow it into the GUI's
 * event filter.
 *
 * Trusts its parent and core; drivers for nothing: a batch is copied out
 * of the shared buffer before it is checked, and refused whole when any
 * event or its sequence number is wrong.
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/ram_buf.h>
#include <argil/session_server.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <event_session.h>
#include <report_session.h>

#define EVENTS_KEPT 64
#define REPORT_SIZE (16 * 1024)

struct session {
	struct server_session ss;
	struct event_sink sink;  /* the buffer shared with the source, the sequence */
};

struct kept {
	struct input_event ev;
	uint64_t seq;
	char source[64];
};

static struct component_env *env;
static bool log_events, report_events = true;
static struct reporter reporter;
static bool reporting;
static struct kept kept[EVENTS_KEPT];
static uint64_t total;
static struct input_event batch[EVENT_BATCH_MAX];
static char report_buf[REPORT_SIZE];

static void describe(const struct input_event *e, char *out, size_t size)
{
	const char *k = key_name(e->code);

	if (e->type == INPUT_PRESS || e->type == INPUT_RELEASE) {
		if (k)
			snprintf(out, size, "%s %s", input_type_name(e->type), k);
		else
			snprintf(out, size, "%s 0x%x", input_type_name(e->type), e->code);
	} else if (e->type == INPUT_CHAR) {
		snprintf(out, size, "char U+%04X%s", e->code, e->x ? " repeat" : "");
	} else {
		snprintf(out, size, "%s %d %d", input_type_name(e->type), e->x, e->y);
	}
}

static void publish(void)
{
	struct cfg_writer w;
	uint64_t first = total > EVENTS_KEPT ? total - EVENTS_KEPT : 0;
	char num[24];

	if (!reporting)
		return;
	cfg_writer_init(&w, report_buf, sizeof(report_buf));
	cfg_node_begin(&w, "events");
	cfg_node_attr_u64(&w, "total", total);
	for (uint64_t i = first; i < total; i++) {
		const struct kept *k = &kept[i % EVENTS_KEPT];
		const char *name = key_name(k->ev.code);
		cfg_node_begin(&w, "event");
		cfg_node_attr(&w, "source", k->source);
		cfg_node_attr_u64(&w, "seq", k->seq);
		cfg_node_attr(&w, "type", input_type_name(k->ev.type));
		if (k->ev.type == INPUT_PRESS || k->ev.type == INPUT_RELEASE) {
			snprintf(num, sizeof(num), "0x%x", k->ev.code);
			cfg_node_attr(&w, "code", num);
			if (name)
				cfg_node_attr(&w, "key", name);
		} else if (k->ev.type == INPUT_CHAR) {
			snprintf(num, sizeof(num), "U+%04X", k->ev.code);
			cfg_node_attr(&w, "char", num);
			if (k->ev.x)
				cfg_node_attr(&w, "repeat", "yes");
		} else {
			snprintf(num, sizeof(num), "%d", k->ev.x);
			cfg_node_attr(&w, "x", num);
			snprintf(num, sizeof(num), "%d", k->ev.y);
			cfg_node_attr(&w, "y", num);
		}
		cfg_node_end(&w);
	}
	cfg_node_end(&w);
	if (!cfg_writer_ok(&w)) {
		log("error: events report does not fit %u bytes", REPORT_SIZE);
		return;
	}
	if (reporter_submit(&reporter, report_buf, strlen(report_buf)) != RPC_OK)
		log("error: events report not submitted");
}

/* ---- Event sessions ---- */

static rpc_status_t do_dataspace(struct event_dataspace_call *c)
{
	struct session *s = c->obj;

	event_sink_dataspace(&s->sink, &c->out.ds, &c->out.size);
	return RPC_OK;
}

static rpc_status_t do_submit(struct event_submit_call *c)
{
	struct session *s = c->obj;
	uint64_t first = s->sink.seq;
	word_t n;
	char text[64];
	rpc_status_t st = event_sink_take(&s->sink, c->in.count, c->in.seq, true, batch, &n);

	if (st != RPC_OK)
		return st;
	for (word_t i = 0; i < n; i++) {
		struct kept *k = &kept[total % EVENTS_KEPT];
		k->ev = batch[i];
		k->seq = first + i;
		snprintf(k->source, sizeof(k->source), "%s", s->ss.label);
		total++;
		if (log_events) {
			describe(&batch[i], text, sizeof(text));
			log("%s: %lu %s", s->ss.label, (unsigned long)k->seq, text);
		}
	}
	publish();
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
	if (log_events)
		log("session %lu for \"%s\"", ss->id, ss->label);
	return RPC_OK;
}

static void destroy(struct session_server *srv, struct server_session *ss)
{
	(void)srv;
	if (log_events)
		log("closed session %lu for \"%s\" after %lu events", ss->id, ss->label,
		    (unsigned long)((struct session *)ss)->sink.seq);
	event_sink_close(&((struct session *)ss)->sink);
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

static bool check_config(const struct cfg_node *n)
{
	static const char *const names[] = { "log", "report", 0 };
	bool ok = cfg_attrs_known(n, names);

	ok &= cfg_bool(n, "log", false, &log_events);
	ok &= cfg_bool(n, "report", true, &report_events);
	return ok;
}

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	if (!config_read_once(check_config))
		component_exit(1);
	if (report_events) {
		st = reporter_open(&reporter, "events", REPORT_SIZE);
		if (st == RPC_OK)
			reporting = true;
		else
			log("error: no events report: %s", rpc_status_name(st));
	}
	server.ep = &env->ep;
	st = session_server_announce(&server);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(2);
	}
	publish();
}
