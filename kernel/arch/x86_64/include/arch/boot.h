/* What the portable boot code (boot.c, main.c) asks of the architecture. */
#ifndef ARCH_BOOT_H
#define ARCH_BOOT_H

#include <stdint.h>
#include <stdbool.h>

/* Memory map, modules and firmware tables from the boot loader into
 * struct boot_state (multiboot.c); panics on a bad loader or no memory. */
void multiboot_parse(uint32_t magic, uint64_t info_paddr);

/* The root task's page tables while boot.c builds them (bootmap.c), from
 * the top-level table root: map frame pa at va for user mode; or, if va
 * is mapped already, add write/exec to it and give its frame. Missing
 * tables come from boot_alloc. */
void arch_boot_map(uint64_t *root, uint64_t va, uint64_t pa, bool write, bool exec);
bool arch_boot_mapped(uint64_t *root, uint64_t va, bool write, bool exec, uint64_t *pa);

/* Whether the 1 MiB at a holds registers the kernel keeps for itself
 * (interrupt controllers): no device untyped covers it. */
bool arch_device_reserved(uint64_t a);

struct bootinfo;
/* The boot info fields this architecture fills: the TSC rate, the HPET. */
void arch_fill_bootinfo(struct bootinfo *bi);

/* Make the calling CPU's timer tick every TICK_US. */
void arch_timer_start(void);
/* Start the other CPUs (num_cpus); each ends in kmain_ap. */
void arch_start_cpus(void);

#endif
