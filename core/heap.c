/*
 * Core's heap for its bookkeeping: slabs of one page for objects up to
 * 2 KiB (classes 32..2048 bytes), runs of pages above. Every page is a
 * frame of its own block, mapped in the heap window; a slab page goes back
 * as soon as its last object is freed, so the heap holds exactly what is
 * in use. Callers charge heap_charge(size) to the account they allocate
 * for; the memory itself comes from core's own account.
 */
#include "core.h"

#define NCLASS 7
#define MIN_CLASS_BITS 5
#define SLAB_HDR 64

struct slab {
	struct slab *next, *prev;   /* in the partial list of its class */
	void *free;                 /* free objects, linked through their first word */
	uint32_t cls, used, cap, pad;
};

static struct kobj pages[CORE_HEAP_PAGES];
static uint64_t va_used[CORE_HEAP_PAGES / 64];
static struct slab *partial[NCLASS];
static word_t class_free[NCLASS];   /* free objects in the partial slabs */
static word_t in_use;

static int class_of(size_t size)
{
	for (int c = 0; c < NCLASS; c++)
		if (size <= (1ul << (MIN_CLASS_BITS + c)))
			return c;
	return -1;
}

word_t heap_charge(size_t size)
{
	int c = class_of(size);

	if (size == 0)
		return 0;
	if (c >= 0)
		return 1ul << (MIN_CLASS_BITS + c);
	return (size + PAGE - 1) & ~(PAGE - 1);
}

word_t heap_in_use(void) { return in_use; }

static bool va_is_used(word_t i) { return va_used[i / 64] & (1ull << (i % 64)); }

static void *page_alloc(word_t n)
{
	word_t run = 0, start = 0;

	for (word_t i = 0; i < CORE_HEAP_PAGES; i++) {
		if (va_is_used(i)) {
			run = 0;
			continue;
		}
		if (run++ == 0)
			start = i;
		if (run < n)
			continue;
		/* the addresses are taken first: getting a frame can take a
		 * page for the buddy allocator's nodes (a nested page_alloc) */
		for (word_t k = start; k < start + n; k++)
			va_used[k / 64] |= 1ull << (k % 64);
		for (word_t k = start; k < start + n; k++) {
			if (kobj_new(&core_acct, OBJ_FRAME_4K, 0, &pages[k]) != RPC_OK ||
			    vm_map_core(CORE_HEAP_BASE + k * PAGE, pages[k].cap, true) != RPC_OK) {
				for (word_t j = start; j <= k; j++)
					kobj_free(&core_acct, &pages[j]);
				for (word_t j = start; j < start + n; j++)
					va_used[j / 64] &= ~(1ull << (j % 64));
				return 0;
			}
		}
		return (void *)(CORE_HEAP_BASE + start * PAGE);
	}
	return 0;
}

static void page_free(void *p, word_t n)
{
	word_t start = ((word_t)p - CORE_HEAP_BASE) / PAGE;

	for (word_t k = start; k < start + n; k++) {
		kobj_free(&core_acct, &pages[k]);  /* unmaps as the frame goes */
		va_used[k / 64] &= ~(1ull << (k % 64));
	}
}

static void unlink_slab(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = 0;
}

static void link_slab(struct slab *s)
{
	s->prev = 0;
	s->next = partial[s->cls];
	if (s->next)
		s->next->prev = s;
	partial[s->cls] = s;
}

/* A new slab page of class c, first in its partial list. */
static bool slab_new(int c)
{
	word_t osize = 1ul << (MIN_CLASS_BITS + c);
	struct slab *s = page_alloc(1);

	if (!s)
		return false;
	s->cls = (uint32_t)c;
	s->cap = (uint32_t)((PAGE - SLAB_HDR) / osize);
	s->used = 0;
	s->free = 0;
	for (word_t i = s->cap; i > 0; i--) {
		void **o = (void **)((char *)s + SLAB_HDR + (i - 1) * osize);
		*o = s->free;
		s->free = o;
	}
	class_free[c] += s->cap;
	link_slab(s);
	return true;
}

word_t heap_room(size_t size)
{
	int c = class_of(size);

	return c >= 0 ? class_free[c] : 0;
}

bool heap_grow(size_t size)
{
	int c = class_of(size);

	return c >= 0 && slab_new(c);
}

void *core_alloc_nogrow(size_t size)
{
	int c = class_of(size);

	if (c < 0 || !partial[c])
		return 0;
	return core_alloc(size);
}

void *core_alloc(size_t size)
{
	int c = class_of(size);
	void *p;

	if (size == 0)
		size = 1;
	if (c < 0) {
		word_t n = (size + PAGE - 1) / PAGE;
		p = page_alloc(n);
		if (p) {
			memset(p, 0, n * PAGE);
			in_use += n * PAGE;
		}
		return p;
	}
	word_t osize = 1ul << (MIN_CLASS_BITS + c);
	struct slab *s = partial[c];
	if (!s) {
		if (!slab_new(c))
			return 0;
		s = partial[c];
	}
	p = s->free;
	s->free = *(void **)p;
	s->used++;
	class_free[c]--;
	if (s->used == s->cap)
		unlink_slab(s);
	memset(p, 0, osize);
	in_use += osize;
	return p;
}

void core_free(void *p, size_t size)
{
	int c = class_of(size);

	if (!p)
		return;
	if (size == 0)
		size = 1;
	if (c < 0) {
		word_t n = (size + PAGE - 1) / PAGE;
		page_free(p, n);
		in_use -= n * PAGE;
		return;
	}
	struct slab *s = (struct slab *)((word_t)p & ~(PAGE - 1));
	if ((int)s->cls != c)
		core_panic("core_free with a wrong size", (long)size);
	bool was_full = s->used == s->cap;
	*(void **)p = s->free;
	s->free = p;
	s->used--;
	class_free[c]++;
	in_use -= 1ul << (MIN_CLASS_BITS + c);
	if (s->used == 0) {
		if (!was_full)
			unlink_slab(s);
		class_free[c] -= s->cap;
		page_free(s, 1);
	} else if (was_full) {
		link_slab(s);
	}
}

void heap_init_core(void)
{
	memset(va_used, 0, sizeof(va_used));
}
