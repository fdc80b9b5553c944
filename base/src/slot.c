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

void slot_alloc_add(struct slot_alloc *a, struct slot_chunk *c, word_t first, word_t count)
{
	memset(c, 0, sizeof(*c));
	if (count > SLOT_CHUNK_MAX)
		count = SLOT_CHUNK_MAX;
	c->first = first;
	c->count = count;
	lock_acquire(&a->lock);
	c->next = a->chunks;
	a->chunks = c;
	a->chunk_free += count;
	lock_release(&a->lock);
}

static cptr_t chunk_alloc(struct slot_alloc *a)
{
	for (struct slot_chunk *c = a->chunks; c; c = c->next) {
		if (c->used == c->count)
			continue;
		for (word_t i = 0; i < c->count; i++) {
			if (c->map[i / 64] == ~0ull) {
				i |= 63;
				continue;
			}
			if (!(c->map[i / 64] & (1ull << (i % 64)))) {
				c->map[i / 64] |= 1ull << (i % 64);
				c->used++;
				a->chunk_free--;
				return c->first + i;
			}
		}
	}
	return 0;
}

static struct slot_chunk *chunk_of(const struct slot_alloc *a, cptr_t s)
{
	for (struct slot_chunk *c = a->chunks; c; c = c->next)
		if (s >= c->first && s - c->first < c->count)
			return c;
	return 0;
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
	if (!r)
		r = chunk_alloc(a);
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
	} else {
		struct slot_chunk *c = chunk_of(a, s);
		word_t i = c ? s - c->first : 0;
		if (c && (c->map[i / 64] & (1ull << (i % 64)))) {
			c->map[i / 64] &= ~(1ull << (i % 64));
			c->used--;
			a->chunk_free++;
		}
	}
	lock_release(&a->lock);
}

bool slot_is_used(const struct slot_alloc *a, cptr_t s)
{
	const struct slot_chunk *c;

	if (s >= a->first && s < a->end)
		return a->map[s / 64] & (1ull << (s % 64));
	c = chunk_of(a, s);
	return c && (c->map[(s - c->first) / 64] & (1ull << ((s - c->first) % 64)));
}

word_t slot_free_count(const struct slot_alloc *a)
{
	return a->end - a->first - a->used + a->chunk_free;
}
