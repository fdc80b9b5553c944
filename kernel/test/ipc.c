/*
 * Endpoint IPC: Call/ReplyRecv/Send/NBSend/Recv/NBRecv/Reply, badges,
 * long messages, rights, capability transfer and unwrapping, reply caps,
 * queue order, destruction, and IPC between address spaces.
 */
#include "test.h"

#define RW (RIGHT_READ | RIGHT_WRITE)
#define MSG_LABEL 0x33

/* Worker results live in the worker's thread_info->user[] (root-visible). */
#define RESULT(i) (thread_self()->user[i])

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

static word_t recv_store(word_t ep, word_t done)
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

TEST(IPC_0012, "Send/Call need the write right: E_NO_RIGHTS, no blocking")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t ro = mk_copy(env, ep, RIGHT_READ | RIGHT_GRANT);

	CHECK_EQ(ipc_label(SYS_CALL, ro), E_NO_RIGHTS);
	CHECK_EQ(ipc_label(SYS_SEND, ro), E_NO_RIGHTS);
	CHECK_EQ(ipc_label(SYS_NBSEND, ro), E_NO_RIGHTS);
}

TEST(IPC_0013, "Recv/NBRecv need the read right: E_NO_RIGHTS, no blocking")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t wo = mk_copy(env, ep, RIGHT_WRITE | RIGHT_GRANT);

	CHECK_EQ(ipc_label(SYS_RECV, wo), E_NO_RIGHTS);
	CHECK_EQ(ipc_label(SYS_NBRECV, wo), E_NO_RIGHTS);
	CHECK_EQ(ipc_label(SYS_REPLY_RECV, wo), E_NO_RIGHTS);
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

/* Send one extra cap (ipc caps[0] = cap) with label MSG_LABEL and 1 word. */
static word_t send_cap(word_t ep, word_t cap)
{
	struct sys_msg m = { 0 };

	ipc_buffer()->caps[0] = cap;
	m.info = mi_make(MSG_LABEL, 0, 1, 1);
	m.mr[0] = 0xca9;
	sys_send(ep, &m);
	return 0;
}

static void set_recv_slot(cptr_t cnode, word_t index, word_t depth)
{
	struct ipc_buffer *ib = ipc_buffer();

	ib->recv_cnode = cnode;
	ib->recv_index = index;
	ib->recv_depth = depth;
}

TEST(IPC_0016, "a cap sent through a GRANT endpoint cap lands in the receive slot")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t slot = mk_slot(env);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_cap, mk_copy(env, ep, RIGHTS_ALL), mk_mint(env, n, RIGHTS_ALL, 8), 100);
	set_recv_slot(R, slot, 64);
	sys_recv(ep, &m);
	CHECK_EQ(mi_label(m.info), MSG_LABEL);
	CHECK_EQ(mi_caps(m.info), 1);
	CHECK_EQ(mi_unwrapped(m.info), 0);
	CHECK_EQ(m.mr[0], 0xca9);
	CHECK_EQ(cap_type(slot), OBJ_NOTIFICATION);
	CHECK_EQ(badge_via(slot, n), 8);
}

TEST(IPC_0017, "without GRANT the words arrive but the cap does not")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t slot = mk_slot(env);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_cap, mk_copy(env, ep, RW), n, 100);
	set_recv_slot(R, slot, 64);
	sys_recv(ep, &m);
	CHECK_EQ(mi_label(m.info), MSG_LABEL);
	CHECK_EQ(m.mr[0], 0xca9);
	CHECK_EQ(mi_caps(m.info), 0);
	CHECK_EQ(cap_type(slot), 0);
}

TEST(IPC_0018, "an occupied receive slot gets no cap; the message still arrives")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t occupant = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_cap, mk_copy(env, ep, RIGHTS_ALL), n, 100);
	set_recv_slot(R, occupant, 64);
	sys_recv(ep, &m);
	CHECK_EQ(mi_label(m.info), MSG_LABEL);
	CHECK_EQ(mi_caps(m.info), 0);
	CHECK_EQ(cap_type(occupant), OBJ_ENDPOINT);
}

TEST(IPC_0019, "a cap to the receiving endpoint is unwrapped: badge in caps[0]")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t slot = mk_slot(env);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_cap, mk_copy(env, ep, RIGHTS_ALL), mk_mint(env, ep, RIGHTS_ALL, 0x55), 100);
	set_recv_slot(R, slot, 64);
	sys_recv(ep, &m);
	CHECK_EQ(mi_caps(m.info), 1);
	CHECK_EQ(mi_unwrapped(m.info), 1);
	CHECK_EQ(ipc_buffer()->caps[0], 0x55);
	CHECK_EQ(cap_type(slot), 0);
}

TEST(IPC_0020, "the receive slot may be in a second-level CNode (depth < 64)")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t cn = mk(env, OBJ_CNODE, 4);
	cptr_t back = mk_slot(env);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_cap, mk_copy(env, ep, RIGHTS_ALL), mk_mint(env, n, RIGHTS_ALL, 0x21), 100);
	set_recv_slot(cn, 3, 4);
	sys_recv(ep, &m);
	CHECK_EQ(mi_caps(m.info), 1);
	CHECK_OK(cnode_move(R, back, 64, cn, 3, 4));
	CHECK_EQ(badge_via(back, n), 0x21);
}

TEST(IPC_0021, "a receive CNode that is not a CNode: message arrives, no cap")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_cap, mk_copy(env, ep, RIGHTS_ALL), n, 100);
	set_recv_slot(ep, 0, 4);
	sys_recv(ep, &m);
	CHECK_EQ(mi_label(m.info), MSG_LABEL);
	CHECK_EQ(mi_caps(m.info), 0);
}

/* Send two caps: a notification and a badged cap of the receiving endpoint. */
static word_t send_two_caps(word_t ep, word_t caps_packed)
{
	struct sys_msg m = { 0 };

	ipc_buffer()->caps[0] = caps_packed & 0xffffffff;
	ipc_buffer()->caps[1] = caps_packed >> 32;
	m.info = mi_make(MSG_LABEL, 0, 2, 0);
	sys_send(ep, &m);
	return 0;
}

TEST(IPC_0022, "two caps: the first lands in the slot, the second is unwrapped (bit 1)")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t nb = mk_mint(env, n, RIGHTS_ALL, 3);
	cptr_t eb = mk_mint(env, ep, RIGHTS_ALL, 0x66);
	cptr_t slot = mk_slot(env);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_two_caps, mk_copy(env, ep, RIGHTS_ALL), nb | (eb << 32), 100);
	set_recv_slot(R, slot, 64);
	sys_recv(ep, &m);
	CHECK_EQ(mi_caps(m.info), 2);
	CHECK_EQ(mi_unwrapped(m.info), 2);
	CHECK_EQ(ipc_buffer()->caps[1], 0x66);
	CHECK_EQ(badge_via(slot, n), 3);
}

TEST(IPC_0023, "the sender's caps-unwrapped bits are ignored")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, worker_echo, ep, 0, 100);
	m.info = mi_make(MSG_LABEL, 0xf, 0, 1);
	sys_call(ep, &m);
	CHECK_EQ(mi_unwrapped(m.info), 0);
	CHECK_EQ(mi_caps(m.info), 0);
	CHECK_EQ(mi_label(m.info), MSG_LABEL);
}

static volatile word_t sc_result[4];

/* Receive, save the reply cap at `slot`, reply through it with SYS_SEND. */
static word_t save_caller_server(word_t ep, word_t slot)
{
	struct sys_msg m = { 0 };

	sys_recv(ep, &m);
	sc_result[0] = cnode_save_caller(R, slot, 64);
	sc_result[1] = sys_debug_cap_type(slot);
	m.mr[0] += 100;
	m.info = mi_make(0x99, 0, 0, 1);
	sys_send(slot, &m);
	sc_result[2] = sys_debug_cap_type(slot);
	sc_result[3] = ipc_label(SYS_SEND, slot);
	return 0;
}

TEST(IPC_0024, "CNODE_SAVE_CALLER stores a reply cap; SYS_SEND on it replies once")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t slot = mk_slot(env);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, save_caller_server, ep, slot, 100);
	m.info = mi_make(1, 0, 0, 1);
	m.mr[0] = 5;
	sys_call(ep, &m);
	CHECK_EQ(mi_label(m.info), 0x99);
	CHECK_EQ(m.mr[0], 105);
	settle(env);
	CHECK_EQ(sc_result[0], E_OK);
	CHECK_EQ(sc_result[1], CAP_REPLY);
	CHECK(sc_result[2] == 0 || sc_result[3] != E_OK);
}

static word_t save_no_caller(word_t slot, word_t done)
{
	sc_result[0] = cnode_save_caller(R, slot, 64);
	sc_result[1] = sys_debug_cap_type(slot);
	sys_signal(done);
	return 0;
}

TEST(IPC_0025, "CNODE_SAVE_CALLER without a caller leaves the slot empty")
{
	cptr_t slot = mk_slot(env);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	sc_result[0] = sc_result[1] = 99;
	spawn(env, &t, save_no_caller, slot, mk_mint(env, n, RIGHTS_ALL, 1), 100);
	CHECK_EQ(sys_wait(n), 1);
	CHECK(sc_result[0] == E_OK || sc_result[0] == E_NO_REPLY);
	CHECK_EQ(sc_result[1], 0);
}

static word_t worker_call_once(word_t ep, word_t unused)
{
	struct sys_msg m = { 0 };

	(void)unused;
	m.info = mi_make(1, 0, 0, 1);
	sys_call(ep, &m);
	return 0;
}

TEST(IPC_0026, "CNODE_SAVE_CALLER into an occupied slot fails with E_DELETE_FIRST")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t occupied = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t, c;

	sc_result[0] = 99;
	spawn(env, &t, save_caller_server, ep, occupied, 100);
	/* a client thread calls; the server cannot save its reply cap, so the
	 * client stays blocked until the case's objects are destroyed */
	spawn(env, &c, worker_call_once, ep, 0, 90);
	settle(env);
	CHECK_EQ(sc_result[0], E_DELETE_FIRST);
	CHECK_EQ(cap_type(occupied), OBJ_NOTIFICATION);
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

TEST(IPC_0030, "deleting an endpoint wakes a blocked sender with E_DELETED")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	CHECK_EQ(label_after_delete(env, SYS_SEND, ep, ep, 0), E_DELETED);
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

TEST(IPC_0038, "a received cap is a child of the sender's cap (revoke removes it)")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t slot = mk_slot(env);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_cap, mk_copy(env, ep, RIGHTS_ALL), n, 100);
	set_recv_slot(R, slot, 64);
	sys_recv(ep, &m);
	CHECK_EQ(cap_type(slot), OBJ_NOTIFICATION);
	CHECK_OK(cnode_revoke(R, n, 64));
	CHECK_EQ(cap_type(slot), 0);
}

TEST(IPC_0039, "a granted cap keeps the sender cap's rights (no more)")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t slot = mk_slot(env);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_cap, mk_copy(env, ep, RIGHTS_ALL), mk_mint(env, n, RIGHT_READ, 4), 100);
	set_recv_slot(R, slot, 64);
	sys_recv(ep, &m);
	CHECK_EQ(cap_type(slot), OBJ_NOTIFICATION);
	CHECK_EQ(ipc_label(SYS_SEND, slot), E_NO_RIGHTS);
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

TEST(IPC_0041, "deleting an endpoint wakes a blocked caller with E_DELETED")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);

	CHECK_EQ(label_after_delete(env, SYS_CALL, ep, ep, 0), E_DELETED);
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

TEST(IPC_0044, "a transferred badged endpoint cap keeps its badge")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0), ep2 = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t slot = mk_slot(env);
	struct thread s, r;
	struct sys_msg m = { 0 };

	spawn(env, &s, send_cap, mk_copy(env, ep, RIGHTS_ALL), mk_mint(env, ep2, RIGHTS_ALL, 0x10), 100);
	set_recv_slot(R, slot, 64);
	sys_recv(ep, &m);
	CHECK_EQ(mi_caps(m.info), 1);
	CHECK_EQ(mi_unwrapped(m.info), 0);
	spawn(env, &r, recv_store, ep2, mk_mint(env, n, RIGHTS_ALL, 1), 100);
	memset(&m, 0, sizeof(m));
	m.info = mi_make(MSG_LABEL, 0, 0, 4);
	sys_send(slot, &m);
	CHECK_EQ(sys_wait(n), 1);
	CHECK_EQ(r.info->user[1], 0x10);
}

TEST(IPC_0045, "a receiver that set no receive slot gets the words but no cap")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;
	struct sys_msg m = { 0 };

	spawn(env, &t, send_cap, mk_copy(env, ep, RIGHTS_ALL), n, 100);
	set_recv_slot(0, 0, 0);
	sys_recv(ep, &m);
	CHECK_EQ(mi_label(m.info), MSG_LABEL);
	CHECK_EQ(m.mr[0], 0xca9);
	CHECK_EQ(mi_caps(m.info), 0);
}

/* ---- the IPC fastpath (kernel/src/fastpath.c) and its fallbacks ---- */

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
