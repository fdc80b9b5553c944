/*
 * The portable half of bring-up. The architecture's entry (arch_main,
 * arch/x86_64/init.c) has found memory and devices and brought the boot
 * CPU up; kmain creates the root task, starts the other CPUs, and runs.
 */
#include <types.h>
#include <kprintf.h>
#include <boot.h>
#include <tcb.h>
#include <sched.h>
#include <smp.h>
#include <irq.h>
#include <arch/pcpu.h>
#include <arch/boot.h>

static struct tcb idle_tcbs[ABI_MAX_CPUS] __attribute__((aligned(1u << OBJ_TCB_BITS)));

void cpu_setup(unsigned cpu, uint64_t kstack_top)
{
	struct pcpu *p = &pcpus[cpu];
	p->self = p;
	p->index = cpu;
	p->kstack_top = kstack_top;
	p->idle = &idle_tcbs[cpu];
	p->idle->state = TS_IDLE;
	p->idle->cpu = (uint8_t)cpu;
	p->cur = p->idle;
}

void kmain(void)
{
	irq_init();
	kernel_lock();                        /* other CPUs wait here until we run */
	cpus_online = 1;
	if (num_cpus > 1)
		arch_start_cpus();                /* each ends in kmain_ap */
	create_root_task();                   /* objects, caps, untyped, boot info */
	kprintf("argil: %lu MiB RAM, %u CPU%s\n", boot.total_ram >> 20, num_cpus, num_cpus > 1 ? "s" : "");
	arch_timer_start();
	schedule_and_exit();
}

void kmain_ap(void)
{
	kernel_lock();
	schedule_and_exit();
}
