/*
 * The multiboot2 boot information (GRUB, or the UEFI loader that speaks
 * the same protocol): the memory map, the boot modules and the ACPI RSDP
 * copy go into struct boot_state; free memory is RAM above 1 MiB minus
 * the kernel image, the modules and the information itself. Trusts the
 * loader's data only as far as it checks it.
 */
#include <types.h>
#include <kprintf.h>
#include <boot.h>
#include <arch/mm.h>
#include <arch/boot.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289

extern uint8_t kernel_image_start[], kernel_image_end[];

void multiboot_parse(uint32_t magic, uint64_t info_paddr)
{
	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not booted by a multiboot2 loader (magic %x)", magic);
	/* the boot tables identity map the first GiB; GRUB keeps info there */
	uint8_t *info = (uint8_t *)info_paddr;
	uint32_t total = *(uint32_t *)info;
	if (info_paddr + total > (1ull << 30))
		panic("multiboot info above 1 GiB");
	for (uint32_t off = 8; off + 8 <= total;) {
		uint32_t type = *(uint32_t *)(info + off), size = *(uint32_t *)(info + off + 4);
		if (type == 0 || size < 8)
			break;
		uint8_t *tag = info + off;
		if (type == 6) {                       /* memory map */
			uint32_t esize = *(uint32_t *)(tag + 8);
			for (uint32_t p = 16; esize >= 24 && p + esize <= size; p += esize) {
				uint64_t base = *(uint64_t *)(tag + p), len = *(uint64_t *)(tag + p + 8);
				uint32_t mtype = *(uint32_t *)(tag + p + 16);
				if (mtype != 1 || base + len < base)
					continue;
				uint64_t s = ALIGN_UP(base, 4096), e = ALIGN_DOWN(base + len, 4096);
				if (e <= s)
					continue;
				boot_region_add(boot.ram, &boot.nram, s, e);
				boot.total_ram += e - s;
				if (e > boot.ram_top)
					boot.ram_top = e;
			}
		} else if (type == 3 && boot.nmodules < BOOTINFO_MAX_MODULES) {   /* module */
			uint32_t ms = *(uint32_t *)(tag + 8), me = *(uint32_t *)(tag + 12);
			const char *name = (const char *)(tag + 16);
			unsigned m = boot.nmodules++;
			boot.modules[m].start = ms;
			boot.modules[m].end = me;
			size_t l = 0;
			while (l + 16 < size && l < 63 && name[l]) {
				boot.module_names[m][l] = name[l];
				l++;
			}
			boot.module_names[m][l] = 0;
		} else if (type == 14 && !boot.rsdp_paddr) {    /* ACPI 1.0 RSDP copy */
			boot.rsdp_paddr = info_paddr + off + 8;
		} else if (type == 15) {                        /* ACPI 2.0 RSDP copy */
			boot.rsdp_paddr = info_paddr + off + 8;
		}
		off += ALIGN_UP(size, 8);
	}
	if (!boot.nram)
		panic("no memory map from the boot loader");
	if (!boot.nmodules)
		panic("no boot modules: the first module must be the root task");
	/* free memory: RAM above 1 MiB minus the kernel and the modules */
	for (unsigned i = 0; i < boot.nram; i++) {
		uint64_t s = boot.ram[i].start < 0x100000 ? 0x100000 : boot.ram[i].start;
		boot_region_add(boot.freemem, &boot.nfree, s, boot.ram[i].end);
	}
	boot_region_cut(boot.freemem, &boot.nfree, virt_to_phys(kernel_image_start), virt_to_phys(kernel_image_end));
	for (unsigned m = 0; m < boot.nmodules; m++)
		boot_region_cut(boot.freemem, &boot.nfree, ALIGN_DOWN(boot.modules[m].start, 4096),
			   ALIGN_UP(boot.modules[m].end, 4096));
	/* keep the multiboot info until ACPI is parsed: it holds the RSDP copy */
	boot_region_cut(boot.freemem, &boot.nfree, ALIGN_DOWN(info_paddr, 4096), ALIGN_UP(info_paddr + total, 4096));
}
