/*
 * timer_test: the timer service against its own clock. Started by core as
 * init; the timer (and dummy clients) are its children (testbed.h).
 *
 * No check depends on how fast the machine is: an expiry must never come
 * before its deadline on the timer's clock, expiries keep deadline order,
 * counts of periodic expiries must fit the time that passed, and what is
 * stopped or replaced must stay quiet (checked after sleeping on another
 * session). Upper bounds on time appear only where the alternative is a
 * wait of minutes.
 */
#include <argil/kernel.h>
#include <timer_session.h>
#include "testbed.h"

#define KB 1024ul
#define MB (1024 * KB)
#define TIMER_RAM (2 * MB)
#define TIMER_CAPS 512
#define TIMER_PRIO 200
#define CLIENT_PRIO 100

static struct tb_child *timer;
static cptr_t ntfn;          /* the test's own notification for timer signals */
static cptr_t bits[62];      /* badged copies: bit i (badges have 62 bits) */

static void start_timer(const char *config)
{
	CHECK_OK(tb_start(&timer, "timer", "timer", TIMER_RAM, TIMER_CAPS, TIMER_PRIO, config));
	CHECK(tb_wait_announce(timer, TIMER_SERVICE));
}

static void setup(void)
{
	tb_signal_bits(&ntfn, bits);
	start_timer("<config verbose=\"no\"/>");
}

/* A session of ours at the timer with signal bit `bit`. */
static void open_timer(struct tb_own *o, int bit)
{
	CHECK_OK(tb_open(o, timer, TIMER_SERVICE, "test", "", TIMER_SESSION_RAM,
			 TIMER_SESSION_CAPS));
	if (bit >= 0)
		CHECK_OK(timer_sigh(o->cap, bits[bit]));
}

static uint64_t now(struct tb_own *o, uint64_t *expiries)
{
	uint64_t us = 0;

	CHECK_OK(timer_elapsed(o->cap, &us, expiries));
	return us;
}

/* Sleep on session o (bit b) for at least us. */
static void sleep_on(struct tb_own *o, int b, uint64_t us)
{
	uint64_t end = now(o, 0) + us, t;

	sys_poll(ntfn);
	while ((t = now(o, 0)) < end) {
		CHECK_OK(timer_trigger_once(o->cap, end - t));
		while (!(sys_wait(ntfn) & (1ull << b)))
			;
	}
}

TEST(TMR_0001, "the clock runs: a 10 ms sleep moves elapsed by at least 10 ms")
{
	struct tb_own o;

	open_timer(&o, 0);
	uint64_t t0 = now(&o, 0);
	sleep_on(&o, 0, 10000);
	uint64_t t1 = now(&o, 0);
	CHECK(t1 >= t0 + 10000);
	printf("timer_test: 10 ms sleep took %lu us of the timer's clock\n", (word_t)(t1 - t0));
	CHECK_OK(tb_close(&o));
}

TEST(TMR_0002, "elapsed never decreases, across two sessions")
{
	struct tb_own a, b;
	uint64_t last = 0;

	open_timer(&a, -1);
	open_timer(&b, -1);
	for (int i = 0; i < 500; i++) {
		uint64_t t = now(i & 1 ? &a : &b, 0);
		CHECK(t >= last);
		last = t;
	}
	CHECK_OK(tb_close(&a));
	CHECK_OK(tb_close(&b));
}

TEST(TMR_0003, "one-shot timeouts of 0 us to 100 ms never expire early and expire once")
{
	static const uint64_t d[] = { 0, 1, 10, 100, 999, 5000, 20000, 100000 };
	struct tb_own o, clock;

	open_timer(&o, 1);
	open_timer(&clock, 2);
	for (unsigned i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		uint64_t e0, e1;
		sys_poll(ntfn);
		uint64_t t0 = now(&o, &e0);
		CHECK_OK(timer_trigger_once(o.cap, d[i]));
		while (!(sys_wait(ntfn) & 2))
			;
		uint64_t t1 = now(&o, &e1);
		CHECK(t1 >= t0 + d[i]);
		CHECK_EQ(e1, e0 + 1);
	}
	/* and nothing more comes */
	sys_poll(ntfn);
	sleep_on(&clock, 2, 20000);
	CHECK_EQ(sys_poll(ntfn) & 2, 0);
	CHECK_OK(tb_close(&o));
	CHECK_OK(tb_close(&clock));
}

TEST(TMR_0004, "periodic: the n-th wake-up comes after n periods, expiries fit the time; stop ends it")
{
	const uint64_t p = 2000;
	struct tb_own o, clock;
	uint64_t e, wakeups = 0;

	open_timer(&o, 3);
	open_timer(&clock, 4);
	sys_poll(ntfn);
	uint64_t t0 = now(&o, &e);
	CHECK_EQ(e, 0);
	CHECK_OK(timer_trigger_periodic(o.cap, p));
	while (wakeups < 20) {
		if (!(sys_wait(ntfn) & (1ull << 3)))
			continue;
		wakeups++;
		uint64_t t = now(&o, &e);
		CHECK(t - t0 >= wakeups * p);  /* at least `wakeups` expiries happened */
		CHECK(e >= wakeups);           /* each wake-up had an expiry behind it */
		CHECK(e * p <= t - t0);        /* none came early */
	}
	CHECK_OK(timer_stop(o.cap));
	now(&o, &e);
	sys_poll(ntfn);
	sleep_on(&clock, 4, 5 * p);
	uint64_t e2;
	now(&o, &e2);
	CHECK_EQ(e2, e);
	CHECK_EQ(sys_poll(ntfn) & (1ull << 3), 0);
	CHECK_OK(tb_close(&o));
	CHECK_OK(tb_close(&clock));
}

TEST(TMR_0005, "triggering again replaces the armed timeout; a periodic one becomes one-shot")
{
	struct tb_own o, clock;
	uint64_t e;

	open_timer(&o, 5);
	open_timer(&clock, 6);
	sys_poll(ntfn);
	uint64_t t0 = now(&o, 0);
	CHECK_OK(timer_trigger_once(o.cap, 600000000));   /* 10 minutes */
	CHECK_OK(timer_trigger_once(o.cap, 1000));
	while (!(sys_wait(ntfn) & (1ull << 5)))
		;
	uint64_t t1 = now(&o, &e);
	CHECK(t1 >= t0 + 1000);
	CHECK(t1 < t0 + 600000000);
	CHECK_EQ(e, 1);
	/* the periodic one may expire before it is replaced (a loaded host):
	 * afterwards only the one-shot may, once */
	CHECK_OK(timer_trigger_periodic(o.cap, 1000));
	CHECK_OK(timer_trigger_once(o.cap, 2000));
	sleep_on(&clock, 6, 20000);
	uint64_t e1, e2;
	now(&o, &e1);
	CHECK(e1 >= 2);
	sleep_on(&clock, 6, 20000);
	now(&o, &e2);
	CHECK_EQ(e2, e1);
	CHECK_OK(tb_close(&o));
	CHECK_OK(tb_close(&clock));
}

TEST(TMR_0006, "24 sessions expire in deadline order, each once and never early")
{
	enum { N = 24 };
	struct tb_own o[N];
	uint64_t lo[N], hi[N], fired_at[N], seen = 0;
	int order[N], n = 0;

	for (int i = 0; i < N; i++)
		open_timer(&o[i], 10 + i);
	sys_poll(ntfn);
	for (int i = 0; i < N; i++) {
		uint64_t d = 1000 + (uint64_t)((i * 7919) % N) * 1500;
		uint64_t before = now(&o[i], 0);
		CHECK_OK(timer_trigger_once(o[i].cap, d));
		lo[i] = before + d;
		hi[i] = now(&o[i], 0) + d;
	}
	while (n < N) {
		word_t w = sys_wait(ntfn) >> 10;
		uint64_t t = now(&o[0], 0);
		for (int i = 0; i < N; i++) {
			if (!(w & (1ull << i)))
				continue;
			CHECK(!(seen & (1ull << i)));
			seen |= 1ull << i;
			fired_at[i] = t;
			order[n++] = i;
		}
	}
	for (int k = 0; k < N; k++) {
		int i = order[k];
		CHECK(fired_at[i] >= lo[i]);
		/* anything signalled in a later wake-up cannot have had a
		 * deadline that surely came before i's */
		for (int m = k + 1; m < N; m++) {
			int j = order[m];
			if (fired_at[j] > fired_at[i])
				CHECK(hi[j] >= lo[i]);
		}
	}
	for (int i = 0; i < N; i++)
		CHECK_OK(tb_close(&o[i]));
}

TEST(TMR_0007, "100 sessions with periodic timeouts all fire; closing them returns the timer's quota")
{
	enum { N = 100 };
	static struct tb_own o[N];
	struct tb_own clock;
	struct pd_quota q0 = tb_quota(timer), q1;

	open_timer(&clock, 7);
	for (int i = 0; i < N; i++) {
		open_timer(&o[i], 61);
		CHECK_OK(timer_trigger_periodic(o[i].cap, 1000 + (uint64_t)i * 100));
	}
	q1 = tb_quota(timer);
	CHECK_EQ(q1.ram_quota, q0.ram_quota + N * TIMER_SESSION_RAM + TIMER_SESSION_RAM);
	CHECK(q1.ram_used <= q1.ram_quota);
	word_t peak = q1.ram_used;
	sleep_on(&clock, 7, 50000);
	for (int i = 0; i < N; i++) {
		uint64_t e;
		now(&o[i], &e);
		CHECK(e >= 1);
	}
	for (int i = 0; i < N; i++)
		CHECK_OK(tb_close(&o[i]));
	CHECK_OK(tb_close(&clock));
	q1 = tb_quota(timer);
	CHECK_EQ(q1.ram_quota, q0.ram_quota);
	CHECK_EQ(q1.cap_quota, q0.cap_quota);
	printf("timer_test: timer's RAM in use: %lu bytes before, %lu with 101 sessions, %lu after\n",
	       q0.ram_used, peak, q1.ram_used);
}

TEST(TMR_0008, "bad requests fail with their error and change nothing")
{
	struct tb_own o, x;
	struct rpc_msg m;
	struct pd_quota q = tb_quota(timer), mine0, mine1;

	CHECK_OK(pd_quota(tb_env->pd, &mine0));
	CHECK_ST(tb_open(&x, timer, TIMER_SERVICE, "test", "", 100, TIMER_SESSION_CAPS),
		 RPC_E_NO_RAM_QUOTA);
	CHECK_ST(tb_open(&x, timer, TIMER_SERVICE, "test", "", TIMER_SESSION_RAM, 1),
		 RPC_E_NO_CAP_QUOTA);
	CHECK_OK(pd_quota(tb_env->pd, &mine1));
	CHECK_EQ(mine1.ram_quota, mine0.ram_quota);
	CHECK_EQ(tb_quota(timer).ram_quota, q.ram_quota);

	open_timer(&o, -1);
	CHECK_ST(timer_trigger_periodic(o.cap, TIMER_MIN_PERIOD_US - 1), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(timer_trigger_periodic(o.cap, 0), RPC_E_INVALID_ARGUMENT);
	/* signal handlers must be notifications: our PD cap (core's endpoint),
	 * the session's own cap (the timer's endpoint: unwrapped) */
	CHECK_ST(timer_sigh(o.cap, tb_env->pd), RPC_E_INVALID_CAP);
	CHECK_ST(timer_sigh(o.cap, o.cap), RPC_E_INVALID_CAP);
	rpc_init(&m, 99);
	CHECK_ST(rpc_call(o.cap, &m), RPC_E_ILLEGAL_OPERATION);
	rpc_init(&m, TIMER_TRIGGER_ONCE);   /* no duration */
	CHECK_ST(rpc_call(o.cap, &m), RPC_E_INVALID_ARGUMENT);
	/* a signal handler whose notification is destroyed: the expiry goes
	 * nowhere, the timer goes on */
	cptr_t dead = cap_slot_alloc();
	word_t dead_handle;
	CHECK_OK(pd_alloc_ntfn(tb_env->pd, dead, &dead_handle));
	CHECK_OK(timer_sigh(o.cap, dead));
	CHECK_OK(pd_free_obj(tb_env->pd, dead_handle));
	cap_slot_free(dead);
	uint64_t e0, e1;
	now(&o, &e0);
	CHECK_OK(timer_trigger_once(o.cap, 0));
	/* the session still works */
	uint64_t t = now(&o, &e1);
	CHECK(t > 0);
	CHECK_EQ(e1, e0 + 1);
	cptr_t stale = cap_slot_alloc();
	CHECK_EQ(cnode_copy(COMPONENT_CNODE, stale, 64, COMPONENT_CNODE, o.cap, 64, RIGHTS_ALL),
		 E_OK);
	CHECK_OK(tb_close(&o));
	/* a closed session's capability is gone, copies included */
	CHECK_ST(timer_elapsed(stale, 0, 0), RPC_E_INVALID_CAP);
	cap_slot_free(stale);
	CHECK_EQ(tb_quota(timer).ram_quota, q.ram_quota);
}

TEST(TMR_0009, "durations near 2^64 saturate and do not fire; stop disarms them")
{
	struct tb_own o, clock;
	uint64_t e;

	open_timer(&o, 8);
	open_timer(&clock, 9);
	sys_poll(ntfn);
	CHECK_OK(timer_trigger_once(o.cap, UINT64_MAX));
	sleep_on(&clock, 9, 10000);
	CHECK_OK(timer_trigger_periodic(o.cap, UINT64_MAX - 5));
	sleep_on(&clock, 9, 10000);
	CHECK_OK(timer_stop(o.cap));
	CHECK_OK(timer_stop(o.cap));   /* nothing armed: no error */
	now(&o, &e);
	CHECK_EQ(e, 0);
	CHECK_EQ(sys_poll(ntfn) & (1ull << 8), 0);
	CHECK_OK(tb_close(&o));
	CHECK_OK(tb_close(&clock));
}

static const char *sleeper =
	"<config> <log string=\"going to sleep\"/> <sleep ms=\"%lu\"/> <exit value=\"%lu\"/> </config>";

TEST(TMR_0010, "three client components sleep through their own Timer sessions and exit")
{
	struct tb_child *c[3];
	char cfg[160];
	static const word_t ms[3] = { 120, 40, 80 };
	struct pd_quota q0 = tb_quota(timer);

	for (int i = 0; i < 3; i++) {
		char name[16];
		snprintf(name, sizeof(name), "sleeper%d", i);
		snprintf(cfg, sizeof(cfg), sleeper, ms[i], (word_t)(10 + i));
		CHECK_OK(tb_start(&c[i], name, "dummy", 1 * MB, 64, CLIENT_PRIO, cfg));
	}
	for (int i = 0; i < 3; i++)
		CHECK_EQ(tb_wait_exit(c[i]), 10 + i);
	/* they used the timer: its quota grew by their sessions */
	CHECK(tb_quota(timer).ram_quota > q0.ram_quota);
	for (int i = 0; i < 3; i++)
		tb_destroy(c[i]);
	CHECK_EQ(tb_quota(timer).ram_quota, q0.ram_quota);
}

TEST(TMR_0011, "a client destroyed while its timeout is armed harms nobody")
{
	struct tb_child *c;
	struct tb_own clock;
	struct pd_quota q0 = tb_quota(timer);

	CHECK_OK(tb_start(&c, "longsleeper", "dummy", 1 * MB, 64, CLIENT_PRIO,
			  "<config> <sleep ms=\"600000\"/> <exit value=\"1\"/> </config>"));
	/* its LOG, config and Timer sessions */
	while (c->session_requests < 3)
		tb_wait();
	open_timer(&clock, 11);
	sleep_on(&clock, 11, 20000);
	tb_destroy(c);
	sleep_on(&clock, 11, 20000);
	CHECK_OK(tb_close(&clock));
	CHECK_EQ(tb_quota(timer).ram_quota, q0.ram_quota);
}

/* Last: the same checks on the PIT (the timer is started anew). */
TEST(TMR_0099, "the PIT with the TSC as clock: one-shots never early, periodic counts fit")
{
	struct tb_own o, clock;
	uint64_t e, wakeups = 0;

	tb_destroy(timer);
	timer = 0;
	start_timer("<config source=\"pit\"/>");
	open_timer(&o, 12);
	open_timer(&clock, 13);
	static const uint64_t d[] = { 0, 50, 1000, 30000, 70000 };   /* 70 ms > one PIT count */
	for (unsigned i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		uint64_t e0, e1;
		sys_poll(ntfn);
		uint64_t t0 = now(&o, &e0);
		CHECK_OK(timer_trigger_once(o.cap, d[i]));
		while (!(sys_wait(ntfn) & (1ull << 12)))
			;
		uint64_t t1 = now(&o, &e1);
		CHECK(t1 >= t0 + d[i]);
		CHECK_EQ(e1, e0 + 1);
	}
	now(&o, &e);
	uint64_t base = e, t0 = now(&o, 0);
	CHECK_OK(timer_trigger_periodic(o.cap, 3000));
	while (wakeups < 10) {
		if (!(sys_wait(ntfn) & (1ull << 12)))
			continue;
		wakeups++;
		uint64_t t = now(&o, &e);
		CHECK(t - t0 >= wakeups * 3000);
		CHECK(e - base >= wakeups);
		CHECK((e - base) * 3000 <= t - t0);
	}
	CHECK_OK(timer_stop(o.cap));
	sleep_on(&clock, 13, 10000);
	CHECK_OK(tb_close(&o));
	CHECK_OK(tb_close(&clock));
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("timer_test", setup);
}
