/*
 * Several CPUs: threads on every CPU, IPC and notifications across CPUs,
 * migration, suspending and destroying a thread running elsewhere,
 * concurrent capability operations. With one CPU the cases run all their
 * threads on CPU 0 (and say so).
 */
#include "test.h"

#define RESULT(i) (thread_self()->user[i])

static word_t last_cpu(void)
{
	return test_bootinfo->num_cpus - 1;
}

static void note_single_cpu(void)
{
	if (test_bootinfo->num_cpus == 1)
		printf("# one CPU: this case runs all its threads on CPU 0\n");
}

TEST(SMP_0001, "a thread runs on every CPU")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	static struct thread t[ABI_MAX_CPUS];
	word_t cpus = test_bootinfo->num_cpus, all = (1ul << cpus) - 1, seen = 0;

	note_single_cpu();
	for (word_t i = 0; i < cpus; i++)
		spawn_on(env, &t[i], worker_signal, mk_mint(env, n, RIGHTS_ALL, 1ul << i), 0, 100, i);
	while (seen != all)
		seen |= sys_wait(n);
}

TEST(SMP_0002, "1000 Calls to a server on another CPU")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m;

	note_single_cpu();
	spawn_on(env, &t, worker_echo, ep, 0, 100, last_cpu());
	for (word_t i = 0; i < 1000; i++) {
		memset(&m, 0, sizeof(m));
		m.info = mi_make(1, 0, 0, 1);
		m.mr[0] = i;
		sys_call(ep, &m);
		CHECK_EQ(m.mr[0], i + 1);
	}
}

TEST(SMP_0003, "1000 notification round trips with a thread on another CPU")
{
	cptr_t a = mk(env, OBJ_NOTIFICATION, 0), b = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t ab = mk_mint(env, a, RIGHTS_ALL, 1);
	struct thread t;

	note_single_cpu();
	spawn_on(env, &t, worker_relay, a, mk_mint(env, b, RIGHTS_ALL, 4), 100, last_cpu());
	for (int i = 0; i < 1000; i++) {
		sys_signal(ab);
		CHECK_EQ(sys_wait(b), 4);
	}
}

TEST(SMP_0004, "a blocked thread moved to another CPU wakes up there")
{
	cptr_t go = mk(env, OBJ_NOTIFICATION, 0), done = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	note_single_cpu();
	spawn(env, &t, worker_relay, go, mk_mint(env, done, RIGHTS_ALL, 1), 100);
	settle(env);
	CHECK_OK(tcb_set_affinity(t.tcb, last_cpu()));
	sys_signal(go);
	CHECK_EQ(sys_wait(done), 1);
	CHECK_OK(tcb_set_affinity(t.tcb, 0));
	sys_signal(go);
	CHECK_EQ(sys_wait(done), 1);
}

static volatile word_t counter;

/* Give a stopped priority-1 spinner on the last CPU its chances to run
 * had it not stopped: that CPU's ticker (priority 1 too) yields to it
 * between two signals, each time settle_cpu() waits for one. */
static void give_turns(struct env *env)
{
	for (int i = 0; i < 3; i++)
		settle_cpu(env, last_cpu());
}

/* The spinner on the last CPU was just stopped (suspended or destroyed):
 * from then on the counter stays put. The kernel waits for that CPU to
 * stop running it before the call returns, so no increment is on its way. */
static void check_stopped(struct env *env)
{
	word_t c = counter;

	give_turns(env);
	CHECK_EQ(counter, c);
}

TEST(SMP_0005, "suspending a thread that spins (on another CPU) stops it")
{
	struct thread t;

	note_single_cpu();
	counter = 0;
	spawn_on(env, &t, worker_count, (word_t)&counter, 0, PRIO_TICKER, last_cpu());
	WAIT_UNTIL(env, counter > 0);
	CHECK_OK(tcb_suspend(t.tcb));
	check_stopped(env);
	word_t c = counter;
	CHECK_OK(tcb_resume(t.tcb));
	WAIT_UNTIL(env, counter > c);
}

TEST(SMP_0006, "deleting the TCB of a thread that spins (on another CPU) stops it")
{
	struct thread t;

	note_single_cpu();
	counter = 0;
	spawn_on(env, &t, worker_count, (word_t)&counter, 0, PRIO_TICKER, last_cpu());
	WAIT_UNTIL(env, counter > 0);
	CHECK_OK(cnode_delete(R, t.tcb, 64));
	check_stopped(env);
}

TEST(SMP_0007, "SSE state survives preemption on two CPUs at once")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	static struct thread t[4];
	word_t seen = 0;

	note_single_cpu();
	for (int i = 0; i < 4; i++) {
		CHECK_OK(thread_create(env, &t[i], 0));
		t[i].info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 1ul << i);
		CHECK_OK(thread_start(&t[i], fpu_worker, (word_t)i + 10, 200, 50, i < 2 ? 0 : last_cpu()));
	}
	while (seen != 0xf)
		seen |= sys_wait(n);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(t[i].info->user[1], 1);
		CHECK_EQ(t[i].info->user[0], 0);
	}
}

static word_t remote_calls(word_t ep, word_t n)
{
	struct sys_msg m;

	for (word_t i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		m.info = mi_make(1, 0, 0, 1);
		m.mr[0] = i;
		sys_call(ep, &m);
		if (m.mr[0] != i + 1)
			break;
	}
	m.info = mi_make(2, 0, 0, 0);
	sys_send(ep, &m);
	return 0;
}

TEST(SMP_0008, "a thread of another address space on another CPU calls the root")
{
	struct vspace vs;
	struct thread t;
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct sys_msg m = { 0 };
	word_t calls = 0;

	note_single_cpu();
	CHECK_OK(vspace_clone(env, &vs));
	CHECK_OK(thread_create_in(env, &t, &vs, INIT_CNODE, 0, 0, THREAD_SELF));
	CHECK_OK(thread_start(&t, remote_calls, ep, 500, 100, last_cpu()));
	sys_recv(ep, &m);
	while (mi_label(m.info) == 1) {
		calls++;
		m.mr[0]++;
		sys_reply_recv(ep, &m);
	}
	CHECK_EQ(mi_label(m.info), 2);
	CHECK_EQ(calls, 500);
}

static word_t pair_client(word_t ep, word_t n)
{
	struct sys_msg m;
	word_t bad = 0;

	for (word_t i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		m.info = mi_make(1, 0, 0, 2);
		m.mr[0] = i;
		m.mr[1] = i * 3;
		sys_call(ep, &m);
		bad += m.mr[0] != i + 1 || m.mr[1] != i * 3 + 1;
	}
	return bad;
}

TEST(SMP_0009, "5000 Calls between two threads on different CPUs")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread s, c;

	note_single_cpu();
	spawn_on(env, &s, worker_echo, ep, 0, 100, last_cpu());
	CHECK_OK(thread_create(env, &c, 0));
	c.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 1);
	CHECK_OK(thread_start(&c, pair_client, ep, 5000, 100, 0));
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(c.info->exit_value, 0);
}

/* Copy/mint/delete caps within one CNode, n rounds; count surprises. */
static word_t cap_churn(word_t cnode, word_t rounds)
{
	word_t bad = 0;

	for (word_t i = 0; i < rounds; i++) {
		word_t badge = i % 1000 + 1;
		bad += cnode_mint(cnode, 1, 4, cnode, 0, 4, RIGHTS_ALL, badge) != E_OK;
		bad += cnode_copy(cnode, 2, 4, cnode, 1, 4, RIGHTS_ALL) != E_OK;
		bad += cnode_move(cnode, 3, 4, cnode, 2, 4) != E_OK;
		bad += cnode_revoke(cnode, 0, 4) != E_OK;
		bad += cnode_delete(cnode, 1, 4) != E_OK;
		bad += cnode_delete(cnode, 3, 4) != E_OK;
	}
	return bad;
}

TEST(SMP_0010, "capability operations on two CPUs at once stay consistent")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t cn[2];
	struct thread t[2];
	word_t seen = 0;

	note_single_cpu();
	for (int i = 0; i < 2; i++) {
		cn[i] = mk(env, OBJ_CNODE, 4);
		CHECK_OK(cnode_copy(cn[i], 0, 4, R, mk(env, OBJ_ENDPOINT, 0), 64, RIGHTS_ALL));
		CHECK_OK(thread_create(env, &t[i], 0));
		t[i].info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 1ul << i);
		CHECK_OK(thread_start(&t[i], cap_churn, cn[i], 2000, 100, i ? last_cpu() : 0));
	}
	while (seen != 3)
		seen |= sys_wait(n);
	CHECK_EQ(t[0].info->exit_value, 0);
	CHECK_EQ(t[1].info->exit_value, 0);
}

static word_t read_loop(word_t addr, word_t count_addr)
{
	volatile word_t *c = (volatile word_t *)count_addr;

	for (;;) {
		(void)*(volatile word_t *)addr;
		(*c)++;
	}
	return 0;
}

TEST(SMP_0011, "an unmap is seen at once by a thread reading the page on another CPU")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t f = map_test_page(env, TEST_VA(0), RIGHT_READ | RIGHT_WRITE, 0);
	struct thread t;
	struct sys_msg m;
	static volatile word_t reads;

	note_single_cpu();
	reads = 0;
	CHECK_OK(thread_create(env, &t, ep));
	CHECK_OK(thread_start(&t, read_loop, TEST_VA(0), (word_t)&reads, PRIO_TICKER, last_cpu()));
	WAIT_UNTIL(env, reads > 0);
	CHECK_OK(frame_unmap(f));
	CHECK(recv_wait(env, ep, &m));
	CHECK_EQ(mi_label(m.info), FAULT_PAGE);
	CHECK_EQ(m.mr[1], TEST_VA(0));
}

static word_t count_then_signal(word_t n, word_t rounds)
{
	volatile word_t x = 0;

	for (word_t i = 0; i < rounds; i++)
		x++;
	sys_signal(n);
	return x;
}

TEST(SMP_0012, "the root thread moves to the last CPU and back")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	note_single_cpu();
	CHECK_OK(tcb_set_affinity(INIT_TCB, last_cpu()));
	spawn_on(env, &t, count_then_signal, mk_mint(env, n, RIGHTS_ALL, 1), 1000, 100, 0);
	CHECK_EQ(sys_wait(n), 1);
	CHECK_OK(tcb_set_affinity(INIT_TCB, 0));
	CHECK_EQ(sys_poll(n), 0);
}

TEST(SMP_0013, "a remap to read-only is seen at once by a writer on another CPU")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t f = map_test_page(env, TEST_VA(0), RIGHT_READ | RIGHT_WRITE, 0);
	struct thread t;
	struct sys_msg m;

	note_single_cpu();
	CHECK_OK(thread_create(env, &t, ep));
	CHECK_OK(thread_start(&t, worker_count, TEST_VA(0), 0, PRIO_TICKER, last_cpu()));
	WAIT_UNTIL(env, *(volatile word_t *)TEST_VA(0) > 0);
	CHECK_OK(frame_map(f, INIT_VSPACE, TEST_VA(0), RIGHT_READ, 0));
	CHECK(recv_wait(env, ep, &m));
	CHECK_EQ(mi_label(m.info), FAULT_PAGE);
	CHECK_EQ(m.mr[2] & 3, 3);
}

TEST(SMP_0014, "500 suspend/resume cycles of a thread spinning on another CPU")
{
	struct thread t;

	note_single_cpu();
	counter = 0;
	spawn_on(env, &t, worker_count, (word_t)&counter, 0, PRIO_TICKER, last_cpu());
	for (int i = 0; i < 500; i++) {
		CHECK_OK(tcb_suspend(t.tcb));
		CHECK_OK(tcb_resume(t.tcb));
	}
	word_t c = counter;
	WAIT_UNTIL(env, counter > c);
	CHECK_OK(tcb_suspend(t.tcb));
}

TEST(SMP_0015, "deleting an endpoint wakes its receiver on another CPU with E_DELETED")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	note_single_cpu();
	CHECK_EQ(label_after_delete(env, SYS_RECV, ep, ep, last_cpu()), E_DELETED);
}

#define LOST_CALLS 20000

static word_t counting_client(word_t ep, word_t done)
{
	word_t bad = 0;

	for (word_t i = 0; i < LOST_CALLS; i++) {
		struct sys_msg m = { 0 };

		m.info = mi_make(1, 0, 0, 1);
		m.mr[0] = i;
		sys_call(ep, &m);
		bad += m.mr[0] != i + 1;
	}
	RESULT(0) = bad;
	sys_signal(done);
	return 0;
}

TEST(SMP_0016, "no system call is lost when its thread is stopped from another CPU as it enters the kernel")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0), n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread s, c;
	word_t regs[REG_COUNT], reads = 0;

	note_single_cpu();
	spawn_on(env, &s, worker_echo, ep, 0, 100, last_cpu());
	spawn_on(env, &c, counting_client, ep, mk_mint(env, n, RIGHTS_ALL, 1), 100, last_cpu());
	/* each read stops the client if it runs (its registers must be in
	 * memory), often while it waits for the kernel lock we hold */
	if (test_bootinfo->num_cpus == 1)
		sys_wait(n);
	while (test_bootinfo->num_cpus > 1 && !sys_poll(n)) {
		CHECK_OK(tcb_read_registers(c.tcb, 0, REG_COUNT, regs));
		reads++;
	}
	printf("# %lu register reads during %u calls\n", reads, LOST_CALLS);
	CHECK_EQ(c.info->user[0], 0);
}

#define CALL_LABEL 0x17

/* Read the page at addr, Call ep, read it again. */
static word_t read_call_read(word_t addr, word_t ep)
{
	struct sys_msg m = { 0 };

	(void)*(volatile word_t *)addr;
	m.info = mi_make(CALL_LABEL, 0, 0, 0);
	sys_call(ep, &m);
	(void)*(volatile word_t *)addr;
	return 0;
}

TEST(SMP_0017, "an unmap while the other CPU is idle with the space still loaded is seen when it runs a thread there again")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0), call_ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t f = map_test_page(env, TEST_VA(0), RIGHT_READ | RIGHT_WRITE, 0);
	struct thread t;
	struct sys_msg m;

	note_single_cpu();
	CHECK_OK(thread_create(env, &t, ep));
	CHECK_OK(thread_start(&t, read_call_read, TEST_VA(0), call_ep, 100, last_cpu()));
	/* once its Call has arrived the thread waits for the reply: its CPU
	 * went idle with this space (and the page's TLB entry) loaded */
	CHECK(recv_wait(env, call_ep, &m));
	CHECK_EQ(mi_label(m.info), CALL_LABEL);
	CHECK_OK(frame_unmap(f));
	m.info = mi_make(CALL_LABEL, 0, 0, 0);
	sys_reply(&m);
	CHECK(recv_wait(env, ep, &m));
	CHECK_EQ(mi_label(m.info), FAULT_PAGE);
	CHECK_EQ(m.mr[1], TEST_VA(0));
}
