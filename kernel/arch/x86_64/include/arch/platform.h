/* What ACPI told us about the machine: CPUs, interrupt controllers, HPET. */
#ifndef ARCH_PLATFORM_H
#define ARCH_PLATFORM_H

#include <stdint.h>
#include <stdbool.h>
#include <argil/abi.h>

#define MAX_IOAPICS 8
#define MAX_ISO 24

struct ioapic_info {
	uint64_t paddr;
	uint32_t gsi_base;
	uint32_t count;            /* redirection entries */
	uint8_t id;
	volatile uint32_t *regs;
};

struct irq_override {
	uint8_t isa_irq;
	uint32_t gsi;
	uint8_t level, active_low;
};

struct platform {
	unsigned ncpus;
	uint32_t apic_id[ABI_MAX_CPUS];   /* [0] is the boot CPU */
	uint64_t lapic_paddr;
	unsigned nioapic;
	struct ioapic_info ioapic[MAX_IOAPICS];
	unsigned niso;
	struct irq_override iso[MAX_ISO];
	uint64_t hpet_paddr;              /* 0 if none */
	uint64_t rsdp_paddr;              /* the firmware's RSDP; 0: only the loader's copy */
	uint8_t acpi_revision;            /* the RSDP's revision */
	uint64_t rsdt_paddr, xsdt_paddr;  /* 0: none */
	bool dmar;                        /* an ACPI DMAR table (an Intel IOMMU) exists */
	uint64_t boot_tsc;                /* the boot CPU's TSC at kernel entry */
};
extern struct platform platform;

/* Parse the tables from the loader's RSDP copy; find the firmware's own
 * RSDP (BIOS areas, or the EFI system table efi_systab if not 0). */
int acpi_init(uint64_t rsdp_paddr, uint64_t efi_systab);
uint32_t platform_isa_to_gsi(unsigned isa_irq, int *level, int *active_low);

#endif
