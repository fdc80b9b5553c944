/*
 * init's decisions about a child at runtime, after it exited, faulted or
 * missed heartbeats. A restart is a destroy and a start with the same
 * settings (the runtime counts them in init_child_status.restarts).
 */
#ifndef INIT_POLICY_H
#define INIT_POLICY_H

#include "model.h"

/* After the child exited (with any value). */
bool init_restart_after_exit(const struct init_child *c);

/* After an unresolved fault stopped the child. */
bool init_restart_after_fault(const struct init_child *c);

/* Whether init sends heartbeats to the child at all. */
bool init_heartbeat_monitored(const struct init_model *m, const struct init_child *c);

/* After the child missed 'skipped' consecutive heartbeats. */
bool init_restart_after_skipped_beats(const struct init_model *m, const struct init_child *c, unsigned skipped);

#endif
