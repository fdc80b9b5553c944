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
	struct region ram_pages[MAX_REGIONS]; /* the same, every page that holds any RAM */
	unsigned nram_pages;
	uint64_t rsdp_paddr;                  /* the loader's copy of the ACPI RSDP */
	uint64_t efi_systab;                  /* the EFI system table (UEFI), else 0 */
	struct bootinfo_fb fb;                /* the loader's framebuffer; paddr 0: none */
	uint64_t ram_top;                     /* highest RAM address */
	uint64_t total_ram;
};
extern struct boot_state boot;

/* Add [s, e) to, or remove it from, a region list. */
void boot_region_add(struct region *r, unsigned *n, uint64_t s, uint64_t e);
void boot_region_cut(struct region *r, unsigned *n, uint64_t s, uint64_t e);
uint64_t boot_alloc(uint64_t size, uint64_t align);
/* main.c: a CPU's struct pcpu and idle thread; the portable bring-up on
 * the boot CPU and on each other CPU, after the architecture's. */
void cpu_setup(unsigned cpu, uint64_t kstack_top);
void kmain(void) __attribute__((noreturn));
void kmain_ap(void) __attribute__((noreturn));   /* zeroed, panics if none */
void create_root_task(void);

#endif
