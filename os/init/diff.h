/*
 * Reconfiguration: what init does to go from the model in effect to a new
 * one, as a list of actions. A pure function of the two models and of the
 * sessions that are open (struct init_runtime); the runtime carries the
 * actions out in the order given.
 *
 * Children are matched by name. For a child in both models:
 *  - a changed version, binary or priority restarts it (destroy, then start
 *    with the new settings);
 *  - an open session of the child that the new model routes differently
 *    (another server, or another label for the server) restarts it, and so
 *    does an open session whose server child is destroyed or restarted
 *    (transitively: a restarted server restarts its clients);
 *  - otherwise: raised quota is transferred at once, lowered quota is
 *    reclaimed (the runtime withdraws what is unused and asks the child to
 *    yield the rest), a changed embedded <config> is delivered as a ROM
 *    update, and changed routing (its <route>, the <default-route>,
 *    <parent-provides>, who provides what, adding or removing its <config>)
 *    lets the runtime route the child's pending requests anew.
 * Sessions that init serves its parent end when their server child goes
 * or is restarted, or when init's own <service> policy routes them anew.
 * Heartbeat and restart-policy changes need no action: the runtime reads
 * them from the model in effect.
 *
 * Order of the list: close parent sessions, destroy, restart, reclaim,
 * update config, update routes, upgrade, start. Quota freed by the earlier
 * actions pays for the later ones (the new model fits init's budget); when
 * a reclaim waits for the child to yield, the runtime delays the starts and
 * upgrades that need that quota.
 */
#ifndef INIT_DIFF_H
#define INIT_DIFF_H

#include "model.h"
#include "state.h"

enum init_action_kind {
	INIT_ACT_CLOSE_PARENT_SESSION,
	INIT_ACT_DESTROY,
	INIT_ACT_RESTART,
	INIT_ACT_RECLAIM_RAM,
	INIT_ACT_RECLAIM_CAPS,
	INIT_ACT_UPDATE_CONFIG,
	INIT_ACT_UPDATE_ROUTES,
	INIT_ACT_UPGRADE_RAM,
	INIT_ACT_UPGRADE_CAPS,
	INIT_ACT_START,
};

enum init_restart_why {
	INIT_WHY_VERSION,           /* version attribute changed */
	INIT_WHY_BINARY,            /* <binary name> changed */
	INIT_WHY_PRIORITY,          /* priority changed */
	INIT_WHY_ROUTE,             /* 'session' is routed differently now */
	INIT_WHY_SERVER,            /* the server of 'session' is destroyed or restarted */
};

struct init_action {
	enum init_action_kind kind;
	const char *child;                      /* name; NULL for CLOSE_PARENT_SESSION */
	const struct init_child *old_child;     /* in the old model, NULL for START */
	const struct init_child *new_child;     /* in the new model, NULL for DESTROY */
	uint64_t amount;                        /* RECLAIM_* and UPGRADE_*: the difference */
	enum init_restart_why why;              /* RESTART */
	const struct init_session_status *session;  /* RESTART (ROUTE, SERVER), CLOSE_PARENT_SESSION */
};

struct init_plan {
	struct init_action *actions;
	size_t n;
	/* private */
	struct init_mem mem;
	size_t bytes;
};

/* The actions from 'old' (in effect; NULL: nothing runs yet) to 'new' (not
 * rejected). rt may be NULL (no sessions). Free with init_plan_free(). */
enum init_status init_diff(const struct init_model *old, const struct init_model *new,
                           const struct init_runtime *rt, const struct init_mem *mem, struct init_plan *plan);
void init_plan_free(struct init_plan *plan);

/* One line for the log and the tests, e.g. "restart app (version)",
 * "upgrade-ram app 1048576", "close-parent-session 7"; snprintf-like. */
size_t init_action_describe(const struct init_action *a, char *buf, size_t size);

#endif
