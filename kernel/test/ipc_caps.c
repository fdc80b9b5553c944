/*
 * Endpoint IPC with capabilities: transfer through GRANT, receive slots,
 * unwrapping, badges of transferred caps, derivation of received caps, and
 * reply caps saved with CNODE_SAVE_CALLER.
 */
#include "ipc.h"

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
