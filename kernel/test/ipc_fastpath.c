/*
 * The IPC fastpath (kernel/src/fastpath.c) and its fallbacks: registers
 * kept, priorities, SSE and fs base, written registers, grant on replies,
 * bound notifications, CSpace shapes.
 */
#include "ipc.h"

/*
 * sys_full(r): a system call with every general register taken from r[]
 * and every register after it stored back there, in the order below
 * (rsp stays the caller's). It shows what the kernel preserves.
 */
enum { FR_RAX, FR_RBX, FR_RCX, FR_RDX, FR_RSI, FR_RDI, FR_RBP, FR_R8, FR_R9, FR_R10, FR_R11,
       FR_R12, FR_R13, FR_R14, FR_R15, FR_COUNT };
void sys_full(word_t *r);
__asm__(".text\n"
	".global sys_full\n"
	"sys_full:\n"
	"  push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"  push %rdi\n"
	"  mov 0(%rdi), %rax\n mov 8(%rdi), %rbx\n mov 16(%rdi), %rcx\n mov 24(%rdi), %rdx\n"
	"  mov 32(%rdi), %rsi\n mov 48(%rdi), %rbp\n mov 56(%rdi), %r8\n mov 64(%rdi), %r9\n"
	"  mov 72(%rdi), %r10\n mov 80(%rdi), %r11\n mov 88(%rdi), %r12\n mov 96(%rdi), %r13\n"
	"  mov 104(%rdi), %r14\n mov 112(%rdi), %r15\n mov 40(%rdi), %rdi\n"
	"  syscall\n"
	"  push %rax\n mov 8(%rsp), %rax\n"
	"  mov %rbx, 8(%rax)\n mov %rcx, 16(%rax)\n mov %rdx, 24(%rax)\n mov %rsi, 32(%rax)\n"
	"  mov %rdi, 40(%rax)\n mov %rbp, 48(%rax)\n mov %r8, 56(%rax)\n mov %r9, 64(%rax)\n"
	"  mov %r10, 72(%rax)\n mov %r11, 80(%rax)\n mov %r12, 88(%rax)\n mov %r13, 96(%rax)\n"
	"  mov %r14, 104(%rax)\n mov %r15, 112(%rax)\n"
	"  pop %rbx\n mov %rbx, 0(%rax)\n"
	"  add $8, %rsp\n"
	"  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n ret\n");

/* A value for register i in round n of side s (never 0). */
static word_t pattern(word_t s, word_t n, int i)
{
	return (s << 56) ^ (n << 16) ^ ((word_t)i << 8) ^ 0x5a5a00005a5a0001ul;
}

static const int preserved[] = { FR_RBX, FR_RBP, FR_R12, FR_R13, FR_R14, FR_R15 };

/* Count the preserved registers of r that lost their round-n values. */
static word_t lost(const word_t *r, word_t s, word_t n, word_t nr)
{
	word_t bad = r[FR_RAX] != nr;

	for (unsigned i = 0; i < sizeof(preserved) / sizeof(preserved[0]); i++)
		bad += r[preserved[i]] != pattern(s, n, preserved[i]);
	return bad;
}

static void fill(word_t *r, word_t s, word_t n, word_t nr, cptr_t cap, word_t info)
{
	for (int i = 0; i < FR_COUNT; i++)
		r[i] = pattern(s, n, i);
	r[FR_RAX] = nr;
	r[FR_RDI] = cap;
	r[FR_RSI] = info;
}

#define KEEP_ROUNDS 200

/* Server: replies to call n with label n + 1000 and words derived from
 * its own round, checking what arrives and what it keeps. */
static word_t keep_server(word_t ep, word_t badge)
{
	word_t r[FR_COUNT], bad = 0;
	struct sys_msg m = { 0 };

	sys_recv(ep, &m);
	r[FR_RSI] = m.info, r[FR_RDI] = m.badge, r[FR_RDX] = m.mr[0], r[FR_R8] = m.mr[1];
	r[FR_R9] = m.mr[2], r[FR_R10] = m.mr[3];
	for (word_t n = 0; n < KEEP_ROUNDS; n++) {
		/* call n: label n, length n % 5, the client's pattern in mr0..3 */
		bad += r[FR_RSI] != mi_make(n, 0, 0, n % 5);
		bad += r[FR_RDI] != badge;
		bad += r[FR_RDX] != pattern(1, n, FR_RDX) || r[FR_R8] != pattern(1, n, FR_R8);
		bad += r[FR_R9] != pattern(1, n, FR_R9) || r[FR_R10] != pattern(1, n, FR_R10);
		/* the last reply is a plain Reply: no call follows */
		word_t nr = n + 1 < KEEP_ROUNDS ? SYS_REPLY_RECV : SYS_REPLY;
		fill(r, 2, n, nr, ep, mi_make(n + 1000, 0, 0, (n + 1) % 5));
		sys_full(r);
		bad += lost(r, 2, n, nr);
	}
	RESULT(0) = bad;
	RESULT(1) = 1;
	return 0;
}

TEST(IPC_0046, "Call and ReplyRecv deliver info, badge and mr0..3 and keep rax, rbx, rbp, r12..r15 on both sides")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t cap = mk_mint(env, ep, RIGHTS_ALL, 0x6b);
	struct thread t;
	word_t r[FR_COUNT];

	spawn(env, &t, keep_server, ep, 0x6b, 100);
	settle(env);
	for (word_t n = 0; n < KEEP_ROUNDS; n++) {
		fill(r, 1, n, SYS_CALL, cap, mi_make(n, 0, 0, n % 5));
		sys_full(r);
		if (lost(r, 1, n, SYS_CALL))
			test_fail(__FILE__, __LINE__, "round %lu: a preserved register changed", n);
		CHECK_EQ(r[FR_RSI], mi_make(n + 1000, 0, 0, (n + 1) % 5));
		CHECK_EQ(r[FR_RDI], 0);
		CHECK_EQ(r[FR_RDX], pattern(2, n, FR_RDX));
		CHECK_EQ(r[FR_R8], pattern(2, n, FR_R8));
		CHECK_EQ(r[FR_R9], pattern(2, n, FR_R9));
		CHECK_EQ(r[FR_R10], pattern(2, n, FR_R10));
	}
	settle(env);
	CHECK_EQ(t.info->user[1], 1);
	CHECK_EQ(t.info->user[0], 0);
}

static volatile word_t seq, seq_mid, seq_server;

static word_t mid_thread(word_t ntfn, word_t unused)
{
	(void)unused;
	seq_mid = ++seq;
	sys_wait(ntfn);
	return 0;
}

static word_t seq_server_fn(word_t ep, word_t unused)
{
	struct sys_msg m = { 0 };

	(void)unused;
	sys_recv(ep, &m);
	seq_server = ++seq;
	m.info = mi_make(2, 0, 0, 0);
	sys_reply_recv(ep, &m);
	return 0;
}

TEST(IPC_0047, "a Call to a low-priority server lets a runnable thread of middle priority run first")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0), n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread s, mid;
	struct sys_msg m = { 0 };

	seq = seq_mid = seq_server = 0;
	spawn(env, &s, seq_server_fn, ep, 0, 10);
	settle(env);                     /* the server waits in Recv */
	spawn(env, &mid, mid_thread, n, 0, 50);   /* runnable, not yet run */
	m.info = mi_make(1, 0, 0, 0);
	sys_call(ep, &m);
	CHECK_EQ(mi_label(m.info), 2);
	CHECK_EQ(seq_mid, 1);
	CHECK_EQ(seq_server, 2);
}

/* fpu_ipc_loop(in, out, n, ep, first, nr): xmm0..15 from in[32]; the
 * system call `first` (if not 0) once, then `nr` n times, all on ep with
 * info 0; xmm0..15 to out[32]. */
void fpu_ipc_loop(const word_t *in, word_t *out, word_t n, cptr_t ep, word_t first, word_t nr);
__asm__(".text\n"
	".global fpu_ipc_loop\n"
	"fpu_ipc_loop:\n"
	"  push %rbx\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"  mov %rdi, %r12\n mov %rsi, %r13\n mov %rdx, %rbx\n mov %rcx, %r14\n mov %r9, %r15\n"
	ASM_LOAD_XMM_R12
	"  test %r8, %r8\n jz 1f\n"
	"  mov %r8, %rax\n mov %r14, %rdi\n xor %esi, %esi\n syscall\n"
	"1: test %rbx, %rbx\n jz 2f\n"
	"  mov %r15, %rax\n mov %r14, %rdi\n xor %esi, %esi\n syscall\n"
	"  dec %rbx\n jmp 1b\n"
	"2:\n"
	ASM_STORE_XMM_R13
	"  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbx\n ret\n");

#define FPU_ROUNDS 500
static word_t tls_root[2] = { 0x7100, 0 }, tls_server[2] = { 0x7200, 0 };

static word_t read_fs0(void)
{
	word_t v;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}

static word_t fpu_server(word_t ep, word_t unused)
{
	word_t in[32], out[32], bad = 0;
	struct sys_msg m = { 0 };

	(void)unused;
	for (int i = 0; i < 32; i++)
		in[i] = 0x5e5e5e5e00000000ul + (word_t)i, out[i] = 0;
	fpu_ipc_loop(in, out, FPU_ROUNDS - 1, ep, SYS_RECV, SYS_REPLY_RECV);
	for (int i = 0; i < 32; i++)
		bad += in[i] != out[i];
	RESULT(0) = bad;
	RESULT(1) = read_fs0();
	sys_reply(&m);   /* the last call */
	return 0;
}

TEST(IPC_0048, "SSE registers and fs bases of caller and server survive 500 Calls between them")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	word_t in[32], out[32];

	CHECK_OK(thread_create(env, &t, 0));
	CHECK_OK(thread_prepare(&t, fpu_server, ep, 0));
	CHECK_OK(tcb_set_tls_base(t.tcb, (word_t)tls_server));
	CHECK_OK(tcb_set_priority(t.tcb, INIT_TCB, 100));
	CHECK_OK(tcb_resume(t.tcb));
	settle(env);
	CHECK_OK(tcb_set_tls_base(INIT_TCB, (word_t)tls_root));
	for (int i = 0; i < 32; i++)
		in[i] = 0xc1c1c1c100000000ul + (word_t)i, out[i] = 0;
	fpu_ipc_loop(in, out, FPU_ROUNDS, ep, 0, SYS_CALL);
	word_t fs = read_fs0();
	CHECK_OK(tcb_set_tls_base(INIT_TCB, 0));
	for (int i = 0; i < 32; i++)
		CHECK_EQ(out[i], in[i]);
	CHECK_EQ(fs, 0x7100);
	settle(env);
	CHECK_EQ(t.info->user[0], 0);
	CHECK_EQ(t.info->user[1], 0x7200);
}

/* Server: Recv with sys_full, record rcx and r11 as it returned, reply. */
static word_t regs_server(word_t ep, word_t unused)
{
	word_t r[FR_COUNT];
	struct sys_msg m = { 0 };

	(void)unused;
	fill(r, 3, 0, SYS_RECV, ep, 0);
	sys_full(r);
	RESULT(0) = r[FR_RCX];
	RESULT(1) = r[FR_R11];
	RESULT(2) = r[FR_RBX];
	sys_reply(&m);
	return 0;
}

TEST(IPC_0049, "registers written into a thread waiting in Recv, rcx and r11 too, are what it gets with the next message")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };
	word_t regs[REG_COUNT];

	spawn(env, &t, regs_server, ep, 0, 100);
	settle(env);                     /* waiting in its Recv */
	CHECK_OK(tcb_read_registers(t.tcb, 0, REG_COUNT, regs));
	CHECK_EQ(regs[REG_RAX], SYS_RECV);
	CHECK_EQ(regs[REG_RBX], pattern(3, 0, FR_RBX));
	regs[REG_RCX] = 0xc0ffee;
	regs[REG_R11] = 0x7e11;
	regs[REG_RBX] = 0xb0b;
	CHECK_OK(tcb_write_registers(t.tcb, 0, REG_COUNT, regs));
	m.info = mi_make(1, 0, 0, 0);
	sys_call(ep, &m);
	CHECK_EQ(t.info->user[0], 0xc0ffee);
	CHECK_EQ(t.info->user[1], 0x7e11);
	CHECK_EQ(t.info->user[2], 0xb0b);
}

static word_t reply_with_cap(word_t ep, word_t cap)
{
	struct sys_msg m = { 0 };

	sys_recv(ep, &m);
	for (;;) {
		ipc_buffer()->caps[0] = cap;
		m.info = mi_make(0x55, 0, 1, 1);
		m.mr[0] = 0x77;
		sys_reply_recv(ep, &m);
	}
	return 0;
}

TEST(IPC_0050, "a reply carries a cap only if the caller's endpoint cap had GRANT or GRANT_REPLY")
{
	static const word_t rights[3] = { RIGHT_WRITE | RIGHT_GRANT_REPLY, RIGHT_WRITE,
					   RIGHT_WRITE | RIGHT_GRANT };
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0), n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	spawn(env, &t, reply_with_cap, ep, mk_mint(env, n, RIGHTS_ALL, 9), 100);
	settle(env);
	for (int i = 0; i < 3; i++) {
		cptr_t slot = mk_slot(env);
		struct sys_msg m = { 0 };
		word_t want = rights[i] != RIGHT_WRITE;

		set_recv_slot(R, slot, 64);
		m.info = mi_make(1, 0, 0, 0);
		sys_call(mk_copy(env, ep, rights[i]), &m);
		CHECK_EQ(mi_label(m.info), 0x55);
		CHECK_EQ(m.mr[0], 0x77);
		CHECK_EQ(mi_caps(m.info), want);
		CHECK_EQ(cap_type(slot), want ? OBJ_NOTIFICATION : 0);
		if (want)
			CHECK_EQ(badge_via(slot, n), 9);
	}
}

static word_t signal_then_reply_recv(word_t ep, word_t own_ntfn)
{
	struct sys_msg m = { 0 };

	sys_recv(ep, &m);
	sys_signal(own_ntfn);            /* the bound notification is now pending */
	m.info = mi_make(0x21, 0, 0, 1);
	m.mr[0] = 5;
	sys_reply_recv(ep, &m);          /* replies, then returns with the signal */
	RESULT(0) = m.info;
	RESULT(1) = m.badge;
	RESULT(2) = 1;
	return 0;
}

TEST(IPC_0051, "ReplyRecv with the bound notification pending replies, then returns the notification")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0), n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, signal_then_reply_recv, ep, mk_mint(env, n, RIGHTS_ALL, 3), 100);
	CHECK_OK(tcb_bind_notification(t.tcb, n));
	settle(env);
	m.info = mi_make(1, 0, 0, 0);
	sys_call(ep, &m);
	CHECK_EQ(mi_label(m.info), 0x21);
	CHECK_EQ(m.mr[0], 5);
	settle(env);
	CHECK_EQ(t.info->user[2], 1);
	CHECK_EQ(t.info->user[0], 0);
	CHECK_EQ(t.info->user[1], 3);
}

/* Client with a CSpace of its own: 100 Calls to ep (a cptr there); mr0..3
 * must come back incremented by the echo server. */
static word_t echo_client(word_t ep, word_t done)
{
	word_t bad = 0;

	for (word_t i = 0; i < 100; i++) {
		struct sys_msg m = { 0 };

		m.info = mi_make(7, 0, 0, 4);
		for (int k = 0; k < 4; k++)
			m.mr[k] = i * 4 + (word_t)k;
		sys_call(ep, &m);
		bad += mi_label(m.info) != 7 || mi_len(m.info) != 4;
		for (int k = 0; k < 4; k++)
			bad += m.mr[k] != i * 4 + (word_t)k + 1;
	}
	RESULT(0) = bad;
	sys_signal(done);
	return 0;
}

TEST(IPC_0052, "Calls through a one-level CSpace with a guard value reach a server that answers through a two-level one")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0), n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t l1 = mk(env, OBJ_CNODE, 2), l2 = mk(env, OBJ_CNODE, 4), cn = mk(env, OBJ_CNODE, 4);
	struct thread s, c;

	/* server: l1 (guard 58 bits of 0) -> l2 slot 1 of l1 -> ep in slot 3 of l2 */
	CHECK_OK(cnode_copy(l1, 1, 2, R, l2, 64, RIGHTS_ALL));
	CHECK_OK(cnode_copy(l2, 3, 4, R, ep, 64, RIGHTS_ALL));
	spawn_cspace(env, &s, l1, cnode_guard(0, 58), l2, 1, 4, (1 << 4) | 1, worker_echo, (1 << 4) | 3, 0, 100);
	/* client: cn with guard value 5 in 60 bits; ep badged in slot 3, done in 4 */
	CHECK_OK(cnode_mint(cn, 3, 4, R, ep, 64, RIGHTS_ALL, 0x44));
	CHECK_OK(cnode_mint(cn, 4, 4, R, n, 64, RIGHTS_ALL, 1));
	spawn_cspace(env, &c, cn, cnode_guard(5, 60), cn, 1, 4, (5 << 4) | 1, echo_client, (5 << 4) | 3,
		     (5 << 4) | 4, 100);
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(c.info->user[0], 0);
}
