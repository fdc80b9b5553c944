/*
 * event_filter_switch: run/input_test's config writer. Writes the event
 * filter's config as the report "event_filter.config" (report_rom serves
 * it to event_filter as its config ROM): first the one of phase 1, then,
 * once the event server's `events` report shows the phase's end marker
 * (a press of F9 that event_filter passed to its focus), the one of
 * phase 2, which differs in the keymap: the keymap changed while running.
 *
 * Config: <config> <phase keymap="us"/> <phase keymap="de"/> </config>
 * (each phase's config is the <phase> node's content, its attributes
 * copied).
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/string.h>
#include <report_session.h>

#define REPORT_SIZE 4096

static struct config_rom config, events;
static struct reporter out;
static char buf[REPORT_SIZE];
static unsigned phase;

static bool write_phase(unsigned n)
{
	const struct cfg_node *p = config.node ? cfg_child(config.node, "phase") : 0;
	struct cfg_writer w;

	for (unsigned i = 0; p && i < n; i++)
		p = cfg_next(p, "phase");
	if (!p)
		return false;
	cfg_writer_init(&w, buf, sizeof(buf));
	cfg_node_begin(&w, "config");
	for (const struct cfg_attr *a = p->attrs; a; a = a->next)
		cfg_node_attr(&w, a->name, a->value);
	for (const struct cfg_node *c = p->child; c; c = c->next) {
		cfg_node_begin(&w, c->type);
		for (const struct cfg_attr *a = c->attrs; a; a = a->next)
			cfg_node_attr(&w, a->name, a->value);
		cfg_node_end(&w);
	}
	cfg_node_end(&w);
	if (!cfg_writer_ok(&w) || reporter_submit(&out, buf, strlen(buf)) != RPC_OK) {
		log("error: phase %u: config not written", n + 1);
		return false;
	}
	log("phase %u: event_filter config written", n + 1);
	return true;
}

static void on_events(void *arg)
{
	(void)arg;
	config_rom_update(&events);
	if (!events.node || phase != 1)
		return;
	for (const struct cfg_node *e = cfg_child(events.node, "event"); e; e = cfg_next(e, "event"))
		if (cfg_attr_is(e, "source", "event_filter -> focus") && cfg_attr_is(e, "type", "press") &&
		    cfg_attr_is(e, "key", "F9")) {
			phase = 2;
			write_phase(1);
			return;
		}
}

void component_construct(struct component_env *env)
{
	rpc_status_t st;

	if (config_rom_open(&config, "config", 0, 0, 0) != RPC_OK || !config.node) {
		log("error: no config");
		component_exit(1);
	}
	st = reporter_open(&out, "event_filter.config", REPORT_SIZE);
	if (st != RPC_OK) {
		log("error: no report: %s", rpc_status_name(st));
		component_exit(1);
	}
	if (!write_phase(0))
		component_exit(1);
	phase = 1;
	st = config_rom_open(&events, "events", &env->ep, on_events, 0);
	if (st != RPC_OK) {
		log("error: no events ROM: %s", rpc_status_name(st));
		component_exit(1);
	}
	on_events(0);
}
