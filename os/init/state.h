/*
 * What init's runtime knows about its children and sessions: the input of
 * the state report (report.h) and of the reconfiguration diff (diff.h).
 * The runtime fills these plain structs; the policy code only reads them.
 * Strings are borrowed from the runtime and must stay valid during a call.
 */
#ifndef INIT_STATE_H
#define INIT_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "model.h"

enum init_child_state {
	INIT_CHILD_INCOMPLETE,      /* being started: waiting for its binary, a server or quota */
	INIT_CHILD_RUNNING,
	INIT_CHILD_EXITED,          /* exit_value holds its exit value */
	INIT_CHILD_FAULTED,         /* an unresolved fault stopped it; reason says which */
	INIT_CHILD_FAILED,          /* it could not be started; reason says why */
};

struct init_child_status {
	const char *name;
	const char *binary;
	enum init_child_state state;
	int exit_value;             /* INIT_CHILD_EXITED */
	const char *reason;         /* INIT_CHILD_FAULTED / FAILED, or NULL */
	uint64_t ram_assigned, ram_used;    /* bytes of its PD account */
	uint64_t caps_assigned, caps_used;  /* slots of its PD account */
	unsigned skipped_heartbeats;        /* consecutive beats not answered */
	unsigned restarts;                  /* by policy or heartbeat since it was started by config */
	/* with init_runtime.linked: its sessions as client and as server, the
	 * first index into init_runtime.sessions (-1: none); init_runtime_link */
	int first_requested, first_provided;
	int last_requested, last_provided;
};

enum init_peer {
	INIT_PEER_PARENT,           /* init's parent */
	INIT_PEER_CHILD,            /* a child of init, by name */
	INIT_PEER_INIT,             /* init itself (a child's embedded config) */
};

enum init_session_state {
	INIT_SESSION_REQUESTED,     /* routed, waiting for the server */
	INIT_SESSION_AVAILABLE,     /* open */
	INIT_SESSION_DENIED,
	INIT_SESSION_CLOSING,
};

struct init_session_status {
	unsigned id;                /* the runtime's number for it */
	const char *service;
	enum init_peer client_kind; /* INIT_PEER_CHILD or INIT_PEER_PARENT */
	const char *client;         /* the client child's name */
	const char *client_label;   /* the label as the client gave it */
	enum init_peer server_kind;
	const char *server;         /* the server child's name (INIT_PEER_CHILD) */
	const char *label;          /* the label as the server sees it */
	enum init_session_state state;
	uint64_t ram, caps;         /* quota donated to the server */
	/* for init_runtime_link: the client's and the server's index in
	 * init_runtime.children (-1: not a child); the next session of each */
	int client_index, server_index;
	int next_requested, next_provided;
};

struct init_runtime {
	const char *version;        /* version of the config processed last, NULL: none */
	const struct init_error *errors;    /* errors of that config, NULL: none */
	uint64_t ram_quota, ram_used;       /* init's own account */
	uint64_t caps_quota, caps_used;
	const struct init_child_status *children;
	unsigned n_children;
	const struct init_session_status *sessions;
	unsigned n_sessions;
	bool linked;                /* the per-child session lists are set */
};

/* Thread each session onto the lists of its client and its server child
 * (by client_index / server_index), in the order of the array, so that
 * the report lists a child's sessions in time linear in the sessions
 * instead of searching all of them for each child. */
void init_runtime_link(struct init_child_status *children, unsigned n_children,
		       struct init_session_status *sessions, unsigned n_sessions);

const char *init_child_state_name(enum init_child_state s);
const char *init_session_state_name(enum init_session_state s);

#endif
