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

#include <argil/rpc.h>

enum parent_op {
	PARENT_SESSION = 1,
	PARENT_UPGRADE,
	PARENT_CLOSE,
	PARENT_ANNOUNCE,
	PARENT_EXIT,
	PARENT_HEARTBEAT_SIGH,
	PARENT_HEARTBEAT_RESPONSE,
	PARENT_RESOURCE_REQUEST,
	PARENT_RESOURCE_AVAIL_SIGH,
	PARENT_YIELD_SIGH,
	PARENT_YIELD_REQUEST,
	PARENT_YIELD_RESPONSE,
};

#define SERVICE_NAME_MAX 32
#define SESSION_LABEL_MAX 384   /* room for about 50 nested inits with short names */
#define SESSION_ARGS_MAX 160

/* Client stubs (parent = the child's COMPONENT_PARENT or any parent cap). */
rpc_status_t parent_session(cptr_t parent, const char *service, const char *label,
			    const char *args, word_t ram, word_t caps, cptr_t payer,
			    cptr_t *session, word_t *id);
rpc_status_t parent_upgrade(cptr_t parent, word_t id, word_t ram, word_t caps, cptr_t payer);
rpc_status_t parent_close(cptr_t parent, word_t id);
rpc_status_t parent_announce(cptr_t parent, const char *service, cptr_t root);
rpc_status_t parent_exit(cptr_t parent, word_t value);
rpc_status_t parent_heartbeat_sigh(cptr_t parent, cptr_t ntfn);
rpc_status_t parent_heartbeat_response(cptr_t parent);
rpc_status_t parent_resource_request(cptr_t parent, word_t ram, word_t caps);
rpc_status_t parent_resource_avail_sigh(cptr_t parent, cptr_t ntfn);
rpc_status_t parent_yield_sigh(cptr_t parent, cptr_t ntfn);
rpc_status_t parent_yield_request(cptr_t parent, word_t *ram, word_t *caps);
rpc_status_t parent_yield_response(cptr_t parent);

#endif
