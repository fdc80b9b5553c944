/*
 * The kernel's view of physical memory: a direct map of all RAM (and
 * everything below 4 GiB) at KERNEL_DIRECT_BASE, the image at
 * KERNEL_IMAGE_BASE, and a small window of uncached device mappings.
 */
#ifndef ARCH_MM_H
#define ARCH_MM_H

#include <stdint.h>

#define KERNEL_DIRECT_BASE 0xffff800000000000ull
#define KERNEL_IMAGE_BASE  0xffffffff80000000ull
#define KERNEL_MMIO_BASE   0xffffffffc0000000ull   /* 1 GiB window for kmap_mmio */
#define DIRECT_MAP_MAX     (64ull << 30)

static inline void *phys_to_virt(uint64_t pa) { return (void *)(pa + KERNEL_DIRECT_BASE); }
static inline uint64_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;
	return v >= KERNEL_IMAGE_BASE ? v - KERNEL_IMAGE_BASE : v - KERNEL_DIRECT_BASE;
}

volatile void *kmap_mmio(uint64_t paddr, uint64_t size);

/* Page-table entry bits. */
#define PTE_P   (1ull << 0)
#define PTE_W   (1ull << 1)
#define PTE_U   (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A   (1ull << 5)
#define PTE_D   (1ull << 6)
#define PTE_PS  (1ull << 7)
#define PTE_G   (1ull << 8)
#define PTE_PAT_4K (1ull << 7)
#define PTE_PAT_2M (1ull << 12)
#define PTE_NX  (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull
#define PTE_ADDR_MASK_2M 0x000fffffffe00000ull

static inline uint64_t pte_addr(uint64_t e) { return e & PTE_ADDR_MASK; }
static inline unsigned pt_index(uint64_t va, int level) { return (va >> (12 + 9 * (level - 1))) & 511; }

extern uint64_t kernel_pml4[512];  /* the master kernel address space */
extern uint64_t boot_pml4_paddr;

void mm_init_direct_map(uint64_t top);  /* map [0, top) at KERNEL_DIRECT_BASE */

#endif
