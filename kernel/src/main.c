/*
 * Kernel entry after boot.S: bring up the boot CPU, find memory and
 * devices, create the root task, start the other CPUs, and run.
 */
#include <types.h>
#include <kprintf.h>
#include <boot.h>
#include <tcb.h>
#include <sched.h>
#include <smp.h>
#include <irq.h>
#include <arch/cpu.h>
#include <arch/mm.h>
#include <arch/pcpu.h>
#include <arch/platform.h>
#include <arch/apic.h>
#include <arch/timer.h>
#include <arch/smp.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289

extern uint8_t boot_stack_top[];
uint8_t ap_stacks[ABI_MAX_CPUS][16384] __attribute__((aligned(16)));
static struct tcb idle_tcbs[ABI_MAX_CPUS] __attribute__((aligned(1u << OBJ_TCB_BITS)));

static void pcpu_setup(unsigned cpu, uint64_t kstack_top)
{
	struct pcpu *p = &pcpus[cpu];
	p->self = p;
	p->index = cpu;
	p->kstack_top = kstack_top;
	p->idle = &idle_tcbs[cpu];
	p->idle->state = TS_IDLE;
	p->idle->cpu = (uint8_t)cpu;
	p->cur = p->idle;
	p->cr3 = boot_pml4_paddr;
}

void kmain(uint32_t magic, uint64_t mb_info)
{
	console_init();                       /* COM1 for everything below */
	kprintf("\nArgil kernel (x86_64), built " __DATE__ " " __TIME__ "\n");
	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not booted by a multiboot2 loader (magic %x)", magic);
	multiboot_parse(mb_info);             /* memory map, modules, ACPI RSDP */
	mm_init_direct_map(boot.ram_top);     /* all RAM at KERNEL_DIRECT_BASE */
	pcpu_setup(0, (uint64_t)boot_stack_top);
	cpu_init(0);                          /* GDT, TSS, IDT, SYSCALL, PAT, SSE */
	acpi_init(boot.rsdp_paddr);           /* MADT: CPUs, IOAPICs; HPET */
	pic_disable();                        /* legacy 8259s masked */
	lapic_init();
	ioapic_init();                        /* every line masked */
	timer_init();                         /* TSC and LAPIC timer calibrated */
	num_cpus = platform.ncpus > ABI_MAX_CPUS ? ABI_MAX_CPUS : platform.ncpus;
	pcpus[0].apic_id = lapic_id();
	pcpus[0].online = 1;
	for (unsigned i = 1; i < num_cpus; i++)
		pcpus[i].apic_id = platform.apic_id[i];
	irq_init();
	kernel_lock();                        /* APs wait here until we run */
	cpus_online = 1;
	if (num_cpus > 1)
		smp_start_aps();                  /* each AP ends in ap_main */
	create_root_task();                   /* objects, caps, untyped, boot info */
	kprintf("argil: %lu MiB RAM, %u CPU%s\n", boot.total_ram >> 20, num_cpus, num_cpus > 1 ? "s" : "");
	lapic_timer_periodic(VEC_TIMER, TICK_US);
	schedule_and_exit();
}

void ap_main(unsigned cpu)
{
	pcpu_setup(cpu, (uint64_t)&ap_stacks[cpu][sizeof(ap_stacks[cpu])]);
	cpu_init(cpu);
	lapic_init();
	pcpus[cpu].apic_id = lapic_id();
	pcpus[cpu].online = 1;
	__atomic_add_fetch(&cpus_online, 1, __ATOMIC_RELEASE);
	lapic_timer_periodic(VEC_TIMER, TICK_US);
	kernel_lock();
	schedule_and_exit();
}
