/*
 * init's runtime state (private to main.c, children.c, server.c): the
 * model in effect, the running children with the sessions init holds for
 * them, and the requests waiting for a server to announce its service.
 */
#ifndef INIT_RUNTIME_H
#define INIT_RUNTIME_H

#include "model.h"
#include "route.h"
#include "policy.h"
#include "report.h"
#include "state.h"
#include "diff.h"

#include <child.h>
#include <argil/component.h>
#include <argil/cthread.h>
#include <argil/entrypoint.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/rom.h>
#include <argil/root.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <timer_session.h>

/*
 * Every record below is allocated from init's heap (base's heap, paid
 * from init's own RAM quota) one by one and linked into a list, so a
 * pointer to a record stays valid until the record goes: a session when
 * it ends, a child's announced services with the child, a child record
 * when it is forgotten (rt_children_reap), a waiting request when it is
 * answered. When the heap cannot grow, the request that needed the
 * record gets an error (rt_heap_exhausted logs it); nothing else changes.
 */

struct rt_child;

enum rt_session_kind {
	RT_SESSION_FREE,        /* being set up: not yet in the client's list */
	RT_SESSION_PARENT,      /* a session at init's parent, paid by the client's PD */
	RT_SESSION_CHILD,       /* a session at a child server, quota moved to it */
	RT_SESSION_CONFIG,      /* the client's embedded <config>, served by init */
};

struct rt_session {
	enum rt_session_kind kind;
	word_t id;              /* the id the client knows */
	word_t up_id;           /* the id at the parent or the server */
	cptr_t cap;             /* our copy of the session capability */
	struct rt_child *server;
	word_t ram, caps;       /* quota moved to the server */
	cptr_t payer;           /* the account the client named to pay (a PD; 0: the client) */
	char service[SERVICE_NAME_MAX];
	char client_label[SESSION_LABEL_MAX];   /* as the client gave it */
	char label[SESSION_LABEL_MAX];          /* as the server sees it */
	struct rpc_object obj;  /* RT_SESSION_CONFIG: the ROM session object */
	cptr_t ds;              /* RT_SESSION_CONFIG: the config text */
	word_t ds_size;
	cptr_t sigh;            /* RT_SESSION_CONFIG: the client's change signal */
	cptr_t old_ds;          /* RT_SESSION_CONFIG: content before an update, until refetched */
	struct rt_child *client;
	struct rt_session *next;        /* in client->sessions, in the order made */
};

struct rt_provided {
	char service[SERVICE_NAME_MAX];
	cptr_t root;
	struct rt_provided *next;
};

enum rt_child_state { RT_FREE, RT_RUNNING, RT_EXITED, RT_FAILED, RT_FAULTED };

struct rt_child {
	enum rt_child_state state;
	char name[COMPONENT_LABEL_MAX];
	const struct init_child *cfg;   /* in rt.model */
	unsigned report_index;          /* in the last rt_runtime_fill_all */
	struct rpc_object parent_obj;   /* the parent interface for this child */
	struct child c;
	struct rt_session *sessions;     /* the open sessions (none while not running) */
	word_t next_id;
	struct rt_provided *provided;   /* the services it announced */
	word_t exit_value;
	cptr_t heartbeat;
	bool beat_pending;              /* a heartbeat went out, no response yet */
	unsigned skipped;               /* consecutive heartbeats not answered */
	word_t ram_lent, caps_lent;     /* quota init gave it (start, upgrades, less withdrawals) */
	word_t owed_ram, owed_caps;     /* lowered quota not yet withdrawn: to yield */
	cptr_t yield_sigh;              /* its yield-request notification */
	const char *reason;             /* RT_FAILED, RT_FAULTED: why */
	unsigned restarts;
	struct rt_child *next;          /* in rt.children */
};

/* A session request waiting for its server to announce the service. */
struct rt_pending {
	struct rt_pending *next;        /* in rt.pending, oldest first */
	struct rt_child *client;
	struct rpc_reply_cap rc;
	char service[SERVICE_NAME_MAX];
	char label[SESSION_LABEL_MAX];
	char args[SESSION_ARGS_MAX];
	word_t ram, caps;
	cptr_t payer;                   /* as in struct rt_session; ours until the answer */
};

/*
 * A call to a child server's root (ROOT_SESSION, ROOT_UPGRADE,
 * ROOT_CLOSE), made by init's root worker thread so that init's
 * entrypoint keeps serving while a server takes its time (a server may
 * call init while it serves: platform opens IO_MEM and IRQ sessions when
 * a driver acquires a device). The entrypoint queues the job (the quota
 * already moved to the server), the worker makes the call and signals
 * rt.job_done, the entrypoint finishes it (quota back on failure, the
 * session record, the client's deferred answer).
 */
enum rt_job_kind { RT_JOB_SESSION, RT_JOB_UPGRADE, RT_JOB_CLOSE };
enum rt_job_state { RT_JOB_QUEUED, RT_JOB_RUNNING, RT_JOB_DONE };

/* Worker threads for root calls: calls to different servers run at once
 * (a server that waits for init meanwhile, e.g. for an upgrade of its own
 * session elsewhere, holds up only its own calls), calls to one server one
 * after the other, in the order queued. One worker at first; another is
 * started when a job is queued while every worker is in a call. */
#define RT_WORKERS 4

struct rt_job {
	struct rt_job *next;            /* in rt.jobs, in the order queued */
	enum rt_job_kind kind;
	enum rt_job_state state;        /* under rt.job_lock */
	struct rt_child *client;        /* 0 once it is gone (its answer went out then) */
	struct rt_child *server;        /* 0 once it is gone */
	const void *target;             /* the server it was queued for (kept: its order) */
	struct rt_session *s;           /* SESSION, CLOSE: the record, the job's own;
					 * UPGRADE: the listed record, 0 once it ended */
	struct rpc_reply_cap rc;        /* the client's deferred answer (slot 0: none) */
	cptr_t root;                    /* our own copy of the server's root capability */
	cptr_t payer;                   /* SESSION, UPGRADE: the account that paid (ours; 0: the client) */
	word_t up_id, ram, caps;
	char label[SESSION_LABEL_MAX];  /* SESSION: the label as the server sees it */
	char args[SESSION_ARGS_MAX];
	rpc_status_t st;                /* the worker's result */
	cptr_t cap;                     /* SESSION: the new session's capability */
	word_t id;                      /* SESSION: its id at the server */
};

/* A start or upgrade waiting for quota that a child has to yield. */
struct rt_held {
	struct rt_held *next;           /* in rt.held, in the order of the plan */
	enum init_action_kind kind;     /* INIT_ACT_START, _UPGRADE_RAM, _UPGRADE_CAPS */
	char name[COMPONENT_LABEL_MAX];
	word_t amount;                  /* upgrades */
};

/* A service init announced to its parent. */
struct rt_service {
	struct rt_service *next;        /* in rt.services; kept for init's lifetime */
	char name[SERVICE_NAME_MAX];
	struct rpc_object root;         /* the root the parent calls */
};

/* A session init's parent opened at one of init's services. */
struct rt_psession {
	struct rt_psession *next;       /* in rt.psessions, until the parent closes it */
	bool closed;                    /* ended at the server; the parent has not closed it yet */
	word_t id;                      /* the id the parent knows */
	word_t up_id;                   /* the id at the server */
	cptr_t cap;
	struct rt_child *server;
	word_t ram, caps;               /* quota passed on to the server */
	char service[SERVICE_NAME_MAX];
	char label[SESSION_LABEL_MAX];          /* as the parent gave it */
	char server_label[SESSION_LABEL_MAX];   /* as the server sees it */
};

/* The label of init's config ROM: config errors name it as their origin. */
#define RT_CONFIG_ROM "config"

struct init_rt {
	struct component_env *env;
	struct attached_rom config;     /* ROM RT_CONFIG_ROM */
	struct init_budget budget;      /* for children, fixed at start */
	struct init_model model;
	int have_model;
	struct init_model rejected;     /* the config rejected last, for the report */
	int have_rejected;              /* until a config is accepted */
	struct rt_child *children;      /* in the order started */
	struct rt_pending *pending;
	struct rt_held *held;           /* in the order of the plan */
	struct rt_service *services;
	struct rt_psession *psessions;
	word_t next_psession_id;
	struct signal_handler retry;    /* retries the pending requests */
	struct rt_job *jobs;            /* root calls queued, running or done (rt.job_lock) */
	struct rt_job *unsettled;       /* closes whose refund waits for the server's quota */
	struct lock job_lock;
	struct cthread workers[RT_WORKERS]; /* make the root calls (struct rt_job) */
	unsigned nworkers;              /* started so far (more when all are busy) */
	unsigned running;               /* jobs RT_JOB_RUNNING (rt.job_lock) */
	cptr_t worker_ntfn;             /* wakes the worker */
	struct signal_handler job_done; /* a root call returned */
	struct signal_handler report;   /* writes the state report */
	struct signal_handler fault;    /* a child's thread stopped on a fault */
	struct signal_handler beat;     /* the heartbeat timer fired */
	struct timer_connection timer;  /* for heartbeats, while <heartbeat rate_ms> is set */
	uint64_t beat_rate_ms;          /* the rate the timer is programmed with, 0: none */
};

extern struct init_rt rt;

/* Allocate a zeroed record of size bytes from init's heap; 0 (and a log
 * line naming what and for whom) when the heap cannot grow. */
void *rt_alloc(size_t size, const char *what, const char *whom);

/* Append p (a record with a member next) to the end of a list. */
#define RT_APPEND(head, p) do {                                         \
		__typeof__(p) *pp_ = &(head);                           \
		while (*pp_)                                             \
			pp_ = &(*pp_)->next;                             \
		(p)->next = 0;                                           \
		*pp_ = (p);                                              \
	} while (0)

/* Unlink p from a list (no-op if it is not in it). */
#define RT_UNLINK(head, p) do {                                         \
		__typeof__(p) *pp_ = &(head);                           \
		while (*pp_ && *pp_ != (p))                              \
			pp_ = &(*pp_)->next;                             \
		if (*pp_)                                                \
			*pp_ = (p)->next;                                \
	} while (0)

/* children.c */
struct rt_child *rt_child_start(const struct init_child *cfg);
/* start_error.c: why child_start failed, as a sentence into buf (e.g.
 * "no ROM module 'x'"); returns the reason for the state report */
const char *rt_start_error(const struct child *c, rpc_status_t st, const char *binary, char *buf, size_t size);
struct rt_child *rt_child_by_name(const char *name);
void rt_child_release(struct rt_child *ch);
/* free the records of children that are no longer configured (RT_FREE);
 * only where no caller holds a child pointer (end of an event) */
void rt_children_reap(void);
rpc_status_t rt_fault_init(void);
/* destroy the child and start it anew (counted in its restarts) */
void rt_child_restart(struct rt_child *ch, const char *why);

/* quota.c: raising and lowering a running child's quota */
void rt_quota_start(const struct init_child *cfg);     /* start now or when it fits */
void rt_quota_upgrade(struct rt_child *ch, enum init_action_kind kind, word_t amount);
void rt_quota_reclaim(struct rt_child *ch, enum init_action_kind kind, word_t amount);
void rt_quota_gone(struct rt_child *ch);
void rt_quota_retry(void);      /* run the waiting starts and upgrades that fit now */
void rt_quota_ask_again(void);  /* before a reconfiguration: children that still owe */
rpc_status_t rt_yield_sigh(struct rt_child *ch, struct rpc_msg *ntfn);
void rt_yield_request(struct rt_child *ch, word_t *ram, word_t *caps);
void rt_yield_response(struct rt_child *ch);

/* parent_services.c: init's services to its parent */
void rt_services_update(void);  /* announce what a child serves now */
void rt_services_server_gone(struct rt_child *server);
void rt_services_close(word_t id);


/* heartbeat.c: heartbeats to the monitored children */
rpc_status_t rt_heartbeat_init(void);
/* the model changed (or was built): start, reprogram or stop the timer */
void rt_heartbeat_update(void);
void rt_heartbeat_response(struct rt_child *ch);

/* reconfig.c */
void rt_log_errors(const struct init_model *m);
rpc_status_t rt_reconfig_init(void);

/* report_delivery.c: the state report, written to the LOG after changes */
rpc_status_t rt_report_init(void);
/* <config bench="yes">: build one state report and print its cost. */
void rt_report_bench(void);
void rt_bench_line(const char *name, unsigned n, uint64_t instructions);
void rt_report_changed(void);
/* what the policy code needs to know of the runtime (report, diff): the
 * children, their sessions, the waiting requests and the sessions of the
 * parent; valid until the next call; false: init's heap is exhausted */
bool rt_runtime_fill_all(struct init_runtime *r);

/* server.c: sessions of children */
rpc_status_t rt_server_init(void);
/* the parent interface's requests of a child (argil/parent.h); a request
 * that must wait for its server is answered later (deferred) */
rpc_status_t rt_session_request(struct rt_child *client, struct parent_session_call *c);
/* upgrade and close answer later (deferred) when a root call is needed;
 * payer (a slot of ours or 0) is taken either way */
rpc_status_t rt_session_upgrade(struct rt_child *client, word_t id, word_t ram, word_t caps,
				cptr_t payer);
rpc_status_t rt_session_close(struct rt_child *client, word_t id);
/* the child goes: root calls in flight for it forget it (their answers
 * to it go out now) */
void rt_jobs_child_gone(struct rt_child *ch);
void rt_session_close_all(struct rt_child *client);
rpc_status_t rt_announce(struct rt_child *server, const char *service, struct rpc_msg *root);
void rt_server_gone(struct rt_child *server);
void rt_pending_drop(struct rt_child *client);  /* deny its waiting requests */
void rt_config_update(struct rt_child *ch);
cptr_t rt_provided_root(struct rt_child *server, const char *service);  /* 0: not announced */
/* Whether server has announced every service its <provides> names (until
 * then none is used: a root call between two of its announcements would
 * wait for a server that waits for init). */
bool rt_all_announced(struct rt_child *server);
/* a session at a child server's root paid by payer (a PD): quota moved
 * payer -> server first and back if the server refuses; likewise upgrades */
rpc_status_t rt_server_session(cptr_t payer, struct rt_child *server, cptr_t root,
			       const char *label, const char *args, word_t ram, word_t caps,
			       cptr_t *cap, word_t *id);
rpc_status_t rt_server_upgrade(cptr_t payer, struct rt_child *server, cptr_t root, word_t id,
			       word_t ram, word_t caps);

#endif
