/*
 * Scheduling: priority order, round robin by preemption, yield, priority
 * changes, FPU/SSE state across context switches.
 */
#include "test.h"

#define RESULT(i) (thread_self()->user[i])
#define MS (test_bootinfo->tsc_per_ms ? test_bootinfo->tsc_per_ms : 1000000)

__asm__(".text\n"
	".global fpu_yield_loop\n"
	"fpu_yield_loop:\n"
	"  push %rbx\n push %r12\n push %r13\n"
	"  mov %rdi, %r12\n mov %rsi, %r13\n mov %rdx, %rbx\n"
	ASM_LOAD_XMM_R12
	"1: test %rbx, %rbx\n jz 2f\n"
	"  mov $8, %eax\n xor %edi, %edi\n xor %esi, %esi\n syscall\n"
	"  dec %rbx\n jmp 1b\n"
	"2:\n"
	ASM_STORE_XMM_R13
	"  pop %r13\n pop %r12\n pop %rbx\n ret\n"
	".global fpu_spin_loop\n"
	"fpu_spin_loop:\n"
	"  push %rbx\n push %r12\n push %r13\n"
	"  mov %rdi, %r12\n mov %rsi, %r13\n mov %rdx, %rbx\n"
	ASM_LOAD_XMM_R12
	"3: rdtsc\n shl $32, %rdx\n or %rdx, %rax\n cmp %rbx, %rax\n jb 3b\n"
	ASM_STORE_XMM_R13
	"  pop %r13\n pop %r12\n pop %rbx\n ret\n");

word_t fpu_worker(word_t seed, word_t mode)
{
	word_t in[32], out[32], bad = 0;

	for (int i = 0; i < 32; i++) {
		in[i] = seed * 0x9e3779b97f4a7c15ull + (word_t)i * 0x0101010101010101ull;
		out[i] = 0;
	}
	if (mode == 0)
		fpu_yield_loop(in, out, 1000);
	else
		fpu_spin_loop(in, out, rdtsc() + mode * MS);
	for (int i = 0; i < 32; i++)
		bad += in[i] != out[i];
	RESULT(0) = bad;
	RESULT(1) = 1;
	return bad;
}

static volatile word_t order[16];
static volatile word_t order_n;

static word_t record(word_t id, word_t done)
{
	order[__atomic_fetch_add(&order_n, 1, __ATOMIC_SEQ_CST)] = id;
	sys_signal(done);
	return 0;
}

TEST(SCHED_0001, "the higher-priority runnable thread runs first")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread lo, hi;
	word_t seen = 0;

	order_n = 0;
	spawn(env, &lo, record, 1, mk_mint(env, n, RIGHTS_ALL, 1), 50);
	spawn(env, &hi, record, 2, mk_mint(env, n, RIGHTS_ALL, 2), 100);
	while (seen != 3)
		seen |= sys_wait(n);
	ASSERT_EQ(order_n, 2);
	ASSERT_EQ(order[0], 2);
	ASSERT_EQ(order[1], 1);
}

static volatile word_t spin_count[10];

static word_t spin_forever(word_t idx, word_t unused)
{
	(void)unused;
	for (;;)
		spin_count[idx]++;
	return 0;
}

/* Spin until every spin_count[0..n) is non-zero (ms only as a backstop); 1 if all did. */
static word_t watch_counts(word_t n, word_t ms)
{
	word_t end = rdtsc() + ms * MS;

	while (rdtsc() < end) {
		word_t all = 1;
		for (word_t i = 0; i < n; i++)
			all &= spin_count[i] != 0;
		if (all)
			return 1;
	}
	return 0;
}

TEST(SCHED_0002, "equal priorities share the CPU by preemption, without yields")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread w, s;

	memset((void *)spin_count, 0, sizeof(spin_count));
	ASSERT_OK(thread_create(env, &w, 0));
	w.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 1);
	ASSERT_OK(thread_start(&w, watch_counts, 1, BACKSTOP_MS, 50, 0));
	spawn(env, &s, spin_forever, 0, 0, 50);
	ASSERT_EQ(sys_wait(n), 1);
	ASSERT_EQ(w.info->exit_value, 1);
}

static volatile word_t ylog[64];
static volatile word_t ylog_n;

static word_t yield_logger(word_t id, word_t rounds)
{
	for (word_t i = 0; i < rounds; i++) {
		ylog[__atomic_fetch_add(&ylog_n, 1, __ATOMIC_SEQ_CST)] = id;
		sys_yield();
	}
	return 0;
}

TEST(SCHED_0003, "SYS_YIELD passes the CPU to the next thread of the same priority")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread a, b;
	word_t seen = 0;

	ylog_n = 0;
	ASSERT_OK(thread_create(env, &a, 0));
	ASSERT_OK(thread_create(env, &b, 0));
	a.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 1);
	b.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 2);
	ASSERT_OK(thread_start(&a, yield_logger, 1, 20, 50, 0));
	ASSERT_OK(thread_start(&b, yield_logger, 2, 20, 50, 0));
	while (seen != 3)
		seen |= sys_wait(n);
	ASSERT_EQ(ylog_n, 40);
	int switches = 0;
	for (int i = 1; i < 40; i++)
		switches += ylog[i] != ylog[i - 1];
	ASSERT(switches >= 37);
}

static void two_fpu_threads(struct env *env, word_t mode, word_t cpu_a, word_t cpu_b)
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread a, b;
	word_t seen = 0;

	ASSERT_OK(thread_create(env, &a, 0));
	ASSERT_OK(thread_create(env, &b, 0));
	a.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 1);
	b.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 2);
	ASSERT_OK(thread_start(&a, fpu_worker, 1, mode, 50, cpu_a));
	ASSERT_OK(thread_start(&b, fpu_worker, 2, mode, 50, cpu_b));
	while (seen != 3)
		seen |= sys_wait(n);
	ASSERT_EQ(a.info->user[1], 1);
	ASSERT_EQ(b.info->user[1], 1);
	ASSERT_EQ(a.info->user[0], 0);
	ASSERT_EQ(b.info->user[0], 0);
}

TEST(SCHED_0004, "SSE registers survive 1000 yields between two threads")
{
	two_fpu_threads(env, 0, 0, 0);
}

TEST(SCHED_0005, "SSE registers survive preemption between two spinning threads")
{
	two_fpu_threads(env, 300, 0, 0);
}

static volatile word_t ran_flag;

static word_t set_flag(word_t v, word_t unused)
{
	(void)unused;
	ran_flag = v;
	return 0;
}

TEST(SCHED_0006, "lowering the root's priority lets a higher thread run at once")
{
	struct thread t;

	ran_flag = 0;
	spawn(env, &t, set_flag, 7, 0, 100);
	ASSERT_EQ(ran_flag, 0);
	ASSERT_OK(tcb_set_priority(INIT_TCB, INIT_TCB, 50));
	ASSERT_EQ(ran_flag, 7);
	ASSERT_OK(tcb_set_priority(INIT_TCB, INIT_TCB, ABI_PRIO_MAX));
}

TEST(SCHED_0007, "a priority-0 thread runs when nothing else is runnable")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	spawn(env, &t, worker_signal, mk_mint(env, n, RIGHTS_ALL, 1), 0, 0);
	ASSERT_EQ(sys_wait(n), 1);
}

static word_t wait_record(word_t go, word_t id)
{
	sys_wait(go);
	order[__atomic_fetch_add(&order_n, 1, __ATOMIC_SEQ_CST)] = id;
	return 0;
}

TEST(SCHED_0008, "a priority raised while blocked counts when the thread wakes")
{
	cptr_t ga = mk(env, OBJ_NOTIFICATION, 0), gb = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread a, b;
	word_t seen = 0;

	order_n = 0;
	ASSERT_OK(thread_create(env, &a, 0));
	ASSERT_OK(thread_create(env, &b, 0));
	a.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 1);
	b.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 2);
	ASSERT_OK(thread_start(&a, wait_record, ga, 1, 50, 0));
	ASSERT_OK(thread_start(&b, wait_record, gb, 2, 60, 0));
	settle(env);
	ASSERT_OK(tcb_set_priority(a.tcb, INIT_TCB, 70));
	sys_signal(gb);
	sys_signal(ga);
	while (seen != 3)
		seen |= sys_wait(n);
	ASSERT_EQ(order[0], 1);
	ASSERT_EQ(order[1], 2);
}

TEST(SCHED_0009, "eight spinning threads of equal priority all get the CPU")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread w, s[8];

	memset((void *)spin_count, 0, sizeof(spin_count));
	ASSERT_OK(thread_create(env, &w, 0));
	w.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 1);
	ASSERT_OK(thread_start(&w, watch_counts, 8, BACKSTOP_MS, 50, 0));
	for (int i = 0; i < 8; i++)
		spawn(env, &s[i], spin_forever, (word_t)i, 0, 50);
	ASSERT_EQ(sys_wait(n), 1);
	ASSERT_EQ(w.info->exit_value, 1);
}

static volatile word_t progress;

static word_t low_signaller(word_t h_ntfn, word_t unused)
{
	(void)unused;
	progress = 1;
	sys_signal(h_ntfn);
	progress = 2;
	return 0;
}

static word_t high_waiter(word_t n, word_t done)
{
	sys_wait(n);
	RESULT(0) = progress;
	sys_signal(done);
	return 0;
}

TEST(SCHED_0010, "waking a higher-priority thread preempts the signaller immediately")
{
	cptr_t hn = mk(env, OBJ_NOTIFICATION, 0), done = mk(env, OBJ_NOTIFICATION, 0);
	struct thread h, l;

	progress = 0;
	spawn(env, &h, high_waiter, hn, mk_mint(env, done, RIGHTS_ALL, 1), 60);
	settle(env);
	spawn(env, &l, low_signaller, mk_mint(env, hn, RIGHTS_ALL, 1), 0, 50);
	ASSERT_EQ(sys_wait(done), 1);
	ASSERT_EQ(h.info->user[0], 1);
}

TEST(SCHED_0011, "SYS_YIELD with nothing else to run returns")
{
	for (int i = 0; i < 1000; i++)
		sys_yield();
}

/* Spin, watching spin_count[0]: each time it moved since the last look,
 * the spinner (same priority, same CPU, never yielding) ran in between,
 * so this thread was preempted. Returns once that happened `want` times
 * (ms only as a backstop). */
static word_t count_preemptions(word_t want, word_t ms)
{
	word_t end = rdtsc() + ms * MS, last = spin_count[0], seen = 0;

	while (seen < want && rdtsc() < end) {
		word_t now = spin_count[0];
		if (now != last)
			seen++;
		last = now;
	}
	return seen;
}

TEST(SCHED_0012, "the timer preempts spinning threads again and again (20 slices each way)")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread w, s;

	memset((void *)spin_count, 0, sizeof(spin_count));
	ASSERT_OK(thread_create(env, &w, 0));
	w.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 1);
	ASSERT_OK(thread_start(&w, count_preemptions, 20, BACKSTOP_MS, 50, 0));
	spawn(env, &s, spin_forever, 0, 0, 50);
	ASSERT_EQ(sys_wait(n), 1);
	ASSERT_EQ(w.info->exit_value, 20);
}

TEST(SCHED_0013, "a suspended higher-priority thread does not block lower ones")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread hi, lo;

	ASSERT_OK(thread_create(env, &hi, 0));
	ASSERT_OK(thread_prepare(&hi, spin_forever, 0, 0));
	ASSERT_OK(tcb_set_priority(hi.tcb, INIT_TCB, 200));
	spawn(env, &lo, worker_signal, mk_mint(env, n, RIGHTS_ALL, 1), 0, 10);
	ASSERT_EQ(sys_wait(n), 1);
}

TEST(SCHED_0014, "SYS_HALTED_TIME: per CPU, never decreasing, at most the TSC; an idle CPU's grows; past the last CPU E_RANGE")
{
	word_t n = test_bootinfo->num_cpus;
	uint64_t h0[ABI_MAX_CPUS] = { 0 }, h = 0, t0 = 0, t = 0;

	for (word_t c = 0; c < n; c++) {
		ASSERT_EQ(sys_halted_time(c, &h0[c], &t0), E_OK);
		ASSERT(h0[c] <= t0);
	}
	struct sys_msg m = { 0 };
	sys_raw(SYS_HALTED_TIME, n, &m);
	ASSERT_EQ(mi_label(m.info), E_RANGE);
	ASSERT_EQ(m.mr[0], 0);
	ASSERT_EQ(m.mr[1], n - 1);
	ASSERT_EQ(sys_halted_time(~0ul, &h, &t), E_RANGE);
	for (int i = 0; i < 1000; i++)
		sys_yield();
	for (word_t c = 0; c < n; c++) {
		ASSERT_EQ(sys_halted_time(c, &h, &t), E_OK);
		ASSERT(h >= h0[c] && h <= t && t > t0);
		/* the other CPUs run nothing of ours: halted all along */
		if (c != 0)
			ASSERT(h > h0[c]);
	}
}
