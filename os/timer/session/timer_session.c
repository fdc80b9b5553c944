/*
 * Client side of the Timer session (timer_session.h): the stubs generated
 * from its description, and the timer connection with sleep_us /
 * elapsed_us. Trusts the timer service only as far as the reply's shape
 * is checked; sleep_us re-checks the clock after
 * every wake-up, so a stray signal never ends a sleep early.
 */
#include <argil/component.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <timer_session.h>
#include <arch/syscall.h>

RPC_CLIENT(timer, TIMER_RPC)

rpc_status_t timer_connect(struct timer_connection *t, const char *label)
{
	rpc_status_t st;

	memset(t, 0, sizeof(*t));
	t->ntfn = cap_slot_alloc();
	if (!t->ntfn)
		return RPC_E_OUT_OF_SLOTS;
	st = pd_alloc_ntfn(COMPONENT_PD, t->ntfn, &t->ntfn_handle);
	if (st != RPC_OK) {
		slot_free(&component_slots, t->ntfn);
		t->ntfn = 0;
		return st;
	}
	st = parent_session(COMPONENT_PARENT, TIMER_SERVICE, label, "", TIMER_SESSION_RAM,
			    TIMER_SESSION_CAPS, 0, &t->session, &t->id);
	if (st != RPC_OK) {
		t->session = 0;
		timer_disconnect(t);
	}
	return st;
}

rpc_status_t timer_disconnect(struct timer_connection *t)
{
	rpc_status_t st = RPC_OK;

	if (t->session) {
		st = parent_close(COMPONENT_PARENT, t->id);
		cap_slot_free(t->session);
	}
	if (t->ntfn) {
		pd_free_obj(COMPONENT_PD, t->ntfn_handle);
		cap_slot_free(t->ntfn);
	}
	memset(t, 0, sizeof(*t));
	return st;
}

rpc_status_t timer_connection_sigh(struct timer_connection *t, cptr_t sigh)
{
	rpc_status_t st = timer_sigh(t->session, sigh);

	if (st == RPC_OK)
		t->user_sigh = sigh;
	return st;
}

rpc_status_t sleep_us(struct timer_connection *t, uint64_t us)
{
	uint64_t now, end;
	rpc_status_t st;

	st = timer_elapsed(t->session, &now, 0);
	if (st != RPC_OK)
		return st;
	end = now + us < now ? UINT64_MAX : now + us;
	st = timer_sigh(t->session, t->ntfn);
	if (st != RPC_OK)
		return st;
	/* the deadline is taken at the server after our reading, so a genuine
	 * expiry is never early; a stale signal only costs one more round */
	while (now < end) {
		st = timer_trigger_once(t->session, end - now);
		if (st != RPC_OK)
			break;
		sys_wait(t->ntfn);
		st = timer_elapsed(t->session, &now, 0);
		if (st != RPC_OK)
			break;
	}
	if (t->user_sigh) {
		rpc_status_t st2 = timer_sigh(t->session, t->user_sigh);
		if (st == RPC_OK)
			st = st2;
	}
	return st;
}

uint64_t elapsed_us(struct timer_connection *t)
{
	uint64_t us = 0;

	timer_elapsed(t->session, &us, 0);
	return us;
}
