/*
 * What the parts of the testbed share (runner.c, router.c, parent.c,
 * children.c, sessions.c); private to lib/testbed.
 */
#ifndef TESTBED_PRIVATE_H
#define TESTBED_PRIVATE_H

#include <argil/cthread.h>
#include <argil/lock.h>
#include "testbed.h"

/* runner.c */
extern struct lock tb_lock;          /* session tables, tb_children, the router's queue */
extern struct tb_child *tb_children; /* newest first, so clients go before their servers */
/* An error of a child or of the testbed: logged, counted in tb_errors. */
void tb_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Wake the runner (tb_wait). */
void tb_notify(void);

/* router.c: the router's queue of jobs, carried out by the router thread */
enum job_op { JOB_OPEN, JOB_UPGRADE, JOB_CLOSE };

struct job {
	enum job_op op;
	struct tb_child *client;
	struct tb_session *s;
	word_t ram, caps;
	char label[SESSION_LABEL_MAX];
	char args[SESSION_ARGS_MAX];
	struct rpc_reply_cap rc;
};

#define QUEUE 16
extern cptr_t tb_router_ntfn;
extern word_t tb_router_ntfn_handle;
extern struct cthread tb_router;
void tb_router_loop(void *arg);
void tb_enqueue(struct job *j);
bool tb_queue_full(void);
bool tb_queue_empty(void);           /* with tb_lock held */
/* The root of 'service' that 'server' announced, or 0. */
cptr_t tb_root_of(struct tb_child *server, const char *service);

/* parent.c */
/* The reply to PARENT_SESSION: the session's cap and id. */
void tb_session_reply(struct rpc_msg *rep, cptr_t cap, word_t id);
void tb_child_parent(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep);
/* Close a session of c that the testbed serves itself (TB_CONFIG, TB_PARENT). */
void tb_close_local(struct tb_child *c, struct tb_session *s);
void tb_free_old_configs(struct tb_child *c);

/* sessions.c: a record of each open session of the test, so that the
 * sessions of a case that failed half-way can be closed (the case's
 * tb_own is gone) */
#define TB_OWN_MAX 256
struct tb_own_rec {
	struct tb_child *server;
	cptr_t root, cap;
	word_t id, ram, caps;
	int persistent;          /* opened by setup */
};
extern struct tb_own_rec tb_owns[TB_OWN_MAX];
/* Close the sessions a case left open; how many there were. */
int tb_close_leftovers(void);

#endif
