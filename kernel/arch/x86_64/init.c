/*
 * x86_64 bring-up: boot.S enters arch_main on the boot CPU, the trampoline
 * enters ap_main on each other CPU. Each brings its CPU and the machine's
 * interrupt controllers and timers up, then goes to the portable kmain /
 * kmain_ap (main.c).
 */
#include <types.h>
#include <kprintf.h>
#include <boot.h>
#include <smp.h>
#include <irq.h>
#include <arch/cpu.h>
#include <arch/mm.h>
#include <arch/pcpu.h>
#include <arch/platform.h>
#include <arch/apic.h>
#include <arch/timer.h>
#include <arch/smp.h>
#include <arch/boot.h>
#include <sched.h>

extern uint8_t boot_stack_top[];
uint8_t ap_stacks[ABI_MAX_CPUS][16384] __attribute__((aligned(16)));

void arch_main(uint32_t magic, uint64_t mb_info)
{
	platform.boot_tsc = rdtsc();          /* for boot-time figures (boot_to_drivers) */
	console_init();                       /* COM1 for everything below */
	kprintf("\nArgil kernel (x86_64), built " __DATE__ " " __TIME__ "\n");
	multiboot_parse(magic, mb_info);      /* memory map, modules, ACPI RSDP */
	mm_init_direct_map(boot.ram_top);     /* all RAM at KERNEL_DIRECT_BASE */
	cpu_setup(0, (uint64_t)boot_stack_top);
	pcpus[0].cr3 = boot_pml4_paddr;
	cpu_init(0);                          /* GDT, TSS, IDT, SYSCALL, PAT, SSE */
	acpi_init(boot.rsdp_paddr, boot.efi_systab); /* MADT: CPUs, IOAPICs; HPET, DMAR */
	pic_disable();                        /* legacy 8259s masked */
	lapic_init();
	ioapic_init();                        /* every line masked */
	timer_init();                         /* TSC and LAPIC timer calibrated */
	num_cpus = platform.ncpus > ABI_MAX_CPUS ? ABI_MAX_CPUS : platform.ncpus;
	pcpus[0].apic_id = lapic_id();
	pcpus[0].online = 1;
	for (unsigned i = 1; i < num_cpus; i++)
		pcpus[i].apic_id = platform.apic_id[i];
	kmain();
}

void arch_start_cpus(void)
{
	smp_start_aps();                      /* each AP ends in ap_main */
}

void arch_timer_start(void)
{
	lapic_timer_periodic(VEC_TIMER, TICK_US);
}

void ap_main(unsigned cpu)
{
	cpu_setup(cpu, (uint64_t)&ap_stacks[cpu][sizeof(ap_stacks[cpu])]);
	pcpus[cpu].cr3 = boot_pml4_paddr;
	cpu_init(cpu);
	lapic_init();
	pcpus[cpu].apic_id = lapic_id();
	pcpus[cpu].online = 1;
	__atomic_add_fetch(&cpus_online, 1, __ATOMIC_RELEASE);
	arch_timer_start();
	kmain_ap();
}
