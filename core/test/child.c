/*
 * Helper children started the way init starts components (base's
 * child_start over core's services): start, sessions through us, exit,
 * faults, quota exhaustion, capabilities they were not given, destruction.
 */
#include "test.h"

#define KB 1024ul
#define CHILD_RAM (1536 * KB)

static struct tchild tc;

TEST(CHD_0001, "a child starts from its ROM, logs through us, exits; destroying it returns all")
{
	struct pd_quota q0 = quota_of(tenv->pd);

	CHECK_OK(helper_start(&tc, "helper", "mode=log", CHILD_RAM, 64));
	CHECK_EQ(helper_wait_exit(&tc), 0);
	CHECK_EQ(tc.nsessions, 1);   /* its LOG session */
	helper_destroy(&tc);
	struct pd_quota q1 = quota_of(tenv->pd);
	CHECK_EQ(q1.ram_quota, q0.ram_quota);
	CHECK_EQ(q1.cap_quota, q0.cap_quota);
}

TEST(CHD_0002, "the exit value reaches the parent")
{
	CHECK_OK(helper_start(&tc, "exiter", "mode=exit, value=42", CHILD_RAM, 64));
	CHECK_EQ(helper_wait_exit(&tc), 42);
	helper_destroy(&tc);
}

TEST(CHD_0003, "a child that faults is stopped and reported to its parent; nobody else notices")
{
	struct thread_state_info st;

	CHECK_OK(helper_start(&tc, "faulter", "mode=fault", CHILD_RAM, 64));
	CHECK_OK(pd_fault_sigh(tc.c.pd, test_ntfn));
	for (;;) {
		CHECK_OK(thread_state(tc.c.thread, &st));
		if (st.state == THREAD_FAULTED)
			break;
		wait_signal();
	}
	CHECK_EQ(st.fault_label, FAULT_PAGE);
	CHECK_EQ(st.fault_addr, 0x5000);
	CHECK_EQ(tc.exited, 0);
	helper_destroy(&tc);
}

TEST(CHD_0004, "a child spending past its quota gets NO_RAM_QUOTA; we keep ours")
{
	struct pd_quota q0 = quota_of(tenv->pd);

	CHECK_OK(helper_start(&tc, "spender", "mode=spend", CHILD_RAM, 64));
	CHECK_EQ(helper_wait_exit(&tc), 0);
	CHECK_EQ(quota_of(tenv->pd).ram_used, q0.ram_used);
	helper_destroy(&tc);
}

TEST(CHD_0005, "a child using capabilities it was not given gets errors and harms nothing")
{
	CHECK_OK(helper_start(&tc, "prober", "mode=badcaps", CHILD_RAM, 64));
	CHECK_EQ(helper_wait_exit(&tc), 0);
	helper_destroy(&tc);
	/* and we still work */
	cptr_t ds;
	char *p = ram_map(4096, &ds);
	p[1] = 1;
	ram_unmap(p, ds);
}

TEST(CHD_0006, "a child with threads, sessions and attachments is destroyed while running")
{
	struct pd_quota q0 = quota_of(tenv->pd);

	CHECK_OK(helper_start(&tc, "busy", "mode=busy", 2 * CHILD_RAM, 64));
	CHECK_EQ(helper_wait_exit(&tc), 0);
	CHECK_EQ(tc.nsessions, 2);   /* LOG and ROM */
	helper_destroy(&tc);
	struct pd_quota q1 = quota_of(tenv->pd);
	CHECK_EQ(q1.ram_quota, q0.ram_quota);
	CHECK_EQ(q1.cap_quota, q0.cap_quota);
}

TEST(CHD_0007, "starting a child from a ROM that is not an ELF image fails cleanly")
{
	struct child c;
	struct child_spec spec = { .name = "broken", .binary = "nonexistent", .ram = CHILD_RAM,
				   .caps = 64, .priority = WORKER_PRIO, .parent_cap = tenv->parent };
	struct pd_quota q0 = quota_of(tenv->pd);

	CHECK_ST(child_start(tenv->parent, &spec, &c), RPC_E_NOT_FOUND);
	CHECK_EQ(quota_of(tenv->pd).ram_quota, q0.ram_quota);
	spec.binary = "textfile";   /* a boot module that is plain text */
	CHECK_ST(child_start(tenv->parent, &spec, &c), RPC_E_INVALID_ARGUMENT);
	CHECK_EQ(c.elf_error, ELF_E_MAGIC);
	CHECK_EQ(quota_of(tenv->pd).ram_quota, q0.ram_quota);
	spec.binary = "core_test_helper";
	spec.ram = 200 * KB;        /* too little for its CNode and image */
	CHECK_ST(child_start(tenv->parent, &spec, &c), RPC_E_NO_RAM_QUOTA);
	CHECK_EQ(quota_of(tenv->pd).ram_quota, q0.ram_quota);
}

TEST(CHD_0008, "destroying a child that waits in its entrypoint; its capabilities die")
{
	CHECK_OK(helper_start(&tc, "waiter", "mode=wait", CHILD_RAM, 64));
	while (tc.nsessions < 1)   /* its LOG session shows it got going */
		wait_signal();
	cptr_t pd = tc.c.pd;
	cptr_t copy = cap_slot_alloc();
	CHECK_EQ(cnode_copy(COMPONENT_CNODE, copy, 64, COMPONENT_CNODE, pd, 64, RIGHTS_ALL), E_OK);
	helper_destroy(&tc);
	struct pd_quota q;
	CHECK_ST(pd_quota(copy, &q), RPC_E_INVALID_CAP);
	cap_slot_free(copy);
}

TEST(CHD_0009, "a child's entrypoint answers heartbeats; a stopped one does not")
{
	struct thread_state_info st;

	CHECK_OK(helper_start(&tc, "beater", "mode=wait", CHILD_RAM, 64));
	while (!tc.heartbeat)
		wait_signal();
	for (int i = 1; i <= 3; i++) {
		signal_submit(tc.heartbeat);
		while (tc.beats < i)
			wait_signal();
	}
	/* stop its entrypoint: no more answers */
	CHECK_OK(thread_pause(tc.c.thread));
	CHECK_OK(thread_state(tc.c.thread, &st));
	CHECK_EQ(st.state, THREAD_PAUSED);
	signal_submit(tc.heartbeat);
	for (int i = 0; i < 50; i++)
		quota_of(tenv->pd);
	CHECK_EQ(tc.beats, 3);
	CHECK_OK(thread_resume(tc.c.thread));
	while (tc.beats < 4)
		wait_signal();
	helper_destroy(&tc);
}

TEST(CHD_0010, "a child cannot silence its parent's fault handler, nor install caps in itself")
{
	struct thread_state_info st;

	CHECK_OK(helper_start(&tc, "hider", "mode=hide", CHILD_RAM, 64));
	CHECK_OK(pd_fault_sigh(tc.c.pd, test_ntfn));
	/* the child sets its own handler, tries to install, then faults */
	for (;;) {
		CHECK(!tc.exited);   /* it exits only if its own checks failed */
		CHECK_OK(thread_state(tc.c.thread, &st));
		if (st.state == THREAD_FAULTED)
			break;
		wait_signal();
	}
	CHECK_EQ(st.fault_addr, 0x6000);
	helper_destroy(&tc);
}
