/*
 * Helpers shared by the test files (test.h). They assert, so they may
 * only be called from the root thread.
 */
#include "test.h"

static cptr_t ticker_ntfn[ABI_MAX_CPUS];
static struct thread ticker[ABI_MAX_CPUS];

void helpers_reset(void);
void helpers_reset(void)
{
	for (int i = 0; i < ABI_MAX_CPUS; i++)
		ticker_ntfn[i] = 0;
}

cptr_t mk(struct env *env, word_t type, word_t size_bits)
{
	cptr_t c = 0;
	abi_error_t err = env_new(env, type, size_bits, &c);

	if (err != E_OK)
		test_fail(__FILE__, __LINE__, "allocating object type %lu size %lu: %s (mr0 0x%lx)",
			  type, size_bits, error_name(err), kernel_last_detail(0));
	return c;
}

cptr_t mk_slot(struct env *env)
{
	cptr_t c = env_slot(env);

	if (!c)
		test_fail(__FILE__, __LINE__, "out of root CNode slots");
	return c;
}

cptr_t mk_untyped(struct env *env, word_t bits)
{
	return mk(env, OBJ_UNTYPED, bits);
}

cptr_t mk_copy(struct env *env, cptr_t src, word_t rights)
{
	cptr_t c = mk_slot(env);

	CHECK_OK(cnode_copy(R, c, 64, R, src, 64, rights));
	return c;
}

cptr_t mk_mint(struct env *env, cptr_t src, word_t rights, word_t badge)
{
	cptr_t c = mk_slot(env);

	CHECK_OK(cnode_mint(R, c, 64, R, src, 64, rights, badge));
	return c;
}

word_t cap_type(cptr_t c)
{
	return sys_debug_cap_type(c);
}

void spawn_on(struct env *env, struct thread *t, void *fn, word_t a0, word_t a1, word_t prio,
	      word_t cpu)
{
	CHECK_OK(thread_create(env, t, 0));
	CHECK_OK(thread_start(t, fn, a0, a1, prio, cpu));
}

void spawn(struct env *env, struct thread *t, void *fn, word_t a0, word_t a1, word_t prio)
{
	spawn_on(env, t, fn, a0, a1, prio, 0);
}

void spawn_faulting(struct env *env, struct thread *t, cptr_t fault_ep, void *fn, word_t a0,
		    word_t a1, word_t prio)
{
	CHECK_OK(thread_create(env, t, fault_ep));
	CHECK_OK(thread_start(t, fn, a0, a1, prio, 0));
}

static word_t ticker_fn(word_t ntfn, word_t unused)
{
	(void)unused;
	for (;;) {
		sys_signal(ntfn);
		sys_yield();
	}
	return 0;
}

/* The ticker of `cpu`, made on first use in a case. */
static cptr_t ticker_on(struct env *env, word_t cpu)
{
	if (!ticker_ntfn[cpu]) {
		ticker_ntfn[cpu] = mk(env, OBJ_NOTIFICATION, 0);
		spawn_on(env, &ticker[cpu], ticker_fn, ticker_ntfn[cpu], 0, PRIO_TICKER, cpu);
	}
	return ticker_ntfn[cpu];
}

void settle(struct env *env)
{
	cptr_t n = ticker_on(env, 0);

	/* the root runs on CPU 0, so the ticker is not running now: the
	 * next signal comes from a later run of it */
	sys_poll(n);
	sys_wait(n);
}

void settle_cpu(struct env *env, word_t cpu)
{
	cptr_t n;

	if (cpu == 0) {
		settle(env);
		return;
	}
	n = ticker_on(env, cpu);
	/* The ticker runs concurrently there: one signal may already be on
	 * its way into the kernel as we poll. The one after it comes only
	 * after the yield between them picked the ticker again, with every
	 * thread of that CPU above priority 1 blocked. */
	sys_poll(n);
	sys_wait(n);
	sys_wait(n);
}

word_t backstop_deadline(void)
{
	word_t rate = test_bootinfo->tsc_per_ms ? test_bootinfo->tsc_per_ms : 1000000;

	return rdtsc() + BACKSTOP_MS * rate;
}

int backstop_passed(word_t deadline)
{
	return rdtsc() >= deadline;
}

int recv_wait(struct env *env, cptr_t ep, struct sys_msg *m)
{
	word_t deadline = backstop_deadline();

	for (;;) {
		memset(m, 0, sizeof(*m));
		sys_nbrecv(ep, m);
		if (m->info || m->badge)
			return 1;
		if (backstop_passed(deadline)) {
			printf("# nothing arrived on the endpoint within %u ms\n", BACKSTOP_MS);
			return 0;
		}
		settle(env);
	}
}

word_t wait_signal(struct env *env, cptr_t n)
{
	word_t deadline = backstop_deadline();

	for (;;) {
		word_t b = sys_poll(n);
		if (b)
			return b;
		if (backstop_passed(deadline)) {
			printf("# no signal within %u ms\n", BACKSTOP_MS);
			return 0;
		}
		settle(env);
	}
}

void map_tables(struct env *env, cptr_t vspace, word_t vaddr)
{
	CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), vspace, vaddr));
	CHECK_OK(pd_map(mk(env, OBJ_PD, 0), vspace, vaddr));
	CHECK_OK(pt_map(mk(env, OBJ_PT, 0), vspace, vaddr));
}

/* Map frame at vaddr, making missing paging structures on the way. */
static void map_frame_tables(struct env *env, cptr_t frame, cptr_t vspace, word_t vaddr,
			     word_t rights, word_t attrs)
{
	for (int tries = 0; tries < 4; tries++) {
		abi_error_t err = frame_map(frame, vspace, vaddr, rights, attrs);
		if (err == E_OK)
			return;
		if (err != E_NOT_MAPPED)
			test_fail(__FILE__, __LINE__, "frame_map at 0x%lx: %s", vaddr, error_name(err));
		switch (kernel_last_detail(0)) {
		case 3: CHECK_OK(pdpt_map(mk(env, OBJ_PDPT, 0), vspace, vaddr)); break;
		case 2: CHECK_OK(pd_map(mk(env, OBJ_PD, 0), vspace, vaddr)); break;
		case 1: CHECK_OK(pt_map(mk(env, OBJ_PT, 0), vspace, vaddr)); break;
		default:
			test_fail(__FILE__, __LINE__, "E_NOT_MAPPED with level %lu", kernel_last_detail(0));
		}
	}
	test_fail(__FILE__, __LINE__, "could not map 0x%lx", vaddr);
}

cptr_t map_test_page(struct env *env, word_t vaddr, word_t rights, word_t attrs)
{
	cptr_t f = mk(env, OBJ_FRAME_4K, 0);

	map_frame_tables(env, f, INIT_VSPACE, vaddr, rights, attrs);
	return f;
}

word_t rand64(word_t *state)
{
	word_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

word_t worker_signal(word_t ntfn, word_t unused)
{
	(void)unused;
	sys_signal(ntfn);
	return 0;
}

word_t worker_relay(word_t in, word_t out)
{
	for (;;) {
		sys_wait(in);
		sys_signal(out);
	}
	return 0;
}

word_t worker_count(word_t addr, word_t unused)
{
	(void)unused;
	for (;;)
		__atomic_fetch_add((volatile word_t *)addr, 1, __ATOMIC_RELAXED);
	return 0;
}

static word_t ipc_worker(word_t sysno, word_t cap)
{
	return ipc_label(sysno, cap);
}

void spawn_ipc(struct env *env, struct thread *t, word_t sysno, cptr_t cap, cptr_t done,
	       word_t cpu)
{
	CHECK_OK(thread_create(env, t, 0));
	t->info->exit_ntfn = mk_mint(env, done, RIGHTS_ALL, 1);
	CHECK_OK(thread_start(t, ipc_worker, sysno, cap, 100, cpu));
}

word_t label_after_delete(struct env *env, word_t sysno, cptr_t cap, cptr_t victim, word_t cpu)
{
	cptr_t done = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	spawn_ipc(env, &t, sysno, cap, done, cpu);
	settle_cpu(env, cpu);    /* it is blocked in the call now: nothing else blocks it */
	CHECK_OK(cnode_delete(R, victim, 64));
	CHECK_EQ(wait_signal(env, done), 1);
	return t.info->exit_value;
}

word_t worker_echo(word_t ep, word_t unused)
{
	struct ipc_buffer *ib = ipc_buffer();
	struct sys_msg m = { 0 };

	(void)unused;
	sys_recv(ep, &m);
	for (;;) {
		word_t len = mi_len(m.info);
		for (word_t i = 0; i < len && i < ABI_MSG_MAX; i++) {
			if (i < ABI_MSG_REGS)
				m.mr[i]++;
			else
				ib->msg[i]++;
		}
		m.info = mi_make(mi_label(m.info), 0, 0, len);
		sys_reply_recv(ep, &m);
	}
	return 0;
}

void spawn_cspace(struct env *env, struct thread *t, cptr_t cspace, word_t guard, cptr_t self_cn,
		  word_t self_index, word_t self_depth, cptr_t self, void *fn, word_t a0, word_t a1,
		  word_t prio)
{
	CHECK_OK(thread_create(env, t, 0));
	CHECK_OK(cnode_copy(self_cn, self_index, self_depth, R, t->tcb, 64, RIGHTS_ALL));
	CHECK_OK(tcb_configure(t->tcb, 0, cspace, guard, INIT_VSPACE, t->ipc_vaddr, t->ipc_frame));
	t->info->tcb = self;
	CHECK_OK(thread_start(t, fn, a0, a1, prio, 0));
}

word_t paddr_of(cptr_t frame)
{
	word_t pa = 0;

	CHECK_OK(frame_get_address(frame, &pa));
	return pa;
}

word_t badge_via(cptr_t cap, cptr_t orig)
{
	sys_signal(cap);
	return sys_poll(orig);
}

word_t ipc_label(word_t sysno, cptr_t cap)
{
	struct sys_msg m = { 0 };

	sys_raw(sysno, cap, &m);
	return mi_label(m.info);
}

int device_untyped(void)
{
	for (word_t i = 0; i < test_bootinfo->num_untyped; i++) {
		if (test_bootinfo->untyped_list[i].is_device)
			return (int)i;
	}
	return -1;
}

volatile word_t probe_value;
cptr_t probe_ep;

static word_t probe_fn(word_t addr, word_t how)
{
	struct sys_msg m = { 0 };

	if (how == PROBE_READ)
		probe_value = *(volatile word_t *)addr;
	else if (how == PROBE_WRITE)
		*(volatile word_t *)addr = 0x5a5a;
	else
		((void (*)(void))addr)();
	m.info = mi_make(PROBE_DONE_LABEL, 0, 0, 0);
	sys_send(probe_ep, &m);
	return 0;
}

word_t probe(struct env *env, word_t addr, int how, struct sys_msg *m)
{
	struct sys_msg local;
	struct thread t;

	if (!m)
		m = &local;
	probe_ep = mk(env, OBJ_ENDPOINT, 0);
	spawn_faulting(env, &t, probe_ep, probe_fn, addr, (word_t)how, 100);
	if (!recv_wait(env, probe_ep, m))
		test_fail(__FILE__, __LINE__, "probe of 0x%lx: neither done nor a fault", addr);
	if (mi_label(m->info) == PROBE_DONE_LABEL)
		return 0;
	return mi_label(m->info);
}
