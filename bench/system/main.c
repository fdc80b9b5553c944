/*
 * base_system_ram (bench/README.md, "base_system_ram"): a probe that init
 * starts last, below the priority of the base system, so that it runs only
 * once core, init, timer and report_rom have nothing more to do. It asks
 * core for its figures and prints the RAM the booted base system uses:
 *
 *   core's image + (RAM in core's untyped pool at boot - RAM free in it now)
 *   - what core charged to this probe (its PD and its core sessions)
 *
 * Then timer_sleep_10ms_busy: the instructions the machine executes
 * while the probe sleeps 10 ms on the timer (the median of 11 sleeps):
 * elapsed TSC minus the time the CPUs spent halted (argil/busy.h), the
 * work of the probe, the timer, core and the kernel for one timeout.
 * Elapsed, which under -icount follows host time while the CPU halts,
 * is only logged.
 *
 * The JSON lines go to the kernel console directly, as tools/run.py
 * --bench expects them at the start of a line.
 */
#include <argil/busy.h>
#include <argil/component.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <timer_session.h>

#define SLEEPS 11

/* timer_sleep_10ms_busy, see above. */
static void sleep_bench(void)
{
	struct timer_connection t;
	uint64_t busy[SLEEPS], elapsed[SLEEPS];
	rpc_status_t st = timer_connect(&t, "busy");

	if (st != RPC_OK) {
		log("FAIL system_bench: Timer session: %s", rpc_status_name(st));
		component_exit(1);
	}
	for (int i = 0; i < SLEEPS; i++) {
		struct busy_clock c;
		busy_start(&c);
		if ((st = sleep_us(&t, 10000)) != RPC_OK) {
			log("FAIL system_bench: sleep_us: %s", rpc_status_name(st));
			component_exit(1);
		}
		busy[i] = busy_instructions(&c, &elapsed[i]);
	}
	timer_disconnect(&t);
	for (int i = 1; i < SLEEPS; i++)   /* sorted by busy, elapsed alongside */
		for (int j = i; j > 0 && busy[j] < busy[j - 1]; j--) {
			uint64_t b = busy[j], e = elapsed[j];
			busy[j] = busy[j - 1];
			elapsed[j] = elapsed[j - 1];
			busy[j - 1] = b;
			elapsed[j - 1] = e;
		}
	log("system_bench: timer_sleep_10ms_busy: median %lu min %lu max %lu instructions busy; "
	    "elapsed %lu TSC ticks (median's sleep)", busy[SLEEPS / 2], busy[0], busy[SLEEPS - 1],
	    elapsed[SLEEPS / 2]);
	bench_line("timer_sleep_10ms_busy", busy[SLEEPS / 2], "instructions");
}

void component_construct(struct component_env *env)
{
	struct core_stats s;

	rpc_status_t st = pd_core_stats(env->pd, &s);
	if (st != RPC_OK) {
		log("FAIL system_bench: PD_CORE_STATS: %s", rpc_status_name(st));
		component_exit(1);
	}
	if (s.ram_free > s.ram_total || s.pd_ram_charged > s.ram_total - s.ram_free ||
	    s.core_ram_used > s.ram_total - s.ram_free) {
		log("FAIL system_bench: inconsistent figures: total %lu free %lu probe %lu core %lu",
		    s.ram_total, s.ram_free, s.pd_ram_charged, s.core_ram_used);
		component_exit(1);
	}
	word_t taken = s.ram_total - s.ram_free;
	word_t used = s.core_image + taken - s.pd_ram_charged;
	log("system_bench: base_system_ram %lu bytes = core image %lu + RAM taken from core's pool %lu "
	    "- this probe's share %lu", used, s.core_image, taken, s.pd_ram_charged);
	log("system_bench: of the RAM taken: core's own objects, CSpace and heap pages %lu; "
	    "objects and frames of the components (this probe's included) %lu",
	    s.core_ram_used, taken - s.core_ram_used);
	bench_line("base_system_ram", used, "bytes");
	sleep_bench();
	log("system_bench: done");
}
