/*
 * testbed: children, started and destroyed through core's services, and
 * what the test waits for of them (announce, exit, heartbeat, fault,
 * quota).
 */
#include <argil/cthread.h>
#include <argil/kernel.h>
#include <argil/lock.h>
#include <stdarg.h>
#include "testbed.h"
#include "testbed_private.h"

/* ---- children ---- */

rpc_status_t tb_start(struct tb_child **out, const char *name, const char *binary, word_t ram,
		      word_t caps, word_t priority, const char *config)
{
	struct tb_child *c = calloc(1, sizeof(*c));
	struct child_spec spec;
	rpc_status_t st;

	*out = 0;
	if (!c)
		return RPC_E_OUT_OF_MEMORY;
	snprintf(c->name, sizeof(c->name), "%s", name);
	if (config)
		tb_set_config(c, config);
	st = ep_manage(&tb_env->ep, &c->obj, tb_child_parent, c);
	if (st != RPC_OK) {
		free(c->config);
		free(c);
		return st;
	}
	spec = (struct child_spec){ .name = name, .binary = binary, .ram = ram, .caps = caps,
				    .priority = priority,
				    .parent_cap = ep_cap(&tb_env->ep, &c->obj) };
	lock_acquire(&tb_lock);
	c->next = tb_children;
	tb_children = c;
	lock_release(&tb_lock);
	st = child_start(tb_env->parent, &spec, &c->c);
	if (st == RPC_OK)
		st = pd_fault_sigh(c->c.pd, tb_ntfn);
	if (st != RPC_OK) {
		c->dying = 1;
		if (c->c.started)
			child_destroy(tb_env->parent, &c->c);
		lock_acquire(&tb_lock);
		for (struct tb_child **l = &tb_children; *l; l = &(*l)->next)
			if (*l == c) {
				*l = c->next;
				break;
			}
		lock_release(&tb_lock);
		ep_dissolve(&tb_env->ep, &c->obj);
		tb_free_old_configs(c);
		free(c->config);
		free(c);
		return st;
	}
	*out = c;
	return RPC_OK;
}

void tb_destroy(struct tb_child *c)
{
	if (!c)
		return;
	c->dying = 1;
	/* wait for the router to finish what it does for or with it */
	for (;;) {
		int busy = 0;
		lock_acquire(&tb_lock);
		busy = !tb_queue_empty();
		for (struct tb_child *o = tb_children; o && !busy; o = o->next)
			for (int i = 0; i < TB_MAX_SESSIONS; i++)
				if (o->sessions[i].kind != TB_NONE && o->sessions[i].pending)
					busy = 1;
		lock_release(&tb_lock);
		if (!busy)
			break;
		sys_yield();
	}
	/* its sessions: at servers (donation back first), at core, config */
	for (int i = 0; i < TB_MAX_SESSIONS; i++) {
		struct tb_session *s = &c->sessions[i];
		if (s->kind == TB_CHILD) {
			root_close(s->root, s->remote_id);
			if (pd_transfer(s->server->c.pd, c->c.pd, s->ram, s->caps) != RPC_OK)
				tb_error("%s kept the quota of %s's session", s->server->name, c->name);
			s->kind = TB_NONE;
		} else if (s->kind == TB_CONFIG || s->kind == TB_PARENT) {
			tb_close_local(c, s);
		}
		s->kind = TB_NONE;
	}
	/* sessions of others at it: their donations come back to us with its
	 * PD; pass them on to their clients */
	child_destroy(tb_env->parent, &c->c);
	for (struct tb_child *o = tb_children; o; o = o->next) {
		for (int i = 0; i < TB_MAX_SESSIONS; i++) {
			struct tb_session *s = &o->sessions[i];
			if (s->kind != TB_CHILD || s->server != c)
				continue;
			if (pd_transfer(tb_env->pd, o->c.pd, s->ram, s->caps) != RPC_OK)
				tb_error("cannot return %s's donation to %s", c->name, o->name);
			s->kind = TB_DEAD;
			s->server = 0;
		}
	}
	for (int i = 0; i < TB_OWN_MAX; i++) {
		if (tb_owns[i].server == c) {
			cap_slot_free(tb_owns[i].cap);
			tb_owns[i].server = 0;
			tb_owns[i].persistent = 0;
		}
	}
	for (int i = 0; i < c->nservices; i++)
		cap_slot_free(c->services[i].root);
	cap_slot_free(c->heartbeat_sigh);
	ep_dissolve(&tb_env->ep, &c->obj);
	lock_acquire(&tb_lock);
	for (struct tb_child **l = &tb_children; *l; l = &(*l)->next)
		if (*l == c) {
			*l = c->next;
			break;
		}
	lock_release(&tb_lock);
	tb_free_old_configs(c);
	free(c->config);
	free(c);
}

bool tb_wait_announce(struct tb_child *c, const char *service)
{
	while (!tb_root_of(c, service)) {
		if (c->exited || tb_faulted(c, 0))
			return false;
		tb_wait();
	}
	return true;
}

word_t tb_wait_exit(struct tb_child *c)
{
	while (!c->exited)
		tb_wait();
	return c->exit_value;
}

bool tb_heartbeat(struct tb_child *c)
{
	if (!c->heartbeat_sigh)
		return false;
	sys_signal(c->heartbeat_sigh);
	return true;
}

bool tb_faulted(struct tb_child *c, struct thread_state_info *st)
{
	struct thread_state_info s;

	if (thread_state(c->c.thread, &s) != RPC_OK)
		return false;
	if (st)
		*st = s;
	return s.state == THREAD_FAULTED;
}

struct pd_quota tb_quota(struct tb_child *c)
{
	struct pd_quota q;

	memset(&q, 0, sizeof(q));
	pd_quota(c->c.pd, &q);
	return q;
}

