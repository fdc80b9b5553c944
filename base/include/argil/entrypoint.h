/*
 * Server side: an entrypoint is one thread receiving on one endpoint whose
 * thread also has a notification bound, so a single ReplyRecv waits for
 * both RPC requests and signals (docs/framework.md, "RPC", "Signals").
 *
 * RPC objects: a server registers an object with a handler; the entrypoint
 * gives it a badge (RPC_BADGE_FLAG | generation | index) and mints badged
 * copies of its endpoint capability for clients. A request is dispatched by
 * badge; a stale badge (object dissolved) gets RPC_E_INVALID_CAP. Dissolving
 * an object revokes every capability minted for it and cancels queued
 * requests.
 *
 * Signals: a signal handler owns one bit (0..60) of the bound notification;
 * its capability is a badged copy of the notification that signal sources
 * (ROM sessions, timers, IRQs, parents) are given. When a signal wakes the
 * entrypoint, every handler whose bit is set runs once.
 *
 * Deferred replies: a handler may call rpc_defer() to keep the caller
 * waiting (the reply capability moves into a slot) and answer later with
 * rpc_reply_deferred(), from any thread of the same component.
 *
 * Threads: objects and signal handlers may be registered and dissolved from
 * any thread of the component (the tables are locked); dissolving an object
 * while the entrypoint is handling a request for it is the caller's race.
 */
#ifndef ARGIL_ENTRYPOINT_H
#define ARGIL_ENTRYPOINT_H

#include <argil/rpc.h>
#include <argil/lock.h>

struct entrypoint;
struct rpc_object;

/* Handle one request. req holds the request (req->badge, words, cap); the
 * handler fills reply (label = status). A received capability in req->cap
 * (RPC_CAP_PLACED) is deleted after the handler returns unless the handler
 * cleared req->cap (then it owns the slot). */
typedef void (*rpc_handler_t)(struct rpc_object *obj, struct rpc_msg *req, struct rpc_msg *reply);

struct rpc_object {
	rpc_handler_t handler;
	void *data;              /* for the server's own use */
	word_t badge;            /* set by ep_manage */
	cptr_t cap;              /* the original badged capability (minted on first ep_cap) */
};

typedef void (*signal_fn_t)(void *arg);

struct signal_handler {
	signal_fn_t fn;
	void *arg;
	int bit;                 /* -1 when not registered */
	cptr_t cap;              /* badged notification capability for signal sources */
};

struct ep_slot {             /* entry of the object table */
	struct rpc_object *obj;
	word_t gen;
};

struct entrypoint {
	cptr_t ep;               /* endpoint (READ, for ReplyRecv) */
	cptr_t ntfn;             /* bound notification (may be 0: no signals) */
	cptr_t cnode;            /* own CNode capability for Mint/SaveCaller */
	struct ep_slot *objs;    /* object table (heap) */
	word_t nobjs, cap_objs, free_hint;
	struct signal_handler *sig[RPC_SIGNAL_BITS];
	word_t sig_pending;      /* signal bits received but not yet dispatched */
	int deferred;            /* set by rpc_defer during a handler */
	struct rpc_msg *current; /* the request being handled */
	cptr_t release_after_reply; /* a handler may set it: this slot is freed once the
	                               reply (which may carry its cap) has gone out */
	struct lock lock;        /* the object table and signal bits, for other threads */
};

/* Set up an entrypoint over an endpoint and its bound notification. */
void ep_init(struct entrypoint *e, cptr_t ep, cptr_t ntfn, cptr_t cnode);

/* Register obj with handler h: gives obj a badge. */
rpc_status_t ep_manage(struct entrypoint *e, struct rpc_object *obj, rpc_handler_t h, void *data);
/* The object's badged endpoint capability (made on first use, kept in
 * obj->cap); hand it out in replies (clients get copies). */
cptr_t ep_cap(struct entrypoint *e, struct rpc_object *obj);
/* Unregister: revokes every copy of its capability, cancels queued
 * requests, frees the slot. */
void ep_dissolve(struct entrypoint *e, struct rpc_object *obj);
/* The object a badge names, NULL if none (e.g. an unwrapped capability
 * argument). */
struct rpc_object *ep_lookup(struct entrypoint *e, word_t badge);

/* Signal handlers. */
rpc_status_t signal_handler_init(struct entrypoint *e, struct signal_handler *h, signal_fn_t fn,
				 void *arg);
void signal_handler_fini(struct entrypoint *e, struct signal_handler *h);
/* Send a signal through a notification capability. */
void signal_submit(cptr_t ntfn);

/* Serve forever. */
void ep_run(struct entrypoint *e) __attribute__((noreturn));
/* Wait for one request or signal and dispatch it (a handler may use this
 * only after rpc_defer(): a receive would otherwise drop its caller). */
void ep_dispatch_one(struct entrypoint *e);
/* Block until the signal of h arrives (other signals are remembered and
 * dispatched later; requests are not served meanwhile). */
void ep_wait_signal(struct entrypoint *e, struct signal_handler *h);

/* Deferred replies. */
struct rpc_reply_cap {
	cptr_t slot;
};
rpc_status_t rpc_defer(struct entrypoint *e, struct rpc_reply_cap *rc);
/* Answer a deferred call with reply (label, words, at most one cap) and
 * release the reply capability. */
void rpc_reply_deferred(struct rpc_reply_cap *rc, const struct rpc_msg *reply);

#endif
