/*
 * testbed (testbed.h): a minimal parent and test runner for the tests of
 * os/ services. Trusts core and the test; children are trusted for
 * nothing: their requests are checked, their donations come from their
 * own PDs, a child that is being destroyed is answered DENIED.
 *
 * Threads: the main entrypoint serves the children's parent interface
 * and their config ROMs (parent.c, children.c); the router thread
 * carries out requests that involve a child server (session, upgrade,
 * close), answering with deferred replies (router.c); the runner thread
 * runs the test cases with the harness (this file; the test's own
 * sessions: sessions.c).
 * tb_lock guards the session tables, the list of children and the
 * router's queue.
 */
#include <argil/cthread.h>
#include <argil/kernel.h>
#include <argil/lock.h>
#include <stdarg.h>
#include "testbed.h"
#include "testbed_private.h"

struct component_env *tb_env;
cptr_t tb_ntfn;
volatile word_t tb_errors;
void (*tb_route_hook)(struct tb_child *, const char *, const char *, struct tb_route *);

static word_t tb_ntfn_handle;
struct lock tb_lock;
struct tb_child *tb_children;

void tb_error(const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("testbed error: %s\n", buf);
	tb_errors++;
}

void tb_notify(void)
{
	sys_signal(tb_ntfn);
}

void tb_wait(void)
{
	sys_wait(tb_ntfn);
}

/* ---- the runner (the harness's, lib/harness) ---- */

static const char *run_name;
static void (*run_setup)(void);
static struct cthread runner;
static word_t errors_before;

/* Children are listed newest first, so clients go before their servers. */
static void destroy_case_children(void)
{
	for (;;) {
		struct tb_child *victim = 0;
		for (struct tb_child *c = tb_children; c && !victim; c = c->next)
			if (!c->persistent)
				victim = c;
		if (!victim)
			return;
		tb_destroy(victim);
	}
}

/* Children and sessions the setup made survive every case. */
static void setup(void)
{
	run_setup();
	for (struct tb_child *c = tb_children; c; c = c->next)
		c->persistent = 1;
	for (int i = 0; i < TB_OWN_MAX; i++)
		tb_owns[i].persistent = tb_owns[i].server != 0;
}

static void before(void)
{
	errors_before = tb_errors;
	sys_poll(tb_ntfn);
}

static int after(const char *id)
{
	int left = tb_close_leftovers();
	destroy_case_children();
	if (left)
		tb_error("the case left %d sessions open", left);
	if (tb_errors == errors_before)
		return 0;
	printf("FAIL %s: the testbed saw %lu errors\n", id, tb_errors - errors_before);
	return 1;
}

static void cleanup(void)
{
	tb_close_leftovers();
	destroy_case_children();
}

static void status_name(char *buf, unsigned long size, long st, int detail)
{
	(void)detail;
	snprintf(buf, size, "%s", rpc_status_name((rpc_status_t)st));
}

static void run_all(void *arg)
{
	struct test_suite suite = {
		.name = run_name, .setup = run_setup ? setup : 0, .before = before,
		.after = after, .cleanup = cleanup, .status_name = status_name,
	};

	(void)arg;
	component_exit(test_run(&suite) ? 1 : 0);
}

void tb_run(const char *name, void (*setup)(void))
{
	tb_env = component_env();
	run_name = name;
	run_setup = setup;
	tb_ntfn = cap_slot_alloc();
	tb_router_ntfn = cap_slot_alloc();
	if (!tb_ntfn || !tb_router_ntfn ||
	    pd_alloc_ntfn(tb_env->pd, tb_ntfn, &tb_ntfn_handle) != RPC_OK ||
	    pd_alloc_ntfn(tb_env->pd, tb_router_ntfn, &tb_router_ntfn_handle) != RPC_OK) {
		printf("%s: no notifications\n", name);
		component_exit(2);
	}
	/* the entrypoint (the main thread) outranks the router, the router
	 * the runner, and the runner the children */
	if (cthread_create(&tb_router, tb_router_loop, 0, 180, 0, 32 * 1024, 0) != RPC_OK ||
	    cthread_create(&runner, run_all, 0, 160, 0, 60 * 1024, 0) != RPC_OK) {
		printf("%s: no threads\n", name);
		component_exit(2);
	}
}
