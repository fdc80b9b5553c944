/*
 * Endpoint IPC: Call/ReplyRecv/Send/NBSend/Recv/NBRecv/Reply, badges,
 * long messages, rights, reply caps, queue order, destruction, and IPC
 * between address spaces. Capability transfer: ipc_caps.c; the fastpath:
 * ipc_fastpath.c.
 */
#include "ipc.h"

static word_t send_words(word_t ep, word_t base)
{
	struct sys_msg m = { 0 };

	m.info = mi_make(MSG_LABEL, 0, 0, 4);
	for (int i = 0; i < 4; i++)
		m.mr[i] = base + (word_t)i;
	sys_send(ep, &m);
	RESULT(0) = mi_label(m.info);
	return 0;
}

word_t recv_store(word_t ep, word_t done)
{
	struct sys_msg m = { 0 };

	sys_recv(ep, &m);
	RESULT(0) = m.info;
	RESULT(1) = m.badge;
	RESULT(2) = m.mr[0];
	RESULT(3) = m.mr[3];
	sys_signal(done);
	return 0;
}

static void check_words(struct sys_msg *m, word_t base)
{
	CHECK_EQ(mi_label(m->info), MSG_LABEL);
	CHECK_EQ(mi_len(m->info), 4);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(m->mr[i], base + (word_t)i);
}

void set_recv_slot(cptr_t cnode, word_t index, word_t depth)
{
	struct ipc_buffer *ib = ipc_buffer();

	ib->recv_cnode = cnode;
	ib->recv_index = index;
	ib->recv_depth = depth;
}

TEST(IPC_0001, "Call to a ReplyRecv server returns its reply words and label")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, worker_echo, ep, 0, 100);
	m.info = mi_make(MSG_LABEL, 0, 0, 4);
	m.mr[0] = 1, m.mr[1] = 2, m.mr[2] = 3, m.mr[3] = 4;
	sys_call(ep, &m);
	check_words(&m, 2);
}

TEST(IPC_0002, "Send from the root reaches a thread blocked in Recv")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, recv_store, ep, mk_mint(env, n, RIGHTS_ALL, 1), 100);
	settle(env);
	m.info = mi_make(MSG_LABEL, 0, 0, 4);
	m.mr[0] = 10, m.mr[3] = 13;
	sys_send(ep, &m);
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(mi_label(t.info->user[0]), MSG_LABEL);
	CHECK_EQ(t.info->user[1], 0);
	CHECK_EQ(t.info->user[2], 10);
	CHECK_EQ(t.info->user[3], 13);
}

TEST(IPC_0003, "Recv in the root gets a thread's Send with words and badge")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_words, mk_mint(env, ep, RIGHTS_ALL, 0x42), 100, 100);
	sys_recv(ep, &m);
	check_words(&m, 100);
	CHECK_EQ(m.badge, 0x42);
}

TEST(IPC_0004, "NBSend without a receiver drops the message")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct sys_msg m = { 0 };

	m.info = mi_make(MSG_LABEL, 0, 0, 1);
	sys_nbsend(ep, &m);
	CHECK_EQ(mi_label(m.info) == E_OK || mi_label(m.info) == MSG_LABEL, 1);
	memset(&m, 0, sizeof(m));
	sys_nbrecv(ep, &m);
	CHECK_EQ(m.info, 0);
	CHECK_EQ(m.badge, 0);
}

TEST(IPC_0005, "NBSend to a waiting receiver delivers")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, recv_store, mk_mint(env, ep, RIGHTS_ALL, 0), mk_mint(env, n, RIGHTS_ALL, 1), 100);
	settle(env);
	m.info = mi_make(MSG_LABEL, 0, 0, 4);
	m.mr[0] = 77;
	sys_nbsend(mk_mint(env, ep, RIGHTS_ALL, 5), &m);
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(t.info->user[1], 5);
	CHECK_EQ(t.info->user[2], 77);
}

TEST(IPC_0006, "NBRecv picks up a sender that is already blocked")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_words, ep, 500, 100);
	settle(env);
	sys_nbrecv(ep, &m);
	check_words(&m, 500);
}

TEST(IPC_0007, "badges tell two senders apart")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread a, b;
	struct sys_msg m;
	word_t seen = 0;

	spawn(env, &a, send_words, mk_mint(env, ep, RIGHTS_ALL, 1), 1000, 100);
	spawn(env, &b, send_words, mk_mint(env, ep, RIGHTS_ALL, 2), 2000, 100);
	for (int i = 0; i < 2; i++) {
		memset(&m, 0, sizeof(m));
		sys_recv(ep, &m);
		CHECK(m.badge == 1 || m.badge == 2);
		check_words(&m, m.badge * 1000);
		seen |= m.badge;
	}
	CHECK_EQ(seen, 3);
}

TEST(IPC_0008, "an unbadged endpoint cap delivers badge 0")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_words, mk_copy(env, ep, RIGHTS_ALL), 7, 100);
	m.badge = 0xdead;
	sys_recv(ep, &m);
	CHECK_EQ(m.badge, 0);
	check_words(&m, 7);
}

TEST(IPC_0009, "a 120-word Call and reply travel through registers and IPC buffer")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct ipc_buffer *ib = ipc_buffer();
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, worker_echo, ep, 0, 100);
	m.info = mi_make(MSG_LABEL, 0, 0, ABI_MSG_MAX);
	for (word_t i = 0; i < ABI_MSG_MAX; i++) {
		if (i < ABI_MSG_REGS)
			m.mr[i] = i * 7;
		else
			ib->msg[i] = i * 7;
	}
	sys_call(ep, &m);
	CHECK_EQ(mi_len(m.info), ABI_MSG_MAX);
	CHECK_EQ(mi_label(m.info), MSG_LABEL);
	for (word_t i = 0; i < ABI_MSG_MAX; i++)
		CHECK_EQ(i < ABI_MSG_REGS ? m.mr[i] : ib->msg[i], i * 7 + 1);
}

TEST(IPC_0010, "message lengths 0..120 all arrive with exactly their words")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct ipc_buffer *ib = ipc_buffer();
	struct thread t;
	struct sys_msg m;

	spawn(env, &t, worker_echo, ep, 0, 100);
	for (word_t len = 0; len <= ABI_MSG_MAX; len++) {
		memset(&m, 0, sizeof(m));
		m.info = mi_make(len + 1, 0, 0, len);
		for (word_t i = 0; i < len; i++) {
			if (i < ABI_MSG_REGS)
				m.mr[i] = len * 1000 + i;
			else
				ib->msg[i] = len * 1000 + i;
		}
		sys_call(ep, &m);
		CHECK_EQ(mi_len(m.info), len);
		CHECK_EQ(mi_label(m.info), len + 1);
		for (word_t i = 0; i < len; i++)
			CHECK_EQ(i < ABI_MSG_REGS ? m.mr[i] : ib->msg[i], len * 1000 + i + 1);
	}
}

TEST(IPC_0011, "a large message label arrives intact")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };
	word_t label = (1ul << 49) + 12345;

	spawn(env, &t, worker_echo, ep, 0, 100);
	m.info = mi_make(label, 0, 0, 0);
	sys_call(ep, &m);
	CHECK_EQ(mi_label(m.info), label);
}

/* IPC through a copy of an endpoint cap without the right it needs: each
 * system call ends at once with E_NO_RIGHTS. */
struct rights_row {
	TEST_ROW;
	word_t rights;           /* of the copy */
	word_t sysno[3];
};
static const struct rights_row missing_rights[] = {
	{ "IPC_0012", "Send/Call need the write right: E_NO_RIGHTS, no blocking",
	  RIGHT_READ | RIGHT_GRANT, { SYS_CALL, SYS_SEND, SYS_NBSEND } },
	{ "IPC_0013", "Recv/NBRecv need the read right: E_NO_RIGHTS, no blocking",
	  RIGHT_WRITE | RIGHT_GRANT, { SYS_RECV, SYS_NBRECV, SYS_REPLY_RECV } },
};

TEST_TABLE(IPC_0012, missing_rights, row)
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t copy = mk_copy(env, ep, row->rights);

	for (int i = 0; i < 3; i++)
		CHECK_EQ(ipc_label(row->sysno[i], copy), E_NO_RIGHTS);
}

TEST(IPC_0014, "IPC on an empty slot gives E_INVALID_CAPABILITY without a fault")
{
	cptr_t e = mk_slot(env);

	CHECK_EQ(ipc_label(SYS_SEND, e), E_INVALID_CAPABILITY);
	CHECK_EQ(ipc_label(SYS_NBSEND, e), E_INVALID_CAPABILITY);
	CHECK_EQ(ipc_label(SYS_RECV, e), E_INVALID_CAPABILITY);
	CHECK_EQ(ipc_label(SYS_NBRECV, e), E_INVALID_CAPABILITY);
	CHECK_EQ(ipc_label(SYS_CALL, e), E_INVALID_CAPABILITY);
	CHECK_EQ(ipc_label(SYS_REPLY_RECV, e), E_INVALID_CAPABILITY);
	CHECK_EQ(ipc_label(SYS_RECV, 1ul << 63), E_INVALID_CAPABILITY);
}

TEST(IPC_0015, "Reply without a caller is harmless")
{
	word_t l = ipc_label(SYS_REPLY, 0);

	CHECK(l == E_OK || l == E_NO_REPLY);
}

TEST(IPC_0027, "1000 Calls to a ReplyRecv server all come back right")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m;

	spawn(env, &t, worker_echo, ep, 0, 100);
	for (word_t i = 0; i < 1000; i++) {
		memset(&m, 0, sizeof(m));
		m.info = mi_make(i, 0, 0, 2);
		m.mr[0] = i;
		m.mr[1] = ~i;
		sys_call(ep, &m);
		CHECK_EQ(mi_label(m.info), i);
		CHECK_EQ(m.mr[0], i + 1);
		CHECK_EQ(m.mr[1], ~i + 1);
	}
}

static word_t send_label_only(word_t ep, word_t label)
{
	struct sys_msg m = { 0 };

	m.info = mi_make(label, 0, 0, 0);
	sys_send(ep, &m);
	return 0;
}

TEST(IPC_0028, "blocked senders are received in FIFO order")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t[3];
	struct sys_msg m;

	for (int i = 0; i < 3; i++) {
		spawn(env, &t[i], send_label_only, ep, (word_t)i + 1, 100);
		settle(env);
	}
	for (int i = 0; i < 3; i++) {
		memset(&m, 0, sizeof(m));
		sys_recv(ep, &m);
		CHECK_EQ(mi_label(m.info), (word_t)i + 1);
	}
}

TEST(IPC_0029, "Call works with servers of higher and of lower priority")
{
	cptr_t hi = mk(env, OBJ_ENDPOINT, 0), lo = mk(env, OBJ_ENDPOINT, 0);
	struct thread a, b;
	struct sys_msg m = { 0 };

	spawn(env, &a, worker_echo, hi, 0, 254);
	spawn(env, &b, worker_echo, lo, 0, 2);
	m.info = mi_make(1, 0, 0, 1);
	sys_call(hi, &m);
	CHECK_EQ(m.mr[0], 1);
	m.info = mi_make(1, 0, 0, 1);
	sys_call(lo, &m);
	CHECK_EQ(m.mr[0], 2);
}

/* A thread blocked on an endpoint is woken with E_DELETED when the
 * endpoint is deleted. */
struct blocked_row {
	TEST_ROW;
	word_t sysno;
};
static const struct blocked_row blocked_on_deleted[] = {
	{ "IPC_0030", "deleting an endpoint wakes a blocked sender with E_DELETED", SYS_SEND },
	{ "IPC_0041", "deleting an endpoint wakes a blocked caller with E_DELETED", SYS_CALL },
};

TEST_TABLE(IPC_0030, blocked_on_deleted, row)
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	CHECK_EQ(label_after_delete(env, row->sysno, ep, ep, 0), E_DELETED);
}

static word_t reply_with_sys_reply(word_t ep, word_t unused)
{
	struct sys_msg m = { 0 };

	(void)unused;
	for (;;) {
		sys_recv(ep, &m);
		m.mr[0] *= 2;
		m.info = mi_make(2, 0, 0, 1);
		sys_reply(&m);
	}
	return 0;
}

TEST(IPC_0031, "SYS_REPLY answers the last caller")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, reply_with_sys_reply, ep, 0, 100);
	for (word_t i = 1; i < 5; i++) {
		m.info = mi_make(1, 0, 0, 1);
		m.mr[0] = i;
		sys_call(ep, &m);
		CHECK_EQ(mi_label(m.info), 2);
		CHECK_EQ(m.mr[0], 2 * i);
	}
}

static word_t reply_recv_first(word_t ep, word_t unused)
{
	struct sys_msg m = { 0 };

	(void)unused;
	for (;;) {
		sys_reply_recv(ep, &m);
		m.mr[0] += 3;
	}
	return 0;
}

TEST(IPC_0032, "ReplyRecv with nobody to reply to just receives")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, reply_recv_first, ep, 0, 100);
	m.info = mi_make(1, 0, 0, 1);
	m.mr[0] = 10;
	sys_call(ep, &m);
	CHECK_EQ(m.mr[0], 13);
}

static word_t badge_echo(word_t ep, word_t unused)
{
	struct sys_msg m = { 0 };

	(void)unused;
	sys_recv(ep, &m);
	for (;;) {
		m.mr[0] = m.badge;
		m.info = mi_make(0, 0, 0, 1);
		sys_reply_recv(ep, &m);
	}
	return 0;
}

TEST(IPC_0033, "the server sees the caller's badge on Call")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, badge_echo, ep, 0, 100);
	for (word_t b = 1; b < 1ul << 62; b <<= 7) {
		m.info = 0;
		sys_call(mk_mint(env, ep, RIGHTS_ALL, b), &m);
		CHECK_EQ(m.mr[0], b);
	}
}

static word_t client(word_t ep, word_t base)
{
	struct sys_msg m;

	for (word_t i = 0; i < 200; i++) {
		memset(&m, 0, sizeof(m));
		m.info = mi_make(1, 0, 0, 1);
		m.mr[0] = base + i;
		sys_call(ep, &m);
		if (m.mr[0] != base + i + 1)
			RESULT(1)++;
	}
	RESULT(0) = 1;
	return 0;
}

TEST(IPC_0034, "two clients calling one server each get their own replies")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread s, a, b;

	spawn(env, &s, worker_echo, ep, 0, 50);
	CHECK_OK(thread_create(env, &a, 0));
	CHECK_OK(thread_create(env, &b, 0));
	a.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 1);
	b.info->exit_ntfn = mk_mint(env, n, RIGHTS_ALL, 2);
	CHECK_OK(thread_start(&a, client, ep, 1000000, 100, 0));
	CHECK_OK(thread_start(&b, client, ep, 2000000, 100, 0));
	word_t seen = 0;
	while (seen != 3)
		seen |= sys_wait(n);
	CHECK_EQ(a.info->user[0], 1);
	CHECK_EQ(b.info->user[0], 1);
	CHECK_EQ(a.info->user[1], 0);
	CHECK_EQ(b.info->user[1], 0);
}

/* In a second VSpace: call ep n times with i, expect i + 1; result at *out. */
static word_t remote_caller(word_t ep, word_t out)
{
	volatile word_t *res = (volatile word_t *)out;
	struct sys_msg m;
	word_t bad = 0;

	for (word_t i = 0; i < 1000; i++) {
		memset(&m, 0, sizeof(m));
		m.info = mi_make(1, 0, 0, 1);
		m.mr[0] = i;
		sys_call(ep, &m);
		if (m.mr[0] != i + 1)
			bad++;
	}
	res[0] = 1000;
	res[1] = bad;
	m.info = mi_make(2, 0, 0, 0);
	sys_call(ep, &m);
	return 0;
}

TEST(IPC_0035, "1000 Calls from a thread in another address space to the root")
{
	struct vspace vs;
	struct thread t;
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	word_t rva;
	volatile word_t *res;
	struct sys_msg m = { 0 };

	CHECK_OK(vspace_clone(env, &vs));
	res = vspace_share(env, &vs, &rva);
	CHECK(res);
	CHECK_OK(thread_create_in(env, &t, &vs, INIT_CNODE, 0, 0, THREAD_SELF));
	CHECK_OK(thread_start(&t, remote_caller, ep, rva, 100, 0));
	sys_recv(ep, &m);
	while (mi_label(m.info) == 1) {
		m.mr[0]++;
		sys_reply_recv(ep, &m);
	}
	CHECK_EQ(mi_label(m.info), 2);
	CHECK_EQ(res[0], 1000);
	CHECK_EQ(res[1], 0);
}

static word_t remote_long_send(word_t ep, word_t cap)
{
	struct ipc_buffer *ib = ipc_buffer();
	struct sys_msg m = { 0 };

	for (word_t i = 0; i < ABI_MSG_MAX; i++) {
		if (i < ABI_MSG_REGS)
			m.mr[i] = i ^ 0xa5a5;
		else
			ib->msg[i] = i ^ 0xa5a5;
	}
	ib->caps[0] = cap;
	m.info = mi_make(MSG_LABEL, 0, 1, ABI_MSG_MAX);
	sys_send(ep, &m);
	return 0;
}

TEST(IPC_0036, "a 120-word message with a cap from another address space")
{
	struct vspace vs;
	struct thread t;
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t slot = mk_slot(env);
	struct ipc_buffer *ib = ipc_buffer();
	struct sys_msg m = { 0 };

	CHECK_OK(vspace_clone(env, &vs));
	CHECK_OK(thread_create_in(env, &t, &vs, INIT_CNODE, 0, 0, THREAD_SELF));
	CHECK_OK(thread_start(&t, remote_long_send, ep, mk_mint(env, n, RIGHTS_ALL, 0x31), 100, 0));
	set_recv_slot(R, slot, 64);
	sys_recv(ep, &m);
	CHECK_EQ(mi_len(m.info), ABI_MSG_MAX);
	CHECK_EQ(mi_caps(m.info), 1);
	for (word_t i = 0; i < ABI_MSG_MAX; i++)
		CHECK_EQ(i < ABI_MSG_REGS ? m.mr[i] : ib->msg[i], i ^ 0xa5a5);
	CHECK_EQ(badge_via(slot, n), 0x31);
}

TEST(IPC_0037, "NBRecv on an empty endpoint returns at once with nothing")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct sys_msg m;

	for (int i = 0; i < 100; i++) {
		memset(&m, 0, sizeof(m));
		sys_nbrecv(ep, &m);
		CHECK_EQ(m.badge, 0);
		CHECK_EQ(mi_len(m.info), 0);
	}
}

TEST(IPC_0040, "Call to a server on the same priority works (no preemption needed)")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, worker_echo, ep, 0, 255);
	m.info = mi_make(1, 0, 0, 1);
	m.mr[0] = 41;
	sys_call(ep, &m);
	CHECK_EQ(m.mr[0], 42);
}

TEST(IPC_0042, "a saved reply cap whose caller was destroyed is gone or harmless")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t slot = mk_slot(env);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread c;
	struct sys_msg m = { 0 };

	spawn_ipc(env, &c, SYS_CALL, ep, n, 0);
	sys_recv(ep, &m);
	CHECK_OK(cnode_save_caller(R, slot, 64));
	CHECK_EQ(cap_type(slot), CAP_REPLY);
	CHECK_OK(cnode_delete(R, c.tcb, 64));
	word_t type = cap_type(slot);
	CHECK(type == 0 || type == CAP_REPLY);
	m.info = mi_make(1, 0, 0, 0);
	sys_send(slot, &m);
	settle(env);
	CHECK_EQ(sys_poll(n), 0);
}

TEST(IPC_0043, "two receivers blocked on one endpoint get one message each")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread a, b;
	struct sys_msg m = { 0 };
	word_t seen = 0;

	spawn(env, &a, recv_store, ep, mk_mint(env, n, RIGHTS_ALL, 1), 100);
	spawn(env, &b, recv_store, ep, mk_mint(env, n, RIGHTS_ALL, 2), 100);
	settle(env);
	for (word_t i = 0; i < 2; i++) {
		m.info = mi_make(MSG_LABEL, 0, 0, 4);
		m.mr[0] = 10 + i;
		sys_send(ep, &m);
	}
	while (seen != 3)
		seen |= sys_wait(n);
	CHECK_EQ(a.info->user[2] + b.info->user[2], 21);
	CHECK(a.info->user[2] != b.info->user[2]);
}
