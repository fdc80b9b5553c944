/*
 * The multiboot2 boot information (GRUB, or the UEFI loader that speaks
 * the same protocol): the memory map, the boot modules, the ACPI RSDP
 * copy, the EFI system table and the framebuffer go into struct
 * boot_state; free memory is RAM above 1 MiB minus
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

/* The framebuffer tag: address, pitch, width, height, bpp, type at 8..29;
 * for direct RGB (type 1) the field positions and sizes at 32..37 (GRUB's
 * layout: two reserved bytes at 30). Only a linear RGB framebuffer is
 * kept; a text-mode or palette "framebuffer" is not one. */
static void framebuffer_tag(const uint8_t *tag, uint32_t size)
{
	struct bootinfo_fb *fb = &boot.fb;
	uint8_t type = tag[29];

	if (type != 1 || size < 38) {
		kprintf("boot: framebuffer of type %u not used (only direct RGB)\n", type);
		return;
	}
	fb->paddr = *(const uint64_t *)(tag + 8);
	fb->pitch = *(const uint32_t *)(tag + 16);
	fb->width = *(const uint32_t *)(tag + 20);
	fb->height = *(const uint32_t *)(tag + 24);
	fb->bpp = tag[28];
	fb->red_pos = tag[32];
	fb->red_size = tag[33];
	fb->green_pos = tag[34];
	fb->green_size = tag[35];
	fb->blue_pos = tag[36];
	fb->blue_size = tag[37];
	if (!fb->paddr || !fb->pitch || !fb->width || !fb->height || fb->bpp < 8 ||
	    fb->pitch < (uint64_t)fb->width * fb->bpp / 8) {
		kprintf("boot: framebuffer tag makes no sense, not used\n");
		*fb = (struct bootinfo_fb){ 0 };
		return;
	}
	kprintf("boot: framebuffer %ux%u, %u bits per pixel, at %lx\n", fb->width, fb->height, fb->bpp, fb->paddr);
}

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
				/* every page RAM touches is no device memory */
				boot_region_add(boot.ram_pages, &boot.nram_pages, ALIGN_DOWN(base, 4096),
						ALIGN_UP(base + len, 4096));
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
		} else if (type == 12 && size >= 16) {          /* EFI 64-bit system table */
			boot.efi_systab = *(uint64_t *)(tag + 8);
		} else if (type == 8 && size >= 31) {           /* framebuffer */
			framebuffer_tag(tag, size);
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
