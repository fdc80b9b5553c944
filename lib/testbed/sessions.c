/*
 * testbed: the test's own sessions at its children (a record of each, so
 * that a case that failed half-way has them closed), signals, reports.
 */
#include <argil/cthread.h>
#include <argil/kernel.h>
#include <argil/lock.h>
#include <stdarg.h>
#include "testbed.h"
#include "testbed_private.h"

struct tb_own_rec tb_owns[TB_OWN_MAX];

static void own_forget(struct tb_own *o)
{
	if (o->rec > 0 && o->rec <= TB_OWN_MAX) {
		tb_owns[o->rec - 1].server = 0;
		tb_owns[o->rec - 1].persistent = 0;
	}
}

int tb_close_leftovers(void)
{
	int n = 0;

	for (int i = 0; i < TB_OWN_MAX; i++) {
		if (!tb_owns[i].server || tb_owns[i].persistent)
			continue;
		struct tb_own o = { tb_owns[i].server, tb_owns[i].root, tb_owns[i].cap, tb_owns[i].id,
				    tb_owns[i].ram, tb_owns[i].caps, i + 1 };
		tb_close(&o);
		n++;
	}
	return n;
}

rpc_status_t tb_open(struct tb_own *o, struct tb_child *server, const char *service,
		     const char *label, const char *args, word_t ram, word_t caps)
{
	cptr_t root = tb_root_of(server, service);
	rpc_status_t st;

	memset(o, 0, sizeof(*o));
	if (!root)
		return RPC_E_NOT_FOUND;
	st = pd_transfer(tb_env->pd, server->c.pd, ram, caps);
	if (st != RPC_OK)
		return st;
	st = root_session(root, label, args, ram, caps, &o->cap, &o->id);
	if (st != RPC_OK) {
		if (pd_transfer(server->c.pd, tb_env->pd, ram, caps) != RPC_OK)
			tb_error("%s kept the donation of a refused session", server->name);
		o->cap = 0;
		return st;
	}
	o->server = server;
	o->root = root;
	o->ram = ram;
	o->caps = caps;
	for (int i = 0; i < TB_OWN_MAX; i++) {
		if (!tb_owns[i].server) {
			tb_owns[i].server = server;
			tb_owns[i].root = root;
			tb_owns[i].cap = o->cap;
			tb_owns[i].id = o->id;
			tb_owns[i].ram = ram;
			tb_owns[i].caps = caps;
			o->rec = i + 1;
			break;
		}
	}
	return RPC_OK;
}

rpc_status_t tb_upgrade(struct tb_own *o, word_t ram, word_t caps)
{
	rpc_status_t st;

	if (!o->server || o->server->dying)
		return RPC_E_DELETED;
	st = pd_transfer(tb_env->pd, o->server->c.pd, ram, caps);
	if (st != RPC_OK)
		return st;
	st = root_upgrade(o->root, o->id, ram, caps);
	if (st != RPC_OK) {
		if (pd_transfer(o->server->c.pd, tb_env->pd, ram, caps) != RPC_OK)
			tb_error("%s kept the donation of a refused upgrade", o->server->name);
		return st;
	}
	o->ram += ram;
	o->caps += caps;
	if (o->rec > 0 && o->rec <= TB_OWN_MAX) {
		tb_owns[o->rec - 1].ram = o->ram;
		tb_owns[o->rec - 1].caps = o->caps;
	}
	return RPC_OK;
}

rpc_status_t tb_close(struct tb_own *o)
{
	rpc_status_t st;

	if (!o->server)
		return RPC_E_NOT_FOUND;
	own_forget(o);
	st = root_close(o->root, o->id);
	cap_slot_free(o->cap);
	if (st == RPC_OK)
		st = pd_transfer(o->server->c.pd, tb_env->pd, o->ram, o->caps);
	memset(o, 0, sizeof(*o));
	return st;
}

void tb_signal_bits(cptr_t *ntfn, cptr_t bits[62])
{
	word_t handle;

	*ntfn = cap_slot_alloc();
	CHECK_OK(pd_alloc_ntfn(tb_env->pd, *ntfn, &handle));
	for (int i = 0; i < 62; i++) {
		bits[i] = cap_slot_alloc();
		CHECK_EQ(cnode_mint(COMPONENT_CNODE, bits[i], 64, COMPONENT_CNODE, *ntfn, 64,
				    RIGHT_WRITE, 1ull << i), E_OK);
	}
}

rpc_status_t tb_report_open(struct tb_report *r, struct tb_child *server, const char *label,
			    const char *args, word_t ram)
{
	word_t addr;
	rpc_status_t st;

	memset(r, 0, sizeof(*r));
	st = tb_open(&r->s, server, REPORT_SERVICE, label, args, ram, REPORT_SESSION_CAPS);
	if (st != RPC_OK)
		return st;
	CHECK_OK(report_dataspace(r->s.cap, &r->ds, &r->size));
	CHECK_OK(pd_attach(tb_env->pd, r->ds, 0, 0, 0, ATTACH_WRITE, &addr));
	r->buf = (char *)addr;
	return RPC_OK;
}

void tb_report_submit(struct tb_report *r, const char *text)
{
	word_t n = strlen(text);

	memcpy(r->buf, text, n);
	CHECK_OK(report_submit(r->s.cap, n));
}

void tb_report_close(struct tb_report *r)
{
	CHECK_OK(pd_detach(tb_env->pd, (word_t)r->buf));
	cap_slot_free(r->ds);
	CHECK_OK(tb_close(&r->s));
}

