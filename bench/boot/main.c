/*
 * boot_bench: the figure boot_to_drivers (bench/README.md, run/boot_bench).
 * Watches driver_manager's report (ROM "driver_manager") until it names at
 * least `drivers` drivers (its config) and every driver that has a device
 * is running; then prints the guest instructions from kernel entry
 * (platform_info's <kernel boot_tsc>) to that moment, minus the time the
 * CPUs spent halted (SYS_HALTED_TIME, argil/busy.h): under -icount shift=0
 * the instructions the machine executed to bring every driver up. Trusts
 * nothing but its ROMs; a malformed one is logged and waited past.
 */
#include <argil/busy.h>
#include <argil/component.h>
#include <argil/config.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/printf.h>
#include <argil/string.h>

static struct config_rom report;
static struct busy_clock since_boot;
static uint64_t want = 1;
static bool done;

static void report_changed(void *arg)
{
	unsigned running = 0, waiting = 0;
	uint64_t elapsed;

	(void)arg;
	if (done || !config_rom_update(&report) || !cfg_is(report.node, "driver_manager"))
		return;
	for (const struct cfg_node *d = cfg_child(report.node, "driver"); d;
	     d = cfg_next(d, "driver")) {
		uint64_t devices = 0;
		const char *state = cfg_attr(d, "state");
		if (cfg_attr_u64(d, "devices", 0, &devices) != 1 || !devices)
			continue;
		if (state && !strcmp(state, "running"))
			running++;
		else
			waiting++;
	}
	if (waiting || running < want)
		return;
	done = true;
	uint64_t busy = busy_instructions(&since_boot, &elapsed);
	log("%u drivers running: %lu instructions since kernel entry, %lu busy", running,
	    (unsigned long)elapsed, (unsigned long)busy);
	bench_line("boot_to_drivers", busy, "instructions");
}

void component_construct(struct component_env *env)
{
	static struct config_rom config, info;
	const struct cfg_node *k;
	uint64_t boot_tsc = 0;

	if (config_rom_open(&config, "config", 0, 0, 0) == RPC_OK && config_rom_update(&config) &&
	    cfg_attr_u64(config.node, "drivers", 1, &want) < 0) {
		log("error: config: drivers must be a number");
		component_exit(1);
	}
	if (config_rom_open(&info, "platform_info", 0, 0, 0) != RPC_OK || !config_rom_update(&info) ||
	    !(k = cfg_child(info.node, "kernel")) || cfg_attr_u64(k, "boot_tsc", 0, &boot_tsc) != 1) {
		log("error: no <kernel boot_tsc> in platform_info");
		component_exit(1);
	}
	/* a clock started at kernel entry: no CPU had halted then */
	busy_start(&since_boot);
	since_boot.tsc = boot_tsc;
	since_boot.halted = 0;
	if (config_rom_open(&report, "driver_manager", &env->ep, report_changed, 0) != RPC_OK) {
		log("error: no ROM driver_manager");
		component_exit(1);
	}
	report_changed(0);
}
