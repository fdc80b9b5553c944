/*
 * The root task's x86_64 page tables, built at boot before any paging
 * invocation exists: four levels from boot_alloc'd tables, user entries,
 * no-execute unless asked. Also what of the physical address space the
 * kernel keeps (IOAPIC and LAPIC registers), and the x86 fields of the
 * root task's boot info.
 */
#include <types.h>
#include <boot.h>
#include <arch/mm.h>
#include <arch/boot.h>
#include <arch/platform.h>
#include <arch/timer.h>
#include <arch/irq.h>

#define IOAPIC_DEFAULT_PADDR 0xfec00000ull

static uint64_t *table_get(uint64_t *t, unsigned idx)
{
	if (!(t[idx] & PTE_P))
		t[idx] = boot_alloc(4096, 4096) | PTE_P | PTE_W | PTE_U;
	return phys_to_virt(pte_addr(t[idx]));
}

static uint64_t *pte_for(uint64_t *root, uint64_t va)
{
	uint64_t *pdpt = table_get(root, pt_index(va, 4));
	uint64_t *pd = table_get(pdpt, pt_index(va, 3));
	uint64_t *pt = table_get(pd, pt_index(va, 2));
	return &pt[pt_index(va, 1)];
}

void arch_boot_map(uint64_t *root, uint64_t va, uint64_t pa, bool write, bool exec)
{
	*pte_for(root, va) = pa | PTE_P | PTE_U | (write ? PTE_W : 0) | (exec ? 0 : PTE_NX);
}

bool arch_boot_mapped(uint64_t *root, uint64_t va, bool write, bool exec, uint64_t *pa)
{
	uint64_t *pte = pte_for(root, va);
	if (!(*pte & PTE_P))
		return false;
	if (write)
		*pte |= PTE_W;
	if (exec)
		*pte &= ~PTE_NX;
	*pa = pte_addr(*pte);
	return true;
}

bool arch_device_reserved(uint64_t a)
{
	return (a <= IOAPIC_DEFAULT_PADDR && IOAPIC_DEFAULT_PADDR < a + 0x100000) ||
	       (a <= platform.lapic_paddr && platform.lapic_paddr < a + 0x100000);
}

void arch_fill_bootinfo(struct bootinfo *bi)
{
	bi->tsc_per_ms = tsc_per_ms;
	bi->hpet_paddr = platform.hpet_paddr;
	bi->acpi_rsdp = platform.rsdp_paddr;
	bi->acpi_revision = platform.acpi_revision;
	bi->acpi_rsdt = platform.rsdt_paddr;
	bi->acpi_xsdt = platform.xsdt_paddr;
	bi->features = BOOTINFO_F_MSI | BOOTINFO_F_MSIX | (platform.dmar ? BOOTINFO_F_IOMMU : 0);
	bi->msi_vectors = IRQ_MSI_COUNT;
	bi->boot_tsc = platform.boot_tsc;
}
