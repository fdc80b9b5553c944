/*
 * Kernel mappings: the direct map of physical memory (2 MiB pages, built
 * from static tables) and the uncached device window for kmap_mmio.
 */
#include <types.h>
#include <kprintf.h>
#include <arch/mm.h>
#include <arch/cpu.h>

extern uint64_t boot_pdpt_direct[512];
extern uint64_t boot_pdpt_high[512];
extern uint64_t boot_pd[512];

#define DIRECT_PDS (DIRECT_MAP_MAX >> 30)
static uint64_t direct_pd[DIRECT_PDS][512] __attribute__((aligned(4096)));
static uint64_t mmio_pd[512] __attribute__((aligned(4096)));
static uint64_t mmio_pt[8][512] __attribute__((aligned(4096)));
static unsigned mmio_next;   /* next free 4 KiB page in the window */

uint64_t boot_pml4_paddr;

void mm_init_direct_map(uint64_t top)
{
	if (top > DIRECT_MAP_MAX) {
		kprintf("mm: physical memory above %lu GiB is not used\n", (unsigned long)(DIRECT_MAP_MAX >> 30));
		top = DIRECT_MAP_MAX;
	}
	top = ALIGN_UP(top, 1ull << 30);
	if (top < (4ull << 30))
		top = 4ull << 30;
	for (uint64_t gb = 0; gb < top >> 30; gb++) {
		for (int i = 0; i < 512; i++)
			direct_pd[gb][i] = ((gb << 30) + ((uint64_t)i << 21)) | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
		boot_pdpt_direct[gb] = virt_to_phys(direct_pd[gb]) | PTE_P | PTE_W;
	}
	/* the device window: PML4[511] PDPT[511] */
	for (int i = 0; i < 8; i++)
		mmio_pd[i] = virt_to_phys(mmio_pt[i]) | PTE_P | PTE_W;
	boot_pdpt_high[511] = virt_to_phys(mmio_pd) | PTE_P | PTE_W;
	boot_pml4_paddr = virt_to_phys(kernel_pml4);
	write_cr3(boot_pml4_paddr);
}

volatile void *kmap_mmio(uint64_t paddr, uint64_t size)
{
	uint64_t off = paddr & 0xfff;
	uint64_t pages = ALIGN_UP(off + size, 4096) >> 12;
	if (mmio_next + pages > 8 * 512)
		panic("kmap_mmio: window full");
	uint64_t va = KERNEL_MMIO_BASE + ((uint64_t)mmio_next << 12);
	for (uint64_t i = 0; i < pages; i++) {
		unsigned n = mmio_next + i;
		mmio_pt[n / 512][n % 512] = (ALIGN_DOWN(paddr, 4096) + (i << 12)) |
			PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_G | PTE_NX;
		invlpg(va + (i << 12));
	}
	mmio_next += pages;
	return (volatile void *)(va + off);
}
