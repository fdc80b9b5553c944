/*
 * The root task's environment (argil/env.h): slots from bootinfo->empty,
 * kernel objects retyped from the boot untypeds, a scratch window in the
 * root VSpace, env_reset to start over.
 * Trusts bootinfo; checks every kernel reply.
 */
#include <argil/env.h>
#include <argil/kernel.h>
#include <argil/printf.h>
#include <argil/string.h>

#define PAGE 4096ul

cptr_t env_slot(struct env *e)
{
	if (e->slot_next >= e->slot_end)
		return 0;
	return e->slot_next++;
}

abi_error_t env_new(struct env *e, word_t type, word_t size_bits, cptr_t *out)
{
	word_t need = abi_object_bits(type, size_bits);
	cptr_t slot = env_slot(e);
	abi_error_t err = E_NOT_ENOUGH_MEMORY;

	if (!slot)
		return E_RANGE;
	if (e->only_ut) {
		err = untyped_retype(e->only_ut, type, size_bits, INIT_CNODE, 0, 0, slot, 1);
		if (err == E_OK) {
			*out = slot;
			return E_OK;
		}
		goto fail;
	}
	for (int k = 0; k < e->n_ut; k++) {
		int i = (e->ut_cur + k) % e->n_ut;
		if (e->ut[i].bits < need)
			continue;
		err = untyped_retype(e->ut[i].cap, type, size_bits, INIT_CNODE, 0, 0, slot, 1);
		if (err == E_OK) {
			e->ut[i].touched = 1;
			e->ut_cur = i;
			*out = slot;
			return E_OK;
		}
		if (err != E_NOT_ENOUGH_MEMORY)
			break;
	}
fail:
	if (slot == e->slot_next - 1)
		e->slot_next--;
	return err;
}

cptr_t env_obj(struct env *e, word_t type, word_t size_bits)
{
	cptr_t c = 0;

	if (env_new(e, type, size_bits, &c) != E_OK)
		return 0;
	return c;
}

word_t env_max_untyped_bits(struct env *e)
{
	return e->n_ut ? e->ut[0].bits : 0;
}

void *env_map(struct env *e, cptr_t frame, word_t rights)
{
	if (e->scratch_next >= ENV_SCRATCH_PAGES)
		return 0;
	word_t va = ENV_SCRATCH_VADDR + e->scratch_next * PAGE;
	if (frame_map(frame, INIT_VSPACE, va, rights, 0) != E_OK)
		return 0;
	e->scratch_next++;
	return (void *)va;
}

void *env_page(struct env *e, cptr_t *frame_out)
{
	cptr_t f = env_obj(e, OBJ_FRAME_4K, 0);
	void *p;

	if (!f)
		return 0;
	p = env_map(e, f, RIGHT_READ | RIGHT_WRITE);
	if (!p)
		return 0;
	memset(p, 0, PAGE);
	if (frame_out)
		*frame_out = f;
	return p;
}

abi_error_t env_fill_frame(struct env *e, cptr_t frame, word_t offset, const void *src, word_t n)
{
	word_t va = ENV_SCRATCH_VADDR + ENV_SCRATCH_PAGES * PAGE;
	abi_error_t err;

	(void)e;
	if (offset + n > PAGE)
		return E_RANGE;
	err = frame_map(frame, INIT_VSPACE, va, RIGHT_READ | RIGHT_WRITE, 0);
	if (err != E_OK)
		return err;
	if (src)
		memcpy((char *)va + offset, src, n);
	else
		memset((char *)va + offset, 0, n);
	return frame_unmap(frame);
}

/* Map the scratch window's PDPT, PD and PT from the reserved untyped. */
static abi_error_t env_map_scratch(struct env *e)
{
	static const word_t types[3] = { OBJ_PDPT, OBJ_PD, OBJ_PT };
	abi_error_t err = E_OK;

	for (int i = 0; i < 3 && err == E_OK; i++) {
		cptr_t slot = env_slot(e);
		if (!slot)
			return E_RANGE;
		err = untyped_retype(e->perm_ut, types[i], 0, INIT_CNODE, 0, 0, slot, 1);
		if (err != E_OK)
			break;
		switch (types[i]) {
		case OBJ_PDPT: err = pdpt_map(slot, INIT_VSPACE, ENV_SCRATCH_VADDR); break;
		case OBJ_PD: err = pd_map(slot, INIT_VSPACE, ENV_SCRATCH_VADDR); break;
		default: err = pt_map(slot, INIT_VSPACE, ENV_SCRATCH_VADDR); break;
		}
	}
	return err;
}

abi_error_t env_init(struct env *e, struct bootinfo *bi)
{
	int perm = -1;

	memset(e, 0, sizeof(*e));
	e->bi = bi;
	e->radix = bi->cnode_radix;
	e->slot_next = bi->empty.start;
	e->slot_end = bi->empty.end;
	e->stacks_used = 1;

	/* The reserved untyped: the smallest normal one of at least 64 KiB. */
	for (word_t i = 0; i < bi->num_untyped && i < BOOTINFO_MAX_UNTYPED; i++) {
		const struct bootinfo_untyped *u = &bi->untyped_list[i];
		if (u->is_device || u->size_bits < 16)
			continue;
		if (perm < 0 || u->size_bits < bi->untyped_list[perm].size_bits)
			perm = (int)i;
	}
	if (perm < 0)
		return E_NOT_ENOUGH_MEMORY;
	e->perm_ut = bi->untyped.start + (word_t)perm;

	for (word_t i = 0; i < bi->num_untyped && i < BOOTINFO_MAX_UNTYPED; i++) {
		const struct bootinfo_untyped *u = &bi->untyped_list[i];
		if (u->is_device || (int)i == perm || u->size_bits < OBJ_PAGE_BITS)
			continue;
		/* insertion sort, largest first */
		int j = e->n_ut++;
		while (j > 0 && e->ut[j - 1].bits < u->size_bits) {
			e->ut[j] = e->ut[j - 1];
			j--;
		}
		e->ut[j].cap = bi->untyped.start + i;
		e->ut[j].bits = u->size_bits;
		e->ut[j].touched = 0;
		e->total_bytes += 1ul << u->size_bits;
	}

	abi_error_t err = env_map_scratch(e);
	e->slot_base = e->slot_next;
	return err;
}

void env_reset(struct env *e)
{
	for (int i = 0; i < e->n_ut; i++) {
		if (!e->ut[i].touched)
			continue;
		abi_error_t err = cnode_revoke(INIT_CNODE, e->ut[i].cap, 64);
		if (err != E_OK)
			printf("# env_reset: revoke of untyped %lu: error %d\n", e->ut[i].cap, err);
		e->ut[i].touched = 0;
	}
	for (word_t s = e->slot_base; s < e->slot_next; s++) {
		abi_error_t err = cnode_delete(INIT_CNODE, s, 64);
		if (err != E_OK)
			printf("# env_reset: delete of slot %lu: error %d\n", s, err);
	}
	e->slot_next = e->slot_base;
	e->scratch_next = 0;
	e->stacks_used = 1;
	e->ut_cur = 0;
	e->only_ut = 0;
}
