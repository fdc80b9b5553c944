/*
 * The server side of sessions (docs/framework.md, "Writing a new
 * service"): a service's root (ROOT_SESSION, ROOT_UPGRADE, ROOT_CLOSE of
 * argil/root.h) and the bookkeeping every session needs (its label, its
 * donated quota, its id, its RPC object), so that a service writes only
 * what its sessions do. Code: base/src/session_server.c.
 *
 * A service's session record begins with a struct server_session. On
 * ROOT_SESSION the helper checks the least quota (srv->ram, srv->caps:
 * RPC_E_NO_RAM_QUOTA / RPC_E_NO_CAP_QUOTA), allocates srv->size zeroed
 * bytes on the component heap, fills in the label and the budget (the
 * donation) and calls srv->create (if any), which sets up the service's
 * part (it may spend from the budget with budget_take, and on failure
 * frees what it made and returns the error). Then the session gets its
 * RPC object (its requests go to srv->rpc with obj->data = the record),
 * its id and its place in srv->sessions. ROOT_UPGRADE adds to the budget;
 * ROOT_CLOSE takes the session out of the list, dissolves its RPC object,
 * calls srv->destroy (if any) and frees the record. Ids count from 1
 * across all session servers of a component. Unknown ids are
 * RPC_E_NOT_FOUND, malformed requests RPC_E_INVALID_ARGUMENT
 * (argil/rpc_gen.h).
 */
#ifndef ARGIL_SESSION_SERVER_H
#define ARGIL_SESSION_SERVER_H

#include <argil/entrypoint.h>
#include <argil/parent.h>

/* What the server spends for a session's donation: accounting. */
struct session_budget {
	word_t ram, caps;            /* donated (session request plus upgrades) */
	word_t ram_used, caps_used;
};

static inline bool budget_take(struct session_budget *b, word_t ram, word_t caps)
{
	if (b->ram - b->ram_used < ram || b->caps - b->caps_used < caps)
		return false;
	b->ram_used += ram;
	b->caps_used += caps;
	return true;
}

static inline void budget_give(struct session_budget *b, word_t ram, word_t caps)
{
	b->ram_used -= ram;
	b->caps_used -= caps;
}

/* Cost of a RAM dataspace of n pages at core, attached once in the
 * server, as servers charge it to a session's budget: the frames, their
 * capability slots, one mapping slot per page and bookkeeping, page
 * tables shared. PAGES: the pages that hold a number of bytes. */
#define DS_PAGE_COST 4240ul
#define DS_BASE_COST 2048ul
#define DS_COST(pages) ((word_t)(pages) * DS_PAGE_COST + DS_BASE_COST)
#define PAGES(bytes) (((word_t)(bytes) + 4095) / 4096)

struct server_session {
	struct rpc_object obj;           /* the session's RPC object (obj.data: this) */
	struct session_budget budget;
	word_t id;                       /* set before create is called */
	char label[SESSION_LABEL_MAX];
	struct server_session *next;     /* srv->sessions */
};

struct session_server {
	/* set by the service */
	const char *service;             /* announced under this name */
	struct entrypoint *ep;
	size_t size;                     /* of the service's session record */
	word_t ram, caps;                /* the least a session must donate */
	rpc_status_t (*create)(struct session_server *srv, struct server_session *s,
			       const char *args);
	void (*destroy)(struct session_server *srv, struct server_session *s);
	rpc_handler_t rpc;               /* requests on a session */
	void *data;                      /* for the service */
	/* the helper's */
	struct rpc_object root;
	struct server_session *sessions;
};

/* Register the root at srv->ep and announce srv->service to the parent. */
rpc_status_t session_server_announce(struct session_server *srv);

#endif
