/*
 * Reconfiguration at run time: when the config ROM signals a change, init
 * builds a new model (the children whose new <start> is rejected keep
 * their settings), computes the actions with init_diff() (diff.h) and
 * carries them out: destroy, restart, reclaim, upgrade, config update,
 * route update, start. A rejected config changes nothing. Trusts the
 * policy code; the ROM's content is checked by the model build.
 */
#include "runtime.h"

#include <argil/printf.h>

static struct signal_handler config_sigh;

void rt_log_errors(const struct init_model *m)
{
	char buf[PRINTF_BUF];

	for (const struct init_error *e = m->errors; e; e = e->next) {
		init_error_format(e, RT_CONFIG_ROM, buf, sizeof(buf));
		log("error: %s", buf);
	}
}

/* Before the old model goes: each record points into the new one; a
 * child no longer configured that does not run is forgotten. */
static void retarget(void)
{
	for (struct rt_child *ch = rt.children; ch; ch = ch->next) {
		if (ch->state == RT_FREE)
			continue;
		ch->cfg = init_model_child(&rt.model, ch->name);
		if (!ch->cfg && ch->state != RT_RUNNING)
			ch->state = RT_FREE;
	}
}

static void act_before(const struct init_action *a)
{
	struct rt_child *ch = a->child ? rt_child_by_name(a->child) : 0;
	char desc[160];

	init_action_describe(a, desc, sizeof(desc));
	if (rt.model.verbose)
		log("reconfiguration: %s", desc);
	if (a->kind == INIT_ACT_CLOSE_PARENT_SESSION && a->session)
		rt_services_close(a->session->id);
	if (!ch)
		return;
	switch (a->kind) {
	case INIT_ACT_DESTROY:
	case INIT_ACT_RESTART:
		if (ch->state == RT_RUNNING)
			rt_child_release(ch);
		ch->state = RT_FREE;
		if (a->kind == INIT_ACT_DESTROY)
			log("child '%s' destroyed", ch->name);
		break;
	case INIT_ACT_RECLAIM_RAM:
	case INIT_ACT_RECLAIM_CAPS:
		if (ch->state == RT_RUNNING)
			rt_quota_reclaim(ch, a->kind, a->amount);
		break;
	case INIT_ACT_UPGRADE_RAM:
	case INIT_ACT_UPGRADE_CAPS:
		if (ch->state == RT_RUNNING)
			rt_quota_upgrade(ch, a->kind, a->amount);
		break;
	default:
		break;
	}
}

static void act_after(const struct init_action *a)
{
	const char *name = a->new_child ? a->new_child->name : 0;
	struct init_child *cfg = name ? init_model_child(&rt.model, name) : 0;
	struct rt_child *ch;

	if (!cfg)
		return;
	switch (a->kind) {
	case INIT_ACT_RESTART:
		log("child '%s' restarted (%s)", name,
		    a->why == INIT_WHY_VERSION ? "version" : a->why == INIT_WHY_BINARY ? "binary" :
		    a->why == INIT_WHY_PRIORITY ? "priority" : a->why == INIT_WHY_ROUTE ? "route" :
		    "server");
		rt_quota_start(cfg);
		break;
	case INIT_ACT_START:
		rt_quota_start(cfg);
		break;
	case INIT_ACT_UPDATE_CONFIG:
		ch = rt_child_by_name(name);
		if (ch && ch->state == RT_RUNNING)
			rt_config_update(ch);
		break;
	case INIT_ACT_UPDATE_ROUTES:
		signal_submit(rt.retry.cap);
		break;
	default:
		break;
	}
}

static void config_changed(void *arg)
{
	struct init_model next, old;
	struct init_runtime r;
	struct init_plan plan;
	rpc_status_t st;

	(void)arg;
	st = attached_rom_update(&rt.config);
	if (st != RPC_OK) {
		log("config ROM update failed: %s", rpc_status_name(st));
		return;
	}
	if (init_model_build_text(&next, rt.config.data ? rt.config.data : "",
				  rt.config.data ? rt.config.size : 0, &rt.model, rt.budget,
				  &init_malloc_mem) != INIT_OK) {
		log("out of memory building the new config model: nothing changed");
		return;
	}
	rt_log_errors(&next);
	if (next.rejected) {
		/* the report shows its version and errors (README "State report") */
		log("new config '%s' rejected: nothing changed", RT_CONFIG_ROM);
		if (rt.have_rejected)
			init_model_free(&rt.rejected);
		rt.rejected = next;
		rt.have_rejected = 1;
		rt_report_changed();
		return;
	}
	if (rt.have_rejected) {
		init_model_free(&rt.rejected);
		rt.have_rejected = 0;
	}
	rt_quota_ask_again();
	if (!rt_runtime_fill_all(&r)) {
		log("out of memory listing the runtime for the reconfiguration: nothing changed");
		init_model_free(&next);
		return;
	}
	if (init_diff(&rt.model, &next, &r, &init_malloc_mem, &plan) != INIT_OK) {
		log("out of memory computing the reconfiguration: nothing changed");
		init_model_free(&next);
		return;
	}
	for (size_t i = 0; i < plan.n; i++)
		act_before(&plan.actions[i]);
	old = rt.model;
	rt.model = next;
	retarget();
	for (size_t i = 0; i < plan.n; i++)
		act_after(&plan.actions[i]);
	log("config applied: version '%s', %lu actions", rt.model.version, (unsigned long)plan.n);
	init_plan_free(&plan);
	init_model_free(&old);
	rt_heartbeat_update();
	rt_quota_retry();
	rt_services_update();
	rt_children_reap();
	rt_report_changed();
}

rpc_status_t rt_reconfig_init(void)
{
	rpc_status_t st = signal_handler_init(&rt.env->ep, &config_sigh, config_changed, 0);

	if (st != RPC_OK)
		return st;
	/* core's ROMs never change; a ROM of another server may */
	return rom_sigh(rt.config.session, config_sigh.cap);
}
