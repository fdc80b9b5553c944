/*
 * core_test's runner, shared helpers, and the parent interface it serves
 * for its helper children (sessions are passed on to core, paid by the
 * child's own PD).
 */
#include "test.h"
#include <argil/args.h>
#include <argil/setjmp.h>
#include <stdarg.h>

extern const struct test_case __tests_start[], __tests_end[];

struct component_env *tenv;
cptr_t test_ntfn;
word_t test_ntfn_handle;

static const struct test_case *current;
static base_jmp_buf case_jmp;
static struct cthread runner;
static int passed, failed;

void test_fail(const char *file, int line, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("FAIL %s: %s:%d: %s\n", current ? current->id : "?", file, line, buf);
	base_longjmp(case_jmp, 1);
}

void wait_signal(void)
{
	sys_wait(test_ntfn);
}

rpc_status_t try_session(const char *service, const char *label, const char *args, word_t ram,
			 word_t caps, cptr_t payer, cptr_t *cap, word_t *id)
{
	return parent_session(tenv->parent, service, label, args, ram, caps, payer, cap, id);
}

cptr_t session(const char *service, const char *label, const char *args, word_t ram, word_t caps,
	       word_t *id)
{
	cptr_t cap = 0;

	CHECK_OK(try_session(service, label, args, ram, caps, 0, &cap, id));
	return cap;
}

void close_session(word_t id, cptr_t cap)
{
	CHECK_OK(parent_close(tenv->parent, id));
	cap_slot_free(cap);
}

struct pd_quota quota_of(cptr_t pd)
{
	struct pd_quota q;

	CHECK_OK(pd_quota(pd, &q));
	return q;
}

struct core_stats stats(void)
{
	struct core_stats s;

	CHECK_OK(pd_core_stats(tenv->pd, &s));
	return s;
}

int stats_equal(const struct core_stats *a, const struct core_stats *b)
{
	return a->ram_free == b->ram_free && a->untyped_free == b->untyped_free &&
	       a->slots_free == b->slots_free && a->leaves_free == b->leaves_free &&
	       a->objects_used == b->objects_used && a->heap_used == b->heap_used;
}

void stats_print(const char *what, const struct core_stats *s)
{
	printf("core_test: %s: free RAM %lu bytes, free untyped blocks %lu, core slots free %lu, "
	       "CSpace leaves free %lu, objects %lu, core heap %lu bytes\n", what, s->ram_free,
	       s->untyped_free, s->slots_free, s->leaves_free, s->objects_used, s->heap_used);
}

void *ram_map(word_t size, cptr_t *ds)
{
	word_t addr;

	CHECK_OK(pd_alloc_ram(tenv->pd, size, ds));
	CHECK_OK(pd_attach(tenv->pd, *ds, 0, 0, 0, ATTACH_WRITE, &addr));
	return (void *)addr;
}

void ram_unmap(void *p, cptr_t ds)
{
	CHECK_OK(pd_detach(tenv->pd, (word_t)p));
	CHECK_OK(pd_free_ram(tenv->pd, ds));
	cap_slot_free(ds);
}

void worker_start(struct cthread *t, void (*fn)(void *), void *arg)
{
	CHECK_OK(cthread_create(t, fn, arg, WORKER_PRIO, 0, 16 * 1024, 0));
	/* tell us when it is done */
	((struct thread_info *)t->window)->exit_ntfn = test_ntfn;
}

void worker_join(struct cthread *t)
{
	while (!cthread_exited(t))
		wait_signal();
	CHECK_OK(cthread_destroy(t));
}

/* ---- the parent interface for helper children ---- */

static void child_parent(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct tchild *t = o->data;
	char service[SERVICE_NAME_MAX], label[SESSION_LABEL_MAX], args[SESSION_ARGS_MAX];
	char full[SESSION_LABEL_MAX];
	word_t pos = 2, id;
	cptr_t cap;

	switch (req->label) {
	case PARENT_SESSION:
		if (rpc_get_str(req, &pos, service, sizeof(service)) != RPC_OK ||
		    rpc_get_str(req, &pos, label, sizeof(label)) != RPC_OK ||
		    rpc_get_str(req, &pos, args, sizeof(args)) != RPC_OK) {
			rep->label = RPC_E_INVALID_ARGUMENT;
			return;
		}
		if (t->nsessions >= 16) {
			rep->label = RPC_E_DENIED;
			return;
		}
		if ((t->flags & HELPER_NO_DEVICES) &&
		    (!strcmp(service, "IO_PORT") || !strcmp(service, "IO_MEM") || !strcmp(service, "IRQ") ||
		     !strcmp(service, "DMA"))) {
			rep->label = RPC_E_DENIED;
			return;
		}
		if (label[0])
			snprintf(full, sizeof(full), "%s -> %s", t->name, label);
		else
			snprintf(full, sizeof(full), "%s", t->name);
		/* the child pays: its PD is the payer at core */
		rep->label = parent_session(tenv->parent, service, full, args, rpc_word(req, 0),
					    rpc_word(req, 1), t->c.pd, &cap, &id);
		if (rep->label != RPC_OK)
			return;
		t->ids[t->nsessions] = id;
		t->caps[t->nsessions++] = cap;
		rep->cap = cap;
		rpc_put(rep, id);
		signal_submit(test_ntfn);
		return;
	case PARENT_CLOSE:
		for (int i = 0; i < t->nsessions; i++) {
			if (t->ids[i] != rpc_word(req, 0))
				continue;
			rep->label = parent_close(tenv->parent, t->ids[i]);
			cap_slot_free(t->caps[i]);
			t->ids[i] = t->ids[--t->nsessions];
			t->caps[i] = t->caps[t->nsessions];
			return;
		}
		rep->label = RPC_E_NOT_FOUND;
		return;
	case PARENT_HEARTBEAT_SIGH:
		if (req->cap_kind != RPC_CAP_PLACED) {
			rep->label = RPC_E_INVALID_CAP;
			return;
		}
		if (t->heartbeat)
			cap_slot_free(t->heartbeat);
		t->heartbeat = req->cap;
		req->cap = 0;   /* keep it */
		signal_submit(test_ntfn);
		return;
	case PARENT_HEARTBEAT_RESPONSE:
		t->beats++;
		signal_submit(test_ntfn);
		return;
	case PARENT_EXIT:
		t->exit_value = rpc_word(req, 0);
		t->exited = 1;
		signal_submit(test_ntfn);
		return;
	default:
		rep->label = RPC_E_UNAVAILABLE;
	}
}

static void mute_parent(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	(void)o;
	(void)req;
	rep->label = RPC_E_DENIED;
}

rpc_status_t helper_start(struct tchild *t, const char *name, const char *args, word_t ram,
			  word_t caps)
{
	return helper_start_bin(t, "core_test_helper", name, args, ram, caps, 0);
}

rpc_status_t helper_start_bin(struct tchild *t, const char *binary, const char *name,
			      const char *args, word_t ram, word_t caps, int flags)
{
	struct child_spec spec;
	rpc_status_t st;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->flags = flags;
	st = ep_manage(&tenv->ep, &t->obj, flags & HELPER_MUTE ? mute_parent : child_parent, t);
	if (st != RPC_OK)
		return st;
	memset(&spec, 0, sizeof(spec));
	spec.name = name;
	spec.binary = binary;
	spec.ram = ram;
	spec.caps = caps;
	spec.priority = WORKER_PRIO;
	spec.args = args;
	spec.parent_cap = ep_cap(&tenv->ep, &t->obj);
	st = child_start(tenv->parent, &spec, &t->c);
	if (st != RPC_OK)
		ep_dissolve(&tenv->ep, &t->obj);
	return st;
}

void helper_destroy(struct tchild *t)
{
	/* its sessions at core are closed with its PD (they are paid by it) */
	for (int i = 0; i < t->nsessions; i++)
		cap_slot_free(t->caps[i]);
	t->nsessions = 0;
	if (t->heartbeat)
		cap_slot_free(t->heartbeat);
	t->heartbeat = 0;
	CHECK_OK(child_destroy(tenv->parent, &t->c));
	ep_dissolve(&tenv->ep, &t->obj);
}

word_t helper_wait_exit(struct tchild *t)
{
	while (!t->exited)
		wait_signal();
	return t->exit_value;
}

/* ---- the runner ---- */

/* Which cases run: the ROM "core_test_select", if there is one, lists ID
 * prefixes (separated by blanks) and only cases matching one of them run
 * (run/resource_release, run/isolation); without it every case runs
 * except the long scenarios below, which have their own run files. */
static char select_list[128];
static const char *const scenario_only[] = { "SCALE_", "ISO_" };

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The words of the selection: ID prefixes, and key=N parameters. */
static int prefix_in(const char *id, const char *list)
{
	const char *p = list;

	while (*p) {
		while (blank(*p))
			p++;
		size_t n = 0;
		int param = 0;
		while (p[n] && !blank(p[n]))
			param |= p[n++] == '=';
		if (n && !param && !strncmp(id, p, n))
			return 1;
		p += n;
	}
	return 0;
}

word_t select_param(const char *key, word_t def)
{
	size_t k = strlen(key);

	for (const char *p = select_list; *p; p++) {
		if ((p == select_list || blank(p[-1])) && !strncmp(p, key, k) && p[k] == '=') {
			word_t v = 0;
			p += k + 1;
			if (*p < '0' || *p > '9')
				return def;
			while (*p >= '0' && *p <= '9')
				v = v * 10 + (word_t)(*p++ - '0');
			return v;
		}
	}
	return def;
}

static int selected(const char *id)
{
	if (select_list[0])
		return prefix_in(id, select_list);
	for (size_t i = 0; i < sizeof(scenario_only) / sizeof(scenario_only[0]); i++)
		if (!strncmp(id, scenario_only[i], strlen(scenario_only[i])))
			return 0;
	return 1;
}

static void read_selection(void)
{
	struct attached_rom r;
	rpc_status_t st = attached_rom_open(&r, "core_test_select");

	if (st == RPC_E_NOT_FOUND)
		return;
	if (st != RPC_OK) {
		printf("core_test: ROM core_test_select: %s\n", rpc_status_name(st));
		component_exit(2);
	}
	word_t n = r.size < sizeof(select_list) - 1 ? r.size : sizeof(select_list) - 1;
	if (r.data)
		memcpy(select_list, r.data, n);
	select_list[n] = 0;
	attached_rom_close(&r);
	const char *p = select_list;
	while (blank(*p))
		p++;
	if (!*p) {
		printf("core_test: ROM core_test_select selects nothing\n");
		component_exit(2);
	}
	printf("core_test: only cases starting with: %s\n", select_list);
}

static void run_all(void *arg)
{
	(void)arg;
	for (const struct test_case *volatile c = __tests_start; c < __tests_end; c++) {
		if (!selected(c->id))
			continue;
		struct pd_quota before = quota_of(tenv->pd), after;
		current = c;
		sys_poll(test_ntfn);   /* forget stale signals */
		if (base_setjmp(case_jmp) == 0) {
			c->fn();
			after = quota_of(tenv->pd);
			if (after.ram_used != before.ram_used || after.cap_used != before.cap_used ||
			    after.ram_quota != before.ram_quota || after.cap_quota != before.cap_quota) {
				printf("FAIL %s: our account changed: ram %lu/%lu -> %lu/%lu, caps %lu/%lu -> %lu/%lu\n",
				       c->id, before.ram_used, before.ram_quota, after.ram_used, after.ram_quota,
				       before.cap_used, before.cap_quota, after.cap_used, after.cap_quota);
				failed++;
			} else {
				printf("ok %s %s\n", c->id, c->desc);
				passed++;
			}
		} else {
			failed++;
		}
		current = 0;
	}
	printf("core_test: %d passed, %d failed\n", passed, failed);
	component_exit(failed ? 1 : 0);
}

void component_construct(struct component_env *env)
{
	tenv = env;
	test_ntfn = cap_slot_alloc();
	if (pd_alloc_ntfn(env->pd, test_ntfn, &test_ntfn_handle) != RPC_OK) {
		printf("core_test: no notification\n");
		component_exit(2);
	}
	read_selection();
	/* warm up what grows once and stays: the heap's first chunk, the object table */
	static struct rpc_object warm[64];
	for (int i = 0; i < 64; i++)
		ep_manage(&env->ep, &warm[i], 0, 0);
	for (int i = 0; i < 64; i++)
		ep_dissolve(&env->ep, &warm[i]);
	/* the entrypoint (this thread) outranks the runner, so children are served */
	if (cthread_create(&runner, run_all, 0, 200, 0, 60 * 1024, 0) != RPC_OK) {
		printf("core_test: no runner thread\n");
		component_exit(2);
	}
}
