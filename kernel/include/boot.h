/* Boot: memory discovery, the boot allocator and the root task. */
#ifndef BOOT_H
#define BOOT_H

#include <types.h>

#define MAX_REGIONS 64

struct region { uint64_t start, end; };

struct boot_state {
	struct region ram[MAX_REGIONS];       /* usable RAM from the firmware */
	unsigned nram;
	struct region freemem[MAX_REGIONS];   /* not yet handed out */
	unsigned nfree;
	struct region modules[BOOTINFO_MAX_MODULES];
	char module_names[BOOTINFO_MAX_MODULES][64];
	unsigned nmodules;
	uint64_t rsdp_paddr;
	uint64_t ram_top;                     /* highest RAM address */
	uint64_t total_ram;
};
extern struct boot_state boot;

void multiboot_parse(uint64_t info_paddr);
uint64_t boot_alloc(uint64_t size, uint64_t align);   /* zeroed, panics if none */
void create_root_task(void);

#endif
