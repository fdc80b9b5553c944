/*
 * Region maps: each PD's address space is a sorted list of regions, each a
 * window onto a dataspace. Attaching checks everything, makes the page
 * tables and reserves one slot per page; pages are mapped when first
 * touched (core is the pager: fault_handle calls region_resolve), each
 * mapping through a copy of the frame cap in the PD's account. Detaching
 * deletes those copies, which unmaps the pages while the page tables are
 * still in place (so no stale entry survives; see docs/kernel.md 16.1).
 */
#include "core.h"
#include <argil/pd.h>
#include <argil/component.h>

struct region *region_find(struct pd *pd, word_t addr)
{
	for (struct region *r = pd->regions; r && r->base <= addr; r = r->next)
		if (addr - r->base < r->size)
			return r;
	return 0;
}

static bool range_free(struct pd *pd, word_t base, word_t size)
{
	for (struct region *r = pd->regions; r && r->base < base + size; r = r->next)
		if (r->base + r->size > base)
			return false;
	return true;
}

void region_link(struct pd *pd, struct region *n)
{
	struct region **pp = &pd->regions;

	while (*pp && (*pp)->base < n->base)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
	n->pd = pd;
}

void region_unlink(struct region *n)
{
	struct region **pp = &n->pd->regions;

	while (*pp && *pp != n)
		pp = &(*pp)->next;
	if (*pp)
		*pp = n->next;
}

/* Lowest free address in [lo, hi) for size bytes aligned to 2^align. */
static word_t find_gap(struct pd *pd, word_t size, word_t align, word_t lo, word_t hi)
{
	word_t a = (lo + (1ul << align) - 1) & ~((1ul << align) - 1);

	for (struct region *r = pd->regions; r; r = r->next) {
		if (r->base + r->size <= a)
			continue;
		if (r->base >= a + size)
			break;
		a = (r->base + r->size + (1ul << align) - 1) & ~((1ul << align) - 1);
	}
	if (a < lo || a + size > hi || a + size < a)
		return 0;
	return a;
}

static struct ptable *table_find(struct pd *pd, word_t level, word_t base)
{
	for (struct ptable *t = pd->tables; t; t = t->next)
		if (t->level == level && t->base == base)
			return t;
	return 0;
}

static rpc_status_t table_make(struct pd *pd, word_t level, word_t base)
{
	static const word_t types[4] = { 0, OBJ_PT, OBJ_PD, OBJ_PDPT };
	rpc_status_t st;
	struct ptable *t;
	abi_error_t e;

	if (table_find(pd, level, base))
		return RPC_OK;
	t = acct_alloc(&pd->s.acct, sizeof(*t), &st);
	if (!t)
		return st;
	st = kobj_new(&pd->s.acct, types[level], 0, &t->ko);
	if (st != RPC_OK) {
		acct_free(&pd->s.acct, t, sizeof(*t));
		return st;
	}
	switch (level) {
	case 3: e = pdpt_map(t->ko.cap, pd->pml4.cap, base); break;
	case 2: e = pd_map(t->ko.cap, pd->pml4.cap, base); break;
	default: e = pt_map(t->ko.cap, pd->pml4.cap, base); break;
	}
	if (e != E_OK) {
		printf("[core] page table level %lu at %lx: error %d\n", level, base, e);
		kobj_free(&pd->s.acct, &t->ko);
		acct_free(&pd->s.acct, t, sizeof(*t));
		return RPC_E_UNAVAILABLE;
	}
	t->level = level;
	t->base = base;
	t->next = pd->tables;
	pd->tables = t;
	return RPC_OK;
}

/* Free the page tables over [va, va + size) that no region needs any more
 * (their entries are all empty by then: every page was unmapped while the
 * tables were still in place). */
void pd_tables_trim(struct pd *pd, word_t va, word_t size)
{
	static const word_t shift[4] = { 0, 21, 30, 39 };
	word_t end = va + size;

	for (word_t level = 1; level <= 3; level++) {
		word_t span = 1ul << shift[level];
		for (word_t a = va & ~(span - 1); a < end; a += span) {
			if (!range_free(pd, a, span))
				continue;
			struct ptable **pp = &pd->tables;
			while (*pp && !((*pp)->level == level && (*pp)->base == a))
				pp = &(*pp)->next;
			if (!*pp)
				continue;
			struct ptable *t = *pp;
			*pp = t->next;
			kobj_free(&pd->s.acct, &t->ko);   /* unmaps it from the PML4 */
			acct_free(&pd->s.acct, t, sizeof(*t));
		}
	}
}

rpc_status_t pd_tables(struct pd *pd, word_t va, word_t size)
{
	static const word_t shift[4] = { 0, 21, 30, 39 };
	word_t end = va + size;
	rpc_status_t st;

	for (word_t level = 3; level >= 1; level--) {
		word_t span = 1ul << shift[level];
		for (word_t a = va & ~(span - 1); a < end; a += span) {
			st = table_make(pd, level, a);
			if (st != RPC_OK)
				return st;
		}
	}
	return RPC_OK;
}

rpc_status_t region_attach(struct pd *pd, struct ds *ds, word_t addr, word_t size, word_t offset,
			   word_t flags, word_t *out)
{
	word_t dsize = ds->pages * PAGE, base;
	rpc_status_t st;

	if (flags & ~(ATTACH_WRITE | ATTACH_EXEC | ATTACH_FIXED | ATTACH_ALIGN(0x3f)))
		return RPC_E_INVALID_ARGUMENT;
	if (offset % PAGE || offset >= dsize)
		return RPC_E_INVALID_ARGUMENT;
	if (size == 0)
		size = dsize - offset;
	size = (size + PAGE - 1) & ~(PAGE - 1);
	if (size == 0 || size > dsize - offset)
		return RPC_E_INVALID_ARGUMENT;
	if ((flags & ATTACH_WRITE) && !(ds->flags & DS_WRITABLE))
		return RPC_E_DENIED;
	if (flags & ATTACH_FIXED) {
		if (addr % PAGE || addr < PAGE || addr >= ABI_USER_TOP - PAGE ||
		    size > ABI_USER_TOP - PAGE - addr)
			return RPC_E_INVALID_ARGUMENT;
		if (!range_free(pd, addr, size))
			return RPC_E_EXISTS;
		base = addr;
	} else {
		word_t align = ATTACH_ALIGN_OF(flags);
		if (align < PAGE_BITS)
			align = PAGE_BITS;
		if (align > 30)
			return RPC_E_INVALID_ARGUMENT;
		base = find_gap(pd, size, align, COMPONENT_ANY_BASE, COMPONENT_ANY_END);
		if (!base)
			return RPC_E_NOT_FOUND;
	}
	st = pd_tables(pd, base, size);
	if (st != RPC_OK)
		return st;
	word_t pages = size / PAGE;
	struct region *r = acct_alloc(&pd->s.acct, sizeof(*r), &st);
	if (r) {
		r->maps = acct_alloc(&pd->s.acct, pages * sizeof(cptr_t), &st);
		if (r->maps) {
			st = slot_reserve(&pd->s.acct, pages);
			if (st != RPC_OK)
				acct_free(&pd->s.acct, r->maps, pages * sizeof(cptr_t));
		}
		if (!r->maps || st != RPC_OK) {
			acct_free(&pd->s.acct, r, sizeof(*r));
			r = 0;
		}
	}
	if (!r) {
		pd_tables_trim(pd, base, size);
		return st;
	}
	r->ds = ds;
	r->base = base;
	r->size = size;
	r->offset = offset;
	r->flags = flags & (ATTACH_WRITE | ATTACH_EXEC);
	r->pages = pages;
	region_link(pd, r);
	r->next_of_ds = ds->attachments;
	ds->attachments = r;
	*out = base;
	return RPC_OK;
}

void region_destroy(struct region *r)
{
	struct pd *pd = r->pd;

	slot_unreserve(&pd->s.acct, r->pages - r->mapped);
	for (word_t i = 0; i < r->pages; i++) {
		if (!r->maps[i])
			continue;
		c_delete(r->maps[i]);   /* unmaps the page */
		slot_put(&pd->s.acct, r->maps[i]);
	}
	region_unlink(r);
	struct region **pp = &r->ds->attachments;
	while (*pp && *pp != r)
		pp = &(*pp)->next_of_ds;
	if (*pp)
		*pp = r->next_of_ds;
	pd_tables_trim(pd, r->base, r->size);
	acct_free(&pd->s.acct, r->maps, r->pages * sizeof(cptr_t));
	acct_free(&pd->s.acct, r, sizeof(*r));
}

rpc_status_t region_detach(struct pd *pd, word_t addr)
{
	struct region *r = region_find(pd, addr);

	if (!r || r->base != addr || !r->ds)
		return RPC_E_NOT_FOUND;
	region_destroy(r);
	return RPC_OK;
}

bool region_resolve(struct region *r, word_t addr, bool write, bool exec)
{
	struct pd *pd = r->pd;
	word_t i = (addr - r->base) / PAGE;
	cptr_t c;

	if (!r->ds || (write && !(r->flags & ATTACH_WRITE)) || (exec && !(r->flags & ATTACH_EXEC)))
		return false;
	if (r->maps[i])
		return true;   /* mapped meanwhile (another thread faulted first) */
	if (slot_take_reserved(&pd->s.acct, &c) != RPC_OK)
		return false;
	word_t rights = RIGHT_READ | ((r->flags & ATTACH_WRITE) ? RIGHT_WRITE : 0);
	word_t attrs = r->ds->map_attrs | ((r->flags & ATTACH_EXEC) ? MAP_EXECUTE : 0);
	abi_error_t e = c_copy(c, r->ds->frames[r->offset / PAGE + i], RIGHTS_ALL);
	if (e == E_OK)
		e = frame_map(c, pd->pml4.cap, r->base + i * PAGE, rights, attrs);
	if (e != E_OK) {
		printf("[core] mapping %lx in '%s' failed: %d\n", r->base + i * PAGE, pd->s.label, e);
		c_delete(c);
		slot_put(&pd->s.acct, c);
		slot_reserve(&pd->s.acct, 1);
		return false;
	}
	r->maps[i] = c;
	r->mapped++;
	return true;
}
