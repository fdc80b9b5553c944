/*
 * testbed: a minimal parent for the tests of os/ services until init runs
 * them (os/dummy/README.md, "testbed"). A test component started by core
 * as init starts services and clients as its children (base's child_start),
 * serves their parent interface and routes their session requests:
 *
 *   - ROM "config" of a child that has a config (tb_set_config): served by
 *     the testbed itself as a dynamic ROM (changes are signalled);
 *   - a service a child announced: to that child (the donation is moved
 *     from the client's PD to the server's, and back on close);
 *   - everything else: to core, paid by the client's own PD.
 * A test may override the route (tb_route_hook). Requests to children are
 * carried out by a router thread and answered with deferred replies, so
 * the entrypoint never waits for a child.
 *
 * It also runs the test cases (the harness's TEST, sorted by ID, on a
 * runner thread): a failed CHECK prints "FAIL <ID>: file:line: ..." and
 * ends the case;
 * after each case the children it started are destroyed; at the end
 * "<name>: N passed, N failed" and exit.
 */
#ifndef OS_DUMMY_TESTBED_H
#define OS_DUMMY_TESTBED_H

#include <child.h>
#include <argil/component.h>
#include <argil/cpu.h>
#include <argil/entrypoint.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <report_session.h>
#include <rom_server.h>
#include <argil/root.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <arch/syscall.h>

#define TB_MAX_SESSIONS 32
#define TB_MAX_SERVICES 4
#define TB_NAME_MAX 32

enum tb_kind { TB_NONE, TB_PARENT, TB_CHILD, TB_CONFIG, TB_DEAD };

struct tb_child;

struct tb_session {
	enum tb_kind kind;
	word_t id;               /* our id for it (what the client knows) */
	cptr_t cap;              /* TB_PARENT: our copy of core's session cap */
	word_t remote_id;        /* id at core or at the server */
	struct tb_child *server; /* TB_CHILD */
	cptr_t root;
	word_t ram, caps;        /* donation moved to the server (TB_CHILD, TB_CONFIG) */
	struct rom_session *rom; /* TB_CONFIG */
	int pending;             /* the router is still making it */
	char service[SERVICE_NAME_MAX];
};

struct tb_service {
	char name[SERVICE_NAME_MAX];
	cptr_t root;
};

struct tb_child {
	struct rpc_object obj;   /* its parent interface at our entrypoint */
	struct child c;
	char name[TB_NAME_MAX];
	int persistent;          /* survives the end of the case that started it */
	int dying;
	/* its config ROM (NULL: none) */
	char *config;
	word_t config_len, config_version;
	struct tb_session sessions[TB_MAX_SESSIONS];
	struct tb_service services[TB_MAX_SERVICES];
	volatile int nservices;
	volatile int exited;
	volatile word_t exit_value;
	cptr_t heartbeat_sigh;
	volatile word_t beats_answered;
	volatile word_t session_requests;  /* PARENT_SESSION calls seen */
	struct tb_child *next;
};

/* A session of the test itself at a child server. */
struct tb_own {
	struct tb_child *server;
	cptr_t root;             /* the service's root at the server */
	cptr_t cap;
	word_t id;               /* at the server */
	word_t ram, caps;
	int rec;                 /* the testbed's record of it (closed after a failed case) */
};

struct tb_route {
	enum tb_kind kind;       /* TB_PARENT, TB_CHILD, TB_CONFIG, or TB_NONE: denied */
	struct tb_child *server;
	char label[SESSION_LABEL_MAX]; /* the label the server sees */
};

/* Route a request; the default is described above. */
void tb_route_default(struct tb_child *client, const char *service, const char *label,
		      struct tb_route *r);
extern void (*tb_route_hook)(struct tb_child *client, const char *service, const char *label,
			     struct tb_route *r);

/* Start a child from boot module `binary` (priority: at most ours). With
 * config, the child gets a config ROM with that content. */
rpc_status_t tb_start(struct tb_child **out, const char *name, const char *binary, word_t ram,
		      word_t caps, word_t priority, const char *config);
/* Close every session the child holds (moving the donations back),
 * destroy it, and give the quota of sessions at it back to their clients. */
void tb_destroy(struct tb_child *c);
/* Replace the child's config ROM (signalled to its config sessions). */
void tb_set_config(struct tb_child *c, const char *config);
/* Whether every config session of the child fetched the current config;
 * waiting for it. A single-threaded child has acted on the config when its
 * next request from us is answered. */
bool tb_config_seen(struct tb_child *c);
void tb_wait_config_seen(struct tb_child *c);
/* Wait until the child announced the service; false if it exited first. */
bool tb_wait_announce(struct tb_child *c, const char *service);
/* Wait until the child exited (returns its value). */
word_t tb_wait_exit(struct tb_child *c);
/* Signal the child's heartbeat handler; false if it registered none. */
bool tb_heartbeat(struct tb_child *c);
/* Whether its main thread stopped on a fault (st may be NULL). */
bool tb_faulted(struct tb_child *c, struct thread_state_info *st);
/* The child's PD account. */
struct pd_quota tb_quota(struct tb_child *c);

/* Sessions of the test itself at a child server, donation from our PD. */
rpc_status_t tb_open(struct tb_own *o, struct tb_child *server, const char *service,
		     const char *label, const char *args, word_t ram, word_t caps);
rpc_status_t tb_upgrade(struct tb_own *o, word_t ram, word_t caps);
rpc_status_t tb_close(struct tb_own *o);

/* A notification of our own and 62 badged send capabilities to it: bit i
 * of what sys_wait/sys_poll return tells that bits[i] was signalled. For
 * tests that give several signal handlers and tell them apart. */
void tb_signal_bits(cptr_t *ntfn, cptr_t bits[62]);

/* A Report session of the test at a child server, its dataspace attached
 * writable in our address space. */
struct tb_report {
	struct tb_own s;
	cptr_t ds;
	char *buf;
	word_t size;
};
rpc_status_t tb_report_open(struct tb_report *r, struct tb_child *server, const char *label,
			    const char *args, word_t ram);
/* Copy text into the dataspace and submit it. */
void tb_report_submit(struct tb_report *r, const char *text);
void tb_report_close(struct tb_report *r);

/* Errors the testbed saw outside of a test's own calls (a server that
 * kept a donation after close, a failed reply); each is logged. */
extern volatile word_t tb_errors;

/* ---- test cases: the harness's (lib/harness/include/harness.h: TEST,
 * TEST_TABLE, CHECK, CHECK_EQ, CHECK_OK, CHECK_ST with rpc_status_t) ---- */
#include <harness.h>

extern struct component_env *tb_env;
/* Block until something happened (a child exited, announced, answered a
 * heartbeat, faulted, asked for a session; or a signal of the test's own
 * at tb_ntfn). */
void tb_wait(void);
extern cptr_t tb_ntfn;

/* Run every case on a runner thread after setup() (children started by
 * setup are persistent), print "<name>: N passed, N failed", exit. Call
 * from component_construct. */
void tb_run(const char *name, void (*setup)(void));

#endif
