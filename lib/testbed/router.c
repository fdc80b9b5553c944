/*
 * testbed: routing of the children's session requests (tb_route_default)
 * and the router thread, which carries out the requests that involve a
 * child server (open, upgrade, close) from its queue and answers them with
 * deferred replies.
 */
#include <argil/cthread.h>
#include <argil/kernel.h>
#include <argil/lock.h>
#include <stdarg.h>
#include "testbed.h"
#include "testbed_private.h"

static struct job queue[QUEUE];
static volatile unsigned q_head, q_tail;   /* tail: next free, head: next to do */
cptr_t tb_router_ntfn;
word_t tb_router_ntfn_handle;
struct cthread tb_router;

/* ---- routing ---- */

static struct tb_child *provider(const char *service, struct tb_child *except)
{
	for (struct tb_child *c = tb_children; c; c = c->next) {
		if (c == except || c->dying)
			continue;
		for (int i = 0; i < c->nservices; i++)
			if (!strcmp(c->services[i].name, service))
				return c;
	}
	return 0;
}

static void scoped(char *out, const char *name, const char *label)
{
	if (label[0])
		snprintf(out, SESSION_LABEL_MAX, "%s -> %s", name, label);
	else
		snprintf(out, SESSION_LABEL_MAX, "%s", name);
}

void tb_route_default(struct tb_child *client, const char *service, const char *label,
		      struct tb_route *r)
{
	memset(r, 0, sizeof(*r));
	scoped(r->label, client->name, label);
	if (!strcmp(service, "ROM") && !strcmp(label, "config") && client->config) {
		r->kind = TB_CONFIG;
		return;
	}
	r->server = provider(service, client);
	r->kind = r->server ? TB_CHILD : TB_PARENT;
}

cptr_t tb_root_of(struct tb_child *server, const char *service)
{
	for (int i = 0; i < server->nservices; i++)
		if (!strcmp(server->services[i].name, service))
			return server->services[i].root;
	return 0;
}

void tb_enqueue(struct job *j)
{
	lock_acquire(&tb_lock);
	queue[q_tail % QUEUE] = *j;
	q_tail++;
	lock_release(&tb_lock);
	sys_signal(tb_router_ntfn);
}

bool tb_queue_full(void)
{
	return q_tail - q_head >= QUEUE;
}

bool tb_queue_empty(void)
{
	return q_head == q_tail;
}

/* ---- the router ---- */

static void run_job(struct job *j)
{
	struct tb_session *s = j->s;
	struct tb_child *server = s->server, *client = j->client;
	struct rpc_msg rep;
	cptr_t cap = 0;
	word_t rid = 0;
	rpc_status_t st = RPC_E_ILLEGAL_OPERATION;

	rpc_init(&rep, RPC_OK);
	if (!server || server->dying || client->dying || !s->root) {
		st = RPC_E_DELETED;
		goto answer;
	}
	switch (j->op) {
	case JOB_OPEN:
		st = pd_transfer(client->c.pd, server->c.pd, j->ram, j->caps);
		if (st != RPC_OK)
			break;
		st = root_session(s->root, j->label, j->args, j->ram, j->caps, &cap, &rid);
		if (st != RPC_OK) {
			if (pd_transfer(server->c.pd, client->c.pd, j->ram, j->caps) != RPC_OK)
				tb_error("%s kept the donation of a refused session", server->name);
			break;
		}
		s->remote_id = rid;
		s->ram = j->ram;
		s->caps = j->caps;
		tb_session_reply(&rep, cap, s->id);
		break;
	case JOB_UPGRADE:
		st = pd_transfer(client->c.pd, server->c.pd, j->ram, j->caps);
		if (st != RPC_OK)
			break;
		st = root_upgrade(s->root, s->remote_id, j->ram, j->caps);
		if (st != RPC_OK) {
			if (pd_transfer(server->c.pd, client->c.pd, j->ram, j->caps) != RPC_OK)
				tb_error("%s kept the donation of a refused upgrade", server->name);
			break;
		}
		s->ram += j->ram;
		s->caps += j->caps;
		break;
	case JOB_CLOSE:
		st = root_close(s->root, s->remote_id);
		if (st != RPC_OK)
			tb_error("%s refused to close session %lu: %s", server->name, s->remote_id,
			      rpc_status_name(st));
		if (pd_transfer(server->c.pd, client->c.pd, s->ram, s->caps) != RPC_OK)
			tb_error("%s kept the quota of a closed session (%lu bytes, %lu caps)",
			      server->name, s->ram, s->caps);
		st = RPC_OK;
		break;
	}
answer:
	lock_acquire(&tb_lock);
	s->pending = 0;
	if ((j->op == JOB_OPEN && st != RPC_OK) || j->op == JOB_CLOSE)
		s->kind = TB_NONE;
	lock_release(&tb_lock);
	rep.label = st;
	rpc_reply_deferred(&j->rc, &rep);
	cap_slot_free(cap);
	tb_notify();
}

void tb_router_loop(void *arg)
{
	(void)arg;
	for (;;) {
		sys_wait(tb_router_ntfn);
		for (;;) {
			struct job j;
			lock_acquire(&tb_lock);
			if (q_head == q_tail) {
				lock_release(&tb_lock);
				break;
			}
			j = queue[q_head % QUEUE];
			q_head++;
			lock_release(&tb_lock);
			run_job(&j);
		}
	}
}

