/*
 * The component heap (argil/heap.h): chunks are RAM dataspaces of the
 * component's own PD, attached anywhere. Each chunk keeps an address-ordered
 * list of free blocks; a freed block merges with free neighbours. Blocks of
 * HEAP_LARGE bytes or more get their own dataspace. Trusts only itself: a
 * pointer given to heap_free must come from this heap (checked by tag; a
 * bad one is ignored and reported).
 */
#include <argil/heap.h>
#include <argil/pd.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <argil/printf.h>

#define PAGE 4096ul
#define TAG_FREE 0x46524545484541ull   /* "AEHEERF" */
#define TAG_USED 0x55534544484541ull
#define TAG_LARGE 0x4c41524745484541ull
#define HDR 16ul
#define MIN_BLOCK 32ul

struct blk {
	size_t size;             /* including this header */
	size_t tag;
};

struct fblk {
	size_t size, tag;
	struct fblk *next;
};

struct heap_chunk {
	struct heap_chunk *next;
	cptr_t ds;
	word_t addr, size;
	struct fblk *free;
	size_t free_bytes, usable;
	word_t pad;
};

struct heap_large {
	struct heap_large *next;
	cptr_t ds;
	word_t addr, size;
	word_t pad[2];
};

_Static_assert(sizeof(struct heap_chunk) == 64, "chunk header is 64 bytes");
_Static_assert(sizeof(struct heap_large) == 48, "large header is 48 bytes");

void heap_init(struct heap *h, cptr_t pd)
{
	memset(h, 0, sizeof(*h));
	h->pd = pd;
}

/* A fresh dataspace of size bytes attached anywhere; 0 on failure. */
static word_t map_ds(struct heap *h, word_t size, cptr_t *ds)
{
	word_t addr;
	rpc_status_t st = pd_alloc_ram(h->pd, size, ds);

	if (st != RPC_OK) {
		h->last_error = st;
		return 0;
	}
	st = pd_attach(h->pd, *ds, 0, 0, 0, ATTACH_WRITE, &addr);
	if (st != RPC_OK) {
		h->last_error = st;
		pd_free_ram(h->pd, *ds);
		cap_slot_free(*ds);
		return 0;
	}
	h->quota_used += size;
	return addr;
}

static void unmap_ds(struct heap *h, word_t addr, word_t size, cptr_t ds)
{
	pd_detach(h->pd, addr);
	pd_free_ram(h->pd, ds);
	cap_slot_free(ds);
	h->quota_used -= size;
}

static struct heap_chunk *chunk_new(struct heap *h, size_t min)
{
	word_t size = HEAP_CHUNK;
	cptr_t ds;

	while (size - sizeof(struct heap_chunk) < min)
		size *= 2;
	word_t addr = map_ds(h, size, &ds);
	if (!addr)
		return 0;
	struct heap_chunk *c = (struct heap_chunk *)addr;
	c->ds = ds;
	c->addr = addr;
	c->size = size;
	c->usable = size - sizeof(*c);
	c->free = (struct fblk *)(addr + sizeof(*c));
	c->free->size = c->usable;
	c->free->tag = TAG_FREE;
	c->free->next = 0;
	c->free_bytes = c->usable;
	/* the first chunk stays first (it is never given back) */
	if (!h->chunks) {
		c->next = 0;
		h->chunks = c;
	} else {
		c->next = h->chunks->next;
		h->chunks->next = c;
	}
	return c;
}

static void *chunk_alloc(struct heap_chunk *c, size_t need)
{
	struct fblk **pp = &c->free;

	for (struct fblk *f = c->free; f; pp = &f->next, f = f->next) {
		if (f->size < need)
			continue;
		if (f->size - need >= MIN_BLOCK) {
			struct fblk *rest = (struct fblk *)((char *)f + need);
			rest->size = f->size - need;
			rest->tag = TAG_FREE;
			rest->next = f->next;
			*pp = rest;
			f->size = need;
		} else {
			*pp = f->next;
		}
		c->free_bytes -= f->size;
		struct blk *b = (struct blk *)f;
		b->tag = TAG_USED;
		return (char *)b + HDR;
	}
	return 0;
}

void *heap_alloc(struct heap *h, size_t size)
{
	void *p = 0;

	if (size == 0)
		size = 1;
	if (size > (1ul << 40)) {
		h->last_error = RPC_E_INVALID_ARGUMENT;
		return 0;
	}
	lock_acquire(&h->lock);
	if (size >= HEAP_LARGE) {
		word_t total = (sizeof(struct heap_large) + HDR + size + PAGE - 1) & ~(PAGE - 1);
		cptr_t ds;
		word_t addr = map_ds(h, total, &ds);
		if (addr) {
			struct heap_large *l = (struct heap_large *)addr;
			l->ds = ds;
			l->addr = addr;
			l->size = total;
			l->next = h->large;
			h->large = l;
			struct blk *b = (struct blk *)(addr + sizeof(*l));
			b->size = total - sizeof(*l);
			b->tag = TAG_LARGE;
			p = (char *)b + HDR;
			h->used += b->size;
		}
		lock_release(&h->lock);
		return p;
	}
	size_t need = (size + HDR + 15) & ~15ul;
	if (need < MIN_BLOCK)
		need = MIN_BLOCK;
	for (struct heap_chunk *c = h->chunks; c && !p; c = c->next)
		if (c->free_bytes >= need)
			p = chunk_alloc(c, need);
	if (!p) {
		struct heap_chunk *c = chunk_new(h, need);
		if (c)
			p = chunk_alloc(c, need);
	}
	if (p)
		h->used += ((struct blk *)((char *)p - HDR))->size;
	lock_release(&h->lock);
	return p;
}

static void chunk_free(struct heap *h, struct heap_chunk *c, struct blk *b)
{
	struct fblk *f = (struct fblk *)b, *prev = 0, *next = c->free;

	while (next && next < f) {
		prev = next;
		next = next->next;
	}
	f->tag = TAG_FREE;
	f->next = next;
	c->free_bytes += f->size;
	if (next && (char *)f + f->size == (char *)next) {
		f->size += next->size;
		f->next = next->next;
		next->tag = 0;
	}
	if (prev && (char *)prev + prev->size == (char *)f) {
		prev->size += f->size;
		prev->next = f->next;
		f->tag = 0;
	} else if (prev) {
		prev->next = f;
	} else {
		c->free = f;
	}
	/* an empty chunk other than the first goes back */
	if (c->free_bytes == c->usable && c != h->chunks) {
		struct heap_chunk **pp = &h->chunks;
		while (*pp != c)
			pp = &(*pp)->next;
		*pp = c->next;
		unmap_ds(h, c->addr, c->size, c->ds);
	}
}

void heap_free(struct heap *h, void *p)
{
	if (!p)
		return;
	struct blk *b = (struct blk *)((char *)p - HDR);
	lock_acquire(&h->lock);
	if (b->tag == TAG_LARGE) {
		struct heap_large *l = (struct heap_large *)((char *)b - sizeof(struct heap_large));
		struct heap_large **pp = &h->large;
		while (*pp && *pp != l)
			pp = &(*pp)->next;
		if (*pp) {
			*pp = l->next;
			h->used -= b->size;
			b->tag = 0;
			unmap_ds(h, l->addr, l->size, l->ds);
			lock_release(&h->lock);
			return;
		}
	} else if (b->tag == TAG_USED) {
		for (struct heap_chunk *c = h->chunks; c; c = c->next) {
			if ((word_t)b >= c->addr + sizeof(*c) && (word_t)b < c->addr + c->size) {
				h->used -= b->size;
				chunk_free(h, c, b);
				lock_release(&h->lock);
				return;
			}
		}
	}
	lock_release(&h->lock);
	printf("heap: free of %p, which is not a heap block\n", p);
}

void heap_destroy(struct heap *h)
{
	lock_acquire(&h->lock);
	while (h->large) {
		struct heap_large *l = h->large;
		h->large = l->next;
		unmap_ds(h, l->addr, l->size, l->ds);
	}
	while (h->chunks) {
		struct heap_chunk *c = h->chunks;
		h->chunks = c->next;
		unmap_ds(h, c->addr, c->size, c->ds);
	}
	h->used = 0;
	lock_release(&h->lock);
}

/* Size of a block's usable bytes (for realloc). */
static size_t block_usable(void *p)
{
	struct blk *b = (struct blk *)((char *)p - HDR);
	return b->size - HDR;
}

void *malloc(size_t size)
{
	return component_heap ? heap_alloc(component_heap, size) : 0;
}

void *calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return 0;
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void free(void *p)
{
	if (component_heap)
		heap_free(component_heap, p);
}

void *realloc(void *p, size_t size)
{
	if (!p)
		return malloc(size);
	size_t old = block_usable(p);
	if (size <= old)
		return p;
	void *n = malloc(size);
	if (!n)
		return 0;
	memcpy(n, p, old);
	free(p);
	return n;
}
