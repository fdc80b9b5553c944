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

#include <argil/parent.h>
#include <argil/rpc_gen.h>

#define ROOT_RPC(OP, OPS)                                                               \
	OP(root_session, ROOT_SESSION, 1,                                               \
	   ((STR, label, SESSION_LABEL_MAX), (STR, args, SESSION_ARGS_MAX),             \
	    (WORD, ram), (WORD, caps)),                                                 \
	   ((CAP, session), (WORD, id)))                                                \
	OP(root_upgrade, ROOT_UPGRADE, 2, ((WORD, id), (WORD, ram), (WORD, caps)), ())  \
	OP(root_close, ROOT_CLOSE, 3, ((WORD, id)), ())
RPC_INTERFACE(root, ROOT_RPC);

#endif
