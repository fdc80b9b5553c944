/*
 * init_test_child: a test component for init, told by its config ROM
 * (served by init from the <start> node's embedded <config>) what to do:
 *   <config mode="server"/>          provide the "Hello" service (add two
 *                                    numbers, tell the session's label);
 *                                    service="S": under the name S;
 *                                    relay="R": before it answers a
 *                                    session request, open and close a
 *                                    session of service R through init
 *                                    (init waits for this server's answer
 *                                    meanwhile)
 *   <config mode="exit" value="N"/>  log a line and exit with N
 *   <config mode="client" test="init_smoke"/>
 *                                    use "Hello" through init and check
 *                                    routing and quota (front="yes": also
 *                                    a session of "Front", a relay);
 *                                    prints
 *                                    "<test>: N passed, N failed"
 *   <config mode="log" text=".."/>   log the text and stay
 *   <config mode="fault"/>           write to an unmapped address
 *   <config mode="rom_server"> <step> <config>..</config> </step> ..
 *                                    provide "ROM" with the <config> of
 *                                    the current step; each new "Step"
 *                                    session moves to the next step
 *   <config mode="watch" text=".." step="yes" expect="a|b" test=".."/>
 *                                    log the text after every config
 *                                    change, open a Step session, check
 *                                    the sequence of texts
 */
#include <argil/component.h>
#include <argil/config.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/rom.h>
#include <argil/root.h>
#include <argil/slot.h>
#include <argil/string.h>

enum hello_op { HELLO_ADD = 1, HELLO_LABEL };

static struct component_env *env;
static int passed, failed;

static const char *strchr_(const char *s, char c)
{
	for (; *s; s++)
		if (*s == c)
			return s;
	return 0;
}

static void check(int ok, const char *what);
static struct attached_rom config_rom;
static struct cfg_node *config;

/* ---- sessions, as both servers keep them ---- */

/* The head of every session object: its RPC object, its id, the list */
struct session_link {
	struct rpc_object obj;
	word_t id;
	struct session_link *next;
};

static word_t next_id = 1;

/* A new zeroed session of size bytes (a struct beginning with its
 * session_link) served by h, put on *list and into the reply (its cap and
 * id); NULL with the reply's error if there is no memory or slot. */
static void *session_open(struct session_link **list, size_t size, rpc_handler_t h,
                          struct rpc_msg *rep)
{
	struct session_link *l = malloc(size);

	if (!l) {
		rep->label = RPC_E_NO_RAM_QUOTA;
		return 0;
	}
	memset(l, 0, size);
	if (ep_manage(&env->ep, &l->obj, h, l) != RPC_OK) {
		free(l);
		rep->label = RPC_E_NO_CAP_QUOTA;
		return 0;
	}
	l->id = next_id++;
	l->next = *list;
	*list = l;
	rep->cap = ep_cap(&env->ep, &l->obj);
	rpc_put(rep, l->id);
	return l;
}

/* The session the close request names, taken off *list and dissolved;
 * NULL with RPC_E_NOT_FOUND in the reply if there is none. The caller
 * frees it. */
static void *session_close(struct session_link **list, struct rpc_msg *req, struct rpc_msg *rep)
{
	for (struct session_link **pp = list; *pp; pp = &(*pp)->next) {
		struct session_link *l = *pp;

		if (l->id != rpc_word(req, 0))
			continue;
		*pp = l->next;
		ep_dissolve(&env->ep, &l->obj);
		return l;
	}
	rep->label = RPC_E_NOT_FOUND;
	return 0;
}

/* ---- server ---- */

struct hello_session {
	struct session_link link;
	char label[SESSION_LABEL_MAX];
};

static struct rpc_object root_obj;
static struct session_link *sessions;

static void hello_handler(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct hello_session *s = o->data;

	switch (req->label) {
	case HELLO_ADD:
		rpc_put(rep, rpc_word(req, 0) + rpc_word(req, 1));
		return;
	case HELLO_LABEL:
		rpc_put_str(rep, s->label);
		return;
	default:
		rep->label = RPC_E_ILLEGAL_OPERATION;
	}
}

static void root_handler(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	char label[SESSION_LABEL_MAX], args[SESSION_ARGS_MAX];
	struct hello_session *s;
	word_t pos = 2;

	(void)o;
	switch (req->label) {
	case ROOT_SESSION:
		if (rpc_get_str(req, &pos, label, sizeof(label)) != RPC_OK ||
		    rpc_get_str(req, &pos, args, sizeof(args)) != RPC_OK) {
			rep->label = RPC_E_INVALID_ARGUMENT;
			return;
		}
		if (rpc_word(req, 0) < sizeof(*s)) {
			rep->label = RPC_E_NO_RAM_QUOTA;
			return;
		}
		if (cfg_attr(config, "relay")) {
			/* a session of our own through init, which is waiting for
			 * this answer: init makes that call on another worker */
			cptr_t cap;
			word_t id;
			rpc_status_t st = parent_session(env->parent, cfg_attr(config, "relay"), "",
							 "", 4096, 2, 0, &cap, &id);
			log("relay: a %s session while init waits for us: %s", cfg_attr(config, "relay"),
			    rpc_status_name(st));
			if (st != RPC_OK) {
				rep->label = st;
				return;
			}
			parent_close(env->parent, id);
			cap_slot_free(cap);
		}
		s = session_open(&sessions, sizeof(*s), hello_handler, rep);
		if (!s)
			return;
		memcpy(s->label, label, sizeof(label));
		log("session for '%s'", s->label);
		return;
	case ROOT_UPGRADE:
		return;
	case ROOT_CLOSE:
		s = session_close(&sessions, req, rep);
		if (s) {
			log("session for '%s' closed", s->label);
			free(s);
		}
		return;
	default:
		rep->label = RPC_E_ILLEGAL_OPERATION;
	}
}

static void run_server(void)
{
	rpc_status_t st = ep_manage(&env->ep, &root_obj, root_handler, 0);

	const char *name = cfg_attr(config, "service") ? cfg_attr(config, "service") : "Hello";

	if (st == RPC_OK)
		st = parent_announce(env->parent, name, ep_cap(&env->ep, &root_obj));
	log("%s service %s", name, st == RPC_OK ? "announced" : rpc_status_name(st));
}

/* ---- rom_server: serves the <config> of its <step> nodes as ROM, one
 * after the other; opening a "Step" session moves to the next ---- */

struct rom_session {
	struct session_link link;
	cptr_t sigh;
};

static struct rpc_object rom_root, step_root;
static struct session_link *roms;
static const struct cfg_node *step;
static unsigned step_no;
static cptr_t step_ds;
static word_t step_len;

static rpc_status_t step_load(void)
{
	const struct cfg_node *c = cfg_child(step, "config");
	word_t addr;
	size_t n = c ? cfg_print(c, NULL, 0) : 0;
	rpc_status_t st;

	/* printed straight into the dataspace: a step may be of any size */
	st = pd_alloc_ram(env->pd, (n + 4096) & ~4095ul, &step_ds);
	if (st != RPC_OK)
		return st;
	st = pd_attach(env->pd, step_ds, 0, 0, 0, ATTACH_WRITE, &addr);
	if (st != RPC_OK)
		return st;
	if (c)
		cfg_print(c, (char *)addr, n + 1);
	pd_detach(env->pd, addr);
	step_len = n;
	return RPC_OK;
}

static void rom_handler(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct rom_session *s = o->data;

	switch (req->label) {
	case ROM_DATASPACE:
		rep->cap = step_ds;
		rpc_put(rep, step_len);
		return;
	case ROM_SIGH:
		rep->label = rpc_take_sigh(req, &s->sigh, true);
		return;
	case ROM_UPDATE:
		rpc_put(rep, 0);
		return;
	default:
		rep->label = RPC_E_ILLEGAL_OPERATION;
	}
}

static void step_next(void)
{
	const struct cfg_node *n = cfg_next(step, "step");
	rpc_status_t st;

	if (!n) {
		log("no step after step %u", step_no);
		return;
	}
	step = n;
	step_no++;
	st = step_load();
	log("step %u%s%s", step_no, st == RPC_OK ? "" : ": ", st == RPC_OK ? "" : rpc_status_name(st));
	for (struct session_link *l = roms; l; l = l->next) {
		struct rom_session *r = (struct rom_session *)l;

		if (r->sigh)
			signal_submit(r->sigh);
	}
}

static void rom_root_handler(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	struct rom_session *s;

	switch (req->label) {
	case ROOT_SESSION:
		s = session_open(&roms, sizeof(*s), o == &rom_root ? rom_handler : 0, rep);
		if (s && o == &step_root)
			step_next();
		return;
	case ROOT_UPGRADE:
		return;
	case ROOT_CLOSE:
		s = session_close(&roms, req, rep);
		if (s) {
			if (s->sigh)
				cap_slot_free(s->sigh);
			free(s);
		}
		return;
	default:
		rep->label = RPC_E_ILLEGAL_OPERATION;
	}
}

static void run_rom_server(void)
{
	rpc_status_t st;

	step = cfg_child(config, "step");
	step_no = 1;
	st = step ? step_load() : RPC_E_NOT_FOUND;
	if (st == RPC_OK)
		st = ep_manage(&env->ep, &rom_root, rom_root_handler, 0);
	if (st == RPC_OK)
		st = ep_manage(&env->ep, &step_root, rom_root_handler, 0);
	/* "ROM" last: init may call our root for a waiting client right after
	 * the announcement, which we must be free to answer (init's calls to
	 * servers are synchronous) */
	if (st == RPC_OK)
		st = parent_announce(env->parent, "Step", ep_cap(&env->ep, &step_root));
	if (st == RPC_OK)
		st = parent_announce(env->parent, "ROM", ep_cap(&env->ep, &rom_root));
	log("ROM and Step %s", st == RPC_OK ? "announced" : rpc_status_name(st));
}

/* ---- watch: log the config's text, again after each change; with
 * step="yes" open a Step session; with expect="t1|t2|..." check that the
 * texts seen so far are these and print "<test>: N passed, N failed"
 * once all were seen ---- */

static struct signal_handler watch_sigh;
static unsigned seen;
static cptr_t step_session;

static void watch_config(void)
{
	static void *arena;
	struct cfg_error err;
	const char *text, *expect, *test;
	char want[128];

	/* the tree of the previous content is no longer needed */
	free(arena);
	arena = malloc(cfg_arena_size(config_rom.size));
	if (!arena) {
		log("config: out of memory (%lu bytes to parse it)", (unsigned long)cfg_arena_size(config_rom.size));
		return;
	}
	if (!(config = cfg_parse(config_rom.data, config_rom.size, arena,
				 cfg_arena_size(config_rom.size), &err))) {
		log("bad config: %u:%u: %s", err.line, err.col, err.msg);
		return;
	}
	text = cfg_attr(config, "text");
	log("%s", text ? text : "");
	if (cfg_attr_is(config, "step", "yes") && !step_session) {
		word_t id;
		rpc_status_t st = parent_session(env->parent, "Step", "", "", 4096, 2, 0,
						 &step_session, &id);
		if (st != RPC_OK)
			log("Step session: %s", rpc_status_name(st));
	}
	expect = cfg_attr(config, "expect");
	test = cfg_attr(config, "test");
	if (!expect)
		return;
	/* the seen-th element of expect */
	const char *p = expect;
	for (unsigned i = 0; i < seen && p; i++) {
		p = strchr_(p, '|');
		if (p)
			p++;
	}
	size_t n = 0;
	while (p && p[n] && p[n] != '|' && n < sizeof(want) - 1)
		n++;
	memcpy(want, p ? p : "", n);
	want[n] = 0;
	check(text && !strcmp(text, want), "config text as expected");
	seen++;
	if (p && !p[n])
		log("%s: %d passed, %d failed", test ? test : "watch", passed, failed);
}

static void on_config_change(void *arg)
{
	(void)arg;
	if (attached_rom_update(&config_rom) != RPC_OK)
		log("config update failed");
	else
		watch_config();
}

static void run_watch(void)
{
	if (signal_handler_init(&env->ep, &watch_sigh, on_config_change, 0) != RPC_OK ||
	    rom_sigh(config_rom.session, watch_sigh.cap) != RPC_OK)
		log("config changes not watched");
	watch_config();
}

/* ---- client: the checks ---- */

static void check(int ok, const char *what)
{
	if (ok) {
		passed++;
		log("ok: %s", what);
	} else {
		failed++;
		log("FAIL: %s", what);
	}
}

static void run_client(const char *test)
{
	struct pd_quota q0, q1, q2;
	struct rpc_msg m;
	cptr_t hello = 0, cap = 0, rom = 0;
	word_t id = 0, rom_id = 0, pos = 0;
	char label[SESSION_LABEL_MAX];
	rpc_status_t st;

	check(pd_quota(env->pd, &q0) == RPC_OK, "own quota readable");
	st = parent_session(env->parent, "Hello", "", "", 16384, 4, 0, &hello, &id);
	check(st == RPC_OK, "Hello session routed to the server child");
	if (st == RPC_OK) {
		rpc_init(&m, HELLO_ADD);
		rpc_put(&m, 20);
		rpc_put(&m, 22);
		st = rpc_call_expect(hello, &m, 1, false);
		check(st == RPC_OK && m.w[0] == 42, "Hello add 20 + 22 = 42");
		rpc_init(&m, HELLO_LABEL);
		st = rpc_call_expect(hello, &m, 1, false);
		check(st == RPC_OK && rpc_get_str(&m, &pos, label, sizeof(label)) == RPC_OK &&
		      !strcmp(label, env->info->label),
		      "the server sees the label init gave: the client's name");
		check(pd_quota(env->pd, &q1) == RPC_OK && q1.ram_quota + 16384 == q0.ram_quota &&
		      q1.cap_quota + 4 == q0.cap_quota,
		      "the session's quota left our account");
		check(parent_upgrade(env->parent, id, 4096, 1, 0) == RPC_OK &&
		      pd_quota(env->pd, &q1) == RPC_OK && q1.ram_quota + 16384 + 4096 == q0.ram_quota &&
		      q1.cap_quota + 5 == q0.cap_quota,
		      "an upgrade moved 4096 bytes and a cap more");
		check(parent_close(env->parent, id) == RPC_OK, "Hello session closed");
		check(pd_quota(env->pd, &q2) == RPC_OK && q2.ram_quota == q0.ram_quota &&
		      q2.cap_quota == q0.cap_quota,
		      "closing returned the quota");
		rpc_init(&m, HELLO_ADD);
		check(rpc_call(hello, &m) != RPC_OK, "the closed session's capability is dead");
		cap_slot_free(hello);
		check(parent_close(env->parent, id) == RPC_E_NOT_FOUND, "closing it again: not found");
	}
	st = parent_session(env->parent, "Nope", "", "", 4096, 2, 0, &cap, &id);
	check(st == RPC_E_DENIED, "a service no route names is denied");
	st = parent_session(env->parent, "Hello", "", "", 4096, 2, 0, &cap, &id);
	check(st == RPC_OK, "a second Hello session");
	if (st == RPC_OK) {
		check(parent_close(env->parent, id) == RPC_OK, "second Hello session closed");
		cap_slot_free(cap);
	}
	st = parent_session(env->parent, "ROM", "init_test_child", "", ROM_SESSION_RAM,
			    ROM_SESSION_CAPS, 0, &rom, &rom_id);
	check(st == RPC_OK, "a ROM session routed to init's parent");
	if (st == RPC_OK) {
		cptr_t ds;
		word_t size = 0;
		st = rom_dataspace(rom, &ds, &size);
		check(st == RPC_OK && size > 64, "its dataspace holds the binary");
		if (st == RPC_OK)
			cap_slot_free(ds);
		check(parent_close(env->parent, rom_id) == RPC_OK, "ROM session closed");
		cap_slot_free(rom);
	}
	check(parent_close(env->parent, 12345) == RPC_E_NOT_FOUND, "closing an unknown id: not found");
	if (cfg_attr_is(config, "front", "yes")) {
		st = parent_session(env->parent, "Front", "", "", 16384, 4, 0, &cap, &id);
		check(st == RPC_OK, "a session of a server that opens one of its own through init "
				    "before it answers");
		if (st == RPC_OK) {
			check(parent_close(env->parent, id) == RPC_OK, "the Front session closed");
			cap_slot_free(cap);
		}
	}
	log("%s: %d passed, %d failed", test, passed, failed);
	component_exit(failed ? 1 : 0);
}

void component_construct(struct component_env *e)
{
	struct cfg_error err;
	void *arena;
	uint64_t value = 0;
	rpc_status_t st;

	env = e;
	st = attached_rom_open(&config_rom, "config");
	if (st != RPC_OK) {
		log("no config: %s", rpc_status_name(st));
		component_exit(2);
	}
	arena = malloc(cfg_arena_size(config_rom.size));
	if (!arena) {
		log("config: out of memory (%lu bytes to parse it)", (unsigned long)cfg_arena_size(config_rom.size));
		component_exit(2);
	}
	if (!(config = cfg_parse(config_rom.data, config_rom.size, arena,
				 cfg_arena_size(config_rom.size), &err))) {
		log("bad config: %u:%u: %s", err.line, err.col, err.msg);
		component_exit(2);
	}
	log("config: mode=%s", cfg_attr(config, "mode") ? cfg_attr(config, "mode") : "?");
	if (cfg_attr_is(config, "mode", "server")) {
		run_server();
	} else if (cfg_attr_is(config, "mode", "exit")) {
		cfg_attr_u64(config, "value", 0, &value);
		log("exiting with value %lu", (unsigned long)value);
		component_exit((int)value);
	} else if (cfg_attr_is(config, "mode", "client")) {
		const char *t = cfg_attr(config, "test");
		run_client(t ? t : "init_test_child");
	} else if (cfg_attr_is(config, "mode", "fault")) {
		log("touching 0x5000");
		*(volatile int *)0x5000 = 1;
		log("FAIL: the fault was resolved");
	} else if (cfg_attr_is(config, "mode", "rom_server")) {
		run_rom_server();
	} else if (cfg_attr_is(config, "mode", "watch")) {
		run_watch();
	} else if (cfg_attr_is(config, "mode", "log")) {
		const char *t = cfg_attr(config, "text");
		log("%s", t ? t : "");
	} else {
		log("unknown mode");
		component_exit(2);
	}
}
