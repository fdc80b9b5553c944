/*
 * dummy_test: the dummy does what its config says. Started by core as
 * init; a timer and the dummies are its children (testbed.h). The log
 * lines the dummies print are checked by the run script (run/dummy_test).
 */
#include <argil/kernel.h>
#include <timer_session.h>
#include "testbed.h"

#define KB 1024ul
#define MB (1024 * KB)
#define PRIO 100

static struct tb_child *timer;
static struct tb_own clock;
static cptr_t ntfn;
static word_t ntfn_handle;

static void setup(void)
{
	cptr_t b;

	ntfn = cap_slot_alloc();
	CHECK_OK(pd_alloc_ntfn(tb_env->pd, ntfn, &ntfn_handle));
	CHECK_OK(tb_start(&timer, "timer", "timer", 1 * MB, 128, 200, 0));
	CHECK(tb_wait_announce(timer, TIMER_SERVICE));
	CHECK_OK(tb_open(&clock, timer, TIMER_SERVICE, "test", "", TIMER_SESSION_RAM,
			 TIMER_SESSION_CAPS));
	b = cap_slot_alloc();
	CHECK_EQ(cnode_mint(COMPONENT_CNODE, b, 64, COMPONENT_CNODE, ntfn, 64, RIGHT_WRITE, 1), E_OK);
	CHECK_OK(timer_sigh(clock.cap, b));
}

static uint64_t now(void)
{
	uint64_t us;

	CHECK_OK(timer_elapsed(clock.cap, &us, 0));
	return us;
}

static void sleep_ms(uint64_t ms)
{
	uint64_t end = now() + ms * 1000, t;

	while ((t = now()) < end) {
		sys_poll(ntfn);
		CHECK_OK(timer_trigger_once(clock.cap, end - t));
		sys_wait(ntfn);
	}
}

static struct tb_child *start(const char *name, const char *config)
{
	struct tb_child *c;

	CHECK_OK(tb_start(&c, name, "dummy", 2 * MB, 64, PRIO, config));
	return c;
}

TEST(DMY_0001, "log lines, then exit with the value given")
{
	struct tb_child *c = start("logger",
		"<config> <log string=\"hello from dummy\"/> <log string=\"second line\"/>"
		" <exit value=\"5\"/> </config>");
	CHECK_EQ(tb_wait_exit(c), 5);
}

TEST(DMY_0002, "sessions with the quota given; one its quota cannot pay fails and the list goes on")
{
	struct tb_child *c = start("sessions",
		"<config>"
		" <session service=\"LOG\" label=\"extra\" ram=\"8K\" caps=\"2\"/>"
		" <session service=\"ROM\" label=\"dummy\" ram=\"8K\" caps=\"4\"/>"
		" <session service=\"LOG\" label=\"greedy\" ram=\"64M\" caps=\"2\"/>"
		" <session service=\"Nonexistent\" label=\"x\"/>"
		" <close_sessions/>"
		" <exit value=\"2\"/>"
		"</config>");
	CHECK_EQ(tb_wait_exit(c), 2);
	/* LOG, config, and the four of the list */
	CHECK_EQ(c->session_requests, 6);
}

TEST(DMY_0003, "RAM is allocated from its own quota and touched; beyond the quota fails cleanly")
{
	struct tb_child *c = start("alloc",
		"<config> <alloc size=\"1M\"/> <alloc size=\"512M\"/> <exit value=\"3\"/> </config>");
	CHECK_EQ(tb_wait_exit(c), 3);
	struct pd_quota q = tb_quota(c);
	CHECK(q.ram_used >= 1 * MB);
	CHECK(q.ram_used <= q.ram_quota);
	struct tb_child *d = start("allocfree",
		"<config> <alloc size=\"1M\"/> <free/> <exit value=\"4\"/> </config>");
	CHECK_EQ(tb_wait_exit(d), 4);
	CHECK(tb_quota(d).ram_used + 1 * MB <= q.ram_used + 64 * KB);
}

TEST(DMY_0004, "it exits with its value after the delay it was told, measured on the timer")
{
	uint64_t t0 = now();
	struct tb_child *c = start("delayed",
		"<config> <sleep ms=\"60\"/> <exit value=\"6\"/> </config>");
	CHECK_EQ(tb_wait_exit(c), 6);
	CHECK(now() >= t0 + 60000);
}

static void fault_case(const char *name, const char *type, word_t label, word_t addr)
{
	char cfg[128];
	struct thread_state_info st;

	snprintf(cfg, sizeof(cfg), "<config> <fault type=\"%s\" addr=\"0x%lx\"/> <exit value=\"1\"/> </config>",
		 type, addr);
	struct tb_child *c = start(name, cfg);
	while (!tb_faulted(c, &st)) {
		CHECK(!c->exited);
		tb_wait();
	}
	CHECK_EQ(st.fault_label, label);
	if (label == FAULT_PAGE && addr)
		CHECK_EQ(st.fault_addr, addr);
	CHECK(!c->exited);
}

TEST(DMY_0005, "faults: a read, a write, executing data, an undefined instruction; each stops only the dummy")
{
	fault_case("reader", "read", FAULT_PAGE, 0x10);
	fault_case("writer", "write", FAULT_PAGE, 0x7000000000ul);
	fault_case("executor", "exec", FAULT_PAGE, 0);
	fault_case("undefined", "ud", FAULT_EXCEPTION, 0);
	/* and the rest of the system goes on */
	struct tb_child *c = start("after", "<config> <sleep ms=\"1\"/> <exit value=\"0\"/> </config>");
	CHECK_EQ(tb_wait_exit(c), 0);
}

TEST(DMY_0006, "heartbeats are answered until it is told to stop, and again when told to")
{
	struct tb_child *c = start("beater", "<config> <sleep ms=\"600000\"/> </config>");

	while (!c->heartbeat_sigh)
		tb_wait();
	for (word_t i = 1; i <= 3; i++) {
		CHECK(tb_heartbeat(c));
		while (c->beats_answered < i)
			tb_wait();
	}
	tb_set_config(c, "<config> <heartbeat respond=\"no\"/> <sleep ms=\"600000\"/> </config>");
	tb_wait_config_seen(c);
	CHECK(tb_heartbeat(c));
	CHECK(tb_heartbeat(c));
	sleep_ms(30);
	CHECK_EQ(c->beats_answered, 3);
	tb_set_config(c, "<config> <heartbeat respond=\"yes\"/> <sleep ms=\"600000\"/> </config>");
	tb_wait_config_seen(c);
	CHECK(tb_heartbeat(c));
	while (c->beats_answered < 4)
		tb_wait();
}

TEST(DMY_0007, "a dummy that spins answers no heartbeat and stops nobody else")
{
	struct tb_child *s = start("spinner", "<config> <spin/> </config>");

	while (!s->heartbeat_sigh)
		tb_wait();
	/* its entrypoint spins from the moment its config was read */
	tb_wait_config_seen(s);
	CHECK(tb_heartbeat(s));
	struct tb_child *c = start("neighbour", "<config> <sleep ms=\"20\"/> <exit value=\"8\"/> </config>");
	CHECK_EQ(tb_wait_exit(c), 8);
	sleep_ms(20);
	CHECK_EQ(s->beats_answered, 0);
	CHECK(!s->exited);
}

TEST(DMY_0008, "a bad action is reported and stops the list; a new config starts afresh")
{
	struct tb_child *c = start("confused",
		"<config> <log string=\"before\"/> <frobnicate/> <exit value=\"3\"/> </config>");

	while (!c->heartbeat_sigh)
		tb_wait();
	tb_wait_config_seen(c);
	/* it stopped at the bad action but is alive: it answers a heartbeat */
	CHECK(tb_heartbeat(c));
	while (c->beats_answered < 1)
		tb_wait();
	CHECK(!c->exited);
	tb_set_config(c, "<config> <alloc size=\"lots\"/> <exit value=\"1\"/> </config>");
	tb_wait_config_seen(c);
	CHECK(tb_heartbeat(c));
	while (c->beats_answered < 2)
		tb_wait();
	CHECK(!c->exited);
	tb_set_config(c, "<config> <exit value=\"9\"/> </config>");
	CHECK_EQ(tb_wait_exit(c), 9);
}

TEST(DMY_0009, "a changed config ends a sleep and runs the new list")
{
	struct tb_child *c = start("sleeper", "<config> <sleep ms=\"600000\"/> <exit value=\"1\"/> </config>");

	while (c->session_requests < 3)   /* LOG, config, Timer */
		tb_wait();
	tb_set_config(c, "<config> <log string=\"reconfigured\"/> <exit value=\"10\"/> </config>");
	CHECK_EQ(tb_wait_exit(c), 10);
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("dummy_test", setup);
}
