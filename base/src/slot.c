/*
 * Bitmap slot allocator (argil/slot.h). Portable; the lock only matters
 * for components with several threads.
 */
#include <argil/slot.h>
#include <argil/string.h>

void slot_alloc_init(struct slot_alloc *a, word_t first, word_t end)
{
	memset(a, 0, sizeof(*a));
	if (end > (1u << SLOT_ALLOC_MAX_BITS))
		end = 1u << SLOT_ALLOC_MAX_BITS;
	if (first > end)
		first = end;
	a->first = first;
	a->end = end;
	a->hint = first;
}

cptr_t slot_alloc(struct slot_alloc *a)
{
	cptr_t r = 0;

	lock_acquire(&a->lock);
	for (word_t s = a->hint; s < a->end; s++) {
		if (a->map[s / 64] == ~0ull) {
			s |= 63;
			continue;
		}
		if (!(a->map[s / 64] & (1ull << (s % 64)))) {
			a->map[s / 64] |= 1ull << (s % 64);
			a->used++;
			a->hint = s + 1;
			r = s;
			break;
		}
	}
	lock_release(&a->lock);
	return r;
}

void slot_free(struct slot_alloc *a, cptr_t s)
{
	lock_acquire(&a->lock);
	if (s >= a->first && s < a->end && (a->map[s / 64] & (1ull << (s % 64)))) {
		a->map[s / 64] &= ~(1ull << (s % 64));
		a->used--;
		if (s < a->hint)
			a->hint = s;
	}
	lock_release(&a->lock);
}

bool slot_is_used(const struct slot_alloc *a, cptr_t s)
{
	return s >= a->first && s < a->end && (a->map[s / 64] & (1ull << (s % 64)));
}

word_t slot_free_count(const struct slot_alloc *a)
{
	return a->end - a->first - a->used;
}
