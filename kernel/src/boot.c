/*
 * Boot: with the memory map and modules the architecture's boot code found
 * (struct boot_state), carve the root task's objects from free RAM with a
 * simple allocator, load the root task's ELF image
 * from the first module, and hand everything else to it as capabilities:
 * the other modules as frames, all remaining RAM and the device address
 * space as untyped memory. Trusts the boot loader's data only as far as it
 * checks it.
 */
#include <types.h>
#include <kprintf.h>
#include <boot.h>
#include <argil/elf64.h>
#include <cap.h>
#include <tcb.h>
#include <sched.h>
#include <vspace.h>
#include <arch/mm.h>
#include <arch/pcpu.h>
#include <arch/boot.h>
#include <arch/context.h>

struct boot_state boot;

/* ---- memory regions ------------------------------------------------------ */

void boot_region_add(struct region *r, unsigned *n, uint64_t s, uint64_t e)
{
	if (e <= s)
		return;
	if (*n >= MAX_REGIONS) {
		kprintf("boot: too many memory regions, ignoring %lx-%lx\n", s, e);
		return;
	}
	r[*n].start = s;
	r[*n].end = e;
	(*n)++;
}

/* Remove [s, e) from a region list. */
void boot_region_cut(struct region *r, unsigned *n, uint64_t s, uint64_t e)
{
	for (unsigned i = 0; i < *n; i++) {
		uint64_t rs = r[i].start, re = r[i].end;
		if (e <= rs || s >= re)
			continue;
		if (s > rs && e < re) {
			r[i].end = s;
			boot_region_add(r, n, e, re);
		} else if (s <= rs && e >= re) {
			r[i] = r[--(*n)];
			i--;
		} else if (s <= rs) {
			r[i].start = e;
		} else {
			r[i].end = s;
		}
	}
}

/* Allocate from the top of the largest free region. */
uint64_t boot_alloc(uint64_t size, uint64_t align)
{
	int best = -1;
	for (unsigned i = 0; i < boot.nfree; i++) {
		struct region *r = &boot.freemem[i];
		if (r->end > DIRECT_MAP_MAX)
			continue;
		uint64_t a = ALIGN_DOWN(r->end - size, align);
		if (r->end < size || a < r->start)
			continue;
		if (best < 0 || (r->end - r->start) > (boot.freemem[best].end - boot.freemem[best].start))
			best = (int)i;
	}
	if (best < 0)
		panic("boot: out of memory allocating %lu bytes", size);
	struct region *r = &boot.freemem[best];
	uint64_t a = ALIGN_DOWN(r->end - size, align);
	uint64_t tail = r->end;
	r->end = a;
	if (a + size < tail)
		boot_region_add(boot.freemem, &boot.nfree, a + size, tail);
	memset(phys_to_virt(a), 0, size);
	return a;
}

/* ---- the root task ------------------------------------------------------ */

static uint64_t *root_pml4;
static struct cte *root_cnode;
static unsigned root_radix;
static uint64_t next_slot;

static void map_page(uint64_t va, uint64_t pa, bool write, bool exec)
{
	arch_boot_map(root_pml4, va, pa, write, exec);
}

static struct cte *new_slot(void)
{
	if (next_slot >= (1ull << root_radix))
		panic("boot: root CNode full");
	return &root_cnode[next_slot++];
}

static uint64_t load_elf(uint64_t pa, uint64_t size)
{
	const uint8_t *img = phys_to_virt(pa);
	const struct elf64_ehdr *eh = (const void *)img;
	if (size < sizeof(*eh) || !elf64_magic_ok(eh) || eh->ident[4] != ELF_CLASS64 ||
	    eh->machine != EM_X86_64 || eh->phentsize != sizeof(struct elf64_phdr) ||
	    eh->phoff > size || eh->phnum * sizeof(struct elf64_phdr) > size - eh->phoff)
		panic("root task: not a valid x86_64 ELF64 executable");
	const struct elf64_phdr *ph = (const void *)(img + eh->phoff);
	for (unsigned i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *p = &ph[i];
		if (p->type != PT_LOAD || p->memsz == 0)
			continue;
		if (p->offset > size || p->filesz > size - p->offset || p->filesz > p->memsz ||
		    p->vaddr >= ABI_USER_TOP - 4096 || p->memsz > ABI_USER_TOP - 4096 - p->vaddr)
			panic("root task: bad program header %u", i);
		bool w = p->flags & PF_W, x = p->flags & PF_X;
		for (uint64_t va = ALIGN_DOWN(p->vaddr, 4096); va < p->vaddr + p->memsz; va += 4096) {
			uint64_t frame;
			if (!arch_boot_mapped(root_pml4, va, w, x, &frame)) {
				frame = boot_alloc(4096, 4096);
				map_page(va, frame, w, x);
			}
			/* copy the file bytes that fall into this page */
			uint64_t lo = va > p->vaddr ? va : p->vaddr;
			uint64_t hi = va + 4096 < p->vaddr + p->filesz ? va + 4096 : p->vaddr + p->filesz;
			if (hi > lo)
				memcpy((uint8_t *)phys_to_virt(frame) + (lo - va), img + p->offset + (lo - p->vaddr), hi - lo);
		}
	}
	if (eh->entry >= ABI_USER_TOP)
		panic("root task: bad entry point");
	return eh->entry;
}

static void add_untyped(struct bootinfo *bi, uint64_t s, uint64_t e, bool device, uint64_t *dropped)
{
	while (s < e) {
		unsigned bits = s ? (unsigned)__builtin_ctzll(s) : 63;
		while (bits > OBJ_UNTYPED_MAX_BITS || (1ull << bits) > e - s)
			bits--;
		if (bits >= OBJ_UNTYPED_MIN_BITS && bi->num_untyped < BOOTINFO_MAX_UNTYPED) {
			struct bootinfo_untyped *u = &bi->untyped_list[bi->num_untyped++];
			u->paddr = s;
			u->size_bits = (uint8_t)bits;
			u->is_device = device;
			struct cap c = cap_make(OBJ_UNTYPED, RIGHTS_ALL, s, 0);
			cap_set_bits(&c, bits);
			cap_set_device(&c, device);
			cte_insert_child(NULL, new_slot(), c);
		} else {
			*dropped += 1ull << bits;
		}
		s += 1ull << bits;
	}
}

/* The device address space below 4 GiB, in address order: every page
 * that holds no RAM from 1 MiB up, and the BIOS area [0xe0000, 1 MiB)
 * where the RSDP may be (ACPI tables, firmware-reserved ranges and the
 * PCI windows among them), except the MiBs of the registers the kernel
 * keeps. */
static unsigned device_regions(struct region *dev)
{
	unsigned n = 0;

	boot_region_add(dev, &n, 0xe0000, 4ull << 30);
	for (unsigned i = 0; i < boot.nram_pages; i++)
		boot_region_cut(dev, &n, boot.ram_pages[i].start, boot.ram_pages[i].end);
	for (uint64_t a = 0x100000; a < (4ull << 30); a += 0x100000)
		if (arch_device_reserved(a))
			boot_region_cut(dev, &n, a, a + 0x100000);
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && dev[j].start < dev[j - 1].start; j--) {
			struct region t = dev[j];
			dev[j] = dev[j - 1];
			dev[j - 1] = t;
		}
	return n;
}

void create_root_task(void)
{
	unsigned nframes = 0;
	for (unsigned m = 1; m < boot.nmodules; m++)
		nframes += (unsigned)(ALIGN_UP(boot.modules[m].end - boot.modules[m].start, 4096) >> 12);
	uint64_t need = INIT_FIRST_FREE_FIXED + nframes + BOOTINFO_MAX_UNTYPED + 1024;
	root_radix = 12;
	while ((1ull << root_radix) < 2 * need && root_radix < OBJ_CNODE_MAX_RADIX)
		root_radix++;

	/* objects */
	root_cnode = phys_to_virt(boot_alloc(1ull << (root_radix + OBJ_CNODE_SLOT_BITS), 1ull << (root_radix + OBJ_CNODE_SLOT_BITS)));
	struct tcb *tcb = phys_to_virt(boot_alloc(1u << OBJ_TCB_BITS, 1u << OBJ_TCB_BITS));
	root_pml4 = phys_to_virt(boot_alloc(4096, 4096));
	pml4_init(root_pml4);
	unsigned asid = asid_alloc(root_pml4);
	uint64_t bi_pa = boot_alloc(4096, 4096), ipc_pa = boot_alloc(4096, 4096);
	struct bootinfo *bi = phys_to_virt(bi_pa);
	_Static_assert(sizeof(struct bootinfo) <= 4096, "boot info must fit a page");

	/* address space: image, stack, IPC buffer, boot info */
	uint64_t entry = load_elf(boot.modules[0].start, boot.modules[0].end - boot.modules[0].start);
	for (uint64_t va = ROOT_STACK_TOP - ROOT_STACK_SIZE; va < ROOT_STACK_TOP; va += 4096)
		map_page(va, boot_alloc(4096, 4096), true, false);
	map_page(ROOT_IPC_BUFFER_VADDR, ipc_pa, true, false);
	map_page(ROOT_BOOTINFO_VADDR, bi_pa, false, false);

	/* fixed capabilities */
	struct cap c;
	next_slot = INIT_FIRST_FREE_FIXED;
	c = cap_make(OBJ_CNODE, RIGHTS_ALL, (uint64_t)root_cnode, 0);
	cap_set_bits(&c, root_radix);
	cap_set_guard_size(&c, 64 - root_radix);
	cte_insert_child(NULL, &root_cnode[INIT_CNODE], c);
	cte_insert_child(NULL, &root_cnode[INIT_TCB], cap_make(OBJ_TCB, RIGHTS_ALL, (uint64_t)tcb, 0));
	c = cap_make(OBJ_PML4, RIGHTS_ALL, (uint64_t)root_pml4, 0);
	cap_set_asid(&c, asid);
	cap_set_vspace_root(&c, virt_to_phys(root_pml4));
	cte_insert_child(NULL, &root_cnode[INIT_VSPACE], c);
	cte_insert_child(NULL, &root_cnode[INIT_IRQ_CONTROL], cap_make(CAP_IRQ_CONTROL, RIGHTS_ALL, 0, 0));
	cte_insert_child(NULL, &root_cnode[INIT_IOPORT_CONTROL], cap_make(CAP_IOPORT_CONTROL, RIGHTS_ALL, 0, 0));
	c = cap_make(OBJ_FRAME_4K, RIGHT_READ, bi_pa, 0);
	cap_set_mapping(&c, asid, ROOT_BOOTINFO_VADDR, true);
	cte_insert_child(NULL, &root_cnode[INIT_BOOTINFO_FRAME], c);
	c = cap_make(OBJ_FRAME_4K, RIGHT_READ | RIGHT_WRITE, ipc_pa, 0);
	cap_set_mapping(&c, asid, ROOT_IPC_BUFFER_VADDR, true);
	cte_insert_child(NULL, &root_cnode[INIT_IPC_BUFFER], c);

	/* the thread */
	tcb_init(tcb);
	cte_insert_child(&root_cnode[INIT_CNODE], &tcb->slots[TCB_SLOT_CSPACE], root_cnode[INIT_CNODE].cap);
	cte_insert_child(&root_cnode[INIT_VSPACE], &tcb->slots[TCB_SLOT_VSPACE], root_cnode[INIT_VSPACE].cap);
	c = root_cnode[INIT_IPC_BUFFER].cap;
	cap_set_mapping(&c, 0, 0, false);
	cte_insert_child(&root_cnode[INIT_IPC_BUFFER], &tcb->slots[TCB_SLOT_IPCBUF], c);
	tcb->ipc_buffer_vaddr = ROOT_IPC_BUFFER_VADDR;
	tcb->prio = ABI_PRIO_MAX;
	tcb->mcp = ABI_PRIO_MAX;
	arch_ctx_set_entry(&tcb->ctx, entry, ROOT_STACK_TOP, ROOT_BOOTINFO_VADDR);

	/* boot info and the remaining capabilities */
	bi->magic = BOOTINFO_MAGIC;
	bi->num_cpus = num_cpus;
	bi->cnode_radix = root_radix;
	bi->ipc_buffer = ROOT_IPC_BUFFER_VADDR;
	bi->total_ram = boot.total_ram;
	for (unsigned m = 1; m < boot.nmodules; m++) {
		struct bootinfo_module *bm = &bi->modules[bi->num_modules++];
		bm->paddr = boot.modules[m].start;
		bm->size = boot.modules[m].end - boot.modules[m].start;
		memcpy(bm->name, boot.module_names[m], sizeof(bm->name));
		bm->frames.start = next_slot;
		for (uint64_t pa = ALIGN_DOWN(bm->paddr, 4096); pa < bm->paddr + bm->size; pa += 4096)
			cte_insert_child(NULL, new_slot(), cap_make(OBJ_FRAME_4K, RIGHT_READ | RIGHT_WRITE, pa, 0));
		bm->frames.end = next_slot;
	}
	uint64_t dropped = 0, free_total = 0;
	bi->untyped.start = next_slot;
	for (unsigned i = 0; i < boot.nfree; i++) {
		uint64_t s = boot.freemem[i].start, e = boot.freemem[i].end;
		if (e > DIRECT_MAP_MAX)
			e = DIRECT_MAP_MAX;
		if (s < e) {
			add_untyped(bi, s, e, false, &dropped);
			free_total += e - s;
		}
	}
	/* device space: what is not RAM below 4 GiB (not what the kernel keeps) and above RAM */
	static struct region dev[MAX_REGIONS];
	unsigned ndev = device_regions(dev);
	uint64_t dev_dropped = 0;
	for (unsigned i = 0; i < ndev; i++)
		add_untyped(bi, dev[i].start, dev[i].end, true, &dev_dropped);
	uint64_t hi = ALIGN_UP(boot.ram_top > (4ull << 30) ? boot.ram_top : (4ull << 30), 1ull << 30);
	add_untyped(bi, hi, 1ull << 40, true, &dev_dropped);
	bi->untyped.end = next_slot;
	bi->empty.start = next_slot;
	bi->empty.end = 1ull << root_radix;
	bi->kernel_reserved = boot.total_ram - free_total;
	bi->fb = boot.fb;
	arch_fill_bootinfo(bi);               /* timer rate, HPET, ACPI, features */
	if (dropped)
		kprintf("boot: %lu KiB of RAM not handed out (too many untyped regions)\n", dropped >> 10);
	if (dev_dropped)
		kprintf("boot: %lu MiB of device space not handed out (too many untyped regions)\n", dev_dropped >> 20);

	sched_make_runnable(tcb);
}
