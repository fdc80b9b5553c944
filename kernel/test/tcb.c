/*
 * TCB invocations: configure, registers, suspend/resume, priorities and
 * MCP, affinity, TLS base, argument checks; register sanitising.
 */
#include "test.h"

static volatile word_t got[4];
static cptr_t g_done;

static word_t store_args(word_t a0, word_t a1)
{
	got[0] = a0;
	got[1] = a1;
	sys_signal(g_done);
	return 0;
}

static word_t loop_go_done(word_t go, word_t done)
{
	for (;;) {
		sys_wait(go);
		got[0]++;
		sys_signal(done);
	}
	return 0;
}

/* A new thread, configured, registers set to run fn(a0, a1), suspended. */
static void prepared(struct env *env, struct thread *t, void *fn, word_t a0, word_t a1, word_t prio)
{
	CHECK_OK(thread_create(env, t, 0));
	CHECK_OK(thread_prepare(t, fn, a0, a1));
	CHECK_OK(tcb_set_priority(t->tcb, INIT_TCB, prio));
}

TEST(TCB_0001, "a new thread stays suspended until TCB_RESUME")
{
	struct thread t;
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	g_done = mk_mint(env, n, RIGHTS_ALL, 1);
	got[0] = got[1] = 0;
	prepared(env, &t, store_args, 11, 22, 100);
	settle(env);
	CHECK_EQ(sys_poll(n), 0);
	CHECK_OK(tcb_resume(t.tcb));
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(got[0], 11);
	CHECK_EQ(got[1], 22);
}

TEST(TCB_0002, "TCB_WRITE_REGISTERS with resume starts the thread")
{
	struct thread t;
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	word_t regs[REG_COUNT];

	g_done = mk_mint(env, n, RIGHTS_ALL, 1);
	prepared(env, &t, store_args, 5, 6, 100);
	CHECK_OK(tcb_read_registers(t.tcb, 0, REG_COUNT, regs));
	regs[REG_RSI] = 55;
	CHECK_OK(tcb_write_registers(t.tcb, 1, REG_COUNT, regs));
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(got[0], 55);
	CHECK_EQ(got[1], 6);
}

TEST(TCB_0003, "registers read back as written")
{
	cptr_t tcb = mk(env, OBJ_TCB, 0);
	word_t in[REG_COUNT], out[REG_COUNT];

	for (int i = 0; i < REG_COUNT; i++)
		in[i] = 0x1111111100000000ul + (word_t)i * 0x10101;
	in[REG_RIP] = 0x401000;
	in[REG_RSP] = 0x7f0000000ff0;
	in[REG_RFLAGS] = 0x202;
	in[REG_FS_BASE] = 0x7f0000001234;
	in[REG_GS_BASE] = 0x7f0000005678;
	CHECK_OK(tcb_write_registers(tcb, 0, REG_COUNT, in));
	memset(out, 0, sizeof(out));
	CHECK_OK(tcb_read_registers(tcb, 0, REG_COUNT, out));
	for (int i = 0; i < REG_COUNT; i++) {
		if (i == REG_RFLAGS)
			continue;
		CHECK_EQ(out[i], in[i]);
	}
	CHECK_EQ(out[REG_RFLAGS] & 0x200, 0x200);
}

TEST(TCB_0004, "reading more than REG_COUNT registers fails")
{
	cptr_t tcb = mk(env, OBJ_TCB, 0);
	word_t regs[REG_COUNT];

	CHECK_ST2(tcb_read_registers(tcb, 0, REG_COUNT + 1, regs), E_RANGE, E_INVALID_ARGUMENT);
	CHECK_ST2(tcb_read_registers(tcb, 0, 1000, regs), E_RANGE, E_INVALID_ARGUMENT);
	CHECK_OK(tcb_read_registers(tcb, 0, 3, regs));
}

TEST(TCB_0005, "writing more than REG_COUNT registers fails")
{
	cptr_t tcb = mk(env, OBJ_TCB, 0);
	word_t args[2 + REG_COUNT + 1];

	memset(args, 0, sizeof(args));
	args[1] = REG_COUNT + 1;
	args[2 + REG_RFLAGS] = 0x202;
	CHECK_ST2(kernel_invoke(tcb, TCB_WRITE_REGISTERS, 2 + REG_COUNT + 1, args, 0, 0, 0, 0),
		    E_RANGE, E_INVALID_ARGUMENT);
}

TEST(TCB_0006, "write registers with fewer words than count is E_TRUNCATED_MESSAGE")
{
	cptr_t tcb = mk(env, OBJ_TCB, 0);
	word_t args[5] = { 0, 5, 0x401000, 0x1000, 0x202 };

	CHECK_ST(kernel_invoke(tcb, TCB_WRITE_REGISTERS, 5, args, 0, 0, 0, 0), E_TRUNCATED_MESSAGE);
	CHECK_ST(kernel_invoke(tcb, TCB_WRITE_REGISTERS, 1, args, 0, 0, 0, 0), E_TRUNCATED_MESSAGE);
	CHECK_ST(kernel_invoke(tcb, TCB_READ_REGISTERS, 1, args, 0, 0, 0, 0), E_TRUNCATED_MESSAGE);
}

TEST(TCB_0007, "a suspended thread does not run; resume restarts its wait")
{
	struct thread t;
	cptr_t go = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	got[0] = 0;
	spawn(env, &t, loop_go_done, go, mk_mint(env, n, RIGHTS_ALL, 1), 100);
	sys_signal(go);
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(got[0], 1);
	CHECK_OK(tcb_suspend(t.tcb));
	sys_signal(go);
	settle(env);
	CHECK_EQ(got[0], 1);
	CHECK_EQ(sys_poll(n), 0);
	CHECK_OK(tcb_resume(t.tcb));
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(got[0], 2);
}

TEST(TCB_0008, "suspend and resume are idempotent")
{
	struct thread t;
	cptr_t go = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	got[0] = 0;
	spawn(env, &t, loop_go_done, go, mk_mint(env, n, RIGHTS_ALL, 1), 100);
	CHECK_OK(tcb_resume(t.tcb));
	CHECK_OK(tcb_suspend(t.tcb));
	CHECK_OK(tcb_suspend(t.tcb));
	CHECK_OK(tcb_resume(t.tcb));
	CHECK_OK(tcb_resume(t.tcb));
	sys_signal(go);
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(got[0], 1);
}

TEST(TCB_0009, "read registers with suspend_source suspends the thread")
{
	struct thread t;
	cptr_t go = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	word_t regs[REG_COUNT];

	got[0] = 0;
	spawn(env, &t, loop_go_done, go, mk_mint(env, n, RIGHTS_ALL, 1), 100);
	settle(env);
	CHECK_OK(tcb_read_registers(t.tcb, 1, REG_COUNT, regs));
	CHECK(regs[REG_RIP] >= 0x400000 && regs[REG_RIP] < 0x800000);
	sys_signal(go);
	settle(env);
	CHECK_EQ(got[0], 0);
	CHECK_OK(tcb_resume(t.tcb));
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(got[0], 1);
}

TEST(TCB_0010, "set priority above the authority's MCP fails with E_RANGE")
{
	cptr_t t = mk(env, OBJ_TCB, 0);
	cptr_t auth = mk(env, OBJ_TCB, 0);

	CHECK_ST(tcb_set_priority(t, auth, 1), E_RANGE);
	CHECK_OK(tcb_set_priority(t, auth, 0));
	CHECK_OK(tcb_set_mcp(auth, INIT_TCB, 50));
	CHECK_OK(tcb_set_priority(t, auth, 50));
	CHECK_ST(tcb_set_priority(t, auth, 51), E_RANGE);
	CHECK_OK(tcb_set_priority(t, INIT_TCB, 255));
}

TEST(TCB_0011, "a TCB with a raised MCP may grant up to that MCP")
{
	cptr_t a = mk(env, OBJ_TCB, 0);
	cptr_t b = mk(env, OBJ_TCB, 0);

	CHECK_OK(tcb_set_mcp(a, INIT_TCB, 100));
	CHECK_OK(tcb_set_mcp(b, a, 100));
	CHECK_ST(tcb_set_mcp(b, a, 101), E_RANGE);
	CHECK_OK(tcb_set_priority(b, a, 100));
	CHECK_ST(tcb_set_priority(b, a, 101), E_RANGE);
}

TEST(TCB_0012, "MCP above the authority's MCP fails with E_RANGE")
{
	cptr_t a = mk(env, OBJ_TCB, 0);
	cptr_t b = mk(env, OBJ_TCB, 0);

	CHECK_ST(tcb_set_mcp(b, a, 1), E_RANGE);
	CHECK_OK(tcb_set_mcp(b, a, 0));
	CHECK_OK(tcb_set_mcp(a, INIT_TCB, ABI_PRIO_MAX));
}

TEST(TCB_0013, "priorities and MCPs above 255 fail with E_RANGE")
{
	cptr_t t = mk(env, OBJ_TCB, 0);

	CHECK_ST(tcb_set_priority(t, INIT_TCB, 256), E_RANGE);
	CHECK_ST(tcb_set_priority(t, INIT_TCB, ~0ul), E_RANGE);
	CHECK_ST(tcb_set_mcp(t, INIT_TCB, 256), E_RANGE);
}

TEST(TCB_0014, "an authority that is not a TCB fails with E_INVALID_CAPABILITY")
{
	cptr_t t = mk(env, OBJ_TCB, 0);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	CHECK_ST(tcb_set_priority(t, ep, 0), E_INVALID_CAPABILITY);
	CHECK_EQ(kernel_last_detail(0), 1);
	CHECK_ST(tcb_set_mcp(t, mk_slot(env), 0), E_INVALID_CAPABILITY);
	CHECK_ST(kernel_invoke(t, TCB_SET_PRIORITY, 1, (word_t[]){ 0 }, 0, 0, 0, 0),
		   E_TRUNCATED_MESSAGE);
}

TEST(TCB_0015, "affinity to a CPU that does not exist fails")
{
	cptr_t t = mk(env, OBJ_TCB, 0);

	CHECK_ST2(tcb_set_affinity(t, test_bootinfo->num_cpus), E_RANGE, E_INVALID_ARGUMENT);
	CHECK_ST2(tcb_set_affinity(t, ABI_MAX_CPUS), E_RANGE, E_INVALID_ARGUMENT);
	CHECK_ST2(tcb_set_affinity(t, ~0ul), E_RANGE, E_INVALID_ARGUMENT);
	CHECK_OK(tcb_set_affinity(t, test_bootinfo->num_cpus - 1));
	CHECK_OK(tcb_set_affinity(t, 0));
}

static volatile word_t tls_block[4] = { 0x715715, 0x2, 0x3, 0x4 };

static word_t read_fs(word_t done, word_t offset)
{
	word_t v;

	if (offset)
		__asm__ volatile("mov %%fs:8, %0" : "=r"(v));
	else
		__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	got[0] = v;
	sys_signal(done);
	return 0;
}

TEST(TCB_0016, "TCB_SET_TLS_BASE sets the fs base the thread sees")
{
	struct thread t;
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	got[0] = 0;
	prepared(env, &t, read_fs, mk_mint(env, n, RIGHTS_ALL, 1), 0, 100);
	CHECK_OK(tcb_set_tls_base(t.tcb, (word_t)tls_block));
	CHECK_OK(tcb_resume(t.tcb));
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(got[0], 0x715715);
}

TEST(TCB_0017, "read registers reports the TLS base set by TCB_SET_TLS_BASE")
{
	cptr_t t = mk(env, OBJ_TCB, 0);
	word_t regs[REG_COUNT];

	CHECK_OK(tcb_set_tls_base(t, 0x12345000));
	CHECK_OK(tcb_read_registers(t, 0, REG_COUNT, regs));
	CHECK_EQ(regs[REG_FS_BASE], 0x12345000);
}

TEST(TCB_0018, "REG_FS_BASE written with TCB_WRITE_REGISTERS takes effect")
{
	struct thread t;
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	word_t regs[REG_COUNT];

	got[0] = 0;
	prepared(env, &t, read_fs, mk_mint(env, n, RIGHTS_ALL, 1), 1, 100);
	CHECK_OK(tcb_read_registers(t.tcb, 0, REG_COUNT, regs));
	regs[REG_FS_BASE] = (word_t)tls_block;
	CHECK_OK(tcb_write_registers(t.tcb, 1, REG_COUNT, regs));
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(got[0], 0x2);
}

TEST(TCB_0019, "resuming a thread without a VSpace faults it (or is refused)")
{
	cptr_t tcb = mk(env, OBJ_TCB, 0);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t fep = mk_mint(env, ep, RIGHTS_ALL, 0x99);
	word_t regs[REG_COUNT];
	struct sys_msg m;

	CHECK_OK(tcb_configure(tcb, fep, INIT_CNODE, 0, 0, 0, 0));
	memset(regs, 0, sizeof(regs));
	regs[REG_RIP] = 0x400000;
	regs[REG_RSP] = 0x1000;
	regs[REG_RFLAGS] = 0x202;
	CHECK_OK(tcb_write_registers(tcb, 0, REG_COUNT, regs));
	CHECK_OK(tcb_set_priority(tcb, INIT_TCB, 100));
	if (tcb_resume(tcb) != E_OK)
		return;
	CHECK(recv_wait(env, ep, &m));
	CHECK_EQ(m.badge, 0x99);
	CHECK(mi_label(m.info) != FAULT_NONE);
}

TEST(TCB_0020, "an unknown TCB invocation label fails with E_ILLEGAL_OPERATION")
{
	cptr_t t = mk(env, OBJ_TCB, 0);

	CHECK_ST(kernel_invoke(t, 999, 0, 0, 0, 0, 0, 0), E_ILLEGAL_OPERATION);
	CHECK_ST(kernel_invoke(t, CNODE_COPY, 0, 0, 0, 0, 0, 0), E_ILLEGAL_OPERATION);
	CHECK_ST(kernel_invoke(t, FRAME_MAP, 0, 0, 0, 0, 0, 0), E_ILLEGAL_OPERATION);
}

TEST(TCB_0021, "configure with a CSpace root that is not a CNode fails (mr0 = 2)")
{
	cptr_t t = mk(env, OBJ_TCB, 0);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	CHECK_ST(tcb_configure(t, 0, ep, 0, INIT_VSPACE, 0, 0), E_INVALID_CAPABILITY);
	CHECK_EQ(kernel_last_detail(0), 2);
}

TEST(TCB_0022, "configure with a VSpace that is not a PML4 fails (mr0 = 3)")
{
	cptr_t t = mk(env, OBJ_TCB, 0);
	cptr_t pd = mk(env, OBJ_PD, 0);

	CHECK_ST(tcb_configure(t, 0, INIT_CNODE, 0, pd, 0, 0), E_INVALID_CAPABILITY);
	CHECK_EQ(kernel_last_detail(0), 3);
	CHECK_ST(tcb_configure(t, 0, INIT_CNODE, 0, INIT_CNODE, 0, 0), E_INVALID_CAPABILITY);
	CHECK_EQ(kernel_last_detail(0), 3);
}

TEST(TCB_0023, "an IPC buffer address not aligned to 1024 fails with E_ALIGNMENT")
{
	cptr_t t = mk(env, OBJ_TCB, 0);
	cptr_t f;
	void *p = env_page(env, &f);

	CHECK(p);
	CHECK_ST(tcb_configure(t, 0, INIT_CNODE, 0, INIT_VSPACE, (word_t)p + 8, f), E_ALIGNMENT);
	CHECK_ST(tcb_configure(t, 0, INIT_CNODE, 0, INIT_VSPACE, (word_t)p + 512, f), E_ALIGNMENT);
	CHECK_OK(tcb_configure(t, 0, INIT_CNODE, 0, INIT_VSPACE, (word_t)p + 1024, f));
}

TEST(TCB_0024, "an IPC buffer cap that is not a frame fails (mr0 = 4)")
{
	cptr_t t = mk(env, OBJ_TCB, 0);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	CHECK_ST(tcb_configure(t, 0, INIT_CNODE, 0, INIT_VSPACE, ENV_SCRATCH_VADDR, ep),
		   E_INVALID_CAPABILITY);
	CHECK_EQ(kernel_last_detail(0), 4);
}

TEST(TCB_0025, "a fault endpoint that is not an endpoint fails (mr0 = 1)")
{
	cptr_t t = mk(env, OBJ_TCB, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	CHECK_ST(tcb_configure(t, n, INIT_CNODE, 0, INIT_VSPACE, 0, 0), E_INVALID_CAPABILITY);
	CHECK_EQ(kernel_last_detail(0), 1);
	CHECK_ST(tcb_set_fault_ep(t, n), E_INVALID_CAPABILITY);
}

TEST(TCB_0026, "20 threads start, run and finish")
{
	static struct thread t[20];
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	word_t all = 0;

	for (int i = 0; i < 20; i++)
		spawn(env, &t[i], worker_signal, mk_mint(env, n, RIGHTS_ALL, 1ul << i), 0, 100);
	while (all != (1ul << 20) - 1)
		all |= sys_wait(n);
	settle(env);
	for (int i = 0; i < 20; i++)
		CHECK(t[i].info->exited);
}

static word_t do_cli(word_t unused0, word_t unused1)
{
	(void)unused0;
	(void)unused1;
	__asm__ volatile("cli; sti");
	return 0;
}

/* A thread about to run do_cli, whose fault endpoint is a fresh ep, gets
 * register `reg` set to (reg & keep) | value. If the kernel takes the
 * registers, the thread is resumed and its first fault message must come
 * (in *m). Returns what TCB_WRITE_REGISTERS said. */
static abi_error_t run_with_reg(struct env *env, int reg, word_t keep, word_t value,
				struct sys_msg *m)
{
	struct thread t;
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	word_t regs[REG_COUNT];
	abi_error_t err;

	CHECK_OK(thread_create(env, &t, ep));
	CHECK_OK(thread_prepare(&t, do_cli, 0, 0));
	CHECK_OK(tcb_read_registers(t.tcb, 0, REG_COUNT, regs));
	regs[reg] = (regs[reg] & keep) | value;
	err = tcb_write_registers(t.tcb, 0, REG_COUNT, regs);
	if (err != E_OK)
		return err;
	CHECK_OK(tcb_set_priority(t.tcb, INIT_TCB, 100));
	CHECK_OK(tcb_resume(t.tcb));
	CHECK(recv_wait(env, ep, m));
	return E_OK;
}

TEST(TCB_0027, "rflags IOPL cannot be raised: cli still faults with #GP")
{
	struct sys_msg m;

	CHECK_OK(run_with_reg(env, REG_RFLAGS, ~0ul, 0x3000, &m));
	CHECK_EQ(mi_label(m.info), FAULT_EXCEPTION);
	CHECK_EQ(m.mr[1], 13);
}

TEST(TCB_0028, "a non-canonical rip is refused or delivered as a fault")
{
	struct sys_msg m;

	if (run_with_reg(env, REG_RIP, 0, 0x0000800000000000ul, &m) != E_OK)
		return;
	CHECK(mi_label(m.info) == FAULT_EXCEPTION || mi_label(m.info) == FAULT_PAGE);
}

TEST(TCB_0029, "a non-canonical or kernel rsp makes the thread fault, not the kernel")
{
	struct sys_msg m;

	if (run_with_reg(env, REG_RSP, 0, 0xffffffff80001000ul, &m) != E_OK)
		return;
	CHECK(mi_label(m.info) == FAULT_EXCEPTION || mi_label(m.info) == FAULT_PAGE);
}

static word_t try_raise(word_t self, word_t done)
{
	got[0] = tcb_set_priority(self, self, 60);
	got[1] = tcb_set_priority(self, self, 40);
	sys_signal(done);
	return 0;
}

TEST(TCB_0030, "a thread cannot raise its own priority above its own MCP")
{
	struct thread t;
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	got[0] = got[1] = 99;
	prepared(env, &t, try_raise, 0, mk_mint(env, n, RIGHTS_ALL, 1), 50);
	CHECK_OK(tcb_set_mcp(t.tcb, INIT_TCB, 50));
	CHECK_OK(thread_prepare(&t, try_raise, t.tcb, mk_mint(env, n, RIGHTS_ALL, 1)));
	CHECK_OK(tcb_resume(t.tcb));
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(got[0], E_RANGE);
	CHECK_EQ(got[1], E_OK);
}

TEST(TCB_0031, "a thread with affinity to the last CPU runs there and finishes")
{
	struct thread t;
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	spawn_on(env, &t, worker_signal, mk_mint(env, n, RIGHTS_ALL, 3), 0, 100,
		 test_bootinfo->num_cpus - 1);
	CHECK_EQ(sys_wait(n), 3);
}

TEST(TCB_0032, "TCB invocations on a non-TCB cap fail with E_ILLEGAL_OPERATION")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t cn = mk(env, OBJ_CNODE, 2);

	CHECK_ST(tcb_suspend(cn), E_ILLEGAL_OPERATION);
	CHECK_ST(tcb_set_priority(cn, INIT_TCB, 1), E_ILLEGAL_OPERATION);
	(void)n;
}

TEST(TCB_0033, "a reconfigured thread (new IPC buffer) keeps working")
{
	struct thread t;
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t f;
	struct ipc_buffer *ib = env_page(env, &f);

	g_done = mk_mint(env, n, RIGHTS_ALL, 1);
	CHECK(ib);
	prepared(env, &t, store_args, 1, 2, 100);
	CHECK_OK(tcb_configure(t.tcb, 0, INIT_CNODE, 0, INIT_VSPACE, (word_t)ib, f));
	t.info->ipc = ib;
	CHECK_OK(tcb_resume(t.tcb));
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(got[1], 2);
}

TEST(TCB_0034, "TCB_SET_FAULT_EP with a null cap clears the fault endpoint")
{
	cptr_t t = mk(env, OBJ_TCB, 0);
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	CHECK_OK(tcb_set_fault_ep(t, ep));
	CHECK_OK(tcb_set_fault_ep(t, 0));
	CHECK_OK(tcb_set_fault_ep(t, ep));
}

static word_t recv_len(word_t ep, word_t done)
{
	struct sys_msg m = { 0 };

	sys_recv(ep, &m);
	thread_self()->user[0] = m.info;
	thread_self()->user[1] = m.mr[3];
	sys_signal(done);
	return 0;
}

TEST(TCB_0035, "a long message to a thread whose IPC buffer frame was deleted is safe")
{
	struct thread t;
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct ipc_buffer *ib = ipc_buffer();
	struct sys_msg m = { 0 };

	CHECK_OK(thread_create(env, &t, 0));
	CHECK_OK(thread_start(&t, recv_len, ep, mk_mint(env, n, RIGHTS_ALL, 1), 100, 0));
	settle(env);
	CHECK_OK(cnode_delete(R, t.ipc_frame, 64));
	for (int i = 4; i < ABI_MSG_MAX; i++)
		ib->msg[i] = 0xdead;
	m.info = mi_make(0x44, 0, 0, ABI_MSG_MAX);
	m.mr[3] = 33;
	sys_send(ep, &m);
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(mi_label(t.info->user[0]), 0x44);
	CHECK_EQ(t.info->user[1], 33);
	CHECK(mi_len(t.info->user[0]) == ABI_MSG_REGS || mi_len(t.info->user[0]) == ABI_MSG_MAX);
}

TEST(TCB_0036, "TCB_CONFIGURE refuses a device frame as IPC buffer (E_INVALID_CAPABILITY, mr0 = 4)")
{
	struct thread t;
	int d = -1;

	for (word_t i = 0; i < test_bootinfo->num_untyped; i++) {
		const struct bootinfo_untyped *u = &test_bootinfo->untyped_list[i];
		if (u->is_device && u->size_bits >= OBJ_PAGE_BITS) {
			d = (int)i;
			break;
		}
	}
	if (d < 0)
		test_skip("bootinfo lists no device untyped of a page or more");
	cptr_t ut = test_bootinfo->untyped.start + (word_t)d;
	cptr_t dev = mk_slot(env);
	CHECK_OK(cnode_revoke(R, ut, 64));
	CHECK_OK(untyped_retype(ut, OBJ_FRAME_4K, 0, R, 0, 0, dev, 1));
	CHECK_OK(thread_create(env, &t, 0));
	CHECK_ST(tcb_configure(t.tcb, 0, INIT_CNODE, 0, INIT_VSPACE, t.ipc_vaddr, dev),
		   E_INVALID_CAPABILITY);
	CHECK_EQ(kernel_last_detail(0), 4);
	/* the same with a RAM frame is fine */
	CHECK_OK(tcb_configure(t.tcb, 0, INIT_CNODE, 0, INIT_VSPACE, t.ipc_vaddr, t.ipc_frame));
	CHECK_OK(cnode_revoke(R, ut, 64));
}
