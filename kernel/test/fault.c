/*
 * Fault delivery: page faults and exceptions sent to the fault endpoint,
 * resolving and resuming, setting registers in the reply, threads without
 * a fault endpoint, unknown system calls.
 */
#include "test.h"

word_t fault_ud2(void);
word_t fault_ud2_rax(void);
word_t fault_int3(void);
word_t fault_hlt(void);
word_t fault_div0(void);
word_t fault_bad_syscall(void);
word_t fault_movaps(void);
word_t fault_debug_halt(void);
extern char fault_div0_insn[], fault_ud2_rax_insn[], fault_bad_syscall_insn[], fault_debug_halt_insn[];

__asm__(".text\n"
	"fault_ud2: ud2\n ret\n"
	"fault_ud2_rax: xor %eax, %eax\n"
	"fault_ud2_rax_insn: ud2\n ret\n"
	"fault_int3: int3\n ret\n"
	"fault_hlt: hlt\n ret\n"
	"fault_div0: xor %ecx, %ecx\n mov $1, %eax\n xor %edx, %edx\n"
	"fault_div0_insn: div %ecx\n ret\n"
	"fault_bad_syscall: mov $99, %eax\n"
	"fault_bad_syscall_insn: syscall\n ret\n"
	"fault_movaps: movaps (%rsp), %xmm0\n ret\n"
	"fault_debug_halt: mov $11, %eax\n mov $0x5a, %edi\n"
	"fault_debug_halt_insn: syscall\n ret\n");

/* Thread bodies: do something, then Send PROBE_DONE_LABEL (mr0 = result). */
static void send_done(cptr_t ep, word_t v)
{
	struct sys_msg m = { 0 };

	m.info = mi_make(PROBE_DONE_LABEL, 0, 0, 1);
	m.mr[0] = v;
	sys_send(ep, &m);
}

static word_t body_call(word_t fn, word_t done_ep)
{
	send_done(done_ep, ((word_t(*)(void))fn)());
	return 0;
}

static word_t body_read(word_t addr, word_t done_ep)
{
	send_done(done_ep, *(volatile word_t *)addr);
	return 0;
}

static word_t body_write(word_t addr, word_t done_ep)
{
	*(volatile word_t *)addr = 1;
	send_done(done_ep, 0);
	return 0;
}

static word_t body_sum(word_t base, word_t done_ep)
{
	word_t sum = 0;

	for (word_t i = 0; i < 100; i++)
		sum += *(volatile word_t *)(base + i * 4096);
	send_done(done_ep, sum);
	return 0;
}

/* Start fn(a0, ep) in a thread whose fault endpoint is `fault` (badged). */
static void start(struct env *env, struct thread *t, cptr_t fault, void *fn, word_t a0, cptr_t ep)
{
	spawn_faulting(env, t, fault, fn, a0, ep, 100);
}

#define ANY_LABEL (~0ul)

/* The next message on ep must come, with `label` (or any: ANY_LABEL). */
static void expect(struct env *env, cptr_t ep, struct sys_msg *m, word_t label)
{
	if (!recv_wait(env, ep, m))
		test_fail(__FILE__, __LINE__, "no message (expected label %lu)", label);
	if (label != ANY_LABEL && mi_label(m->info) != label)
		test_fail(__FILE__, __LINE__, "label %lu (mr0 0x%lx mr1 0x%lx mr2 0x%lx), expected %lu",
			  mi_label(m->info), m->mr[0], m->mr[1], m->mr[2], label);
}

/* Start fn(a0, ep) in *t with a fresh endpoint ep as its fault endpoint
 * (badged if `badge` is set) and as the endpoint its body reports to; its
 * first message must have `label`: it is left in *m. Returns ep. */
static cptr_t fault_case(struct env *env, struct thread *t, void *fn, word_t a0, word_t badge,
			 word_t label, struct sys_msg *m)
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	start(env, t, badge ? mk_mint(env, ep, RIGHTS_ALL, badge) : ep, fn, a0, ep);
	expect(env, ep, m, label);
	return ep;
}

TEST(FAULT_0001, "a read of an unmapped page sends FAULT_PAGE with rip, address, error code, badge")
{
	struct thread t;
	struct sys_msg m;

	fault_case(env, &t, body_read, TEST_VA(0) + 8, 0x77, FAULT_PAGE, &m);
	CHECK_EQ(m.badge, 0x77);
	CHECK_EQ(m.mr[1], TEST_VA(0) + 8);
	CHECK_EQ(m.mr[2] & (FAULT_PF_PRESENT | FAULT_PF_WRITE | FAULT_PF_USER), FAULT_PF_USER);
	CHECK(m.mr[0] >= 0x400000 && m.mr[0] < 0x600000);
	CHECK_EQ(mi_len(m.info), 3);
}

TEST(FAULT_0002, "mapping the page and replying resumes the faulting thread")
{
	cptr_t ep;
	struct thread t;
	struct sys_msg m;

	ep = fault_case(env, &t, body_read, TEST_VA(0) + 16, 0, FAULT_PAGE, &m);
	map_test_page(env, TEST_VA(0), RIGHT_READ | RIGHT_WRITE, 0);
	*(volatile word_t *)(TEST_VA(0) + 16) = 0x4242;
	memset(&m, 0, sizeof(m));
	sys_reply(&m);
	expect(env, ep, &m, PROBE_DONE_LABEL);
	CHECK_EQ(m.mr[0], 0x4242);
}

TEST(FAULT_0003, "a write to an unmapped page has the write bit in the error code")
{
	struct thread t;
	struct sys_msg m;

	fault_case(env, &t, body_write, TEST_VA(3), 0, FAULT_PAGE, &m);
	CHECK_EQ(m.mr[1], TEST_VA(3));
	CHECK_EQ(m.mr[2] & (FAULT_PF_PRESENT | FAULT_PF_WRITE | FAULT_PF_USER), FAULT_PF_WRITE | FAULT_PF_USER);
}

TEST(FAULT_0004, "ud2 sends FAULT_EXCEPTION vector 6 with the instruction's rip")
{
	struct thread t;
	struct sys_msg m;

	fault_case(env, &t, body_call, (word_t)fault_ud2, 5, FAULT_EXCEPTION, &m);
	CHECK_EQ(m.badge, 5);
	CHECK_EQ(m.mr[0], (word_t)fault_ud2);
	CHECK_EQ(m.mr[1], 6);
	CHECK_EQ(mi_len(m.info), 4);
}

TEST(FAULT_0005, "division by zero sends FAULT_EXCEPTION vector 0")
{
	struct thread t;
	struct sys_msg m;

	fault_case(env, &t, body_call, (word_t)fault_div0, 0, FAULT_EXCEPTION, &m);
	CHECK_EQ(m.mr[0], (word_t)fault_div0_insn);
	CHECK_EQ(m.mr[1], 0);
}

TEST(FAULT_0006, "a FAULT_REPLY_SET_REGS reply sets registers: skip the ud2, set rax")
{
	cptr_t ep;
	struct ipc_buffer *ib = ipc_buffer();
	struct thread t;
	struct sys_msg m;
	word_t regs[REG_COUNT];

	ep = fault_case(env, &t, body_call, (word_t)fault_ud2_rax, 0, FAULT_EXCEPTION, &m);
	CHECK_EQ(m.mr[0], (word_t)fault_ud2_rax_insn);
	CHECK_OK(tcb_read_registers(t.tcb, 0, REG_COUNT, regs));
	CHECK_EQ(regs[REG_RIP], (word_t)fault_ud2_rax_insn);
	regs[REG_RIP] += 2;
	regs[REG_RAX] = 1234;
	memset(&m, 0, sizeof(m));
	for (int i = 0; i < REG_COUNT; i++) {
		if (i < ABI_MSG_REGS)
			m.mr[i] = regs[i];
		else
			ib->msg[i] = regs[i];
	}
	m.info = mi_make(FAULT_REPLY_SET_REGS, 0, 0, REG_COUNT);
	sys_reply(&m);
	expect(env, ep, &m, PROBE_DONE_LABEL);
	CHECK_EQ(m.mr[0], 1234);
}

TEST(FAULT_0007, "a thread without a fault endpoint that faults is left suspended")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m;
	word_t regs[REG_COUNT];

	start(env, &t, 0, body_call, (word_t)fault_ud2, ep);
	settle(env);
	settle(env);
	memset(&m, 0, sizeof(m));
	sys_nbrecv(ep, &m);
	CHECK_EQ(mi_label(m.info), 0);
	CHECK_OK(tcb_read_registers(t.tcb, 0, REG_COUNT, regs));
	CHECK_EQ(regs[REG_RIP], (word_t)fault_ud2);
}

TEST(FAULT_0008, "int3 sends FAULT_EXCEPTION vector 3")
{
	struct thread t;
	struct sys_msg m;

	fault_case(env, &t, body_call, (word_t)fault_int3, 0, FAULT_EXCEPTION, &m);
	CHECK_EQ(m.mr[1], 3);
	CHECK(m.mr[0] == (word_t)fault_int3 || m.mr[0] == (word_t)fault_int3 + 1);
}

TEST(FAULT_0009, "a fault in another address space reaches the root's fault endpoint")
{
	struct vspace vs;
	struct thread t;
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct sys_msg m;

	CHECK_OK(vspace_clone(env, &vs));
	CHECK_OK(thread_create_in(env, &t, &vs, INIT_CNODE, 0, mk_mint(env, ep, RIGHTS_ALL, 0x33),
				   THREAD_SELF));
	CHECK_OK(thread_start(&t, body_read, 0x20000000, ep, 100, 0));
	expect(env, ep, &m, FAULT_PAGE);
	CHECK_EQ(m.badge, 0x33);
	CHECK_EQ(m.mr[1], 0x20000000);
}

TEST(FAULT_0010, "a privileged instruction (hlt) sends FAULT_EXCEPTION vector 13")
{
	struct thread t;
	struct sys_msg m;

	fault_case(env, &t, body_call, (word_t)fault_hlt, 0, FAULT_EXCEPTION, &m);
	CHECK_EQ(m.mr[1], 13);
	CHECK_EQ(m.mr[0], (word_t)fault_hlt);
}

TEST(FAULT_0011, "user code cannot read kernel memory: the read faults")
{
	struct thread t;
	struct sys_msg m;

	fault_case(env, &t, body_read, 0xffffffff80100000ul, 0, ANY_LABEL, &m);
	CHECK(mi_label(m.info) == FAULT_PAGE || mi_label(m.info) == FAULT_EXCEPTION);
}

TEST(FAULT_0012, "an unknown system call number sends FAULT_UNKNOWN_SYSCALL with rax")
{
	struct thread t;
	struct sys_msg m;

	fault_case(env, &t, body_call, (word_t)fault_bad_syscall, 0, FAULT_UNKNOWN_SYSCALL, &m);
	CHECK_EQ(m.mr[1], 99);
	CHECK(m.mr[0] == (word_t)fault_bad_syscall_insn || m.mr[0] == (word_t)fault_bad_syscall_insn + 2);
}

TEST(FAULT_0013, "TCB_SET_FAULT_EP redirects faults to the new endpoint")
{
	cptr_t a = mk(env, OBJ_ENDPOINT, 0), b = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m;

	CHECK_OK(thread_create(env, &t, a));
	CHECK_OK(tcb_set_fault_ep(t.tcb, mk_mint(env, b, RIGHTS_ALL, 0xb)));
	CHECK_OK(thread_start(&t, body_call, (word_t)fault_ud2, a, 100, 0));
	expect(env, b, &m, FAULT_EXCEPTION);
	CHECK_EQ(m.badge, 0xb);
	memset(&m, 0, sizeof(m));
	sys_nbrecv(a, &m);
	CHECK_EQ(mi_label(m.info), 0);
}

TEST(FAULT_0014, "100 page faults resolved one by one (lazy mapping pager)")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m;
	int faults = 0;

	start(env, &t, ep, body_sum, TEST_VA(0), ep);
	for (;;) {
		CHECK(recv_wait(env, ep, &m));
		if (mi_label(m.info) == PROBE_DONE_LABEL)
			break;
		CHECK_EQ(mi_label(m.info), FAULT_PAGE);
		word_t page = m.mr[1] & ~0xffful;
		map_test_page(env, page, RIGHT_READ | RIGHT_WRITE, 0);
		*(volatile word_t *)page = (page - TEST_VA(0)) / 4096;
		faults++;
		memset(&m, 0, sizeof(m));
		sys_reply(&m);
	}
	CHECK_EQ(faults, 100);
	CHECK_EQ(m.mr[0], 4950);
}

TEST(FAULT_0015, "an access to a non-canonical address sends FAULT_EXCEPTION vector 13")
{
	struct thread t;
	struct sys_msg m;

	fault_case(env, &t, body_read, 0x0000800000000000ul, 0, FAULT_EXCEPTION, &m);
	CHECK_EQ(m.mr[1], 13);
}

TEST(FAULT_0016, "a misaligned movaps sends FAULT_EXCEPTION vector 13")
{
	struct thread t;
	struct sys_msg m;

	fault_case(env, &t, body_call, (word_t)fault_movaps, 0, FAULT_EXCEPTION, &m);
	CHECK_EQ(m.mr[1], 13);
	CHECK_EQ(m.mr[0], (word_t)fault_movaps);
}

TEST(FAULT_0017, "the exception message carries the thread's rsp")
{
	struct thread t;
	struct sys_msg m;

	fault_case(env, &t, body_call, (word_t)fault_ud2, 0, FAULT_EXCEPTION, &m);
	CHECK(m.mr[3] < t.stack_top && m.mr[3] > t.stack_top - BASE_STACK_SIZE);
	CHECK_EQ(m.mr[3] & 0xf, 8);  /* just after a call */
}

TEST(FAULT_0018, "a thread whose stack is unmapped faults on its first push")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m;
	word_t regs[REG_COUNT];

	CHECK_OK(thread_create(env, &t, ep));
	CHECK_OK(thread_prepare(&t, body_call, (word_t)fault_ud2, ep));
	CHECK_OK(tcb_read_registers(t.tcb, 0, REG_COUNT, regs));
	regs[REG_RSP] = TEST_VA(200);
	CHECK_OK(tcb_write_registers(t.tcb, 0, REG_COUNT, regs));
	CHECK_OK(tcb_set_priority(t.tcb, INIT_TCB, 100));
	CHECK_OK(tcb_resume(t.tcb));
	expect(env, ep, &m, FAULT_PAGE);
	CHECK_EQ(m.mr[1], TEST_VA(200) - 8);
	CHECK_EQ(m.mr[2] & FAULT_PF_WRITE, FAULT_PF_WRITE);
}

TEST(FAULT_0019, "faults of two threads on one endpoint both arrive with their badges")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread a, b;
	struct sys_msg m;
	word_t seen = 0;

	start(env, &a, mk_mint(env, ep, RIGHTS_ALL, 1), body_call, (word_t)fault_ud2, ep);
	start(env, &b, mk_mint(env, ep, RIGHTS_ALL, 2), body_read, TEST_VA(9), ep);
	for (int i = 0; i < 2; i++) {
		CHECK(recv_wait(env, ep, &m));
		if (m.badge == 1)
			CHECK_EQ(mi_label(m.info), FAULT_EXCEPTION);
		else
			CHECK_EQ(mi_label(m.info), FAULT_PAGE);
		seen |= m.badge;
	}
	CHECK_EQ(seen, 3);
}

TEST(FAULT_0020, "replying to an exception without changes retries the instruction")
{
	cptr_t ep;
	struct thread t;
	struct sys_msg m;

	ep = fault_case(env, &t, body_call, (word_t)fault_ud2, 0, FAULT_EXCEPTION, &m);
	memset(&m, 0, sizeof(m));
	sys_reply(&m);
	expect(env, ep, &m, FAULT_EXCEPTION);
	CHECK_EQ(m.mr[0], (word_t)fault_ud2);
}

TEST(FAULT_0021, "a thread whose fault endpoint was deleted is suspended when it faults")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t other = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	word_t regs[REG_COUNT];

	CHECK_OK(thread_create(env, &t, ep));
	CHECK_OK(cnode_delete(R, ep, 64));
	CHECK_OK(thread_start(&t, body_call, (word_t)fault_ud2, other, 100, 0));
	settle(env);
	settle(env);
	CHECK_OK(tcb_read_registers(t.tcb, 0, REG_COUNT, regs));
	CHECK_EQ(regs[REG_RIP], (word_t)fault_ud2);
	struct sys_msg m = { 0 };
	sys_nbrecv(other, &m);
	CHECK_EQ(mi_label(m.info), 0);
}

TEST(FAULT_0022, "deleting the fault endpoint while a fault is queued on it wakes nobody wrongly")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	word_t regs[REG_COUNT];

	start(env, &t, ep, body_call, (word_t)fault_ud2, ep);
	settle(env);
	CHECK_OK(cnode_delete(R, ep, 64));
	settle(env);
	CHECK_OK(tcb_read_registers(t.tcb, 0, REG_COUNT, regs));
	CHECK_EQ(regs[REG_RIP], (word_t)fault_ud2);
}

/* A thread (priority 100, fault endpoint fault_ep) whose every register
 * holds a value of its own, started at fault_ud2: it faults at once with
 * all of them in place. regs gets what was written (rflags as the kernel
 * keeps it). */
static void start_marked(struct env *env, struct thread *t, cptr_t fault_ep, word_t *regs)
{
	CHECK_OK(thread_create(env, t, fault_ep));
	for (int i = 0; i < REG_COUNT; i++)
		regs[i] = 0x1111111111111111ul * (word_t)(i % 15 + 1) + (word_t)i;
	regs[REG_RIP] = (word_t)fault_ud2;
	regs[REG_RSP] = t->stack_top;
	regs[REG_RFLAGS] = 0x202 | 0x1 | 0x40 | 0x800;   /* IF, CF, ZF, OF */
	regs[REG_FS_BASE] = 0x123000;
	regs[REG_GS_BASE] = 0x456000;
	CHECK_OK(tcb_set_priority(t->tcb, INIT_TCB, 100));
	CHECK_OK(tcb_write_registers(t->tcb, 1, REG_COUNT, regs));
}

static void expect_regs(cptr_t tcb, word_t suspend, const word_t *want)
{
	word_t got[REG_COUNT];

	CHECK_OK(tcb_read_registers(tcb, suspend, REG_COUNT, got));
	for (int i = 0; i < REG_COUNT; i++)
		if (got[i] != want[i])
			test_fail(__FILE__, __LINE__, "register %d is 0x%lx, want 0x%lx", i, got[i], want[i]);
}

TEST(FAULT_0023, "suspending a thread whose fault is queued or delivered keeps all its registers, rsi too")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m;
	word_t regs[REG_COUNT];

	start_marked(env, &t, ep, regs);
	settle(env);                      /* the fault waits in the endpoint's queue */
	CHECK_OK(tcb_suspend(t.tcb));
	expect_regs(t.tcb, 0, regs);
	CHECK_OK(tcb_resume(t.tcb));     /* it takes the fault again ... */
	expect(env, ep, &m, FAULT_EXCEPTION);
	CHECK_EQ(m.mr[0], (word_t)fault_ud2);
	expect_regs(t.tcb, 1, regs);      /* ... and is suspended while we owe the reply */
	CHECK_OK(tcb_resume(t.tcb));
	expect(env, ep, &m, FAULT_EXCEPTION);
	CHECK_EQ(m.mr[0], (word_t)fault_ud2);
	CHECK_EQ(m.mr[3], regs[REG_RSP]);
}

TEST(FAULT_0024, "a delivered fault whose endpoint is destroyed, then a suspend: the registers stay intact")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m;
	word_t regs[REG_COUNT];

	start_marked(env, &t, ep, regs);
	expect(env, ep, &m, FAULT_EXCEPTION);
	/* the endpoint goes (with the TCB's cap to it); we still owe the reply */
	CHECK_OK(cnode_revoke(R, ep, 64));
	CHECK_OK(cnode_delete(R, ep, 64));
	expect_regs(t.tcb, 0, regs);
	CHECK_OK(tcb_suspend(t.tcb));
	expect_regs(t.tcb, 0, regs);
	/* resumed, it faults again and, without a fault endpoint, is stopped */
	CHECK_OK(tcb_resume(t.tcb));
	settle(env);
	expect_regs(t.tcb, 0, regs);
}

TEST(FAULT_0025, "a ReplyRecv that answers a fault (exception or unknown syscall) writes no message words into the thread")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t, u;
	struct sys_msg m;
	word_t regs[REG_COUNT], got[REG_COUNT];

	start_marked(env, &t, ep, regs);
	expect(env, ep, &m, FAULT_EXCEPTION);
	/* a plain reply of 4 words: the thread retries the ud2 as it was ... */
	m.info = mi_make(0, 0, 0, 4);
	m.mr[0] = 1, m.mr[1] = 2, m.mr[2] = 3, m.mr[3] = 4;
	sys_reply_recv(ep, &m);
	/* ... and its fault arrives again, its registers untouched */
	CHECK_EQ(mi_label(m.info), FAULT_EXCEPTION);
	CHECK_EQ(m.mr[0], (word_t)fault_ud2);
	expect_regs(t.tcb, 1, regs);

	/* a thread that entered with SYSCALL (an unknown number): the reply
	 * resumes it after the syscall, registers as they were; its ret then
	 * goes to fault_ud2, whose fault shows them */
	CHECK_OK(thread_create(env, &u, ep));
	for (int i = 0; i < REG_COUNT; i++)
		regs[i] = 0x2222222222222222ul * (word_t)(i % 7 + 1) + (word_t)i;
	regs[REG_RIP] = (word_t)fault_bad_syscall_insn;
	regs[REG_RSP] = u.stack_top - 8;
	*(volatile word_t *)(u.stack_top - 8) = (word_t)fault_ud2;
	regs[REG_RFLAGS] = 0x202;
	regs[REG_RAX] = 99;
	regs[REG_FS_BASE] = regs[REG_GS_BASE] = 0;
	CHECK_OK(tcb_set_priority(u.tcb, INIT_TCB, 100));
	CHECK_OK(tcb_write_registers(u.tcb, 1, REG_COUNT, regs));
	expect(env, ep, &m, FAULT_UNKNOWN_SYSCALL);
	CHECK_EQ(m.mr[0], (word_t)fault_bad_syscall_insn + 2);
	CHECK_EQ(m.mr[1], 99);
	m.info = mi_make(0, 0, 0, 4);
	m.mr[0] = 1, m.mr[1] = 2, m.mr[2] = 3, m.mr[3] = 4;
	sys_reply_recv(ep, &m);
	CHECK_EQ(mi_label(m.info), FAULT_EXCEPTION);
	CHECK_EQ(m.mr[0], (word_t)fault_ud2);
	CHECK_OK(tcb_read_registers(u.tcb, 1, REG_COUNT, got));
	for (int i = REG_RAX; i <= REG_R15; i++)
		if (i != REG_RCX && i != REG_R11 && got[i] != regs[i])
			test_fail(__FILE__, __LINE__, "register %d is 0x%lx, want 0x%lx", i, got[i], regs[i]);
	CHECK_EQ(got[REG_RSP], u.stack_top);
}

TEST(FAULT_0026, "SYS_DEBUG_HALT from a thread whose MCP is below 255 is an unknown system call, the machine runs on")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t, u;
	struct sys_msg m;

	/* a fresh thread has MCP 0 */
	fault_case(env, &t, body_call, (word_t)fault_debug_halt, 0, FAULT_UNKNOWN_SYSCALL, &m);
	CHECK_EQ(m.mr[1], SYS_DEBUG_HALT);
	CHECK(m.mr[0] == (word_t)fault_debug_halt_insn || m.mr[0] == (word_t)fault_debug_halt_insn + 2);
	/* MCP 254: still refused */
	CHECK_OK(thread_create(env, &u, ep));
	CHECK_OK(tcb_set_mcp(u.tcb, INIT_TCB, ABI_PRIO_MAX - 1));
	CHECK_OK(thread_start(&u, body_call, (word_t)fault_debug_halt, ep, 100, 0));
	expect(env, ep, &m, FAULT_UNKNOWN_SYSCALL);
	CHECK_EQ(m.mr[1], SYS_DEBUG_HALT);
	/* and we (MCP 255) are still running to see it */
}
