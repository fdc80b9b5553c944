/*
 * init's runtime: reads its config ROM, builds the model (model.h), starts
 * every child through core's services (base's child_start), serves the
 * parent interface for its children and routes their session requests
 * (route.h) to its own parent, to a child server or to itself (a child's
 * embedded <config> as ROM). Trusts core; trusts nothing its children send.
 *
 * Heartbeats (heartbeat.c) use a Timer session at init's parent.
 * Quota of a session served by init itself (the config ROM) stays with
 * the child.
 */
#include "runtime.h"
#include "text.h"

#include <argil/printf.h>
#include <arch/syscall.h>

struct init_rt rt;

/* A figure of run/init_bench: "<name>_<n>" (bench_line, argil/printf.h). */
void rt_bench_line(const char *name, unsigned n, uint64_t instructions)
{
	char full[64];

	snprintf(full, sizeof(full), "%s_%u", name, n);
	bench_line(full, (unsigned long)instructions, "instructions");
}

/* What of an account is free beyond init's reserve: INIT_RESERVE_RAM and
 * _CAPS (model.h); <config reserve_ram> (read at start) replaces the RAM
 * figure. */
static word_t spare(word_t quota, word_t used, word_t reserve)
{
	return quota - used > reserve ? quota - used - reserve : 0;
}

/* One line once the children of the config have been started: how many
 * run, by name (as many names as fit a log line), and how many could not
 * be started (each has logged its error). */
static void log_running(void)
{
	/* room for ", and N more" and the count of failed children */
	enum { TAIL = 64 };
	char buf[PRINTF_BUF - 16];
	const char *sep = ": ";
	unsigned running = 0, failed = 0, listed = 0;
	struct text t;

	for (struct rt_child *ch = rt.children; ch; ch = ch->next) {
		running += ch->state == RT_RUNNING;
		failed += ch->state == RT_FAILED;
	}
	text_init(&t, buf, sizeof(buf));
	text_fmt(&t, "%u component%s running", running, running == 1 ? "" : "s");
	for (struct rt_child *ch = rt.children; ch; ch = ch->next) {
		if (ch->state != RT_RUNNING)
			continue;
		if (t.len + strlen(sep) + strlen(ch->name) + TAIL >= sizeof(buf)) {
			text_fmt(&t, ", and %u more", running - listed);
			break;
		}
		text_put(&t, sep);
		text_put(&t, ch->name);
		sep = ", ";
		listed++;
	}
	if (failed)
		text_fmt(&t, "; %u not started (see the errors above)", failed);
	log("%s", buf);
}

/* Nothing but NUL bytes and whitespace: a ROM nobody has written yet. */
static bool config_blank(const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i] && t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r')
			return false;
	return true;
}

void component_construct(struct component_env *env)
{
	struct pd_quota q;
	rpc_status_t st;

	rt.env = env;
	st = pd_quota(env->pd, &q);
	if (st != RPC_OK) {
		log("cannot read own quota: %s", rpc_status_name(st));
		return;
	}
	rt.budget.ram = spare(q.ram_quota, q.ram_used, INIT_RESERVE_RAM);
	rt.budget.caps = spare(q.cap_quota, q.cap_used, INIT_RESERVE_CAPS);
	st = rt_server_init();
	if (st != RPC_OK) {
		log("no signal handler: %s", rpc_status_name(st));
		return;
	}
	st = rt_fault_init();
	if (st == RPC_OK)
		st = rt_report_init();
	if (st == RPC_OK)
		st = rt_heartbeat_init();
	if (st != RPC_OK) {
		log("no signal handler: %s", rpc_status_name(st));
		return;
	}
	st = attached_rom_open(&rt.config, RT_CONFIG_ROM);
	if (st != RPC_OK) {
		log("no config ROM: %s", rpc_status_name(st));
		return;
	}
	/* A config that another component writes later (a report through
	 * report_rom, e.g. driver_manager's for the drivers subsystem) is
	 * empty until then: no children yet, and no error. */
	const char *text = rt.config.data ? rt.config.data : "";
	size_t len = rt.config.data ? rt.config.size : 0;
	if (config_blank(text, len)) {
		log("config '%s' is empty: no children until it is written", RT_CONFIG_ROM);
		text = "<config/>";
		len = 9;
	}
	if (init_model_build_text(&rt.model, text, len, 0,
				  rt.budget, &init_malloc_mem) != INIT_OK) {
		log("out of memory building the config model");
		return;
	}
	if (!rt.model.rejected && rt.model.reserve_ram && rt.model.reserve_ram != INIT_RESERVE_RAM) {
		/* the config sets init's reserve: grant the children anew */
		uint64_t reserve = rt.model.reserve_ram;

		init_model_free(&rt.model);
		rt.budget.ram = spare(q.ram_quota, q.ram_used, reserve);
		if (init_model_build_text(&rt.model, text, len, 0,
					  rt.budget, &init_malloc_mem) != INIT_OK) {
			log("out of memory building the config model");
			return;
		}
	}
	rt.have_model = 1;
	st = rt_reconfig_init();
	if (st != RPC_OK)
		log("config changes are not watched: %s", rpc_status_name(st));
	rt_log_errors(&rt.model);
	if (rt.model.rejected) {
		log("config '%s' rejected: no children started", RT_CONFIG_ROM);
		return;
	}
	log("config: %u children, %lu of %lu bytes RAM and %lu of %lu caps assigned",
	    rt.model.n_children, (unsigned long)rt.model.ram_assigned, (unsigned long)rt.budget.ram,
	    (unsigned long)rt.model.caps_assigned, (unsigned long)rt.budget.caps);
	uint64_t t0 = rdtsc();
	unsigned started = 0;
	for (unsigned i = 0; i < rt.model.n_children; i++) {
		struct rt_child *ch = rt_child_start(rt.model.children[i]);
		started += ch && ch->state == RT_RUNNING;
	}
	if (rt.model.bench) {
		/* under -icount shift=0 the TSC counts instructions (bench/README.md) */
		rt_bench_line("init_start", started, rdtsc() - t0);
		rt_report_bench();
	}
	log_running();
	rt_heartbeat_update();
}
