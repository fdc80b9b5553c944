/*
 * The root interface: what a parent calls on a server's announced root
 * capability to make, upgrade and close sessions (docs/framework.md,
 * "Sessions").
 *
 *   ROOT_SESSION  w0 ram, w1 caps, str label, str args
 *                 -> w0 session id; cap: the session capability
 *   ROOT_UPGRADE  w0 id, w1 ram, w2 caps
 *   ROOT_CLOSE    w0 id
 *
 * The parent has already moved the donated quota (PD_TRANSFER) from the
 * client's account to the server's before ROOT_SESSION / ROOT_UPGRADE; the
 * server builds the session from it and must free it all on ROOT_CLOSE,
 * after which the parent moves the quota back. A server answers a request
 * it cannot fund with RPC_E_NO_RAM_QUOTA or RPC_E_NO_CAP_QUOTA.
 */
#ifndef ARGIL_ROOT_H
#define ARGIL_ROOT_H

#include <argil/rpc.h>

enum root_op {
	ROOT_SESSION = 1,
	ROOT_UPGRADE,
	ROOT_CLOSE,
};

rpc_status_t root_session(cptr_t root, const char *label, const char *args, word_t ram,
			  word_t caps, cptr_t *session, word_t *id);
rpc_status_t root_upgrade(cptr_t root, word_t id, word_t ram, word_t caps);
rpc_status_t root_close(cptr_t root, word_t id);

#endif
