/*
 * The root of a service and its sessions' bookkeeping
 * (argil/session_server.h). Trusts the parent that calls the root for the
 * quota it says it moved; a request's strings and ids are checked.
 */
#include <argil/component.h>
#include <argil/heap.h>
#include <argil/root.h>
#include <argil/session_server.h>
#include <argil/string.h>

static word_t next_id = 1;   /* shared by a component's session servers */

static struct server_session *find(struct session_server *srv, word_t id,
				   struct server_session ***link)
{
	for (struct server_session **l = &srv->sessions; *l; l = &(*l)->next) {
		if ((*l)->id == id) {
			*link = l;
			return *l;
		}
	}
	return 0;
}

static rpc_status_t do_session(struct root_session_call *c)
{
	struct session_server *srv = c->obj;
	struct server_session *s;
	rpc_status_t st;

	if (c->in.ram < srv->ram)
		return RPC_E_NO_RAM_QUOTA;
	if (c->in.caps < srv->caps)
		return RPC_E_NO_CAP_QUOTA;
	s = calloc(1, srv->size);
	if (!s)
		return RPC_E_NO_RAM_QUOTA;
	memcpy(s->label, c->in.label, sizeof(s->label));
	s->budget.ram = c->in.ram;
	s->budget.caps = c->in.caps;
	s->id = next_id;
	st = srv->create ? srv->create(srv, s, c->in.args) : RPC_OK;
	if (st != RPC_OK) {
		free(s);
		return st;
	}
	if (ep_manage(srv->ep, &s->obj, srv->rpc, s) != RPC_OK)
		st = RPC_E_NO_RAM_QUOTA;
	else if (!ep_cap(srv->ep, &s->obj))
		st = RPC_E_UNAVAILABLE;   /* our CSpace is full */
	if (st != RPC_OK) {
		ep_dissolve(srv->ep, &s->obj);
		if (srv->destroy)
			srv->destroy(srv, s);
		free(s);
		return st;
	}
	next_id++;
	s->next = srv->sessions;
	srv->sessions = s;
	c->out.session = s->obj.cap;
	c->out.id = s->id;
	return RPC_OK;
}

static rpc_status_t do_upgrade(struct root_upgrade_call *c)
{
	struct server_session **link, *s = find(c->obj, c->in.id, &link);

	if (!s)
		return RPC_E_NOT_FOUND;
	s->budget.ram += c->in.ram;
	s->budget.caps += c->in.caps;
	return RPC_OK;
}

static rpc_status_t do_close(struct root_close_call *c)
{
	struct session_server *srv = c->obj;
	struct server_session **link, *s = find(srv, c->in.id, &link);

	if (!s)
		return RPC_E_NOT_FOUND;
	*link = s->next;
	ep_dissolve(srv->ep, &s->obj);
	if (srv->destroy)
		srv->destroy(srv, s);
	free(s);
	return RPC_OK;
}

RPC_SERVER(root, ROOT_RPC)

static const struct root_server root_ops = {
	.root_session = do_session,
	.root_upgrade = do_upgrade,
	.root_close = do_close,
};

static void root_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	root_dispatch(&root_ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

rpc_status_t session_server_announce(struct session_server *srv)
{
	rpc_status_t st = ep_manage(srv->ep, &srv->root, root_rpc, srv);

	if (st != RPC_OK)
		return st;
	if (!ep_cap(srv->ep, &srv->root))
		return RPC_E_OUT_OF_SLOTS;
	return parent_announce(COMPONENT_PARENT, srv->service, srv->root.cap);
}
