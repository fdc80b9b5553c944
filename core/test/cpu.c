/*
 * CPU sessions and threads, and faults: resolved, unresolved, reported,
 * resumed after a fix; a faulting thread harms nothing else.
 */
#include "test.h"

#define KB 1024ul

static volatile word_t counter;
static volatile int flag;

static void set_flag(void *arg)
{
	flag = (int)(word_t)arg;
}

TEST(CPU_0001, "CPU_INFO of our CPU session: priority limit and CPUs")
{
	word_t prio, first, count, cpus;

	CHECK_OK(cpu_info(tenv->cpu, &prio, &first, &count, &cpus));
	CHECK_EQ(prio, 254);
	CHECK_EQ(first, 0);
	CHECK(count >= 1);
	CHECK_EQ(count, cpus);
}

TEST(CPU_0002, "a thread runs a function in our PD; destroying it returns its quota")
{
	struct cthread t;
	struct pd_quota q0 = quota_of(tenv->pd);

	flag = 0;
	worker_start(&t, set_flag, (void *)7);
	worker_join(&t);
	CHECK_EQ(flag, 7);
	CHECK_EQ(quota_of(tenv->pd).ram_used, q0.ram_used);
}

TEST(CPU_0003, "thread priority above the session limit is DENIED, a bad CPU INVALID_ARGUMENT")
{
	cptr_t th;
	word_t w, ipc, cpus;

	CHECK_OK(cpu_info(tenv->cpu, 0, 0, 0, &cpus));
	CHECK_ST(cpu_create_thread(tenv->cpu, tenv->pd, 255, 0, 0, &th, &w, &ipc), RPC_E_DENIED);
	CHECK_ST(cpu_create_thread(tenv->cpu, tenv->pd, 10, cpus, 0, &th, &w, &ipc), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(cpu_create_thread(tenv->cpu, tenv->cpu, 10, 0, 0, &th, &w, &ipc), RPC_E_INVALID_CAP);
	CHECK_ST(cpu_create_thread(tenv->cpu, 0, 10, 0, 0, &th, &w, &ipc), RPC_E_INVALID_CAP);
	CHECK_ST(cpu_create_thread(tenv->cpu, tenv->pd, 10, 0, 3, &th, &w, &ipc), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(cpu_create_thread(tenv->cpu, tenv->pd, 10, 0, 4096, &th, &w, &ipc), RPC_E_INVALID_ARGUMENT);
}

TEST(CPU_0004, "CPU session arguments: priority within ours, a valid CPU range")
{
	cptr_t cap;
	word_t id, cpus, prio, first, count;

	CHECK_OK(cpu_info(tenv->cpu, 0, 0, 0, &cpus));
	CHECK_ST(try_session("CPU", "c", "priority=255", 16 * KB, 4, 0, &cap, &id), RPC_E_DENIED);
	CHECK_ST(try_session("CPU", "c", "cpu_first=16", 16 * KB, 4, 0, &cap, &id), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("CPU", "c", "cpu_count=0", 16 * KB, 4, 0, &cap, &id), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("CPU", "c", "cpu_count=17", 16 * KB, 4, 0, &cap, &id), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(try_session("CPU", "c", "priority=x", 16 * KB, 4, 0, &cap, &id), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(try_session("CPU", "c", "priority=50", 16 * KB, 4, 0, &cap, &id));
	CHECK_OK(cpu_info(cap, &prio, &first, &count, 0));
	CHECK_EQ(prio, 50);
	CHECK_EQ(count, cpus);
	cptr_t th;
	word_t w, ipc;
	CHECK_ST(cpu_create_thread(cap, tenv->pd, 51, 0, 0, &th, &w, &ipc), RPC_E_DENIED);
	CHECK_OK(cpu_create_thread(cap, tenv->pd, 50, 0, 0, &th, &w, &ipc));
	CHECK_EQ(ipc, w + COMPONENT_IPC_OFFSET);
	CHECK_ST(thread_set_priority(th, 51), RPC_E_DENIED);
	CHECK_OK(thread_set_priority(th, 1));
	close_session(id, cap);
	/* closing the session destroyed its thread */
	CHECK_ST(thread_state(th, &(struct thread_state_info){ 0 }), RPC_E_INVALID_CAP);
	cap_slot_free(th);
}

TEST(CPU_0005, "THREAD_SET_AFFINITY within the session's CPUs")
{
	struct cthread t;
	word_t cpus;

	CHECK_OK(cpu_info(tenv->cpu, 0, 0, 0, &cpus));
	flag = 0;
	CHECK_OK(cthread_create(&t, set_flag, (void *)3, WORKER_PRIO, cpus - 1, 8 * KB, 0));
	((struct thread_info *)t.window)->exit_ntfn = test_ntfn;
	worker_join(&t);
	CHECK_EQ(flag, 3);
	CHECK_OK(cthread_create(&t, set_flag, (void *)4, WORKER_PRIO, 0, 8 * KB, 0));
	((struct thread_info *)t.window)->exit_ntfn = test_ntfn;
	CHECK_ST(thread_set_affinity(t.cap, cpus), RPC_E_INVALID_ARGUMENT);
	CHECK_OK(thread_set_affinity(t.cap, cpus - 1));
	worker_join(&t);
	CHECK_EQ(flag, 4);
}

static void count_forever(void *arg)
{
	(void)arg;
	for (;;) {
		counter++;
		if ((counter & 0xfff) == 0)
			sys_signal(test_ntfn);
	}
}

TEST(CPU_0006, "THREAD_PAUSE stops a thread, THREAD_RESUME continues it")
{
	struct cthread t;
	struct thread_state_info st;

	counter = 0;
	worker_start(&t, count_forever, 0);
	while (counter < 0x3000)
		wait_signal();
	CHECK_OK(thread_pause(t.cap));
	CHECK_OK(thread_state(t.cap, &st));
	CHECK_EQ(st.state, THREAD_PAUSED);
	word_t c = counter;
	/* let time pass: the worker has a lower priority, so block a while via core */
	for (int i = 0; i < 200; i++)
		quota_of(tenv->pd);
	sys_yield();
	CHECK_EQ(counter, c);
	CHECK_OK(thread_resume(t.cap));
	while (counter < c + 0x2000)
		wait_signal();
	CHECK_OK(cthread_destroy(&t));
}

TEST(CPU_0007, "THREAD_START twice or with bad registers fails; PAUSE before START too")
{
	cptr_t th;
	word_t w, ipc;

	CHECK_OK(cpu_create_thread(tenv->cpu, tenv->pd, 10, 0, 0, &th, &w, &ipc));
	CHECK_ST(thread_pause(th), RPC_E_ILLEGAL_OPERATION);
	CHECK_ST(thread_resume(th), RPC_E_ILLEGAL_OPERATION);
	CHECK_ST(thread_start_rpc(th, ABI_USER_TOP, w + 0x10000, 0, 0), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(thread_start_rpc(th, 0x400000, ABI_USER_TOP + 8, 0, 0), RPC_E_INVALID_ARGUMENT);
	struct thread_state_info st;
	CHECK_OK(thread_state(th, &st));
	CHECK_EQ(st.state, THREAD_CREATED);
	CHECK_OK(thread_destroy(th));
	CHECK_ST(thread_destroy(th), RPC_E_INVALID_CAP);
	cap_slot_free(th);
}

TEST(CPU_0008, "a CPU session out of quota: NO_CAP_QUOTA, then NO_RAM_QUOTA for threads")
{
	cptr_t cap, th[4];
	word_t id, w, ipc;
	int n = 0;
	rpc_status_t st;

	CHECK_OK(try_session("CPU", "c", "", 64 * KB, 5, 0, &cap, &id));
	while ((st = cpu_create_thread(cap, tenv->pd, 10, 0, 0, &th[n], &w, &ipc)) == RPC_OK && n < 3)
		n++;
	CHECK_ST(st, RPC_E_NO_CAP_QUOTA);
	CHECK_EQ(n, 2);   /* session 1 + 2 per thread */
	close_session(id, cap);
	for (int i = 0; i < n; i++)
		cap_slot_free(th[i]);
	CHECK_OK(try_session("CPU", "c", "", 6 * KB, 10, 0, &cap, &id));
	CHECK_ST(cpu_create_thread(cap, tenv->pd, 10, 0, 0, &th[0], &w, &ipc), RPC_E_NO_RAM_QUOTA);
	close_session(id, cap);
}

static volatile word_t woken;

static void wait_bound(void *arg)
{
	cptr_t ntfn = (cptr_t)arg;
	woken = sys_wait(ntfn) + 1;
}

TEST(CPU_0009, "a thread's bound notification is placed in the given slot; bad slots fail")
{
	struct cthread t;
	cptr_t th;
	word_t w, ipc;

	flag = 0;
	CHECK_OK(cthread_create(&t, set_flag, (void *)9, WORKER_PRIO, 0, 8 * KB, 1));
	((struct thread_info *)t.window)->exit_ntfn = test_ntfn;
	CHECK_EQ(sys_debug_cap_type(t.ntfn), OBJ_NOTIFICATION);
	worker_join(&t);
	CHECK_EQ(flag, 9);
	/* occupied slot / reserved slot */
	CHECK_ST(cpu_create_thread(tenv->cpu, tenv->pd, 10, 0, test_ntfn, &th, &w, &ipc), RPC_E_EXISTS);
	CHECK_ST(cpu_create_thread(tenv->cpu, tenv->pd, 10, 0, COMPONENT_CPU, &th, &w, &ipc),
		 RPC_E_INVALID_ARGUMENT);
}

/* With a bound notification given as the argument slot, signal it and see it wake. */
TEST(CPU_0010, "signalling a worker's bound notification wakes its Wait")
{
	cptr_t slot = cap_slot_alloc(), th;
	word_t w, ipc;
	cptr_t stack_ds;

	woken = 0;
	CHECK_OK(cpu_create_thread(tenv->cpu, tenv->pd, WORKER_PRIO, 0, slot, &th, &w, &ipc));
	CHECK_EQ(sys_debug_cap_type(slot), OBJ_NOTIFICATION);
	CHECK_OK(pd_alloc_ram(tenv->pd, 8 * KB, &stack_ds));
	CHECK_OK(pd_attach(tenv->pd, stack_ds, w + 0x10000 - 8 * KB, 8 * KB, 0, ATTACH_WRITE | ATTACH_FIXED, 0));
	struct thread_info *ti = (struct thread_info *)w;
	memset(ti, 0, sizeof(*ti));
	ti->magic = THREAD_INFO_MAGIC;
	ti->ipc = (struct ipc_buffer *)ipc;
	ti->thread_cap = th;
	ti->exit_ntfn = test_ntfn;
	extern void __component_thread_start(void);
	CHECK_OK(thread_start_rpc(th, (word_t)__component_thread_start, w + 0x10000, (word_t)wait_bound, slot));
	sys_yield();
	sys_signal(slot);
	while (!ti->exited)
		wait_signal();
	CHECK_EQ(woken, 1);   /* unbadged: word 0, +1 */
	CHECK_OK(thread_destroy(th));
	CHECK_EQ(sys_debug_cap_type(slot), 0);   /* went with the thread */
	cap_slot_free(th);
	cap_slot_free(slot);
	CHECK_OK(pd_detach(tenv->pd, w + 0x10000 - 8 * KB));
	CHECK_OK(pd_free_ram(tenv->pd, stack_ds));
	cap_slot_free(stack_ds);
}

/* ---- faults ---- */

static volatile word_t *fault_at;
static volatile int after_fault;

static void touch(void *arg)
{
	(void)arg;
	*fault_at = 1;
	after_fault = 1;
}

static void wait_state(cptr_t th, word_t state, struct thread_state_info *st)
{
	for (;;) {
		CHECK_OK(thread_state(th, st));
		if (st->state == state)
			return;
		wait_signal();
	}
}

TEST(FLT_0001, "a page fault outside any region stops the thread and is reported; we go on")
{
	struct cthread t;
	struct thread_state_info st;

	CHECK_OK(pd_fault_sigh(tenv->pd, test_ntfn));
	fault_at = (volatile word_t *)0x20000000000ull;
	after_fault = 0;
	worker_start(&t, touch, 0);
	wait_state(t.cap, THREAD_FAULTED, &st);
	CHECK_EQ(st.fault_label, FAULT_PAGE);
	CHECK_EQ(st.fault_addr, 0x20000000000ull);
	CHECK(st.fault_ip >= 0x400000 && st.fault_ip < COMPONENT_IMAGE_END);
	CHECK_EQ(st.faults, 1);
	CHECK_EQ(after_fault, 0);
	/* pausing keeps it faulted; we are fine */
	CHECK_OK(thread_pause(t.cap));
	CHECK_OK(thread_state(t.cap, &st));
	CHECK_EQ(st.state, THREAD_FAULTED);
	CHECK_OK(cthread_destroy(&t));
	CHECK_OK(pd_fault_sigh(tenv->pd, 0));
}

TEST(FLT_0002, "a fault fixed by attaching memory: THREAD_RESUME retries and succeeds")
{
	struct cthread t;
	struct thread_state_info st;
	cptr_t ds;
	word_t a;

	CHECK_OK(pd_fault_sigh(tenv->pd, test_ntfn));
	fault_at = (volatile word_t *)0x20000001008ull;
	after_fault = 0;
	worker_start(&t, touch, 0);
	wait_state(t.cap, THREAD_FAULTED, &st);
	CHECK_OK(pd_alloc_ram(tenv->pd, 4096, &ds));
	CHECK_OK(pd_attach(tenv->pd, ds, 0x20000001000ull, 0, 0, ATTACH_WRITE | ATTACH_FIXED, &a));
	CHECK_OK(thread_resume(t.cap));
	worker_join(&t);
	CHECK_EQ(after_fault, 1);
	CHECK_EQ(*fault_at, 1);
	CHECK_OK(pd_detach(tenv->pd, a));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
	CHECK_OK(pd_fault_sigh(tenv->pd, 0));
}

TEST(FLT_0003, "a write to a read-only attachment stops the thread (access not permitted)")
{
	struct cthread t;
	struct thread_state_info st;
	cptr_t ds;
	word_t a;

	CHECK_OK(pd_fault_sigh(tenv->pd, test_ntfn));
	CHECK_OK(pd_alloc_ram(tenv->pd, 4096, &ds));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, 0, &a));
	CHECK_EQ(*(volatile word_t *)a, 0);   /* reading is fine */
	fault_at = (volatile word_t *)a;
	worker_start(&t, touch, 0);
	wait_state(t.cap, THREAD_FAULTED, &st);
	CHECK_EQ(st.fault_addr, a);
	CHECK_OK(cthread_destroy(&t));
	CHECK_OK(pd_detach(tenv->pd, a));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
	CHECK_OK(pd_fault_sigh(tenv->pd, 0));
}

static void bad_instruction(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2");
}

static void bad_syscall(void *arg)
{
	(void)arg;
	__asm__ volatile("mov $77, %%eax; syscall" ::: "rax", "rcx", "r11", "memory");
}

TEST(FLT_0004, "an exception (ud2) and an unknown system call stop the thread, reported")
{
	struct cthread t;
	struct thread_state_info st;

	CHECK_OK(pd_fault_sigh(tenv->pd, test_ntfn));
	worker_start(&t, bad_instruction, 0);
	wait_state(t.cap, THREAD_FAULTED, &st);
	CHECK_EQ(st.fault_label, FAULT_EXCEPTION);
	CHECK_EQ(st.fault_addr, 6);   /* #UD */
	CHECK_OK(cthread_destroy(&t));
	worker_start(&t, bad_syscall, 0);
	wait_state(t.cap, THREAD_FAULTED, &st);
	CHECK_EQ(st.fault_label, FAULT_UNKNOWN_SYSCALL);
	CHECK_EQ(st.fault_addr, 77);
	CHECK_OK(cthread_destroy(&t));
	CHECK_OK(pd_fault_sigh(tenv->pd, 0));
}

static void jump_to(void *arg)
{
	((void (*)(void))arg)();
}

TEST(FLT_0005, "executing from a non-executable attachment stops the thread")
{
	struct cthread t;
	struct thread_state_info st;
	cptr_t ds;
	word_t a;

	CHECK_OK(pd_fault_sigh(tenv->pd, test_ntfn));
	CHECK_OK(pd_alloc_ram(tenv->pd, 4096, &ds));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_WRITE, &a));
	*(volatile unsigned char *)a = 0xc3;   /* ret */
	worker_start(&t, jump_to, (void *)a);
	wait_state(t.cap, THREAD_FAULTED, &st);
	CHECK_EQ(st.fault_label, FAULT_PAGE);
	CHECK_EQ(st.fault_addr, a);
	CHECK_EQ(st.fault_ip, a);
	CHECK_OK(cthread_destroy(&t));
	CHECK_OK(pd_detach(tenv->pd, a));
	/* attached executable, the same code runs */
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_EXEC, &a));
	worker_start(&t, jump_to, (void *)a);
	worker_join(&t);
	CHECK_OK(pd_detach(tenv->pd, a));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
	CHECK_OK(pd_fault_sigh(tenv->pd, 0));
}

TEST(FLT_0006, "a fault handler capability must be a notification; none clears it")
{
	CHECK_ST(pd_fault_sigh(tenv->pd, tenv->pd), RPC_E_INVALID_CAP);
	CHECK_ST(pd_fault_sigh(tenv->pd, COMPONENT_MAIN_EP), RPC_E_INVALID_CAP);
	CHECK_OK(pd_fault_sigh(tenv->pd, test_ntfn));
	CHECK_OK(pd_fault_sigh(tenv->pd, 0));
}

TEST(FLT_0007, "many faulting threads at once: each stops alone, all are destroyed cleanly")
{
	struct cthread t[6];
	struct thread_state_info st;

	CHECK_OK(pd_fault_sigh(tenv->pd, test_ntfn));
	fault_at = (volatile word_t *)0x30000000000ull;
	for (int i = 0; i < 6; i++)
		worker_start(&t[i], touch, 0);
	for (int i = 0; i < 6; i++)
		wait_state(t[i].cap, THREAD_FAULTED, &st);
	/* the runner still works fine */
	cptr_t ds;
	char *p = ram_map(4096, &ds);
	p[0] = 5;
	ram_unmap(p, ds);
	for (int i = 0; i < 6; i++)
		CHECK_OK(cthread_destroy(&t[i]));
	CHECK_OK(pd_fault_sigh(tenv->pd, 0));
}
