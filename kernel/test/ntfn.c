/*
 * Notifications: signal, wait, poll, badge OR, rights, several waiters,
 * binding to a TCB, destruction, and use across address spaces.
 */
#include "test.h"

#define RESULT(i) (thread_self()->user[i])

static word_t wait_store(word_t n, word_t done)
{
	RESULT(0) = sys_wait(n);
	sys_signal(done);
	return 0;
}

TEST(NTFN_0001, "signal then poll returns the badge and clears it")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	sys_signal(mk_mint(env, n, RIGHTS_ALL, 0x40));
	CHECK_EQ(sys_poll(n), 0x40);
	CHECK_EQ(sys_poll(n), 0);
}

TEST(NTFN_0002, "poll of a notification never signalled returns 0 at once")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	for (int i = 0; i < 10; i++)
		CHECK_EQ(sys_poll(n), 0);
}

TEST(NTFN_0003, "badges of several signals are ORed; wait returns and clears them")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	sys_signal(mk_mint(env, n, RIGHTS_ALL, 1));
	sys_signal(mk_mint(env, n, RIGHTS_ALL, 2));
	sys_signal(mk_mint(env, n, RIGHTS_ALL, 4));
	sys_signal(mk_mint(env, n, RIGHTS_ALL, 4));
	CHECK_EQ(sys_wait(n), 7);
	CHECK_EQ(sys_poll(n), 0);
}

TEST(NTFN_0004, "a thread blocked in wait is woken by a signal with its badge")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t done = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	spawn(env, &t, wait_store, n, mk_mint(env, done, RIGHTS_ALL, 1), 100);
	settle(env);
	CHECK_EQ(sys_poll(done), 0);
	sys_signal(mk_mint(env, n, RIGHTS_ALL, 0x10));
	CHECK_EQ(sys_wait(done), 1);
	CHECK_EQ(t.info->user[0], 0x10);
}

TEST(NTFN_0005, "signal needs the write right (E_NO_RIGHTS, word unchanged)")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t ro = mk_mint(env, n, RIGHT_READ, 2);

	CHECK_EQ(ipc_label(SYS_SEND, ro), E_NO_RIGHTS);
	CHECK_EQ(ipc_label(SYS_NBSEND, ro), E_NO_RIGHTS);
	CHECK_EQ(sys_poll(n), 0);
}

TEST(NTFN_0006, "wait and poll need the read right (E_NO_RIGHTS)")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t wo = mk_mint(env, n, RIGHT_WRITE, 2);

	sys_signal(wo);
	CHECK_EQ(ipc_label(SYS_RECV, wo), E_NO_RIGHTS);
	CHECK_EQ(ipc_label(SYS_NBRECV, wo), E_NO_RIGHTS);
	CHECK_EQ(sys_poll(n), 2);
}

TEST(NTFN_0007, "two waiters are woken by two signals, one each")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t done = mk(env, OBJ_NOTIFICATION, 0);
	struct thread a, b;
	word_t seen = 0;

	spawn(env, &a, wait_store, n, mk_mint(env, done, RIGHTS_ALL, 1), 100);
	spawn(env, &b, wait_store, n, mk_mint(env, done, RIGHTS_ALL, 2), 100);
	settle(env);
	sys_signal(mk_mint(env, n, RIGHTS_ALL, 0x100));
	settle(env);
	seen = sys_poll(done);
	CHECK(seen == 1 || seen == 2);
	sys_signal(mk_mint(env, n, RIGHTS_ALL, 0x200));
	while (seen != 3)
		seen |= sys_wait(done);
	CHECK_EQ(a.info->user[0] | b.info->user[0], 0x300);
}

static word_t bound_recv(word_t ep, word_t done)
{
	struct sys_msg m = { 0 };

	sys_recv(ep, &m);
	RESULT(0) = m.info;
	RESULT(1) = m.badge;
	RESULT(2) = m.mr[0];
	sys_signal(done);
	return 0;
}

/* A thread in bound_recv on a fresh endpoint with a fresh notification n
 * bound to it (and unbound again if `unbind`); `done` is signalled when
 * it returns. With `early`, n is signalled with that badge before the
 * thread starts; else the thread is blocked in Recv when this returns. */
struct bound {
	cptr_t ep, n, done;
	struct thread t;
};

static void bound_start(struct env *env, struct bound *b, word_t early, int unbind)
{
	b->ep = mk(env, OBJ_ENDPOINT, 0);
	b->n = mk(env, OBJ_NOTIFICATION, 0);
	b->done = mk(env, OBJ_NOTIFICATION, 0);
	CHECK_OK(thread_create(env, &b->t, 0));
	CHECK_OK(tcb_bind_notification(b->t.tcb, b->n));
	if (unbind)
		CHECK_OK(tcb_unbind_notification(b->t.tcb));
	if (early)
		sys_signal(mk_mint(env, b->n, RIGHTS_ALL, early));
	CHECK_OK(thread_start(&b->t, bound_recv, b->ep, mk_mint(env, b->done, RIGHTS_ALL, 1), 100, 0));
	if (!early)
		settle(env);
}

TEST(NTFN_0008, "a bound notification wakes its thread's Recv: info 0, badge = word")
{
	struct bound b;

	bound_start(env, &b, 0, 0);
	sys_signal(mk_mint(env, b.n, RIGHTS_ALL, 0x40));
	CHECK_EQ(sys_wait(b.done), 1);
	CHECK_EQ(b.t.info->user[0], 0);
	CHECK_EQ(b.t.info->user[1], 0x40);
}

TEST(NTFN_0009, "a thread with a bound notification still receives endpoint messages")
{
	struct bound b;
	struct sys_msg m = { 0 };

	bound_start(env, &b, 0, 0);
	m.info = mi_make(9, 0, 0, 1);
	m.mr[0] = 0x99;
	sys_send(mk_mint(env, b.ep, RIGHTS_ALL, 3), &m);
	CHECK_EQ(sys_wait(b.done), 1);
	CHECK_EQ(mi_label(b.t.info->user[0]), 9);
	CHECK_EQ(b.t.info->user[1], 3);
	CHECK_EQ(b.t.info->user[2], 0x99);
}

TEST(NTFN_0010, "a bound notification signalled before the Recv makes it return at once")
{
	struct bound b;

	bound_start(env, &b, 0x8, 0);
	CHECK_EQ(sys_wait(b.done), 1);
	CHECK_EQ(b.t.info->user[0], 0);
	CHECK_EQ(b.t.info->user[1], 0x8);
}

TEST(NTFN_0011, "binding a notification already bound, or a TCB already bound, fails")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t n2 = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t a = mk(env, OBJ_TCB, 0), b = mk(env, OBJ_TCB, 0);

	CHECK_OK(tcb_bind_notification(a, n));
	CHECK(tcb_bind_notification(b, n) != E_OK);
	CHECK(tcb_bind_notification(a, n2) != E_OK);
	CHECK_OK(tcb_unbind_notification(a));
	CHECK_OK(tcb_bind_notification(b, n));
	CHECK_OK(tcb_bind_notification(a, n2));
}

TEST(NTFN_0012, "after unbind a signal no longer wakes the Recv; poll gets the word")
{
	struct bound b;

	bound_start(env, &b, 0, 1);
	sys_signal(mk_mint(env, b.n, RIGHTS_ALL, 0x4));
	settle(env);
	CHECK_EQ(sys_poll(b.done), 0);
	CHECK_EQ(sys_poll(b.n), 0x4);
}

TEST(NTFN_0013, "deleting a notification wakes its waiter with E_DELETED")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	CHECK_EQ(label_after_delete(env, SYS_RECV, n, n, 0), E_DELETED);
}

static word_t remote_signal(word_t n, word_t count)
{
	for (word_t i = 0; i < count; i++)
		sys_signal(n);
	return 0;
}

TEST(NTFN_0014, "a thread in another address space signals the root")
{
	struct vspace vs;
	struct thread t;
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	CHECK_OK(vspace_clone(env, &vs));
	CHECK_OK(thread_create_in(env, &t, &vs, INIT_CNODE, 0, 0, THREAD_SELF));
	CHECK_OK(thread_start(&t, remote_signal, mk_mint(env, n, RIGHTS_ALL, 0x1000), 3, 100, 0));
	CHECK_EQ(sys_wait(n), 0x1000);
}

TEST(NTFN_0015, "high badge bits are kept by the OR")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);

	sys_signal(mk_mint(env, n, RIGHTS_ALL, 1ul << 61));
	sys_signal(mk_mint(env, n, RIGHTS_ALL, 1));
	CHECK_EQ(sys_wait(n), (1ul << 61) | 1);
}

TEST(NTFN_0016, "1000 signal/wait round trips between two threads")
{
	cptr_t a = mk(env, OBJ_NOTIFICATION, 0), b = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;
	cptr_t ab = mk_mint(env, a, RIGHTS_ALL, 1), bb = mk_mint(env, b, RIGHTS_ALL, 2);

	spawn(env, &t, worker_relay, a, bb, 100);
	for (int i = 0; i < 1000; i++) {
		sys_signal(ab);
		CHECK_EQ(sys_wait(b), 2);
	}
}

TEST(NTFN_0017, "binding a non-notification cap fails with E_INVALID_CAPABILITY")
{
	cptr_t t = mk(env, OBJ_TCB, 0);

	CHECK_ST(tcb_bind_notification(t, mk(env, OBJ_ENDPOINT, 0)), E_INVALID_CAPABILITY);
	CHECK_ST(tcb_bind_notification(t, mk_slot(env)), E_INVALID_CAPABILITY);
}

TEST(NTFN_0018, "the root itself can bind a notification and be woken in Recv")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct sys_msg m = { 0 };

	CHECK_OK(tcb_bind_notification(INIT_TCB, n));
	sys_signal(mk_mint(env, n, RIGHTS_ALL, 0x77));
	sys_recv(ep, &m);
	CHECK_OK(tcb_unbind_notification(INIT_TCB));
	CHECK_EQ(m.info, 0);
	CHECK_EQ(m.badge, 0x77);
}

TEST(NTFN_0019, "Send on a notification via NBSend also signals")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	struct sys_msg m = { 0 };

	sys_nbsend(mk_mint(env, n, RIGHTS_ALL, 0x3), &m);
	CHECK_EQ(sys_poll(n), 0x3);
}

TEST(NTFN_0020, "signalling a notification whose bound TCB was destroyed is safe")
{
	cptr_t ut = mk_untyped(env, 12);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t tcb = mk_slot(env), f = mk_slot(env);
	volatile word_t *p;

	CHECK_OK(untyped_retype(ut, OBJ_TCB, 0, R, 0, 0, tcb, 1));
	CHECK_OK(tcb_bind_notification(tcb, n));
	CHECK_OK(cnode_delete(R, tcb, 64));
	/* reuse the TCB's memory as a frame full of a pattern */
	CHECK_OK(untyped_retype(ut, OBJ_FRAME_4K, 0, R, 0, 0, f, 1));
	p = env_map(env, f, RIGHT_READ | RIGHT_WRITE);
	CHECK(p);
	for (int i = 0; i < 512; i++)
		p[i] = 0x1111111111111111ul * (word_t)(i & 15);
	sys_signal(mk_mint(env, n, RIGHTS_ALL, 0x22));
	CHECK_EQ(sys_poll(n), 0x22);
	for (int i = 0; i < 512; i++)
		CHECK_EQ(p[i], 0x1111111111111111ul * (word_t)(i & 15));
	CHECK_OK(tcb_bind_notification(mk(env, OBJ_TCB, 0), n));
}

TEST(NTFN_0021, "signalling after the only waiter's TCB was destroyed keeps the badge")
{
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t done = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	spawn(env, &t, wait_store, n, mk_mint(env, done, RIGHTS_ALL, 1), 100);
	settle(env);
	CHECK_OK(cnode_delete(R, t.tcb, 64));
	sys_signal(mk_mint(env, n, RIGHTS_ALL, 0x9));
	CHECK_EQ(sys_poll(n), 0x9);
	CHECK_EQ(sys_poll(done), 0);
}

TEST(NTFN_0022, "deleting a bound notification unbinds it; the TCB can bind another")
{
	cptr_t ep = mk(env, OBJ_ENDPOINT, 0);
	cptr_t n = mk(env, OBJ_NOTIFICATION, 0), n2 = mk(env, OBJ_NOTIFICATION, 0);
	cptr_t done = mk(env, OBJ_NOTIFICATION, 0);
	struct thread t;

	CHECK_OK(thread_create(env, &t, 0));
	CHECK_OK(tcb_bind_notification(t.tcb, n));
	CHECK_OK(cnode_delete(R, n, 64));
	CHECK_OK(tcb_bind_notification(t.tcb, n2));
	CHECK_OK(thread_start(&t, bound_recv, ep, mk_mint(env, done, RIGHTS_ALL, 1), 100, 0));
	settle(env);
	sys_signal(mk_mint(env, n2, RIGHTS_ALL, 0x5));
	CHECK_EQ(sys_wait(done), 1);
	CHECK_EQ(t.info->user[1], 0x5);
}
