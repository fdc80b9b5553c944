/*
 * CPU sessions and threads (their faults: fault.c).
 *
 * A thread belongs to a CPU session (which pays for it: TCB, UTCB page,
 * notification, bookkeeping, and one capability each for the thread and
 * its TCB, plus one for the notification) and runs in a PD. Its fault
 * endpoint is core's endpoint badged with K_FAULT and the thread's index,
 * so core is the pager of every thread (fault.c); the thread's caller is
 * saved, on an unresolvable fault, in a slot reserved at creation.
 */
#include "core.h"
#include <argil/args.h>
#include <argil/cpu.h>
#include <argil/component.h>
#include <argil/thread.h>

#define THREAD_CAPS 2   /* the thread object and its TCB; +1 with a notification */

static void cpu_destroy(struct session *s);

rpc_status_t cpu_session_create(struct pd *payer, const char *args, word_t ram, word_t caps,
				struct cpu_session **out)
{
	uint64_t prio, first, count;
	word_t limit = payer ? payer->prio_limit : ABI_PRIO_MAX - 1;
	struct session *s;
	rpc_status_t st;

	if (args_u64(args, "priority", limit, &prio) < 0 || args_u64(args, "cpu_first", 0, &first) < 0)
		return RPC_E_INVALID_ARGUMENT;
	if (first >= core_num_cpus)
		return RPC_E_INVALID_ARGUMENT;
	if (args_u64(args, "cpu_count", core_num_cpus - first, &count) < 0 || count == 0 ||
	    count > core_num_cpus - first)
		return RPC_E_INVALID_ARGUMENT;
	if (prio > limit)
		return RPC_E_DENIED;
	st = session_new(sizeof(struct cpu_session), payer, ram, caps, K_CPU, "", &s);
	if (st != RPC_OK)
		return st;
	struct cpu_session *c = (struct cpu_session *)s;
	cpu_session_setup(c, prio, first, count);
	*out = c;
	return RPC_OK;
}

void cpu_session_setup(struct cpu_session *c, word_t prio, word_t first, word_t count)
{
	c->prio_limit = prio;
	c->cpu_first = first;
	c->cpu_count = count;
	c->s.destroy = cpu_destroy;
}

static void cpu_destroy(struct session *s)
{
	struct cpu_session *c = (struct cpu_session *)s;

	while (c->threads)
		thread_destroy_core(c->threads);
}

/* A free 64 KiB window of the stack area with nothing attached in it. */
static word_t window_alloc(struct pd *pd)
{
	for (word_t i = 0; i < COMPONENT_STACK_WINDOWS; i++) {
		if (pd->windows[i / 64] & (1ull << (i % 64)))
			continue;
		word_t w = COMPONENT_STACK_AREA + i * BASE_STACK_SIZE;
		bool busy = false;
		for (struct region *r = pd->regions; r && r->base < w + BASE_STACK_SIZE; r = r->next)
			if (r->base + r->size > w)
				busy = true;
		if (busy)
			continue;
		pd->windows[i / 64] |= 1ull << (i % 64);
		return w;
	}
	return 0;
}

static void window_free(struct pd *pd, word_t w)
{
	word_t i = (w - COMPONENT_STACK_AREA) / BASE_STACK_SIZE;
	pd->windows[i / 64] &= ~(1ull << (i % 64));
}

void region_link(struct pd *pd, struct region *n);
void region_unlink(struct region *n);

rpc_status_t thread_create_core(struct cpu_session *c, struct pd *pd, word_t prio, word_t cpu,
				word_t ntfn_slot, struct thread **out)
{
	struct account *a = &c->s.acct;
	word_t caps = THREAD_CAPS + (ntfn_slot ? 1 : 0);
	struct thread *t;
	rpc_status_t st;
	abi_error_t e;

	*out = 0;
	if (pd->dying)
		return RPC_E_DENIED;
	if (prio > c->prio_limit)
		return RPC_E_DENIED;
	if (cpu >= c->cpu_count)
		return RPC_E_INVALID_ARGUMENT;
	if (ntfn_slot && ((ntfn_slot != COMPONENT_MAIN_NTFN && ntfn_slot < COMPONENT_FIRST_FREE) ||
			  ntfn_slot >= pd_slot_end(pd)))
		return RPC_E_INVALID_ARGUMENT;
	st = acct_charge(a, 0, caps);
	if (st != RPC_OK)
		return st;
	t = acct_alloc(a, sizeof(*t), &st);
	if (!t) {
		acct_release(a, 0, caps);
		return st;
	}
	t->cpu = c;
	t->pd = pd;
	t->prio = prio;
	t->cpu_index = cpu;
	t->state = THREAD_CREATED;
	t->window = window_alloc(pd);
	if (!t->window) {
		st = RPC_E_UNAVAILABLE;
		goto fail;
	}
	if ((st = pd_tables(pd, t->window, PAGE)) != RPC_OK)
		goto fail;
	t->utcb_region = acct_alloc(a, sizeof(struct region), &st);
	if (!t->utcb_region)
		goto fail;
	if ((st = kobj_new(a, OBJ_TCB, 0, &t->tcb)) != RPC_OK)
		goto fail;
	if ((st = kobj_new(a, OBJ_FRAME_4K, 0, &t->utcb)) != RPC_OK)
		goto fail;
	if (ntfn_slot && (st = kobj_new(a, OBJ_NOTIFICATION, 0, &t->ntfn)) != RPC_OK)
		goto fail;
	if ((st = slot_reserve(a, 1)) != RPC_OK)   /* for the reply cap of a fault */
		goto fail;
	t->reply = 1;  /* marks the reservation as held (cleared on destroy) */
	if ((st = obj_register(&t->obj, K_THREAD)) != RPC_OK)
		goto fail;
	if ((st = slot_get(a, &t->fault_ep)) != RPC_OK)
		goto fail;
	if (c_mint(t->fault_ep, core_ep, RIGHT_WRITE, fault_badge(t)) != E_OK) {
		slot_put(a, t->fault_ep);
		t->fault_ep = 0;
		st = RPC_E_UNAVAILABLE;
		goto fail;
	}
	e = frame_map(t->utcb.cap, pd->pml4.cap, t->window, RIGHT_READ | RIGHT_WRITE, 0);
	if (e == E_OK) {
		word_t guard;
		cptr_t root = pd_cspace_root(pd, &guard);
		e = tcb_configure(t->tcb.cap, t->fault_ep, root, guard, pd->pml4.cap,
				  t->window + COMPONENT_IPC_OFFSET, t->utcb.cap);
	}
	if (e == E_OK)
		e = tcb_set_priority(t->tcb.cap, INIT_TCB, prio);
	if (e == E_OK && c->cpu_first + cpu)
		e = tcb_set_affinity(t->tcb.cap, c->cpu_first + cpu);
	if (e == E_OK && ntfn_slot)
		e = tcb_bind_notification(t->tcb.cap, t->ntfn.cap);
	if (e != E_OK) {
		printf("[core] thread setup: error %d\n", e);
		st = RPC_E_UNAVAILABLE;
		goto fail;
	}
	if (ntfn_slot) {
		e = pd_cnode_copy(pd, ntfn_slot, t->ntfn.cap, RIGHTS_ALL);
		if (e != E_OK) {
			st = e == E_DELETE_FIRST ? RPC_E_EXISTS : RPC_E_INVALID_ARGUMENT;
			goto fail;
		}
		t->ntfn_slot = ntfn_slot;
	}
	struct region *u = t->utcb_region;
	u->base = t->window;
	u->size = PAGE;
	u->pages = 1;
	region_link(pd, u);
	t->next_in_pd = pd->threads;
	pd->threads = t;
	t->next_in_cpu = c->threads;
	c->threads = t;
	*out = t;
	return RPC_OK;
fail:
	if (t->fault_ep) {
		c_delete(t->fault_ep);
		slot_put(a, t->fault_ep);
	}
	if (t->obj.id)
		obj_unregister(&t->obj);
	if (t->reply == 1)
		slot_unreserve(a, 1);
	kobj_free(a, &t->ntfn);
	kobj_free(a, &t->utcb);
	kobj_free(a, &t->tcb);
	if (t->utcb_region)
		acct_free(a, t->utcb_region, sizeof(struct region));
	if (t->window) {
		window_free(pd, t->window);
		pd_tables_trim(pd, t->window, PAGE);
	}
	acct_free(a, t, sizeof(*t));
	acct_release(a, 0, caps);
	return st;
}

void thread_destroy_core(struct thread *t)
{
	struct cpu_session *c = t->cpu;
	struct account *a = &c->s.acct;
	struct pd *pd = t->pd;
	word_t caps = THREAD_CAPS + (t->ntfn.blk ? 1 : 0);

	obj_unregister(&t->obj);
	kobj_free(a, &t->tcb);       /* the thread stops; a saved reply cap goes with it */
	if (t->reply > 1) {
		c_delete(t->reply);
		slot_put(a, t->reply);
	} else if (t->reply == 1) {
		slot_unreserve(a, 1);
	}
	c_delete(t->fault_ep);
	slot_put(a, t->fault_ep);
	kobj_free(a, &t->ntfn);      /* with its copy in the PD's CNode */
	region_unlink(t->utcb_region);
	kobj_free(a, &t->utcb);      /* unmaps the UTCB page */
	pd_tables_trim(pd, t->window, PAGE);
	acct_free(a, t->utcb_region, sizeof(struct region));
	window_free(pd, t->window);
	struct thread **pp = &pd->threads;
	while (*pp && *pp != t)
		pp = &(*pp)->next_in_pd;
	if (*pp)
		*pp = t->next_in_pd;
	pp = &c->threads;
	while (*pp && *pp != t)
		pp = &(*pp)->next_in_cpu;
	if (*pp)
		*pp = t->next_in_cpu;
	acct_free(a, t, sizeof(*t));
	acct_release(a, 0, caps);
}

rpc_status_t thread_start_core(struct thread *t, word_t rip, word_t rsp, word_t rdi, word_t rsi)
{
	word_t regs[REG_COUNT];

	if (t->state != THREAD_CREATED)
		return RPC_E_ILLEGAL_OPERATION;
	if (rip >= ABI_USER_TOP || rsp > ABI_USER_TOP)
		return RPC_E_INVALID_ARGUMENT;
	memset(regs, 0, sizeof(regs));
	regs[REG_RIP] = rip;
	regs[REG_RSP] = rsp;
	regs[REG_RFLAGS] = 0x202;
	regs[REG_RDI] = rdi;
	regs[REG_RSI] = rsi;
	if (tcb_write_registers(t->tcb.cap, 1, REG_COUNT, regs) != E_OK)
		return RPC_E_UNAVAILABLE;
	t->state = THREAD_RUNNING;
	return RPC_OK;
}

static rpc_status_t do_create_thread(struct cpu_create_thread_call *a)
{
	struct cpu_session *c = a->obj;
	struct rpc_msg *m = a->in.pd;
	struct pd *pd = m->cap_kind == RPC_CAP_UNWRAPPED ? pd_of_badge(m->cap_badge, 0) : 0;
	struct thread *t;
	rpc_status_t st;

	if (!pd)
		return RPC_E_INVALID_CAP;
	st = thread_create_core(c, pd, a->in.prio, a->in.cpu_index, a->in.ntfn_slot, &t);
	if (st != RPC_OK)
		return st;
	st = obj_cap(&t->obj, &c->s.acct, &a->out.thread);
	if (st != RPC_OK) {
		thread_destroy_core(t);
		return st;
	}
	a->out.window = t->window;
	a->out.ipc = t->window + COMPONENT_IPC_OFFSET;
	return RPC_OK;
}

static rpc_status_t do_cpu_info(struct cpu_info_call *a)
{
	struct cpu_session *c = a->obj;

	a->out.prio_limit = c->prio_limit;
	a->out.cpu_first = c->cpu_first;
	a->out.cpu_count = c->cpu_count;
	a->out.cpus = core_num_cpus;
	return RPC_OK;
}

RPC_SERVER(cpu, CPU_RPC)

static const struct cpu_server cpu_ops = {
	.cpu_create_thread = do_create_thread,
	.cpu_info = do_cpu_info,
};

void cpu_serve(struct cpu_session *c, struct request *r)
{
	cpu_dispatch(&cpu_ops, c, r->msg, r->reply, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t do_start(struct thread_start_rpc_call *c)
{
	return thread_start_core(c->obj, c->in.rip, c->in.rsp, c->in.rdi, c->in.rsi);
}

static rpc_status_t do_pause(struct thread_pause_call *c)
{
	struct thread *t = c->obj;

	if (t->state == THREAD_RUNNING) {
		tcb_suspend(t->tcb.cap);
		t->state = THREAD_PAUSED;
	} else if (t->state == THREAD_CREATED) {
		return RPC_E_ILLEGAL_OPERATION;
	}
	return RPC_OK;
}

static rpc_status_t do_resume(struct thread_resume_call *c)
{
	struct thread *t = c->obj;

	if (t->state == THREAD_PAUSED) {
		tcb_resume(t->tcb.cap);
		t->state = THREAD_RUNNING;
	} else if (t->state == THREAD_FAULTED) {
		t->state = THREAD_RUNNING;
		fault_release(t);
	} else if (t->state == THREAD_CREATED) {
		return RPC_E_ILLEGAL_OPERATION;
	}
	return RPC_OK;
}

static rpc_status_t do_state(struct thread_state_call *c)
{
	struct thread *t = c->obj;

	c->out.state = t->state;
	c->out.fault_label = t->fault_label;
	c->out.fault_addr = t->fault_addr;
	c->out.fault_ip = t->fault_ip;
	c->out.faults = t->faults;
	return RPC_OK;
}

static rpc_status_t do_set_priority(struct thread_set_priority_call *c)
{
	struct thread *t = c->obj;

	if (c->in.prio > t->cpu->prio_limit)
		return RPC_E_DENIED;
	t->prio = c->in.prio;
	tcb_set_priority(t->tcb.cap, INIT_TCB, t->prio);
	return RPC_OK;
}

static rpc_status_t do_set_affinity(struct thread_set_affinity_call *c)
{
	struct thread *t = c->obj;

	if (c->in.cpu >= t->cpu->cpu_count)
		return RPC_E_INVALID_ARGUMENT;
	t->cpu_index = c->in.cpu;
	tcb_set_affinity(t->tcb.cap, t->cpu->cpu_first + t->cpu_index);
	return RPC_OK;
}

static rpc_status_t do_destroy(struct thread_destroy_call *c)
{
	thread_destroy_core(c->obj);
	return RPC_OK;
}

RPC_SERVER(thread, THREAD_RPC)

static const struct thread_server thread_ops = {
	.thread_start_rpc = do_start,
	.thread_pause = do_pause,
	.thread_resume = do_resume,
	.thread_state = do_state,
	.thread_set_priority = do_set_priority,
	.thread_set_affinity = do_set_affinity,
	.thread_destroy = do_destroy,
};

void thread_serve(struct thread *t, struct request *r)
{
	thread_dispatch(&thread_ops, t, r->msg, r->reply, RPC_E_ILLEGAL_OPERATION);
}
