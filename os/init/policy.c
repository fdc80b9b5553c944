/*
 * Restart decisions (see policy.h and README.md, "Exit, faults and
 * heartbeats").
 */
#include "policy.h"

bool init_restart_after_exit(const struct init_child *c)
{
	return c->restart == INIT_RESTART_ON_EXIT || c->restart == INIT_RESTART_ALWAYS;
}

bool init_restart_after_fault(const struct init_child *c)
{
	return c->restart == INIT_RESTART_ON_FAULT || c->restart == INIT_RESTART_ALWAYS;
}

bool init_heartbeat_monitored(const struct init_model *m, const struct init_child *c)
{
	return m->heartbeat_rate_ms != 0 && c->heartbeat;
}

bool init_restart_after_skipped_beats(const struct init_model *m, const struct init_child *c, unsigned skipped)
{
	return init_heartbeat_monitored(m, c) && c->heartbeat_restart_after != 0 &&
	       skipped >= c->heartbeat_restart_after;
}
