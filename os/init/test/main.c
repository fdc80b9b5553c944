/*
 * init_test_child: a test component for init, told by its config ROM
 * (served by init from the <start> node's embedded <config>) what to do:
 *   <config mode="server"/>          provide the "Hello" service (add two
 *                                    numbers, tell the session's label)
 *   <config mode="exit" value="N"/>  log a line and exit with N
 *   <config mode="client" test="init_smoke"/>
 *                                    use "Hello" through init and check
 *                                    routing and quota; prints
 *                                    "<test>: N passed, N failed"
 *   <config mode="log" text=".."/>   log the text and stay
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
static struct attached_rom config_rom;
static struct cfg_node *config;

/* ---- server ---- */

struct hello_session {
	struct rpc_object obj;
	char label[SESSION_LABEL_MAX];
	word_t id;
	struct hello_session *next;
};

static struct rpc_object root_obj;
static struct hello_session *sessions;
static word_t next_id = 1;

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
	struct hello_session *s, **pp;
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
		s = malloc(sizeof(*s));
		if (!s) {
			rep->label = RPC_E_NO_RAM_QUOTA;
			return;
		}
		memset(s, 0, sizeof(*s));
		memcpy(s->label, label, sizeof(label));
		if (ep_manage(&env->ep, &s->obj, hello_handler, s) != RPC_OK) {
			free(s);
			rep->label = RPC_E_NO_CAP_QUOTA;
			return;
		}
		s->id = next_id++;
		s->next = sessions;
		sessions = s;
		log("session for '%s'", s->label);
		rep->cap = ep_cap(&env->ep, &s->obj);
		rpc_put(rep, s->id);
		return;
	case ROOT_UPGRADE:
		return;
	case ROOT_CLOSE:
		for (pp = &sessions; *pp; pp = &(*pp)->next) {
			if ((*pp)->id != rpc_word(req, 0))
				continue;
			s = *pp;
			*pp = s->next;
			log("session for '%s' closed", s->label);
			ep_dissolve(&env->ep, &s->obj);
			free(s);
			return;
		}
		rep->label = RPC_E_NOT_FOUND;
		return;
	default:
		rep->label = RPC_E_ILLEGAL_OPERATION;
	}
}

static void run_server(void)
{
	rpc_status_t st = ep_manage(&env->ep, &root_obj, root_handler, 0);

	if (st == RPC_OK)
		st = parent_announce(env->parent, "Hello", ep_cap(&env->ep, &root_obj));
	log("Hello service %s", st == RPC_OK ? "announced" : rpc_status_name(st));
}

/* ---- client: the checks ---- */

static int passed, failed;

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
	log("%s: %d passed, %d failed", test, passed, failed);
	component_exit(failed ? 1 : 0);
}

void component_construct(struct component_env *e)
{
	static char arena[16384];
	struct cfg_error err;
	uint64_t value = 0;
	rpc_status_t st;

	env = e;
	st = attached_rom_open(&config_rom, "config");
	if (st != RPC_OK) {
		log("no config: %s", rpc_status_name(st));
		component_exit(2);
	}
	if (config_rom.size > sizeof(arena) / 18 - 100 ||
	    !(config = cfg_parse(config_rom.data, config_rom.size, arena, sizeof(arena), &err))) {
		log("bad config");
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
	} else if (cfg_attr_is(config, "mode", "log")) {
		const char *t = cfg_attr(config, "text");
		log("%s", t ? t : "");
	} else {
		log("unknown mode");
		component_exit(2);
	}
}
