/*
 * Core's own address space: the heap window (page tables made at boot),
 * the boot modules mapped read-only, and a scratch window for filling
 * frames of clients. Paging structures made here are core's for good.
 */
#include "core.h"

#define SCRATCH_PAGES 512

static word_t module_top;

static rpc_status_t table(word_t type, word_t va)
{
	struct kobj k;
	rpc_status_t st = kobj_new(&core_acct, type, 0, &k);
	abi_error_t e;

	if (st != RPC_OK)
		return st;
	switch (type) {
	case OBJ_PDPT: e = pdpt_map(k.cap, INIT_VSPACE, va); break;
	case OBJ_PD: e = pd_map(k.cap, INIT_VSPACE, va); break;
	default: e = pt_map(k.cap, INIT_VSPACE, va); break;
	}
	return e == E_OK ? RPC_OK : RPC_E_UNAVAILABLE;
}

/* Page tables so that [va, va+size) can take 4 KiB mappings. */
static void cover(word_t va, word_t size)
{
	word_t end = va + size;

	for (word_t a = va & ~((1ul << 39) - 1); a < end; a += 1ul << 39)
		table(OBJ_PDPT, a);
	for (word_t a = va & ~((1ul << 30) - 1); a < end; a += 1ul << 30)
		table(OBJ_PD, a);
	for (word_t a = va & ~((1ul << 21) - 1); a < end; a += 1ul << 21)
		if (table(OBJ_PT, a) != RPC_OK)
			core_panic("no memory for core's page tables", (long)a);
}

rpc_status_t vm_map_core(word_t va, cptr_t frame, bool write)
{
	abi_error_t e = frame_map(frame, INIT_VSPACE, va, write ? RIGHT_READ | RIGHT_WRITE : RIGHT_READ, 0);
	return e == E_OK ? RPC_OK : RPC_E_UNAVAILABLE;
}

void *vm_scratch_map(cptr_t frame, int idx)
{
	word_t va = CORE_SCRATCH_BASE + (word_t)idx * PAGE;

	if (idx < 0 || idx >= SCRATCH_PAGES || vm_map_core(va, frame, true) != RPC_OK)
		return 0;
	return (void *)va;
}

void vm_scratch_unmap(cptr_t frame)
{
	frame_unmap(frame);
}

void *vm_module_base(void) { return (void *)CORE_MODULE_BASE; }

void vm_init(struct bootinfo *bi)
{
	word_t total = 0;

	cover(CORE_HEAP_BASE, CORE_HEAP_PAGES * PAGE);
	cover(CORE_SCRATCH_BASE, SCRATCH_PAGES * PAGE);
	for (word_t m = 0; m < bi->num_modules && m < BOOTINFO_MAX_MODULES; m++) {
		word_t pages = bi->modules[m].frames.end - bi->modules[m].frames.start;
		total += (pages * PAGE + (1ul << 21) - 1) & ~((1ul << 21) - 1);
	}
	if (total)
		cover(CORE_MODULE_BASE, total);
	module_top = CORE_MODULE_BASE;
}

/* Map a module's frames; returns its address in core. */
void *vm_map_module(const struct bootinfo_module *m)
{
	word_t va = module_top;
	word_t pages = m->frames.end - m->frames.start;

	for (word_t i = 0; i < pages; i++)
		if (vm_map_core(va + i * PAGE, m->frames.start + i, false) != RPC_OK)
			core_panic("mapping a boot module", (long)i);
	module_top += (pages * PAGE + (1ul << 21) - 1) & ~((1ul << 21) - 1);
	return (void *)va;
}
