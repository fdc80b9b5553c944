/*
 * init's runtime: reads its config ROM, builds the model (model.h), starts
 * every child through core's services (base's child_start), serves the
 * parent interface for its children and routes their session requests
 * (route.h) to its own parent, to a child server or to itself (a child's
 * embedded <config> as ROM). Trusts core; trusts nothing its children send.
 *
 * Limits of this version: the config is read once (no reconfiguration,
 * no state report, no heartbeats yet); quota of a session served by
 * init itself (the config ROM) stays with the child.
 */
#include "rt.h"

#include <argil/printf.h>

struct init_rt rt;

static void *mem_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

static void mem_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)size;
	free(p);
}

static const struct init_mem init_heap_mem = { mem_alloc, mem_free, 0 };

/* What init keeps for itself: its heap, the ROM of its config, the
 * sessions it holds for children's binaries while loading them. */
#define INIT_RESERVE_RAM (1024 * 1024)
#define INIT_RESERVE_CAPS 200

static void log_errors(const struct init_model *m)
{
	char buf[256];

	for (const struct init_error *e = m->errors; e; e = e->next) {
		init_error_format(e, buf, sizeof(buf));
		log("config error: %s", buf);
	}
}

void component_construct(struct component_env *env)
{
	struct pd_quota q;
	struct init_budget budget;
	rpc_status_t st;

	rt.env = env;
	st = pd_quota(env->pd, &q);
	if (st != RPC_OK) {
		log("cannot read own quota: %s", rpc_status_name(st));
		return;
	}
	budget.ram = q.ram_quota - q.ram_used > INIT_RESERVE_RAM ?
		     q.ram_quota - q.ram_used - INIT_RESERVE_RAM : 0;
	budget.caps = q.cap_quota - q.cap_used > INIT_RESERVE_CAPS ?
		      q.cap_quota - q.cap_used - INIT_RESERVE_CAPS : 0;
	st = rt_server_init();
	if (st != RPC_OK) {
		log("no signal handler: %s", rpc_status_name(st));
		return;
	}
	st = attached_rom_open(&rt.config, "config");
	if (st != RPC_OK) {
		log("no config ROM: %s", rpc_status_name(st));
		return;
	}
	if (init_model_build_text(&rt.model, rt.config.data ? rt.config.data : "",
				  rt.config.data ? rt.config.size : 0, 0,
				  budget, &init_heap_mem) != INIT_OK) {
		log("out of memory building the config model");
		return;
	}
	rt.have_model = 1;
	log_errors(&rt.model);
	if (rt.model.rejected) {
		log("config rejected: no children started");
		return;
	}
	log("config: %u children, %lu of %lu bytes RAM and %lu of %lu caps assigned",
	    rt.model.n_children, (unsigned long)rt.model.ram_assigned, (unsigned long)budget.ram,
	    (unsigned long)rt.model.caps_assigned, (unsigned long)budget.caps);
	for (unsigned i = 0; i < rt.model.n_children; i++)
		rt_child_start(rt.model.children[i]);
}
