/*
 * Framework benchmarks (bench/README.md, "Framework benchmarks"): core
 * boots this component as init. It starts a copy of itself as a child
 * server and times RPC through the framework, and it times some of core's
 * operations. Figures are instructions (-icount shift=0). The JSON result
 * lines go to the kernel console directly (without the LOG label, which
 * tools/run.py --bench does not expect).
 */
#include <argil/args.h>
#include <child.h>
#include <argil/component.h>
#include <argil/cpu.h>
#include <argil/cthread.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <argil/thread.h>
#include <arch/syscall.h>

#define RUNS 201
#define WARMUP 20
#define PRIO 100
#define OP_NOP 1

static struct component_env *env;
static word_t overhead;
static cptr_t done_ntfn;

static inline word_t ts(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((word_t)hi << 32) | lo;
}

static void fail(const char *what, rpc_status_t st)
{
	printf("FAIL core_bench: %s: %s\n", what, rpc_status_name(st));
	component_exit(1);
}

static void check(rpc_status_t st, const char *what)
{
	if (st != RPC_OK)
		fail(what, st);
}

static void report_n(const char *name, word_t *s, int runs)
{

	bench_sort(s, runs);
	word_t med = s[runs / 2] - overhead, min = s[0] - overhead, max = s[runs - 1] - overhead;
	printf("core_bench: %s: median %lu min %lu max %lu (%d runs, timestamp overhead %lu subtracted)\n",
	       name, med, min, max, runs, overhead);
	bench_line(name, med, "instructions");
}

static void report(const char *name, word_t *s)
{
	report_n(name, s, RUNS);
}

/* ---- the child server: one RPC object, announced to the parent ---- */

static struct rpc_object nop;

static void nop_handler(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	(void)o;
	(void)req;
	(void)rep;
}

static void serve(void)
{
	check(ep_manage(&env->ep, &nop, nop_handler, 0), "server object");
	check(parent_announce(env->parent, "Nop", ep_cap(&env->ep, &nop)), "announce");
}

/* ---- the started child of component_start: its first log line, then
 * the timestamp right after it as its exit value ---- */

static void hello(void)
{
	log("hello");
	word_t t = ts();
	parent_exit(env->parent, t);
	for (;;)
		sys_wait(COMPONENT_MAIN_NTFN);
}

/* ---- the parent side ---- */

static struct rpc_object child_obj;
static struct child child;
static volatile cptr_t server_cap;
static word_t child_sessions[8], nchild_sessions;

static void child_parent(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	char service[SERVICE_NAME_MAX], label[SESSION_LABEL_MAX], args[SESSION_ARGS_MAX];
	word_t pos = 2, id;
	cptr_t cap;

	(void)o;
	switch (req->label) {
	case PARENT_SESSION:
		if (rpc_get_str(req, &pos, service, sizeof(service)) != RPC_OK ||
		    rpc_get_str(req, &pos, label, sizeof(label)) != RPC_OK ||
		    rpc_get_str(req, &pos, args, sizeof(args)) != RPC_OK || nchild_sessions == 8) {
			rep->label = RPC_E_INVALID_ARGUMENT;
			return;
		}
		rep->label = parent_session(env->parent, service, "server", args, rpc_word(req, 0),
					    rpc_word(req, 1), child.pd, &cap, &id);
		if (rep->label == RPC_OK) {
			child_sessions[nchild_sessions++] = id;
			rep->cap = cap;
			rpc_put(rep, id);
			env->ep.release_after_reply = cap;
		}
		return;
	case PARENT_ANNOUNCE:
		if (req->cap_kind != RPC_CAP_PLACED) {
			rep->label = RPC_E_INVALID_CAP;
			return;
		}
		server_cap = req->cap;
		req->cap = 0;   /* keep it */
		signal_submit(done_ntfn);
		return;
	default:
		rep->label = RPC_E_UNAVAILABLE;
	}
}

static void bench_rpc(void)
{
	static word_t s[RUNS];
	struct rpc_msg m;

	while (!server_cap)
		sys_wait(done_ntfn);
	for (int i = -WARMUP; i < RUNS; i++) {
		rpc_init(&m, OP_NOP);
		word_t t0 = ts();
		rpc_status_t st = rpc_call(server_cap, &m);
		word_t t1 = ts();
		if (st != RPC_OK)
			fail("rpc to the child", st);
		if (i >= 0)
			s[i] = t1 - t0;
	}
	report("rpc_roundtrip", s);
	for (int i = -WARMUP; i < RUNS; i++) {
		struct pd_quota q;
		word_t t0 = ts();
		rpc_status_t st = pd_quota(env->pd, &q);
		word_t t1 = ts();
		if (st != RPC_OK)
			fail("PD_QUOTA", st);
		if (i >= 0)
			s[i] = t1 - t0;
	}
	report("core_rpc_roundtrip", s);
}

/* The parent interface of the children of component_start: LOG (and any
 * other session) routed to core, paid by the child; the exit value is the
 * child's timestamp after its first log line. */
static struct rpc_object hello_obj;
static struct child hello_child;
static volatile word_t hello_ts;

static void hello_parent(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	char service[SERVICE_NAME_MAX], label[SESSION_LABEL_MAX], args[SESSION_ARGS_MAX];
	word_t pos = 2, id;
	cptr_t cap;

	(void)o;
	switch (req->label) {
	case PARENT_SESSION:
		if (rpc_get_str(req, &pos, service, sizeof(service)) != RPC_OK ||
		    rpc_get_str(req, &pos, label, sizeof(label)) != RPC_OK ||
		    rpc_get_str(req, &pos, args, sizeof(args)) != RPC_OK) {
			rep->label = RPC_E_INVALID_ARGUMENT;
			return;
		}
		/* the session is paid by the child's PD: destroying it closes the session */
		rep->label = parent_session(env->parent, service, "hello", args, rpc_word(req, 0),
					    rpc_word(req, 1), hello_child.pd, &cap, &id);
		if (rep->label == RPC_OK) {
			rep->cap = cap;
			rpc_put(rep, id);
			env->ep.release_after_reply = cap;
		}
		return;
	case PARENT_EXIT:
		hello_ts = rpc_word(req, 0);
		signal_submit(done_ntfn);
		return;
	default:
		rep->label = RPC_E_UNAVAILABLE;
	}
}

#define START_RUNS 21
#define START_WARMUP 3

static void bench_start(void)
{
	static word_t s[START_RUNS];
	struct child_spec spec = { .name = "hello", .binary = "init", .ram = 2 << 20, .caps = 64,
				   .priority = PRIO, .args = "mode=hello",
				   .parent_cap = ep_cap(&env->ep, &hello_obj) };

	for (int i = -START_WARMUP; i < START_RUNS; i++) {
		hello_ts = 0;
		word_t t0 = ts();
		rpc_status_t st = child_start(env->parent, &spec, &hello_child);
		if (st != RPC_OK)
			fail("starting a child", st);
		while (!hello_ts)
			sys_wait(done_ntfn);
		if (hello_ts < t0)
			fail("the child's timestamp", RPC_E_INVALID_ARGUMENT);
		if (i >= 0)
			s[i] = hello_ts - t0;
		check(child_destroy(env->parent, &hello_child), "destroying the child");
	}
	report_n("component_start", s, START_RUNS);
}

static void bench_sessions(void)
{
	static word_t s[RUNS];

	for (int i = -WARMUP; i < RUNS; i++) {
		cptr_t cap;
		word_t id;
		word_t t0 = ts();
		rpc_status_t st = parent_session(env->parent, "LOG", "bench", "", LOG_SESSION_RAM,
						 LOG_SESSION_CAPS, 0, &cap, &id);
		if (st == RPC_OK)
			st = parent_close(env->parent, id);
		word_t t1 = ts();
		if (st != RPC_OK)
			fail("LOG session", st);
		cap_slot_free(cap);
		if (i >= 0)
			s[i] = t1 - t0;
	}
	report("session_open_close", s);
}

static void bench_ram(void)
{
	static word_t s[RUNS], f[RUNS];

	for (int i = -WARMUP; i < RUNS; i++) {
		cptr_t ds;
		word_t a;
		word_t t0 = ts();
		rpc_status_t st = pd_alloc_ram(env->pd, 4096, &ds);
		if (st == RPC_OK)
			st = pd_attach(env->pd, ds, 0, 0, 0, ATTACH_WRITE, &a);
		word_t t1 = ts();
		if (st != RPC_OK)
			fail("RAM", st);
		*(volatile char *)a = 1;   /* the first touch: a fault core resolves */
		word_t t2 = ts();
		if (i >= 0) {
			s[i] = t1 - t0;
			f[i] = t2 - t1;
		}
		check(pd_detach(env->pd, a), "detach");
		check(pd_free_ram(env->pd, ds), "free");
		cap_slot_free(ds);
	}
	report("ram_alloc_attach", s);
	report("fault_resolve", f);
}

static void nothing(void *arg)
{
	(void)arg;
}

static void bench_threads(void)
{
	static word_t s[RUNS];

	for (int i = -WARMUP; i < RUNS; i++) {
		struct cthread t;
		word_t t0 = ts();
		rpc_status_t st = cthread_create(&t, nothing, 0, PRIO - 1, 0, 8192, 0);
		if (st == RPC_OK)
			st = cthread_destroy(&t);
		word_t t1 = ts();
		if (st != RPC_OK)
			fail("thread", st);
		if (i >= 0)
			s[i] = t1 - t0;
	}
	report("thread_create_destroy", s);
}

static void run(void *arg)
{
	(void)arg;
	for (int i = -WARMUP; i < RUNS; i++) {
		word_t t0 = ts();
		word_t t1 = ts();
		if (i == RUNS / 2)
			overhead = t1 - t0;
	}
	bench_rpc();
	bench_sessions();
	bench_ram();
	bench_threads();
	bench_start();
	child_destroy(env->parent, &child);
	printf("core_bench: done\n");
	component_exit(0);
}

/* core_ram_per_gib: the RAM core keeps for itself (its image with static
 * tables, its own kernel objects and heap, as when it started init) per
 * GiB of the RAM it manages. Not an instruction count: bytes. */
static void ram_per_gib(void)
{
	struct core_stats s;

	check(pd_core_stats(env->pd, &s), "PD_CORE_STATS");
	if (!s.ram_total || s.core_ram_kept < s.core_image || s.core_ram_kept > s.ram_total) {
		printf("FAIL core_bench: inconsistent figures: kept %lu image %lu RAM %lu\n",
		       s.core_ram_kept, s.core_image, s.ram_total);
		component_exit(1);
	}
	word_t per_gib = (word_t)(((__uint128_t)s.core_ram_kept << 30) / s.ram_total);
	printf("core_bench: core_ram_per_gib: core keeps %lu bytes of %lu MiB RAM: %lu bytes per GiB\n",
	       s.core_ram_kept, s.ram_total >> 20, per_gib);
	bench_line("core_ram_per_gib", per_gib, "bytes");
}

void component_construct(struct component_env *e)
{
	static struct cthread runner;
	char mode[16] = "";
	word_t h;

	env = e;
	args_get(e->info->args, "mode", mode, sizeof(mode));
	if (!strcmp(mode, "server")) {
		serve();
		return;
	}
	if (!strcmp(mode, "hello"))
		hello();
	ram_per_gib();
	done_ntfn = cap_slot_alloc();
	check(pd_alloc_ntfn(e->pd, done_ntfn, &h), "notification");
	check(ep_manage(&e->ep, &child_obj, child_parent, 0), "parent object");
	check(ep_manage(&e->ep, &hello_obj, hello_parent, 0), "parent object");
	struct child_spec spec = { .name = "server", .binary = "init", .ram = 2 << 20, .caps = 64,
				   .priority = PRIO, .args = "mode=server",
				   .parent_cap = ep_cap(&e->ep, &child_obj) };
	check(child_start(e->parent, &spec, &child), "starting the server");
	/* the runner has the server's priority (for the IPC fastpath); this
	 * thread, the entrypoint, is above both */
	check(cthread_create(&runner, run, 0, PRIO, 0, 32 * 1024, 0), "runner");
}
