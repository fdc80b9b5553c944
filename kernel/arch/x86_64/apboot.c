/*
 * Bringing up the other CPUs: INIT, then SIPI twice, with the trampoline
 * at 0x8000 (the kernel never hands out memory below 1 MiB). Each AP
 * reports in through cpus_online from ap_main.
 */
#include <types.h>
#include <kprintf.h>
#include <smp.h>
#include <arch/cpu.h>
#include <arch/mm.h>
#include <arch/apic.h>
#include <arch/platform.h>
#include <arch/timer.h>
#include <arch/smp.h>

#define TRAMPOLINE_PA 0x8000

extern const uint8_t trampoline_start[], trampoline_end[], trampoline_params[];
extern uint8_t ap_stacks[ABI_MAX_CPUS][16384];

struct tr_params { uint64_t cr3, stack, entry, cpu; };

void smp_start_aps(void)
{
	uint8_t *page = phys_to_virt(TRAMPOLINE_PA);
	size_t size = (size_t)(trampoline_end - trampoline_start);
	memcpy(page, trampoline_start, size);
	struct tr_params *prm = (struct tr_params *)(page + (trampoline_params - trampoline_start));

	for (unsigned cpu = 1; cpu < num_cpus; cpu++) {
		prm->cr3 = boot_pml4_paddr;
		prm->stack = (uint64_t)&ap_stacks[cpu][sizeof(ap_stacks[cpu])];
		prm->entry = (uint64_t)ap_main;
		prm->cpu = cpu;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		unsigned before = cpus_online;
		uint32_t id = pcpus[cpu].apic_id;
		lapic_send_init(id);
		timer_udelay(10000);
		for (int tries = 0; tries < 2 && cpus_online == before; tries++) {
			lapic_send_sipi(id, TRAMPOLINE_PA >> 12);
			timer_udelay(200);
		}
		uint64_t deadline = rdtsc() + tsc_per_ms * 2000;
		while (__atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE) == before && rdtsc() < deadline)
			cpu_relax();
		if (cpus_online == before) {
			kprintf("smp: CPU %u (APIC %u) did not start; using %u CPUs\n", cpu, id, cpu);
			num_cpus = cpu;
			break;
		}
	}
	kprintf("smp: %u of %u CPUs online\n", cpus_online, num_cpus);
}
