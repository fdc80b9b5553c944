/*
 * Heartbeats: with <heartbeat rate_ms="N"/> in the config, init opens a
 * Timer session at its own parent (the service must be listed in
 * <parent-provides>) and every N ms signals the heartbeat notification of
 * each child with a <heartbeat> node. A child that has not answered the
 * previous beat (PARENT_HEARTBEAT_RESPONSE) when the next one is due has
 * skipped it; after restart_after consecutive skips it is restarted
 * (init_restart_after_skipped_beats). A child that registered no heartbeat
 * handler cannot answer and counts as skipping. Without the config node
 * the Timer session is closed. Trusts the timer only to signal; a child's
 * response is just a call on its own parent object.
 */
#include "runtime.h"

#include <argil/printf.h>

/* Close the Timer session (RPC_OK: the parent took it back). */
static rpc_status_t timer_close(void)
{
	rpc_status_t st = timer_disconnect(&rt.timer);

	rt.beat_rate_ms = 0;
	for (struct rt_child *ch = rt.children; ch; ch = ch->next) {
		ch->beat_pending = false;
		if (ch->skipped)
			rt_report_changed();
		ch->skipped = 0;
	}
	return st;
}

void rt_heartbeat_update(void)
{
	uint64_t rate = rt.have_model ? rt.model.heartbeat_rate_ms : 0;
	rpc_status_t st;

	if (rate == rt.beat_rate_ms &&
	    (!rate || init_model_parent_provides(&rt.model, TIMER_SERVICE)))
		return;
	if (!rate) {
		st = timer_close();
		if (st == RPC_OK)
			log("heartbeats stopped: Timer session closed");
		else
			log("heartbeats stopped: closing the Timer session: %s", rpc_status_name(st));
		return;
	}
	if (!init_model_parent_provides(&rt.model, TIMER_SERVICE)) {
		if (rt.beat_rate_ms)
			timer_close();
		log("no heartbeats: <heartbeat rate_ms> needs '%s' in <parent-provides>",
		    TIMER_SERVICE);
		return;
	}
	if (!rt.timer.session) {
		st = timer_connect(&rt.timer, "heartbeat");
		if (st == RPC_OK)
			st = timer_connection_sigh(&rt.timer, rt.beat.cap);
		if (st != RPC_OK) {
			log("no heartbeats: Timer session: %s", rpc_status_name(st));
			timer_disconnect(&rt.timer);
			return;
		}
	}
	st = timer_trigger_periodic(rt.timer.session, rate * 1000);
	if (st != RPC_OK) {
		log("no heartbeats: period of %lu ms: %s", (unsigned long)rate, rpc_status_name(st));
		timer_close();
		return;
	}
	rt.beat_rate_ms = rate;
	log("heartbeats every %lu ms", (unsigned long)rate);
}

static void beat(void *arg)
{
	(void)arg;
	if (!rt.beat_rate_ms)
		return;   /* a signal from before the session closed */
	/* a restart reuses the record of ch (rt_child_start): the list holds */
	for (struct rt_child *ch = rt.children; ch; ch = ch->next) {
		if (ch->state != RT_RUNNING || !ch->cfg ||
		    !init_heartbeat_monitored(&rt.model, ch->cfg)) {
			ch->beat_pending = false;
			ch->skipped = 0;
			continue;
		}
		if (ch->beat_pending) {
			ch->skipped++;
			rt_report_changed();
			if (init_restart_after_skipped_beats(&rt.model, ch->cfg, ch->skipped)) {
				char why[64];
				snprintf(why, sizeof(why), "%u heartbeats skipped", ch->skipped);
				rt_child_restart(ch, why);
				continue;
			}
		}
		ch->beat_pending = true;
		if (ch->heartbeat)
			signal_submit(ch->heartbeat);
	}
}

void rt_heartbeat_response(struct rt_child *ch)
{
	ch->beat_pending = false;
	if (ch->skipped) {
		ch->skipped = 0;
		rt_report_changed();
	}
}

rpc_status_t rt_heartbeat_init(void)
{
	return signal_handler_init(&rt.env->ep, &rt.beat, beat, 0);
}
