/*
 * block_restarter (run/block_restart_fs): restarts the disk's driver while
 * a file-system client works, in step with it. The driver (virtio_blk)
 * runs in a nested init whose config this component writes (report
 * "drivers.config"). Each time the ROM "progress" (a client's report, e.g.
 * fs_tool's <report>) names a new path, it raises the driver's version
 * (init kills it and starts it anew) and waits until the multiplexer's
 * block_devices report shows the new driver session ready. After rounds
 * restarts it logs how many requests the multiplexer submitted again and
 * stays (its report is the nested init's config).
 *
 *   <config rounds="20"/>
 *
 * Trusts its parent and config; the ROMs are checked.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <report_session.h>

static const char *const drivers_config =
	"<config>\n"
	"  <parent-provides>\n"
	"    <service name=\"ROM\"/> <service name=\"LOG\"/> <service name=\"PD\"/>\n"
	"    <service name=\"CPU\"/> <service name=\"Platform\"/> <service name=\"Block_driver\"/>\n"
	"  </parent-provides>\n"
	"  <default-route> <any-service> <parent/> </any-service> </default-route>\n"
	"  <start name=\"virtio_blk\" ram=\"8M\" caps=\"200\" version=\"%u\">\n"
	"    <binary name=\"virtio_blk\"/>\n"
	"  </start>\n"
	"</config>\n";

static struct reporter rep;
static struct config_rom devices, progress;
static uint64_t replayed;

static void fail(const char *what)
{
	log("error: %s", what);
	component_exit(1);
}

static void set_version(unsigned v)
{
	char doc[1024];
	int n = snprintf(doc, sizeof(doc), drivers_config, v);

	if (reporter_submit(&rep, doc, (word_t)n) != RPC_OK)
		fail("cannot report drivers.config");
}

/* Until the multiplexer has had `sessions` driver sessions for vd0 and
 * the disk is ready. */
static void wait_driver(uint64_t sessions)
{
	for (;;) {
		uint64_t n = 0;
		bool ready = false;
		if (config_rom_update(&devices))
			for (const struct cfg_node *d = cfg_child(devices.node, "disk"); d;
			     d = cfg_next(d, "disk"))
				if (cfg_attr_is(d, "name", "vd0")) {
					cfg_attr_u64(d, "driver_sessions", 0, &n);
					cfg_attr_u64(d, "replayed", 0, &replayed);
					ready = cfg_attr_is(d, "state", "ready");
				}
		if (n >= sessions && ready)
			return;
		ep_wait_signal(&component_env()->ep, &devices.sig);
	}
}

static void ignore(void *arg)
{
	(void)arg;
}

void component_construct(struct component_env *env)
{
	struct config_rom cfg;
	uint64_t rounds = 0;
	char last[128] = "";

	if (config_rom_open(&cfg, "config", 0, 0, 0) != RPC_OK || !cfg.node ||
	    cfg_attr_u64(cfg.node, "rounds", 0, &rounds) != 1 || !rounds)
		fail("config: rounds= is a count above 0");
	config_rom_close(&cfg, 0);
	if (reporter_open(&rep, "drivers.config", 1024) != RPC_OK)
		fail("no Report session drivers.config");
	if (config_rom_open(&devices, "block_devices", &env->ep, ignore, 0) != RPC_OK ||
	    config_rom_open(&progress, "progress", &env->ep, ignore, 0) != RPC_OK)
		fail("no ROM session block_devices or progress");
	set_version(0);
	wait_driver(1);
	for (unsigned round = 1; round <= rounds;) {
		const char *path = config_rom_update(&progress) ? cfg_attr(progress.node, "path") : 0;
		if (!path || !strcmp(path, last)) {
			ep_wait_signal(&env->ep, &progress.sig);
			continue;
		}
		snprintf(last, sizeof(last), "%s", path);
		set_version(round);
		printf("restart %u at %s\n", round, last);
		wait_driver(round + 1);
		round++;
	}
	printf("block_restarter: %lu restarts; the multiplexer submitted %lu requests again to a "
	       "restarted driver\n", (unsigned long)rounds, (unsigned long)replayed);
	/* stays: its report is the drivers' config */
}
