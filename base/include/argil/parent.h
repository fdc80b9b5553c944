/*
 * The parent interface: what a child calls on its COMPONENT_PARENT
 * capability (docs/framework.md, "Sessions" and "Parent interface").
 *
 * Opcodes, arguments (w = words, str = packed strings, cap = the one
 * capability of the message) and results:
 *
 *   PARENT_SESSION    w0 ram, w1 caps, str service, str label, str args;
 *                     cap: optional PD session of the account that pays
 *                     -> w0 session id; cap: the session capability
 *   PARENT_UPGRADE    w0 id, w1 ram, w2 caps; cap: optional paying PD
 *   PARENT_CLOSE      w0 id
 *   PARENT_ANNOUNCE   str service; cap: the server's root capability
 *   PARENT_EXIT       w0 exit value (the parent may reply or not)
 *   PARENT_HEARTBEAT_SIGH    cap: notification the parent signals for a beat
 *   PARENT_HEARTBEAT_RESPONSE
 *   PARENT_RESOURCE_REQUEST  w0 ram, w1 caps (asks for more quota)
 *   PARENT_RESOURCE_AVAIL_SIGH cap: notification signalled when granted
 *   PARENT_YIELD_SIGH        cap: notification signalled on a yield request
 *   PARENT_YIELD_REQUEST     -> w0 ram, w1 caps the parent wants back
 *   PARENT_YIELD_RESPONSE    (the child has released what it could)
 *
 * The session quota (ram bytes, caps) is donated: it leaves the paying
 * account when the session is made and returns when it is closed. Without
 * a PD capability the child itself pays. A parent prefixes a child's label
 * with the child's name ("<child> -> <label>", or just "<child>" for an
 * empty label) before passing a request on.
 *
 * Core is the parent of init. It serves SESSION/UPGRADE/CLOSE for its own
 * services (PD, CPU, ROM, LOG, IO_MEM, IO_PORT, IRQ; unknown service:
 * RPC_E_NOT_FOUND), EXIT (prints the value and halts the machine), and
 * answers the rest with RPC_E_UNAVAILABLE.
 */
#ifndef ARGIL_PARENT_H
#define ARGIL_PARENT_H

#include <argil/rpc_gen.h>

#define SERVICE_NAME_MAX 32
#define SESSION_LABEL_MAX 384   /* room for about 50 nested inits with short names */
#define SESSION_ARGS_MAX 160

/* The interface (argil/rpc_gen.h); the stubs take the parent capability
 * (the child's COMPONENT_PARENT or any parent cap) first. */
#define PARENT_RPC(OP, OPS)                                                             \
	OP(parent_session, PARENT_SESSION, 1,                                           \
	   ((STR, service, SERVICE_NAME_MAX), (STR, label, SESSION_LABEL_MAX),          \
	    (STR, args, SESSION_ARGS_MAX), (WORD, ram), (WORD, caps), (CAP, payer)),     \
	   ((CAP, session), (WORD, id)))                                                \
	OP(parent_upgrade, PARENT_UPGRADE, 2,                                           \
	   ((WORD, id), (WORD, ram), (WORD, caps), (CAP, payer)), ())                   \
	OP(parent_close, PARENT_CLOSE, 3, ((WORD, id)), ())                             \
	OP(parent_announce, PARENT_ANNOUNCE, 4,                                         \
	   ((STR, service, SERVICE_NAME_MAX), (CAP, root)), ())                         \
	OP(parent_exit, PARENT_EXIT, 5, ((WORD, value)), ())                            \
	OP(parent_heartbeat_sigh, PARENT_HEARTBEAT_SIGH, 6, ((CAP, ntfn)), ())          \
	OP(parent_heartbeat_response, PARENT_HEARTBEAT_RESPONSE, 7, (), ())             \
	OP(parent_resource_request, PARENT_RESOURCE_REQUEST, 8, ((WORD, ram), (WORD, caps)), ()) \
	OP(parent_resource_avail_sigh, PARENT_RESOURCE_AVAIL_SIGH, 9, ((CAP, ntfn)), ()) \
	OP(parent_yield_sigh, PARENT_YIELD_SIGH, 10, ((CAP, ntfn)), ())                 \
	OP(parent_yield_request, PARENT_YIELD_REQUEST, 11, (), ((WORD, ram), (WORD, caps))) \
	OP(parent_yield_response, PARENT_YIELD_RESPONSE, 12, (), ())
RPC_INTERFACE(parent, PARENT_RPC);

/* A session the component holds at its parent: its capability and id. */
struct parent_conn {
	cptr_t cap;              /* 0: none */
	word_t id;
};

/* Open service's session through COMPONENT_PARENT, paying ram and caps;
 * on failure c->cap is 0. */
rpc_status_t parent_conn_open(struct parent_conn *c, const char *service, const char *label,
			      const char *args, word_t ram, word_t caps);
/* Close it at the parent and free its slot (none: nothing). */
void parent_conn_close(struct parent_conn *c);

#endif
