/*
 * base_system_ram (bench/README.md, "base_system_ram"): a probe that init
 * starts last, below the priority of the base system, so that it runs only
 * once core, init, timer and report_rom have nothing more to do. It asks
 * core for its figures and prints the RAM the booted base system uses:
 *
 *   core's image + (RAM in core's untyped pool at boot - RAM free in it now)
 *   - what core charged to this probe (its PD and its core sessions)
 *
 * The JSON line goes to the kernel console directly, as tools/run.py
 * --bench expects it at the start of a line.
 */
#include <argil/component.h>
#include <argil/log.h>
#include <argil/pd.h>
#include <argil/printf.h>

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
	log("system_bench: done");
}
