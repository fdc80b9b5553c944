/*
 * dm_test_driver: a stand-in driver for run/driver_manager_test. It
 * opens its Platform session, acquires every device the session shows
 * (so the policy driver_manager wrote for it is checked by platform) and
 * logs them. With kill="yes" it watches ROM "kill":
 *
 *   <kill driver="rng" count="5" how="fault|exit|hang"/>
 *
 * and when count rises above what it saw at its start and driver names
 * it, it faults (a write to address 0), exits with value 3, or stops
 * serving its entrypoint (so it answers no more heartbeats). Once it
 * watches the kill ROM it reports <ready driver="rng" seen="N"/> (report
 * "ready"), so the test kills only an incarnation that will notice. Config:
 * <config name="rng" kill="yes"/> (name: how the kill ROM calls it).
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <platform_session.h>
#include <report_session.h>

static struct component_env *env;
static struct platform_connection plat;
static struct config_rom config, kill_rom;
static const char *name;
static uint64_t seen;

static void fail(const char *what, rpc_status_t st)
{
	log("%s: %s: %s", name ? name : "driver", what, rpc_status_name(st));
	component_exit(2);
}

/* the kill count for this driver, or 0 */
static uint64_t kill_count(const char **how)
{
	uint64_t n = 0;
	const struct cfg_node *k = kill_rom.node;

	*how = 0;
	if (!k || !cfg_is(k, "kill") || !cfg_attr_is(k, "driver", name) ||
	    cfg_attr_u64(k, "count", 0, &n) != 1)
		return 0;
	*how = cfg_attr(k, "how");
	return n;
}

static void on_kill(void *arg)
{
	static struct signal_handler never;
	const char *how;

	(void)arg;
	config_rom_update(&kill_rom);
	uint64_t n = kill_count(&how);
	if (n <= seen)
		return;
	seen = n;
	log("%s: kill %lu: %s", name, (unsigned long)n, how ? how : "?");
	if (how && !strcmp(how, "exit"))
		component_exit(3);
	if (how && !strcmp(how, "hang")) {
		/* block the entrypoint on a signal that never comes: heartbeats
		 * stay unanswered */
		if (signal_handler_init(&env->ep, &never, 0, 0) == RPC_OK)
			ep_wait_signal(&env->ep, &never);
		for (;;)
			;
	}
	*(volatile int *)0 = 1;   /* fault */
}

static void acquire_all(void)
{
	cptr_t ds;
	word_t size, version, at, handle;
	rpc_status_t st;
	struct cfg_error err;
	char *arena;
	unsigned n = 0;

	if ((st = platform_devices(plat.session, &ds, &size, &version)))
		fail("devices", st);
	if ((st = pd_attach(COMPONENT_PD, ds, 0, 0, 0, 0, &at)))
		fail("attach", st);
	if (!(arena = malloc(cfg_arena_size(size))))
		fail("devices: no heap to parse them", RPC_E_NO_RAM_QUOTA);
	const struct cfg_node *top = cfg_parse((const char *)at, size, arena, cfg_arena_size(size),
					       &err);
	if (!top) {
		log("%s: devices:%u:%u: %s", name, err.line, err.col, err.msg);
		component_exit(2);
	}
	for (const struct cfg_node *d = cfg_child(top, "device"); d; d = cfg_next(d, "device")) {
		const char *dev = cfg_attr(d, "name");
		if (!dev)
			continue;
		if ((st = platform_acquire(plat.session, dev, &handle)))
			fail("acquire", st);
		n++;
		log("%s: acquired %s", name, dev);
	}
	log("%s: running with %u devices", name, n);
}

void component_construct(struct component_env *e)
{
	rpc_status_t st;
	bool kill = false;
	const char *how;

	env = e;
	if ((st = config_rom_open(&config, "config", 0, 0, 0)) != RPC_OK ||
	    !config_rom_update(&config))
		fail("config", st);
	name = cfg_attr(config.node, "name");
	if (!name || cfg_attr_bool(config.node, "kill", false, &kill) < 0)
		fail("config: name=\"..\" kill=\"yes|no\"", RPC_E_INVALID_ARGUMENT);
	if ((st = platform_connect(&plat, "", 0)))
		fail("Platform session", st);
	acquire_all();
	if (!kill)
		return;
	if ((st = config_rom_open(&kill_rom, "kill", &env->ep, on_kill, 0)))
		fail("kill ROM", st);
	config_rom_update(&kill_rom);
	seen = kill_count(&how);
	static struct reporter ready;
	char doc[128];
	int n = snprintf(doc, sizeof(doc), "<ready driver=\"%s\" seen=\"%lu\"/>\n", name,
			 (unsigned long)seen);
	if ((st = reporter_open(&ready, "ready", 4096)) || (st = reporter_submit(&ready, doc, (word_t)n)))
		fail("ready report", st);
}
