/*
 * dummy: a test component that does what its config tells it, one action
 * after the other, and logs each (os/dummy/README.md):
 *
 *   <config>
 *     <log string="hello"/>
 *     <session service="LOG" label="extra" args="" ram="8K" caps="2"/>
 *     <close_sessions/>
 *     <alloc size="1M" touch="yes"/>
 *     <free/>
 *     <sleep ms="100"/>            (or us=)
 *     <heartbeat respond="no"/>
 *     <yield respond="no"/>
 *     <spin ms="50"/>              (without ms: forever)
 *     <fault type="read|write|exec|ud" addr="0x10"/>
 *     <exit value="3"/>
 *   </config>
 *
 * The actions run on the main entrypoint, so heartbeats are answered
 * (unless told not to) while it sleeps, but not while it spins. A changed
 * config starts the new list from its first action; sessions and memory
 * from before stay until an action releases them. Trusts its config for
 * nothing: a bad action is logged with its line and the list stops there.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <timer_session.h>

#define MAX_SESSIONS 32
#define MAX_ALLOCS 32

static struct component_env *env;
static struct config_rom config;
static struct signal_handler timer_sig, beat_sig, yield_sig;
static struct timer_connection timer;
static bool have_timer, respond = true, yield = true, sleeping;
static const struct cfg_node *next_action;   /* NULL: done */
static uint64_t sleep_end;

static struct {
	cptr_t cap;
	word_t id;
	char service[SERVICE_NAME_MAX];
} sessions[MAX_SESSIONS];
static int nsessions;

static struct {
	cptr_t ds;
	word_t addr, size;
} allocs[MAX_ALLOCS];
static int nallocs;

static void run(void);

static void bad(const struct cfg_node *a, const char *what)
{
	log("config:%u:%u: <%s>: %s; stopping here", a->line, a->col, a->type, what);
	next_action = 0;
}

static void act_session(const struct cfg_node *a)
{
	const char *service = cfg_attr(a, "service"), *label = cfg_attr(a, "label");
	const char *args = cfg_attr(a, "args");
	uint64_t ram, caps;
	rpc_status_t st;

	if (!service || cfg_attr_size(a, "ram", 8192, &ram) < 0 ||
	    cfg_attr_u64(a, "caps", 2, &caps) < 0) {
		bad(a, "needs service=, and ram= and caps= must be numbers");
		return;
	}
	if (nsessions == MAX_SESSIONS) {
		log("session %s: no more than %d sessions", service, MAX_SESSIONS);
		return;
	}
	st = parent_session(COMPONENT_PARENT, service, label ? label : "", args ? args : "", ram,
			    caps, 0, &sessions[nsessions].cap, &sessions[nsessions].id);
	log("session %s \"%s\" ram=%lu caps=%lu: %s", service, label ? label : "", (word_t)ram,
	    (word_t)caps, rpc_status_name(st));
	if (st == RPC_OK)
		snprintf(sessions[nsessions++].service, SERVICE_NAME_MAX, "%s", service);
}

static void act_close_sessions(void)
{
	int n = nsessions;

	while (nsessions) {
		nsessions--;
		parent_close(COMPONENT_PARENT, sessions[nsessions].id);
		cap_slot_free(sessions[nsessions].cap);
	}
	log("closed %d sessions", n);
}

static void act_alloc(const struct cfg_node *a)
{
	uint64_t size;
	bool touch;
	word_t addr;
	cptr_t ds;
	rpc_status_t st;

	if (cfg_attr_size(a, "size", 0, &size) != 1 || size == 0 ||
	    cfg_attr_bool(a, "touch", true, &touch) < 0) {
		bad(a, "needs size= (bytes, > 0) and touch= yes or no");
		return;
	}
	if (nallocs == MAX_ALLOCS) {
		log("alloc %lu: no more than %d allocations", (word_t)size, MAX_ALLOCS);
		return;
	}
	st = pd_alloc_ram(COMPONENT_PD, size, &ds);
	if (st == RPC_OK) {
		st = pd_attach(COMPONENT_PD, ds, 0, 0, 0, ATTACH_WRITE, &addr);
		if (st != RPC_OK) {
			pd_free_ram(COMPONENT_PD, ds);
			cap_slot_free(ds);
		}
	}
	if (st != RPC_OK) {
		log("alloc %lu bytes: %s", (word_t)size, rpc_status_name(st));
		return;
	}
	if (touch)
		for (word_t off = 0; off < size; off += 4096)
			((volatile char *)addr)[off] = (char)off;
	allocs[nallocs].ds = ds;
	allocs[nallocs].addr = addr;
	allocs[nallocs++].size = size;
	log("alloc %lu bytes: ok%s", (word_t)size, touch ? ", touched" : "");
}

/* Free the latest allocation; its size. */
static word_t free_latest(void)
{
	nallocs--;
	pd_detach(COMPONENT_PD, allocs[nallocs].addr);
	pd_free_ram(COMPONENT_PD, allocs[nallocs].ds);
	cap_slot_free(allocs[nallocs].ds);
	return allocs[nallocs].size;
}

static void act_free(void)
{
	int n = nallocs;

	while (nallocs)
		free_latest();
	log("freed %d allocations", n);
}

/* Returns true if the sleep started (the list goes on when it ends). */
static bool act_sleep(const struct cfg_node *a)
{
	uint64_t ms = 0, us = 0;
	rpc_status_t st;

	if (cfg_attr_u64(a, "ms", 0, &ms) < 0 || cfg_attr_u64(a, "us", 0, &us) < 0 ||
	    (!cfg_has_attr(a, "ms") && !cfg_has_attr(a, "us"))) {
		bad(a, "needs ms= or us=");
		return false;
	}
	us += ms * 1000;
	if (!have_timer) {
		st = timer_connect(&timer, "dummy");
		if (st == RPC_OK)
			st = timer_connection_sigh(&timer, timer_sig.cap);
		if (st != RPC_OK) {
			log("sleep: no timer: %s", rpc_status_name(st));
			if (timer.session)
				timer_disconnect(&timer);
			return false;
		}
		have_timer = true;
	}
	uint64_t now = elapsed_us(&timer);
	sleep_end = now + us;
	log("sleep %lu us", (word_t)us);
	st = timer_trigger_once(timer.session, us);
	if (st != RPC_OK) {
		log("sleep: %s", rpc_status_name(st));
		return false;
	}
	sleeping = true;
	return true;
}

static void timer_fired(void *arg)
{
	(void)arg;
	if (!sleeping)
		return;
	uint64_t now = elapsed_us(&timer);
	if (now < sleep_end) {   /* a stale signal: go on sleeping */
		timer_trigger_once(timer.session, sleep_end - now);
		return;
	}
	sleeping = false;
	log("woke up");
	run();
}

static void heartbeat(void *arg)
{
	(void)arg;
	if (respond)
		parent_heartbeat_response(COMPONENT_PARENT);
}

/* The parent wants quota back: free allocations (the latest first) until
 * what it asks for is freed, then tell it; or only log the request. */
static void yield_requested(void *arg)
{
	word_t ram = 0, caps = 0, freed = 0;
	int n = 0;
	rpc_status_t st;

	(void)arg;
	st = parent_yield_request(COMPONENT_PARENT, &ram, &caps);
	if (st != RPC_OK) {
		log("yield request: %s", rpc_status_name(st));
		return;
	}
	if (!yield) {
		log("yield request: %lu bytes RAM, %lu caps: not yielding", ram, caps);
		return;
	}
	while (nallocs && (freed < ram || caps)) {
		freed += free_latest();
		n++;
	}
	log("yield request: %lu bytes RAM, %lu caps: freed %d allocations", ram, caps, n);
	parent_yield_response(COMPONENT_PARENT);
}

static void act_spin(const struct cfg_node *a)
{
	uint64_t ms;

	if (cfg_attr_u64(a, "ms", 0, &ms) < 0) {
		bad(a, "ms= must be a number");
		return;
	}
	if (!cfg_has_attr(a, "ms")) {
		log("spinning forever");
		for (;;)
			__asm__ volatile("pause");
	}
	if (!have_timer) {
		log("spin: needs a timer");
		return;
	}
	log("spinning for %lu ms", (word_t)ms);
	uint64_t end = elapsed_us(&timer) + ms * 1000;
	while (elapsed_us(&timer) < end)
		;
	log("spun");
}

static void act_fault(const struct cfg_node *a)
{
	const char *type = cfg_attr(a, "type");
	uint64_t addr;

	if (!type || cfg_attr_u64(a, "addr", 0x10, &addr) < 0) {
		bad(a, "needs type= and a numeric addr=");
		return;
	}
	if (!strcmp(type, "read")) {
		log("reading 0x%lx", (word_t)addr);
		(void)*(volatile word_t *)addr;
	} else if (!strcmp(type, "write")) {
		log("writing 0x%lx", (word_t)addr);
		*(volatile word_t *)addr = 1;
	} else if (!strcmp(type, "exec")) {
		/* garbage in a data page: not executable, a fetch fault */
		static unsigned char garbage[64] = { 0xde, 0xad, 0xbe, 0xef };
		log("executing data at %p", (void *)garbage);
		((void (*)(void))(void *)garbage)();
	} else if (!strcmp(type, "ud")) {
		log("executing an undefined instruction");
		__asm__ volatile("ud2");
	} else {
		bad(a, "type must be read, write, exec or ud");
		return;
	}
	log("the fault did not stop us");
}

/* Run actions until the list ends or a sleep starts. */
static void run(void)
{
	while (next_action) {
		const struct cfg_node *a = next_action;
		uint64_t value;
		bool b;

		next_action = cfg_next(a, 0);
		if (cfg_is(a, "log")) {
			const char *s = cfg_attr(a, "string");
			if (!s)
				bad(a, "needs string=");
			else
				log("%s", s);
		} else if (cfg_is(a, "session")) {
			act_session(a);
		} else if (cfg_is(a, "close_sessions")) {
			act_close_sessions();
		} else if (cfg_is(a, "alloc")) {
			act_alloc(a);
		} else if (cfg_is(a, "free")) {
			act_free();
		} else if (cfg_is(a, "sleep")) {
			if (act_sleep(a))
				return;
		} else if (cfg_is(a, "heartbeat") || cfg_is(a, "yield")) {
			bool *flag = cfg_is(a, "yield") ? &yield : &respond;
			if (cfg_attr_bool(a, "respond", true, &b) < 0) {
				bad(a, "respond= must be yes or no");
			} else {
				*flag = b;
				log("%s responses %s", a->type, b ? "on" : "off");
			}
		} else if (cfg_is(a, "spin")) {
			act_spin(a);
		} else if (cfg_is(a, "fault")) {
			act_fault(a);
		} else if (cfg_is(a, "exit")) {
			if (cfg_attr_u64(a, "value", 0, &value) < 0) {
				bad(a, "value= must be a number");
			} else {
				log("exit %lu", (word_t)value);
				component_exit((int)value);
			}
		} else {
			bad(a, "unknown action");
		}
	}
}

static void start_list(void)
{
	sleeping = false;
	if (!config.node) {
		if (config.heap_failed)
			log("config: out of memory");
		else if (config.err.msg)
			log("config:%u:%u: %s", config.err.line, config.err.col, config.err.msg);
		else
			log("no config");
		next_action = 0;
		return;
	}
	if (!cfg_is(config.node, "config")) {
		log("config:%u:%u: expected <config>", config.node->line, config.node->col);
		next_action = 0;
		return;
	}
	next_action = config.node->child;
	run();
}

static void config_changed(void *arg)
{
	(void)arg;
	config_rom_update(&config);
	log("config changed");
	start_list();
}

void component_construct(struct component_env *e)
{
	env = e;
	signal_handler_init(&env->ep, &timer_sig, timer_fired, 0);
	if (signal_handler_init(&env->ep, &beat_sig, heartbeat, 0) == RPC_OK)
		parent_heartbeat_sigh(COMPONENT_PARENT, beat_sig.cap);
	if (signal_handler_init(&env->ep, &yield_sig, yield_requested, 0) == RPC_OK)
		parent_yield_sigh(COMPONENT_PARENT, yield_sig.cap);
	rpc_status_t st = config_rom_open(&config, "config", &env->ep, config_changed, 0);
	if (st != RPC_OK) {
		if (st == RPC_E_NO_RAM_QUOTA || st == RPC_E_NO_CAP_QUOTA || st == RPC_E_OUT_OF_MEMORY ||
		    st == RPC_E_OUT_OF_SLOTS)
			log("no config ROM: out of memory (%s)", rpc_status_name(st));
		else
			log("no config ROM: %s", rpc_status_name(st));
		return;
	}
	start_list();
}
